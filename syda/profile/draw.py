"""Drawing a table's columns from its profile, around the provider that fills the rest.

:class:`ProfileProvider` wraps the run's provider for one table. It draws every column whose spec
a registered family draws (:mod:`syda.profile.registry`), in dependency order: the columns that
read only keys, parents and other drawn columns first; then the provider fills its columns with
those as context (so the offline engine's emails follow drawn names, and an LLM sees the drawn
values); then the drawn columns that read provider columns (``expr: "quantity * unit_price"``).
Last, the null rules (``null_share``, ``null_unless``, ``null_when``) of every column.

It is what the one re-ask loop (:mod:`syda.repair`) asks for the table's rows: rows that break a
CHECK, repeat a UNIQUE value or that a model got wrong are drawn again by the same specs, and
the provider is asked (in batches, :func:`syda.batches.ask`) only for its own columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.generators.infer import infer_semantic
from syda.profile.context import DrawContext, split_ref
from syda.profile.convert import to_column
from syda.profile.defaults import with_default
from syda.profile.exprs import condition, expression_refs
from syda.profile.passes import pass_columns
from syda.profile.registry import Family, case_spec, family_of
from syda.profile.spec import ColumnProfile, TableProfile
from syda.profile.stages import anchor_of, draw_funnel, funnel_columns
from syda.profile.vector import VectorGenerator, call_generator, dependencies
from syda.schema.ir import Column, Table

if TYPE_CHECKING:  # both import the schema package, which imports this one
    from syda.batches import Answer, Asker
    from syda.providers.base import FillRequest

__all__ = ["ProfileProvider", "cases_of", "draw_column", "drawn_columns", "refs_of"]


def drawn_columns(table: Table, profile: TableProfile) -> dict[str, str]:
    """Columns syda draws from their spec, with the family (or ``by``) that draws each."""
    out: dict[str, str] = {}
    for name, spec in profile.columns.items():
        if not table.has_column(name):
            continue
        if spec.by is not None:
            out[name] = "by " + spec.by.column
            continue
        family = family_of(spec, table.column(name))
        if family is not None:
            out[name] = family.name
    # Table patterns take precedence over a column's own (often inferred) values.
    out.update(funnel_columns(table, profile))
    out.update(pass_columns(table, profile))
    return out


def refs_of(spec: ColumnProfile, table: Table, column: Column) -> list[str]:
    """Every column (``col`` or ``parent.col``) a spec reads, ``by`` cases included."""
    refs: list[str] = list(expression_refs(spec))
    if spec.by is not None:
        refs.append(spec.by.column)
        for case in cases_of(spec, column).values():
            refs.extend(refs_of(case, table, column))
        return list(dict.fromkeys(refs))
    family = family_of(spec, column)
    if family is not None:
        refs.extend(family.refs(spec))
    return list(dict.fromkeys(refs))


def cases_of(spec: ColumnProfile, column: Column) -> dict[str, ColumnProfile]:
    """Each ``by`` case merged over the spec's other keys, by the value's text."""
    assert spec.by is not None
    return {str(value): case_spec(spec, case, column) for value, case in spec.by.cases.items()}


class ProfileProvider:
    """Draws a table's spec'd columns and asks ``inner`` for the rest.

    Args:
        inner: Asks the run's provider for rows (:func:`syda.batches.asker`).
        profile: The table's effective profile.
        parent_tables: The parent table of each foreign-key index.
        today: The reference date of relative dates.
        generators: The user's vectorised column generators for this table, by column.
        tables: The rows of every table filled so far, by key (a spec may read a parent's
            parent: ``partsupp.part.p_retailprice``).
    """

    def __init__(
        self,
        inner: Asker,
        profile: TableProfile,
        parent_tables: Mapping[int, Table],
        today: date,
        generators: Mapping[str, VectorGenerator] | None = None,
        tables: Mapping[str, pd.DataFrame] | None = None,
    ) -> None:
        self.inner = inner
        self.profile = profile
        self.parent_tables = parent_tables
        self.today = today
        self.generators = dict(generators or {})
        self.tables: Mapping[str, pd.DataFrame] = tables if tables is not None else {}

    async def fill(self, request: FillRequest) -> Answer:
        """Values for every requested column: drawn from specs, or from the inner provider.

        Raises:
            GenerationError: If a spec cannot be drawn (an expression DuckDB cannot evaluate),
                or the inner provider fails.
        """
        table = request.table
        drawn = {**drawn_columns(table, self.profile), **dict.fromkeys(self.generators, "")}
        wanted = list(request.columns)
        # Whole-table passes (template, exactly_one, aggregate) fill theirs later: NULL for now.
        passes = pass_columns(table, self.profile)
        mine = [c for c in wanted if c in drawn and c not in passes]
        theirs = [c for c in wanted if c not in drawn]
        frame = request.context.reset_index(drop=True).copy()
        if frame.empty and len(frame.columns) == 0:
            frame = pd.DataFrame(index=pd.RangeIndex(request.n))
        before, after = self._stages(table, mine, theirs)
        for name in passes:
            if name in wanted:
                frame[name] = pd.Series([None] * request.n, dtype=object)
        for name in before:
            self._put(request, frame, name)
        from syda.batches import Answer

        got = Answer({})
        if theirs:
            got = await self.inner(
                replace(
                    request,
                    table=self._provider_table(table),
                    columns=tuple(theirs),
                    context=frame.copy(),
                )
            )
            for name in theirs:
                values = got.values[name]
                frame[name] = (
                    values.reset_index(drop=True)
                    if isinstance(values, pd.Series)
                    else pd.Series(values, dtype=object if got.refused else None)
                )
        for name in after:
            self._put(request, frame, name)
        for name in wanted:
            spec = self.profile.columns.get(name)
            frame[name] = with_default(frame[name], table.column(name), spec, request.rng)
            frame[name] = self._nulls(request, frame, name)
        return replace(got, values={name: frame[name] for name in wanted})

    # -- order ------------------------------------------------------------------------------
    def _stages(
        self, table: Table, mine: list[str], theirs: list[str]
    ) -> tuple[list[str], list[str]]:
        """Drawn columns in dependency order, split at the provider's call."""
        deps = {name: self._deps(table, name) for name in mine}
        order: list[str] = []
        pending = dict(deps)
        while pending:
            ready = [n for n, d in pending.items() if not (d & pending.keys())]
            if not ready:
                cycle = ", ".join(sorted(pending))
                raise GenerationError(
                    f"the specs of {cycle} read each other in a circle",
                    table=table.key,
                    column=sorted(pending)[0],
                    rule="profile",
                )
            for name in ready:
                order.append(name)
                del pending[name]
        late: set[str] = set()
        for name in order:
            if deps[name] & set(theirs) or deps[name] & late:
                late.add(name)
        return [n for n in order if n not in late], [n for n in order if n in late]

    def _deps(self, table: Table, name: str) -> set[str]:
        funnel = funnel_columns(table, self.profile)
        if name in funnel:
            return self._funnel_deps(table, funnel)
        if name in self.generators:
            refs = list(dependencies(self.generators[name]))
        else:
            refs = refs_of(self.profile.columns[name], table, table.column(name))
        deps = {n for a, n in map(split_ref, refs) if a is None and n != name}
        # A spec reading a stage date waits for the whole funnel, drawn at its stage column.
        return {self._funnel_node() if d in funnel else d for d in deps}

    def _funnel_node(self) -> str:
        assert self.profile.stages is not None
        return self.profile.stages.column

    def _funnel_deps(self, table: Table, funnel: Mapping[str, str]) -> set[str]:
        """The funnel's columns wait for its first stage date (its own spec or the provider)."""
        assert self.profile.stages is not None
        anchor = anchor_of(self.profile.stages)
        return {anchor[1]} - set(funnel) if anchor is not None else set()

    def _put(self, request: FillRequest, frame: pd.DataFrame, name: str) -> None:
        """Draw one column into ``frame``; the funnel's columns all at once, at its stage column."""
        funnel = funnel_columns(request.table, self.profile)
        if name not in funnel:
            frame[name] = self._draw(request, frame, name)
            return
        if name != self._funnel_node() and self._funnel_node() in funnel:
            return  # drawn with the stage column
        assert self.profile.stages is not None
        drawn = draw_funnel(request.table, self.profile.stages, request.n, request.rng, frame)
        for column, values in drawn.items():
            frame[column] = values

    def _provider_table(self, table: Table) -> Table:
        """The table as the inner provider sees it.

        Declared kinds replace inferred ones, and columns whose NULLs the profile decides get
        none from the provider.
        """
        columns = []
        for col in table.columns:
            spec = self.profile.columns.get(col.name)
            if spec is not None:
                if spec.semantic and spec.semantic != infer_semantic(col, table):
                    col = replace(col, semantic=spec.semantic)
                if _decides_nulls(spec) and col.nullable:
                    col = replace(col, nullable=False)
            if col.name == self._anchor() and col.nullable:
                col = replace(col, nullable=False)  # the funnel decides its NULLs
            columns.append(col)
        return replace(table, columns=tuple(columns))

    def _anchor(self) -> str | None:
        stages = self.profile.stages
        anchor = anchor_of(stages) if stages is not None else None
        return anchor[1] if anchor is not None else None

    # -- one column ---------------------------------------------------------------------------
    def _context(self, request: FillRequest, frame: pd.DataFrame, name: str) -> DrawContext:
        table = request.table
        spec = self.profile.columns.get(name, ColumnProfile())
        return DrawContext(
            table=table,
            column=table.column(name),
            spec=spec,
            semantic=spec.semantic or table.column(name).kind,
            n=request.n,
            rng=request.rng,
            frame=frame,
            parents=request.parents,
            parent_tables=self.parent_tables,
            today=self.today,
            table_profile=self.profile,
            tables=self.tables,
        )

    def _draw(self, request: FillRequest, frame: pd.DataFrame, name: str) -> pd.Series[Any]:
        ctx = self._context(request, frame, name)
        fn = self.generators.get(name)
        if fn is None:
            return draw_column(ctx)
        return call_generator(fn, ctx, "column generator", "column_generator")

    def _nulls(self, request: FillRequest, frame: pd.DataFrame, name: str) -> pd.Series[Any]:
        values: pd.Series[Any] = frame[name]
        spec = self.profile.columns.get(name)
        if spec is None or not _decides_nulls(spec):
            return values
        ctx = self._context(request, frame, name)
        if spec.null_unless:
            null = ~condition(ctx, spec.null_unless)
        elif spec.null_when:
            null = condition(ctx, spec.null_when)
        else:
            null = np.zeros(request.n, dtype=bool)
        if spec.null_share:
            null |= request.rng.random(request.n) < spec.null_share
        if not null.any():
            return values
        return _with_nulls(values, null)


