"""Keys in the shapes real schemas take, with the real database as the judge (issue 10, part 4).

Primary-key columns are never NULL, a composite UNIQUE may hold a self-reference, a foreign key
may target any unique column, and identity or generated columns the database must fill are left
to it. Each test creates its tables in a database of its own (SQLite, PostgreSQL, MariaDB),
reflects them, and writes the generated rows straight into it; ``syda validate`` then reads them
back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from syda import GenerationError, SyntheticDataGenerator
from syda.cli import main
from syda.database import reflect_database
from tests.support import published


def _run(engine: Engine, ddl: str) -> None:
    with engine.begin() as connection:
        for statement in ddl.split(";"):
            if statement.strip():
                connection.exec_driver_sql(statement)


def _fill(engine: Engine, rows: int, **options: Any) -> dict[str, pd.DataFrame]:
    return SyntheticDataGenerator(seed=5).generate_related_data(
        reflect_database(engine), default_sample_size=rows, db_url=engine, **options
    )


def _read(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.exec_driver_sql(sql).fetchall()]


def _validates(engine: Engine, capsys: pytest.CaptureFixture[str]) -> str:
    """``syda validate --db URL`` on the test's database (its own schema on PostgreSQL)."""
    args = ["validate", "--db", engine.url.render_as_string(hide_password=False)]
    if engine.dialect.name == "postgresql":
        args += ["--schema", _read(engine, "SELECT current_schema()")[0][0]]
    capsys.readouterr()
    assert main(args) == 0
    return capsys.readouterr().out


