"""Integer keys follow their type: a table cannot have more rows than its key column can number.

A ``TINYINT UNSIGNED`` primary key numbers 255 rows (1..255), a PostgreSQL ``smallint`` 32,767,
a key with ``CHECK (id BETWEEN 1 AND 100)`` 100; a unique integer column holds as many distinct
values as its bounds allow. Asking a table for more by name is a :class:`~syda.errors.PlanError`
before anything is drawn, naming the column, its type and the most rows it can take; a count
that was not asked by name (``default_sample_size``, the command line's blanket ``--rows N``) is
held to what the key can number, and the plan says so (piwigo's ``TINYINT(4)`` site ids number
127 sites when every table gets 200 rows).

In append mode the keys the table holds already count (:func:`with_existing_keys`): a key
sequence goes on after the largest existing key, other unique values avoid the existing ones,
so a second run adds only what is left (piwigo's second run adds no site) and says so in a
warning; asking by name for more than is left is a :class:`~syda.errors.PlanError`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from syda.errors import PlanError
from syda.plan_checks import Estimate
from syda.schema.ir import Column, Table
from syda.schema.limits import shown_bound

if TYPE_CHECKING:
    from syda.plan import Plan, TablePlan

__all__ = ["check_key_ranges", "with_existing_keys", "with_key_range_rows"]

logger = logging.getLogger("syda")


def with_key_range_rows(tp: TablePlan, asked: int | None) -> TablePlan:
    """``tp`` with no more rows than its integer key can number, when its count was not asked.

    Args:
        tp: The table's plan.
        asked: The rows asked for this table by name, or None (the default count applies).
    """
    if asked is not None or tp.rows is None:
        return tp
    rooms = [(column, room) for column, _, room in _numbered(tp.table) if room < tp.rows]
    if not rooms:
        return tp
    column, room = min(rooms, key=lambda item: item[1])
    note = (
        f"{room:,} rows, not {tp.rows:,}: {column.name} {column.sql_type or column.kind} "
        f"({_range(column)}) numbers at most {room:,} (widen the column's type for more rows; "
        f"more asked by name, sample_sizes or --rows {tp.table.key}=N, is an error)"
    )
    logger.info("%s: %s", tp.table.key, note)
    return replace(tp, rows=room, rows_note=note)


def check_key_ranges(tables: Mapping[str, Table], sizes: Mapping[str, Estimate]) -> None:
    """Refuse a table whose rows its integer key (or a unique integer column) cannot number.

    Args:
        tables: The planned tables, by key.
        sizes: How many rows each table gets.

    Raises:
        PlanError: Naming every such column, with the most rows it can take.
    """
    problems: list[tuple[str, str, str]] = []
    for key, table in tables.items():
        size = sizes.get(key)
        if size is None:
            continue
        for column, _, room in _numbered(table):
            if size.rows > room:
                problems.append(
                    (
                        key,
                        column.name,
                        f"{column.sql_type or column.kind} ({_range(column)}) numbers at most "
                        f"{room:,} rows, not {size.rows:,}: ask for at most {room:,} {key} "
                        "rows, or widen the column's type",
                    )
                )
    _raise(problems)


def with_existing_keys(
    plan: Plan, existing: Mapping[str, pd.DataFrame] | None, asked: Mapping[str, int]
) -> Plan:
    """``plan`` with no more new rows than each integer key can still number (append mode).

    Args:
        plan: The plan, its counts already held to the key ranges of empty tables.
        existing: The rows the target holds, by table key (their key and unique columns).
        asked: The rows asked for tables by name.

    Raises:
        PlanError: If a table asked for by name needs more keys than are left.
    """
    if not existing:
        return plan
    tables = dict(plan.tables)
    problems: list[tuple[str, str, str]] = []
    for key, tp in plan.tables.items():
        rows = existing.get(key)
        if tp.rows is None or rows is None or not len(rows):
            continue
        left = [
            (column, _left(column, low, room, rows, tp.sources[column.name].kind == "sequence"))
            for column, low, room in _numbered(tp.table)
            if column.name in rows
        ]
        short = [(column, n) for column, n in left if n < tp.rows]
        if not short:
            continue
        column, n = min(short, key=lambda item: item[1])
        held = (
            f"{column.sql_type or column.kind} ({_range(column)}) numbers {n:,} more rows after "
            f"the {len(rows):,} in the table"
        )
        if key in asked:
            problems.append((key, column.name, f"{held}, not {tp.rows:,}: ask for at most {n:,}"))
            continue
        note = f"{n:,} new rows, not {tp.rows:,}: {column.name} {held} (widen the column's type)"
        logger.warning("%s: %s", key, note)
        tables[key] = replace(tp, rows=n, rows_note=note)
    _raise(problems)
    return replace(plan, tables=tables)


def _left(column: Column, low: float, room: int, rows: pd.DataFrame, sequence: bool) -> int:
    """How many values ``column`` can still take beside the ``rows`` it holds."""
    held = pd.to_numeric(rows[column.name], errors="coerce").dropna()
    high = math.floor(column.maximum or 0)
    inside = held[(held >= low) & (held <= high)]
    if not len(inside):
        return room
    if sequence:  # a key sequence goes on after the largest key (as a database's does)
        return max(0, high - max(math.ceil(low) - 1, int(inside.max())))
    return max(0, room - inside.nunique())


def _raise(problems: list[tuple[str, str, str]]) -> None:
    if len(problems) == 1:
        key, name, text = problems[0]
        raise PlanError(text, table=key, column=name)
    if problems:
        raise PlanError("; ".join(f"{key}.{name}: {text}" for key, name, text in problems))


def _numbered(table: Table) -> list[tuple[Column, float, int]]:
    """Integer columns whose every row needs its own value: their lowest value and room."""
    found: list[tuple[Column, float, int]] = []
    for column in table.columns:
        if column.kind != "integer" or column.generated or column.maximum is None:
            continue
        key = table.primary_key == (column.name,)
        if not key and (column.name,) not in table.unique_sets:
            continue
        if any(column.name in fk.columns for fk in table.foreign_keys):
            continue  # its values are its parent's keys: the parent is checked
        # A numbered key starts at 1; other unique values may use the whole range.
        low = max(1.0, column.minimum or 1.0) if key else column.minimum
        if low is None:
            continue
        found.append((column, low, max(0, math.floor(column.maximum) - math.ceil(low) + 1)))
    return found


def _range(column: Column) -> str:
    low = "" if column.minimum is None else shown_bound(column.kind, column.minimum)
    high = "" if column.maximum is None else shown_bound(column.kind, column.maximum)
    return f"{low}..{high}"
