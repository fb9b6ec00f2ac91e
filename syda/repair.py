"""The columns a provider fills: rows as a job of the one re-ask loop (:mod:`syda.asking`).

:func:`provide` asks for a table's provider columns (through :func:`syda.batches.ask`: batches,
the run's concurrency and the check of each reply), then re-asks only the rows a model got wrong
(invalid or missing), the rows that collide on a UNIQUE set (the provider sees one batch at a
time; existing rows count too in append mode) and the rows that break a CHECK not folded into
column facts (evaluated as the database would, :mod:`syda.validation.check_eval`); rows that
break a CHECK are first drawn again from candidates built from it (:mod:`syda.repair_checks`).
Every repair of generated values happens here, for every provider, so there is one re-ask budget
(the provider's ``max_reasks``) and one error when it runs out, naming the rule that could not
be met and carrying the evidence (attempts, the last reply, the tokens spent).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from syda.appended import rows_before
from syda.asking import until_valid
from syda.batches import Answer, Asker, as_series, reask
from syda.errors import GenerationError
from syda.plan import TablePlan
from syda.providers.base import FillRequest, Provider
from syda.providers.limits import DeadlineError
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

MAX_REASKS = Provider.max_reasks
"""Re-asks of the rows that still break a rule, before a :class:`GenerationError`."""
_SHOWN = 3

logger = logging.getLogger("syda")


def provider_table(table: Table) -> Table:
    """``table`` as a provider sees it: a single-column primary key is marked unique."""
    # A single-column primary key must be unique like any UNIQUE column: say so to the provider.
    if len(table.primary_key) != 1:
        return table
    pk = table.primary_key[0]
    return replace(
        table, columns=tuple(replace(c, unique=True) if c.name == pk else c for c in table.columns)
    )


async def provide(
    tp: TablePlan,
    frame: pd.DataFrame,
    ask: Asker,
    rng: np.random.Generator,
    prompt: str | None,
    parents: Mapping[int, pd.DataFrame],
    report: TableReport,
    existing: pd.DataFrame | None,
    max_reasks: int = MAX_REASKS,
) -> None:
    """Fill ``tp``'s provider columns of ``frame`` in place, repairing the rows that break a rule.

    Rows run through the one re-ask loop (:func:`syda.asking.until_valid`): rows a model got
    wrong (invalid values, missing rows, unreadable replies: :func:`~syda.batches.check`), rows
    that repeat a UNIQUE set over the whole table (existing rows included) and rows that break
    a CHECK are asked again, those rows alone, each with its problems
    (:func:`~syda.batches.reask`), until none is left.

    Raises:
        GenerationError: If rows are still refused, repeat a UNIQUE set or break a CHECK after
            ``max_reasks`` re-asks (with the attempts, the last reply and the tokens spent), or
            a CHECK cannot be evaluated.
    """
    job = _RowsRepair(tp, frame, rng, prompt, parents, report, existing)

    async def asked(request: FillRequest) -> Answer:
        return await _asked(ask, request, report, job.done(), len(frame))

    await until_valid(job.first, asked, job, max_reasks)
    job.finish()


class _RowsRepair:
    """One table's provider columns as a job of the re-ask loop (:class:`syda.asking.Repair`)."""

    def __init__(
        self,
        tp: TablePlan,
        frame: pd.DataFrame,
        rng: np.random.Generator,
        prompt: str | None,
        parents: Mapping[int, pd.DataFrame],
        report: TableReport,
        existing: pd.DataFrame | None,
    ) -> None:
        table = provider_table(tp.table)
        columns = tp.provider_columns
        n = len(frame)
        self.table, self.columns, self.frame = table, columns, frame
        self.report, self.existing = report, existing
        # Values of existing rows that unique columns must not repeat (append mode).
        self.before = {
            c: existing[c].dropna()
            for c in columns
            if table.column(c).unique and existing is not None and c in existing
        }
        self.first = FillRequest(
            table=table,
            columns=columns,
            n=n,
            rng=rng,
            context=frame.copy(),
            parents=parents,
            prompt=prompt,
            row_offset=rows_before(existing),
            taken=self.before,
        )
        self.evidence = _Evidence()
        self.refused = np.zeros(n, dtype=bool)
        self.redone = np.zeros(n, dtype=bool)
        self.loose: set[str] = set()  # columns made objects to hold a refused row's None
        self.rows: np.ndarray[Any, Any] | None = None  # the rows the request in flight asks
        self.repeats: Masks = []
        self.broken: Masks = []
        self.rng, self.profile = rng, tp.profile
        self.offset = rows_before(existing) + n

    def done(self) -> int:
        """Rows kept so far (for a deadline's message)."""
        return 0 if self.rows is None else int((~self.redone).sum())

    def take(self, request: FillRequest, answer: Answer) -> None:
        """Write ``answer``'s values into the frame; note the rows it refused."""
        n = len(self.frame)
        if self.rows is None:  # the first answer: every row
            refused = self.evidence.take(answer, self.report, n, np.arange(n))
            holes = bool(refused.any())
            for col in self.columns:
                self.frame[col] = _column(answer.values[col], holes)
                if holes and self.frame[col].dtype == object:
                    self.loose.add(col)
            self.refused = refused
            self._rules()
            return
        rows = self.rows
        self.offset += len(rows)
        self.refused[rows] = False
        self.refused |= self.evidence.take(answer, self.report, n, rows)
        for col in self.columns:
            _put(self.frame, rows, col, answer.values[col], self.loose)

    def _rules(self) -> None:
        """The rules to repair, once the frame holds the provider's columns."""
        table, frame, columns = self.table, self.frame, self.columns
        # Checks over columns not filled yet (self-references, deferred keys), and checks over
        # no provider column (keys, custom generators), which re-asking cannot change, are left
        # to the final validation.
        self.targets = [
            s for s in table.unique_sets if set(s) & set(columns) and set(s) <= set(frame)
        ]
        self.checks = [c for c in open_checks(table) if _repairable(table, c, frame, columns)]
        self.unique_rules = UniqueRepair(table, frame, columns, self.existing)
        # Rows that break a check are first drawn again from candidates built from the check.
        rules = [*self.checks, *comparison_rules(table, [str(c) for c in frame.columns])]
        tradable = tradable_columns(table, self.profile, columns)
        self.redraw = _Redraw(columns, rules, self.rng, tradable)

    def left(self) -> bool:
        """Mend what can be mended locally; whether rows are still to be asked again."""
        frame = self.frame
        ruled = self.unique_rules.repeats(frame, self.redraw.rng, self.redraw.tradable)
        repeats, self.broken = _to_repair(
            self.table, frame, self.targets, self.checks, self.existing, self.redraw
        )
        self.repeats = repeats + ruled  # may leave partial indexes
        dup = _union([m for _, m in self.repeats], len(frame))
        self.redone = dup | self.refused | _union([m for _, m in self.broken], len(frame))
        return bool(self.redone.any())

    def next(self, attempt: int) -> FillRequest:
        """Only the rows to redo, each with its problems."""
        frame, table = self.frame, self.table
        rows = np.flatnonzero(self.redone)
        self.report.reasks += 1
        logger.info("%s: re-asking %d rows", table.key, len(rows))
        problems = _problems(
            table, frame, self.evidence.errors, self.refused, self.repeats, self.broken
        )
        request = reask(
            self.first,
            rows,
            problems,
            taken=_kept(frame, self.columns, self.before, self.redone, table),
            attempt=attempt,
            offset=self.offset,
            context=frame.drop(columns=list(self.columns)),
        )
        self.rows = rows
        return request

    def exhausted(self, reasks: int) -> None:
        """Raise, naming what is still broken, with the evidence."""
        _raise_unrepaired(
            self.table,
            self.frame,
            self.repeats,
            self.broken,
            self.refused,
            self.evidence,
            reasks,
        )

    def finish(self) -> None:
        """The holes of refused rows are filled: the loose columns take their types again."""
        for col in self.loose:
            self.frame[col] = self.frame[col].infer_objects()


