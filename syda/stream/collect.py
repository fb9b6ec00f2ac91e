"""A level's chunk tasks collected as they end, and the failure told the same on every run.

Both engines (local processes, :mod:`syda.stream.pool`; a Dask cluster,
:mod:`syda.stream.on_dask`) run a level's chunks at once and tell each end as it happens (the
progress bars). Which chunk ends first is a matter of timing, so the failure a run reports must
not be "the first to end": when a chunk fails, the chunks after it (in task order) are
cancelled, the ones before it are waited for, and the first of them that failed, else the one
that ended first, is raised. A run that fails thus names the same chunk whatever the number of
workers, as the in-memory engine names the first table in plan order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

__all__ = ["Outcome", "in_task_order"]


class Outcome(Protocol):
    """A task's future: its result, or the error it raised (both engines' futures are)."""

    def result(self) -> Any:
        """The task's result; raises the task's error."""
        ...


F = TypeVar("F", bound=Outcome)


def in_task_order(
    futures: Sequence[F],
    finished: Iterable[int],
    done: Callable[[int, Any], None],
    cancel: Callable[[Sequence[F]], object],
) -> list[Any]:
    """The results of ``futures`` in their order; ``done(i, result)`` as each one ends.

    Args:
        futures: The level's tasks, in task order.
        finished: The index of each future as it ends, in the order they end.
        done: Told each result as it arrives (in the order the tasks end).
        cancel: Stops the given futures (those after a failed one).

    Raises:
        Exception: The error of the first failed task in task order (every task before it
            succeeded), whichever failed first in time.
    """
    out: list[Any] = [None] * len(futures)
    failed = len(futures)
    error: Exception | None = None
    for i in finished:
        try:
            out[i] = futures[i].result()
        except Exception as exc:
            failed, error = i, exc
            break
        done(i, out[i])
    if error is None:
        return out
    cancel(futures[failed + 1 :])
    for earlier in futures[:failed]:
        earlier.result()  # an earlier task that failed too is the one told
    raise error
