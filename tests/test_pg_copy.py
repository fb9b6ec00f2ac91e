"""PostgreSQL's column-wise COPY stores exactly what the row-by-row path stored, for every type.

Each test writes one frame twice into real PostgreSQL: through ``write_database`` (the column-wise
COPY) and through the row path it replaced (``records`` dicts into ``insert_rows``, psycopg's
``write_row``), then reads both tables back and compares them, plus the values a user expects.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.engine import Engine

from syda import OutputError, load_schema
from syda.database import write_database
from syda.database.inserts import insert_rows
from syda.database.values import records

pytestmark = pytest.mark.postgres

HOSTILE = [
    "tab\there",
    "new\nline",
    "carriage\rreturn",
    "back\\slash \\N \\x00",
    "quotes ' \" , ;",
    "unicode: é ü 中文 🎉",
    "",
    "\\N",
    "form\ffeed\bback\vvertical",
    "x" * 200_000,
]
"""Text COPY must escape or carry as it is, an empty string (not NULL) and a very long one."""

N = len(HOSTILE) + 2


def columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("widened", sa.Integer),
        sa.Column("big", sa.BigInteger),
        sa.Column("small", sa.SmallInteger),
        sa.Column("real", sa.Float),
        sa.Column("money", sa.Numeric(20, 10)),
        sa.Column("exact", sa.Numeric),
        sa.Column("flag", sa.Boolean),
        sa.Column("maybe", sa.Boolean),
        sa.Column("day", sa.Date),
        sa.Column("stamp", sa.DateTime),
        sa.Column("aware", sa.DateTime(timezone=True)),
        sa.Column("wall", sa.DateTime),
        sa.Column("aware_day", sa.Date),
        sa.Column("clock", sa.Time),
        sa.Column("span", sa.Interval),
        sa.Column("body", sa.Text),
        sa.Column("label", sa.String(20)),
        sa.Column("doc", sa.JSON),
        sa.Column("docb", pg.JSONB),
        sa.Column("blob", sa.LargeBinary),
        sa.Column("key", sa.Uuid),
        sa.Column("key_text", sa.Uuid(as_uuid=False)),
        sa.Column("tags", pg.ARRAY(sa.Integer)),
        sa.Column("price", sa.Numeric(10, 2)),
    ]


def frame() -> pd.DataFrame:
    """Every column with at least one NULL (NaN, NaT, None) and its awkward values."""
    n = N
    ids = np.arange(1, n + 1)
    berlin = pd.date_range("2024-03-30 22:15:00.123456", periods=n, freq="7h", tz="Europe/Berlin")
    stamps = pd.Series(pd.date_range("1969-12-31 23:59:58.5", periods=n, freq="37min"))
    floats = [0.1, 1e-300, 1e20, -0.0, 1 / 3, 123.456, 2.5e-7, 1.0]
    return pd.DataFrame(
        {
            "id": ids,
            "widened": [None if i % 3 == 0 else i * 1000 for i in ids],  # float64 with NaN
            "big": ids * 2**60 // n,
            "small": (ids % 5).astype(np.int16),
            "real": pd.Series([*(floats * n)[: n - 1], np.nan]),
            "money": pd.Series([0.1, 123.456, np.nan, 1e-5, 99999999.99] * n)[:n],
            "exact": pd.Series([0.1, 1 / 3, 1e20, np.nan, 7.0] * n)[:n],
            "flag": ids % 2 == 0,
            "maybe": pd.Series([True, None, False] * n, dtype=object)[:n],
            "day": pd.Series(pd.date_range("2024-02-28", periods=n, freq="D")).where(ids != 2),
            "stamp": stamps.where(ids != 3),
            "aware": pd.Series(berlin).where(ids != 4),
            "wall": pd.Series(berlin).where(ids != 5),
            "aware_day": pd.Series(berlin).where(ids != 6),
            "clock": [datetime.time(i % 24, 30, 15, 250) if i != 7 else None for i in ids],
            "span": pd.Series(pd.to_timedelta(ids * 90061.5, unit="s")).where(ids != 8),
            "body": [*HOSTILE, None, "plain"],
            "label": ["", None, *(f"l{i}" for i in range(n - 2))],
            "doc": [{"a": [1, 2.5, None], "t": 'tab\t"q" \\ é'}, None, "text", [1, "x"], 3]
            + [{"n": i} for i in range(n - 5)],
            "docb": [{"d": "2024-01-02\n"}, None, True, {"u": "中"}] + [[i] for i in range(n - 4)],
            "blob": [b"\x00\\\t\n\xff", b"", None] + [bytes([i]) * 3 for i in range(n - 3)],
            "key": [uuid.UUID(int=i) if i % 2 else str(uuid.UUID(int=i)) for i in ids[:-1]]
            + [None],
            "key_text": [str(uuid.UUID(int=7 * i)) for i in ids[:-1]] + [None],
            "tags": [[1, 2], [], None] + [[i, None] for i in range(n - 3)],
            "price": pd.Series([19.99, 0.1, 0.3, np.nan] * n)[:n],
        }
    )


def write_both(engine: Engine, data: pd.DataFrame, chunk_size: int = 5000) -> tuple[list, list]:
    """``data`` written by COPY (write_database) and by the row path; both read back by id."""
    metadata = sa.MetaData()
    via_copy = sa.Table("via_copy", metadata, *columns())
    via_rows = sa.Table("via_rows", metadata, *columns())
    metadata.create_all(engine)
    write_database(load_schema(via_copy), {"via_copy": data}, engine, chunk_size=chunk_size)
    names = [str(c) for c in data.columns]
    with engine.begin() as conn:
        rows = records(data, {c: via_rows.c[c].type for c in names}, names)
        insert_rows(conn, via_rows, names, rows)
    with engine.connect() as conn:
        got = [
            [tuple(r) for r in conn.execute(sa.select(t).order_by(t.c.id))]
            for t in (via_copy, via_rows)
        ]
    return got[0], got[1]


def test_every_type_reads_back_as_the_row_path_wrote_it(postgres_engine: Engine) -> None:
    data = frame()
    copied, rowwise = write_both(postgres_engine, data)
    names = list(data.columns)
    assert len(copied) == N
    for name in names:
        i = names.index(name)
        assert [r[i] for r in copied] == [r[i] for r in rowwise], name
    # ...and both are what a user expects, not merely the same.
    by_name = {name: [r[names.index(name)] for r in copied] for name in names}
    assert by_name["body"] == [*HOSTILE, None, "plain"]
    assert by_name["label"][:2] == ["", None]
    assert by_name["widened"][:4] == [1000, 2000, None, 4000]
    assert by_name["money"][:4] == [
        decimal.Decimal("0.1000000000"),
        decimal.Decimal("123.4560000000"),
        None,
        decimal.Decimal("0.0000100000"),
    ]
    assert by_name["exact"][:3] == [
        decimal.Decimal("0.1"),
        decimal.Decimal("0.3333333333333333"),
        decimal.Decimal("1E+20"),
    ]
    assert by_name["price"][:4] == [decimal.Decimal(v) for v in ("19.99", "0.10", "0.30")] + [None]
    assert by_name["real"][:4] == [0.1, 1e-300, 1e20, -0.0]
    assert by_name["day"][:2] == [datetime.date(2024, 2, 28), None]
    assert by_name["stamp"][0] == datetime.datetime(1969, 12, 31, 23, 59, 58, 500000)
    aware = data["aware"][0].to_pydatetime()
    assert by_name["aware"][0] == aware  # the same instant, whatever the session's zone
    assert by_name["wall"][0] == aware.replace(tzinfo=None)  # the wall-clock time in Berlin
    assert by_name["aware_day"][:2] == [datetime.date(2024, 3, 30), datetime.date(2024, 3, 31)]
    assert by_name["flag"][:2] == [False, True]
    assert by_name["maybe"][:3] == [True, None, False]
    assert by_name["doc"][:3] == [{"a": [1, 2.5, None], "t": 'tab\t"q" \\ é'}, None, "text"]
    assert by_name["blob"][:3] == [b"\x00\\\t\n\xff", b"", None]
    assert by_name["key"][:2] == [uuid.UUID(int=1), uuid.UUID(int=2)]
    assert by_name["tags"][:3] == [[1, 2], [], None]


def test_json_values_the_row_path_could_not_dump_are_written_in_iso_form(
    postgres_engine: Engine,
) -> None:
    metadata = sa.MetaData()
    table = sa.Table("docs", metadata, sa.Column("id", sa.Integer, primary_key=True))
    table.append_column(sa.Column("doc", pg.JSONB))
    metadata.create_all(postgres_engine)
    data = pd.DataFrame({"id": [1], "doc": [{"when": datetime.date(2024, 1, 2)}]})
    write_database(load_schema(table), {"docs": data}, postgres_engine)
    with postgres_engine.connect() as conn:
        assert conn.execute(sa.select(table.c.doc)).scalar() == {"when": "2024-01-02"}


def test_chunks_of_one_copy_meet_exactly(postgres_engine: Engine) -> None:
    data = frame()
    copied, rowwise = write_both(postgres_engine, data, chunk_size=3)
    assert copied == rowwise
    assert [r[0] for r in copied] == list(range(1, N + 1))


def test_a_nul_character_is_an_output_error_and_nothing_is_written(
    postgres_engine: Engine,
) -> None:
    metadata = sa.MetaData()
    table = sa.Table("notes", metadata, sa.Column("id", sa.Integer, primary_key=True))
    table.append_column(sa.Column("body", sa.Text))
    metadata.create_all(postgres_engine)
    data = pd.DataFrame({"id": [1, 2], "body": ["fine", "nul\x00inside"]})
    with pytest.raises(OutputError, match="notes"):
        write_database(load_schema(table), {"notes": data}, postgres_engine, chunk_size=1)
    with postgres_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM notes")).scalar() == 0


def keyed_tables() -> tuple[sa.MetaData, sa.Table, sa.Table]:
    metadata = sa.MetaData()
    parent = sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
    child = sa.Table(
        "child",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, nullable=False),
        sa.Column("other_id", sa.Integer),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["parent.id"], name="fk child's parent", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["parent.id"], name="fk_other", deferrable=True, initially="DEFERRED"
        ),
    )
    return metadata, parent, child


def constraints(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                sa.text(
                    "SELECT conname, pg_get_constraintdef(oid), convalidated, "
                    "obj_description(oid, 'pg_constraint') FROM pg_constraint "
                    "WHERE contype = 'f' AND connamespace = CAST(current_schema() AS regnamespace) "
                    "ORDER BY conname"
                )
            )
        ]


def test_replace_puts_every_foreign_key_back_as_it_was(postgres_engine: Engine) -> None:
    metadata, _parent, child = keyed_tables()
    metadata.create_all(postgres_engine)
    with postgres_engine.begin() as conn:
        conn.exec_driver_sql("COMMENT ON CONSTRAINT \"fk child's parent\" ON child IS 'why: 1'")
    before = constraints(postgres_engine)
    schema = load_schema(metadata)
    frames = {
        "parent": pd.DataFrame({"id": [1, 2, 3]}),
        "child": pd.DataFrame({"id": [1, 2], "parent_id": [3, 1], "other_id": [None, 2]}),
    }
    write_database(schema, frames, postgres_engine, mode="replace")
    assert constraints(postgres_engine) == before
    assert [c[:2] for c in before] == [
        ("fk child's parent", "FOREIGN KEY (parent_id) REFERENCES parent(id) ON DELETE CASCADE"),
        ("fk_other", "FOREIGN KEY (other_id) REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED"),
    ]
    assert before[0][3] == "why: 1"
    # The keys are real again: the database refuses a dangling one.
    with pytest.raises(sa.exc.IntegrityError), postgres_engine.begin() as conn:
        conn.execute(child.insert().values(id=9, parent_id=99))


def test_a_dangling_key_fails_the_replace_and_leaves_rows_and_keys(
    postgres_engine: Engine,
) -> None:
    metadata, _parent, child = keyed_tables()
    schema = load_schema(metadata)
    good = {
        "parent": pd.DataFrame({"id": [1]}),
        "child": pd.DataFrame({"id": [1], "parent_id": [1], "other_id": [1]}),
    }
    write_database(schema, good, postgres_engine, create_tables=True)
    before = constraints(postgres_engine)
    bad = {"parent": good["parent"], "child": good["child"].assign(parent_id=[7])}
    with pytest.raises(OutputError, match="fk child's parent"):
        write_database(schema, bad, postgres_engine, mode="replace")
    assert constraints(postgres_engine) == before
    with postgres_engine.connect() as conn:
        assert conn.execute(sa.select(child.c.parent_id)).scalars().all() == [1]


def test_keys_are_put_back_beside_a_deferred_key_to_an_outside_table(
    postgres_engine: Engine,
) -> None:
    metadata = sa.MetaData()
    outside = sa.Table("outside", metadata, sa.Column("id", sa.Integer, primary_key=True))
    parent = sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
    child = sa.Table(
        "child",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id"), nullable=False),
        sa.Column(
            "out_id", sa.Integer, sa.ForeignKey(outside.c.id, deferrable=True, initially="DEFERRED")
        ),
    )
    metadata.create_all(postgres_engine)
    with postgres_engine.begin() as conn:
        conn.execute(outside.insert().values(id=1))
    schema = load_schema([parent, child], external_references=True)
    frames = {
        "parent": pd.DataFrame({"id": [1, 2]}),
        "child": pd.DataFrame({"id": [1, 2], "parent_id": [2, 1], "out_id": [1, None]}),
    }
    before = constraints(postgres_engine)
    for _ in range(2):
        write_database(schema, frames, postgres_engine, mode="replace")
    assert constraints(postgres_engine) == before
    bad = {**frames, "child": frames["child"].assign(out_id=[1, 5])}
    with pytest.raises(OutputError, match="child_out_id_fkey"):
        write_database(schema, bad, postgres_engine, mode="replace")
