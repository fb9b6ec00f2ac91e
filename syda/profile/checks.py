"""Specs checked against the schema before anything is drawn: a spec that cannot hold is an error.

A ``null_share`` on a NOT NULL column, a weighted value the CHECK does not allow, a reference to
a column that does not exist, a ``distribution`` on a text column: each is reported here, all
together, instead of surfacing later as rows that fail validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from syda.profile.convert import a_kind
from syda.profile.defaults import default_problems
from syda.profile.exprs import ref_problems
from syda.profile.registry import Family, case_spec, draw_keys, families, family_of
from syda.profile.spec import ColumnProfile, Profile, TableProfile
from syda.schema.ir import Column, Schema, Table
from syda.semantics import SEMANTIC_KINDS

__all__ = ["PASS_KEYS", "column_problems", "profile_problems"]

PASS_KEYS = frozenset({"template", "aggregate"})
"""Keys filled by a pass over the whole table (or its children) rather than a column draw."""
_MODIFIERS = frozenset(
    {"semantic", "null_share", "null_unless", "null_when", "by", "default_share"}
)


def profile_problems(schema: Schema, profile: Profile) -> list[str]:
    """Every problem of ``profile`` against ``schema`` (an empty list when it can hold)."""
    from syda.profile.effective import filled_by_keys
    from syda.profile.passes import pattern_problems

    problems: list[str] = []
    for table in schema:
        tp = profile.tables.get(table.key, TableProfile())
        made = filled_by_keys(table)
        for name, spec in tp.columns.items():
            column = table.column(name)
            if name in made and _draws_anything(spec):
                problems.append(
                    f"{table.key}.{name}: a key column is filled by construction; a spec cannot "
                    "draw it (declare it on the parent's columns instead)"
                )
                continue
            problems.extend(column_problems(schema, table, column, spec))
        problems.extend(pattern_problems(schema, table, tp))
    return problems


def column_problems(schema: Schema, table: Table, column: Column, spec: ColumnProfile) -> list[str]:
    """Problems of one column's spec (and of each ``by`` case merged over it)."""
    where = f"{table.key}.{column.name}"
    problems: list[str] = []
    if spec.semantic is not None and spec.semantic not in SEMANTIC_KINDS:
        if column.kind != "unknown":
            problems.append(f"{where}: semantic {spec.semantic!r} is not a known kind")
    problems.extend(default_problems(where, column, spec))
    nulls = spec.null_share or spec.null_unless or spec.null_when
    if nulls and not column.nullable:
        problems.append(f"{where}: the column is NOT NULL, so it cannot have {_null_key(spec)}")
    for key in ("null_unless", "null_when"):
        text = getattr(spec, key)
        if text:
            from syda.profile.exprs import parse_refs

            try:
                refs = parse_refs(text)
            except ValueError as error:
                problems.append(f"{where}: {key}: {error}")
                continue
            problems.extend(f"{where}: {key}: {p}" for p in ref_problems(schema, table, refs))
    if spec.by is not None:
        problems.extend(f"{where}: by: {p}" for p in ref_problems(schema, table, [spec.by.column]))
        problems.extend(_by_problems(where, table, column, spec))
        base = spec.model_copy(update={"by": None})
        for value, case in spec.by.cases.items():
            merged = case_spec(base, case, column)
            if case.by is not None:
                problems.append(f"{where}: a by case cannot hold another by")
                continue
            problems.extend(
                p.replace(where, f"{where} (by {spec.by.column} = {value!r})", 1)
                for p in column_problems(schema, table, column, merged)
            )
        return problems
    family = family_of(spec, column)
    if family is not None:
        own = family.check(schema, table, column, spec)
        problems.extend(own)
        # A family that checks its own references says which key names them (``expr: ...``);
        # the generic check covers the rest without repeating those.
        problems.extend(
            f"{where}: {p}"
            for p in ref_problems(schema, table, list(family.refs(spec)))
            if not any(q.endswith(f": {p}") for q in own)
        )
    problems.extend(_unused(where, column, spec))
    problems.extend(_overruled(where, column, spec, family))
    return list(dict.fromkeys(problems))


