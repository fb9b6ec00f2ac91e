"""The offline provider: realistic values without a network, drawn a whole column at a time.

For every column the provider infers what its values mean (:mod:`syda.generators.infer`) and
draws them from Faker-built pools with numpy (:mod:`syda.generators.values` and its siblings).
Columns are filled in an order that lets related columns agree: names before the emails built
from them, a company before its website, the right-hand side of a comparison before the column
compared with it. Then the column's constraints are applied: allowed values, pattern, length,
uniqueness within the batch, and a small share of NULLs in nullable columns.

NULL convention of the returned columns:

* strings, text, UUIDs (canonical strings), JSON (dicts), binary (bytes), dates
  (``datetime.date``) and times (``datetime.time``): object arrays, NULL is ``None``;
* integers: ``int64`` arrays, or a pandas ``Int64`` Series with ``pd.NA`` when there are NULLs;
* floats and decimals (floats rounded to the column's scale): ``float64``, NULL is ``NaN``;
* timestamps: a ``datetime64[us]`` Series (UTC-aware when the column has a time zone), ``NaT``;
* booleans: ``bool`` arrays, never NULL.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.generators import values as people
from syda.generators import (
    values_dbtypes,
    values_json,
    values_kinds,
    values_lookup,
    values_measure,
    values_num,
    values_places,
    values_shapes,
    values_text,
    values_time,
)
from syda.generators.date_values import date_objects
from syda.generators.infer import FUTURE_WORDS, comment_choices, infer_semantic
from syda.generators.kinds import registered_generator
from syda.generators.pools import Pools, get_pools
from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator
from syda.generators.values_time import Bound, as_internal, order_values
from syda.generators.values_unique import fit_length, make_unique, str_lengths
from syda.locales import checked_locales
from syda.providers.base import BatchResult, FillRequest, Provider
from syda.providers.offline_kinds import user_kind
from syda.schema.ir import Column, Table

__all__ = ["BUILT_FROM", "OfflineProvider"]

GENERATORS: Mapping[str, Generator] = {
    **people.GENERATORS,
    **values_places.GENERATORS,
    **values_num.GENERATORS,
    **values_measure.GENERATORS,
    **values_time.GENERATORS,
    **values_text.GENERATORS,
    **values_kinds.GENERATORS,
    **values_lookup.GENERATORS,
    **values_dbtypes.GENERATORS,
    **values_shapes.GENERATORS,
    **values_json.GENERATORS,
}
_ORDERED_KINDS = frozenset({"integer", "float", "decimal", "date", "datetime", "time"})
_TEMPORAL = frozenset({"date", "datetime"})
BUILT_FROM: Mapping[str, tuple[str, ...]] = {
    "email": ("first_name", "last_name", "full_name", "company", "url", "domain"),
    "work_email": ("first_name", "last_name", "full_name", "company", "url", "domain"),
    "product_description": ("product_name", "category"),
    "username": ("first_name", "last_name", "full_name"),
    "full_name": ("first_name", "last_name"),
    "url": ("company",),
    "domain": ("company",),
    "age": ("birth_date",),
    "list_price": ("cost_price",),
    "slug": values_kinds.SLUG_SOURCES,
    "mime_type": ("file_name", "image_file", "file_path"),
    "file_path": ("image_file", "file_name"),
    "course_title": ("department",),
    "job_title": ("department",),
    **values_dbtypes.DEPENDS,
}
"""Meanings whose values the offline engine builds from other columns of the row, and from which
meanings (an email from the names and the company): such a column is drawn after those, and in
a mixed table (:mod:`syda.providers.mixed`) after the LLM wrote them."""
# Numbers ordered in real data without a CHECK (left >= right): a maximum and its minimum, a
# range's end and its start (pages, kilometres). Dates and times of day follow the profile's
# rules instead (infer_rules.FOLLOWS, read through follows_in_row): one place holds them.
_BOUNDS = (
    ({"max", "maximum"}, {"min", "minimum"}),
    ({"end", "last", "to"}, {"start", "first", "from"}),
)
_CLOCKS = frozenset({"date", "datetime", "time"})
# Meanings too generic to beat a declared pattern: such columns are drawn from the pattern.
_GENERIC = frozenset({"string", "text", "code", "word", "title", "description", "sku"})
_ADULT_DAYS = 18 * 365.25
_INHERITED = frozenset({"price", "amount"})
_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "=", "!=": "!="}
_PATTERN_ROUNDS = 20


@dataclass(frozen=True)
class _Relation:
    """A comparison seen from one column: ``this op other``."""

    other: str
    op: str
    derived: bool
    """True when this column is the one derived from the other (the left side)."""


@dataclass(frozen=True)
class _TablePlan:
    specs: dict[str, ColumnSpec]
    relations: dict[str, tuple[_Relation, ...]]
    never_null: frozenset[str]


class OfflineProvider(Provider):
    """Fills columns with realistic values from Faker-built pools, without any network.

    Args:
        seed: Seed of the Faker instances that build the value pools (the values themselves are
            drawn from ``request.rng``). None uses a fixed default, so runs repeat either way.
        locale: One Faker locale or several (people and addresses are then mixed).
        null_share: Share of NULLs in nullable columns that are neither booleans, unique, nor
            part of a comparison between columns.
        today: The reference date of relative ranges (recent orders, ages); defaults to today.

    Raises:
        ConfigurationError: If a locale is not one Faker has (the message names close ones).
    """

    name = "offline"

    def __init__(
        self,
        seed: int | None = None,
        locale: str | Sequence[str] = "en_US",
        *,
        null_share: float = 0.05,
        today: date | None = None,
    ) -> None:
        self.seed = seed
        self.locales = checked_locales(locale)
        self.null_share = null_share
        self.today = today or date.today()
        self._plans: dict[Table, _TablePlan] = {}

    @property
    def pools(self) -> Pools:
        """The value pools of this provider's locales (built on first use, then cached)."""
        return get_pools(self.locales, self.seed or 0)

    def fill(self, request: FillRequest) -> dict[str, AnyArray | pd.Series[Any]]:
        """Return ``request.n`` values for every column in ``request.columns``.

        Raises:
            GenerationError: If a column's type is unknown (register a generator for it), if a
                unique column cannot hold ``n`` distinct values (``rule="unique"``), or if no
                value can match a column's pattern (``rule="pattern"``).
        """
        plan = self._plan(request.table)
        for name in request.columns:
            if name not in plan.specs:
                raise GenerationError(
                    "no such column", table=request.table.key, column=name, rule="schema"
                )
        batch = self._batch(request, plan.specs)
        for name in self._order(request, plan):
            batch.values[name] = self._column(batch, plan, plan.specs[name])
        out: dict[str, AnyArray | pd.Series[Any]] = {}
        for name in request.columns:
            spec = plan.specs[name]
            nulls = self._nulls(batch, spec, plan)
            out[name] = self._finalize(batch, spec, batch.values[name], nulls)
        return out

    async def fill_batch(self, request: FillRequest) -> BatchResult:
        """The contract's call: :meth:`fill`, with no call and no cost (one batch a table).

        Raises:
            GenerationError: As :meth:`fill`.
        """
        return BatchResult(values=self.fill(request))

    def _batch(self, request: FillRequest, specs: Mapping[str, ColumnSpec]) -> Batch:
        batch = Batch(request, self.pools, specs, self.today)
        batch.draw_other = functools.partial(self._draw_other, batch)
        return batch

    def _draw_other(self, batch: Batch, column: Column, k: int) -> AnyArray:
        """``k`` values of a column outside the table (an array's element), drawn as its own."""
        table = Table(
            key=batch.table.key,
            name=batch.table.name,
            columns=(column,),
            description=batch.table.description,
        )
        request = dataclasses.replace(
            batch.request, table=table, columns=(column.name,), n=k,
            context=pd.DataFrame(), parents={}, taken={}, row_offset=0,
        )  # fmt: skip
        values = self.fill(request)[column.name]
        return np.asarray(values.tolist(), dtype=object)

    # -- planning -----------------------------------------------------------------------------
    def _plan(self, table: Table) -> _TablePlan:
        # Keyed by value: the engine hands over equal copies of a table on every call.
        cached = self._plans.get(table)
        if cached is not None:
            return cached
        specs = {c.name: _spec(c, table) for c in table.columns}
        relations: dict[str, list[_Relation]] = {name: [] for name in specs}
        explicit: set[frozenset[str]] = set()
        never_null: set[str] = set()
        for cmp in table.comparisons:
            if cmp.left in specs and cmp.right in specs:
                relations[cmp.left].append(_Relation(cmp.right, cmp.op, True))
                relations[cmp.right].append(_Relation(cmp.left, _FLIP[cmp.op], False))
                explicit.add(frozenset((cmp.left, cmp.right)))
                never_null.update((cmp.left, cmp.right))
        for left, right in _implicit_pairs(specs):
            if frozenset((left, right)) not in explicit:
                relations[left].append(_Relation(right, ">=", True))
                relations[right].append(_Relation(left, "<=", False))
        plan = _TablePlan(specs, {k: tuple(v) for k, v in relations.items()}, frozenset(never_null))
        if len(self._plans) >= 256:
            self._plans.clear()
        self._plans[table] = plan
        return plan

    def _order(self, request: FillRequest, plan: _TablePlan) -> list[str]:
        """Requested columns, each after the requested columns its values are derived from."""
        wanted = list(dict.fromkeys(request.columns))
        deps: dict[str, set[str]] = {name: set() for name in wanted}
        for name in wanted:
            spec = plan.specs[name]
            for rel in plan.relations[name]:
                if rel.derived and rel.other in deps:
                    deps[name].add(rel.other)
            sources = BUILT_FROM.get(spec.semantic, ())
            for other in wanted:
                if other != name and plan.specs[other].semantic in sources:
                    deps[name].add(other)
        order: list[str] = []
        while deps:
            ready = [n for n in deps if not deps[n] & deps.keys()] or [next(iter(deps))]
            order.append(ready[0])
            del deps[ready[0]]
        return order

    # -- one column ---------------------------------------------------------------------------
    def _draw(self, batch: Batch, spec: ColumnSpec) -> AnyArray:
        col = spec.column
        if spec.choices is not None:
            return values_num.choice(batch, spec)
        if col.kind == "unknown":
            raise GenerationError(
                f"the column's type {col.sql_type or 'unknown'!r} has no generator; register "
                f"one with register_generator({col.sql_type or 'type_name'!r}, fn, "
                f"column_name={col.name!r})",
                table=batch.table.key,
                column=col.name,
                rule="unknown_type",
            )
        if col.pattern and spec.semantic in _GENERIC and col.kind in ("string", "text"):
            return self._pattern_values(batch, spec, batch.n)
        user = registered_generator(spec.semantic)
        if user is not None:
            return user_kind(batch, spec, user)
        generate = GENERATORS.get(spec.semantic) or GENERATORS[_fallback(col.kind)]
        values = generate(batch, spec)
        inherited = _inherited_price(batch, spec)
        if inherited is not None:
            # An order line carries the price of the product it points at; rows whose parent
            # has no price keep the drawn value.
            values = np.where(np.isnan(inherited), values.astype(float), inherited)
        return values

    def _column(self, batch: Batch, plan: _TablePlan, spec: ColumnSpec) -> AnyArray:
        values = self._draw(batch, spec)
        if spec.column.kind in _ORDERED_KINDS and spec.choices is None:
            values = self._ordered(batch, plan, spec, values)
        if spec.column.kind in ("string", "text"):
            values = fit_length(spec, values)
            if spec.column.pattern:
                values = self._match_pattern(batch, spec, values)
        if spec.unique:
            values = make_unique(batch, spec, values, lambda k: self._redraw(batch, spec, k))
        return values

    def _redraw(self, batch: Batch, spec: ColumnSpec, k: int) -> AnyArray:
        if spec.column.pattern:
            return self._pattern_values(batch, spec, k)
        small = dataclasses.replace(batch.request, n=k, context=pd.DataFrame(), parents={})
        return fit_length(spec, self._draw(self._batch(small, batch.specs), spec))

    def _ordered(
        self, batch: Batch, plan: _TablePlan, spec: ColumnSpec, values: AnyArray
    ) -> AnyArray:
        lower: list[Bound] = []
        upper: list[Bound] = []
        adult: list[AnyArray] = []
        for rel in plan.relations[spec.name]:
            other = batch.known(rel.other)
            other_kind = plan.specs[rel.other].column.kind
            same_family = other_kind == spec.column.kind or (
                {other_kind, spec.column.kind} <= _TEMPORAL
                or {other_kind, spec.column.kind} <= {"integer", "float", "decimal"}
            )
            if other is None or not same_family:
                continue
            bound = as_internal(spec, other)
            if (
                plan.specs[rel.other].semantic == "birth_date"
                and spec.semantic != "birth_date"
                and rel.op in (">", ">=")
                and spec.column.kind in _TEMPORAL
            ):
                # "hired after born" holds for any recent date; derive from the birth date only
                # where a drawn value breaks it, and then as an adult's date, not days later.
                per_day = 1.0 if spec.column.kind == "date" else 86_400.0
                adult.append(bound + _ADULT_DAYS * per_day)
                continue
            if rel.op == "=":
                return _from_internal(spec, np.where(np.isnan(bound), 0, bound), values)
            if rel.op in (">", ">="):
                lower.append((bound, rel.op == ">"))
            elif rel.op in ("<", "<="):
                upper.append((bound, rel.op == "<"))
            else:
                upper.append((bound, True))  # "!=": staying strictly below is one way to differ
        if lower or upper:
            values = order_values(batch, spec, values, lower, upper)
        if adult:
            floor = np.fmax.reduce(adult)
            numbers = as_internal(spec, values)
            late = np.isfinite(floor) & ~(numbers >= floor)
            today = as_internal(spec, np.array([batch.today]))[0]
            step = 1.0 if spec.column.kind == "date" else 86_400.0
            # Somewhere between coming of age and today (or just at it, for the very young).
            room = np.maximum(today - floor, 0.0)
            numbers = np.where(
                late, floor + np.floor(batch.rng.random(batch.n) * room / step) * step, numbers
            )
            values = _from_internal(spec, numbers, values)
        return values

    def _pattern_values(self, batch: Batch, spec: ColumnSpec, k: int) -> AnyArray:
        pattern = spec.column.pattern or ""
        try:
            sampler = values_text.sampler(pattern)
        except ValueError as exc:
            raise GenerationError(
                str(exc), table=batch.table.key, column=spec.name, rule="pattern"
            ) from exc
        out = sampler.sample(batch.rng, k)
        length = spec.column.length
        for _ in range(_PATTERN_ROUNDS):
            too_long = str_lengths(out) > length if length is not None else None
            if too_long is None or not too_long.any():
                return out
            out[too_long] = sampler.sample(batch.rng, int(too_long.sum()))
        raise GenerationError(
            f"no value matching {pattern!r} fits in {length} characters",
            table=batch.table.key,
            column=spec.name,
            rule="pattern",
        )

    def _match_pattern(self, batch: Batch, spec: ColumnSpec, values: AnyArray) -> AnyArray:
        """Replace the values that do not fully match the column's pattern by sampled ones."""
        series = pd.Series(values, dtype=object).astype(str)
        bad = ~series.str.fullmatch(spec.column.pattern or "").fillna(False).to_numpy(dtype=bool)
        if not bad.any():
            return values
        out = np.asarray(values, dtype=object).copy()
        out[bad] = self._pattern_values(batch, spec, int(bad.sum()))
        return out

    # -- NULLs and output types ---------------------------------------------------------------
    def _nulls(self, batch: Batch, spec: ColumnSpec, plan: _TablePlan) -> AnyArray | None:
        col = spec.column
        if (
            not col.nullable
            or col.kind == "boolean"
            or spec.unique
            or spec.name in plan.never_null
            or self.null_share <= 0
        ):
            return None
        mask = batch.rng.random(batch.n) < self.null_share
        return mask if mask.any() else None

    def _finalize(
        self, batch: Batch, spec: ColumnSpec, values: AnyArray, nulls: AnyArray | None
    ) -> AnyArray | pd.Series[Any]:
        kind = spec.column.kind
        if kind == "integer":
            ints = np.asarray(values).astype(np.int64)
            if nulls is None:
                return ints
            return pd.Series(pd.arrays.IntegerArray(ints, nulls.astype(bool)))
        if kind == "boolean":
            return np.asarray(values).astype(bool)
        if kind in ("float", "decimal"):
            floats = np.asarray(values, dtype=float).copy()
            if nulls is not None:
                floats[nulls] = np.nan
            return floats
        if kind == "datetime":
            stamps = np.asarray(values).astype("datetime64[us]").copy()
            if nulls is not None:
                stamps[nulls] = np.datetime64("NaT")
            series = pd.Series(stamps)
            return series.dt.tz_localize("UTC") if spec.column.timezone else series
        if kind == "date" and values.dtype.kind == "M":
            values = date_objects(values)
        elif kind == "time" and values.dtype.kind in "iu":
            values = batch.pools.times[values]
        elif values.dtype != object:
            values = values.astype(object)
        if nulls is not None:
            values = values.copy()
            values[nulls] = None
        return values


