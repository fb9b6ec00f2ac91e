"""Public signatures that differ from the functions behind them, kept apart from those modules.

* :func:`database_status` takes the database alone (``database_status(url)``), as well as a
  schema and the database (``database_status(models, url)``).
* :func:`reflect_database` names the database schema ``db_schema=``, as every other function of
  :mod:`syda.database` does; ``schema=``, its first name, is still accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from syda.database import bootstrap, reflect
from syda.database.status import DatabaseStatus
from syda.errors import ConfigurationError
from syda.schema.ir import Schema

__all__ = ["database_status", "reflect_database"]

Target = str | sa.URL | sa.Engine


def database_status(
    source: Any | None, target: Target | None = None, *, db_schema: str | None = None
) -> DatabaseStatus:
    """Each table of ``source`` (or of the database, for None) with its row count and statistics.

    Args:
        source: The schema whose tables are counted (anything ``generate_related_data``
            takes), or None for every table of the database. Given alone, it is the database:
            ``database_status(url)``.
        target: The database: a URL or an ``Engine``.
        db_schema: The database schema (namespace) of the tables.

    Returns:
        A dict of rows per table key (None for a table the database does not have), with
        ``exists`` (False for a database not created yet: a SQLite file or a server database
        that is not there, which looking does not create; every table of ``source`` is then
        absent) and ``tables``: per present table, a :class:`~syda.database.TableStatus`
        (``rows``, ``null_shares`` per column, ``date_ranges`` of date columns).

    Raises:
        SchemaError: If ``source`` cannot be read.
        ConfigurationError: If no database is given, or ``target`` is not a database URL.
        OutputError: If the database cannot be read.
    """
    if target is not None:
        return bootstrap.database_status(source, target, db_schema=db_schema)
    if source is None:
        raise ConfigurationError(
            "database_status needs the database: database_status(url), or "
            "database_status(models, url) for the tables of models"
        )
    return bootstrap.database_status(None, source, db_schema=db_schema)


def reflect_database(
    url: Target,
    *,
    db_schema: str | None = None,
    tables: Sequence[str] | None = None,
    schema: str | None = None,
) -> Schema:
    """Read the tables of a database into a :class:`~syda.schema.ir.Schema`.

    Args:
        url: A database URL (``sqlite:///app.db``, ``postgresql://user@host/db``,
            ``mysql+pymysql://...``) or an ``Engine``.
        db_schema: The database schema (namespace) to read, e.g. ``"sales"``; default: the
            connection's default schema (``public`` on PostgreSQL, the URL's database on MySQL).
        tables: Only these tables, plus the tables their foreign keys point at (so every key
            has its parent in the schema). Default: every table.
        schema: The former name of ``db_schema``, still accepted.

    Returns:
        The schema, tables in the order the database lists them.

    Raises:
        SchemaError: If the database has no tables, ``tables`` names tables it does not have,
            or the tables have problems syda cannot work with (all listed).
        ConfigurationError: If ``url`` is not a database URL, or ``schema`` and ``db_schema``
            are both given and differ.
        OutputError: If the database cannot be reached or read, its driver is not installed,
            or (SQLite) its file does not exist.
    """
    if schema is not None and db_schema is not None and schema != db_schema:
        raise ConfigurationError(
            f"reflect_database got db_schema={db_schema!r:.60} and schema={schema!r:.60}: "
            "give db_schema only (schema is its former name)"
        )
    return reflect.reflect_database(url, schema=db_schema or schema, tables=tables)
