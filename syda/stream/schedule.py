"""The order chunks run in: each table as soon as the tables it reads are done, not by level.

A chunk reads its parents' stored parts, so a table's chunks may start once every chunk of
each parent has ended; nothing else orders them. Waiting for a whole level (every table at the
same depth) instead left cores idle at each level's tail, while one table of the level was
still making its last chunks and a table of the next level, whose parents were done, could
have run: a catalogue of products (no parents, read only by the order lines) held up the
contacts and orders, which read only the customers.

Which chunk ends first is a matter of timing, so a failure is told the same way on every run:
tasks are numbered in plan order (a table's chunks in turn, parents before children); when one
fails, no later task starts and the later ones running are cancelled, every earlier one still
runs, and the first failure in that numbering is raised. A run that fails names the same chunk
whatever the number of workers, as the in-memory engine names the first table in plan order.
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from typing import Any, Protocol

from syda.errors import GenerationError

__all__ = ["Outcome", "Runner", "run_tables"]


class Outcome(Protocol):
    """A task's future: its result, or the error it raised (both engines' futures are)."""

    def result(self) -> Any:
        """The task's result; raises the task's error."""
        ...


class Runner(Protocol):
    """Where chunk tasks run: local processes (:mod:`syda.stream.pool`) or a Dask cluster."""

    def start(self, task: tuple[Any, ...], ended: Callable[[], None]) -> Outcome:
        """Start ``task``; ``ended()`` is called (from any thread) once it has ended."""
        ...

    def cancel(self, futures: Sequence[Outcome]) -> None:
        """Stop ``futures`` (a cancelled task's ``ended`` need not be called)."""
        ...


@dataclass
class _Run:
    order: list[str]
    parents: Mapping[str, set[str]]
    chunks: Mapping[str, int]
    first: dict[str, int] = field(init=False)  # a table's first task number
    ended: queue.SimpleQueue[int] = field(default_factory=queue.SimpleQueue)
    running: dict[int, Outcome] = field(default_factory=dict)
    results: dict[int, Any] = field(default_factory=dict)
    errors: dict[int, Exception] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)
    done: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.first, n = {}, 0
        for key in self.order:
            self.first[key], n = n, n + self.chunks[key]

    @property
    def limit(self) -> int:
        """Tasks numbered at or past the first failure known do not run."""
        return min(self.errors, default=self.first[self.order[-1]] + self.chunks[self.order[-1]])

    def owner(self, task: int) -> str:
        return next(k for k in reversed(self.order) if self.first[k] <= task)

    def complete(self, key: str) -> bool:
        return all(self.first[key] + c in self.results for c in range(self.chunks[key]))


def run_tables(
    order: list[str],
    parents: Mapping[str, set[str]],
    chunks: Mapping[str, int],
    task: Callable[[str, int], tuple[Any, ...]],
    runner: Runner,
    *,
    began: Callable[[str], None],
    chunk_done: Callable[[str, Any], None],
    table_done: Callable[[str, list[Any]], None],
) -> None:
    """Run every chunk of every table of ``order``, each table once its ``parents`` are done.

    Args:
        order: The tables, parents before children (the plan's order).
        parents: The tables each table's chunks read (earlier in ``order``).
        chunks: How many chunks each table has.
        task: The task of a table's chunk, as the runner takes it.
        runner: Where the tasks run.
        began: Told as a table's first chunks are started.
        chunk_done: Told each chunk's result as it ends (in the order they end).
        table_done: Told a table's results in chunk order once its last chunk has ended.

    Raises:
        Exception: The error of the first failed task in plan order (see the module).
    """
    if not order:
        return
    run = _Run(order, parents, chunks)
    _start_ready(run, task, runner, began, table_done)
    while run.running:
        number = run.ended.get()
        future = run.running.pop(number, None)
        if future is None:
            continue  # cancelled already
        try:
            result = future.result()
        except Exception as exc:  # a chunk cancelled from outside (a cluster's) fails too
            if isinstance(exc, CancelledError):
                exc = GenerationError(f"chunk task {number} was cancelled outside this run")
            run.errors[number] = exc
            later = [n for n in run.running if n > run.limit]
            runner.cancel([run.running.pop(n) for n in later])
            continue
        key = run.owner(number)
        run.results[number] = result
        chunk_done(key, result)
        _start_ready(run, task, runner, began, table_done)
    if run.errors:
        raise run.errors[run.limit]


def _start_ready(
    run: _Run,
    task: Callable[[str, int], tuple[Any, ...]],
    runner: Runner,
    began: Callable[[str], None],
    table_done: Callable[[str, list[Any]], None],
) -> None:
    """Finish the tables whose chunks all ended, then start those whose parents are done."""
    changed = True
    while changed:
        changed = False
        for key in run.order:
            if key in run.started and key not in run.done and run.complete(key):
                run.done.add(key)
                first = run.first[key]
                table_done(key, [run.results[first + c] for c in range(run.chunks[key])])
                changed = True
            elif key not in run.started and run.parents[key] <= run.done:
                if run.chunks[key] and run.first[key] >= run.limit:
                    continue
                run.started.add(key)
                began(key)
                for c in range(run.chunks[key]):
                    _start(run, run.first[key] + c, task(key, c), runner)
                changed = True


def _start(run: _Run, number: int, task: tuple[Any, ...], runner: Runner) -> None:
    if number >= run.limit:
        return
    run.running[number] = runner.start(task, lambda: run.ended.put(number))