def _spec(column: Any, table: Table) -> ColumnSpec:
    choices = column.choices
    if choices is None and column.kind in ("string", "text"):
        found = comment_choices(column.comment)
        if found and column.length is not None:
            found = tuple(c for c in found if len(c) <= column.length) or None
        if found and column.pattern:
            found = tuple(c for c in found if _full_match(column.pattern, c)) or None
        choices = found
    unique = column.unique or (column.name,) in table.unique_sets
    return ColumnSpec(column, infer_semantic(column, table), choices, unique)


def _full_match(pattern: str, value: str) -> bool:
    import re

    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return False


def _inherited_price(batch: Batch, spec: ColumnSpec) -> AnyArray | None:
    """The parent's price for a child price column (``unit_price`` <- ``products.price``)."""
    col = spec.column
    if spec.semantic not in _INHERITED or col.kind not in ("float", "decimal"):
        return None
    wanted = {col.name, col.name.rsplit("_", 1)[-1]}
    for frame in batch.request.parents.values():
        for name in frame.columns:
            if name in wanted and len(frame) == batch.n:
                parent = pd.to_numeric(frame[name], errors="coerce")
                return parent.to_numpy(dtype=float, na_value=np.nan)
    return None


def _fallback(kind: str) -> str:
    return {"uuid": "uuid", "json": "json", "binary": "binary"}.get(kind, kind)


