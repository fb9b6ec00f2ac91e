"""Ask, check, re-ask: the one machinery every LLM request of a run goes through.

Two kinds of request share it: a table's rows (:mod:`syda.batches`, repaired by
:func:`syda.repair.provide`) and a table's profile (:mod:`syda.profile.llm_profile`). A kind
(:class:`Kind`) says how its request is cut into batches, sent, checked and joined again;
:func:`ask` does the rest the same way for both: every call holds one of the run's slots (one
:class:`asyncio.Semaphore` per run, shared by every table and both kinds), a reply the token
limit cut off is asked again in two halves, and every reply is checked where the kind says
(the row model and the table's rules, or the profile models and the schema's CHECKs). What a
check refuses comes back with its exact problems, and :func:`until_valid`, the one re-ask loop,
asks again for what was refused, with those problems, until nothing is or the budget is spent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

from syda.providers.aio import gather_or_cancel
from syda.providers.base import BatchUsage

__all__ = ["Kind", "Repair", "Sent", "ask", "until_valid"]

R = TypeVar("R")
A = TypeVar("A")
A_in = TypeVar("A_in", contravariant=True)
S = TypeVar("S", bound="Sent")


class Sent(Protocol):
    """What one call brought back, before its check: what it cost, whether it was cut off."""

    @property
    def usage(self) -> BatchUsage:
        """What the call cost."""
        ...

    @property
    def truncated(self) -> bool:
        """The output-token limit cut the reply off."""
        ...


class Kind(Protocol[R, S, A]):
    """How one kind of request is batched, sent, checked and joined."""

    def units(self, request: R) -> int:
        """How many items (rows, columns) ``request`` asks for."""
        ...

    def split(self, request: R) -> list[R]:
        """``request`` in the batches one call each can hold."""
        ...

    def halve(self, request: R) -> list[R]:
        """``request`` in two halves (its reply was cut off)."""
        ...

    async def send(self, request: R) -> S:
        """One call, unchecked."""
        ...

    def check(self, request: R, sent: S) -> A:
        """The reply, checked: what is taken, and the exact problems of what is refused."""
        ...

    def join(self, parts: Sequence[R], answers: Sequence[A], usage: BatchUsage) -> A:
        """The answers of consecutive parts as one, with ``usage`` (a cut-off call) added."""
        ...


async def ask(kind: Kind[R, S, A], request: R, slots: asyncio.Semaphore) -> A:
    """Ask for ``request`` in the kind's batches, concurrently under the run's ``slots``.

    Raises:
        GenerationError: If a call fails for good (the provider raises it).
    """
    parts = kind.split(request)
    if len(parts) == 1:
        return await _one(kind, parts[0], slots)
    answers = await gather_or_cancel([_one(kind, p, slots) for p in parts])
    return kind.join(parts, answers, BatchUsage())


async def _one(kind: Kind[R, S, A], request: R, slots: asyncio.Semaphore) -> A:
    async with slots:
        sent = await kind.send(request)
    if sent.truncated and kind.units(request) > 1:
        # The token limit cut the reply: two halves fit where one did not.
        halves = kind.halve(request)
        answers = await gather_or_cancel([_one(kind, h, slots) for h in halves])
        return kind.join(halves, answers, sent.usage)
    return kind.check(request, sent)


class Repair(Protocol[R, A_in]):
    """One job of the re-ask loop: what it keeps of each answer and what it asks next."""

    def take(self, request: R, answer: A_in) -> None:
        """Keep what ``answer`` (to ``request``) got right; note the problems of the rest."""
        ...

    def left(self) -> bool:
        """Whether anything is still wrong, after what can be mended locally is mended."""
        ...

    def next(self, attempt: int) -> R:
        """The re-ask: only what is still wrong, each with its exact problems."""
        ...

    def exhausted(self, reasks: int) -> None:
        """The budget is spent and something is still wrong: raise, or note what is dropped."""
        ...


async def until_valid(
    first: R, asked: Callable[[R], Awaitable[A]], job: Repair[R, A], max_reasks: int
) -> None:
    """The one re-ask loop: ask ``first``, then re-ask what is wrong, ``max_reasks`` times.

    Raises:
        GenerationError: If the job's :meth:`~Repair.exhausted` raises (rows that still break
            a rule); a profile job drops what still fails instead.
    """
    job.take(first, await asked(first))
    for attempt in range(1, max_reasks + 1):
        if not job.left():
            return
        request = job.next(attempt)
        job.take(request, await asked(request))
    if job.left():
        job.exhausted(max_reasks)
