"""The CHECK evaluator, judged by real databases, and its place in generation.

The judge: a table with one CHECK is created in SQLite (and PostgreSQL when reachable), reflected
by syda (so the check reads as that database renders it, ``::text`` casts and ``~~`` included),
and every row of a random frame is inserted on its own; the rows the database refuses must be
exactly the rows :func:`~syda.validation.failing_rows` reports.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import GenerationError, SchemaError, SyntheticDataGenerator
from syda.database import reflect_database
from syda.schema import Check, Column, Table, load_schema
from syda.validation import CheckEvaluationError, failing_rows, validate_frame

PORTABLE = [
    "a < 0 OR a > 10",
    "NOT (a BETWEEN 2 AND 8)",
    "a IN (1, 3, 5) OR b IN (2, 4)",
    "name LIKE 'a%'",
    "name NOT LIKE '%b%' OR a > 5",
    "a + b <= 12",
    "a * 2 - b > 0 OR a IS NULL",
    "length(name) BETWEEN 1 AND 5",
    "lower(name) = name",
    "coalesce(a, 0) + coalesce(b, 0) < 15",
    "name IS NULL OR code IS NOT NULL",
    "a / 2 < 3",
    "a % 3 <> 0",
    "price > 1.5 OR price < -1",
    "upper(substr(name, 1, 1)) = substr(name, 1, 1)",
    "a <> b",
    "CASE WHEN a > 5 THEN b > 0 ELSE a < 3 END",
    "trim(name) = name AND code <> ''",
    "d >= '2020-03-01' OR d IS NULL",
]
POSTGRES_ONLY = [
    "code ~ '^[A-Z]{2}[0-9]$'",
    "code !~* '^zz'",
    "a::numeric / 4 > 1.2",
    "name = ANY (ARRAY['abc', 'x', 'ABC'])",
    "name ILIKE '%B%' OR b IS NULL",
    "(price * 4)::integer % 2 = 0",
]
DDL_COLUMNS = (
    "id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, price NUMERIC(10, 2), "
    "name VARCHAR(20), code VARCHAR(10), d DATE"
)
NAMES = ["abc", "ABC", "Abc", "x", "", " hello", "a_b", "a%b", "zz9", "bob", "Alice", None]
CODES = ["AB1", "ab1", "ZZ3", "zz3", "A1", "XY12", "", None]


def random_rows(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def with_nulls(values: pd.Series) -> pd.Series:
        return values.mask(rng.random(n) < 0.12)

    start = date(2020, 1, 1)
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "a": with_nulls(pd.Series(rng.integers(-3, 14, n))).astype("Int64"),
            "b": with_nulls(pd.Series(rng.integers(-3, 14, n))).astype("Int64"),
            "price": with_nulls(pd.Series(rng.integers(-12, 12, n) / 4)),
            "name": pd.Series(rng.choice(np.array(NAMES, dtype=object), n), dtype=object),
            "code": pd.Series(rng.choice(np.array(CODES, dtype=object), n), dtype=object),
            "d": pd.Series(
                [start + timedelta(days=int(k)) for k in rng.integers(0, 120, n)], dtype=object
            ).mask(rng.random(n) < 0.1),
        }
    )


def refused_by(engine: Engine, check: str, rows: pd.DataFrame) -> np.ndarray:
    """Insert each row into a table with ``check``; which ones the database refuses."""
    ddl = f"CREATE TABLE judged ({DDL_COLUMNS}, CHECK ({check}))"
    with engine.begin() as conn:
        # psycopg reads % as a placeholder in driver SQL; SQLite's file is not synced per row.
        conn.exec_driver_sql(ddl if engine.dialect.name == "sqlite" else ddl.replace("%", "%%"))
    records = rows.astype(object).where(rows.notna(), None).to_dict("records")
    if engine.dialect.name == "sqlite":
        return refused_by_sqlite(engine, records)
    # Each row is inserted on its own, server-side: a row refused by the CHECK is recorded.
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE staged ({DDL_COLUMNS})")
        conn.execute(
            sa.text("INSERT INTO staged VALUES (:id, :a, :b, :price, :name, :code, :d)"),
            records,
        )
        conn.exec_driver_sql("CREATE TABLE refused (id INTEGER)")
        conn.exec_driver_sql(
            "DO $$ DECLARE r staged%%ROWTYPE; BEGIN FOR r IN SELECT * FROM staged LOOP "
            "BEGIN INSERT INTO judged SELECT (r).*; "
            "EXCEPTION WHEN check_violation THEN INSERT INTO refused VALUES (r.id); END; "
            "END LOOP; END $$"
        )
        ids = {row[0] for row in conn.exec_driver_sql("SELECT id FROM refused")}
        conn.exec_driver_sql("DROP TABLE staged")
        conn.exec_driver_sql("DROP TABLE refused")
    refused = rows["id"].isin(ids).to_numpy()
    return refused


def refused_by_sqlite(engine: Engine, records: list[dict[str, Any]]) -> np.ndarray:
    # One autocommitted statement per row, unsynced: the file is thrown away afterwards.
    raw = engine.raw_connection()
    try:
        raw.driver_connection.isolation_level = None  # type: ignore[union-attr]
        raw.execute("PRAGMA synchronous = OFF")
        refused = np.zeros(len(records), dtype=bool)
        for i, record in enumerate(records):
            if record["d"] is not None:
                record["d"] = record["d"].isoformat()  # SQLite keeps dates as ISO text
            try:
                raw.execute(
                    "INSERT INTO judged VALUES (:id, :a, :b, :price, :name, :code, :d)", record
                )
            except sqlite3.IntegrityError:
                refused[i] = True
    finally:
        raw.close()
    return refused


def judged_checks(engine: Engine, check: str, rows: pd.DataFrame) -> None:
    refused = refused_by(engine, check, rows)
    table = reflect_database(engine).table("judged")
    (reflected,) = table.checks
    found = failing_rows(table, rows, table.checks)
    verdict = found[0][1] if found else np.zeros(len(rows), dtype=bool)
    differ = np.flatnonzero(verdict != refused)
    assert not len(differ), (
        f"{check!r} (reflected as {reflected.sqltext!r}): the database and the evaluator "
        f"disagree on rows {rows.iloc[differ[:5]].to_dict('records')}"
    )
    assert refused.any() and not refused.all(), "a judged check must split the rows"


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return random_rows(160, seed=7)


@pytest.mark.parametrize("check", PORTABLE)
def test_evaluator_agrees_with_sqlite_row_by_row(
    check: str, rows: pd.DataFrame, sqlite_engine: Engine
) -> None:
    judged_checks(sqlite_engine, check, rows)


@pytest.mark.postgres
@pytest.mark.parametrize("check", PORTABLE + POSTGRES_ONLY)
def test_evaluator_agrees_with_postgres_row_by_row(
    check: str, rows: pd.DataFrame, postgres_engine: Engine
) -> None:
    judged_checks(postgres_engine, check, rows)


def one_table(checks: Sequence[str], dialect: str | None = None) -> Table:
    table = load_schema(
        {"t": {"columns": {"id": "integer", "name": "string", "a": "integer"}, "checks": checks}}
    ).table("t")
    if dialect is None:
        return table
    return Table(
        table.key,
        table.name,
        table.columns,
        checks=tuple(Check(c, dialect=dialect) for c in checks),
    )


def test_like_without_a_known_dialect_must_hold_case_sensitive_and_not() -> None:
    frame = pd.DataFrame({"id": [1, 2, 3], "name": ["abc", "Abc", "xbc"], "a": [1, 1, 1]})
    checks = ["name LIKE 'a%' OR a > 1"]
    for dialect, broken in [(None, [1, 2]), ("postgresql", [1, 2]), ("sqlite", [2])]:
        found = failing_rows(one_table(checks, dialect), frame)
        assert list(np.flatnonzero(found[0][1])) == broken, dialect
    negated = ["name NOT LIKE 'a%' OR a > 1"]
    for dialect, broken in [(None, [0, 1]), ("postgresql", [0]), ("mysql", [0, 1])]:
        found = failing_rows(one_table(negated, dialect), frame)
        assert list(np.flatnonzero(found[0][1])) == broken, dialect


def test_mysql_backticks_and_bracket_quoting_are_read() -> None:
    frame = pd.DataFrame({"id": [1, 2], "name": ["x", "y"], "a": [5, -5]})
    for check in ["`a` > 0 OR `name` = 'q'", "[a] > 0 OR [name] = 'q'"]:
        ((_, mask),) = failing_rows(one_table([check]), frame)
        assert list(mask) == [False, True], check


def test_a_check_the_evaluator_cannot_run_is_an_error_never_a_pass() -> None:
    table = one_table(["no_such_function(a) > 0"])
    frame = pd.DataFrame({"id": [1], "name": ["x"], "a": [1]})
    with pytest.raises(CheckEvaluationError, match="no_such_function"):
        failing_rows(table, frame)
    (violation,) = validate_frame(table, frame)
    assert violation.rule == "check" and "cannot evaluate" in violation.message


def test_a_check_on_a_generated_column_cannot_be_evaluated() -> None:
    table = Table(
        "t",
        "t",
        (Column("a", "integer"), Column("total", "integer", generated=True)),
        checks=(Check("total > a OR a < 0"),),
    )
    with pytest.raises(CheckEvaluationError, match="computed by the database"):
        failing_rows(table, pd.DataFrame({"a": [1, 2]}))


def test_validation_reports_each_broken_check_with_its_text() -> None:
    table = one_table(["a < 0 OR a > 100", "lower(name) = name"])
    frame = pd.DataFrame({"id": [1, 2, 3], "name": ["ab", "Ab", "cd"], "a": [-1, 5, 500]})
    violations = validate_frame(table, frame)
    assert [(v.rule, v.column, v.rows) for v in violations] == [
        ("check", "a", (1,)),
        ("check", "name", (1,)),
    ]
    assert "CHECK (a < 0 OR a > 100)" in violations[0].message


def test_generation_stops_naming_a_check_it_cannot_satisfy() -> None:
    # The column's own bounds leave no value the check takes (and NULL is not allowed).
    a = {"type": "integer", "min": 0, "max": 100, "nullable": False}
    schema = {
        "t": {
            "columns": {"id": {"type": "integer", "primary_key": True}, "a": a},
            "checks": ["a < 0 OR a > 1000000000000"],
        }
    }
    with pytest.raises(GenerationError) as caught:
        SyntheticDataGenerator().generate_data(schema, sample_size=50)
    error = caught.value
    assert (error.rule, error.table, error.column) == ("check", "t", "a")
    assert "50 rows still break CHECK (a < 0 OR a > 1000000000000)" in str(error)
    assert re.search(r"e\.g\. \{'a': \d+\}, \{'a': \d+\}, \{'a': \d+\}", str(error))


def test_a_check_over_keys_alone_fails_without_re_asking() -> None:
    # Re-asking the provider cannot change a key made by construction: no round is spent.
    schema = {
        "t": {
            "columns": {"id": {"type": "integer", "primary_key": True}, "a": "integer"},
            "checks": ["id > 1000 OR id < 0"],
        }
    }
    with pytest.raises(GenerationError) as caught:
        SyntheticDataGenerator().generate_data(schema, sample_size=20)
    error = caught.value
    assert (error.rule, error.column, error.attempts) == ("check", "id", 0)
    assert "20 rows break CHECK (id > 1000 OR id < 0)" in str(error)


def test_rows_breaking_a_satisfiable_check_are_redrawn() -> None:
    schema = {
        "t": {
            "columns": {
                "id": {"type": "integer", "primary_key": True},
                "a": {"type": "integer", "min": 0, "max": 100},
            },
            # Some of 300 uniform draws break them (all in 40-42 never do by chance: p < 1e-4).
            "checks": ["a < 90 OR a % 2 = 0", "NOT (a BETWEEN 40 AND 42)"],
        }
    }
    generator = SyntheticDataGenerator()
    frame = generator.generate_data(schema, sample_size=300)
    assert len(frame) == 300
    a = frame["a"].to_numpy()
    assert (((a < 90) | (a % 2 == 0)) & ((a < 40) | (a > 42))).all()
    assert (a > 90).any() and (a % 2 == 1).any()


def test_checks_refused_at_load_name_table_check_and_reason() -> None:
    cases = {
        "zz > 3": "names no column of the table: 'zz'",
        "))) DROP TABLE x;--": "not valid SQL",
        "a > 1; DROP TABLE t": "not 2 statements",
        "a > 1;": "not a statement ending in ';'",
        "a IN (SELECT 1)": "subquery",
        "max(a) > 1": "aggregate",
    }
    for check, reason in cases.items():
        with pytest.raises(SchemaError) as caught:
            load_schema({"t": {"columns": {"a": "integer"}, "checks": [check]}})
        assert f"t: check {check!r} is refused" in str(caught.value)
        assert reason in str(caught.value)


def test_a_large_frame_is_judged_row_by_row() -> None:
    # Throughput is measured by benchmarks/check_eval.py; here only the verdicts at some size.
    n = 30_000
    table = one_table(["a < 0 OR a > 10", "lower(name) = name OR a / 2 = 3"])
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "name": rng.choice(np.array(["ab", "Ab", "cd"], dtype=object), n),
            "a": rng.integers(-5, 20, n),
        }
    )
    found = failing_rows(table, frame)
    assert len(found) == 2
    a, name = frame["a"].to_numpy(), frame["name"].to_numpy()
    assert (found[0][1] == ((a >= 0) & (a <= 10))).all()
    # With no dialect the check reads as PostgreSQL's: integer division truncates, so a / 2 = 3
    # holds for 6 and 7, and only those save an upper-case name.
    assert (found[1][1] == ((name == "Ab") & ~np.isin(a, [6, 7]))).all()


def test_integers_held_as_floats_still_divide_as_integers() -> None:
    # A NULL makes pandas hold an integer column as floats; PostgreSQL still truncates 7 / 2.
    table = one_table(["a / 2 = 3"], dialect="postgresql")
    frame = pd.DataFrame({"id": [1, 2, 3], "name": ["x", "y", "z"], "a": [7.0, 8.0, None]})
    ((_, mask),) = failing_rows(table, frame)
    assert mask.tolist() == [False, True, False]
