"""Connections: turn a URL or an engine into an engine, and database errors into one clear line.

Every public function of :mod:`syda.database` takes a URL *or* an ``Engine``. An engine the caller
passes in is used as it is (its pool, its SQLite pragmas) and left open; an engine made here from
a URL is disposed of when the call ends. Conveniences and checks that apply to URLs only:

* ``postgres://`` (libpq's and many hosting services' spelling, which SQLAlchemy refuses) is
  read as ``postgresql://``, and a misspelt dialect gets a "did you mean";
* a URL that names no driver (``postgresql://``, ``mysql://``) falls back to the driver syda's
  extras install (psycopg 3, PyMySQL) when SQLAlchemy's default driver is not importable;
* SQLite connections enforce foreign keys (``PRAGMA foreign_keys=ON``), which SQLite leaves off
  by default, so a write is judged by the same rules as on any other database;
* a call that only reads refuses a SQLite file that does not exist (SQLite would create an
  empty one, hiding a mistyped path);
* a malformed URL or unknown dialect is a :class:`~syda.errors.ConfigurationError`, a driver
  that is not installed an :class:`~syda.errors.OutputError` naming the package to install.

* a password holding a raw ``@`` (which SQLAlchemy would end at the first ``@``, taking the
  rest for the host) is read up to the last ``@`` before the host, as the user meant;
* a SQLite file whose directory does not exist is refused before connecting (SQLite would only
  say "unable to open database file"), and options the driver cannot use (``?charset=bogus``,
  an unknown keyword) are a :class:`~syda.errors.ConfigurationError`, not a driver crash.

This is where database errors become syda's: :func:`reported` turns them into one
:class:`~syda.errors.OutputError`. Every text shown goes through
:func:`~syda.database.masking.redact`: :func:`describe` names the database with its password
masked, :func:`error_text` masks what the driver echoed, and an error whose cause would show a
secret is raised without that cause.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import sqlalchemy as sa
from sqlalchemy import event, exc

from syda.database.masking import redact, remember_secrets
from syda.errors import ConfigurationError, OutputError

__all__ = [
    "Step",
    "connected",
    "describe",
    "error_text",
    "missing_sqlite_file",
    "quote_table",
    "redact",
    "reported",
]

_DIALECT_ALIASES = {"postgres": "postgresql"}
"""Dialect names SQLAlchemy no longer reads (``postgres://``, still what Heroku and libpq
write), and the dialect they mean."""
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
    "duckdb_engine": "'syda[duckdb]'",
}
"""The package to install for a driver module that is missing (by top-level module name)."""
_EXTRA_DIALECTS = {"duckdb": ("duckdb-engine", "'syda[duckdb]'")}
"""Dialects SQLAlchemy does not ship: the package that brings each, and how to install it."""
_FILE_DATABASES = ("sqlite", "duckdb")
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
        OutputError: If the URL's driver is not installed, the directory of a SQLite file does
            not exist, or ``must_exist`` is set and the SQLite file does not exist.
    """
    if isinstance(target, sa.Engine):
        yield target
        return
    url = _url(target)
    path = _sqlite_path(url)
    if must_exist and path is not None and not path.exists():
        raise OutputError(f"no such database file: {path}")
    _refuse_missing_directory(path)
    engine = _create_engine(url)
    remember_secrets(engine, target)
    try:
        yield engine
    finally:
        engine.dispose()


