"""What a numeric spec must satisfy to be drawable within the column's constraints.

Each problem is a sentence naming the column and the key, collected with every other spec's
problems into one :class:`~syda.errors.SchemaError` before anything is drawn. Unknown columns
named by ``scale_by`` or ``correlate`` are reported by the generic checks (through the family's
``refs``); here: bounds that cross or leave the column's own, distributions that cannot put a
value between them, factors that are not positive, correlations with a non-numeric column.
"""

from __future__ import annotations

import math

import numpy as np

from syda.generators.infer import infer_semantic
from syda.profile.context import parent_aliases, split_ref
from syda.profile.convert import a_kind
from syda.profile.marginals import Marginal
from syda.profile.numbers_shape import bounds_of, decimals_of, shape_of
from syda.profile.spec import ColumnProfile, Lognormal, Triangular, Uniform
from syda.schema.ir import Column, Schema, Table

__all__ = ["check"]

_NUMERIC = ("integer", "float", "decimal")


def check(schema: Schema, table: Table, column: Column, spec: ColumnProfile) -> list[str]:
    """Problems of a numeric spec under the column's constraints (empty when it can hold)."""
    where = f"{table.key}.{column.name}"
    semantic = spec.semantic or infer_semantic(column, table)
    problems = _bound_problems(spec, column, semantic)
    if not problems:
        problems = _shape_problems(spec, column, semantic)
    problems.extend(_factor_problems(spec))
    problems.extend(_correlate_problems(schema, table, column, spec))
    return [f"{where}: {p}" for p in problems]


def _bound_problems(spec: ColumnProfile, column: Column, semantic: str) -> list[str]:
    try:
        lo, hi = bounds_of(spec, column, semantic)
    except ValueError as error:
        return [str(error)]
    low = None if spec.min is None else float(spec.min)  # type: ignore[arg-type]
    high = None if spec.max is None else float(spec.max)  # type: ignore[arg-type]
    if low is not None and high is not None and low > high:
        return [f"min {low:g} is above max {high:g}"]
    problems = []
    if low is not None and column.minimum is not None and low < column.minimum:
        problems.append(f"min {low:g} is below the column's own minimum {column.minimum:g}")
    if high is not None and column.maximum is not None and high > column.maximum:
        problems.append(f"max {high:g} is above the column's own maximum {column.maximum:g}")
    if not problems and lo > hi:
        problems.append(f"no value lies between the bounds {lo:g} and {hi:g}")
    return problems


def _shape_problems(spec: ColumnProfile, column: Column, semantic: str) -> list[str]:
    from datetime import date

    dist = spec.distribution
    if isinstance(dist, Lognormal) and dist.median is not None and dist.mean is not None:
        return ["lognormal takes median or mean, not both"]
    dist_, lo, hi = shape_of(spec, column, semantic, date.today())
    if isinstance(dist_, (Uniform, Triangular)):
        low = dist_.low if dist_.low is not None else lo
        high = dist_.high if dist_.high is not None else hi
        if not (math.isfinite(low) and math.isfinite(high)):
            return [f"{dist_.kind} needs low and high (or min and max)"]
        if low >= high:
            return [f"{dist_.kind}: low {low:g} is not below high {high:g}"]
        if isinstance(dist_, Triangular) and not low <= dist_.mode <= high:
            return [f"triangular: mode {dist_.mode:g} is outside [{low:g}, {high:g}]"]
    marginal = Marginal.of(dist_, lo, hi)
    digits = decimals_of(spec, column, semantic)
    edges = np.array([lo, hi])
    if digits is not None:
        step = 10.0**-digits
        edges = np.array([np.ceil(np.round(lo / step, 6)), np.floor(np.round(hi / step, 6))]) * step
        if edges[0] > edges[1]:
            return [f"no value with {digits} decimals lies between {lo:g} and {hi:g}"]
        if not marginal.discrete:
            edges = edges + np.array([-step / 2, step / 2])
    if marginal.discrete:
        edges[0] = np.ceil(edges[0]) - 1
    f = marginal.cdf(edges)
    if not f[1] > f[0]:
        return [f"the {marginal.kind} distribution has no values between {lo:g} and {hi:g}"]
    return []


def _factor_problems(spec: ColumnProfile) -> list[str]:
    return [
        f"scale_by {ref}: the factor of {value!r} must be above 0, not {factor:g}"
        for ref, table in (spec.scale_by or {}).items()
        for value, factor in table.items()
        if not factor > 0
    ]


def _correlate_problems(
    schema: Schema, table: Table, column: Column, spec: ColumnProfile
) -> list[str]:
    if spec.correlate is None:
        return []
    ref = spec.correlate.column
    if ref == column.name:
        return ["correlate names the column itself"]
    other = _column_of(schema, table, ref)
    if other is not None and other.kind not in _NUMERIC:
        return [f"correlate: {ref} is {a_kind(other.kind)} column; it needs a numeric one"]
    return []


def _column_of(schema: Schema, table: Table, ref: str) -> Column | None:
    alias, name = split_ref(ref)
    if alias is None:
        return table.column(name) if table.has_column(name) else None
    index = parent_aliases(table).get(alias)
    if index is None:
        return None
    parent = schema.table(table.foreign_keys[index].ref_table)
    return parent.column(name) if parent.has_column(name) else None
