"""Running a stream plan: every chunk of every table, locally or on a Dask cluster.

A table's chunks start as soon as the tables it reads are done (:mod:`syda.stream.schedule`);
every chunk is an independent task: it makes its rows (:func:`~syda.stream.chunk.make_chunk`),
validates them, writes its part file, and keeps the columns children read in the store. The
local engine runs them on ``workers`` forked processes of this machine
(:mod:`syda.stream.pool`; one: in this process, one after the other); the Dask engine submits them
to a ``dask.distributed`` cluster, where any worker may run any chunk, and the result is the
same bytes.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from syda.errors import ConfigurationError, GenerationError
from syda.progress import Task, track
from syda.stream.chunk import forget_stores, make_chunk
from syda.stream.files import Staging, write_part
from syda.stream.layout import StreamPlan
from syda.stream.schedule import Runner, run_tables
from syda.stream.self_refs import without_self_refs
from syda.stream.store import store_part
from syda.validation import raise_for_violations, validate_frame

logger = logging.getLogger("syda")

__all__ = [
    "StreamReport",
    "check_keys",
    "checked_chunk",
    "chunk_task",
    "run_stream",
    "summarize",
]


@dataclass
class StreamReport:
    """What a streaming run wrote: rows and chunks per table, where, and how long it took."""

    rows: dict[str, int] = field(default_factory=dict)
    chunks: dict[str, int] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    """Each table's directory, by table key (as ``rows`` and ``chunks``)."""
    seconds: float = 0.0
    engine: str = "local"
    database: str | None = None
    """The database the rows went into (no password), or None when they went to files."""

    @property
    def total_rows(self) -> int:
        """Rows over every table."""
        return sum(self.rows.values())


Summary = tuple[int, dict[str, tuple[int, int]]]
"""What a chunk task returns: its rows, and the (min, max) of each of its key columns."""


def chunk_task(
    splan: StreamPlan, key: str, chunk: int, root: str, name: str, fmt: str, validate: bool
) -> Summary:
    """Make, check, write and keep one chunk (run on any worker)."""
    staging = Path(root)
    frame = checked_chunk(splan, key, chunk, str(staging / ".store"), validate)
    # An empty chunk writes no part: its columns have no values to give them types, and a
    # part of NULL-typed columns would not read back with the others. A table of no rows
    # still gets one (empty) part.
    if len(frame) or (chunk == 0 and splan.layouts[key].rows == 0):
        table = splan.plan.tables[key].table
        distinct = [c.name for c in table.columns if c.unique]
        write_part(frame, staging / name, chunk, fmt, distinct)
    return summarize(splan, key, frame)


def checked_chunk(
    splan: StreamPlan, key: str, chunk: int, store: str, validate: bool
) -> pd.DataFrame:
    """Make and check one chunk, and keep the columns its children read under ``store``.

    The store part is written before the chunk goes anywhere: a child's chunks are made only
    once every chunk of its parents is stored, whatever sink takes the rows.
    """
    frame = make_chunk(splan, key, chunk, Path(store))
    if validate:
        # Every rule of the table on the chunk's rows; keys are valid by construction (row
        # numbers and parent positions), unique text by its chunk mark; a self-reference points
        # at rows of earlier chunks, so its range is checked over the whole table instead.
        table = without_self_refs(splan.plan.tables[key].table)
        raise_for_violations(validate_frame(table, frame))
    stored = splan.stored.get(key)
    if stored:
        store_part(Path(store), key, chunk, frame[list(stored)])
    return frame


def summarize(splan: StreamPlan, key: str, frame: pd.DataFrame) -> Summary:
    """A chunk's rows and the range of each of its key columns (for :func:`check_keys`)."""
    ranges = {}
    for col in _key_columns(splan, key):
        values = frame[col].dropna()  # a self-reference's roots are NULL
        ranges[col] = (int(values.min()), int(values.max())) if len(values) else (1, 0)
    return len(frame), ranges


def _key_columns(splan: StreamPlan, key: str) -> list[str]:
    """The integer key columns: sequences, and the keys into a parent's sequence.

    Codes and UUIDs (:mod:`syda.stream.keys_text`) are a bijection of the position, unique and
    pointing at a parent by construction; they have no range to check.
    """
    tables = splan.plan.tables
    tp = tables[key]
    sequences = [c for c, src in tp.sources.items() if src.kind == "sequence"]
    return sequences + [
        f.fk.columns[0]
        for f in tp.foreign_keys
        if tables[f.fk.ref_table].sources[f.fk.ref_columns[0]].kind == "sequence"
    ]


