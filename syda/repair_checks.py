"""Rows that break a CHECK of any shape, drawn again from candidates built from the check.

The repair loop of :mod:`syda.repair` calls :func:`redraw_failing` for the rows that break a
check not folded into column facts, before it re-asks the provider. Re-asking draws from the same
distribution, which may never meet ``sf IS NULL OR sf LIKE '%Trailers%' OR ...``; here each row
tries the check's branches (:mod:`syda.schema.check_candidates`) in a random order of its own,
its values redrawn to meet the branch (:mod:`syda.repair_values`); then, for rows that are left,
the values of a row that passes, then NULLs where the columns take them.

Every candidate is judged before it is kept, on the rules the loop holds: the row must pass the
check now, break no other check or column comparison it passed before, keep its column facts
(types, lengths, bounds...) and repeat no UNIQUE set of the table (this run's rows and, in
append mode, the existing ones). Branches that set a column to NULL are tried last, so the share
of NULLs the provider chose is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlglot import exp

from syda.repair_values import draw_column
from syda.schema.check_candidates import Branch, CheckPlan, Demand, plan_check
from syda.schema.check_sql import SQLGLOT_DIALECTS
from syda.schema.ir import Check, Table
from syda.validation.check_eval import evaluate_values, failing_rows
from syda.validation.columns import check_column

__all__ = ["comparison_rules", "redraw_failing"]

BoolArray = np.ndarray[Any, np.dtype[np.bool_]]

MAX_ROUNDS = 12
"""Branches a row tries, at most, before the fallbacks (a passing row's values, NULLs)."""
_DONORS = 1000


def comparison_rules(table: Table, columns: Sequence[str]) -> list[Check]:
    """The table's column comparisons over ``columns``, as checks a candidate must keep.

    They are written in the dialect of the table's checks, so all can be read as one.
    """
    present = set(columns)
    dialect = next((c.dialect for c in table.checks), None)
    glot = SQLGLOT_DIALECTS.get(dialect or "", "postgres")

    def quoted(name: str) -> str:
        return exp.column(name, quoted=True).sql(glot)

    return [
        Check(f"{quoted(c.left)} {c.op} {quoted(c.right)}", dialect=dialect)
        for c in table.comparisons
        if {c.left, c.right} <= present
    ]


def redraw_failing(
    table: Table,
    frame: pd.DataFrame,
    broken: Sequence[tuple[Check, BoolArray]],
    movable: Sequence[str],
    rules: Sequence[Check],
    rng: np.random.Generator,
    existing: pd.DataFrame | None = None,
) -> bool:
    """Redraw, in place, the ``movable`` values of the rows that break a check.

    Args:
        table: The rows' table.
        frame: The rows (a fresh index); changed in place.
        broken: Each broken check with the rows that break it.
        movable: The columns that may change (the provider's).
        rules: Every check a candidate must keep (``broken``'s among them).
        rng: The table's random generator.
        existing: Rows already in the target (append mode), for UNIQUE sets.

    Returns:
        Whether any row changed.
    """
    judge = _Judge(table, frame, list(rules), tuple(movable), existing)
    changed = False
    for check, mask in broken:
        plan = plan_check(table.columns, check, movable)
        if plan.columns:
            rows = np.flatnonzero(mask)
            rows = rows[_still_failing(table, frame, rows, [check])]
            changed |= _Repair(judge, plan, [judge.rules.index(check)], rng).run(rows)
    # Meeting one check may break another (tex0 = 'x' against tex2 >= tex0): rows still broken
    # take the candidates of all the checks over the columns together, one conjunction.
    joint = [c for c in judge.rules if plan_check(table.columns, c, movable).columns]
    if len(joint) > 1:
        rows = np.flatnonzero(_still_failing(table, frame, np.arange(len(frame)), joint))
        if len(rows):
            text = " AND ".join(f"({c.sqltext})" for c in joint)
            plan = plan_check(table.columns, Check(text, dialect=joint[0].dialect), movable)
            targets = [judge.rules.index(c) for c in joint]
            changed |= _Repair(judge, plan, targets, rng).run(rows)
    return changed


def _still_failing(table: Table, frame: pd.DataFrame, rows: Any, checks: list[Check]) -> BoolArray:
    found = failing_rows(table, frame.iloc[rows].reset_index(drop=True), checks)
    out = np.zeros(len(rows), dtype=bool)
    for _, mask in found:
        out |= mask
    return out


@dataclass
class _Judge:
    """Says which candidate rows keep every rule."""

    table: Table
    frame: pd.DataFrame
    rules: list[Check]
    movable: tuple[str, ...]
    existing: pd.DataFrame | None

    def verdicts(self, rows: pd.DataFrame) -> BoolArray:
        """One column per rule, and a last one for the column facts: True where it breaks."""
        out = np.zeros((len(rows), len(self.rules) + 1), dtype=bool)
        for check, mask in failing_rows(self.table, rows, self.rules):
            out[:, self.rules.index(check)] = mask
        for name in self.movable:
            for finding in check_column(rows[name], self.table.column(name)):
                out[finding.rows, -1] = True
        return out

    def collides(self, positions: Any, rows: pd.DataFrame, changed: set[str]) -> BoolArray:
        """Candidate rows that repeat a UNIQUE set of another row, kept or existing."""
        hit = np.zeros(len(rows), dtype=bool)
        others = np.ones(len(self.frame), dtype=bool)
        others[positions] = False
        for us in self.table.unique_sets:
            if not set(us) & changed or not set(us) <= set(self.frame):
                continue
            keys = list(us)
            mine = _key_index(rows, keys)
            taken = [_key_index(self.frame[others], keys)]
            if self.existing is not None and set(us) <= set(self.existing):
                taken.append(_key_index(self.existing, keys))
            complete = rows[keys].notna().all(axis=1).to_numpy()
            repeat = np.zeros(len(rows), dtype=bool)
            for index in taken:
                repeat |= np.asarray(mine.isin(index))
            repeat |= np.asarray(mine.duplicated(keep="first"))
            hit |= complete & repeat
        return hit


def _key_index(frame: pd.DataFrame, columns: list[str]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(
        frame[columns].astype(object).where(frame[columns].notna(), None)
    )


@dataclass
class _Repair:
    """The candidates of one check for its failing rows, round by round."""

    judge: _Judge
    plan: CheckPlan
    targets: list[int]
    """The rules (by index) the candidates must meet."""
    rng: np.random.Generator

    def run(self, rows: Any) -> bool:
        """Repair what can be of ``rows``; whether any row changed."""
        self.left = {int(r) for r in rows}
        self.kept = self.signs_kept_out = False
        if not self.left:
            return False
        frame = self.judge.frame
        verdicts = self.judge.verdicts(frame.iloc[rows].reset_index(drop=True))
        self.before = dict(zip((int(r) for r in rows), verdicts, strict=True))
        branches = self.plan.branches
        keys = self.rng.random((len(rows), len(branches)))
        keys += np.array([b.nulls for b in branches], dtype=float)
        orders = dict(zip((int(r) for r in rows), np.argsort(keys, axis=1), strict=True))
        # First keep the sign of numbers that were not negative (a price reflected below a
        # small bound would turn negative); only then take any candidate that passes.
        for keep_sign in (True, False):
            if not keep_sign and not self.signs_kept_out:
                break
            for turn in range(min(len(branches), MAX_ROUNDS)):
                pending = np.array(sorted(self.left))
                choice = np.array([orders[int(r)][turn] for r in pending])
                for index in np.unique(choice):
                    group, branch = pending[choice == index], branches[int(index)]
                    self.attempt(group, lambda c, b=branch: self.drawn(b, c), keep_sign)
                if not self.left:
                    return True
        for fallback in (self.donated, self.nulled):
            if self.left:
                self.attempt(np.array(sorted(self.left)), fallback, False)
        return self.kept

    def attempt(self, group: Any, make: Any, keep_sign: bool) -> None:
        """Keep the candidates ``make`` builds for ``group`` where the judge allows."""
        frame = self.judge.frame
        current = frame.iloc[group].reset_index(drop=True)
        candidate, changed = make(current)
        if not changed:
            return
        after = self.judge.verdicts(candidate)
        before = np.array([self.before[int(r)] for r in group])
        ok = ~after[:, self.targets].any(axis=1) & ~(after & ~before).any(axis=1)
        ok &= ~self.judge.collides(group, candidate, changed)
        if keep_sign:
            turned = _turned_negative(self.judge.table, current, candidate, changed)
            self.signs_kept_out |= bool((ok & turned).any())
            ok &= ~turned
        kept = np.flatnonzero(ok)
        for name in changed:
            _assign(frame, group[kept], name, candidate[name].iloc[kept])
        self.left -= {int(r) for r in group[kept]}
        self.kept |= bool(len(kept))

    def drawn(self, branch: Branch, rows: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
        table, frame = self.judge.table, self.judge.frame
        out = rows.copy()
        changed: set[str] = set()
        for name, demands in _by_column(branch.demands):
            column = table.column(name)

            def evaluate(exprs: Sequence[Any], rows: pd.DataFrame = out) -> list[pd.Series[Any]]:
                return evaluate_values(table, rows, exprs, self.plan.dialect)

            donors = frame[name].dropna()
            if len(donors) > _DONORS:
                donors = donors.sample(_DONORS, random_state=self.rng)
            unique = any(name in us for us in table.unique_sets)
            values = draw_column(column, out[name], demands, evaluate, self.rng, donors, unique)
            out[name] = values.to_numpy() if values.dtype == object else values.array
            changed.add(name)
        return out, changed

    def donated(self, rows: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
        frame, columns = self.judge.frame, list(self.plan.columns)
        passing = np.flatnonzero(~self.judge.verdicts(frame[: _DONORS * 2]).any(axis=1))
        if not len(passing):
            return rows, set()
        picks = passing[self.rng.integers(len(passing), size=len(rows))]
        out = rows.copy()
        for name in columns:
            out[name] = frame[name].iloc[picks].to_numpy()
        return out, set(columns)

    def nulled(self, rows: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
        table = self.judge.table
        columns = [c for c in self.plan.columns if table.column(c).nullable]
        out = rows.copy()
        for name in columns:
            out[name] = pd.Series([None] * len(rows), dtype=object)
        return out, set(columns)


def _by_column(demands: Sequence[Demand]) -> list[tuple[str, list[Demand]]]:
    """Demands grouped by column, a column after the demanded columns its demands read."""
    groups: dict[str, list[Demand]] = {}
    for d in demands:
        groups.setdefault(d.column, []).append(d)
    reads = {
        name: set().union(*(d.reads() for d in ds)) & set(groups) - {name}
        for name, ds in groups.items()
    }
    ordered: list[str] = []
    while len(ordered) < len(groups):
        ready = [n for n in groups if n not in ordered and reads[n] <= set(ordered)]
        ordered.append(ready[0] if ready else next(n for n in groups if n not in ordered))
    return [(name, groups[name]) for name in ordered]


def _turned_negative(
    table: Table, before: pd.DataFrame, after: pd.DataFrame, changed: set[str]
) -> BoolArray:
    turned = np.zeros(len(before), dtype=bool)
    for name in changed:
        if table.column(name).kind in ("integer", "float", "decimal"):
            old = pd.to_numeric(before[name], errors="coerce").to_numpy(dtype=float)
            new = pd.to_numeric(after[name], errors="coerce").to_numpy(dtype=float)
            turned |= (old >= 0) & (new < 0)
    return turned


def _assign(frame: pd.DataFrame, positions: Any, name: str, values: pd.Series[Any]) -> None:
    """Write ``values`` into the rows at ``positions``, widening the column's dtype if needed."""
    if not len(positions):
        return
    array = values.to_numpy(dtype=object) if values.dtype == object else values.to_numpy()
    if values.isna().any() and frame[name].dtype.kind in "iub":
        frame[name] = frame[name].astype("boolean" if frame[name].dtype.kind == "b" else "Int64")
    try:
        frame.loc[positions, name] = array
    except (TypeError, ValueError):
        frame[name] = frame[name].astype(object)
        frame.loc[positions, name] = array
