"""The families of draws: which spec keys make syda draw a column itself, and how.

A family owns a few spec keys (``values``/``weights``; ``distribution``, ``min``/``max``...;
``expr``/``from_parent``), draws a whole column as a pandas Series for a :class:`DrawContext`,
and checks its keys against the column's constraints. The built-in families register here the
same way a new one would, so adding a kind of draw touches one module.

A column whose spec sets none of the registered trigger keys is left to the provider (the
offline engine, or an LLM), which reads the spec's ``semantic``.

Output convention of ``draw`` (what the validator and sinks expect, as the offline provider
returns): integers ``Int64``; floats and decimals ``float64`` (NaN for NULL); booleans
``boolean``; timestamps ``datetime64``; dates, times, strings: ``object`` with ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from syda.profile.context import DrawContext
from syda.profile.spec import ColumnProfile
from syda.schema.ir import Column, ColumnKind, Schema, Table

__all__ = ["Family", "case_spec", "draw_keys", "families", "family_of", "register"]

Draw = Callable[[DrawContext], "pd.Series[Any]"]
Check = Callable[[Schema, Table, Column, ColumnProfile], list[str]]
Refs = Callable[[ColumnProfile], Sequence[str]]


def _no_problems(schema: Schema, table: Table, column: Column, spec: ColumnProfile) -> list[str]:
    return []


def _no_refs(spec: ColumnProfile) -> Sequence[str]:
    return ()


@dataclass(frozen=True)
class Family:
    """One way of drawing a column from its spec.

    Attributes:
        name: Shown by ``syda inspect`` (``profile: distribution``).
        triggers: Spec keys that make this family draw the column.
        priority: When several families' triggers are set, the highest draws (an ``expr``
            beats ``values``; the others' keys then act as modifiers of the drawn values).
        draw: Draws the whole column.
        kinds: Column kinds it can draw; None for any.
        check: Problems of a spec under the column's constraints (empty when it can hold).
        refs: Columns (``col`` or ``parent.col``) the draw reads, so they are drawn first.
    """

    name: str
    triggers: frozenset[str]
    priority: int
    draw: Draw
    kinds: frozenset[ColumnKind] | None = None
    check: Check = _no_problems
    refs: Refs = _no_refs


_FAMILIES: list[Family] = []


def register(family: Family) -> Family:
    """Add ``family`` (a later one with the same name replaces the earlier)."""
    _FAMILIES[:] = [f for f in _FAMILIES if f.name != family.name]
    _FAMILIES.append(family)
    _FAMILIES.sort(key=lambda f: -f.priority)
    return family


def families() -> tuple[Family, ...]:
    """Every registered family, highest priority first."""
    return tuple(_FAMILIES)


def draw_keys() -> frozenset[str]:
    """Every key that makes syda draw a column itself."""
    return frozenset(k for f in _FAMILIES for k in f.triggers)


def family_of(spec: ColumnProfile, column: Column) -> Family | None:
    """The family that draws ``column`` from ``spec``, or None (the provider draws it)."""
    set_keys = {k for k in type(spec).model_fields if getattr(spec, k) is not None}
    for family in _FAMILIES:
        if family.triggers & set_keys and (family.kinds is None or column.kind in family.kinds):
            return family
    return None


def case_spec(base: ColumnProfile, case: ColumnProfile, column: Column) -> ColumnProfile:
    """A ``by`` case over the column's other keys; a case that draws another way replaces them.

    ``{distribution: ..., by: {cases: {Dropped: {values: [0]}}}}``: the dropped rows take
    ``values`` instead of the distribution, rather than carrying both.
    """
    merged = base.model_copy(
        update={"by": None, **{k: getattr(case, k) for k in case.model_fields_set}}
    )
    own = family_of(case, column)
    if own is None:
        return merged
    drop = {
        k
        for f in _FAMILIES
        if f is not own
        for k in f.triggers
        if k not in case.model_fields_set and k not in own.triggers
    }
    return merged.model_copy(update=dict.fromkeys(drop & set(type(base).model_fields)))
