"""The plan: table order, how each foreign key is sampled, and who fills every column.

The order, and the foreign keys that close cycles (filled in a second pass), come from
:mod:`syda.plan_order`; the profile's specs decide the columns it draws (``Source("profile")``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from syda.errors import ConfigurationError, PlanError, SchemaError
from syda.generators.keys import Cardinality, CardinalitySpec
from syda.generators.registry import ColumnGenerator
from syda.plan_checks import Estimate, check_size, requested_rows, resolve_cardinality
from syda.plan_lines import with_document_lines
from syda.plan_order import cycles_of, deferred_foreign_keys, table_order
from syda.plan_pairs import with_pair_keys
from syda.plan_paths import KeyPath, with_key_paths
from syda.plan_ranges import check_key_ranges, with_key_range_rows
from syda.plan_roles import Among, with_role_parents
from syda.plan_vocab import with_vocabulary_rows
from syda.profile.draw import drawn_columns
from syda.profile.series import axis_length, series_problems
from syda.profile.spec import Profile, TableProfile
from syda.profile.vector import VectorGenerator
from syda.schema.ir import Column, ForeignKey, Schema, Table
from syda.suggest import did_you_mean

__all__ = [
    "ForeignKeyPlan",
    "Plan",
    "Source",
    "TablePlan",
    "build_plan",
    "deferred_foreign_keys",
    "with_column_generators",
]

SourceKind = Literal[
    "sequence",
    "key",
    "sequence_in_group",
    "foreign_key",
    "custom",
    "provider",
    "profile",
    "database",
    "series",
    "combination",
]
logger = logging.getLogger("syda")
FKMode = Literal["many", "one_to_one", "combination", "self"]


@dataclass(frozen=True)
class Source:
    """Who fills a column, and a few words on how (shown by ``syda inspect``)."""

    kind: SourceKind
    detail: str = ""


@dataclass(frozen=True)
class ForeignKeyPlan:
    """How one foreign key of a table is filled."""

    index: int
    fk: ForeignKey
    mode: FKMode
    deferred: bool = False
    """Filled after every table has its rows (the key closes a cycle)."""
    group: tuple[int, ...] = ()
    """For ``combination``: indexes of all foreign keys whose tuple must be distinct."""
    cardinality: Cardinality | None = None
    path: KeyPath | None = None
    """Set when the key must agree with another key's parent (a payment's customer is its
    rental's customer): sampled after that key, from its parent row."""
    covers: bool = False
    """Every parent gets a row before any gets two (a document's lines, :mod:`syda.plan_lines`)."""
    distinct_per: int | None = None
    """Index of the key within whose parents this key's parents do not repeat (an order lists
    each product once)."""
    among: Among | None = None
    """Only parents whose title holds the key's role (a support rep, :mod:`syda.plan_roles`)."""


@dataclass(frozen=True)
class TablePlan:
    """Everything the engine needs to fill one table."""

    table: Table
    rows: int | None
    """Requested rows, or None when a cardinality decides the count."""
    foreign_keys: tuple[ForeignKeyPlan, ...]
    sources: Mapping[str, Source]
    custom: Mapping[str, ColumnGenerator] = field(default_factory=dict)
    profile: TableProfile = field(default_factory=TableProfile)
    """The table's effective profile: how every value column is drawn."""
    parent_tables: Mapping[int, Table] = field(default_factory=dict)
    """The parent table of each foreign key, by its index (for specs that read parents)."""
    vector: Mapping[str, VectorGenerator] = field(default_factory=dict)
    """The user's vectorised column generators (``fn(ctx) -> array``), by column."""
    rows_note: str = ""
    """Why ``rows`` is not the count asked (a lookup table held to its vocabulary's size)."""

    @property
    def provider_columns(self) -> tuple[str, ...]:
        """Columns filled through the provider call: drawn from a spec, or by the provider."""
        return tuple(c for c, s in self.sources.items() if s.kind in ("provider", "profile"))

    @property
    def asked_columns(self) -> tuple[str, ...]:
        """Columns the provider itself fills (the rest of :attr:`provider_columns` are drawn)."""
        return tuple(c for c, s in self.sources.items() if s.kind == "provider")

    def semantic(self, column: Column) -> str:
        """What ``column``'s values mean: its profile's ``semantic``, else the inferred one."""
        # Imported here: syda.generators.infer imports the schema package, which imports the
        # profile, which imports this module's importers.
        from syda.generators.infer import infer_semantic

        spec = self.profile.columns.get(column.name)
        return (spec.semantic if spec is not None else None) or infer_semantic(column, self.table)


