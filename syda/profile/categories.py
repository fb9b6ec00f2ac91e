"""Weighted categories: ``values: {"New Business": 0.45, "Renewal": 0.30, ...}``.

``values`` may be a mapping of value to weight (weights need not sum to 1) or a list of equally
likely values; ``weights`` gives weights to the column's own allowed values (its enum or CHECK
... IN list) in their order. Each row draws independently with those probabilities, so on
10,000 rows every share lies within about one percentage point of its weight.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from syda.profile.context import DrawContext
from syda.profile.convert import literal, to_column
from syda.profile.registry import Family, register
from syda.profile.spec import ColumnProfile
from syda.schema.ir import Column, Schema, Table

__all__ = ["categories"]


def categories(spec: ColumnProfile, column: Column) -> tuple[list[Any], np.ndarray[Any, Any]]:
    """The values a spec draws from (read for the column's type) and their probabilities."""
    if spec.values is not None:
        if isinstance(spec.values, dict):
            options = list(spec.values)
            weights = np.array(list(spec.values.values()), dtype=float)
        else:
            options = list(spec.values)
            weights = np.ones(len(options))
    else:
        options = list(column.choices or ())
        weights = np.array(spec.weights or (), dtype=float)
    values = [literal(v, column) for v in options]
    return values, weights / weights.sum()


_READ: dict[tuple[int, int], tuple[ColumnProfile, Column, list[Any], np.ndarray[Any, Any]]] = {}


def _read(spec: ColumnProfile, column: Column) -> tuple[list[Any], np.ndarray[Any, Any]]:
    """:func:`categories`, read once per spec and column rather than once per chunk.

    Reading each value for the column's type goes through pandas (a fraction of a millisecond
    a value), which a chunk of 100,000 rows paid again for the same handful of values.
    """
    key = (id(spec), id(column))
    hit = _READ.get(key)
    if hit is None or hit[0] is not spec or hit[1] is not column:
        if len(_READ) > 1024:
            _READ.clear()
        hit = (spec, column, *categories(spec, column))
        _READ[key] = hit
    return hit[2], hit[3]


def _draw(ctx: DrawContext) -> pd.Series[Any]:
    values, p = _read(ctx.spec, ctx.column)
    options = np.empty(len(values), dtype=object)
    options[:] = values
    drawn = options[ctx.rng.choice(len(values), size=ctx.n, p=p)]
    # Text stays objects, as to_column returns it: pandas would first make it Arrow strings.
    text = ctx.column.kind in ("string", "text")
    if text and all(isinstance(v, str) for v in values):
        return pd.Series(drawn, dtype=object)  # what to_column makes of text: nothing to read
    return to_column(pd.Series(drawn, dtype=object if text else None), ctx.column)


def _check(schema: Schema, table: Table, column: Column, spec: ColumnProfile) -> list[str]:
    where = f"{table.key}.{column.name}"
    if spec.values is None:
        if not column.choices:
            return [f"{where}: weights needs the column's allowed values (an enum or CHECK IN)"]
        if spec.weights is not None and len(spec.weights) != len(column.choices):
            return [
                f"{where}: weights has {len(spec.weights)} entries for the column's "
                f"{len(column.choices)} allowed values"
            ]
        return []
    options = list(spec.values)
    problems = []
    try:
        values = [literal(v, column) for v in options]
    except (ValueError, TypeError) as error:
        return [f"{where}: values: cannot read a value as {column.kind}: {error}"]
    # Read the allowed values as the spec's are (a decimal's CHECK IN list holds Decimals).
    allowed = None if column.choices is None else [literal(c, column) for c in column.choices]
    for written, value in zip(options, values, strict=True):
        if pd.isna(value):
            problems.append(f"{where}: values: {written!r} is not a valid {column.kind}")
        elif allowed is not None and value not in allowed:
            problems.append(
                f"{where}: values: {written!r} is not one of the column's allowed values"
            )
        elif column.length is not None and isinstance(value, str) and len(value) > column.length:
            problems.append(
                f"{where}: values: {written!r} is longer than the column's "
                f"{column.length} characters"
            )
        elif isinstance(value, (int, float)) and not _within(column, float(value)):
            problems.append(f"{where}: values: {written!r} is outside the column's bounds")
    if spec.weights is not None:
        problems.append(f"{where}: values already carries its weights; drop weights")
    if not problems:
        problems.extend(_checks_refuse(table, column, options, values, where))
    return problems


def _checks_refuse(
    table: Table, column: Column, written: list[Any], values: list[Any], where: str
) -> list[str]:
    """Values a CHECK over this column alone would refuse (``CHECK (status <> 'void')``)."""
    from syda.validation.check_eval import (
        CheckEvaluationError,
        compile_check,
        failing_rows,
        open_checks,
    )

    frame = pd.DataFrame({column.name: pd.Series(values, dtype=object)})
    try:
        own = [c for c in open_checks(table) if compile_check(table, c).columns == (column.name,)]
        broken = failing_rows(table, frame, own) if own else []
    except CheckEvaluationError:
        return []  # reported when the rows are validated
    return [
        f"{where}: values: {written[i]!r} breaks CHECK ({check.sqltext})"
        for check, mask in broken
        for i in np.flatnonzero(mask)
    ]


def _within(column: Column, value: float) -> bool:
    if column.kind not in ("integer", "float", "decimal"):
        return True
    low = column.minimum if column.minimum is not None else -np.inf
    high = column.maximum if column.maximum is not None else np.inf
    return bool(low <= value <= high)


register(
    Family(
        name="values",
        triggers=frozenset({"values", "weights"}),
        priority=80,
        draw=_draw,
        check=_check,
    )
)
