"""The columns a provider fills: the first ask, then the one repair loop.

:func:`provide` asks the provider for a table's provider columns, then re-asks only the rows that
collide on a UNIQUE set (the provider sees one batch at a time, and in append mode the target's
existing rows too) or that break a CHECK not folded into column facts (evaluated as the database
would, :mod:`syda.validation.check_eval`); rows that break a CHECK are first drawn again from
candidates built from it (:mod:`syda.repair_checks`). Every repair of generated values happens
here, for every provider, so there is one re-ask budget (:data:`MAX_REASKS`) and one error when
it runs out, naming the rule that could not be met.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from syda.appended import rows_before
from syda.errors import GenerationError
from syda.plan import TablePlan
from syda.providers.base import FillRequest, Provider
from syda.repair_checks import comparison_rules, redraw_failing
from syda.repair_next import number_repeats_on
from syda.repair_swap import swap_repeats, tradable_columns
from syda.repair_uniques import UniqueRepair, existing_tuples, rule_label
from syda.report import TableReport
from syda.schema.ir import Check, Table
from syda.validation.check_eval import (
    CheckEvaluationError,
    compile_check,
    failing_rows,
    open_checks,
)

__all__ = ["MAX_REASKS", "as_series", "key_index", "provide", "provider_table"]

MAX_REASKS = 8
"""Re-asks of the rows that still break a rule, before a :class:`GenerationError`."""
_SHOWN = 3


def provider_table(table: Table) -> Table:
    """``table`` as a provider sees it: a single-column primary key is marked unique."""
    # A single-column primary key must be unique like any UNIQUE column: say so to the provider.
    if len(table.primary_key) != 1:
        return table
    pk = table.primary_key[0]
    return replace(
        table, columns=tuple(replace(c, unique=True) if c.name == pk else c for c in table.columns)
    )


def provide(
    tp: TablePlan,
    frame: pd.DataFrame,
    provider: Provider,
    rng: np.random.Generator,
    prompt: str | None,
    parents: Mapping[int, pd.DataFrame],
    report: TableReport,
    existing: pd.DataFrame | None,
) -> None:
    """Fill ``tp``'s provider columns of ``frame`` in place, repairing the rows that break a rule.

    Raises:
        GenerationError: If rows still repeat a UNIQUE set or break a CHECK after
            :data:`MAX_REASKS` re-asks, or a CHECK cannot be evaluated.
    """
    table = provider_table(tp.table)
    columns = tp.provider_columns
    n = len(frame)
    context = frame.copy()
    # Values of existing rows that unique columns must not repeat (append mode).
    before = {
        c: existing[c].dropna()
        for c in columns
        if table.column(c).unique and existing is not None and c in existing
    }
    values = provider.fill(
        FillRequest(
            table=table,
            columns=columns,
            n=n,
            rng=rng,
            context=context,
            parents=parents,
            prompt=prompt,
            row_offset=rows_before(existing),
            taken=before,
        )
    )
    report.provider_calls += 1
    for col in columns:
        frame[col] = as_series(values[col], n, table, col)

    # The one repair loop: rows that collide on a UNIQUE set holding provider columns (the
    # provider only sees one batch), or that break a CHECK not folded into column facts, are
    # re-asked, those rows alone. Checks over columns not filled yet (self-references,
    # deferred keys), and checks over no provider column (keys, custom generators), which
    # re-asking cannot change, are left to the final validation.
    targets = [s for s in table.unique_sets if set(s) & set(columns) and set(s) <= set(frame)]
    checks = [c for c in open_checks(table) if _repairable(table, c, frame, columns)]
    unique_rules = UniqueRepair(table, frame, columns, existing)
    # Rows that break a check are first drawn again from candidates built from the check.
    rules = [*checks, *comparison_rules(table, [str(c) for c in frame.columns])]
    redraw = _Redraw(columns, rules, rng, tradable_columns(table, tp.profile, columns))
    offset = rows_before(existing) + n
    for attempt in range(MAX_REASKS + 1):
        ruled = unique_rules.repeats(frame, rng, redraw.tradable)  # may leave partial indexes
        repeats, broken = _to_repair(table, frame, targets, checks, existing, redraw)
        repeats += ruled
        dup = _union([m for _, m in repeats], len(frame))
        redone = dup | _union([m for _, m in broken], len(frame))
        if not redone.any():
            return
        if attempt == MAX_REASKS:
            break
        rows = np.flatnonzero(redone)
        report.reasks += 1
        report.provider_calls += 1
        redo = provider.fill(
            FillRequest(
                table=table,
                columns=columns,
                n=len(rows),
                rng=rng,
                context=frame.iloc[rows].drop(columns=list(columns)).reset_index(drop=True),
                parents={i: p.iloc[rows].reset_index(drop=True) for i, p in parents.items()},
                prompt=prompt,
                row_offset=offset,
                taken=_kept(frame, columns, before, dup, table),
            )
        )
        offset += len(rows)
        for col in columns:
            frame.loc[rows, col] = as_series(redo[col], len(rows), table, col).to_numpy()
    _raise_unrepaired(table, frame, repeats, broken)


def _repairable(table: Table, check: Check, frame: pd.DataFrame, columns: Sequence[str]) -> bool:
    used = set(compile_check(table, check).columns)
    return used <= set(frame) and bool(used & set(columns))


Masks = list[tuple[Any, np.ndarray[Any, np.dtype[np.bool_]]]]
"""Each broken rule (a UNIQUE set, or a check) with the rows that break it."""


@dataclass(frozen=True)
class _Redraw:
    """What :func:`~syda.repair_checks.redraw_failing` needs besides the rows."""

    columns: tuple[str, ...]
    rules: list[Check]
    rng: np.random.Generator
    tradable: frozenset[str]
    """Columns whose values may move between rows (:func:`~syda.repair_swap.tradable_columns`)."""


def _to_repair(
    table: Table,
    frame: pd.DataFrame,
    targets: Sequence[tuple[str, ...]],
    checks: Sequence[Check],
    existing: pd.DataFrame | None,
    redraw: _Redraw,
) -> tuple[Masks, Masks]:
    """The UNIQUE sets whose values some complete rows repeat, and the checks rows break.

    Rows that break a check are redrawn from the check's candidates first, in place, rows
    that repeat a UNIQUE set of drawn and fixed columns trade their drawn values first, and rows
    that repeat an existing tuple take its next number (:mod:`syda.repair_next`).
    """
    for us in targets:
        movable = [c for c in us if c in redraw.tradable]
        if movable and len(movable) < len(us):  # else no trade can change a tuple
            _trade_repeats(frame, list(us), movable, redraw, existing)
        number_repeats_on(table, frame, us, redraw.tradable, existing)
    try:
        broken: Masks = list(failing_rows(table, frame, checks))
        args = (redraw.columns, redraw.rules, redraw.rng, existing)
        if broken and redraw_failing(table, frame, broken, *args):
            broken = list(failing_rows(table, frame, checks))
    except CheckEvaluationError as error:
        raise GenerationError(str(error), table=table.key, rule="check") from None
    repeats: Masks = []
    for us in targets:
        mask = _repeating(frame, list(us), existing)
        if mask.any():
            repeats.append((us, mask))
    return repeats, broken


def _repeating(
    frame: pd.DataFrame, columns: list[str], existing: pd.DataFrame | None
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Complete rows whose ``columns`` repeat an earlier row's or an existing row's."""
    complete = frame[columns].notna().all(axis=1).to_numpy()
    return complete & _collides(frame, columns, existing)