async def _asked(
    ask: Asker, request: FillRequest, report: TableReport, done: int, n: int
) -> Answer:
    try:
        return await ask(request)
    except DeadlineError as error:
        # The batch that met the deadline only knows itself: say how far the table had got.
        raise error.for_table(report.provider_calls, done, n) from None


@dataclass
class _Evidence:
    """What the loop learnt: each refused row's problems, the last reply, the tokens spent."""

    errors: dict[int, list[str]] = field(default_factory=dict)
    raw: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0

    def take(
        self, answer: Answer, report: TableReport, n: int, rows: np.ndarray[Any, Any]
    ) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Note ``answer`` (for table positions ``rows``); the mask of the rows it refused."""
        used = answer.usage
        report.provider_calls += used.calls
        report.cached_calls += used.cached
        report.input_tokens += used.input_tokens
        report.output_tokens += used.output_tokens
        for rule, count in answer.fixed.items():
            report.fixed_locally[rule] = report.fixed_locally.get(rule, 0) + count
        if report.cost_usd is not None:
            report.cost_usd = None if used.cost_usd is None else report.cost_usd + used.cost_usd
        self.input_tokens += used.input_tokens
        self.output_tokens += used.output_tokens
        self.raw = answer.raw if answer.raw is not None else self.raw
        mask = np.zeros(n, dtype=bool)
        for pos, problems in answer.refused.items():
            self.errors[int(rows[pos])] = problems
            mask[rows[pos]] = True
        return mask


def _put(
    frame: pd.DataFrame, rows: np.ndarray[Any, Any], col: str, values: Any, loose: set[str]
) -> None:
    """Write a re-ask's values of ``col`` at ``rows``."""
    new = pd.Series(values, dtype=object) if isinstance(values, list) else pd.Series(values)
    if frame[col].dtype != object and (new.dtype == object or new.isna().any()):
        # A refused row's None (or a model's loose values) must not turn an integer column
        # into floats or be refused by a typed one: objects now, the types again at the end.
        frame[col] = frame[col].astype(object)
        loose.add(col)
    frame.loc[rows, col] = new.to_numpy()


