"""One chunk of one table: the unit of work of the streaming engine, local or on Dask.

``make_chunk`` is a pure function of (stream plan, table, chunk number) and the stored parent
columns: keys are positions (``id = row + 1``), foreign keys are parent positions drawn from the
chunk's own streams, and the value columns go through the same provider, profile draws and
repair loop as the in-memory engine (:func:`syda.repair.provide`), on the chunk's rows only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from syda.batches import Asker, asker
from syda.fill import _run_custom
from syda.fill_paths import key_order
from syda.generators.rows_at import RowsAt, rows_from
from syda.plan import ForeignKeyPlan, TablePlan
from syda.profile import ProfileProvider
from syda.profile.passes import apply_table_passes
from syda.providers.aio import run_sync
from syda.providers.offline import OfflineProvider
from syda.repair import provide
from syda.report import TableReport
from syda.stream.keys_text import (
    foreign_key_values,
    key_values,
    parent_key_values,
    with_bijective_uniques,
)
from syda.stream.layout import StreamPlan, span_counts
from syda.stream.lines import distinct_per_document
from syda.stream.mix import permute, skewed_positions, stream_rng
from syda.stream.pairs import group_positions
from syda.stream.paths import copied_positions
from syda.stream.roles import fitting_parents, forget_roles
from syda.stream.self_refs import fill_self_refs
from syda.stream.set_marks import with_set_marks
from syda.stream.store import ParentStore
from syda.stream.uniques import ChunkAt, with_chunk_marks, with_unique_integers

__all__ = ["make_chunk", "warm_provider"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]


@lru_cache(maxsize=4)
def _provider(seed: int, locale: tuple[str, ...], today: Any) -> OfflineProvider:
    # One per process: the vocabulary pools take about a second to build, once.
    return OfflineProvider(seed=seed, locale=list(locale), today=today)


def warm_provider(splan: StreamPlan) -> None:
    """Build this process's offline provider for ``splan`` now (before forking workers)."""
    _provider(splan.seed, splan.locale, splan.today)


async def _provide(
    tp: TablePlan,
    frame: pd.DataFrame,
    inner: OfflineProvider,
    rng: np.random.Generator,
    parents: Mapping[int, pd.DataFrame],
    today: Any,
    key: str,
) -> None:
    ask: Asker = asker(inner, asyncio.Semaphore(inner.concurrency))
    if tp.profile.columns or tp.profile.stages is not None or tp.profile.exactly_one:
        drawer = ProfileProvider(ask, tp.profile, tp.parent_tables, today, tp.vector, _no_tables())
        ask = drawer.fill
    await provide(tp, frame, ask, rng, None, parents, TableReport(table=key), None)


_stores: dict[tuple[str, str], ParentStore] = {}


def _store(root: Path, splan: StreamPlan, table: str) -> ParentStore:
    key = (str(root), table)
    if key not in _stores:
        _stores[key] = ParentStore(root, table, splan.layouts[table].starts)
    return _stores[key]


def forget_stores(root: Path) -> None:
    """Drop the memory maps of a finished run (its store directory is about to go)."""
    for key in [k for k in _stores if k[0] == str(root)]:
        del _stores[key]
    forget_roles(str(root))