def _trade_repeats(
    frame: pd.DataFrame,
    columns: list[str],
    movable: list[str],
    redraw: _Redraw,
    existing: pd.DataFrame | None,
) -> None:
    mask = _repeating(frame, columns, existing)
    if mask.any():
        taken = existing_tuples(existing, columns)
        swap_repeats(frame, columns, movable, mask, taken, redraw.rng)


def _union(masks: Sequence[np.ndarray[Any, np.dtype[np.bool_]]], n: int) -> Any:
    out = np.zeros(n, dtype=bool)
    for mask in masks:
        out |= mask
    return out


def _raise_unrepaired(table: Table, frame: pd.DataFrame, repeats: Masks, broken: Masks) -> None:
    """Name what the last evaluation of the loop found still broken."""
    if repeats:
        sets = [s for s, _ in repeats]
        raise GenerationError(
            f"could not make {', '.join(rule_label(s) for s in sets)} unique "
            f"after {MAX_REASKS} re-asks: the values may have too few possibilities",
            table=table.key,
            column=sets[0][0] if isinstance(sets[0], tuple) else sets[0].columns[0],
            rule="unique",
            attempts=MAX_REASKS,
        )
    check, mask = broken[0]
    columns = compile_check(table, check).columns
    shown = [{c: _plain(frame[c].iloc[i]) for c in columns} for i in np.flatnonzero(mask)[:_SHOWN]]
    raise GenerationError(
        f"{int(mask.sum())} rows still break CHECK ({check.sqltext}) after {MAX_REASKS} "
        f"re-asks and candidates built from the check, e.g. {', '.join(map(repr, shown))}: "
        "no value tried meets it together with the table's other rules",
        table=table.key,
        column=", ".join(columns) or None,
        rule="check",
        attempts=MAX_REASKS,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return None if pd.isna(value) else value


def _kept(
    frame: pd.DataFrame,
    columns: tuple[str, ...],
    before: Mapping[str, pd.Series[Any]],
    redone: np.ndarray[Any, np.dtype[np.bool_]],
    table: Table,
) -> dict[str, pd.Series[Any]]:
    """What the re-asked rows' unique values must avoid: existing rows and the rows kept."""
    taken: dict[str, pd.Series[Any]] = {}
    for c in columns:
        if table.column(c).unique:
            kept = frame[c][~redone].dropna()
            taken[c] = pd.concat([before[c], kept]) if c in before else kept
    return taken


def as_series(values: Any, n: int, table: Table, column: str) -> pd.Series[Any]:
    """A provider's values for ``column`` as a fresh-indexed series of exactly ``n`` values.

    Raises:
        GenerationError: If the provider returned another number of values.
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if len(series) != n:
        raise GenerationError(
            f"provider returned {len(series)} values, {n} asked",
            table=table.key,
            column=column,
            rule="row_count",
        )
    return series.reset_index(drop=True)


def _collides(
    frame: pd.DataFrame, columns: list[str], existing: pd.DataFrame | None
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Rows whose values of ``columns`` repeat an earlier row's or an existing row's."""
    dup = frame.duplicated(subset=columns, keep="first").to_numpy().copy()
    if existing is not None and len(existing) and set(columns) <= set(existing):
        dup |= np.asarray(key_index(frame, columns).isin(key_index(existing, columns)))
    return dup


def key_index(frame: pd.DataFrame, columns: list[str]) -> pd.MultiIndex:
    """The rows' values of ``columns`` as an index, to test membership of whole key tuples."""
    return pd.MultiIndex.from_frame(frame[columns].astype(object))
