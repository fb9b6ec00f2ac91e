"""The table patterns filled by a pass over whole tables, and the checks of every table pattern.

``exactly_one`` and ``template`` need every row of the table (a flag per group, a sequence
within a group), so :func:`apply_table_passes` runs once the table's rows exist, after the
provider and its repair loop; ``aggregate`` needs the children, so the engine fills it once
every table has its rows (:func:`syda.profile.aggregate.fill_aggregates`). Until then their
columns hold NULL placeholders, and nobody else fills them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from syda.profile.aggregate import aggregate_columns, aggregate_problems
from syda.profile.exactly_one import exactly_one_problems, flags
from syda.profile.spec import TableProfile
from syda.profile.stages import stages_problems
from syda.profile.template import fields_of, render, template_problems
from syda.schema.ir import Schema, Table

__all__ = ["apply_table_passes", "pass_columns", "pattern_problems"]


def pass_columns(table: Table, profile: TableProfile) -> dict[str, str]:
    """Columns filled by a whole-table pass, with the pattern that fills each."""
    out: dict[str, str] = {}
    for rule in profile.exactly_ones():
        if table.has_column(rule.column):
            out[rule.column] = "exactly_one"
    for name, spec in profile.columns.items():
        if spec.template and table.has_column(name):
            out[name] = "template"
    out.update(dict.fromkeys(aggregate_columns(table, profile), "aggregate"))
    return out


def apply_table_passes(
    table: Table,
    profile: TableProfile,
    frame: pd.DataFrame,
    parents: Mapping[int, pd.DataFrame],
    rng: np.random.Generator,
) -> None:
    """Fill the table's ``exactly_one`` flags, then its templates (in column order), in place."""
    for rule in profile.exactly_ones():
        frame[rule.column] = flags(rule, frame, rng).to_numpy()
    for column in table.columns:
        spec = profile.columns.get(column.name)
        if spec is not None and spec.template:
            frame[column.name] = render(table, column, spec.template, frame, parents).to_numpy()


def pattern_problems(schema: Schema, table: Table, profile: TableProfile) -> list[str]:
    """Every problem of the table's patterns: stages, exactly_one, template, aggregate."""
    problems = stages_problems(schema, table, profile)
    problems.extend(exactly_one_problems(schema, table, profile))
    passes = pass_columns(table, profile)
    for name, spec in profile.columns.items():
        if not table.has_column(name):
            continue
        column = table.column(name)
        if spec.template:
            problems.extend(template_problems(schema, table, column, spec.template))
            problems.extend(_late_fields(table, name, spec.template, passes))
        if spec.aggregate:
            problems.extend(aggregate_problems(schema, table, column, spec.aggregate))
    return problems


def _late_fields(table: Table, name: str, text: str, passes: Mapping[str, str]) -> list[str]:
    """Template fields filled only after the template is (later templates, aggregates)."""
    try:
        fields = [f for _, f, _ in fields_of(text) if f and "." not in f]
    except ValueError:
        return []  # reported by template_problems
    order = [c.name for c in table.columns]
    late = [
        f
        for f in fields
        if passes.get(f) == "aggregate"
        or (passes.get(f) == "template" and order.index(f) >= order.index(name))
    ]
    return [
        f"{table.key}.{name}: template: {{{f}}} is filled after this template "
        f"({passes[f]}); it cannot be read here"
        for f in late
    ]
