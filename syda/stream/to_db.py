"""Streaming into a database: every table's chunks made as the writer asks, in ONE transaction.

:func:`~syda.database.write_database_chunks` reads each table's iterable only when the table's
turn comes, parents first, and drops a chunk before it reads the next. The iterables here make
each chunk at that moment (:func:`~syda.stream.run.checked_chunk`: made, validated, and the
columns children read kept in a parent store, a temporary directory), so a child's chunks are
made only once every chunk of its parents is stored and written, and memory holds about one
chunk whatever the row count. The whole-table key checks of :func:`~syda.stream.run.check_keys`
run when a table's last chunk is made, before COMMIT: a key off its range, like any failing
chunk, rolls everything back. The database enforces every constraint itself.

With ``engine="dask"`` the workers make the chunks, a few ahead of the writer, and the client
writes them in order: the same rows as locally, since a chunk is a pure function of the plan.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from syda.database.connect import describe
from syda.database.existing import Mode
from syda.stream.chunk import forget_stores
from syda.stream.layout import StreamPlan
from syda.stream.run import StreamReport, Summary, check_keys, checked_chunk, summarize

__all__ = ["AHEAD", "stream_to_database"]

AHEAD = 2
"""Chunks each Dask worker may have made ahead of the writer (each held until it is written)."""

Maker = Callable[[str], Iterator[pd.DataFrame]]
"""The chunks of one table, in order."""


def stream_to_database(
    splan: StreamPlan,
    target: Any,
    *,
    validate: bool = True,
    mode: Mode = "fail",
    create_tables: bool = False,
    db_schema: str | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
) -> StreamReport:
    """Stream every table of ``splan`` into the database ``target`` in one transaction.

    Raises:
        ConfigurationError: If Dask is asked for and not installed, or ``target`` is not a
            database URL.
        GenerationError: If a chunk cannot be made valid (nothing is written then).
        PlanError: If a count cannot be met (nothing is written then).
        OutputError: If the database refuses the write or any row (nothing is written then).
    """
    from syda.database import write_database_chunks

    report = StreamReport(engine=engine, database=describe(target))
    started = time.perf_counter()
    # The parent store: on a cluster, TMPDIR must be storage every worker mounts.
    store = Path(tempfile.mkdtemp(prefix="syda-store-"))
    try:
        with _maker(splan, engine, scheduler, workers, store, validate) as make:
            order = splan.plan.order
            written = write_database_chunks(
                splan.plan.schema,
                {key: _table(splan, key, make, report) for key in order},
                target,
                mode=mode,
                create_tables=create_tables,
                db_schema=db_schema,
                totals={key: splan.layouts[key].rows for key in order},
            )
    finally:
        forget_stores(store)
        shutil.rmtree(store, ignore_errors=True)
    report.rows = {key: written.tables.get(key, 0) for key in splan.plan.order}
    report.seconds = time.perf_counter() - started
    return report


def _table(splan: StreamPlan, key: str, make: Maker, report: StreamReport) -> Iterator[Any]:
    """The chunks of ``key``, made when the writer asks; its key checks after the last one."""
    summaries: list[Summary] = []
    for frame in make(key):
        summaries.append(summarize(splan, key, frame))
        yield frame
        del frame  # the writer is done with it: hold nothing between chunks
    check_keys(splan, key, summaries)
    report.chunks[key] = len(summaries)


@contextmanager
def _maker(
    splan: StreamPlan,
    engine: str,
    scheduler: str | None,
    workers: int,
    store: Path,
    validate: bool,
) -> Iterator[Maker]:
    if engine != "dask":

        def local(key: str) -> Iterator[pd.DataFrame]:
            for chunk in range(splan.layouts[key].chunks):
                yield checked_chunk(splan, key, chunk, str(store), validate)

        yield local
        return
    from syda.stream.on_dask import dask_client

    with dask_client(scheduler, workers, store) as client:
        shared = client.scatter(splan, broadcast=True)
        window = AHEAD * max(sum(client.nthreads().values()), 1)

        def on_dask(key: str) -> Iterator[pd.DataFrame]:
            chunks = splan.layouts[key].chunks
            yield from _in_order(client, shared, key, chunks, window, store, validate)

        yield on_dask


def _in_order(
    client: Any, shared: Any, key: str, chunks: int, window: int, store: Path, validate: bool
) -> Iterator[pd.DataFrame]:
    """Chunks made on the cluster, at most ``window`` ahead, handed over in chunk order."""
    pending: deque[Any] = deque()
    following = 0
    try:
        while following < chunks or pending:
            while following < chunks and len(pending) < window:
                task = (shared, key, following, str(store), validate)
                pending.append(client.submit(checked_chunk, *task, pure=False))
                following += 1
            future = pending.popleft()
            frame: pd.DataFrame = future.result()
            future.release()  # the worker may drop it now
            yield frame
    finally:
        if pending:  # a failed or abandoned write: stop the chunks still being made
            client.cancel(list(pending))
