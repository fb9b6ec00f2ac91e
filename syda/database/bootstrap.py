"""Dev bootstrap: fill an application's database once, at start-up, and leave it alone after.

An application calls :func:`seed_database` when it starts in development
(``only_if_env=("APP_ENV", "dev")``: anywhere else nothing is touched): the first start creates
the missing tables and fills them all; every later start finds rows and does nothing, so the data
people work with survives restarts. ``reset=True`` empties the tables and fills them again (in
one transaction); ``reset="recreate"`` drops them and creates them from the models, so a column
the models gained since works; ``fill_missing=True`` fills only the tables that are absent or
empty and keeps the others, new rows pointing at the rows kept. Generation is seeded (seed 0
unless the caller passes its own generator), so every fresh database of a team starts with the
same data.

A database where some tables have rows and others are absent or empty is refused (``outcome
"refused"``: nothing is written, and ``syda seed`` exits 1), since filling it whole would
duplicate the rows kept and filling it in part needs ``fill_missing``.

Seeders that start together (replicas of one application) give ONE dataset: the check, the
creation of missing tables and the write happen under the database's seed lock
(:mod:`syda.database.locks`: an advisory lock on PostgreSQL, ``GET_LOCK`` on MySQL/MariaDB, a
file lock beside a SQLite file). The others wait, at most ``lock_timeout`` seconds, then count
the rows again, find them, and report that the database is already seeded.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from syda.database.connect import connected
from syda.database.existing import count_rows
from syda.database.locks import DEFAULT_LOCK_TIMEOUT, check_lock_timeout, seed_lock
from syda.database.recreate import changed_tables, drop_tables
from syda.database.reflect import reflect_database
from syda.database.status import DatabaseStatus, table_names, table_status
from syda.database.writer import write_database
from syda.errors import ConfigurationError, OutputError
from syda.schema import load_schema
from syda.schema.ir import Schema

if TYPE_CHECKING:
    from syda.generator import SyntheticDataGenerator

__all__ = ["SeedResult", "database_status", "seed_database"]

Outcome = Literal["seeded", "kept", "refused", "skipped"]
Reset = bool | Literal["empty", "recreate"]


@dataclass(frozen=True)
class SeedResult:
    """What :func:`seed_database` did."""

    seeded: bool
    """True when rows were written."""
    tables: dict[str, int]
    """Rows written per table key when seeded; otherwise the rows already there (0: absent)."""
    reason: str
    """One line saying what was done, or why nothing was."""
    outcome: Outcome = "seeded"
    """``"seeded"`` (rows written), ``"kept"`` (every table already has rows), ``"refused"``
    (some tables have rows and others not: nothing written), ``"skipped"`` (``only_if_env``
    did not match: the database was not touched)."""


def seed_database(
    source: Any,
    target: str | sa.URL | sa.Engine,
    *,
    sample_sizes: Mapping[str, int] | None = None,
    default_sample_size: int = 10,
    reset: Reset = False,
    fill_missing: bool = False,
    only_if_env: tuple[str, str | Collection[str]] | None = None,
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
        reset: ``True`` or ``"empty"``: empty the tables and fill them again, even if they have
            rows; ``"recreate"``: drop the tables and create them from ``source`` first (for
            models that changed since the tables were made).
        fill_missing: Fill only the tables that are absent or empty; the others keep their rows,
            and new rows may point at them. Refused (``outcome="refused"``) when a table kept
            has a foreign key into a table to fill: its rows would point at nothing.
        only_if_env: ``(name, value)``: seed only when the environment variable ``name`` is
            ``value`` (or one of several values); otherwise nothing is touched, not even the
            connection, and the result says why (``outcome="skipped"``).
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
        ConfigurationError: If ``target`` is not a database URL, ``reset`` or ``only_if_env``
            is malformed, ``reset`` and ``fill_missing`` are both given, or ``lock_timeout`` is
            not a number of seconds (0 or more).
        OutputError: If the database cannot be read or written, or another seeder still holds
            the seed lock after ``lock_timeout`` seconds (nothing is written then).
    """
    how = _check_reset(reset, fill_missing)
    skipped = _env_gate(only_if_env)
    if skipped is not None:
        return skipped
    timeout = check_lock_timeout(lock_timeout)
    with connected(target) as engine:
        schema = _schema(source, engine, db_schema)
        with seed_lock(engine, db_schema, timeout) as waited:
            # Counted under the lock: a seeder that waited finds what the other one wrote.
            counts = count_rows(schema, engine, db_schema=db_schema)
            filled = {k: n for k, n in counts.items() if n}
            if filled and how is None and not fill_missing:
                return _not_seeded(counts, filled, waited)
            if generator is None:
                from syda.generator import SyntheticDataGenerator

                generator = SyntheticDataGenerator(seed=0)
            job = _Job(schema, engine, db_schema, generator, sample_sizes, default_sample_size)
            if fill_missing and filled:
                return job.fill_missing(counts, filled, generate_kwargs)
            return job.fill_all(counts, filled, how, generate_kwargs)