@dataclass(frozen=True)
class Plan:
    """The generation plan for a whole schema."""

    schema: Schema
    order: tuple[str, ...]
    tables: Mapping[str, TablePlan]
    cycles: tuple[tuple[str, ...], ...] = ()

    @property
    def deferred(self) -> tuple[tuple[str, ForeignKeyPlan], ...]:
        """Foreign keys filled in the second pass, as (table key, plan)."""
        return tuple(
            (key, fkp)
            for key in self.order
            for fkp in self.tables[key].foreign_keys
            if fkp.deferred
        )


GeneratorLookup = Callable[[Table, str, bool], "ColumnGenerator | None"]


def build_plan(
    schema: Schema,
    *,
    rows: Mapping[str, int],
    default_rows: int = 10,
    cardinality: Mapping[str, CardinalitySpec] | None = None,
    find_generator: GeneratorLookup,
    can_provide: Callable[[Table, str], bool],
    profile: Profile | None = None,
) -> Plan:
    """Build the plan for ``schema``.

    Args:
        schema: The tables to fill.
        rows: Rows per table, by table key or SQL name.
        default_rows: Rows for tables not named in ``rows``.
        cardinality: Children per parent, by ``"Table.fk_column"`` (any column of the key).
        find_generator: ``(table, column, is_foreign_key) -> generator or None``.
        can_provide: Whether the provider can fill ``table.column`` (False for unknown types).
        profile: The effective profile (:func:`syda.profile.effective_profile`); columns its
            specs draw are filled from them. None: no column is drawn from a spec.

    Raises:
        SchemaError: If a column cannot be filled by anyone (every such column is listed).
        PlanError: If names in ``rows``/``cardinality`` match no table or foreign key, counts
            or cardinalities are invalid, or the run would not fit in memory
            (:func:`syda.plan_checks.check_size`).
    """
    counts, default_rows = requested_rows(schema, rows, default_rows)
    cards = resolve_cardinality(schema, cardinality)
    deferred = deferred_foreign_keys(schema)
    problems: list[str] = []
    plans: dict[str, TablePlan] = {}
    for table in schema:
        plans[table.key] = _plan_table(
            table,
            schema=schema,
            rows=counts.get(table.key),
            default_rows=default_rows,
            deferred=deferred.get(table.key, set()),
            cardinality={i: c for (key, i), c in cards.items() if key == table.key},
            find_generator=find_generator,
            can_provide=can_provide,
            problems=problems,
        )
        if profile is not None:
            plans[table.key] = _with_profile(
                schema, plans[table.key], profile.tables.get(table.key, TableProfile())
            )
            plans[table.key] = _with_series(
                schema, plans[table.key], counts.get(table.key), problems
            )
        plans[table.key] = with_vocabulary_rows(plans[table.key], counts.get(table.key))
        plans[table.key] = with_key_range_rows(plans[table.key], counts.get(table.key))
    if problems:
        raise SchemaError(problems)
    plans = with_pair_keys(with_key_paths(schema, plans, deferred))
    plans = with_role_parents(schema, with_document_lines(schema, plans))
    order = table_order(schema, deferred)
    sizes = _estimates(plans, order)
    check_size(sizes)
    check_key_ranges({key: tp.table for key, tp in plans.items()}, sizes)
    cycles = cycles_of(schema, deferred)
    return Plan(schema=schema, order=order, tables=plans, cycles=cycles)


