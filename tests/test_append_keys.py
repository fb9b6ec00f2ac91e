"""Appending to a database: new keys are drawn to avoid the ones already there (issue 10).

Each case creates its table in a real database, fills it, then appends to it; the database's own
PRIMARY KEY and UNIQUE constraints are the judge of the second run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.database import read_tables, reflect_database
from tests.support import databases, published

ROWS = 20

# Natural keys of every shape: text, CHAR (which PostgreSQL reads back padded), composite.
NATURAL_KEYS = {
    "text": "create table t(code varchar(10) primary key, name varchar(40), n int, unique(name))",
    "char": "create table t(code char(4) primary key, name varchar(40) not null)",
    "composite char": (
        "create table t(a char(64) not null, b char(64) not null, n int, primary key(a, b))"
    ),
    "composite text": (
        "create table t(country varchar(20) not null, city varchar(40) not null, "
        "n int, primary key(country, city), unique(n))"
    ),
}


def _create(engine: Engine, *statements: str) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def _fill(engine: Engine, mode: str, rows: int = ROWS, **options: object) -> None:
    SyntheticDataGenerator(seed=0).generate_related_data(
        reflect_database(engine),
        default_sample_size=rows,
        db_url=engine,
        if_exists=mode,
        **options,  # type: ignore[arg-type]
    )


def _stored(engine: Engine, table: str) -> pd.DataFrame:
    return read_tables(reflect_database(engine), engine)[table]


@pytest.mark.parametrize("ddl", NATURAL_KEYS.values(), ids=NATURAL_KEYS.keys())
def test_an_append_draws_keys_the_existing_rows_do_not_hold(any_database: Engine, ddl: str) -> None:
    _create(any_database, ddl)
    _fill(any_database, "fail")
    _fill(any_database, "append")  # the database refuses a repeated key
    rows = _stored(any_database, "t")
    assert len(rows) == 2 * ROWS
    key = reflect_database(any_database).table("t").primary_key
    stripped = rows[list(key)].apply(lambda c: c.str.rstrip(" "))
    assert not stripped.duplicated().any()


def test_the_cli_appends_to_a_natural_text_key(tmp_path: Path) -> None:
    # The case as a user met it: a second run of the same command (the same seed) appended.
    engine = databases.sqlite_engine(tmp_path / "t.db")
    _create(engine, "create table t(code varchar(10) primary key, name text)")
    url = published.url_of(engine)
    for extra in ((), ("--if-exists", "append"), ("--if-exists", "append")):
        run = published.run_cli("generate", "--db", url, "--rows", ROWS, "-q", *extra)
        assert run.code == 0, run.err
    codes = _stored(engine, "t")["code"]
    assert len(codes) == 3 * ROWS and codes.is_unique
    # Codes number on from the existing rows instead of getting a suffix.
    assert codes.str.len().max() <= 10 and not codes.str.contains(" ").any()
    assert published.run_cli("validate", "--db", url, "-q").code == 0
    engine.dispose()
