"""The local engine on every core: a pool of forked processes running the chunks.

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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from syda.stream.layout import StreamPlan
from syda.stream.schedule import Outcome, Runner

__all__ = ["local_runner"]

_plan: StreamPlan | None = None  # the run's plan, in each forked process


def _adopt(splan: StreamPlan) -> None:
    global _plan
    _plan = splan


def _task(task: tuple[Any, ...]) -> Any:
    from syda.stream.run import chunk_task

    assert _plan is not None  # set by the pool's initializer
    return chunk_task(_plan, *task)


class _Later:
    """A chunk run in this process when its result is asked for (so, one after the other)."""

    def __init__(self, splan: StreamPlan, task: tuple[Any, ...]) -> None:
        self._splan, self._task = splan, task

    def result(self) -> Any:
        from syda.stream.run import chunk_task

        return chunk_task(self._splan, *self._task)


class _InThisProcess:
    def __init__(self, splan: StreamPlan) -> None:
        self._splan = splan

    def start(self, task: tuple[Any, ...], ended: Callable[[], None]) -> Outcome:
        ended()  # its turn comes when the scheduler asks for its result
        return _Later(self._splan, task)

    def cancel(self, futures: Sequence[Outcome]) -> None:
        """Nothing to stop: a chunk whose result is never asked for never runs."""


class _OnPool:
    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self._pool = pool

    def start(self, task: tuple[Any, ...], ended: Callable[[], None]) -> Outcome:
        future = self._pool.submit(_task, task)
        future.add_done_callback(lambda _: ended())
        return future

    def cancel(self, futures: Sequence[Outcome]) -> None:
        for future in futures:
            if isinstance(future, Future):
                future.cancel()  # one already running ends, and its result is not asked for


@contextmanager
def local_runner(splan: StreamPlan, processes: int, tasks: int) -> Iterator[Runner]:
    """Where chunk tasks run locally: ``processes`` forked processes, or this one.

    One process (or one task in all, or no ``fork``) runs them here, one after the other.
    """
    if processes <= 1 or tasks <= 1 or sys.platform != "linux":
        yield _InThisProcess(splan)
        return
    from syda.stream.chunk import warm_provider

    warm_provider(splan)  # built once here, inherited by every forked process
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_adopt, initargs=(splan,)
    )
    try:
        yield _OnPool(pool)
    finally:
        # After a failed chunk, the chunks not yet started are dropped, not made.
        pool.shutdown(wait=True, cancel_futures=True)