def _estimates(plans: Mapping[str, TablePlan], order: Sequence[str]) -> dict[str, Estimate]:
    """The size of every table, parents first: a cardinality multiplies its parent's rows."""
    sizes: dict[str, Estimate] = {}
    for key in order:
        tp = plans[key]
        columns = len(tp.table.columns)
        if tp.rows is not None:
            sizes[key] = Estimate(tp.rows, columns)
            continue
        # No count: a cardinality decides it (the planner gives every other table one).
        fkp = next(f for f in tp.foreign_keys if f.cardinality is not None)
        parent = sizes[fkp.fk.ref_table].rows if fkp.fk.ref_table in sizes else 0
        most = _per_parent(fkp.cardinality)
        how = f"{parent:,} {fkp.fk.ref_table} rows x {most:,} each, from the cardinality"
        sizes[key] = Estimate(int(parent * most), columns, how)
    return sizes


def _per_parent(card: Cardinality | None) -> float:
    """The most children a parent gets (a Poisson total stays close to its mean).

    A function's counts are known only once drawn, so they count as none here.
    """
    if card is None or card.fn is not None:
        return 0
    return card.high if card.mean is None else card.mean


def _plan_table(
    table: Table,
    *,
    schema: Schema,
    rows: int | None,
    default_rows: int,
    deferred: set[int],
    cardinality: Mapping[int, Cardinality],
    find_generator: GeneratorLookup,
    can_provide: Callable[[Table, str], bool],
    problems: list[str],
) -> TablePlan:
    sources: dict[str, Source] = {}
    custom: dict[str, ColumnGenerator] = {}
    fk_columns: dict[str, int] = {}
    for i, fk in enumerate(table.foreign_keys):
        for col in fk.columns:
            fk_columns.setdefault(col, i)

    # Foreign keys that the user fills themselves are not sampled.
    for col in fk_columns:
        if (gen := find_generator(table, col, True)) is not None:
            custom[col] = gen
    user_filled = set(custom)
    fk_plans: list[ForeignKeyPlan] = []
    unique_sets = [set(s) for s in table.unique_sets]
    later = {i for i, fk in enumerate(table.foreign_keys) if fk.ref_table == table.key}
    for i, fk in enumerate(table.foreign_keys):
        covered = set(fk.columns) & user_filled
        if covered and covered != set(fk.columns):
            problems.append(
                f"{table.key}: custom generators fill {', '.join(sorted(covered))} but not the "
                f"rest of foreign key ({', '.join(fk.columns)}); give the whole key a generator"
            )
            continue
        if covered:
            if i in cardinality:
                raise PlanError(
                    f"a cardinality cannot be set on {', '.join(fk.columns)}: a custom generator "
                    "fills it",
                    table=table.key,
                )
            continue
        if fk.ref_table not in schema:
            cols = ", ".join(fk.columns)
            problems.append(
                f"{table.key}.{cols} references {fk.ref_table}, which is not being generated: "
                f"add {fk.ref_table} to the models, or register a generator for it, e.g. "
                f"register_generator('foreign_key', fn, column_name={fk.columns[0]!r})"
            )
            continue
        mode: FKMode = "many"
        group: tuple[int, ...] = ()
        if fk.ref_table == table.key:
            mode = "self"
        elif set(fk.columns) in unique_sets:
            mode = "one_to_one"
        else:
            # A unique set made only of foreign-key columns (an association table's key):
            # the foreign keys covering it must take distinct parent combinations.
            for us in unique_sets:
                # A self-reference is drawn after the rows exist: it keeps such a set itself
                # (syda.self_keys), so the other keys are then drawn as plain many-to-one.
                drawn_later = {c for c in us if fk_columns.get(c) in later}
                if set(fk.columns) < us and us <= set(fk_columns) - user_filled - drawn_later:
                    group = tuple(sorted({fk_columns[c] for c in us}))
                    mode = "combination"
                    break
        card = cardinality.get(i)
        if card is not None and i in deferred:
            raise PlanError(
                f"a cardinality cannot be set on {', '.join(fk.columns)}: the key closes a cycle, "
                "so it is filled after every table of the cycle has its rows",
                table=table.key,
            )
        if card is not None and not (mode == "many" or (mode == "combination" and len(group) == 2)):
            # Each parent has at most one child here (or the key is a wider combination): a
            # per-parent count has no meaning, which is a request problem, not a schema one.
            raise PlanError(
                f"a cardinality cannot be set on {', '.join(fk.columns)} ({mode} key)",
                table=table.key,
            )
        fk_plans.append(
            ForeignKeyPlan(
                index=i, fk=fk, mode=mode, deferred=i in deferred, group=group, cardinality=card
            )
        )
        for col in fk.columns:
            how = (
                "self-reference to an earlier row"
                if mode == "self"
                else f"{mode} -> {fk.ref_table}"
            )
            sources[col] = Source("foreign_key", how + (" (second pass)" if i in deferred else ""))
    if sum(fkp.cardinality is not None for fkp in fk_plans) > 1:
        problems.append(f"{table.key}: only one foreign key per table can carry a cardinality")

    fk_set = set(fk_columns)
    for column in table.columns:
        if column.generated:
            sources[column.name] = Source("database", "computed by the database")
        elif column.name in custom:
            sources[column.name] = Source("custom", "user generator")
        elif column.name in sources:
            continue
        elif (gen := find_generator(table, column.name, False)) is not None:
            custom[column.name] = gen
            sources[column.name] = Source("custom", "user generator")
        elif (
            column.name in table.primary_key
            and column.kind == "integer"
            and len(table.primary_key) == 1
        ):
            sources[column.name] = Source("sequence", "1, 2, 3, ...")
        elif table.primary_key == (column.name,) and can_provide(table, column.name):
            # Keys are never asked of (or paid to) an LLM: codes and UUIDs are made locally.
            sources[column.name] = Source("key", "unique values made locally")
        elif column.kind == "integer" and _line_number(table, column.name, fk_set):
            sources[column.name] = Source("sequence_in_group", "1, 2, 3, ... within each parent")
        elif can_provide(table, column.name):
            sources[column.name] = Source("provider")
        else:
            type_name = column.semantic or column.sql_type or column.kind
            problems.append(
                f"{table.key}.{column.name} has type {type_name!r}, which syda cannot generate: "
                f"register a generator, e.g. register_generator({type_name!r}, fn, "
                f"column_name={column.name!r})"
            )
    ordered = {c.name: sources[c.name] for c in table.columns if c.name in sources}
    card_rows = any(fkp.cardinality is not None for fkp in fk_plans)
    return TablePlan(
        table=table,
        rows=rows if rows is not None or card_rows else default_rows,
        foreign_keys=tuple(fk_plans),
        sources=ordered,
        custom=custom,
    )


