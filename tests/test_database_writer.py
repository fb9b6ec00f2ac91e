"""Writing datasets into real databases: one transaction, cycles, modes, quoted names.

Every test runs on SQLite, PostgreSQL and MariaDB (``any_database``; a server that is not
reachable skips with the reason). The databases enforce every constraint themselves, so "the write
raised nothing and the rows are there" is the verdict; "an error left every table exactly as it
was" is checked by comparing complete snapshots of the database before and after.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import ConfigurationError, OutputError, SyntheticDataGenerator, load_schema
from syda.database import check_target, count_rows, read_existing, write_database
from syda.schema.ir import Schema
from tests.sample_schemas import company, sakila

Frames = dict[str, pd.DataFrame]

SAKILA = load_schema(list(sakila.MODELS))
COMPANY = load_schema(list(company.MODELS))
QUOTED = load_schema(
    {
        "order": {
            "id": {"type": "integer", "primary_key": True},
            "user name": {"type": "string", "max_length": 40, "unique": True},
        },
        "LineItem": {
            "order": {"type": "integer", "primary_key": True, "references": "order.id"},
            "Line No": {"type": "integer", "primary_key": True},
            "quantity": {"type": "integer", "min": 1, "max": 9},
        },
    }
)
SELF_REFERENCING = load_schema(
    {
        "store": {
            "id": {"type": "integer", "primary_key": True},
            "manager_id": {"type": "integer", "references": "staff.id"},
        },
        "staff": {
            "id": {"type": "integer", "primary_key": True},
            "store_id": {"type": "integer", "references": "store.id"},
            "mentor_id": {"type": "integer", "references": "staff.id", "nullable": True},
        },
        "node": {
            "id": {"type": "integer", "primary_key": True},
            "parent_id": {"type": "integer", "references": "node.id", "nullable": True},
        },
    }
)
PERCENT = load_schema(
    {
        "100% juice": {
            "id": {"type": "integer", "primary_key": True},
            "rate %": {"type": "integer", "min": 0, "max": 100},
        }
    }
)


def generate(schema: Schema, seed: int = 0, **sizes: int) -> Frames:
    return SyntheticDataGenerator(seed=seed).generate_related_data(schema, sample_sizes=sizes)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: two equal snapshots mean an unchanged database."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        return {
            name: sorted(tuple(map(repr, row)) for row in conn.execute(sa.select(table)))
            for name, table in metadata.tables.items()
        }


def shift_keys(schema: Schema, frames: Frames, offset: int) -> Frames:
    """Move every integer key and foreign key by ``offset``, as the engine does for append."""
    out = {}
    for table in schema:
        frame = frames[table.key].copy()
        keys = set(table.primary_key) | {c for fk in table.foreign_keys for c in fk.columns}
        for column in keys:
            if table.column(column).kind == "integer":
                frame[column] = frame[column] + offset
        out[table.key] = frame
    return out


def non_deferrable(schema: Schema) -> Schema:
    return Schema(
        tuple(
            dataclasses.replace(
                t,
                foreign_keys=tuple(
                    dataclasses.replace(fk, deferrable=False, initially_deferred=False)
                    for fk in t.foreign_keys
                ),
            )
            for t in schema
        )
    )


def test_not_null_cycle_is_written_in_one_transaction(any_database: Engine) -> None:
    frames = generate(SAKILA, Store=4, Staff=6)
    report = write_database(SAKILA, frames, any_database, create_tables=True)
    assert report.tables == {key: len(frame) for key, frame in frames.items()}
    assert count_rows(SAKILA, any_database) == report.tables
    expected = {
        "sqlite": "deferred checks (PRAGMA defer_foreign_keys)",
        "postgresql": "deferred checks (SET CONSTRAINTS ALL DEFERRED)",
        "mysql": "foreign_key_checks=0 then verified for Staff, Store",
    }[any_database.dialect.name]
    assert expected in report.strategy
    with any_database.connect() as conn:
        stored = dict(conn.execute(sa.text("SELECT store_id, manager_staff_id FROM store")).all())
    store = frames["Store"]
    assert stored == dict(zip(store.store_id, store.manager_staff_id, strict=True))


def test_nullable_cycle_is_inserted_as_null_then_updated(any_database: Engine) -> None:
    frames = generate(COMPANY, Department=5, Employee=20)
    report = write_database(COMPANY, frames, any_database, create_tables=True)
    assert report.strategy == "NULL then UPDATE: Department(head_employee_id) -> Employee"
    with any_database.connect() as conn:
        heads = dict(conn.execute(sa.text("SELECT id, head_employee_id FROM department")).all())
    wanted = frames["Department"].set_index("id").head_employee_id
    assert heads == {k: (None if pd.isna(v) else int(v)) for k, v in wanted.items()}
    assert any(v is not None for v in heads.values())


@pytest.mark.postgres
def test_non_deferrable_postgres_cycle_goes_in_one_statement(postgres_engine: Engine) -> None:
    schema = non_deferrable(SAKILA)
    frames = generate(schema, Store=5, Staff=7)
    report = write_database(schema, frames, postgres_engine, create_tables=True)
    assert "one statement (writable CTE) for Staff, Store" in report.strategy
    assert count_rows(schema, postgres_engine) == report.tables
    with postgres_engine.connect() as conn:
        deferrable = conn.execute(
            # This test's own schema only: other runs may hold deferrable keys meanwhile.
            sa.text(
                "SELECT bool_or(condeferrable) FROM pg_constraint "
                "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace"
            )
        ).scalar()
        # The sequence behind store.store_id continues after the written keys.
        next_id = conn.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence('store', 'store_id'))")
        ).scalar()
    assert deferrable is False
    assert next_id == frames["Store"].store_id.max() + 1


@pytest.mark.parametrize("mode", ["append", "replace"])
def test_an_error_mid_write_leaves_every_table_unchanged(any_database: Engine, mode: str) -> None:
    write_database(SAKILA, generate(SAKILA), any_database, create_tables=True)
    before = snapshot(any_database)
    frames = shift_keys(SAKILA, generate(SAKILA, seed=1), 1000)
    # A duplicate primary key in the third table written: two tables are in by then.
    actors = frames["Actor"]
    frames["Actor"] = pd.concat([actors, actors.iloc[[0]]], ignore_index=True)
    with pytest.raises(OutputError, match="nothing was written") as caught:
        write_database(SAKILA, frames, any_database, mode=mode)  # type: ignore[arg-type]
    assert caught.value.table == "Actor"
    assert snapshot(any_database) == before


def test_a_failed_write_also_removes_the_tables_it_created(any_database: Engine) -> None:
    frames = generate(COMPANY)
    frames["Employee"].loc[0, "salary"] = -5  # violates CHECK (salary > 0)
    with pytest.raises(OutputError) as caught:
        write_database(COMPANY, frames, any_database, create_tables=True)
    assert caught.value.table == "Employee"
    assert sa.inspect(any_database).get_table_names() == []


def test_a_dangling_cyclic_key_is_refused(any_database: Engine) -> None:
    frames = generate(SAKILA, Store=3, Staff=3)
    frames["Store"].loc[0, "manager_staff_id"] = 999
    with pytest.raises(OutputError) as caught:
        write_database(SAKILA, frames, any_database, create_tables=True)
    assert caught.value.table in ("Store", "Staff", None)
    assert all(n in (None, 0) for n in count_rows(SAKILA, any_database).values())


def test_fail_mode_refuses_tables_with_rows(any_database: Engine) -> None:
    write_database(COMPANY, generate(COMPANY), any_database, create_tables=True)
    before = snapshot(any_database)
    with pytest.raises(OutputError, match=r"already has rows in Department \(10 rows\)"):
        write_database(COMPANY, generate(COMPANY, seed=1), any_database)
    assert snapshot(any_database) == before


def test_missing_tables_are_named_unless_created(any_database: Engine) -> None:
    with pytest.raises(OutputError, match=r"has no table\(s\) Department, Employee"):
        write_database(COMPANY, generate(COMPANY), any_database)


def test_append_adds_rows_after_the_existing_ones(any_database: Engine) -> None:
    first = generate(COMPANY, Department=3, Employee=6)
    write_database(COMPANY, first, any_database, create_tables=True)
    second = shift_keys(COMPANY, generate(COMPANY, seed=1, Department=2, Employee=4), 100)
    second["Department"]["name"] = "New " + second["Department"]["name"]
    second["Employee"]["email"] = "new." + second["Employee"]["email"]
    report = write_database(COMPANY, second, any_database, mode="append")
    assert report.tables == {"Department": 2, "Employee": 4}
    assert count_rows(COMPANY, any_database) == {"Department": 5, "Employee": 10}


def test_replace_swaps_every_row(any_database: Engine) -> None:
    write_database(SAKILA, generate(SAKILA), any_database, create_tables=True)
    frames = generate(SAKILA, seed=1, Store=2, Staff=2, Payment=3)
    write_database(SAKILA, frames, any_database, mode="replace")
    assert count_rows(SAKILA, any_database) == {k: len(f) for k, f in frames.items()}
    with any_database.connect() as conn:
        emails = set(conn.execute(sa.text("SELECT email FROM customer")).scalars())
    written = frames["Customer"].email
    assert emails == set(written.dropna()) | ({None} if written.isna().any() else set())


def test_quoted_identifiers_work_everywhere(any_database: Engine) -> None:
    frames = generate(QUOTED, order=3, LineItem=5)
    report = write_database(QUOTED, frames, any_database, create_tables=True)
    assert report.tables == {"order": 3, "LineItem": 5}
    assert count_rows(QUOTED, any_database) == {"order": 3, "LineItem": 5}
    existing = read_existing(QUOTED, any_database)
    assert sorted(existing["order"].columns) == ["id", "user name"]
    assert sorted(existing["order"]["user name"]) == sorted(frames["order"]["user name"])
    assert list(existing["LineItem"].columns) == ["order", "Line No"]
    write_database(QUOTED, generate(QUOTED, seed=2), any_database, mode="replace")


def test_read_existing_returns_the_columns_new_rows_must_fit(sqlite_engine: Engine) -> None:
    frames = generate(COMPANY, Department=2, Employee=3)
    write_database(COMPANY, frames, sqlite_engine, create_tables=True)
    existing = read_existing(COMPANY, sqlite_engine)
    assert list(existing["Department"].columns) == ["id", "name"]
    assert list(existing["Employee"].columns) == ["id", "email"]
    assert sorted(existing["Employee"].email) == sorted(frames["Employee"].email)
    assert count_rows(SAKILA, sqlite_engine)["Store"] is None
    assert read_existing(SAKILA, sqlite_engine)["Store"].empty


@pytest.mark.postgres
def test_writes_into_another_schema_and_hides_the_password(postgres_url: str) -> None:
    url = sa.make_url(postgres_url).set(password="s3cret")
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql('DROP SCHEMA IF EXISTS "Other Place" CASCADE')
        conn.exec_driver_sql('CREATE SCHEMA "Other Place"')
    try:
        with pytest.raises(OutputError) as caught:
            write_database(COMPANY, generate(COMPANY), url, db_schema="Other Place")
        assert "s3cret" not in str(caught.value) and "***" in str(caught.value)
        frames = generate(QUOTED)
        write_database(QUOTED, frames, url, db_schema="Other Place", create_tables=True)
        assert count_rows(QUOTED, url, db_schema="Other Place") == {"order": 10, "LineItem": 10}
        assert count_rows(QUOTED, url)["order"] is None
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql('DROP SCHEMA "Other Place" CASCADE')
        admin.dispose()


def test_arguments_are_checked(sqlite_engine: Engine) -> None:
    frames: Mapping[str, pd.DataFrame] = {"Nope": pd.DataFrame()}
    with pytest.raises(OutputError, match="not in the schema: 'Nope'"):
        write_database(COMPANY, frames, sqlite_engine)
    with pytest.raises(Exception, match="mode must be one of"):
        write_database(COMPANY, {}, sqlite_engine, mode="merge")  # type: ignore[arg-type]


def test_self_referencing_keys_are_written_and_replaced(any_database: Engine) -> None:
    frames = generate(SELF_REFERENCING, store=3, staff=8, node=8)
    for key, column in (("staff", "mentor_id"), ("node", "parent_id")):
        pointing = frames[key].dropna(subset=[column])
        assert (pointing[column] != pointing["id"]).any()  # rows point at other rows
    write_database(SELF_REFERENCING, frames, any_database, create_tables=True)
    again = generate(SELF_REFERENCING, seed=1, store=2, staff=5, node=6)
    write_database(SELF_REFERENCING, again, any_database, mode="replace")
    assert count_rows(SELF_REFERENCING, any_database) == {"store": 2, "staff": 5, "node": 6}


def test_percent_signs_in_names(any_database: Engine) -> None:
    write_database(PERCENT, generate(PERCENT), any_database, create_tables=True)
    frames = generate(PERCENT, seed=1, **{"100% juice": 4})
    write_database(PERCENT, frames, any_database, mode="replace")
    assert count_rows(PERCENT, any_database) == {"100% juice": 4}
    if any_database.dialect.name == "postgresql":
        with any_database.connect() as conn:
            next_id = conn.execute(
                sa.text("SELECT nextval(pg_get_serial_sequence('\"100% juice\"', 'id'))")
            ).scalar()
        assert next_id == frames["100% juice"].id.max() + 1


def test_replace_refuses_only_outside_tables_with_rows(any_database: Engine) -> None:
    write_database(COMPANY, generate(COMPANY), any_database, create_tables=True)
    with any_database.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE audit (id INTEGER PRIMARY KEY, department_id INTEGER, "
            "FOREIGN KEY (department_id) REFERENCES department (id))"
        )
    frames = generate(COMPANY, seed=1, Department=3, Employee=4)
    write_database(COMPANY, frames, any_database, mode="replace")
    assert count_rows(COMPANY, any_database) == {"Department": 3, "Employee": 4}
    with any_database.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO audit VALUES (1, :d)"), {"d": int(frames["Department"].id[0])}
        )
    before = snapshot(any_database)
    with pytest.raises(OutputError, match=r"1 row\(s\) of audit, which is not part of"):
        write_database(COMPANY, generate(COMPANY, seed=2), any_database, mode="replace")
    assert snapshot(any_database) == before


def test_check_target_refuses_before_generation(sqlite_engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="mode must be one of"):
        check_target(COMPANY, sqlite_engine, mode="merge")  # type: ignore[arg-type]
    for mode in ("fail", "append", "replace"):
        with pytest.raises(OutputError, match=r"no table\(s\) Department, Employee.*create_tables"):
            check_target(COMPANY, sqlite_engine, mode=mode)  # type: ignore[arg-type]
        assert check_target(COMPANY, sqlite_engine, mode="fail", create_tables=True) is None
    frames = generate(COMPANY, Department=2, Employee=3)
    write_database(COMPANY, frames, sqlite_engine, create_tables=True)
    with pytest.raises(OutputError, match=r"already has rows in Department \(2 rows\)"):
        check_target(COMPANY, sqlite_engine, mode="fail")
    assert check_target(COMPANY, sqlite_engine, mode="replace") is None
    existing = check_target(COMPANY, sqlite_engine, mode="append")
    assert existing is not None
    assert sorted(existing["Employee"].email) == sorted(frames["Employee"].email)
    # A SQLite file that is not there yet is not created by looking at it.
    new = tmp_path / "new.db"
    assert check_target(COMPANY, f"sqlite:///{new}", mode="fail", create_tables=True) is None
    appended = check_target(COMPANY, f"sqlite:///{new}", mode="append", create_tables=True)
    assert appended is not None and appended["Department"].empty
    with pytest.raises(OutputError, match="create_tables=True"):
        check_target(COMPANY, f"sqlite:///{new}", mode="replace")
    assert count_rows(COMPANY, f"sqlite:///{new}") == {"Department": None, "Employee": None}
    assert not new.exists()