def _url(target: str | sa.URL) -> sa.URL:
    try:
        url = sa.make_url(target)
    except (exc.ArgumentError, ValueError):
        # The text is not repeated: it may hold a password.
        _raise_alone(
            ConfigurationError(
                "not a database URL (expected dialect+driver://user:password@host/database)"
            )
        )
    backend, plus, driver = url.drivername.partition("+")
    if backend in _DIALECT_ALIASES:
        url = url.set(drivername=f"{_DIALECT_ALIASES[backend]}{plus}{driver}")
    # SQLAlchemy ends a password at its first '@'; a host never holds one, so an '@' there
    # belongs to the password ('u:Super@Secret@host' means the password 'Super@Secret').
    if url.password is not None and url.host and "@" in url.host:
        rest, _, host = url.host.rpartition("@")
        url = url.set(password=f"{url.password}@{rest}", host=host)
    return url


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
        extra = _EXTRA_DIALECTS.get(url.get_backend_name())
        if extra is not None:
            raise OutputError(
                f"{describe(url)} needs the {extra[0]} SQLAlchemy dialect, which is not "
                f"installed: pip install {extra[1]}"
            ) from None
        raise ConfigurationError(
            f"unknown database dialect {url.drivername!r} in {describe(url)}{_dialect_hint(url)}"
        ) from None
    except ModuleNotFoundError as error:
        module = (error.name or "").partition(".")[0]
        package = _PACKAGES.get(module, module or "the database driver")
        raise OutputError(
            f"the driver {module!r} of {describe(url)} is not installed: pip install {package}"
        ) from None
    except (exc.ArgumentError, TypeError, ValueError) as error:
        # The dialect reads some options itself (``connect_timeout=abc`` fails int()).
        _raise_alone(_option_error(url.get_driver_name(), error, url))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enforce_sqlite_foreign_keys)
    event.listen(engine, "do_connect", _checked_connect)
    return engine


def _dialect_hint(url: sa.URL) -> str:
    """``: did you mean ...?`` for a misspelt dialect or driver, else nothing."""
    from importlib.metadata import entry_points

    backend, _, driver = url.drivername.partition("+")
    known = {*sa.dialects.__all__, "mariadb"}
    known |= {ep.name.partition(".")[0] for ep in entry_points(group="sqlalchemy.dialects")}
    if backend in known:
        return f" (the {backend} dialect has no driver {driver!r})" if driver else ""
    close = difflib.get_close_matches(backend.lower(), sorted(known), n=1, cutoff=0.5)
    if not close:
        return f" (dialects: {', '.join(sorted(known))})"
    suffix = f"+{driver}" if driver else ""
    return f": did you mean {describe(url.set(drivername=close[0] + suffix))}?"


def _enforce_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_OPTION_ERRORS = (TypeError, ValueError, AttributeError, LookupError, OSError)
"""What a driver raises, instead of its own error class, for options it cannot use."""


def _checked_connect(
    dialect: sa.Dialect, _record: Any, cargs: tuple[Any, ...], cparams: dict[str, Any]
) -> Any:
    """Connect as SQLAlchemy would, but refuse the URL's options the driver cannot use.

    Drivers report a refused connection with their own error class (which :func:`reported`
    turns into an ``OutputError``), but a malformed option crashes inside them: PyMySQL
    raises ``AttributeError`` for an unknown ``charset``, ``TypeError`` for an unknown keyword,
    ``ValueError`` for ``connect_timeout=abc``.

    Raises:
        ConfigurationError: If the driver cannot use the connection options.
    """
    charset = cparams.get("charset")
    charsets = (
        getattr(dialect.loaded_dbapi, "charset", None) if dialect.driver == "pymysql" else None
    )
    if charsets is not None and isinstance(charset, str):
        if charsets.charset_by_name(charset) is None:
            raise ConfigurationError(
                f"unknown MySQL character set {charset!r} in the URL's ?charset= "
                "(utf8mb4 is the usual choice)"
            )
    dbapi_error = getattr(dialect.loaded_dbapi, "Error", None)
    try:
        return dialect.connect(*cargs, **cparams)
    except _OPTION_ERRORS as error:
        if isinstance(dbapi_error, type) and isinstance(error, dbapi_error):
            raise  # the driver's own error: SQLAlchemy wraps it, reported() words it
        _raise_alone(_option_error(dialect.driver, error, _url_of(cparams)))