def _with_profile(schema: Schema, tp: TablePlan, profile: TableProfile) -> TablePlan:
    """Mark the columns the profile draws, and hand the table its profile."""
    drawn = drawn_columns(tp.table, profile)
    sources = {
        col: Source("profile", drawn[col]) if src.kind == "provider" and col in drawn else src
        for col, src in tp.sources.items()
    }
    parents = {
        i: schema.table(fk.ref_table)
        for i, fk in enumerate(tp.table.foreign_keys)
        if fk.ref_table in schema
    }
    _check_unique_values(tp, profile, drawn)
    return replace(tp, sources=sources, profile=profile, parent_tables=parents)


def _check_unique_values(tp: TablePlan, profile: TableProfile, drawn: Mapping[str, str]) -> None:
    """A unique column drawn from fewer values than the table has rows cannot be filled.

    Raises:
        PlanError: Naming the column, its values and the rows, before anything is drawn.
    """
    table = tp.table
    for name, family in drawn.items():
        values = profile.columns[name].values
        if family != "values" or values is None or tp.rows is None:
            continue
        if (name,) in table.unique_sets and len(values) < tp.rows:
            raise PlanError(
                f"{name} is unique but drawn from {len(values)} values for {tp.rows} rows: "
                "give it more values, or ask for fewer rows",
                table=table.key,
            )