def _implicit_pairs(specs: Mapping[str, ColumnSpec]) -> list[tuple[str, str]]:
    """Pairs (left, right) of columns that real data keeps ordered: ``left >= right``."""
    pairs: list[tuple[str, str]] = []
    for left, lspec in specs.items():
        for right, rspec in specs.items():
            lk, rk = lspec.column.kind, rspec.column.kind
            if left == right or not ({lk, rk} <= _TEMPORAL or (lk == rk and lk in _ORDERED_KINDS)):
                continue
            if _kept_ordered(lspec, rspec):
                pairs.append((left, right))
    return pairs


def _kept_ordered(later: ColumnSpec, earlier: ColumnSpec) -> bool:
    # The profile's date rules, read rather than repeated; imported late: the profile package
    # imports the providers' base module.
    from syda.profile.infer_rules import follows_in_row

    lt, rt = set(later.tokens), set(earlier.tokens)
    if {later.column.kind, earlier.column.kind} <= _CLOCKS:
        if follows_in_row(lt, rt):
            return True
        # A row's last change comes after every other event it records (created, ordered,
        # shipped...), but not after its deadlines or expiry dates.
        return (
            later.semantic == "updated_at"
            and earlier.semantic not in ("updated_at", "birth_date")
            and not rt & FUTURE_WORDS
        )
    return any(lt & big and rt & small and (lt - big) == (rt - small) for big, small in _BOUNDS)


def _from_internal(spec: ColumnSpec, numbers: AnyArray, like: AnyArray) -> AnyArray:
    """Convert numbers on the column's number line back to its internal representation."""
    if like.dtype.kind == "M":
        return numbers.astype(np.int64).astype(like.dtype)
    if spec.column.kind == "time":
        return numbers.astype(np.int64)
    return values_num.round_to_column(spec, numbers)
