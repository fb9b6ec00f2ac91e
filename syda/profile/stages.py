"""A funnel: ``stages: {column: stage, order: [...], reach: [1, 0.6, 0.35, 0.2], dates: [...]}``.

Each row independently reaches stage ``i`` with probability ``reach[i]`` (the shares never grow,
so a row that reaches a stage has reached every earlier one). The stage column holds the
furthest stage reached; with ``outcome: {"Closed Lost": 0.7}``, a row that stops before the last
stage carries one of the outcome values instead, with those probabilities (their sum is at most
1; the remaining rows keep their stage, still open). Reach is therefore read from the dates:
a stage is reached where its date is set.

Dates: the first stage with a date column is the *anchor*. Its values come from its own spec
or from the provider (the offline engine, an LLM), like any column; every later stage's date is
the previous stage's plus a ``gap`` (default: lognormal, median 3 days), at least one unit of
the column's resolution (a day for a date, a second for a timestamp), so dates are strictly in
order. Unreached stages' dates are NULL. A later date past the column's ``max`` is clipped to it
(it may then equal the previous stage's date).

Every row is drawn on its own, so the repair loop may re-draw any subset of rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.profile.convert import a_kind, literal, to_column
from syda.profile.spec import ColumnProfile, Gap, Lognormal, Stages, TableProfile
from syda.schema.ir import Column, Schema, Table

__all__ = ["anchor_of", "draw_funnel", "funnel_columns", "sample_gap", "stages_problems"]

DEFAULT_GAP = Gap(distribution=Lognormal(kind="lognormal", median=3, sigma=0.6), unit="days")
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}
_DAY = 86400.0
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DATE_KINDS = ("date", "datetime")


def anchor_of(stages: Stages) -> tuple[int, str] | None:
    """The first stage with a date column, and that column (its dates are not drawn here)."""
    for i, name in enumerate(stages.dates or ()):
        if name:
            return i, name
    return None


def funnel_columns(table: Table, profile: TableProfile) -> dict[str, str]:
    """Columns the funnel draws: the stage column and every stage date after the anchor."""
    stages = profile.stages
    if stages is None:
        return {}
    anchor = anchor_of(stages)
    names = [stages.column, *(d for d in (stages.dates or ()) if d)]
    if anchor is not None:
        names.remove(anchor[1])
    return {name: "stages" for name in names if table.has_column(name)}


def draw_funnel(
    table: Table, stages: Stages, n: int, rng: np.random.Generator, frame: pd.DataFrame
) -> dict[str, pd.Series[Any]]:
    """The stage column and every stage date column (the anchor's re-masked) for ``n`` rows.

    Raises:
        GenerationError: If the anchor date column has no values yet.
    """
    reach = np.asarray(stages.reach, dtype=float)
    furthest = (rng.random(n)[:, None] < reach[None, :]).sum(axis=1) - 1
    out: dict[str, pd.Series[Any]] = {}
    column = table.column(stages.column)
    labels = np.empty(len(stages.order), dtype=object)
    labels[:] = [literal(v, column) for v in stages.order]
    values = labels[np.maximum(furthest, 0)]
    values[furthest < 0] = None
    if stages.outcome:
        values = _with_outcome(stages.outcome, column, values, furthest, len(stages.order), rng)
    # The labels are read for the column's type already; text needs no per-value conversion.
    text = column.kind in ("string", "text")
    out[stages.column] = (
        pd.Series(values, dtype=object) if text else to_column(pd.Series(values), column)
    )
    anchor = anchor_of(stages)
    if anchor is None:
        return out
    first, name = anchor
    if name not in frame:
        raise GenerationError(
            "the funnel's first stage date has no values yet (give it a spec, or let the "
            "provider fill it)",
            table=table.key,
            column=name,
            rule="stages",
        )
    seconds = _seconds(frame[name].reset_index(drop=True), table.column(name))
    gap = stages.gap or DEFAULT_GAP
    dates = stages.dates or []
    for i in range(first, len(stages.order)):
        target = dates[i]
        if i > first:
            step = sample_gap(gap, rng, n)
            if target:
                floor = _DAY if table.column(target).kind == "date" else 1.0
                step = np.maximum(step, floor)
            seconds = seconds + step
        if target:
            col = table.column(target)
            seconds = _clipped(seconds, col)
            out[target] = _dates(np.where(furthest >= i, seconds, np.nan), col)
    return out


def sample_gap(gap: Gap, rng: np.random.Generator, n: int) -> np.ndarray[Any, Any]:
    """``n`` positive gaps in seconds."""
    d = gap.distribution
    if d.kind == "lognormal":
        median = d.median or (d.mean / np.exp(d.sigma**2 / 2) if d.mean else 1.0)
        raw = median * np.exp(d.sigma * rng.standard_normal(n))
    elif d.kind == "normal":
        raw = np.abs(rng.normal(d.mean, d.sd, n))
    elif d.kind == "uniform":
        raw = rng.uniform(d.low or 0.0, d.high if d.high is not None else 1.0, n)
    elif d.kind == "exponential":
        raw = rng.exponential(d.mean, n)
    elif d.kind == "poisson":
        raw = rng.poisson(d.mean, n).astype(float)
    elif d.kind == "zipf":
        raw = rng.zipf(d.a, n).astype(float)
    else:
        low = d.low if d.low is not None else 0.0
        high = d.high if d.high is not None else 2 * d.mode
        raw = rng.triangular(low, d.mode, high, n)
    return np.maximum(raw, 0.0) * _UNIT_SECONDS[gap.unit]


def _with_outcome(
    outcome: Mapping[str, float],
    column: Column,
    values: np.ndarray[Any, Any],
    furthest: np.ndarray[Any, Any],
    stages: int,
    rng: np.random.Generator,
) -> np.ndarray[Any, Any]:
    """Rows that stopped early carry an outcome value with the outcome's probabilities."""
    options = np.empty(len(outcome), dtype=object)
    options[:] = [literal(v, column) for v in outcome]
    edges = np.cumsum(list(outcome.values()))
    u = rng.random(len(values))
    pick = np.searchsorted(edges, u, side="right")
    ended = (furthest < stages - 1) & (furthest >= 0) & (pick < len(options))
    values = values.copy()
    values[ended] = options[pick[ended]]
    return values


def _seconds(values: pd.Series[Any], column: Column) -> np.ndarray[Any, Any]:
    """Seconds since 1970 of a date or timestamp column (NaN for NULL)."""
    stamps = pd.to_datetime(values, errors="coerce", utc=bool(column.timezone))
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    ns = stamps.astype("datetime64[ns]").to_numpy().astype("int64").astype(float)
    ns[stamps.isna().to_numpy()] = np.nan
    return ns / 1e9


def _clipped(seconds: np.ndarray[Any, Any], column: Column) -> np.ndarray[Any, Any]:
    if column.maximum is None:
        return seconds
    days = float(np.floor(column.maximum)) if column.kind == "date" else column.maximum
    top = (days - _EPOCH_ORDINAL) * _DAY
    clipped: np.ndarray[Any, Any] = np.minimum(seconds, top)
    return clipped


def _dates(seconds: np.ndarray[Any, Any], column: Column) -> pd.Series[Any]:
    if column.kind == "date":
        seconds = np.floor(seconds / _DAY) * _DAY
    else:
        seconds = np.floor(seconds)
    stamps = pd.to_datetime(pd.Series(seconds), unit="s", errors="coerce")
    return to_column(stamps, column)


def stages_problems(schema: Schema, table: Table, profile: TableProfile) -> list[str]:
    """Why a table's ``stages`` cannot hold, if it cannot."""
    stages = profile.stages
    if stages is None:
        return []
    where = f"{table.key}: stages"
    if not table.has_column(stages.column):
        return [f"{where}: {table.key} has no column {stages.column!r}"]
    problems = _stage_values(where, table.column(stages.column), stages)
    if stages.reach[0] < 1 and not table.column(stages.column).nullable:
        problems.append(
            f"{where}: reach starts at {stages.reach[0]}, so some rows reach no stage, but "
            f"{stages.column} is NOT NULL (start reach at 1)"
        )
    if stages.outcome and sum(stages.outcome.values()) > 1:
        problems.append(f"{where}: outcome shares add up to more than 1")
    if stages.outcome and any(w < 0 for w in stages.outcome.values()):
        problems.append(f"{where}: outcome shares must be >= 0")
    seen: set[str] = set()
    for i, name in enumerate(stages.dates or ()):
        if name:
            problems.extend(_date_problems(where, table, profile, stages, i, name, seen))
            seen.add(name)
    return problems


def _stage_values(where: str, column: Column, stages: Stages) -> list[str]:
    problems = []
    for value in [*stages.order, *(stages.outcome or {})]:
        text = str(value)
        if column.choices is not None and literal(value, column) not in column.choices:
            problems.append(f"{where}: {text!r} is not one of {column.name}'s allowed values")
        elif column.length is not None and len(text) > column.length:
            problems.append(
                f"{where}: {text!r} is longer than {column.name}'s {column.length} characters"
            )
    if column.kind not in ("string", "text", "unknown"):
        problems.append(f"{where}: {column.name} is {a_kind(column.kind)} column, not a text one")
    return problems


def _date_problems(
    where: str,
    table: Table,
    profile: TableProfile,
    stages: Stages,
    index: int,
    name: str,
    seen: set[str],
) -> list[str]:
    if not table.has_column(name):
        return [f"{where}: {table.key} has no column {name!r}"]
    column = table.column(name)
    problems = []
    if name in seen:
        problems.append(f"{where}: {name} is the date of two stages")
    if column.kind not in _DATE_KINDS:
        problems.append(f"{where}: {name} is {a_kind(column.kind)} column, not a date or timestamp")
    reached = stages.reach[index]
    anchor = anchor_of(stages)
    if reached < 1 and not column.nullable:
        problems.append(
            f"{where}: {name} is NULL where stage {stages.order[index]!r} is not reached, "
            "but the column is NOT NULL"
        )
    spec = profile.columns.get(name, ColumnProfile())
    if spec.null_share is not None or spec.null_unless or spec.null_when:
        problems.append(f"{where}: the funnel decides {name}'s NULLs; drop its null rule")
    if anchor is not None and name != anchor[1] and _draws(spec):
        problems.append(
            f"{where}: {name} follows the previous stage by the funnel's gap; drop its own spec"
        )
    return problems


def _draws(spec: ColumnProfile) -> bool:
    return any(
        getattr(spec, k) is not None
        for k in type(spec).model_fields
        if k not in ("semantic", "values", "weights")
    )