def _with_series(
    schema: Schema, tp: TablePlan, requested: int | None, problems: list[str]
) -> TablePlan:
    """A series table: its timestamp column made by construction, its rows the axis' length.

    The series decides the count: a requested count that disagrees is overridden (with a
    warning), since a different count would break the regular step.
    """
    found = series_problems(schema, tp.table, tp.profile)
    if found or tp.profile.series is None:
        problems.extend(found)
        return tp
    ((name, axis),) = tp.profile.series.items()
    if tp.sources[name].kind in ("foreign_key", "custom", "database"):
        problems.append(
            f"{tp.table.key}.{name}: the series axis cannot be a {tp.sources[name].kind}"
        )
        return tp
    if any(fkp.cardinality is not None for fkp in tp.foreign_keys):
        raise PlanError(
            "a series table's rows follow its series, not a cardinality", table=tp.table.key
        )
    rows = axis_length(axis, tp.table.column(name))
    if requested is not None and requested != rows:
        logger.warning(
            "%s: the series from %s to %s every %s has %d rows; %d were asked, the series wins",
            tp.table.key,
            axis.start,
            axis.end,
            axis.every,
            rows,
            requested,
        )
    sources = dict(tp.sources)
    sources[name] = Source("series", f"every {axis.every.strip()} from {axis.start}")
    return replace(tp, rows=rows, sources=sources)


def _line_number(table: Table, column: str, fk_columns: set[str]) -> bool:
    """True for ``line_no`` in a key like ``(order_id, line_no)``: numbered within each parent."""
    for us in table.unique_sets:
        rest = set(us) - fk_columns
        if column in us and rest == {column} and len(us) > 1:
            return True
    return False


def with_column_generators(
    plan: Plan, generators: Mapping[str, Mapping[str, VectorGenerator]] | None
) -> Plan:
    """``plan`` with the user's vectorised column generators filling their columns.

    Raises:
        ConfigurationError: If a generator is not callable, or names a table or column that is
            not in the schema, or a column that keys, foreign keys or a per-row custom
            generator already fill (every problem is listed).
    """
    if not generators:
        return plan
    problems: list[str] = []
    tables = dict(plan.tables)
    for name, columns in generators.items():
        try:
            key = plan.schema.table(name).key
        except KeyError:
            hint = did_you_mean(name, plan.schema.keys)
            problems.append(
                f"column_generators names table {name!r}, which is not in the schema{hint}"
            )
            continue
        tp = tables[key]
        sources = dict(tp.sources)
        for column, fn in columns.items():
            src = sources.get(column)
            if not callable(fn):
                problems.append(f"column_generators[{name!r}][{column!r}] is not callable")
            elif src is None:
                hint = did_you_mean(column, sources)
                problems.append(
                    f"column_generators names {key}.{column}, which is not a column{hint}"
                )
            elif src.kind not in ("provider", "profile"):
                problems.append(
                    f"column_generators names {key}.{column}, which is filled by {src.kind} "
                    f"({src.detail or 'by construction'})"
                )
            else:
                sources[column] = Source("profile", "column generator")
        vector = {
            c: f
            for c, f in columns.items()
            if sources.get(c) == Source("profile", "column generator")
        }
        tables[key] = replace(tp, sources=sources, vector={**tp.vector, **vector})
    if problems:
        raise ConfigurationError("; ".join(problems))
    return replace(plan, tables=tables)
