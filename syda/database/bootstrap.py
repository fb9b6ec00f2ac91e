"""Dev bootstrap: fill an application's database once, at start-up, and leave it alone after.

An application calls :func:`seed_database` when it starts in development (``APP_ENV=dev``):
the first start creates the missing tables and fills them all; every later start finds rows and
does nothing, so the data people work with survives restarts. ``reset=True`` empties the tables
and fills them again (in one transaction). Generation is seeded (seed 0 unless the caller passes
its own generator), so every fresh database of a team starts with the same data.

Seeders that start together (replicas of one application) give ONE dataset: the check, the
creation of missing tables and the write happen under the database's seed lock
(:mod:`syda.database.locks`: an advisory lock on PostgreSQL, ``GET_LOCK`` on MySQL/MariaDB, a
file lock beside a SQLite file). The others wait, at most ``lock_timeout`` seconds, then count
the rows again, find them, and report that the database is already seeded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from syda.database.connect import connected
from syda.database.existing import count_rows
from syda.database.locks import DEFAULT_LOCK_TIMEOUT, check_lock_timeout, seed_lock
from syda.database.reflect import reflect_database
from syda.database.writer import write_database
from syda.schema import load_schema
from syda.schema.ir import Schema

if TYPE_CHECKING:
    from syda.generator import SyntheticDataGenerator

__all__ = ["SeedResult", "database_status", "seed_database"]


@dataclass(frozen=True)
class SeedResult:
    """What :func:`seed_database` did."""

    seeded: bool
    """True when rows were written."""
    tables: dict[str, int]
    """Rows written per table key when seeded; otherwise the rows already there (0: absent)."""
    reason: str
    """One line saying what was done, or why nothing was."""


def seed_database(
    source: Any,
    target: str | sa.URL | sa.Engine,
    *,
    sample_sizes: Mapping[str, int] | None = None,
    default_sample_size: int = 10,
    reset: bool = False,
    generator: SyntheticDataGenerator | None = None,
    db_schema: str | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    **generate_kwargs: Any,
) -> SeedResult:
    """Fill the tables of ``source`` in ``target`` if they are all empty or absent.

    Args:
        source: The schema: models, a ``MetaData``, a dict, a YAML/JSON path (anything
            :func:`syda.load_schema` takes), or None to reflect the tables of ``target``.
        target: A database URL or an ``Engine``.
        sample_sizes: Rows per table key.
        default_sample_size: Rows for tables not in ``sample_sizes``.
        reset: Empty the tables and fill them again, even if they have rows.
        generator: The generator to use; default ``SyntheticDataGenerator(seed=0)``, so the same
            data every time.
        db_schema: The database schema (namespace) of the tables.
        lock_timeout: Seconds to wait for another seeder of the same database (and
            ``db_schema``) to finish; 0 does not wait.
        **generate_kwargs: Passed on to
            :meth:`~syda.SyntheticDataGenerator.generate_related_data` (``prompts``,
            ``cardinality``, ``custom_generators``, ...).

    Returns:
        Whether rows were written, how many per table, and why.

    Raises:
        SchemaError: If ``source`` cannot be read (or, for None, the database has no tables).
        PlanError: If sample sizes name unknown tables.
        GenerationError: If valid rows cannot be produced.
        ConfigurationError: If ``target`` is not a database URL, or ``lock_timeout`` is not a
            number of seconds (0 or more).
        OutputError: If the database cannot be read or written, or another seeder still holds
            the seed lock after ``lock_timeout`` seconds (nothing is written then).
    """
    timeout = check_lock_timeout(lock_timeout)
    with connected(target) as engine:
        schema = _schema(source, engine, db_schema)
        with seed_lock(engine, db_schema, timeout) as waited:
            # Counted under the lock: a seeder that waited finds what the other one wrote.
            counts = count_rows(schema, engine, db_schema=db_schema)
            filled = {k: n for k, n in counts.items() if n}
            if filled and not reset:
                return _not_seeded(counts, filled, waited)
            if generator is None:
                from syda.generator import SyntheticDataGenerator

                generator = SyntheticDataGenerator(seed=0)
            frames = generator.generate_related_data(
                schema,
                sample_sizes=sample_sizes,
                default_sample_size=default_sample_size,
                **generate_kwargs,
            )
            report = write_database(
                schema,
                frames,
                engine,
                mode="replace" if filled else "fail",
                create_tables=True,
                db_schema=db_schema,
            )
    created = [k for k, n in counts.items() if n is None]
    how = "emptied and refilled" if filled else "filled"
    made = f" (created {', '.join(created)})" if created else ""
    total = sum(report.tables.values())
    return SeedResult(
        seeded=True,
        tables=report.tables,
        reason=f"{how} {len(report.tables)} tables with {total} rows{made}",
    )


def _not_seeded(
    counts: Mapping[str, int | None], filled: Mapping[str, int], waited: float
) -> SeedResult:
    listed = ", ".join(f"{k} ({n} rows)" for k, n in filled.items())
    # Another seeder held the lock: say so, it explains rows that were not there at the start.
    after = f", found after waiting {waited:.2f} s for another seeder" if waited else ""
    return SeedResult(
        seeded=False,
        tables={k: n or 0 for k, n in counts.items()},
        reason=f"not seeded: {listed} already have rows{after} (reset=True empties and refills)",
    )


def database_status(
    source: Any | None, target: str | sa.URL | sa.Engine, *, db_schema: str | None = None
) -> dict[str, int | None]:
    """Each table of ``source`` (or of the database, for None) with its row count.

    Returns:
        Rows per table key; None for a table the database does not have.

    Raises:
        SchemaError: If ``source`` cannot be read (or, for None, the database has no tables).
        ConfigurationError: If ``target`` is not a database URL.
        OutputError: If the database cannot be read, or (SQLite) its file does not exist.
    """
    with connected(target, must_exist=True) as engine:
        return count_rows(_schema(source, engine, db_schema), engine, db_schema=db_schema)


def _schema(source: Any, engine: sa.Engine, db_schema: str | None) -> Schema:
    if source is None:
        return reflect_database(engine, schema=db_schema)
    return load_schema(source)
