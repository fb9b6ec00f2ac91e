"""Databases as a new user names them: a URL as SOURCE, postgres://, database_status(url)."""

from __future__ import annotations

import sqlite3
import uuid
import warnings
from pathlib import Path

import pytest
import sqlalchemy as sa

from syda import ConfigurationError
from syda.cli import main
from syda.database import database_status, reflect_database


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE team (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)")
    return path


def test_database_status_takes_just_the_url(sqlite_file: Path) -> None:
    url = f"sqlite:///{sqlite_file}"
    assert database_status(url) == {"team": 0}
    assert database_status(None, url) == {"team": 0}  # the two-argument form still works
    with pytest.raises(ConfigurationError, match=r"database_status needs the database"):
        database_status(None)


def test_reflect_database_says_db_schema_like_everything_else(sqlite_file: Path) -> None:
    url = f"sqlite:///{sqlite_file}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert reflect_database(url, db_schema="main").keys == ("team",)
        assert reflect_database(url, schema="main").keys == ("team",)  # its former name
    with pytest.raises(ConfigurationError, match=r"give db_schema only"):
        reflect_database(url, db_schema="main", schema="other")


def test_postgres_urls_are_read_as_postgresql() -> None:
    # SQLAlchemy refuses 'postgres://' (what libpq and hosting services write).
    from syda.database.connect import describe

    assert describe("postgres://me:pw@db.example/app") == "postgresql://me:***@db.example/app"
    assert describe("postgres+psycopg://me@db/app") == "postgresql+psycopg://me@db/app"


@pytest.mark.postgres
def test_a_postgres_url_reaches_the_server(postgres_url: str) -> None:
    url = postgres_url.replace("postgresql+psycopg://", "postgres://", 1)
    url = url.replace("postgresql://", "postgres://", 1)
    assert url.startswith("postgres://")
    name = f"syda_test_new_user_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        conn.exec_driver_sql(f'CREATE TABLE "{name}".team (id int PRIMARY KEY)')
    try:
        assert database_status(url, db_schema=name) == {"team": 0}
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgre://me:pw@db/app", "did you mean postgresql://me:***@db/app?"),
        ("sqlite3:///app.db", "did you mean sqlite:///app.db?"),
        ("mysql+nodriver://db/app", "the mysql dialect has no driver 'nodriver'"),
    ],
)
def test_a_misspelt_dialect_gets_a_did_you_mean(url: str, expected: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        database_status(url)
    assert expected in str(caught.value)
    assert "pw" not in str(caught.value)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("profile", "\n  team:\n"),
        ("inspect", "team (team), 10 rows"),
        ("validate", "checked 1 tables, 0 rows in sqlite:///"),
        ("status", "1 of 1 tables present, 0 rows"),
    ],
)
def test_a_database_url_as_source_is_the_database(
    capsys: pytest.CaptureFixture[str], sqlite_file: Path, command: str, expected: str
) -> None:
    # Was: cannot import sqlite: ModuleNotFoundError: No module named 'sqlite'.
    code, out, err = run(capsys, command, f"sqlite:///{sqlite_file}")
    assert code == 0, err
    assert expected in out


def test_generate_and_seed_take_the_url_as_source(
    capsys: pytest.CaptureFixture[str], sqlite_file: Path
) -> None:
    url = f"sqlite:///{sqlite_file}"
    code, _, err = run(capsys, "generate", url, "--rows", "4")
    assert code == 0, err
    assert database_status(url) == {"team": 4}
    code, _, err = run(capsys, "seed", url, "--reset", "--rows", "3")
    assert code == 0, err
    assert database_status(url) == {"team": 3}
    code, _, err = run(capsys, "seed")
    assert code == 2
    assert "required: --db URL (or the URL as SOURCE)" in err


def test_a_url_source_with_db_reflects_one_database_into_another(
    capsys: pytest.CaptureFixture[str], sqlite_file: Path, tmp_path: Path
) -> None:
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    code, _, err = run(
        capsys, "generate", f"sqlite:///{sqlite_file}", "--db", target, "--create-tables"
    )
    assert code == 0, err
    assert database_status(target) == {"team": 10}
    assert database_status(f"sqlite:///{sqlite_file}") == {"team": 0}
