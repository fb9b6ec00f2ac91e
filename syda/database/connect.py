"""Connections: turn a URL or an engine into an engine, and database errors into one clear line.

Every public function of :mod:`syda.database` takes a URL *or* an ``Engine``. An engine the caller
passes in is used as it is (its pool, its SQLite pragmas) and left open; an engine made here from
a URL is disposed of when the call ends. Conveniences and checks that apply to URLs only:

* a URL that names no driver (``postgresql://``, ``mysql://``) falls back to the driver syda's
  extras install (psycopg 3, PyMySQL) when SQLAlchemy's default driver is not importable;
* SQLite connections enforce foreign keys (``PRAGMA foreign_keys=ON``), which SQLite leaves off
  by default, so a write is judged by the same rules as on any other database;
* a call that only reads refuses a SQLite file that does not exist (SQLite would create an
  empty one, hiding a mistyped path);
* a malformed URL or unknown dialect is a :class:`~syda.errors.ConfigurationError`, a driver
  that is not installed an :class:`~syda.errors.OutputError` naming the package to install.

This is where database errors become syda's: :func:`reported` turns them into one
:class:`~syda.errors.OutputError`. Messages name the database with
:meth:`URL.render_as_string` and ``hide_password=True``: an error never carries the password.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc

from syda.errors import ConfigurationError, OutputError

__all__ = [
    "Step",
    "connected",
    "describe",
    "error_text",
    "missing_sqlite_file",
    "quote_table",
    "reported",
]

_FALLBACK_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}
_PACKAGES = {
    "psycopg": "'psycopg[binary]'",
    "psycopg2": "psycopg2-binary",
    "pymysql": "PyMySQL",
    "MySQLdb": "mysqlclient",
    "mysql": "mysql-connector-python",
    "asyncpg": "asyncpg",
    "pg8000": "pg8000",
    "oracledb": "oracledb",
    "pyodbc": "pyodbc",
}
"""The package to install for a driver module that is missing (by top-level module name)."""
_MAX_ERROR_CHARS = 600
_IN_MEMORY = ("", ":memory:")


@contextmanager
def connected(target: str | sa.URL | sa.Engine, *, must_exist: bool = False) -> Iterator[sa.Engine]:
    """Yield an engine for ``target``; dispose of it afterwards if it was made here.

    Args:
        target: A database URL or an ``Engine``.
        must_exist: Refuse a SQLite file that does not exist (for calls that only read).

    Raises:
        ConfigurationError: If ``target`` is not a database URL or names an unknown dialect.
        OutputError: If the URL's driver is not installed, or ``must_exist`` is set and the
            SQLite file does not exist.
    """
    if isinstance(target, sa.Engine):
        yield target
        return
    url = _url(target)
    if must_exist and (path := missing_sqlite_file(url)) is not None:
        raise OutputError(f"no such database file: {path}")
    engine = _create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _url(target: str | sa.URL) -> sa.URL:
    try:
        return sa.make_url(target)
    except (exc.ArgumentError, ValueError):
        # The text is not repeated: it may hold a password.
        raise ConfigurationError(
            "not a database URL (expected dialect+driver://user:password@host/database)"
        ) from None


def _create_engine(url: sa.URL) -> sa.Engine:
    try:
        try:
            engine = sa.create_engine(url)
        except ModuleNotFoundError:
            fallback = _FALLBACK_DRIVERS.get(url.get_backend_name())
            if fallback is None or "+" in url.drivername:
                raise
            engine = sa.create_engine(url.set(drivername=f"{url.get_backend_name()}+{fallback}"))
    except exc.NoSuchModuleError:
        raise ConfigurationError(
            f"unknown database dialect {url.drivername!r} in {describe(url)}"
        ) from None
    except ModuleNotFoundError as error:
        module = (error.name or "").partition(".")[0]
        package = _PACKAGES.get(module, module or "the database driver")
        raise OutputError(
            f"the driver {module!r} of {describe(url)} is not installed: pip install {package}"
        ) from error
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enforce_sqlite_foreign_keys)
    return engine


def _enforce_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def missing_sqlite_file(target: str | sa.URL | sa.Engine) -> Path | None:
    """The file of a SQLite URL when it does not exist (None for anything else).

    Raises:
        ConfigurationError: If ``target`` is not a database URL.
    """
    if isinstance(target, sa.Engine):
        return None
    url = _url(target)
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in _IN_MEMORY:
        return None
    if database.startswith("file:"):  # a URI filename (``?uri=true``): SQLite reads it itself
        return None
    path = Path(database)
    return None if path.exists() else path


def describe(target: str | sa.URL | sa.Engine) -> str:
    """The database's URL with the password masked, for messages."""
    if isinstance(target, sa.Engine):
        target = target.url
    try:
        return sa.make_url(target).render_as_string(hide_password=True)
    except (exc.ArgumentError, ValueError):
        return "the database (its URL cannot be read)"


def error_text(error: BaseException) -> str:
    """One line saying what the database objected to, without the SQL and its parameters.

    SQLAlchemy's own message repeats the statement and (a sample of) its parameters, which can be
    long and hold the very data being written; the driver's message (with PostgreSQL's DETAIL
    line) says what is wrong.
    """
    original = getattr(error, "orig", None) if isinstance(error, exc.DBAPIError) else None
    text = str(original if original is not None else error)
    text = text.split("\n[SQL:", 1)[0]
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > _MAX_ERROR_CHARS:
        text = text[: _MAX_ERROR_CHARS - 3] + "..."
    return text or type(error).__name__


@dataclass
class Step:
    """Where a call is, so an error can say which table it is about."""

    table: str | None = None
    action: str = ""


@contextmanager
def reported(engine: sa.Engine, doing: str, note: str = "") -> Iterator[Step]:
    """Turn database errors into one :class:`OutputError` naming the step and its table.

    Raises:
        OutputError: If the body raises a SQLAlchemy or driver error (or an ``OutputError``).
    """
    step = Step()
    caught: tuple[type[BaseException], ...] = (exc.SQLAlchemyError, *_driver_errors(engine))
    try:
        yield step
    except OutputError:
        raise
    except caught as error:
        where = f" while {step.action}" if step.action else ""
        raise OutputError(
            f"{doing} {describe(engine)} failed{where}: {error_text(error)}{note}",
            table=step.table,
        ) from error


def _driver_errors(engine: sa.Engine) -> tuple[type[BaseException], ...]:
    # COPY runs on the driver's own cursor, whose errors SQLAlchemy does not wrap.
    error = getattr(engine.dialect.loaded_dbapi, "Error", None)
    return (error,) if isinstance(error, type) and issubclass(error, BaseException) else ()


def quote_table(dialect: sa.Dialect, name: str, schema: str | None) -> str:
    """``name`` (and its schema) quoted as the dialect needs, e.g. ``"sales"."order"``.

    The text is for statements run through SQLAlchemy: on drivers whose parameters are written
    ``%s``, a ``%`` in a name is doubled, so the text is no plain identifier to pass as a value.
    """
    preparer = dialect.identifier_preparer
    quoted = preparer.quote(name)
    return f"{preparer.quote_schema(schema)}.{quoted}" if schema else quoted
