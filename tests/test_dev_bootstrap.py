"""The dev-bootstrap document's workflow, end to end, on SQLite and PostgreSQL.

An application seeds its development database at start-up (only under ``APP_ENV=dev``), keeps
the rows across restarts, survives a model change with ``reset="recreate"``, refills a dropped
table with ``fill_missing``, and reads each table's statistics, also before the database exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from syda import SyntheticDataGenerator
from syda.cli import main
from syda.database import DatabaseStatus, database_status, seed_database
from syda.demos import dev_app
from syda.errors import ConfigurationError, OutputError

SMALL = {"FakeUser": 30, "FakeProduct": 20, "FakeOrder": 60, "FakeAnalytics": 80}
DEV = ("APP_ENV", "dev")


class V1(DeclarativeBase):
    pass


class V2(DeclarativeBase):
    pass


def _models(base: type[DeclarativeBase], with_phone: bool) -> list[type]:
    """An app's two models; the second version of the users table gained a ``phone`` column."""
    extra = {"phone": Column(String(30), comment="User's phone number")} if with_phone else {}
    user = type(
        f"User{base.__name__}",
        (base,),
        {
            "__tablename__": "app_users",
            "id": Column(Integer, primary_key=True),
            "name": Column(String(60), nullable=False, comment="User's full name"),
            **extra,
        },
    )
    order = type(
        f"Order{base.__name__}",
        (base,),
        {
            "__tablename__": "app_orders",
            "id": Column(Integer, primary_key=True),
            "user_id": Column(Integer, ForeignKey("app_users.id"), nullable=False),
        },
    )
    return [user, order]


OLD, NEW = _models(V1, with_phone=False), _models(V2, with_phone=True)


@pytest.fixture
def dev_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("APP_ENV", "dev")
    yield


def _columns(engine: Engine, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(engine).get_columns(table)]


