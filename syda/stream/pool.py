"""The local engine on every core: a pool of forked processes running one level's chunks.

A chunk is a pure function of (plan, table, chunk) and the parents' stored parts on disk, so it
does not matter which process makes it: the pool's output is the same bytes as one process's
(and as a Dask cluster's). The processes are forked at the start of a run, so they share the
plan (custom generators included, which need not pickle) and the warm vocabulary pools;
only a task's few arguments and its summary cross between processes.

Where ``fork`` is not the platform's safe default (Windows, macOS), the chunks run in this
process, one after the other.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any

from syda.stream.collect import in_task_order
from syda.stream.layout import StreamPlan

__all__ = ["local_submitter"]

_plan: StreamPlan | None = None  # the run's plan, in each forked process


def _adopt(splan: StreamPlan) -> None:
    global _plan
    _plan = splan


def _task(task: tuple[Any, ...]) -> Any:
    from syda.stream.run import chunk_task

    assert _plan is not None  # set by the pool's initializer
    return chunk_task(_plan, *task)


@contextmanager
def local_submitter(splan: StreamPlan, processes: int, tasks: int) -> Iterator[Any]:
    """A function that runs chunk tasks on ``processes`` local processes, results in order.

    Each task's end is told to the ``done`` callback as it happens; a failure is told in task
    order (:func:`~syda.stream.collect.in_task_order`). One process (or one task in
    all, or no ``fork``) runs them here, with no pool.
    """
    from syda.stream.run import chunk_task

    def serial(batch: list[tuple[Any, ...]], done: Any) -> list[Any]:
        out = []
        for i, task in enumerate(batch):
            out.append(chunk_task(splan, *task))
            done(i, out[-1])
        return out

    if processes <= 1 or tasks <= 1 or sys.platform != "linux":
        yield serial
        return
    from syda.stream.chunk import warm_provider

    warm_provider(splan)  # built once here, inherited by every forked process
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_adopt, initargs=(splan,)
    )

    def submit(batch: list[tuple[Any, ...]], done: Any) -> list[Any]:
        if len(batch) <= 1:
            return serial(batch, done)
        futures = [pool.submit(_task, task) for task in batch]
        at = {future: i for i, future in enumerate(futures)}
        # The first failure in task order ends the level (the rest is dropped, see below).
        finished = (at[future] for future in as_completed(futures))
        return in_task_order(futures, finished, done, lambda rest: [f.cancel() for f in rest])

    try:
        yield submit
    finally:
        # After a failed chunk, the level's chunks not yet started are dropped, not made.
        pool.shutdown(wait=True, cancel_futures=True)