def _option_error(driver: str, error: BaseException, url: str | sa.URL) -> ConfigurationError:
    text = redact(_one_line(str(error)), url)
    return ConfigurationError(
        f"the {driver} driver cannot use the options of the database URL: "
        f"{type(error).__name__}: {text}"
    )


def _url_of(cparams: dict[str, Any]) -> str:
    # The connection keywords, written like a query string so their secrets are masked too.
    return "x://?" + "&".join(f"{k}={v}" for k, v in cparams.items())


def _raise_alone(failure: Exception) -> NoReturn:
    """Raise ``failure`` with no cause and no context: the error it replaces may show a secret.

    ``from None`` only hides the context from tracebacks; the handled error stays reachable as
    ``__context__`` (set again by every handler up the stack), so it is cleared on the way out.
    """
    try:
        raise failure from None
    finally:
        failure.__context__ = None


def _sqlite_path(url: sa.URL) -> Path | None:
    """The file of an on-disk SQLite (or DuckDB) URL (None for anything else)."""
    database = url.database or ""
    if url.get_backend_name() not in _FILE_DATABASES or database in _IN_MEMORY:
        return None
    if database.startswith("file:"):  # a URI filename (``?uri=true``): SQLite reads it itself
        return None
    return Path(database)


def _refuse_missing_directory(path: Path | None) -> None:
    if path is not None and not path.parent.is_dir():
        raise OutputError(
            f"cannot create the database file {path}: the directory {path.parent} does not exist"
        )


def missing_sqlite_file(target: str | sa.URL | sa.Engine) -> Path | None:
    """The file of a SQLite URL when it does not exist (None for anything else).

    Raises:
        ConfigurationError: If ``target`` is not a database URL.
        OutputError: If the file's directory does not exist either: no file can be made there.
    """
    if isinstance(target, sa.Engine):
        return None
    path = _sqlite_path(_url(target))
    if path is None or path.exists():
        return None
    _refuse_missing_directory(path)
    return path


def describe(target: str | sa.URL | sa.Engine) -> str:
    """The database's URL with the password and secret options masked, for messages."""
    try:
        url = target.url if isinstance(target, sa.Engine) else _url(target)
    except ConfigurationError:
        return "the database (its URL cannot be read)"
    return redact(url.render_as_string(hide_password=True), target)


def error_text(error: BaseException, *targets: str | sa.URL | sa.Engine | None) -> str:
    """One line saying what the database objected to, without the SQL and its parameters.

    SQLAlchemy's own message repeats the statement and (a sample of) its parameters, which can be
    long and hold the very data being written; the driver's message (with PostgreSQL's DETAIL
    line) says what is wrong. The secrets of ``targets`` (and any URL's password) are masked:
    a driver may echo its connection string.
    """
    original = getattr(error, "orig", None) if isinstance(error, exc.DBAPIError) else None
    text = str(original if original is not None else error)
    text = redact(_one_line(text.split("\n[SQL:", 1)[0]), *targets)
    if len(text) > _MAX_ERROR_CHARS:
        text = text[: _MAX_ERROR_CHARS - 3] + "..."
    return text or type(error).__name__


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Step:
    """Where a call is, so an error can say which table it is about."""

    table: str | None = None
    action: str = ""


@contextmanager
def reported(engine: sa.Engine, doing: str, note: str = "") -> Iterator[Step]:
    """Turn database errors into one :class:`OutputError` naming the step and its table.

    The database's error is kept as the cause, unless its text (or its own causes') shows a
    secret of the URL: a traceback would print it.

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
        failure = OutputError(
            f"{doing} {describe(engine)} failed{where}: {error_text(error, engine)}{note}",
            table=step.table,
        )
        if not _shows_secret(error, engine):
            raise failure from error
        _raise_alone(failure)


def _shows_secret(error: BaseException, engine: sa.Engine) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for text in (str(current), repr(current)):
            if redact(text, engine) != text:
                return True
        current = current.__cause__ or current.__context__
    return False


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
