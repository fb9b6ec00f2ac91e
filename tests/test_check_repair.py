"""Rows that break a CHECK of any shape are drawn again from candidates built from the check.

Each schema is filled straight into SQLite and PostgreSQL with the CHECKs created in the database,
so the database judges every row; the assertions then read what the candidates made of the
values (each OR branch used, patterns instantiated, orderings kept with believable gaps).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.database import reflect_database
from tests.support import databases

ROWS = 120


def fill(engine: Engine, columns: dict[str, Any], checks: list[str], seed: int = 5) -> pd.DataFrame:
    """Fill table ``t`` into ``engine`` and return its rows as generated."""
    spec = {"t": {"columns": {"id": {"type": "integer", "primary_key": True}, **columns}}}
    spec["t"]["checks"] = checks
    frames = SyntheticDataGenerator(seed=seed).generate_related_data(
        spec, default_sample_size=ROWS, db_url=engine, create_tables=True
    )
    with engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT count(*) FROM t")).scalar_one()
    assert stored == ROWS
    return frames["t"]


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def test_an_or_of_like_patterns_uses_every_pattern(database: Engine) -> None:
    # sakila's film.special_features, as its SQLite DDL writes it.
    frame = fill(
        database,
        {"special_features": {"type": "varchar(100)", "nullable": True}},
        [
            "special_features is null or special_features like '%Trailers%' or "
            "special_features like '%Commentaries%' or special_features like '%Deleted Scenes%'"
        ],
    )
    counts = frame["special_features"].value_counts()
    assert set(counts.index) == {"Trailers", "Commentaries", "Deleted Scenes"}
    assert counts.min() >= ROWS // 6  # each branch is a row's first try equally often


def test_not_between_and_a_list(database: Engine) -> None:
    frame = fill(
        database,
        {"a": {"type": "integer", "min": 0, "max": 1000}, "b": "integer"},
        ["NOT (a BETWEEN 100 AND 900) AND b IN (1, 2, 3)"],
    )
    a = frame["a"]
    assert ((a < 100) | (a > 900)).all() and (a < 100).any() and (a > 900).any()
    assert set(frame["b"]) == {1, 2, 3}


def test_an_ordering_inside_an_or_keeps_believable_gaps(database: Engine) -> None:
    frame = fill(
        database,
        {"opened_on": "date", "closed_on": {"type": "date", "nullable": True}},
        ["closed_on IS NULL OR closed_on > opened_on"],
    )
    closed = frame.dropna(subset=["closed_on"])
    gaps = pd.to_datetime(closed["closed_on"]) - pd.to_datetime(closed["opened_on"])
    assert len(closed) > ROWS // 2
    assert (gaps.dt.days > 0).all()
    assert gaps.dt.days.nunique() > 10  # reflected, not all pushed to the next day


def test_arithmetic_between_columns(database: Engine) -> None:
    frame = fill(
        database,
        {
            "price": "decimal(10,2)",
            "tax": {"type": "decimal(10,2)", "min": 0, "max": 50},
            "total": "decimal(10,2)",
            "stock": "integer",
            "reserved": "integer",
        },
        ["price + tax <= total", "reserved * 2 <= stock OR stock = 0"],
    )
    assert (frame["price"] + frame["tax"] <= frame["total"] + 1e-9).all()
    assert (frame[["price", "tax", "total"]] >= 0).all().all()  # prices stay prices
    assert ((frame["reserved"] * 2 <= frame["stock"]) | (frame["stock"] == 0)).all()


def test_prefix_patterns_keep_a_unique_code_unique(database: Engine) -> None:
    frame = fill(
        database,
        {"code": {"type": "varchar(30)", "unique": True}},
        ["code LIKE 'PRD-%' OR code LIKE 'SRV-%'"],
    )
    codes = frame["code"]
    assert codes.is_unique
    assert codes.str.match(r"(PRD|SRV)-.+").all()
    assert codes.str.startswith("PRD-").any() and codes.str.startswith("SRV-").any()


def test_a_column_equal_to_a_function_of_itself(database: Engine) -> None:
    frame = fill(database, {"city": "varchar(60)"}, ["upper(city) = city"])
    assert (frame["city"] == frame["city"].str.upper()).all()
    assert frame["city"].str.len().min() > 2  # the provider's city, upper-cased


def test_not_of_a_conjunction_over_two_columns(database: Engine) -> None:
    frame = fill(
        database,
        {
            "status": {"type": "varchar(10)", "enum": ["open", "closed", "void"]},
            "closed_at": {"type": "datetime", "nullable": True},
        },
        ["NOT (status = 'closed' AND closed_at IS NULL)", "closed_at IS NULL OR status <> 'open'"],
    )
    assert not ((frame["status"] == "closed") & frame["closed_at"].isna()).any()
    assert not ((frame["status"] == "open") & frame["closed_at"].notna()).any()


def test_an_exact_length(database: Engine) -> None:
    frame = fill(
        database,
        {"code": {"type": "varchar(20)", "nullable": True}},
        ["length(code) = 6 OR code IS NULL"],
    )
    assert (frame["code"].dropna().str.len() == 6).all()


def test_a_regex_shape_in_each_dialect(database: Engine) -> None:
    check = (
        "code ~ '^[A-Z]{2}[0-9]{3}$' OR code = 'none'"
        if is_postgres(database)
        else "code GLOB '[A-Z][A-Z][0-9][0-9][0-9]' OR code = 'none'"
    )
    frame = fill(database, {"code": "varchar(10)"}, [check])
    assert frame["code"].map(lambda c: c == "none" or re.fullmatch(r"[A-Z]{2}\d{3}", c)).all()


def test_a_boolean_condition(database: Engine) -> None:
    frame = fill(
        database,
        {"active": "boolean", "score": {"type": "integer", "min": 0, "max": 100}},
        ["NOT active OR score >= 50"],
    )
    assert (~frame["active"].astype(bool) | (frame["score"] >= 50)).all()
    assert frame["active"].astype(bool).any() and (~frame["active"].astype(bool)).any()


def test_rows_that_pass_keep_their_values() -> None:
    columns = {"a": {"type": "integer", "min": 0, "max": 100}}
    base = {"t": {"columns": {"id": {"type": "integer", "primary_key": True}, **columns}}}
    free = SyntheticDataGenerator(seed=9).generate_data(base, sample_size=ROWS)
    checked = {"t": {**base["t"], "checks": ["a <> 50 OR a IS NULL"]}}
    kept = SyntheticDataGenerator(seed=9).generate_data(checked, sample_size=ROWS)
    passing = free["a"] != 50
    assert (kept["a"][passing] == free["a"][passing]).all()
    assert (kept["a"] != 50).all()


def test_a_decimal_in_list_of_values_floats_cannot_hold(database: Engine) -> None:
    # 0.1 and 0.2 are no binary floats: the CHECK's Decimals and the drawn values still agree.
    frame = fill(database, {"rate": "decimal(10,2)"}, ["rate IN (0.1, 0.2)"])
    assert set(frame["rate"].astype(float)) == {0.1, 0.2}


def test_sqlite_datetimes_are_judged_as_the_text_sqlite_compares(tmp_path: Path) -> None:
    # SQLite holds 05:06:07 as '2021-03-04 05:06:07.000000', which is after '... 05:06:07'.
    engine = databases.sqlite_engine(tmp_path / "t.db")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, at DATETIME NOT NULL, "
            "CHECK (at BETWEEN '2021-03-04 05:06:06' AND '2021-03-04 05:06:07' OR at > at))"
        )
    frames = SyntheticDataGenerator(seed=2).generate_related_data(
        reflect_database(engine), default_sample_size=ROWS, db_url=engine
    )
    engine.dispose()
    at = pd.to_datetime(frames["t"]["at"])
    assert (at.dt.floor("s") == pd.Timestamp("2021-03-04 05:06:06")).all()


def test_a_check_that_is_a_bare_boolean_column(database: Engine) -> None:
    frame = fill(database, {"active": "boolean", "note": "varchar(20)"}, ["active"])
    assert frame["active"].astype(bool).all()


def test_a_sqlite_glob_is_drawn_as_a_pattern(tmp_path: Path) -> None:
    engine = databases.sqlite_engine(tmp_path / "t.db")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL "
            "CHECK (code GLOB '[A-Z][A-Z]-[0-9]*'))"
        )
    schema = reflect_database(engine)
    assert schema.table("t").column("code").pattern == "[A-Z][A-Z]\\-[0-9].*"
    frames = SyntheticDataGenerator(seed=4).generate_related_data(
        schema, default_sample_size=ROWS, db_url=engine
    )
    engine.dispose()
    assert frames["t"]["code"].str.fullmatch(r"[A-Z]{2}-[0-9].*").all()
