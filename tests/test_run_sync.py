"""A coroutine run from sync code: directly, or on a thread when the caller runs a loop already."""

from __future__ import annotations

import asyncio
from contextvars import ContextVar

import pytest

from syda.providers.aio import run_sync

WHERE: ContextVar[str] = ContextVar("where", default="unset")


async def _where() -> str:
    await asyncio.sleep(0)
    return WHERE.get()


async def _fails() -> None:
    raise ValueError("no")


def test_the_coroutine_sees_the_callers_context_with_or_without_a_running_loop() -> None:
    token = WHERE.set("chunk 3")
    try:
        assert run_sync(_where) == "chunk 3"

        async def in_a_notebook() -> str:
            return run_sync(_where)  # a loop runs here: ours goes to a thread

        assert asyncio.run(in_a_notebook()) == "chunk 3"
    finally:
        WHERE.reset(token)


def test_an_error_of_the_threaded_run_is_raised_in_the_caller() -> None:
    async def in_a_notebook() -> None:
        run_sync(_fails)

    with pytest.raises(ValueError, match="no"):
        asyncio.run(in_a_notebook())
