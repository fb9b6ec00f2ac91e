"""The engine: runs a :class:`~syda.plan.Plan` and returns one DataFrame per table.

Per table, in plan order: (1) keys (sequences, then foreign keys sampled from parent rows),
(2) custom generators, (3) the provider for the remaining columns, with re-asks for rows that
break a multi-column UNIQUE, (4) self-references. When every table has rows, the foreign keys
that close cycles are filled, and the whole dataset is validated before anyone sees it.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast

import numpy as np
import pandas as pd

from syda.errors import GenerationError, PlanError
from syda.generators import keys
from syda.plan import ForeignKeyPlan, Plan, TablePlan
from syda.providers.base import FillRequest, Provider
from syda.schema.ir import Table
from syda.validation import check_dataset, raise_for_violations

__all__ = ["RunReport", "TableReport", "run_plan"]

logger = logging.getLogger("syda")

MAX_REASKS = 8


@dataclass
class TableReport:
    """What generating one table took."""

    table: str
    rows: int = 0
    provider_calls: int = 0
    """Calls to the provider (for an LLM: HTTP calls, retries included; cache hits excluded)."""
    reasks: int = 0
    """Rounds of re-asking for invalid, duplicate or missing rows."""
    seconds: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_calls: int = 0
    cost_usd: float | None = 0.0
    """Estimated cost in US dollars (None when the model has no known price)."""


@dataclass
class RunReport:
    """What a whole run took, table by table."""

    provider: str
    tables: dict[str, TableReport] = field(default_factory=dict)
    validation_seconds: float = 0.0

    @property
    def rows(self) -> int:
        """Rows generated over all tables."""
        return sum(t.rows for t in self.tables.values())

    @property
    def input_tokens(self) -> int:
        """Input (prompt) tokens over all tables."""
        return sum(t.input_tokens for t in self.tables.values())

    @property
    def output_tokens(self) -> int:
        """Output (completion) tokens over all tables."""
        return sum(t.output_tokens for t in self.tables.values())

    @property
    def cost_usd(self) -> float | None:
        """Estimated cost over all tables (None if any table's model has no known price)."""
        costs = [t.cost_usd for t in self.tables.values()]
        return None if any(c is None for c in costs) else sum(c or 0.0 for c in costs)

    @property
    def seconds(self) -> float:
        """Wall time of generation and validation."""
        return sum(t.seconds for t in self.tables.values()) + self.validation_seconds

    def summary(self) -> str:
        """A small text table of the report, for logs and the command line."""
        head = ("table", "rows", "calls", "re-asks", "tokens in", "tokens out", "cost $", "seconds")
        lines = ["{:<20}{:>9}{:>7}{:>9}{:>11}{:>11}{:>9}{:>9}".format(*head)]
        for t in (*self.tables.values(), None):
            name, rows, calls, reasks, tin, tout, cost, secs = (
                (
                    t.table,
                    t.rows,
                    t.provider_calls,
                    t.reasks,
                    t.input_tokens,
                    t.output_tokens,
                    t.cost_usd,
                    t.seconds,
                )
                if t is not None
                else (
                    "total",
                    self.rows,
                    sum(x.provider_calls for x in self.tables.values()),
                    sum(x.reasks for x in self.tables.values()),
                    self.input_tokens,
                    self.output_tokens,
                    self.cost_usd,
                    self.seconds,
                )
            )
            money = "n/a" if cost is None else f"{cost:.4f}"
            lines.append(
                f"{name:<20}{rows:>9}{calls:>7}{reasks:>9}{tin:>11}{tout:>11}{money:>9}{secs:>9.2f}"
            )
        lines.append(f"provider: {self.provider}; validation {self.validation_seconds:.2f}s")
        return "\n".join(lines)


def table_rng(seed: int | None, key: str) -> np.random.Generator:
    """A generator per table, so adding a table never changes the data of the others."""
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng([seed, zlib.crc32(key.encode())])


def run_plan(
    plan: Plan,
    provider: Provider,
    *,
    seed: int | None,
    prompts: Mapping[str, str] | None = None,
    external: Mapping[str, pd.DataFrame] | None = None,
    validate: bool = True,
) -> tuple[dict[str, pd.DataFrame], RunReport]:
    """Fill every table of ``plan`` and return ``(frames by table key, report)``.

    Raises:
        GenerationError: If a table cannot be filled with valid rows.
        PlanError: If a requested count cannot be met (e.g. too few distinct key combinations).
    """
    report = RunReport(provider=provider.name)
    frames: dict[str, pd.DataFrame] = {}
    rngs = {key: table_rng(seed, key) for key in plan.order}
    for key in plan.order:
        tp = plan.tables[key]
        started = time.perf_counter()
        tr = report.tables.setdefault(key, TableReport(table=key))
        try:
            frames[key] = _fill_table(
                tp, frames, provider, rngs[key], _prompt(prompts, tp.table), tr
            )
        except PlanError as exc:
            exc.table = exc.table or key
            raise
        tr.rows = len(frames[key])
        tr.seconds = time.perf_counter() - started
        _merge_llm_usage(provider, key, tr)
        logger.info("%s: %d rows in %.3fs", key, tr.rows, tr.seconds)
    for key, fkp in plan.deferred:
        # Second pass: every table of the cycle has its rows now, so any key can be filled.
        frame = frames[key]
        positions = _positions(fkp, plan.tables[key], frames, len(frame), rngs[key])
        for col, values in _keys_from(frames[fkp.fk.ref_table], fkp, positions).items():
            frame[col] = values.to_numpy()
    if validate:
        started = time.perf_counter()
        expected = {k: len(f) for k, f in frames.items()}
        for key, tp in plan.tables.items():
            if tp.rows is not None and expected[key] != tp.rows:
                raise GenerationError(
                    f"{expected[key]} rows generated, {tp.rows} asked", table=key, rule="row_count"
                )
        parents = {**(external or {}), **frames}
        raise_for_violations(check_dataset(plan.schema, parents, expected=None))
        report.validation_seconds = time.perf_counter() - started
    return frames, report


def _merge_llm_usage(provider: Provider, key: str, report: TableReport) -> None:
    # LLM providers keep per-table usage (HTTP calls, tokens, cost); fold it into the report.
    usage = getattr(provider, "usage", None)
    if not isinstance(usage, dict) or key not in usage:
        return
    u = usage[key]
    report.provider_calls = u.calls
    report.cached_calls = u.cached
    report.reasks += u.reasks
    report.input_tokens = u.usage.input_tokens
    report.output_tokens = u.usage.output_tokens
    report.cost_usd = u.cost_usd


def _prompt(prompts: Mapping[str, str] | None, table: Table) -> str | None:
    if not prompts:
        return None
    return prompts.get(table.key) or prompts.get(table.name)


def _row_count(
    tp: TablePlan, frames: Mapping[str, pd.DataFrame], rng: np.random.Generator
) -> tuple[int, dict[int, Any]]:
    """Rows of the table, and parent positions already fixed by a cardinality."""
    for fkp in tp.foreign_keys:
        if fkp.cardinality is None:
            continue
        n_parents = len(frames[fkp.fk.ref_table])
        if tp.rows is None:
            counts = fkp.cardinality.counts(rng, n_parents)
        else:
            counts = fkp.cardinality.fit_total(rng, n_parents, tp.rows)
        positions = np.repeat(np.arange(n_parents, dtype=np.int64), counts)
        fixed = {fkp.index: positions}
        if fkp.mode == "combination":
            # "5-10 tracks per playlist": each parent's block needs distinct partners.
            (other,) = (i for i in fkp.group if i != fkp.index)
            n_other = len(frames[tp.table.foreign_keys[other].ref_table])
            fixed[other] = keys.distinct_partners(rng, counts, n_other)
        return len(positions), fixed
    assert tp.rows is not None  # the planner gives every table without a cardinality a count
    return tp.rows, {}


def _positions(
    fkp: ForeignKeyPlan,
    tp: TablePlan,
    frames: Mapping[str, pd.DataFrame],
    n: int,
    rng: np.random.Generator,
    fixed: dict[int, Any] | None = None,
) -> Any:
    fixed = fixed if fixed is not None else {}
    if fkp.index in fixed:
        return fixed[fkp.index]
    n_parents = len(frames[fkp.fk.ref_table])
    if fkp.mode == "one_to_one":
        return keys.sample_one_to_one(rng, n_parents, n)
    if fkp.mode == "combination":
        sizes = [len(frames[tp.table.foreign_keys[i].ref_table]) for i in fkp.group]
        for i, pos in zip(fkp.group, keys.distinct_combinations(rng, sizes, n), strict=True):
            fixed[i] = pos
        return fixed[fkp.index]
    return keys.sample_many(rng, n_parents, n)


def _keys_from(
    parent: pd.DataFrame, fkp: ForeignKeyPlan, positions: Any
) -> dict[str, pd.Series[Any]]:
    taken = keys.take_parent_keys(parent, fkp.fk.ref_columns, positions)
    return {
        child: taken[ref] for child, ref in zip(fkp.fk.columns, fkp.fk.ref_columns, strict=True)
    }


def _fill_table(
    tp: TablePlan,
    frames: Mapping[str, pd.DataFrame],
    provider: Provider,
    rng: np.random.Generator,
    prompt: str | None,
    report: TableReport,
) -> pd.DataFrame:
    table = tp.table
    n, fixed = _row_count(tp, frames, rng)
    data: dict[str, Any] = {}
    for col, src in tp.sources.items():
        if src.kind == "sequence":
            data[col] = np.arange(1, n + 1, dtype=np.int64)

    parents: dict[int, pd.DataFrame] = {}
    for fkp in tp.foreign_keys:
        if fkp.deferred or fkp.mode == "self":
            continue
        parent = frames[fkp.fk.ref_table]
        positions = _positions(fkp, tp, frames, n, rng, fixed)
        for col, values in _keys_from(parent, fkp, positions).items():
            data[col] = values.to_numpy()
        parents[fkp.index] = parent.iloc[positions].reset_index(drop=True)

    for col, src in tp.sources.items():
        if src.kind == "sequence_in_group":
            group = [
                c for us in table.unique_sets if col in us for c in us if c != col and c in data
            ]
            data[col] = (
                keys.group_sequence(pd.DataFrame(data), group) if group else np.arange(1, n + 1)
            )

    if tp.custom:
        data.update(_run_custom(tp, data, n))

    frame = pd.DataFrame(data, index=pd.RangeIndex(n))
    columns = tp.provider_columns
    if columns:
        _provide(tp, frame, provider, rng, prompt, parents, report)

    for fkp in tp.foreign_keys:
        if fkp.mode == "self" and not fkp.deferred:
            one_to_one = set(fkp.fk.columns) in [set(s) for s in table.unique_sets]
            nullable = all(table.column(c).nullable for c in fkp.fk.columns)
            pos = keys.self_reference_positions(rng, n, nullable=nullable, one_to_one=one_to_one)
            for col, values in _keys_from(frame, fkp, pos).items():
                frame[col] = values.to_numpy()

    # Deferred keys are filled in the second pass; hold their place so column order is stable.
    for col in table.column_names:
        if col not in frame:
            frame[col] = pd.Series([None] * n, dtype=object)
    return frame[list(table.column_names)]


def _run_custom(tp: TablePlan, data: Mapping[str, Any], n: int) -> dict[str, list[Any]]:
    # User generators take one row at a time by contract (fn(row, column_name)); each sees the
    # keys and the custom columns before it.
    frame = pd.DataFrame(dict(data), index=pd.RangeIndex(n))
    rows = cast("list[dict[str, Any]]", frame.to_dict("records"))
    if not data:
        rows = [{} for _ in range(n)]
    out: dict[str, list[Any]] = {}
    for col in (c for c in tp.sources if c in tp.custom):
        fn = tp.custom[col]
        values = []
        for row in rows:
            try:
                value = fn(row, col)
            except Exception as exc:
                raise GenerationError(
                    f"custom generator raised {type(exc).__name__}: {exc}",
                    table=tp.table.key,
                    column=col,
                    rule="custom_generator",
                ) from exc
            row[col] = value
            values.append(value)
        out[col] = values
    return out


def _provider_table(table: Table) -> Table:
    # A single-column primary key must be unique like any UNIQUE column: say so to the provider.
    if len(table.primary_key) != 1:
        return table
    pk = table.primary_key[0]
    return replace(
        table, columns=tuple(replace(c, unique=True) if c.name == pk else c for c in table.columns)
    )


def _provide(
    tp: TablePlan,
    frame: pd.DataFrame,
    provider: Provider,
    rng: np.random.Generator,
    prompt: str | None,
    parents: Mapping[int, pd.DataFrame],
    report: TableReport,
) -> None:
    table = _provider_table(tp.table)
    columns = tp.provider_columns
    n = len(frame)
    context = frame.copy()
    values = provider.fill(
        FillRequest(
            table=table,
            columns=columns,
            n=n,
            rng=rng,
            context=context,
            parents=parents,
            prompt=prompt,
        )
    )
    report.provider_calls += 1
    for col in columns:
        frame[col] = _as_series(values[col], n, table, col)

    # Multi-column UNIQUE sets that include provider columns: the provider only sees one batch,
    # so collisions across the set are re-asked for the colliding rows alone.
    targets = [s for s in table.unique_sets if set(s) & set(columns)]
    offset = n
    for attempt in range(MAX_REASKS + 1):
        dup = np.zeros(n, dtype=bool)
        for us in targets:
            complete = frame[list(us)].notna().all(axis=1).to_numpy()
            dup |= complete & frame.duplicated(subset=list(us), keep="first").to_numpy()
        if not dup.any():
            return
        if attempt == MAX_REASKS:
            break
        rows = np.flatnonzero(dup)
        report.reasks += 1
        report.provider_calls += 1
        redo = provider.fill(
            FillRequest(
                table=table,
                columns=columns,
                n=len(rows),
                rng=rng,
                context=frame.iloc[rows].reset_index(drop=True),
                parents={i: p.iloc[rows].reset_index(drop=True) for i, p in parents.items()},
                prompt=prompt,
                row_offset=offset,
            )
        )
        offset += len(rows)
        for col in columns:
            frame.loc[rows, col] = _as_series(redo[col], len(rows), table, col).to_numpy()
    bad = [s for s in targets if frame.duplicated(subset=list(s)).any()]
    raise GenerationError(
        f"could not make {', '.join('(' + ', '.join(s) + ')' for s in bad)} unique "
        f"after {MAX_REASKS} re-asks: the values may have too few possibilities",
        table=table.key,
        column=bad[0][0] if bad else None,
        rule="unique",
        attempts=MAX_REASKS,
    )


def _as_series(values: Any, n: int, table: Table, column: str) -> pd.Series[Any]:
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if len(series) != n:
        raise GenerationError(
            f"provider returned {len(series)} values, {n} asked",
            table=table.key,
            column=column,
            rule="row_count",
        )
    return series.reset_index(drop=True)