@dataclass
class _Job:
    """One seeding, under the seed lock: what to generate and where to write it."""

    schema: Schema
    engine: sa.Engine
    db_schema: str | None
    generator: SyntheticDataGenerator
    sample_sizes: Mapping[str, int] | None
    default_sample_size: int

    def fill_all(
        self,
        counts: Mapping[str, int | None],
        filled: Mapping[str, int],
        how: str | None,
        kwargs: Mapping[str, Any],
    ) -> SeedResult:
        # Generated before anything is dropped or emptied: rows that cannot be made cost the
        # database nothing.
        frames = self.generator.generate_related_data(
            self.schema,
            sample_sizes=self.sample_sizes,
            default_sample_size=self.default_sample_size,
            **kwargs,
        )
        present = {k for k, n in counts.items() if n is not None}
        if how != "recreate" and present:
            _refuse_changed(self.engine, self.schema, self.db_schema)
        if how == "recreate" and present:
            drop_tables(self.engine, self.schema, present, db_schema=self.db_schema)
            counts = dict.fromkeys(counts)
            filled = {}
        report = write_database(
            self.schema,
            frames,
            self.engine,
            mode="replace" if filled else "fail",
            create_tables=True,
            db_schema=self.db_schema,
        )
        if how == "recreate" and present:
            return _seeded(report.tables, "dropped, recreated and filled", ())
        created = [k for k, n in counts.items() if n is None]
        return _seeded(report.tables, "emptied and refilled" if filled else "filled", created)

    def fill_missing(
        self,
        counts: Mapping[str, int | None],
        filled: Mapping[str, int],
        kwargs: Mapping[str, Any],
    ) -> SeedResult:
        todo = [k for k in counts if k not in filled]
        if not todo:
            return _not_seeded(counts, filled, 0.0)
        orphaned = _children_of(self.schema, filled, todo)
        if orphaned:
            return SeedResult(
                seeded=False,
                tables={k: n or 0 for k, n in counts.items()},
                reason=f"not seeded: {'; '.join(orphaned)} (reset=True empties and refills all)",
                outcome="refused",
            )
        sizes = {**(self.sample_sizes or {}), **dict.fromkeys(filled, 0)}
        frames = self.generator.generate_related_data(
            self.schema,
            sample_sizes=sizes,
            default_sample_size=self.default_sample_size,
            db_url=self.engine,
            if_exists="append",
            create_tables=True,
            db_schema=self.db_schema,
            **kwargs,
        )
        written = {k: len(frames[k]) for k in todo if k in frames}
        created = [k for k in todo if counts[k] is None]
        return _seeded(written, "filled", created, kept=filled, noun="missing table")


def _check_reset(reset: Reset, fill_missing: bool) -> str | None:
    """``"empty"``, ``"recreate"`` or None (no reset)."""
    if reset is True:
        how: str | None = "empty"
    elif reset is False:
        how = None
    elif reset in ("empty", "recreate"):
        how = reset
    else:
        raise ConfigurationError(
            f"reset must be True, False, 'empty' or 'recreate', not {reset!r:.40}"
        )
    if how is not None and fill_missing:
        raise ConfigurationError(
            f"reset={reset!r} and fill_missing=True exclude each other: a reset refills every "
            "table, fill_missing=True only the absent or empty ones"
        )
    return how