def _column(values: Any, holes: bool) -> Any:
    """A provider's column for the frame; with refused rows, as objects (their holes are None)."""
    if isinstance(values, list):
        return pd.Series(values, dtype=object) if holes else pd.Series(values)
    return values.array if isinstance(values, pd.Series) else values


def _problems(
    table: Table,
    frame: pd.DataFrame,
    refused_errors: Mapping[int, list[str]],
    refused: np.ndarray[Any, np.dtype[np.bool_]],
    repeats: Masks,
    broken: Masks,
) -> dict[int, list[str]]:
    """Why each row is asked again, by table position: what a model is told to fix."""
    problems: dict[int, list[str]] = {
        int(i): list(refused_errors.get(int(i), [])) for i in np.flatnonzero(refused)
    }
    for rule, mask in repeats:
        cols = list(rule) if isinstance(rule, tuple) else list(rule.columns)
        for i in np.flatnonzero(mask):
            shown = ", ".join(f"{c}: {_plain(frame[c].iloc[i])!r}" for c in cols)
            problems.setdefault(int(i), []).append(f"{shown} is already used (must be unique)")
    for check, mask in broken:
        for i in np.flatnonzero(mask):
            problems.setdefault(int(i), []).append(f"breaks CHECK ({check.sqltext})")
    return problems


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


def _raise_unrepaired(
    table: Table,
    frame: pd.DataFrame,
    repeats: Masks,
    broken: Masks,
    refused: np.ndarray[Any, np.dtype[np.bool_]],
    evidence: _Evidence,
    reasks: int,
) -> None:
    """Name what the last evaluation of the loop found still broken, with the evidence."""
    proof: dict[str, Any] = {
        "table": table.key,
        "attempts": reasks + 1,
        "last_raw": evidence.raw,
        "usage": {
            "input_tokens": evidence.input_tokens,
            "output_tokens": evidence.output_tokens,
        },
    }
    if refused.any():
        missing = np.flatnonzero(refused)
        sample = "; ".join(e for i in missing[:_SHOWN] for e in evidence.errors.get(int(i), []))
        raise GenerationError(
            f"{len(missing)} rows still invalid or missing after {reasks} re-asks: {sample}",
            rule="llm_rows",
            **proof,
        )
    if repeats:
        sets = [s for s, _ in repeats]
        raise GenerationError(
            f"could not make {', '.join(rule_label(s) for s in sets)} unique "
            f"after {reasks} re-asks: the values may have too few possibilities",
            column=sets[0][0] if isinstance(sets[0], tuple) else sets[0].columns[0],
            rule="unique",
            **proof,
        )
    check, mask = broken[0]
    columns = compile_check(table, check).columns
    shown = [{c: _plain(frame[c].iloc[i]) for c in columns} for i in np.flatnonzero(mask)[:_SHOWN]]
    raise GenerationError(
        f"{int(mask.sum())} rows still break CHECK ({check.sqltext}) after {reasks} "
        f"re-asks and candidates built from the check, e.g. {', '.join(map(repr, shown))}: "
        "no value tried meets it together with the table's other rules",
        column=", ".join(columns) or None,
        rule="check",
        **proof,
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
