"""Databases as a schema source and as a target: reflect, write in one transaction, bootstrap.

* :func:`reflect_database` reads a live database (SQLite, PostgreSQL, MySQL/MariaDB) into the
  schema IR, so a URL is a schema input like models or YAML.
* :func:`write_database` inserts a generated dataset into a database in ONE transaction (all
  rows or none), parents first, cycles included; :func:`count_rows` and :func:`read_existing`
  tell what is there already (the latter for ``mode="append"``).
* :func:`seed_database` fills an application's dev database at start-up only when it is empty,
  and :func:`database_status` lists each table with its row count.

Every function takes a URL or an ``Engine``; errors never carry the URL's password.
"""

from syda.database.bootstrap import SeedResult, database_status, seed_database
from syda.database.reflect import reflect_database
from syda.database.writer import Mode, WriteReport, count_rows, read_existing, write_database

__all__ = [
    "Mode",
    "SeedResult",
    "WriteReport",
    "count_rows",
    "database_status",
    "read_existing",
    "reflect_database",
    "seed_database",
    "write_database",
]
