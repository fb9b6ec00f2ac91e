"""The unique rules in the repair loop: which rows to re-ask, after leaving partial indexes.

:mod:`syda.repair` re-asks the rows that repeat a UNIQUE set. The rules of
:mod:`syda.validation.unique_rules` (partial and expression indexes, NULLS NOT DISTINCT,
case-insensitive columns) join that loop through :class:`UniqueRepair`, with one step first: a
row that repeats a value inside a *partial* index may leave the index instead, when a provider
column of its predicate can take a value that makes the predicate not TRUE. For ``UNIQUE
(is_default) WHERE is_default`` the later rows get ``is_default = false``; for ``UNIQUE (email)
WHERE deleted_at IS NULL`` a repeated email becomes a deleted row's. That is how such data looks
(one default row, one live account per address), and it needs no re-ask, which a boolean's two
values could not satisfy anyway. The values tried, in order: NULL (if allowed), false, 0, the
column's DEFAULT, its allowed values, then values of rows outside the index.

A rule DuckDB cannot evaluate is left to the database, with a warning.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from syda.repair_swap import swap_repeats
from syda.schema.check_sql import CheckSqlError, read_check
from syda.schema.ir import Table, UniqueIndex
from syda.validation.unique_rules import (
    UniqueRuleError,
    describe_rule,
    repeating_rows,
    rule_holds,
    unique_rules,
)

__all__ = ["UniqueRepair", "existing_tuples", "rule_label"]

logger = logging.getLogger("syda")

_MAX_CANDIDATES = 12
Mask = np.ndarray[Any, np.dtype[np.bool_]]


class UniqueRepair:
    """The unique rules one table's repair loop keeps, for the rows a provider fills.

    Args:
        table: The table (as the provider sees it).
        frame: The rows, with every provider column filled once.
        columns: The provider's columns: only rules reading one of them can be repaired, and
            only these columns may be changed to leave a partial index.
        existing: Rows already in the target (append mode).
    """

    def __init__(
        self,
        table: Table,
        frame: pd.DataFrame,
        columns: Sequence[str],
        existing: pd.DataFrame | None,
    ) -> None:
        self.table = table
        self.columns = tuple(columns)
        self.existing = existing
        self.rules: list[UniqueIndex] = []
        for rule in unique_rules(table):
            if not set(rule.columns) <= set(frame.columns) or not set(rule.columns) & set(columns):
                continue  # filled later (self-references) or by no one re-asking can change
            try:
                repeating_rows(table, frame, [rule], existing)
            except UniqueRuleError as error:
                logger.warning("%s: %s; the database will judge it", table.key, error)
                continue
            self.rules.append(rule)

    def repeats(
        self,
        frame: pd.DataFrame,
        rng: np.random.Generator | None = None,
        tradable: frozenset[str] = frozenset(),
    ) -> list[tuple[UniqueIndex, Mask]]:
        """Move rows out of partial indexes where they can go, then the rows still repeating.

        ``frame`` is changed in place for the rows that leave an index, and, given ``rng``,
        for rows of a full rule (a case-insensitive set) that trade their drawn values with
        other rows' (:func:`~syda.repair_swap.swap_repeats`).
        """
        found = self._evaluate(frame)
        moved = False
        for rule, mask in found:
            if rule.where:
                moved |= self._leave(frame, rule, mask)
            elif rng is not None:
                movable = [c for c in rule.columns if c in tradable]
                taken = existing_tuples(self.existing, list(rule.columns))
                moved |= swap_repeats(frame, rule.columns, movable, mask, taken, rng) > 0
        return self._evaluate(frame) if moved else found

    def _evaluate(self, frame: pd.DataFrame) -> list[tuple[UniqueIndex, Mask]]:
        found: list[tuple[UniqueIndex, Mask]] = []
        for rule in list(self.rules):
            try:
                found += repeating_rows(self.table, frame, [rule], self.existing)
            except UniqueRuleError as error:
                # Values DuckDB cannot read (drawn again, they could be others): the database
                # still judges the rule.
                logger.warning("%s: %s; the database will judge it", self.table.key, error)
                self.rules.remove(rule)
        return found

    def _leave(self, frame: pd.DataFrame, rule: UniqueIndex, mask: Mask) -> bool:
        """Give the marked rows predicate values that take them out of the index."""
        assert rule.where is not None
        try:
            used = read_check(rule.where, list(rule.columns), rule.dialect).columns
        except CheckSqlError:
            return False
        movable = [c for c in dict.fromkeys(used) if c in self.columns]
        rows = np.flatnonzero(mask)
        moved = False
        for name in movable:
            try:
                outside = ~rule_holds(self.table, frame, rule)
            except UniqueRuleError:
                return moved
            for value in _candidates(self.table, name, frame[name][outside]):
                if not len(rows):
                    return True
                trial = frame.iloc[rows].copy()
                trial[name] = _filled(trial[name], np.ones(len(rows), dtype=bool), value)
                try:
                    out = ~rule_holds(self.table, trial, rule)
                except UniqueRuleError:
                    continue  # a value the predicate cannot be evaluated on
                if out.any():
                    chosen = np.zeros(len(frame), dtype=bool)
                    chosen[rows[out]] = True
                    frame[name] = _filled(frame[name], chosen, value)
                    rows = rows[~out]
                    moved = True
        return moved


def _candidates(table: Table, name: str, outside: pd.Series[Any]) -> list[Any]:
    """Values that may take a row out of a partial index, the plainest first."""
    column = table.column(name)
    found: list[Any] = []
    if column.nullable:
        found.append(None)
    if column.kind == "boolean":
        found += [False, True]
    elif column.kind == "integer":
        found += [0, 1]
    if column.default is not None:
        found.append(column.default)
    found += list(column.choices or ())
    seen = outside.dropna()
    if len(seen):
        found += list(pd.unique(seen.astype(object))[:_MAX_CANDIDATES])
    unique: list[Any] = []
    for value in found:
        if not any(value is v or (type(value) is type(v) and value == v) for v in unique):
            unique.append(value)
    return unique[: 2 * _MAX_CANDIDATES]


def _filled(values: pd.Series[Any], where: Mask, value: Any) -> pd.Series[Any]:
    """``values`` with ``value`` at the marked rows, in a dtype that can hold it."""
    out = values.reset_index(drop=True)
    if value is None or (out.dtype.kind in "biuf" and not isinstance(value, (bool, int, float))):
        out = out.astype(object)
    elif out.dtype.kind == "b" and not isinstance(value, (bool, np.bool_)):
        out = out.astype(object)
    result = out.copy()
    result[pd.Series(where)] = value
    result.index = values.index
    return result


def existing_tuples(existing: pd.DataFrame | None, columns: list[str]) -> set[tuple[Any, ...]]:
    """The tuples of ``columns`` that rows already in the target hold (append mode)."""
    if existing is None or not len(existing) or not set(columns) <= set(existing):
        return set()
    return set(existing[columns].astype(object).itertuples(index=False, name=None))


def rule_label(rule: Any) -> str:
    """A UNIQUE set ``(a, b)`` or a rule, as the repair loop's error names it."""
    if isinstance(rule, UniqueIndex):
        return describe_rule(rule)
    return "(" + ", ".join(rule) + ")"
