"""Uniques of every shape, with the real database as the judge (issue 10, part 3).

Partial unique indexes hold only where their predicate holds, expression indexes and
case-insensitive collations are honoured, and NULLs follow each dialect's rule. Each test creates
the table in a database of its own, reflects it with syda, generates straight into it (the
database enforcing every index), and then checks what the rows look like.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.cli import main
from syda.database import reflect_database
from syda.validation import validate_frame


def _run(engine: Engine, ddl: str) -> None:
    with engine.begin() as connection:
        for statement in ddl.split(";"):
            if statement.strip():
                connection.exec_driver_sql(statement)


def _fill(
    engine: Engine, rows: int, profile: dict[str, Any] | None = None, **options: Any
) -> dict[str, pd.DataFrame]:
    schema = reflect_database(engine)
    return SyntheticDataGenerator(seed=3).generate_related_data(
        schema, default_sample_size=rows, db_url=engine, profile=profile, **options
    )


def _read(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.exec_driver_sql(sql).fetchall()]


@pytest.fixture
def partial_database(request: pytest.FixtureRequest) -> Engine:
    """SQLite, then PostgreSQL: the databases with partial indexes (MariaDB has none)."""
    return request.getfixturevalue(request.param)


PARTIAL = pytest.mark.parametrize(
    "partial_database",
    ["sqlite_engine", pytest.param("postgres_engine", marks=pytest.mark.postgres)],
    indirect=True,
)


@PARTIAL
def test_a_partial_unique_on_a_flag_leaves_one_default_row(partial_database: Engine) -> None:
    # Treated as a full UNIQUE this was "cannot make 40 unique values: a boolean column has
    # only 2 values"; the predicate says only the default rows must differ.
    _run(
        partial_database,
        "CREATE TABLE template (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, "
        "is_default BOOLEAN NOT NULL DEFAULT false);"
        "CREATE UNIQUE INDEX one_default ON template (is_default) WHERE is_default",
    )
    reflected = reflect_database(partial_database).table("template")
    assert ("is_default",) not in reflected.unique_sets
    assert [u.where for u in reflected.unique_indexes] == ["is_default"]

    _fill(partial_database, 40, {"template": {"is_default": {"values": {True: 0.5, False: 0.5}}}})

    assert _read(partial_database, "SELECT count(*) FROM template WHERE is_default") == [(1,)]
    assert _read(partial_database, "SELECT count(*) FROM template") == [(40,)]


@PARTIAL
def test_a_soft_deleted_duplicate_leaves_the_live_index(partial_database: Engine) -> None:
    # UNIQUE (email) WHERE deleted_at IS NULL: a repeated email is a deleted account's.
    _run(
        partial_database,
        "CREATE TABLE account (id INTEGER PRIMARY KEY, email VARCHAR(60) NOT NULL, "
        "deleted_at TIMESTAMP);"
        "CREATE UNIQUE INDEX live_email ON account (email) WHERE deleted_at IS NULL",
    )
    emails = [f"user{i}@example.org" for i in range(10)]
    profile = {
        "account": {
            "email": {"values": emails},
            "deleted_at": {"min": "2024-01-01", "max": "2024-12-31", "null_share": 0.6},
        }
    }

    _fill(partial_database, 60, profile)

    live = _read(partial_database, "SELECT email FROM account WHERE deleted_at IS NULL")
    assert 0 < len(live) <= len(emails)
    assert len(set(live)) == len(live)
    assert _read(partial_database, "SELECT count(*) FROM account") == [(60,)]


@PARTIAL
def test_an_expression_unique_compares_the_expressions(partial_database: Engine) -> None:
    _run(
        partial_database,
        "CREATE TABLE member (id INTEGER PRIMARY KEY, email VARCHAR(60) NOT NULL, "
        "nick VARCHAR(20));"
        "CREATE UNIQUE INDEX member_email ON member (lower(email));"
        "CREATE UNIQUE INDEX member_nick ON member (coalesce(nick, '-'))",
    )
    # Every address in two spellings: distinct as written, not under lower().
    emails = [
        f"{case(n)}@example.org" for n in ("ann", "bob", "eve", "joe") for case in (str, str.upper)
    ]
    emails += [f"user{i}@example.org" for i in range(60)]
    nicks = ["ace", "bee", "cat", "dot", "elk", "fox", "gnu", "hen", "ibis", "jay", "kite", "lark"]
    nicks += ["mole", "newt", "owl", "pika"]
    profile = {
        "member": {
            "email": {"values": emails},
            "nick": {"values": nicks, "null_share": 0.05},
        }
    }

    frames = _fill(partial_database, 11, profile)

    lowered = [e.lower() for (e,) in _read(partial_database, "SELECT email FROM member")]
    assert len(set(lowered)) == 11
    nick = [n for (n,) in _read(partial_database, "SELECT nick FROM member")]
    assert nick.count(None) <= 1  # coalesce(NULL, '-') collides with the next NULL
    assert len(frames["member"]) == 11


def test_sqlite_nocase_columns_and_index_elements_ignore_case(sqlite_engine: Engine) -> None:
    _run(
        sqlite_engine,
        "CREATE TABLE tag (id INTEGER PRIMARY KEY, label TEXT COLLATE NOCASE UNIQUE, "
        "code TEXT NOT NULL);"
        "CREATE UNIQUE INDEX tag_code ON tag (code COLLATE NOCASE)",
    )
    table = reflect_database(sqlite_engine).table("tag")
    assert table.column("label").collation == "NOCASE"
    assert [u.expressions for u in table.unique_indexes] == [("code COLLATE NOCASE",)]
    words = ["red", "Red", "RED", "blue", "Blue", "green", "Green", "teal", "gold", "pink"]
    words += [f"w{i}" for i in range(40)]
    profile = {"tag": {"label": {"values": words}, "code": {"values": words}}}

    _fill(sqlite_engine, 12, profile)

    labels = [label for (label,) in _read(sqlite_engine, "SELECT label FROM tag")]
    assert len({w.lower() for w in labels}) == len(labels) == 12


@pytest.mark.mariadb
def test_mariadb_default_collation_ignores_case_and_accents(mariadb_engine: Engine) -> None:
    _run(
        mariadb_engine,
        "CREATE TABLE city (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL UNIQUE, "
        "code VARCHAR(8) COLLATE utf8mb4_bin NOT NULL UNIQUE) "
        "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    )
    table = reflect_database(mariadb_engine).table("city")
    assert table.column("name").collation == "utf8mb4_general_ci"
    assert table.column("code").collation == "utf8mb4_bin"
    names = ["Sao Paulo", "São Paulo", "SAO PAULO", "Malmo", "Malmö", "Zurich", "Zürich"]
    names += [f"Town {i}" for i in range(40)]
    codes = [c for base in ("ab", "cd", "ef", "gh", "ij", "kl") for c in _spellings(base)]
    profile = {"city": {"name": {"values": names}, "code": {"values": codes}}}

    _fill(mariadb_engine, 10, profile)

    assert _read(mariadb_engine, "SELECT count(DISTINCT name), count(*) FROM city") == [(10, 10)]
    # A binary collation compares exactly: codes differing in case only are all kept.
    assert _read(mariadb_engine, "SELECT count(DISTINCT lower(code)) < 10 FROM city") == [(1,)]


def _spellings(word: str) -> list[str]:
    return [word, word.upper(), word.title(), word[0] + word[1:].upper()]


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[Engine]:
    """A PostgreSQL database of its own: citext is an extension, which lives per database."""
    name = f"syda_uniques_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = sa.create_engine(sa.make_url(postgres_url).set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}"')
        admin.dispose()


@pytest.mark.postgres
def test_postgres_citext_and_nulls_not_distinct(postgres_database: Engine) -> None:
    _run(
        postgres_database,
        "CREATE EXTENSION citext;"
        "CREATE TABLE login (id INTEGER PRIMARY KEY, handle citext NOT NULL UNIQUE, "
        "team INTEGER NOT NULL, seat TEXT, UNIQUE NULLS NOT DISTINCT (team, seat))",
    )
    table = reflect_database(postgres_database).table("login")
    assert [(u.columns, u.nulls_distinct) for u in table.unique_indexes] == [
        (("team", "seat"), False)
    ]
    handles = [h for base in ("ann", "bob", "cy", "di") for h in (base, base.title())]
    handles += [f"user{i}" for i in range(40)]
    profile = {
        "login": {
            "handle": {"values": handles},
            "team": {"values": [1, 2, 3]},
            "seat": {"values": [f"s{i}" for i in range(30)], "null_share": 0.2},
        }
    }

    _fill(postgres_database, 12, profile)

    assert _read(postgres_database, "SELECT count(DISTINCT lower(handle::text)) FROM login") == [
        (12,)
    ]
    per_team = _read(
        postgres_database, "SELECT team, count(*) FROM login WHERE seat IS NULL GROUP BY team"
    )
    assert all(count == 1 for _, count in per_team)


def test_nulls_in_a_unique_column_never_collide_where_the_dialect_says_so(
    any_database: Engine,
) -> None:
    _run(any_database, "CREATE TABLE badge (id INTEGER PRIMARY KEY, serial VARCHAR(20) UNIQUE)")
    profile = {"badge": {"serial": {"values": [f"B{i}" for i in range(50)], "null_share": 0.5}}}

    _fill(any_database, 40, profile)

    nulls = _read(any_database, "SELECT count(*) FROM badge WHERE serial IS NULL")[0][0]
    assert nulls > 5  # many NULLs: none of them collides


def test_append_keeps_the_partial_index(sqlite_engine: Engine) -> None:
    _run(
        sqlite_engine,
        "CREATE TABLE template (id INTEGER PRIMARY KEY, is_default BOOLEAN NOT NULL);"
        "CREATE UNIQUE INDEX one_default ON template (is_default) WHERE is_default",
    )
    profile = {"template": {"is_default": {"values": {True: 0.5, False: 0.5}}}}
    _fill(sqlite_engine, 20, profile)
    _fill(sqlite_engine, 20, profile, if_exists="append")

    assert _read(sqlite_engine, "SELECT count(*), sum(is_default) FROM template") == [(40, 1)]


def test_validation_reports_rows_that_break_a_unique_rule(sqlite_engine: Engine) -> None:
    _run(
        sqlite_engine,
        "CREATE TABLE tag (id INTEGER PRIMARY KEY, label TEXT COLLATE NOCASE UNIQUE, "
        "main BOOLEAN NOT NULL);"
        "CREATE UNIQUE INDEX one_main ON tag (main) WHERE main",
    )
    table = reflect_database(sqlite_engine).table("tag")
    rows = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "label": ["Red", "red", "blue", None],
            "main": [True, False, True, False],
        }
    )

    found = {(v.rule, v.column, v.rows) for v in validate_frame(table, rows)}

    assert found == {("unique", "label", (1,)), ("unique", "main", (2,))}


def test_inspect_shows_the_unique_rules(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(
        sqlite_engine,
        "CREATE TABLE account (id INTEGER PRIMARY KEY, email TEXT NOT NULL, deleted_at DATE);"
        "CREATE UNIQUE INDEX live_email ON account (lower(email)) WHERE deleted_at IS NULL",
    )

    assert main(["inspect", "--db", sqlite_engine.url.render_as_string()]) == 0

    assert "UNIQUE (LOWER(email)) WHERE deleted_at IS NULL" in capsys.readouterr().out


@pytest.mark.postgres
def test_an_index_duckdb_cannot_evaluate_is_left_to_the_database(
    postgres_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    _run(
        postgres_engine,
        "CREATE FUNCTION folded(text) RETURNS text IMMUTABLE LANGUAGE sql "
        "AS $$ SELECT lower($1) $$;"
        "CREATE TABLE person (id INTEGER PRIMARY KEY, name VARCHAR(60) NOT NULL UNIQUE);"
        "CREATE UNIQUE INDEX person_name ON person (folded(name))",
    )

    with caplog.at_level(logging.WARNING, logger="syda"):
        _fill(postgres_engine, 20, {"person": {"name": {"values": [f"N{i}" for i in range(60)]}}})

    assert "the database will judge it" in caplog.text
    assert _read(postgres_engine, "SELECT count(*) FROM person") == [(20,)]


@pytest.mark.postgres
def test_partial_indexes_per_parent_over_an_enum(postgres_engine: Engine) -> None:
    # PostgreSQL writes the predicate as status = 'active'::sub_status: a type DuckDB lacks.
    _run(
        postgres_engine,
        "CREATE TYPE sub_status AS ENUM ('active', 'paused', 'cancelled');"
        "CREATE TABLE owner (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
        "CREATE TABLE subscription (id INTEGER PRIMARY KEY, "
        "owner_id INTEGER NOT NULL REFERENCES owner (id), "
        "status sub_status NOT NULL DEFAULT 'active', is_primary BOOLEAN NOT NULL);"
        "CREATE UNIQUE INDEX one_active ON subscription (owner_id) WHERE status = 'active';"
        "CREATE UNIQUE INDEX one_primary ON subscription (owner_id) WHERE is_primary",
    )

    _fill(postgres_engine, 200, sample_sizes={"owner": 20})

    active = _read(
        postgres_engine,
        "SELECT owner_id, count(*) FROM subscription WHERE status = 'active' GROUP BY owner_id",
    )
    assert len(active) > 15 and {count for _, count in active} == {1}
    assert _read(postgres_engine, "SELECT count(*) FROM subscription") == [(200,)]


@pytest.mark.mariadb
def test_mariadb_prefix_unique_compares_the_first_characters(mariadb_engine: Engine) -> None:
    _run(
        mariadb_engine,
        "CREATE TABLE link (id INT PRIMARY KEY, url TEXT NOT NULL, UNIQUE KEY u (url(16)))",
    )
    (rule,) = reflect_database(mariadb_engine).table("link").unique_indexes
    assert rule.expressions == ("SUBSTRING(`url`, 1, 16)",)
    # Every site three times: distinct as written, not in their first 16 characters.
    urls = [f"https://site{i:02d}.org/{page}" for i in range(40) for page in ("a", "b", "c")]

    _fill(mariadb_engine, 25, {"link": {"url": {"values": urls}}})

    assert _read(mariadb_engine, "SELECT count(DISTINCT left(url, 16)) FROM link") == [(25,)]


@PARTIAL
def test_create_tables_makes_the_partial_and_expression_indexes(partial_database: Engine) -> None:
    # A reflected schema created anew (as in an empty database): the indexes that are no column
    # set come along, so the new table's database enforces them as the original's did.
    _run(
        partial_database,
        "CREATE TABLE member (id INTEGER PRIMARY KEY, email VARCHAR(60) NOT NULL, "
        "is_owner BOOLEAN NOT NULL, left_at TIMESTAMP);"
        "CREATE UNIQUE INDEX live_email ON member (lower(email)) WHERE left_at IS NULL;"
        "CREATE UNIQUE INDEX one_owner ON member (is_owner) WHERE is_owner",
    )
    schema = reflect_database(partial_database)
    _run(partial_database, "DROP TABLE member")
    SyntheticDataGenerator(seed=3).generate_related_data(
        schema, default_sample_size=30, db_url=partial_database, create_tables=True
    )
    table = "member"
    with pytest.raises(sa.exc.IntegrityError), partial_database.begin() as connection:
        connection.exec_driver_sql(
            f"INSERT INTO {table} (id, email, is_owner) VALUES (101, 'A@x.org', false), "
            "(102, 'a@X.org', false)"
        )
    with pytest.raises(sa.exc.IntegrityError), partial_database.begin() as connection:
        connection.exec_driver_sql(
            f"INSERT INTO {table} (id, email, is_owner, left_at) VALUES "
            "(103, 'b@x.org', true, '2024-01-01'), (104, 'c@x.org', true, '2024-01-01')"
        )
    with partial_database.begin() as connection:  # outside both indexes' predicates: allowed
        connection.exec_driver_sql(
            f"INSERT INTO {table} (id, email, is_owner, left_at) VALUES "
            "(105, 'd@x.org', false, '2024-01-01'), (106, 'D@x.org', false, '2024-02-01')"
        )