def _drop(engine: Engine, table: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TABLE {table}")


def test_outside_dev_nothing_is_touched(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    path = tmp_path / "app.db"
    result = seed_database(dev_app.MODELS, f"sqlite:///{path}", only_if_env=DEV)
    assert (result.seeded, result.outcome, result.tables) == (False, "skipped", {})
    assert "APP_ENV is 'production', not 'dev'" in result.reason
    monkeypatch.delenv("APP_ENV")
    assert "APP_ENV is unset" in seed_database(OLD, f"sqlite:///{path}", only_if_env=DEV).reason
    assert not path.exists()


def test_status_before_the_database_exists_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "later.db"
    status = database_status(dev_app.MODELS, f"sqlite:///{path}")
    assert isinstance(status, DatabaseStatus) and not status.exists
    assert dict(status) == dict.fromkeys(["FakeUser", "FakeProduct", "FakeOrder", "FakeAnalytics"])
    assert database_status(f"sqlite:///{path}") == {}
    assert not path.exists()


@pytest.mark.postgres
def test_status_of_a_postgres_database_not_created_yet(postgres_url: str) -> None:
    url = sa.make_url(postgres_url).set(database="syda_not_created_yet")
    status = database_status(OLD, url)
    assert not status.exists and dict(status) == {"UserV1": None, "OrderV1": None}
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            names = conn.exec_driver_sql("SELECT datname FROM pg_database").scalars().all()
        assert "syda_not_created_yet" not in names
    finally:
        engine.dispose()


@pytest.mark.mariadb
def test_status_of_a_mariadb_database_not_created_yet(mariadb_url: str) -> None:
    url = sa.make_url(mariadb_url).set(database="syda_not_created_yet")
    status = database_status(OLD, url)  # MariaDB says so by error 1049, not by a SQLSTATE
    assert not status.exists and dict(status) == {"UserV1": None, "OrderV1": None}
    engine = sa.create_engine(mariadb_url)
    try:
        with engine.connect() as conn:
            names = conn.exec_driver_sql("SHOW DATABASES").scalars().all()
        assert "syda_not_created_yet" not in names
    finally:
        engine.dispose()


def test_the_documents_workflow(database: Engine, dev_env: None) -> None:
    first = seed_database(dev_app.MODELS, database, sample_sizes=SMALL, only_if_env=DEV)
    assert first.outcome == "seeded" and first.tables == SMALL

    restart = seed_database(dev_app.MODELS, database, sample_sizes=SMALL, only_if_env=DEV)
    assert restart.outcome == "kept" and not restart.seeded and restart.tables == SMALL

    status = database_status(dev_app.MODELS, database)
    assert status.exists and dict(status) == SMALL
    products = status.tables["FakeProduct"]
    assert products.rows == 20 and set(products.null_shares) >= {"name", "description"}
    assert products.null_shares["name"] == 0
    lo, hi = status.tables["FakeOrder"].date_ranges["order_date"]
    assert isinstance(lo, dt.datetime) and lo <= hi


def test_a_model_change_needs_recreate(database: Engine) -> None:
    gen = SyntheticDataGenerator(seed=3)
    assert seed_database(OLD, database, default_sample_size=5, generator=gen).seeded
    with pytest.raises(OutputError, match=r"app_users lacks phone; reset='recreate'"):
        seed_database(NEW, database, reset=True, default_sample_size=5)
    assert "phone" not in _columns(database, "app_users")  # the refusal changed nothing

    result = seed_database(NEW, database, reset="recreate", default_sample_size=7)
    assert result.seeded and result.reason.startswith("dropped, recreated and filled 2 tables")
    assert "phone" in _columns(database, "app_users")
    with database.connect() as conn:
        phones = conn.exec_driver_sql("SELECT phone FROM app_users").scalars().all()
    assert len(phones) == 7 and any(phones)


def test_a_column_the_models_dropped_needs_recreate(sqlite_engine: Engine) -> None:
    """A NOT NULL column without a default that the models no longer have: no row goes in."""
    with sqlite_engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE app_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " legacy TEXT NOT NULL, note TEXT, kind TEXT NOT NULL DEFAULT 'a')"
        )
        conn.exec_driver_sql("INSERT INTO app_users VALUES (1, 'Ann', 'x', NULL, 'a')")
    with pytest.raises(OutputError) as caught:
        seed_database(OLD, sqlite_engine, reset=True, default_sample_size=3)
    # Only legacy: a nullable column and one with a default take rows that leave them out.
    assert "app_users has legacy (NOT NULL, no default), which the schema lacks; reset=" in str(
        caught.value
    )
    result = seed_database(OLD, sqlite_engine, reset="recreate", default_sample_size=3)
    assert result.seeded and "legacy" not in _columns(sqlite_engine, "app_users")


def test_a_dropped_table_is_refused_then_filled_alone(database: Engine) -> None:
    seed_database(OLD, database, default_sample_size=6)
    with database.connect() as conn:
        users = conn.exec_driver_sql("SELECT id, name FROM app_users ORDER BY id").all()
    _drop(database, "app_orders")

    refused = seed_database(OLD, database, default_sample_size=6)
    assert refused.outcome == "refused" and not refused.seeded
    assert "partly seeded" in refused.reason and "OrderV1 (absent)" in refused.reason

    filled = seed_database(OLD, database, default_sample_size=9, fill_missing=True)
    assert filled.outcome == "seeded" and filled.tables == {"OrderV1": 9}
    assert "kept UserV1" in filled.reason and "created OrderV1" in filled.reason
    with database.connect() as conn:
        assert conn.exec_driver_sql("SELECT id, name FROM app_users ORDER BY id").all() == users
        pointed = set(conn.exec_driver_sql("SELECT user_id FROM app_orders").scalars())
    assert pointed and pointed <= {u[0] for u in users}


def test_fill_missing_refuses_children_of_a_missing_parent(sqlite_engine: Engine) -> None:
    seed_database(OLD, sqlite_engine, default_sample_size=4)
    raw = sqlite_engine.raw_connection()  # a parent dropped behind the application's back
    try:
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("DELETE FROM app_users")
        raw.commit()
    finally:
        raw.close()
    result = seed_database(OLD, sqlite_engine, fill_missing=True)
    assert result.outcome == "refused"
    assert "OrderV1 keeps 4 rows that point at UserV1" in result.reason


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reset": "wipe"}, "reset must be True, False, 'empty' or 'recreate'"),
        ({"reset": True, "fill_missing": True}, "reset=True and fill_missing=True exclude each"),
        ({"reset": "recreate", "fill_missing": True}, "reset='recreate' and fill_missing=True"),
        ({"only_if_env": "APP_ENV=dev"}, "only_if_env must be (name, value)"),
    ],
)
def test_bad_options_are_refused_before_the_database(
    kwargs: dict[str, object], message: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        seed_database(OLD, f"sqlite:///{tmp_path / 'x.db'}", **kwargs)  # type: ignore[arg-type]
    assert not (tmp_path / "x.db").exists()


def test_cli_exit_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'dev.db'}"
    monkeypatch.delenv("APP_ENV", raising=False)
    seed = ["seed", "syda.demos.dev_app", "--db", url, "--rows", "5"]
    assert main([*seed, "--only-if-env", "APP_ENV=dev"]) == 0
    assert "not touched" in capsys.readouterr().out and not (tmp_path / "dev.db").exists()

    assert main(seed) == 0
    assert "seeded" in capsys.readouterr().out
    assert main(seed) == 0  # already seeded
    assert "already have rows" in capsys.readouterr().out

    engine = sa.create_engine(url)
    _drop(engine, "fake_analytics")
    engine.dispose()
    assert main(seed) == 1
    err = capsys.readouterr().err
    assert "partly seeded" in err and "--fill-missing fills those" in err
    assert main([*seed, "--fill-missing"]) == 0
    assert "kept FakeUser" in capsys.readouterr().out

    assert main(["status", "syda.demos.dev_app", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "4 of 4 tables present, 20 rows" in out and "2023-" in out
    assert main([*seed, "--only-if-env", "APP_ENV"]) == 2
    assert "--only-if-env takes NAME=VALUE" in capsys.readouterr().err
    assert main([*seed, "--fill-missing", "--reset", "recreate"]) == 2
    assert "--reset recreate and --fill-missing exclude each other" in capsys.readouterr().err


def test_status_shows_a_rare_null(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One NULL in 400 rows is a share above 0, and the command line does not print it as 0%."""
    path = tmp_path / "rare.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, tag TEXT)")
        rows = [{"id": i, "body": None if i == 7 else "x", "tag": None} for i in range(1, 401)]
        conn.execute(sa.text("INSERT INTO notes VALUES (:id, :body, :tag)"), rows)
    engine.dispose()
    status = database_status(None, f"sqlite:///{path}")
    assert status.tables["notes"].null_shares == {"id": 0.0, "body": 1 / 400, "tag": 1.0}
    assert main(["status", "--db", f"sqlite:///{path}"]) == 0
    assert "tag 100%, body <1%" in capsys.readouterr().out
