"""One call's plan: the user's profile and generators applied over the generator's registries.

:class:`~syda.SyntheticDataGenerator` keeps the registered generators; each call brings sizes,
cardinalities, a profile and per-call generators. This module turns the two into the
:class:`~syda.plan.Plan` the engine runs, so the facade only wires stages together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from syda.errors import PlanError
from syda.generators.infer import infer_semantic
from syda.generators.keys import CardinalitySpec
from syda.generators.registry import ColumnGenerator, GeneratorRegistry
from syda.plan import Plan, build_plan, with_column_generators
from syda.profile import Profile, effective_profile, load_profile
from syda.profile.io import ProfileSource
from syda.profile.vector import VectorGenerator
from syda.schema.ir import Column, Schema, Table
from syda.semantics import kind_of_semantic
from syda.suggest import did_you_mean

__all__ = ["ColumnGenerators", "CustomGenerators", "Request", "plan_request", "user_profile"]

CustomGenerators = Mapping[str, Mapping[str, ColumnGenerator]]
ColumnGenerators = Mapping[str, Mapping[str, VectorGenerator]]


@dataclass(frozen=True)
class Request:
    """What one call asks for, beside its schema."""

    sample_sizes: Mapping[str, int]
    cardinality: Mapping[str, CardinalitySpec] | None
    custom: CustomGenerators | None
    default_rows: int
    profile: ProfileSource | None = None
    vector: ColumnGenerators | None = None
    llm_profile: Profile | None = None
    """In LLM profile mode, the profiles the LLM wrote (the layer under the schema's specs)."""


def plan_request(
    schema: Schema,
    request: Request,
    registry: GeneratorRegistry[ColumnGenerator],
    vectors: GeneratorRegistry[VectorGenerator],
) -> Plan:
    """The plan of one call: its profile, generators and sizes over the generator's registries.

    Raises:
        SchemaError: If the schema or the profile has problems.
        PlanError: If names or counts of the request are invalid.
        ConfigurationError: If column generators name columns keys already fill.
    """
    scoped = request.custom
    _check_scoped(schema, scoped)
    effective = effective_profile(
        schema, user_profile(request.profile, schema), request.llm_profile
    )

    def find(table: Table, column: str, is_fk: bool) -> ColumnGenerator | None:
        col = table.column(column)
        if is_fk:
            fk = next(f for f in table.foreign_keys if column in f.columns)
            if fk.ref_table in schema:
                # Keys into generated parents are sampled (integrity by construction) unless
                # this call names the column explicitly; a global generator registered for
                # an earlier two-step flow must not override them.
                mine = (scoped or {}).get(table.key) or (scoped or {}).get(table.name) or {}
                return mine.get(column)
        types = _type_names(col, table)
        found = registry.find(
            table, col, types=(*types, "foreign_key") if is_fk else types, scoped=scoped
        )
        return found

    def can_provide(table: Table, column: str) -> bool:
        col = table.column(column)
        if col.kind != "unknown" or (
            col.semantic is not None and kind_of_semantic(col.semantic) is not None
        ):
            return True
        # A column generator fills a column of any type, one syda cannot draw too (ARRAY).
        types = _type_names(col, table)
        return vectors.find(table, col, types=types, scoped=request.vector) is not None

    plan = build_plan(
        schema,
        rows=request.sample_sizes,
        default_rows=request.default_rows,
        cardinality=request.cardinality,
        find_generator=find,
        can_provide=can_provide,
        profile=effective,
    )
    return with_column_generators(plan, _vector_lookup(plan, request.vector, vectors))


def _vector_lookup(
    plan: Plan, given: ColumnGenerators | None, vectors: GeneratorRegistry[VectorGenerator]
) -> dict[str, dict[str, VectorGenerator]]:
    """The call's column generators, then registered ones for the columns left."""
    found: dict[str, dict[str, VectorGenerator]] = {}
    for key, tp in plan.tables.items():
        table = tp.table
        for name, src in tp.sources.items():
            if src.kind not in ("provider", "profile"):
                continue
            col = table.column(name)
            fn = vectors.find(table, col, types=_type_names(col, table), scoped=given)
            if fn is not None:
                found.setdefault(key, {})[name] = fn
    # Names the call gave that match no such column are reported by the planner's check.
    for name, columns in (given or {}).items():
        for column, fn in columns.items():
            try:
                key = plan.schema.table(name).key
            except KeyError:
                key = name
            found.setdefault(key, {}).setdefault(column, fn)
    return found


def _type_names(column: Column, table: Table) -> tuple[str, ...]:
    """The type names a registered generator may be keyed by, most meaningful first."""
    return (
        infer_semantic(column, table),
        column.semantic or "",
        column.kind,
        column.sql_type or "",
    )


def user_profile(source: ProfileSource | None, schema: Schema) -> Profile | None:
    """The user's profile; for a one-table schema, ``{column: spec}`` is read as that table's."""
    if source is None:
        return None
    if isinstance(source, Mapping) and len(schema) == 1:
        table = schema.tables[0]
        if source and all(isinstance(k, str) and table.has_column(k) for k in source):
            source = {table.key: {"columns": dict(source)}}
    return load_profile(source)


def _check_scoped(schema: Schema, scoped: CustomGenerators | None) -> None:
    if not scoped:
        return
    problems = []
    for key, gens in scoped.items():
        if key not in schema:
            hint = did_you_mean(key, schema.keys)
            problems.append(
                f"custom_generators names table {key!r}, which is not in the schema{hint}"
            )
            continue
        table = schema.table(key)
        columns = [c.name for c in table.columns]
        problems += [
            f"custom_generators names {key}.{col}, which is not a column of {key}"
            + did_you_mean(col, columns)
            for col in gens
            if not table.has_column(col)
        ]
    if problems:
        raise PlanError("; ".join(problems))
