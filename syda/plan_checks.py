"""What a caller may ask of a plan: row counts, cardinalities, and the size of the whole run.

The API and the command line pass their requests through these checks alone (the CLI only
splits ``KEY=VALUE``), so both refuse the same inputs with the same message, before anything is
allocated.

The size rule lives here, in one place: generation holds every table in memory, so a run whose
estimated size (rows x columns x :data:`BYTES_PER_VALUE`, over all tables) exceeds the memory of
the machine is refused with a :class:`~syda.errors.PlanError` instead of dying in a
``MemoryError`` after minutes. The streaming engine (:mod:`syda.stream`) holds one chunk at a
time, so it plans inside :func:`streaming`, where the rule does not apply.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from syda.errors import PlanError
from syda.generators.keys import Cardinality, parse_cardinality, whole_number
from syda.schema.ir import Schema, Table
from syda.schema.limits import shown
from syda.suggest import did_you_mean, did_you_mean_each

__all__ = [
    "BYTES_PER_VALUE",
    "FALLBACK_MEMORY",
    "Estimate",
    "check_size",
    "memory_budget",
    "requested_rows",
    "resolve_cardinality",
    "streaming",
]

BYTES_PER_VALUE = 64
"""Memory one generated value takes, rounded down from a measurement: the CRM benchmark's
1,000,000 rows (6.9 million values) peak at about 480 MB, with validation. Rounding down means
only runs that clearly cannot fit are refused."""

FALLBACK_MEMORY = 16 * 2**30
"""The budget where the machine's memory cannot be read (no ``os.sysconf``, as on Windows)."""


