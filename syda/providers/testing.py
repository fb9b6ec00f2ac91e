"""Test doubles for the contracts, shipped with them (like httpx's ``MockTransport``).

``ScriptedProvider`` is a :class:`~syda.providers.base.Provider` that answers each batch with
whatever a function of yours returns, declaring the batch size and concurrency you give it, so
the engine's side (batching, one concurrency limit, validation, re-asks, usage) can be tested
with any provider behaviour::

    provider = ScriptedProvider(lambda request: BatchResult(rows=[...]), batch_size=10)
    SyntheticDataGenerator(provider=provider).generate_data(schema, sample_size=25)

``ScriptedClient`` answers each :class:`~syda.providers.base.LLMRequest` with whatever a function
of yours returns (JSON text, a full :class:`~syda.providers.base.LLMResponse`, or an exception to
raise), so the whole LLM path (batching, validation, re-asks, retries) can be tested without a
network or a key::

    client = ScriptedClient(lambda request: '{"rows": [...]}')
    provider = LLMProvider(ModelConfig(provider="openai"), client_factory=lambda cfg: client)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from syda.providers.base import (
    BatchResult,
    FillRequest,
    LLMRequest,
    LLMResponse,
    Provider,
    Usage,
)

if TYPE_CHECKING:
    from syda.schema.ir import Table

__all__ = ["Reply", "ScriptedClient", "ScriptedProvider"]

Reply = str | LLMResponse | BaseException


class ScriptedClient:
    """An :class:`~syda.providers.base.LLMClient` that answers from a function.

    Args:
        responder: ``request -> reply``; a ``str`` is the reply text (usage is estimated at four
            characters a token), an exception is raised as a vendor SDK would.
        latency: Seconds each call takes (simulated, asynchronously).
    """

    name = "scripted"
    key_env = "SCRIPTED_API_KEY"

    def __init__(self, responder: Callable[[LLMRequest], Reply], *, latency: float = 0.0):
        self.responder = responder
        self.latency = latency
        self.requests: list[LLMRequest] = []
        self.closed = False

    async def complete(self, request: LLMRequest) -> LLMResponse:
        """Record the request and answer it."""
        self.requests.append(request)
        if self.latency:
            await asyncio.sleep(self.latency)
        reply = self.responder(request)
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, LLMResponse):
            return reply
        used = Usage(len(request.system + request.user) // 4, len(reply) // 4)
        return LLMResponse(text=reply, usage=used, model=request.model)

    async def aclose(self) -> None:
        """Mark the client closed."""
        self.closed = True


class ScriptedProvider(Provider):
    """A :class:`~syda.providers.base.Provider` that answers each batch from a function.

    Args:
        responder: ``request -> BatchResult`` (or an exception to raise).
        batch_size: Rows a batch may hold (default: any number).
        concurrency: Batches in flight at once over the run.
        name: Shown in logs and reports.
    """

    def __init__(
        self,
        responder: Callable[[FillRequest], BatchResult | BaseException],
        *,
        batch_size: int | None = None,
        concurrency: int = 1,
        name: str = "scripted",
    ) -> None:
        self.responder = responder
        self.size = batch_size
        self.concurrency = concurrency
        self.name = name
        self.requests: list[FillRequest] = []
        self.closed = False

    def batch_size(self, table: Table, columns: Sequence[str]) -> int:
        """The size given, or the contract's default."""
        return self.size if self.size is not None else super().batch_size(table, columns)

    async def fill_batch(self, request: FillRequest) -> BatchResult:
        """Record the request and answer it (yielding to the loop once, as a call would)."""
        self.requests.append(request)
        await asyncio.sleep(0)
        reply = self.responder(request)
        if isinstance(reply, BaseException):
            raise reply
        return reply

    async def aclose(self) -> None:
        """Mark the provider closed (the run's loop is ending)."""
        self.closed = True