def _by_parent(splan: StreamPlan, key: str, chunk: int) -> tuple[IntArray, IntArray]:
    """Parent positions and line numbers of a chunk cut by parent."""
    layout = splan.layouts[key]
    counts = span_counts(splan.plan, splan.seed, splan.layouts, key, chunk)
    first = chunk * layout.span
    positions = np.repeat(np.arange(first, first + len(counts), dtype=np.int64), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    lines = np.arange(len(positions), dtype=np.int64) - starts + 1
    return positions, lines


def _positions(
    splan: StreamPlan,
    tp: TablePlan,
    fkp: ForeignKeyPlan,
    start: int,
    n: int,
    chunk: int,
    store: Path,
) -> IntArray:
    n_parents = splan.layouts[fkp.fk.ref_table].rows
    name = f"{tp.table.key}.fk{fkp.index}"
    if fkp.mode == "one_to_one":
        # Row r takes parent permute(r): distinct parents across every chunk, no set held.
        return permute(np.arange(start, start + n), n_parents, splan.seed, name)
    rng = stream_rng(splan.seed, tp.table.key, f"fk{fkp.index}", chunk)
    if fkp.among is not None and fkp.mode == "many":
        stored = _store(store, splan, fkp.fk.ref_table)
        fits = fitting_parents(str(store), fkp, n_parents, stored.rows)
        if fits is not None:
            return fits[skewed_positions(rng, len(fits), n, splan.seed, name)]
    return skewed_positions(rng, n_parents, n, splan.seed, name)


def _distinct(
    splan: StreamPlan, tp: TablePlan, fkp: ForeignKeyPlan, groups: IntArray, chunk: int
) -> IntArray:
    """An order's products: distinct within each of the chunk's documents."""
    n_parents = splan.layouts[fkp.fk.ref_table].rows
    rng = stream_rng(splan.seed, tp.table.key, f"fk{fkp.index}", chunk)
    name = f"{tp.table.key}.fk{fkp.index}"
    return distinct_per_document(rng, groups, n_parents, splan.seed, name)


def make_chunk(splan: StreamPlan, key: str, chunk: int, store: Path) -> pd.DataFrame:
    """The rows of chunk ``chunk`` of table ``key`` (parents' stored columns under ``store``).

    Raises:
        GenerationError: If the chunk's values cannot be made valid.
        PlanError: If a count cannot be met.
    """
    tp = splan.plan.tables[key]
    table = tp.table
    layout = splan.layouts[key]
    start = int(layout.starts[chunk])
    n = int(layout.starts[chunk + 1]) - start
    fixed: dict[int, IntArray] = {}
    lines: IntArray | None = None
    if layout.by_parent is not None:
        fixed[layout.by_parent.index], lines = _by_parent(splan, key, chunk)
    grouped, values = group_positions(splan, tp, start, n, fixed, lines)
    fixed.update(grouped)
    data: dict[str, Any] = dict(values)  # vocabulary columns of distinct tuples (stream.pairs)
    for col, src in tp.sources.items():
        if src.kind == "sequence":
            data[col] = start + 1 + np.arange(n, dtype=np.int64)
        elif src.kind == "key":
            # Codes, UUIDs, byte ids: a bijection of the position (syda.stream.keys_text).
            rows = start + np.arange(n, dtype=np.int64)
            data[col] = key_values(splan.seed, key, table.column(col), layout.rows, rows)
    parents: dict[int, pd.DataFrame] = {}
    for fkp in key_order(tp.foreign_keys):
        if fkp.mode == "self" or fkp.deferred:
            continue  # drawn once the chunk's values exist, as in memory
        if fkp.index in fixed:
            positions = fixed[fkp.index]
        elif fkp.path is not None:  # copied from the row the other key chose (stream.paths)
            free = lambda f=fkp: _positions(splan, tp, f, start, n, chunk, store)  # noqa: E731
            positions = copied_positions(fkp, parents[fkp.path.other], free)
        elif fkp.distinct_per is not None and fkp.distinct_per in fixed:
            positions = _distinct(splan, tp, fkp, fixed[fkp.distinct_per], chunk)
        else:
            positions = _positions(splan, tp, fkp, start, n, chunk, store)
        if splan.stored.get(fkp.fk.ref_table):
            parents[fkp.index] = _store(store, splan, fkp.fk.ref_table).rows(positions)
        else:  # a parent of text columns only (its key a code): nothing a child reads
            parents[fkp.index] = pd.DataFrame(index=pd.RangeIndex(n))
        data.update(foreign_key_values(splan, fkp, positions, parents[fkp.index]))
    for col, src in tp.sources.items():
        if src.kind == "sequence_in_group":
            assert lines is not None  # the layout refuses line numbers without a cardinality
            data[col] = lines
    if tp.custom:
        data.update(_run_custom(tp, data, n))
    frame = pd.DataFrame(data, index=pd.RangeIndex(n))
    rng = stream_rng(splan.seed, key, "values", chunk)
    inner = _provider(splan.seed, splan.locale, splan.today)
    if tp.provider_columns:
        # The same re-ask loop as the in-memory engine; a chunk is one task, so one loop each.
        with rows_from(RowsAt(start, n, splan.seed)):
            run_sync(lambda: _provide(tp, frame, inner, rng, parents, splan.today, key))
    fill_self_refs(splan, tp, frame, start, chunk)
    for fkp in tp.foreign_keys:
        if fkp.deferred:  # closes a cycle: a position of a table made later, nothing read of it
            (column,) = fkp.fk.columns
            drawn = _positions(splan, tp, fkp, start, n, chunk, store)
            frame[column] = parent_key_values(splan, fkp, drawn)
    apply_table_passes(table, tp.profile, frame, parents, rng)
    with_chunk_marks(tp, frame, ChunkAt(chunk, layout.chunks, start, layout.rows, splan.seed))
    with_unique_integers(tp, frame, start, layout.rows, splan.seed)
    with_bijective_uniques(tp, frame, start, layout.rows, splan.seed)
    markers = splan.markers.get(key)
    if markers:
        where = {"chunk": chunk, "chunks": layout.chunks, "start": start, "rows": layout.rows}
        with_set_marks(tp, frame, markers, **where, seed=splan.seed)
    for col in table.column_names:
        if col not in frame:
            frame[col] = pd.Series([None] * n, dtype=object)
    return frame[list(table.column_names)]


def _no_tables() -> Mapping[str, pd.DataFrame]:
    # Specs reading a grandparent (``partsupp.part.p_retailprice``) would need whole tables.
    return {}