def draw_column(ctx: DrawContext) -> pd.Series[Any]:
    """One column drawn from its spec (``by`` splits the rows into cases first)."""
    spec = ctx.spec
    if spec.by is None:
        return _family(ctx).draw(ctx)
    labels = [None if v is None or v != v else str(v) for v in ctx.value(spec.by.column).tolist()]
    cases = cases_of(spec, ctx.column)
    base = spec.model_copy(update={"by": None})
    groups: dict[str | None, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label if label in cases else None, []).append(i)
    out = np.empty(ctx.n, dtype=object)
    for label, rows in groups.items():
        positions = np.asarray(rows, dtype=np.int64)
        part = draw_column(ctx.sub(positions, cases[label] if label is not None else base))
        out[positions] = part.astype(object).to_numpy()
    return to_column(pd.Series(out), ctx.column)


def _family(ctx: DrawContext) -> Family:
    family = family_of(ctx.spec, ctx.column)
    if family is None:
        raise GenerationError(
            "the spec sets no key that draws values for this column (values, distribution, "
            "expr...); give it one, or leave the column to the provider",
            table=ctx.table.key,
            column=ctx.column.name,
            rule="profile",
        )
    return family


def _decides_nulls(spec: ColumnProfile) -> bool:
    return spec.null_share is not None or bool(spec.null_unless) or bool(spec.null_when)


def _with_nulls(values: pd.Series[Any], null: np.ndarray[Any, Any]) -> pd.Series[Any]:
    mask = pd.Series(null, index=values.index)
    if values.dtype == object:
        return values.where(~mask, None)
    if values.dtype.kind == "b" or str(values.dtype) == "boolean":
        return values.astype("boolean").mask(mask)
    if values.dtype.kind in "iu":
        return values.astype("Int64").mask(mask)
    return values.mask(mask)
