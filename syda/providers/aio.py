"""Async plumbing of a run: a coroutine run from sync code, and a gather that cancels.

A run is one event loop (its tables are tasks of it); async clients belong to the loop that runs
them, so everything here is per loop and holds no state.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, TypeVar

__all__ = ["gather_or_cancel", "run_sync"]

T = TypeVar("T")


async def gather_or_cancel(aws: Sequence[Awaitable[T]]) -> list[T]:
    """``gather``, but the first failure (or a cancellation) cancels the others.

    It also waits for them, so no call is left running against a client about to be closed.
    """
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def run_sync(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine from sync code, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    # Inside a running loop (a notebook, an async app): run ours on a thread of its own, in a
    # copy of the caller's context, as asyncio.run would (a thread starts with an empty one, so
    # a context variable the caller set, such as where a stream's chunk starts, would be lost).
    box: dict[str, Any] = {}
    context = contextvars.copy_context()

    def target() -> None:
        try:
            box["value"] = context.run(lambda: asyncio.run(factory()))
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="syda-llm")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