def test_sqlite_composite_primary_key_columns_get_no_nulls(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    # SQLite lets these columns hold NULLs; syda's own validation then refused its output.
    _run(sqlite_engine, "CREATE TABLE pair (a INT, b TEXT, note TEXT, PRIMARY KEY (a, b))")
    assert not reflect_database(sqlite_engine).table("pair").column("a").nullable

    _fill(sqlite_engine, 200)

    assert _read(sqlite_engine, "SELECT count(*) FROM pair WHERE a IS NULL OR b IS NULL") == [(0,)]
    assert "no violations" in _validates(sqlite_engine, capsys)


def test_a_composite_unique_with_a_self_reference(
    any_database: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    # The example: "unexpected KeyError: 'r'" (listmonk's roles failed the same way).
    _run(
        any_database,
        "CREATE TABLE l (id INTEGER PRIMARY KEY);"
        "CREATE TABLE r (id INTEGER PRIMARY KEY, parent_id INT REFERENCES r (id), "
        "list_id INT REFERENCES l (id), UNIQUE (parent_id, list_id));"
        "CREATE TABLE category (id INTEGER PRIMARY KEY, parent_id INT REFERENCES category (id), "
        "name VARCHAR(60) NOT NULL, UNIQUE (parent_id, name))",
    )

    # category is asked by name: unasked, a lookup holds only as many rows as its vocabulary.
    frames = _fill(any_database, 200, sample_sizes={"l": 5, "category": 200})

    pairs = _read(any_database, "SELECT parent_id, list_id FROM r WHERE parent_id IS NOT NULL")
    assert len(pairs) > 150 and len(set(pairs)) == len(pairs)
    assert frames["r"]["parent_id"].notna().sum() == len(pairs)
    siblings = _read(any_database, "SELECT parent_id, name FROM category WHERE parent_id > 0")
    assert len(set(siblings)) == len(siblings) > 150
    assert "no violations" in _validates(any_database, capsys)


def test_a_not_null_self_reference_in_a_unique_set_is_a_clear_error(
    sqlite_engine: Engine,
) -> None:
    _run(
        sqlite_engine,
        "CREATE TABLE node (id INTEGER PRIMARY KEY, "
        "parent_id INT NOT NULL REFERENCES node (id), kind VARCHAR(10) NOT NULL, "
        "UNIQUE (parent_id, kind))",
    )
    profile = {"node": {"kind": {"values": ["leaf"]}}}

    # Every row points at an earlier row of the same kind: only the first row can.
    with pytest.raises(GenerationError, match=r"cannot point at a row .* \(parent_id, kind\)"):
        _fill(sqlite_engine, 20, profile=profile)


def test_foreign_keys_into_unique_columns_of_every_shape(
    any_database: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(
        any_database,
        "CREATE TABLE plan (id INTEGER PRIMARY KEY, code VARCHAR(12) NOT NULL UNIQUE, "
        "tier INT NOT NULL, name VARCHAR(20) NOT NULL, UNIQUE (tier, name));"
        "CREATE TABLE seat (x INT, y INT, tag VARCHAR(10) NOT NULL UNIQUE, PRIMARY KEY (x, y));"
        "CREATE TABLE staff (id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE, "
        "boss_code VARCHAR(10) REFERENCES staff (code));"
        "CREATE TABLE deal (id INTEGER PRIMARY KEY, "
        "plan_code VARCHAR(12) NOT NULL REFERENCES plan (code), plan_tier INT, "
        "plan_name VARCHAR(20), seat_tag VARCHAR(10) REFERENCES seat (tag), "
        "FOREIGN KEY (plan_tier, plan_name) REFERENCES plan (tier, name))",
    )

    _fill(any_database, 60)

    orphans = _read(
        any_database,
        "SELECT count(*) FROM deal d LEFT JOIN plan p ON p.tier = d.plan_tier "
        "AND p.name = d.plan_name WHERE d.plan_tier IS NOT NULL AND p.id IS NULL",
    )
    assert orphans == [(0,)]
    assert _read(any_database, "SELECT count(*) FROM staff WHERE boss_code IS NOT NULL")[0][0] > 40
    assert "no violations" in _validates(any_database, capsys)


def test_a_key_into_a_nullable_unique_column_never_copies_a_null(database: Engine) -> None:
    _run(
        database,
        "CREATE TABLE parent (id INTEGER PRIMARY KEY, code VARCHAR(12) UNIQUE);"
        "CREATE TABLE child (id INTEGER PRIMARY KEY, "
        "parent_code VARCHAR(12) NOT NULL REFERENCES parent (code));"
        "CREATE TABLE twin (id INTEGER PRIMARY KEY, "
        "parent_code VARCHAR(12) NOT NULL UNIQUE REFERENCES parent (code))",
    )
    profile = {"parent": {"code": {"null_share": 0.5}}}

    _fill(database, 40, profile=profile, sample_sizes={"twin": 10})

    codes = {c for (c,) in _read(database, "SELECT code FROM parent") if c is not None}
    assert 5 < len(codes) < 35
    assert {c for (c,) in _read(database, "SELECT parent_code FROM child")} <= codes
    assert _read(database, "SELECT count(*) FROM twin") == [(10,)]


@pytest.mark.postgres
def test_postgres_identities_and_generated_columns(
    postgres_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(
        postgres_engine,
        "CREATE TABLE account (id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "serial_no INT GENERATED ALWAYS AS IDENTITY, spare INT GENERATED BY DEFAULT AS IDENTITY, "
        "price NUMERIC(8, 2) NOT NULL, qty INT NOT NULL, "
        "total NUMERIC(12, 2) GENERATED ALWAYS AS (price * qty) STORED);"
        "CREATE TABLE login (id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "account_id INT NOT NULL REFERENCES account (id))",
    )
    table = reflect_database(postgres_engine).table("account")
    # The database numbers serial_no and computes total; syda numbers the key children need.
    assert table.column_names == ("id", "spare", "price", "qty")

    frames = _fill(postgres_engine, 30)

    assert list(frames["account"].columns) == ["id", "spare", "price", "qty"]
    assert _read(postgres_engine, "SELECT min(serial_no), max(serial_no) FROM account") == [(1, 30)]
    assert _read(postgres_engine, "SELECT count(*) FROM account WHERE total = price * qty") == [
        (30,)
    ]
    assert "no violations" in _validates(postgres_engine, capsys)
    # The identity behind the key moved past syda's keys: the application's next row fits.
    with postgres_engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO account (price, qty) VALUES (1, 1)")
    assert _read(postgres_engine, "SELECT max(id) FROM account") == [(31,)]


def test_generated_columns_are_computed_by_the_database(any_database: Engine) -> None:
    _run(
        any_database,
        "CREATE TABLE line (id INTEGER PRIMARY KEY, qty INT NOT NULL, price INT NOT NULL, "
        "total INT GENERATED ALWAYS AS (qty * price) STORED)",
    )

    frames = _fill(any_database, 25)

    assert "total" not in frames["line"]
    assert _read(any_database, "SELECT count(*) FROM line WHERE total = qty * price") == [(25,)]


@pytest.mark.postgres
def test_listmonk_fills_once_its_arrays_have_a_generator(postgres_url: str, tmp_path: Path) -> None:
    # Past its ARRAY columns (issue 10, part 1), listmonk stopped on "KeyError: 'roles'" (a
    # UNIQUE (parent_id, list_id) holding a self-reference), and before that on a partial
    # unique flag (UNIQUE (is_default) WHERE is_default = true).
    listmonk = next(s for s in published.SCHEMAS if s.id == "listmonk-postgresql")
    with published.loaded(listmonk, tmp_path, postgres_url) as engine:
        gen = SyntheticDataGenerator(seed=1)
        gen.register_generator("ARRAY", lambda row, column: [])
        frames = gen.generate_related_data(
            reflect_database(engine), default_sample_size=50, db_url=engine
        )
        counts = {key: _read(engine, f"SELECT count(*) FROM {key}")[0][0] for key in frames}
        defaults = _read(engine, "SELECT count(*) FROM templates WHERE is_default")[0][0]
    assert set(counts.values()) == {50}
    assert defaults <= 1