def _overruled(where: str, column: Column, spec: ColumnProfile, family: Family | None) -> list[str]:
    """Keys of another family that the drawing one would ignore (``values`` beside ``expr``)."""
    if family is None:
        return []
    mine = family.triggers | _modifier_keys(family.name)
    others = {
        k
        for f in families()
        if f is not family and (f.kinds is None or column.kind in f.kinds)
        for k in f.triggers
    }
    set_keys = {k for k in type(spec).model_fields if getattr(spec, k) is not None}
    ignored = sorted((set_keys & others) - mine - _MODIFIERS - PASS_KEYS)
    if not ignored:
        return []
    return [
        f"{where}: {family.name} draws this column, so {', '.join(ignored)} would be ignored; "
        "keep one way of drawing it"
    ]


def _by_problems(where: str, table: Table, column: Column, spec: ColumnProfile) -> list[str]:
    """A ``by`` needs a spec for the other rows, and cases that can occur."""
    assert spec.by is not None
    problems = []
    base = spec.model_copy(update={"by": None})
    known = _known_values(table, spec.by.column)
    covered = (
        known is not None
        and known <= {str(v) for v in spec.by.cases}
        and not table.column(spec.by.column).nullable
    )
    if family_of(base, column) is None and not covered:
        problems.append(
            f"{where}: by: the rows of other {spec.by.column} values need a spec too: "
            "give the column one beside by (values, distribution, expr...)"
        )
    if known is not None:
        for value in spec.by.cases:
            if str(value) not in known:
                problems.append(
                    f"{where}: by: {spec.by.column} never holds {value!r} "
                    f"(its values: {', '.join(sorted(known))})"
                )
    return problems


def _known_values(table: Table, ref: str) -> set[str] | None:
    """The values a column of the same table can hold, as text, when they are fixed."""
    if "." in ref or not table.has_column(ref):
        return None
    column = table.column(ref)
    # Allowed values (an enum, a CHECK ... IN list), else weighted values the schema gives it.
    values: Any = column.choices
    if values is None:
        own = column.info.get("syda") if isinstance(column.info, Mapping) else None
        values = own.get("values") if isinstance(own, Mapping) else None
    if not isinstance(values, (list, tuple, dict)):
        return None
    return {str(v) for v in values}


def _unused(where: str, column: Column, spec: ColumnProfile) -> list[str]:
    """Keys no registered family can draw for a column of this kind."""
    set_keys = (
        {k for k in type(spec).model_fields if getattr(spec, k) is not None}
        - _MODIFIERS
        - PASS_KEYS
    )
    if not set_keys:
        return []
    usable = {
        k
        for f in families()
        if f.kinds is None or column.kind in f.kinds
        for k in (*f.triggers, *_modifier_keys(f.name))
    }
    left = sorted(set_keys - usable)
    if not left:
        return []
    known = sorted(draw_keys())
    return [
        f"{where}: {', '.join(left)} cannot be drawn for {a_kind(column.kind)} column "
        f"(keys drawn for it: {', '.join(k for k in known if k in usable) or 'none'})"
    ]


_FAMILY_MODIFIERS: dict[str, frozenset[str]] = {}


def register_modifiers(family: str, keys: frozenset[str]) -> None:
    """Keys that adjust what ``family`` draws without making it draw (``round``, ``outliers``)."""
    _FAMILY_MODIFIERS[family] = keys


def _modifier_keys(family: str) -> frozenset[str]:
    return _FAMILY_MODIFIERS.get(family, frozenset())


def _draws_anything(spec: ColumnProfile) -> bool:
    return any(getattr(spec, k) is not None for k in type(spec).model_fields if k != "semantic")


def _null_key(spec: ColumnProfile) -> str:
    if spec.null_share:
        return "null_share"
    return "null_unless" if spec.null_unless else "null_when"