def memory_budget() -> int:
    """The bytes a run may need: the machine's physical memory, else :data:`FALLBACK_MEMORY`."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return FALLBACK_MEMORY


def _count(value: object, what: str) -> int:
    n = whole_number(value)
    if n is None or n < 0:
        raise PlanError(f"{what} must be a non-negative whole number, got {shown(value)}")
    return n


def requested_rows(
    schema: Schema, rows: Mapping[str, int], default_rows: int
) -> tuple[dict[str, int], int]:
    """Rows asked for each named table, by table key, and the checked default.

    Raises:
        PlanError: If ``rows`` is not a mapping, names tables the schema does not have, or a
            count is not a non-negative whole number.
    """
    default = _count(default_rows, "the default row count")
    if not isinstance(rows, Mapping):
        raise PlanError(f"sample sizes must be a mapping of table to rows, got {shown(rows)}")
    by_name = _tables_by_name(schema)
    unknown = [name for name in rows if name not in by_name]
    if unknown:
        listed = ", ".join(shown(name) for name in unknown)
        hint = did_you_mean_each(unknown, by_name)
        raise PlanError(f"unknown table(s) {listed}; the schema has {_listed(schema)}{hint}")
    counts: dict[str, int] = {}
    for name, n in rows.items():
        table = by_name[name]
        counts[table.key] = _count(n, f"the row count of {table.key}")
    return counts, default


def resolve_cardinality(
    schema: Schema, cardinality: Mapping[str, Any] | None
) -> dict[tuple[str, int], Cardinality]:
    """Every cardinality, by (table key, index of the foreign key it is set on).

    A key is ``"Table.column"`` (table key or SQL name, any column of the foreign key, or the
    constraint's name); every key and every spec is checked, used or not.

    Raises:
        PlanError: Listing every bad key (not ``TABLE.FK_COLUMN``, unknown table, not a
            foreign-key column, two keys for one foreign key) and every bad spec.
    """
    if cardinality is None:
        return {}
    if not isinstance(cardinality, Mapping):
        raise PlanError(
            f"cardinality must be a mapping of 'Table.fk_column' to a spec, got "
            f"{shown(cardinality)}"
        )
    by_name = _tables_by_name(schema)
    found: dict[tuple[str, int], tuple[str, Cardinality]] = {}
    problems: list[str] = []
    for key, spec in cardinality.items():
        try:
            where = _foreign_key_of(key, by_name, schema)
            card = parse_cardinality(spec, key)
        except PlanError as exc:
            problems.append(exc.message)
            continue
        if where in found:
            problems.append(
                f"cardinality keys {found[where][0]!r} and {key!r} name the same foreign key"
            )
        found[where] = (key, card)
    if problems:
        raise PlanError("; ".join(problems))
    return {where: card for where, (_, card) in found.items()}


def _foreign_key_of(key: object, by_name: Mapping[str, Table], schema: Schema) -> tuple[str, int]:
    if not isinstance(key, str) or "." not in key:
        raise PlanError(f"cardinality key {shown(key)} is not TABLE.FK_COLUMN")
    name, _, column = key.rpartition(".")
    table = by_name.get(name)
    if table is None:
        hint = did_you_mean(name, by_name, as_written=f"{{}}.{column}")
        raise PlanError(
            f"cardinality key {shown(key)}: unknown table {shown(name)}; the schema "
            f"has {_listed(schema)}{hint}"
        )
    for i, fk in enumerate(table.foreign_keys):
        if column in fk.columns or (column and column == fk.name):
            return table.key, i
    columns = sorted({c for fk in table.foreign_keys for c in fk.columns})
    has = f"its foreign-key columns are {', '.join(columns)}" if columns else "it has none"
    names = [*columns, *(fk.name for fk in table.foreign_keys if fk.name)]
    hint = did_you_mean(column, names, as_written=f"{name}.{{}}")
    raise PlanError(
        f"cardinality key {shown(key)}: {shown(column)} is not a foreign-key column "
        f"of {table.key} ({has}){hint}"
    )


class Estimate(NamedTuple):
    """The size of one table in a plan."""

    rows: int
    columns: int
    how: str = ""
    """Where the rows come from when no count was given (a cardinality), for the message."""


_STREAMING: ContextVar[bool] = ContextVar("syda_streaming", default=False)


@contextmanager
def streaming() -> Iterator[None]:
    """Plan for the streaming engine: memory is bounded by the chunk, not by the tables."""
    token = _STREAMING.set(True)
    try:
        yield
    finally:
        _STREAMING.reset(token)


def check_size(estimates: Mapping[str, Estimate], budget: int | None = None) -> None:
    """Refuse a run whose tables cannot fit in memory together.

    Args:
        estimates: The size of every table, by table key.
        budget: The bytes available; :func:`memory_budget` by default.

    Raises:
        PlanError: If rows x columns x :data:`BYTES_PER_VALUE` over all tables exceeds
            the budget; it names the largest table, its rows and the budget.
    """
    if _STREAMING.get():
        return
    budget = memory_budget() if budget is None else budget
    need = {key: e.rows * max(e.columns, 1) * BYTES_PER_VALUE for key, e in estimates.items()}
    total = sum(need.values())
    if total <= budget:
        return
    largest = max(need, key=need.__getitem__)
    rows, cols, how = estimates[largest]
    raise PlanError(
        f"{rows:,} rows{f' ({how})' if how else ''} x {cols} columns would need about "
        f"{_size(need[largest])} of memory ({_size(total)} for the whole run, at about "
        f"{BYTES_PER_VALUE} bytes a value), more than the {_size(budget)} of this machine; "
        "syda generates in memory, so ask for fewer rows or stream them to files "
        "(generate_to, or syda generate --out DIR --chunk-rows N)",
        table=largest,
    )


def _size(n: float) -> str:
    units = ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB")
    i = 0
    while n >= 1024 and i < len(units) - 1:
        n /= 1024
        i += 1
    return f"{n:,.1f} {units[i]}"


def _tables_by_name(schema: Schema) -> dict[str, Table]:
    # SQL names first, so a table key equal to another table's SQL name means the key.
    return {t.name: t for t in schema} | {t.key: t for t in schema}


def _listed(schema: Schema) -> str:
    return ", ".join(sorted(t.key for t in schema))
