"""The published sample schemas of ``tests/published/``, and fresh databases loaded from them.

Each ``tests/published/<name>/<dialect>.sql`` is a schema's DDL as its project publishes it
(data removed; every change is listed in the folder's ``PROVENANCE.md``). :data:`SCHEMAS` lists
them with the domain they model; :func:`loaded` creates an empty database of the file's dialect,
runs the file in it, and yields an engine on it:

* ``sqlite``: a new file with ``PRAGMA foreign_keys=ON``; the script runs through sqlite3's
  ``executescript``, as the ``sqlite3`` shell would run it.
* ``postgresql``: a new *database* on the test server (not a schema, as ``postgres_engine``
  makes): pg_dump files such as pagila qualify every object with ``public.`` and reset the
  ``search_path``, so only a database of their own leaves them as published. The script is sent
  in one simple-protocol query, as ``psql -f`` would run it.
* ``mysql``: a new database on the MariaDB test server (``mariadb_database_engine``); statements
  are split here, honouring the client-side ``DELIMITER`` command the files use for triggers and
  routines, and run one by one on one connection (so ``SET @OLD_...`` variables carry over).
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import io
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda.cli import main
from syda.database import reflect_database
from tests.support import databases

__all__ = [
    "ROOT",
    "SCHEMAS",
    "CliRun",
    "PublishedSchema",
    "count_rows",
    "loaded",
    "mysql_statements",
    "run_cli",
    "shape",
    "url_of",
]

ROOT = Path(__file__).resolve().parents[1] / "published"

DIALECTS = ("sqlite", "postgresql", "mysql")

# What each schema models; a folder under ROOT that is missing here fails the listing, so a new
# schema cannot be added without saying what it is.
DOMAINS: dict[str, str] = {
    "chinook": "digital music store: artists, albums, tracks, playlists, customers, invoices",
    "sakila": "DVD rental store: films, actors, inventory, rentals, payments, staff",
    "pagila": "sakila for PostgreSQL: enums, domains, arrays, tsvector, a partitioned payment",
    "northwind": "trading company: products, suppliers, customers, orders, shippers, staff",
    "tpch": "TPC-H decision-support benchmark: parts, suppliers, customers, orders, lineitems",
    "employees": "HR database: employees, departments, managers, titles, salary history",
    "listmonk": "newsletter and mailing-list manager: subscribers, lists, campaigns, bounces",
    "writefreely": "blogging platform: users, collections (blogs), posts, access tokens",
    "classicmodels": "scale-model-car retailer: offices, employees, customers, orders, payments",
    "tpcds": "TPC-DS decision-support benchmark: a retailer's store, catalog and web sales "
    "and returns in snowflake schemas around date, item, customer and promotion dimensions",
    "guacamole": "remote-desktop gateway: connections and groups, users and user groups, "
    "permissions (enums), sharing profiles, connection and login history",
    "roundcube": "webmail client: users, identities, address books and contact groups, "
    "caches, saved searches, canned responses",
    "openstreetmap": "the OpenStreetMap website: nodes, ways and relations with their history, "
    "changesets, users and roles (enums), notes, diaries, messages, OAuth, IP blocks (inet)",
    "icingadb": "monitoring system: hosts, services and their groups, checks, states, "
    "downtimes, comments, notifications and their history (domains, enums, binary ids)",
    "piwigo": "photo gallery: images, albums (categories), tags, users and groups, comments, "
    "rates, history (MySQL ENUMs and UNSIGNED types)",
    "temporal_visibility": "Temporal workflow engine's visibility store: workflow executions "
    "with JSON search attributes and generated columns computed from them",
    "rosariosis": "school information system: schools, students, staff, courses and periods, "
    "schedules, grades and report cards, attendance, discipline, billing, food service",
}


@dataclass(frozen=True)
class PublishedSchema:
    """One published DDL file: a schema in one SQL dialect."""

    name: str
    dialect: str
    path: Path
    domain: str

    @property
    def id(self) -> str:
        """``name-dialect``, the test id."""
        return f"{self.name}-{self.dialect}"

    @property
    def server(self) -> str | None:
        """The pytest marker of the server the file needs (``None`` for SQLite)."""
        return {"postgresql": "postgres", "mysql": "mariadb"}.get(self.dialect)


def _listing() -> tuple[PublishedSchema, ...]:
    found = []
    for folder in sorted(p for p in ROOT.iterdir() if p.is_dir()):
        if folder.name not in DOMAINS:
            raise AssertionError(f"{folder} is not described in DOMAINS")
        if not (folder / "PROVENANCE.md").is_file():
            raise AssertionError(f"{folder} has no PROVENANCE.md")
        for path in sorted(folder.glob("*.sql")):
            if path.stem not in DIALECTS:
                raise AssertionError(f"{path}: the file name must be one of {DIALECTS}")
            found.append(PublishedSchema(folder.name, path.stem, path, DOMAINS[folder.name]))
    return tuple(found)


SCHEMAS: tuple[PublishedSchema, ...] = _listing()


@contextmanager
def loaded(
    schema: PublishedSchema, workdir: Path, server_url: str | None = None
) -> Iterator[Engine]:
    """Yield an engine on a fresh database holding ``schema``; drop the database afterwards.

    ``server_url`` is the PostgreSQL or MariaDB server to use (default: the first reachable one
    of :mod:`tests.support.databases`); SQLite files are created in ``workdir``.

    Raises:
        databases.DatabaseUnavailable: If the file's server cannot be reached.
        sqlalchemy.exc.DBAPIError: If the database rejects the file.
    """
    script = schema.path.read_text(encoding="utf-8")
    if schema.dialect == "sqlite":
        engine = databases.sqlite_engine(workdir / f"{schema.id}.db")
        try:
            _run_sqlite(engine, script)
            yield engine
        finally:
            engine.dispose()
    elif schema.dialect == "postgresql":
        with _postgres_database(server_url or databases.find_postgres()) as engine:
            _run_postgres(engine, script)
            yield engine
    else:
        with databases.mariadb_database_engine(server_url or databases.find_mariadb()) as engine:
            _run_mysql(engine, script)
            yield engine


def _run_sqlite(engine: Engine, script: str) -> None:
    raw = engine.raw_connection()
    try:
        raw.driver_connection.executescript(script)  # type: ignore[union-attr]
    finally:
        raw.close()


def _run_postgres(engine: Engine, script: str) -> None:
    raw = engine.raw_connection()
    try:
        # Straight to the driver without parameters, so a literal % (a format string in a
        # function body) is not read as a placeholder.
        raw.cursor().execute(script)
        raw.commit()
    finally:
        # pg_dump files reset the session's search_path: never pool that connection.
        raw.invalidate()


def _run_mysql(engine: Engine, script: str) -> None:
    with engine.connect() as connection:
        for statement in mysql_statements(script):
            connection.exec_driver_sql(_escape_percent(statement))
        connection.commit()


def _escape_percent(statement: str) -> str:
    # pymysql formats the statement with %-style parameters even when none are given through
    # SQLAlchemy's exec_driver_sql, so a literal % (LIKE '%x%') must be doubled.
    return statement.replace("%", "%%")


@contextmanager
def _postgres_database(url: str) -> Iterator[Engine]:
    name = f"syda_pub_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = sa.create_engine(
        sa.make_url(url).set(database=name),
        connect_args={"connect_timeout": databases.CONNECT_TIMEOUT_SECONDS},
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


# A MySQL script's tokens that can hold a delimiter without ending a statement: quoted strings
# and identifiers, and comments (a ``/*! ... */`` comment is code MySQL runs, so it is kept).
_MYSQL_TOKEN = re.compile(
    r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.|\"\")*\"|`(?:[^`]|``)*`"
    r"|/\*.*?\*/|(?:--[ \t]|#)[^\n]*|--\n",
    re.DOTALL,
)
# Comments MySQL ignores (not the ``/*! ... */`` ones it runs): a statement of only these is none.
_COMMENT = re.compile(r"/\*(?!!).*?\*/|(?:--[ \t]|#)[^\n]*|--\n", re.DOTALL)
_DELIMITER = re.compile(r"^[ \t]*DELIMITER[ \t]+(\S+)[ \t]*$", re.IGNORECASE | re.MULTILINE)


def mysql_statements(script: str) -> list[str]:
    """Split a MySQL script into statements, as the ``mysql`` client does.

    ``DELIMITER x`` lines change the statement terminator (they are the client's, never sent);
    a terminator inside a string, quoted identifier or comment does not end a statement.
    Statements that are only comments are dropped.
    """
    statements: list[str] = []
    delimiter = ";"
    current: list[str] = []
    position = 0
    while position < len(script):
        line_start = position == 0 or script[position - 1] == "\n"
        directive = _DELIMITER.match(script, position) if line_start else None
        if directive:
            _flush(current, statements)
            delimiter = directive.group(1)
            position = directive.end()
            continue
        token = _MYSQL_TOKEN.match(script, position)
        if token:
            current.append(token.group())
            position = token.end()
        elif script.startswith(delimiter, position):
            _flush(current, statements)
            position += len(delimiter)
        else:
            current.append(script[position])
            position += 1
    _flush(current, statements)
    return statements


def _flush(current: list[str], statements: list[str]) -> None:
    text = "".join(current).strip()
    current.clear()
    if text and _COMMENT.sub("", text).strip():
        statements.append(text)


def shape(engine: Engine) -> dict[str, int]:
    """Count the tables, columns, foreign keys and CHECK constraints the database reports."""
    inspector = sa.inspect(engine)
    counts = {"tables": 0, "columns": 0, "foreign_keys": 0, "checks": 0}
    for table in inspector.get_table_names():
        counts["tables"] += 1
        counts["columns"] += len(inspector.get_columns(table))
        counts["foreign_keys"] += len(inspector.get_foreign_keys(table))
        counts["checks"] += len(_checks(inspector, table))
    return counts


def _checks(inspector: Any, table: str) -> list[Any]:
    try:
        return list(inspector.get_check_constraints(table))
    except NotImplementedError:
        return []


def url_of(engine: Engine) -> str:
    """The engine's URL as a command line takes it (with its password, if any)."""
    return engine.url.render_as_string(hide_password=False)


def count_rows(engine: Engine) -> dict[str, int]:
    """The rows of each table that syda reflects from the database, by table key."""
    schema = reflect_database(engine)
    with engine.connect() as connection:
        return {
            table.key: connection.execute(
                sa.select(sa.func.count()).select_from(sa.table(table.name))
            ).scalar_one()
            for table in schema
        }


@dataclass(frozen=True)
class CliRun:
    """What one in-process ``syda`` command did: its exit code and what it printed."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def error(self) -> Exception | None:
        """The exception the command stopped on, rebuilt from its ``--debug`` traceback.

        ``None`` when the command succeeded. The exception has the class the traceback names
        (``syda.errors.GenerationError``, ``KeyError``...) and the command's error line as its
        message, so a test can treat a failed command like the failed API call it wraps.
        """
        if self.code == 0:
            return None
        # The error is printed after the traceback: everything from its marker on.
        _, marker, message = self.err.rpartition("syda: error: ")
        message = message.strip() if marker else ""
        named = _TRACEBACK_LAST.findall(self.err)
        cls = _exception_class(named[-1]) if named else RuntimeError
        error = cls.__new__(cls)
        error.args = (message or f"exit code {self.code}: {self.err.strip()}",)
        # SydaError's __str__ reads these; a bare __new__ skipped its __init__.
        for attribute, value in (("message", error.args[0]), ("table", None), ("column", None)):
            setattr(error, attribute, value)
        return error


# The exception line that ends a traceback: a dotted class name, then its message or nothing.
_TRACEBACK_LAST = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Warning))(?::|$)", re.MULTILINE)


def _exception_class(name: str) -> type[Exception]:
    module, _, attribute = name.rpartition(".")
    found = getattr(importlib.import_module(module) if module else builtins, attribute, None)
    return found if isinstance(found, type) and issubclass(found, Exception) else RuntimeError


def run_cli(*args: object) -> CliRun:
    """Run ``syda ARGS --debug`` in this process (``--debug`` only adds the traceback)."""
    argv = (*(str(a) for a in args), "--debug")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return CliRun(argv, code, out.getvalue(), err.getvalue())
