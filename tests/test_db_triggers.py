"""Triggers, read from each database: a table a trigger fills is not filled twice, and ``syda
inspect`` lists the triggers that overwrite generated values (issue 10, part 6)."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.cli import main
from syda.database import reflect_database


def _run(engine: Engine, statements: list[str]) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def _fill(engine: Engine, rows: int, **options: Any) -> dict[str, pd.DataFrame]:
    return SyntheticDataGenerator(seed=2).generate_related_data(
        reflect_database(engine), default_sample_size=rows, db_url=engine, **options
    )


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def _cli(engine: Engine, command: str, capsys: pytest.CaptureFixture[str]) -> str:
    args = [command, "--db", engine.url.render_as_string(hide_password=False)]
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            args += ["--schema", connection.exec_driver_sql("SELECT current_schema()").scalar()]
    capsys.readouterr()
    assert main(args) == 0
    return capsys.readouterr().out


TABLES = [
    "CREATE TABLE film (film_id INTEGER PRIMARY KEY, title VARCHAR(80) NOT NULL, "
    "description VARCHAR(200), last_update TIMESTAMP)",
    "CREATE TABLE film_copy (film_id INTEGER PRIMARY KEY, title VARCHAR(80) NOT NULL, "
    "description VARCHAR(200))",
]

# The same two triggers in each dialect: one copies each new film into film_copy (as sakila's
# ins_film fills film_text), one stamps last_update.
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER copy_film AFTER INSERT ON film BEGIN "
        "INSERT INTO film_copy (film_id, title, description) "
        "VALUES (new.film_id, new.title, new.description); END",
        "CREATE TRIGGER stamp_film AFTER INSERT ON film BEGIN "
        "UPDATE film SET last_update = DATETIME('NOW') WHERE rowid = new.rowid; END",
    ],
    "postgresql": [
        "CREATE FUNCTION copy_film() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO film_copy (film_id, title, description) "
        "VALUES (NEW.film_id, NEW.title, NEW.description); RETURN NEW; END $$",
        "CREATE TRIGGER copy_film AFTER INSERT ON film FOR EACH ROW EXECUTE FUNCTION copy_film()",
        "CREATE FUNCTION stamp_film() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.title = '' THEN RETURN NULL; END IF; "
        "NEW.last_update := now(); RETURN NEW; END $$",
        "CREATE TRIGGER stamp_film BEFORE INSERT ON film "
        "FOR EACH ROW EXECUTE FUNCTION stamp_film()",
    ],
    "mysql": [
        "CREATE TRIGGER copy_film AFTER INSERT ON film FOR EACH ROW BEGIN "
        "INSERT INTO film_copy (film_id, title, description) "
        "VALUES (new.film_id, new.title, new.description); END",
        "CREATE TRIGGER stamp_film BEFORE INSERT ON film FOR EACH ROW SET NEW.last_update = NOW()",
    ],
}


@pytest.fixture
def films(any_database: Engine) -> Engine:
    _run(any_database, TABLES + TRIGGERS[any_database.dialect.name])
    return any_database


def test_triggers_are_reflected_with_what_they_write(films: Engine) -> None:
    film = reflect_database(films).table("film")

    found = {t.name: (t.events, t.sets, t.fills) for t in film.triggers}

    assert found == {
        "copy_film": (("INSERT",), (), ("film_copy",)),
        "stamp_film": (("INSERT",), ("last_update",), ()),
    }


def test_a_table_a_trigger_fills_is_not_filled_twice(
    films: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    # Filled by syda too, the copies collided with the trigger's: a duplicate key, no rows.
    frames = _fill(films, 30)

    assert len(frames["film"]) == 30 and len(frames["film_copy"]) == 0
    assert _count(films, "film_copy") == 30
    assert "no violations" in _cli(films, "validate", capsys)


def test_inspect_lists_the_triggers_that_overwrite_generated_values(
    films: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _cli(films, "inspect", capsys)

    assert "Triggers the database runs on the rows syda writes:" in out
    timing = "BEFORE" if films.dialect.name != "sqlite" else "AFTER"
    assert f"film: stamp_film ({timing} INSERT) overwrites last_update" in out
    assert "film: copy_film (AFTER INSERT) fills film_copy, whose rows syda leaves" in out


def test_append_and_an_asked_size_leave_the_trigger_in_charge(
    sqlite_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    _run(sqlite_engine, TABLES + TRIGGERS["sqlite"])
    _fill(sqlite_engine, 10)
    with caplog.at_level(logging.WARNING, logger="syda"):
        _fill(sqlite_engine, 10, sample_sizes={"film_copy": 5}, if_exists="append")

    assert _count(sqlite_engine, "film") == _count(sqlite_engine, "film_copy") == 20
    assert "trigger copy_film on film fills it: syda writes none" in caplog.text


def test_a_filled_table_other_tables_point_at_is_still_generated(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(
        sqlite_engine,
        [
            "CREATE TABLE event (id INTEGER PRIMARY KEY, kind VARCHAR(20))",
            "CREATE TABLE journal (id INTEGER PRIMARY KEY, note VARCHAR(40))",
            "CREATE TABLE reply (id INTEGER PRIMARY KEY, "
            "journal_id INTEGER NOT NULL REFERENCES journal (id))",
            "CREATE TRIGGER log_event AFTER INSERT ON event BEGIN "
            "INSERT INTO journal (note) VALUES (new.kind); END",
        ],
    )

    out = _cli(sqlite_engine, "inspect", capsys)

    # Replies need journal rows before the database has any: syda makes them, and says so.
    assert "event: log_event (AFTER INSERT) fills journal, which syda fills too" in out
    assert "journal (journal), 10 rows" in out


# rosariosis' shape: a trigger on grades calls a routine that calls another, which adds a stats
# row per (student, term) when there is none yet: rows the trigger derives, not one per grade.
DERIVED = {
    "postgresql": [
        "CREATE FUNCTION add_stats(s integer, t integer) RETURNS integer LANGUAGE plpgsql AS $$ "
        "BEGIN IF NOT EXISTS (SELECT 1 FROM stats WHERE student = s AND term = t) THEN "
        "INSERT INTO stats (student, term) VALUES (s, t); END IF; RETURN 1; END $$",
        "CREATE FUNCTION update_stats(s integer, t integer) RETURNS integer LANGUAGE plpgsql "
        "AS $$ BEGIN PERFORM add_stats(s, t); RETURN 1; END $$",
        "CREATE FUNCTION on_grade() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "PERFORM update_stats(NEW.student, NEW.term); RETURN NEW; END $$",
        "CREATE TRIGGER grade_stats AFTER INSERT ON grade FOR EACH ROW EXECUTE FUNCTION on_grade()",
    ],
    "mysql": [
        "CREATE PROCEDURE add_stats(s integer, t integer) BEGIN "
        "IF NOT EXISTS (SELECT 1 FROM stats WHERE student = s AND term = t) THEN "
        "INSERT INTO stats (student, term) VALUES (s, t); END IF; END",
        "CREATE PROCEDURE update_stats(s integer, t integer) BEGIN CALL add_stats(s, t); END",
        "CREATE TRIGGER grade_stats AFTER INSERT ON grade FOR EACH ROW "
        "CALL update_stats(NEW.student, NEW.term)",
    ],
}


def test_a_table_a_trigger_derives_rows_into_through_routines(
    any_database: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    if any_database.dialect.name == "sqlite":
        pytest.skip("SQLite has no stored routines")
    _run(
        any_database,
        [
            "CREATE TABLE grade (id INTEGER PRIMARY KEY, student INTEGER NOT NULL, "
            "term INTEGER NOT NULL CHECK (term BETWEEN 1 AND 4), mark INTEGER)",
            "CREATE TABLE stats (student INTEGER NOT NULL, term INTEGER NOT NULL, rank INTEGER, "
            "PRIMARY KEY (student, term))",
            *DERIVED[any_database.dialect.name],
        ],
    )
    (trigger,) = reflect_database(any_database).table("grade").triggers
    assert trigger.fills == ("stats",) and trigger.copies == ()

    frames = _fill(any_database, 60)

    pairs = frames["grade"][["student", "term"]].drop_duplicates()
    assert len(frames["stats"]) == 0  # syda writes none: the database derives them
    assert _count(any_database, "stats") == len(pairs) < 60
    out = _cli(any_database, "inspect", capsys)
    assert "grade: grade_stats (AFTER INSERT) fills stats with rows it derives" in out
