"""Databases as a schema source and as a target: reflect, write in one transaction, bootstrap.

* :func:`reflect_database` reads a live database (SQLite, PostgreSQL, MySQL/MariaDB) into the
  schema IR, so a URL is a schema input like models or YAML.
* :func:`write_database` inserts a generated dataset into a database in ONE transaction (all
  rows or none), parents first, cycles included; :func:`write_database_chunks` streams any
  number of rows the same way, a chunk at a time (memory bounded by the chunk).
* :func:`check_target` refuses, before anything is generated, a write that would be refused
  (and reads what ``mode="append"`` builds on); :func:`count_rows`, :func:`read_existing` and
  :func:`read_tables` tell what is there already.
* :func:`seed_database` fills an application's dev database at start-up only when it is empty
  (or recreates it, or fills only the missing tables), and :func:`database_status` lists each
  table with its rows, NULL shares and date ranges (:class:`DatabaseStatus`, :class:`TableStatus`).

Every function takes a URL or an ``Engine``; errors never carry the URL's password.
"""

# Underscored module names: the namespace holds the API only (tests/test_public_api.py).
import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from syda.database.api import database_status, reflect_database
    from syda.database.bootstrap import SeedResult, seed_database
    from syda.database.existing import (
        Mode,
        check_target,
        count_rows,
        read_existing,
        read_tables,
    )
    from syda.database.status import DatabaseStatus, TableStatus
    from syda.database.writer import WriteReport, write_database, write_database_chunks

# Imported on first use (PEP 562): the command line reads a default from a submodule without
# paying for SQLAlchemy and pandas.
_HOMES = {
    "DatabaseStatus": "status",
    "SeedResult": "bootstrap",
    "TableStatus": "status",
    "database_status": "api",
    "seed_database": "bootstrap",
    "Mode": "existing",
    "check_target": "existing",
    "count_rows": "existing",
    "read_existing": "existing",
    "read_tables": "existing",
    "reflect_database": "api",
    "WriteReport": "writer",
    "write_database": "writer",
    "write_database_chunks": "writer",
}

__all__ = [
    "DatabaseStatus",
    "Mode",
    "SeedResult",
    "TableStatus",
    "WriteReport",
    "check_target",
    "count_rows",
    "database_status",
    "read_existing",
    "read_tables",
    "reflect_database",
    "seed_database",
    "write_database",
    "write_database_chunks",
]


def __getattr__(name: str) -> _typing.Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
