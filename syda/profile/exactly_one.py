"""One flagged row per parent: ``exactly_one: {column: is_primary, per: customer_id}``.

A pass over the whole table once its rows exist (the flag depends on the other rows of the
group, which a per-batch draw cannot see): in every group of rows sharing the ``per`` columns
(one column or a list), one row chosen at random gets True and the others False. A group of one
row gets True. Rows whose ``per`` columns hold a NULL belong to no parent and get False.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from syda.profile.convert import a_kind
from syda.profile.spec import ExactlyOne, TableProfile
from syda.schema.ir import Schema, Table

__all__ = ["exactly_one_problems", "flags", "per_columns"]


def per_columns(rule: ExactlyOne) -> list[str]:
    """``per`` as a list of columns."""
    return [rule.per] if isinstance(rule.per, str) else list(rule.per)


def flags(rule: ExactlyOne, frame: pd.DataFrame, rng: np.random.Generator) -> pd.Series[Any]:
    """True for one random row of every group, False for the rest (as a ``boolean`` column)."""
    n = len(frame)
    per = per_columns(rule)
    order = rng.permutation(n)
    shuffled = frame[per].iloc[order].reset_index(drop=True)
    first = ~shuffled.duplicated(keep="first").to_numpy()
    first &= shuffled.notna().all(axis=1).to_numpy()
    out = np.zeros(n, dtype=bool)
    out[order[first]] = True
    return pd.Series(out, dtype="boolean")


def exactly_one_problems(schema: Schema, table: Table, profile: TableProfile) -> list[str]:
    """Unknown or unusable columns of the table's ``exactly_one`` rules."""
    problems: list[str] = []
    flagged: set[str] = set()
    keys = set(table.primary_key) | {c for fk in table.foreign_keys for c in fk.columns}
    for rule in profile.exactly_ones():
        where = f"{table.key}: exactly_one"
        if not table.has_column(rule.column):
            problems.append(f"{where}: {table.key} has no column {rule.column!r}")
        else:
            column = table.column(rule.column)
            if column.kind != "boolean":
                problems.append(
                    f"{where}: {rule.column} is {a_kind(column.kind)} column; "
                    "the flag needs a boolean"
                )
            if rule.column in keys or column.generated:
                problems.append(f"{where}: {rule.column} is a key or computed column")
            if rule.column in flagged:
                problems.append(f"{where}: {rule.column} is flagged by two rules")
            if rule.column in per_columns(rule):
                problems.append(f"{where}: {rule.column} cannot group itself")
            spec = profile.columns.get(rule.column)
            if spec is not None and (spec.null_share or spec.null_unless or spec.null_when):
                problems.append(f"{where}: {rule.column} is always True or False; drop its nulls")
            flagged.add(rule.column)
        problems.extend(
            f"{where}: per: {table.key} has no column {name!r}"
            for name in per_columns(rule)
            if not table.has_column(name)
        )
        if not per_columns(rule):
            problems.append(f"{where}: per names no column")
    return problems
