"""Integer keys follow their type: a table cannot have more rows than its key column can number.

A ``TINYINT UNSIGNED`` primary key numbers 255 rows (1..255), a PostgreSQL ``smallint`` 32,767,
a key with ``CHECK (id BETWEEN 1 AND 100)`` 100; a unique integer column holds as many distinct
values as its bounds allow. Asking a table for more by name is a :class:`~syda.errors.PlanError`
before anything is drawn, naming the column, its type and the most rows it can take; a count
that was not asked by name (``default_sample_size``, the command line's blanket ``--rows N``) is
held to what the key can number, and the plan says so (piwigo's ``TINYINT(4)`` site ids number
127 sites when every table gets 200 rows).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from syda.errors import PlanError
from syda.plan_checks import Estimate
from syda.schema.ir import Column, Table
from syda.schema.limits import shown_bound

if TYPE_CHECKING:
    from syda.plan import TablePlan

__all__ = ["check_key_ranges", "with_key_range_rows"]

logger = logging.getLogger("syda")


def with_key_range_rows(tp: TablePlan, asked: int | None) -> TablePlan:
    """``tp`` with no more rows than its integer key can number, when its count was not asked.

    Args:
        tp: The table's plan.
        asked: The rows asked for this table by name, or None (the default count applies).
    """
    if asked is not None or tp.rows is None:
        return tp
    rooms = [(column, room) for column, room in _numbered(tp.table) if room < tp.rows]
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
        for column, room in _numbered(table):
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
    if len(problems) == 1:
        key, name, text = problems[0]
        raise PlanError(text, table=key, column=name)
    if problems:
        raise PlanError("; ".join(f"{key}.{name}: {text}" for key, name, text in problems))


def _numbered(table: Table) -> list[tuple[Column, int]]:
    """Integer columns whose every row needs its own value, with how many values they hold."""
    found: list[tuple[Column, int]] = []
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
        found.append((column, max(0, math.floor(column.maximum) - math.ceil(low) + 1)))
    return found


def _range(column: Column) -> str:
    low = "" if column.minimum is None else shown_bound(column.kind, column.minimum)
    high = "" if column.maximum is None else shown_bound(column.kind, column.maximum)
    return f"{low}..{high}"