def _env_gate(only_if_env: tuple[str, str | Collection[str]] | None) -> SeedResult | None:
    """The result of a seeding the environment rules out (None: go on)."""
    if only_if_env is None:
        return None
    if not (isinstance(only_if_env, tuple) and len(only_if_env) == 2):
        raise ConfigurationError(
            f"only_if_env must be (name, value), e.g. ('APP_ENV', 'dev'), not {only_if_env!r:.60}"
        )
    name, wanted = only_if_env
    allowed = {wanted} if isinstance(wanted, str) else set(wanted)
    value = os.environ.get(name)
    if value in allowed:
        return None
    shown = "unset" if value is None else f"{value!r}"
    return SeedResult(
        seeded=False,
        tables={},
        reason=f"not seeded: {name} is {shown}, not {' or '.join(map(repr, sorted(allowed)))}"
        " (only_if_env): the database was not touched",
        outcome="skipped",
    )


def _children_of(schema: Schema, kept: Mapping[str, int], todo: Collection[str]) -> list[str]:
    """Why kept tables cannot stay: each one whose foreign key points into a table to fill."""
    problems = []
    for table in schema:
        if table.key not in kept:
            continue
        parents = sorted({fk.ref_table for fk in table.foreign_keys} & set(todo))
        parents = [p for p in parents if p != table.key]
        if parents:
            problems.append(
                f"{table.key} keeps {kept[table.key]} rows that point at "
                f"{', '.join(parents)}, which would be filled anew"
            )
    return problems


def _seeded(
    written: Mapping[str, int],
    done: str,
    created: Collection[str],
    kept: Collection[str] = (),
    noun: str = "table",
) -> SeedResult:
    notes = [f"created {', '.join(created)}"] if created else []
    notes += [f"kept {', '.join(kept)}"] if kept else []
    n = len(written)
    what = f"{done} {n} {noun}{'s' if n != 1 else ''} with {sum(written.values()):,} rows"
    return SeedResult(
        seeded=True,
        tables=dict(written),
        reason=what + (f" ({'; '.join(notes)})" if notes else ""),
    )


def _refuse_changed(engine: sa.Engine, schema: Schema, db_schema: str | None) -> None:
    changed = changed_tables(engine, schema, db_schema=db_schema)
    if changed:
        raise OutputError(
            f"the tables are older than the schema: {'; '.join(changed)}; "
            "reset='recreate' drops them and creates them from the schema"
        )


def _not_seeded(
    counts: Mapping[str, int | None], filled: Mapping[str, int], waited: float
) -> SeedResult:
    listed = ", ".join(f"{k} ({n} rows)" for k, n in filled.items())
    # Another seeder held the lock: say so, it explains rows that were not there at the start.
    after = f", found after waiting {waited:.2f} s for another seeder" if waited else ""
    lacking = [k for k, n in counts.items() if not n]
    if not lacking:
        return SeedResult(
            seeded=False,
            tables={k: n or 0 for k, n in counts.items()},
            reason=f"not seeded: {listed} already have rows{after} (reset=True empties and "
            "refills)",
            outcome="kept",
        )
    missing = ", ".join(f"{k} ({'absent' if counts[k] is None else 'empty'})" for k in lacking)
    return SeedResult(
        seeded=False,
        tables={k: n or 0 for k, n in counts.items()},
        reason=f"not seeded: the database is partly seeded: {listed} have rows{after} but "
        f"{missing} not (fill_missing=True fills those, reset=True refills all)",
        outcome="refused",
    )


def database_status(
    source: Any | None, target: str | sa.URL | sa.Engine, *, db_schema: str | None = None
) -> DatabaseStatus:
    """Each table of ``source`` (or of the database, for None) with its row count.

    Returns:
        Rows per table key (None for a table the database does not have), with ``exists``
        and per-table statistics (``tables``: rows, NULL shares, date ranges). A database
        that does not exist yet has every table absent and is not created.

    Raises:
        SchemaError: If ``source`` cannot be read.
        ConfigurationError: If ``target`` is not a database URL.
        OutputError: If the database cannot be read.
    """
    if source is not None:
        return table_status(load_schema(source), target, db_schema=db_schema)
    names = table_names(target, db_schema)  # before connecting: that would create a file
    if names is None:
        return DatabaseStatus({}, exists=False)
    if not names:
        return DatabaseStatus({})
    with connected(target) as engine:
        schema = reflect_database(engine, schema=db_schema)
        return table_status(schema, engine, db_schema=db_schema)


def _schema(source: Any, engine: sa.Engine, db_schema: str | None) -> Schema:
    if source is None:
        return reflect_database(engine, schema=db_schema)
    return load_schema(source)