def check_keys(splan: StreamPlan, key: str, summaries: list[Summary]) -> None:
    """The whole-table key checks, from each chunk's key ranges (a few integers a chunk).

    Primary keys must tile ``1..rows`` chunk after chunk, and every foreign key must fall in
    ``1..rows`` of its parent: what construction promises, checked, so a worker running other
    code (another syda version) cannot slip a dangling key into the output.

    Raises:
        GenerationError: Naming the table and column whose keys are off.
    """
    tp = splan.plan.tables[key]
    layout = splan.layouts[key]
    for col, src in tp.sources.items():
        if src.kind != "sequence":
            continue
        for i, (n, ranges) in enumerate(summaries):
            lo, hi = ranges[col]
            if n and (lo, hi) != (layout.starts[i] + 1, layout.starts[i + 1]):
                raise GenerationError(
                    f"chunk {i} holds keys {lo}..{hi}, not "
                    f"{layout.starts[i] + 1}..{layout.starts[i + 1]}",
                    table=key, column=col, rule="primary_key",
                )  # fmt: skip
    for fkp in tp.foreign_keys:
        col = fkp.fk.columns[0]
        parents = splan.layouts[fkp.fk.ref_table].rows
        for i, (n, ranges) in enumerate(summaries):
            if col not in ranges:
                continue  # a code or UUID: a parent's by construction
            lo, hi = ranges[col]
            if n and lo <= hi and (lo < 1 or hi > parents):
                raise GenerationError(
                    f"chunk {i} points at {fkp.fk.ref_table} rows {lo}..{hi}, outside "
                    f"1..{parents}",
                    table=key, column=col, rule="foreign_key",
                )  # fmt: skip


def run_stream(
    splan: StreamPlan,
    out: Path,
    *,
    names: Mapping[str, str],
    fmt: str = "parquet",
    validate: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
) -> StreamReport:
    """Generate every table of ``splan`` into ``out`` (one directory per table).

    Raises:
        ConfigurationError: If the engine is unknown or Dask is not installed.
        GenerationError: If a chunk cannot be made valid (nothing is written then).
        OutputError: If ``out`` cannot be written.
    """
    report = StreamReport(engine=engine)
    started = time.perf_counter()
    staging = Staging(out)
    try:
        if engine == "local":
            from syda.stream.pool import local_runner

            chunks = sum(layout.chunks for layout in splan.layouts.values())
            with local_runner(splan, workers, chunks) as runner:
                _run_tables(splan, staging, names, fmt, validate, runner, report)
        elif engine == "dask":
            from syda.stream.on_dask import dask_runner

            with dask_runner(splan, scheduler, workers, staging.store) as runner:
                _run_tables(splan, staging, names, fmt, validate, runner, report)
        else:
            raise ConfigurationError(f"unknown engine {engine!r}: use 'local' or 'dask'")
        forget_stores(staging.store)
        written = staging.commit([names[k] for k in splan.plan.order])
        report.paths = {key: written[names[key]] for key in splan.plan.order}
    except BaseException:
        forget_stores(staging.store)
        staging.abort()
        raise
    report.seconds = time.perf_counter() - started
    return report


def _parents(splan: StreamPlan) -> dict[str, set[str]]:
    """The tables each table's chunks wait for: its parents earlier in the plan.

    A cycle's closing key (to a later table) is a position, made without reading that table.
    Waiting for the parents is waiting for every ancestor: a parent starts after its own.
    """
    before: set[str] = set()
    out: dict[str, set[str]] = {}
    for key in splan.plan.order:
        refs = {f.fk.ref_table for f in splan.plan.tables[key].foreign_keys}
        out[key] = (refs & before) - {key}
        before.add(key)
    return out


def _run_tables(
    splan: StreamPlan,
    staging: Staging,
    names: Mapping[str, str],
    fmt: str,
    validate: bool,
    runner: Runner,
    report: StreamReport,
) -> None:
    order = list(splan.plan.order)
    # One bar per table, open from its first chunks' start to its last chunk's end and moved
    # as each chunk ends (a chunk makes, checks and writes its rows, so the in-memory engine's
    # three phases are one here). The engine tells each table's end itself, as the in-memory
    # engine does, so programs that only log see it too.
    bars: dict[str, ExitStack] = {}
    tracks: dict[str, Task] = {}
    begun: dict[str, float] = {}

    def began(key: str) -> None:
        begun[key], bars[key] = time.perf_counter(), ExitStack()
        tracks[key] = bars[key].enter_context(
            track("streaming", key, splan.layouts[key].rows, announce=False)
        )

    def table_done(key: str, summaries: list[Summary]) -> None:
        bars.pop(key).close()
        check_keys(splan, key, summaries)
        report.rows[key] = sum(n for n, _ in summaries)
        report.chunks[key] = splan.layouts[key].chunks
        logger.info(
            "%s: %d rows in %.2fs", key, report.rows[key], time.perf_counter() - begun[key],
            extra={"syda_progress": True},
        )  # fmt: skip

    try:
        run_tables(
            order,
            _parents(splan),
            {key: splan.layouts[key].chunks for key in order},
            lambda key, chunk: (key, chunk, str(staging.root), names[key], fmt, validate),
            runner,
            began=began,
            chunk_done=lambda key, summary: tracks[key].advance(summary[0]),
            table_done=table_done,
        )
    except BaseException:
        for stack in bars.values():  # the tables still running end as failed
            stack.__exit__(*sys.exc_info())
        raise
