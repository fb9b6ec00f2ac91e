"""Seeders that start together (replicas of one application) give exactly one dataset."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import ConfigurationError, OutputError, SyntheticDataGenerator, load_schema
from syda.database import database_status, seed_database, write_database

SEEDERS = 4
ROWS = 20
SCHEMA = """\
customers:
  id: {type: integer, primary_key: true}
  name: {type: string, max_length: 60}
orders:
  id: {type: integer, primary_key: true}
  customer_id: {references: customers.id}
  total: {type: "decimal(10,2)", min: 1, max: 500}
events:                     # no primary key: a second seed would double its rows
  customer_id: {references: customers.id}
  kind: {type: string, max_length: 20}
"""
SCHEMA_DICT: dict[str, Any] = {
    "customers": {"id": {"type": "integer", "primary_key": True}, "name": "string"},
    "orders": {
        "id": {"type": "integer", "primary_key": True},
        "customer_id": {"references": "customers.id"},
    },
    "events": {"customer_id": {"references": "customers.id"}, "kind": "string"},
}
ONE_RUN = {"customers": ROWS, "orders": ROWS, "events": ROWS}

CASES = [
    pytest.param("sqlite_engine", False, id="sqlite"),
    pytest.param("postgres_engine", False, id="postgresql-no-tables", marks=pytest.mark.postgres),
    pytest.param("postgres_engine", True, id="postgresql-empty-tables", marks=pytest.mark.postgres),
    pytest.param("mariadb_engine", False, id="mariadb", marks=pytest.mark.mariadb),
]


def syda_command() -> str:
    found = shutil.which("syda", path=str(Path(sys.executable).parent)) or shutil.which("syda")
    assert found, "the syda command is not installed (pip install -e .)"
    return found


def current_schema(engine: Engine) -> str | None:
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        name = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    return str(name)


@pytest.mark.parametrize(("fixture", "tables_exist"), CASES)
def test_concurrent_seed_processes_give_one_dataset(
    request: pytest.FixtureRequest, tmp_path: Path, fixture: str, tables_exist: bool
) -> None:
    engine: Engine = request.getfixturevalue(fixture)
    schema_file = tmp_path / "schema.yaml"
    schema_file.write_text(SCHEMA)
    db_schema = current_schema(engine)  # the fixture's fresh PostgreSQL schema
    if tables_exist:
        write_database(load_schema(str(schema_file)), {}, engine, create_tables=True)
    url = engine.url.render_as_string(hide_password=False)
    command = [syda_command(), "seed", str(schema_file), "--db", url, "--rows", str(ROWS)]
    if db_schema is not None:
        command += ["--schema", db_schema]

    seeders = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(SEEDERS)
    ]
    done = [(p.wait(timeout=120), *(s.decode() for s in p.communicate())) for p in seeders]

    assert [code for code, _, _ in done] == [0] * SEEDERS, done
    assert not any("error" in err for _, _, err in done), done
    outs = [out for _, out, _ in done]
    seeded = [out for out in outs if "\nseeded " in out]
    assert len(seeded) == 1, outs
    assert (
        f"seeded {engine.url.render_as_string()}: filled 3 tables with {3 * ROWS} rows" in seeded[0]
    )
    others = [out for out in outs if out not in seeded]
    assert len(others) == SEEDERS - 1
    for out in others:
        assert "not seeded: customers (20 rows), orders (20 rows), events (20 rows)" in out, out
        assert out.count("\n") == 1, out  # one line, nothing of a failed write
    assert database_status(str(schema_file), engine, db_schema=db_schema) == ONE_RUN


class HeldGenerator(SyntheticDataGenerator):
    """Generates only once told to: the seed lock is held meanwhile."""

    def __init__(self) -> None:
        super().__init__(seed=0)
        self.generating = threading.Event()
        self.go_on = threading.Event()

    def generate_related_data(self, *args: Any, **kwargs: Any) -> dict[str, pd.DataFrame]:
        self.generating.set()
        assert self.go_on.wait(timeout=30)
        frames: dict[str, pd.DataFrame] = super().generate_related_data(*args, **kwargs)
        return frames


def test_a_seeder_that_waits_too_long_fails_with_one_clear_line(any_database: Engine) -> None:
    models = load_schema(SCHEMA_DICT)
    holder = HeldGenerator()
    results: list[Any] = []
    first = threading.Thread(
        target=lambda: results.append(
            seed_database(models, any_database, generator=holder, default_sample_size=3)
        )
    )
    first.start()
    try:
        assert holder.generating.wait(timeout=30)
        started = time.monotonic()
        with pytest.raises(OutputError) as caught:
            seed_database(models, any_database, default_sample_size=3, lock_timeout=0.5)
        waited = time.monotonic() - started
    finally:
        holder.go_on.set()
        first.join(timeout=30)
    message = str(caught.value)
    assert 0.5 <= waited < 5
    assert "\n" not in message
    assert message.startswith("another seeder of ")
    assert any_database.url.render_as_string() in message
    assert "still held the seed lock after 0.5 s: nothing was written" in message
    assert message.endswith("(wait longer with a larger lock_timeout)")
    assert [r.seeded for r in results] == [True]
    assert database_status(models, any_database) == {"customers": 3, "orders": 3, "events": 3}
    again = seed_database(models, any_database, lock_timeout=0)  # free again: no wait
    assert not again.seeded and "waiting" not in again.reason


def test_the_cli_says_which_option_waits_longer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from syda.cli import main

    url = f"sqlite:///{tmp_path / 'dev.db'}"
    holder = HeldGenerator()
    first = threading.Thread(
        target=seed_database,
        args=(SCHEMA_DICT, url),
        kwargs={"generator": holder, "default_sample_size": 2},
    )
    first.start()
    schema_file = tmp_path / "schema.yaml"
    schema_file.write_text(SCHEMA)
    try:
        assert holder.generating.wait(timeout=30)
        code = main(["seed", str(schema_file), "--db", url, "--lock-timeout", "0"])
    finally:
        holder.go_on.set()
        first.join(timeout=30)
    out, err = capsys.readouterr()
    assert (code, out) == (4, "")
    assert err == (
        f"syda: error: another seeder of {url} (lock file {tmp_path / 'dev.db.syda-seed.lock'}) "
        "still held the seed lock after 0 s: nothing was written "
        "(wait longer with a larger --lock-timeout)\n"
    )


@pytest.mark.parametrize("bad", [-1, math.nan, math.inf, True, "5"])
def test_lock_timeout_must_be_seconds(sqlite_engine: Engine, bad: object) -> None:
    with pytest.raises(ConfigurationError, match="lock_timeout must be"):
        seed_database(SCHEMA_DICT, sqlite_engine, lock_timeout=bad)  # type: ignore[arg-type]
    assert sa.inspect(sqlite_engine).get_table_names() == []


def test_in_memory_sqlite_needs_no_lock_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = sa.create_engine("sqlite://")
    try:
        assert seed_database(SCHEMA_DICT, engine, default_sample_size=2).seeded
        assert not seed_database(SCHEMA_DICT, engine).seeded
    finally:
        engine.dispose()
    assert list(tmp_path.iterdir()) == []


def test_a_sqlite_file_in_a_missing_directory_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    expected = f"^cannot create the database file {missing / 'dev.db'}: the directory {missing} "
    with pytest.raises(OutputError, match=expected):
        seed_database(SCHEMA_DICT, f"sqlite:///{missing / 'dev.db'}")
    assert list(tmp_path.iterdir()) == []
