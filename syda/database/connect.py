"""Connections: turn a URL or an engine into an engine, and database errors into one clear line.

Every public function of :mod:`syda.database` takes a URL *or* an ``Engine``. An engine the caller
passes in is used as it is (its pool, its SQLite pragmas) and left open; an engine made here from
a URL is disposed of when the call ends. Two conveniences apply to URLs only:

* a URL that names no driver (``postgresql://``, ``mysql://``) falls back to the driver syda's
  extras install (psycopg 3, PyMySQL) when SQLAlchemy's default driver is not importable;
* SQLite connections enforce foreign keys (``PRAGMA foreign_keys=ON``), which SQLite leaves off
  by default, so a write is judged by the same rules as on any other database.

Messages name the database with :meth:`URL.render_as_string` and ``hide_password=True``: an error
never carries the password of the URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc

__all__ = ["connected", "describe", "error_text", "quote_table"]

_FALLBACK_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}
_MAX_ERROR_CHARS = 600


@contextmanager
def connected(target: str | sa.URL | sa.Engine) -> Iterator[sa.Engine]:
    """Yield an engine for ``target``; dispose of it afterwards if it was made here.

    Raises:
        sqlalchemy.exc.ArgumentError: If ``target`` is not a valid database URL.
        ModuleNotFoundError: If the URL's driver is not installed and has no fallback.
    """
    if isinstance(target, sa.Engine):
        yield target
        return
    engine = _create_engine(sa.make_url(target))
    try:
        yield engine
    finally:
        engine.dispose()


def _create_engine(url: sa.URL) -> sa.Engine:
    try:
        engine = sa.create_engine(url)
    except ModuleNotFoundError:
        fallback = _FALLBACK_DRIVERS.get(url.get_backend_name())
        if fallback is None or "+" in url.drivername:
            raise
        engine = sa.create_engine(url.set(drivername=f"{url.get_backend_name()}+{fallback}"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enforce_sqlite_foreign_keys)
    return engine


def _enforce_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def describe(engine: sa.Engine) -> str:
    """The engine's URL with the password masked, for messages."""
    return engine.url.render_as_string(hide_password=True)


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


def quote_table(dialect: sa.Dialect, name: str, schema: str | None) -> str:
    """``name`` (and its schema) quoted as the dialect needs, e.g. ``"sales"."order"``."""
    preparer = dialect.identifier_preparer
    quoted = preparer.quote(name)
    return f"{preparer.quote_schema(schema)}.{quoted}" if schema else quoted
