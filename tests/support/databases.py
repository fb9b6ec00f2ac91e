"""Fresh, constraint-enforcing databases for tests: SQLite files and PostgreSQL schemas.

* :func:`sqlite_engine` returns an engine whose every connection has ``PRAGMA foreign_keys=ON``
  and whose transactions are real ``BEGIN ... COMMIT`` blocks (pysqlite's own transaction
  handling is switched off, so PRAGMAs inside a transaction behave as documented).
* :func:`find_postgres` returns the URL of a reachable PostgreSQL server, or raises
  :class:`DatabaseUnavailable` with the reason (its driver is missing, or no server answers).
* :func:`postgres_schema_engine` creates a uniquely named schema, yields an engine whose
  ``search_path`` is that schema (so unqualified models and reflection both land there), and
  drops the schema afterwards.
* :func:`find_mariadb` returns the URL of a reachable MariaDB/MySQL server (or says why there is
  none); :func:`mariadb_database_engine` yields an engine on a fresh database of its own (MySQL's
  "schema"), dropped afterwards.

Nothing here starts a server: a test run uses the servers that are up (``.ci/run`` starts the
missing ones in CI and makes their absence an error there).
"""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

__all__ = [
    "MARIADB_URLS",
    "POSTGRES_URLS",
    "DatabaseUnavailable",
    "find_mariadb",
    "find_postgres",
    "mariadb_database_engine",
    "postgres_schema_engine",
    "sqlite_engine",
]

POSTGRES_URLS = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
)
"""Where the test PostgreSQL server is looked for (trust authentication), in order."""

MARIADB_URLS = ("mysql+pymysql://root@127.0.0.1:3306/test",)
"""Where the test MariaDB/MySQL server is looked for (root without a password)."""

CONNECT_TIMEOUT_SECONDS = 3


class DatabaseUnavailable(Exception):
    """No database server could be reached; the message says why."""


def sqlite_engine(path: Path) -> Engine:
    """Return an engine on a SQLite file that enforces foreign keys on every connection."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _enforce_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (the "begin" hook below): pysqlite otherwise
        # opens transactions lazily, and PRAGMA foreign_keys is a no-op inside a transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _connect_error(url: str) -> str | None:
    engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    finally:
        engine.dispose()
    return None


def _first_reachable(urls: tuple[str, ...]) -> str:
    """Return the first URL that answers ``SELECT 1``, or say why none does.

    Raises:
        DatabaseUnavailable: If the URLs' driver is not installed or no URL answers.
    """
    driver = make_url(urls[0]).get_driver_name()
    if importlib.util.find_spec(driver) is None:
        raise DatabaseUnavailable(f"the driver {driver} is not installed (pip install -e '.[dev]')")
    errors = []
    for url in urls:
        error = _connect_error(url)
        if error is None:
            return url
        errors.append(error)
    raise DatabaseUnavailable(errors[0])


def find_postgres() -> str:
    """Return the first reachable URL of :data:`POSTGRES_URLS`.

    Raises:
        DatabaseUnavailable: If psycopg is not installed or no URL answers.
    """
    return _first_reachable(POSTGRES_URLS)


@contextmanager
def postgres_schema_engine(url: str) -> Iterator[Engine]:
    """Yield an engine whose ``search_path`` is a fresh schema; drop the schema afterwards."""
    schema = f"syda_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine = create_engine(
        url,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "options": f"-csearch_path={schema}",
        },
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def find_mariadb() -> str:
    """Return the first reachable URL of :data:`MARIADB_URLS`.

    Raises:
        DatabaseUnavailable: If pymysql is not installed or no URL answers.
    """
    return _first_reachable(MARIADB_URLS)


@contextmanager
def mariadb_database_engine(url: str) -> Iterator[Engine]:
    """Yield an engine on a fresh, uniquely named database; drop the database afterwards."""
    name = f"syda_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    engine = create_engine(
        make_url(url).set(database=name),
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE `{name}`")
        admin.dispose()
