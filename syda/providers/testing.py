"""A test double for the LLM contract, shipped with it (like httpx's ``MockTransport``).

``ScriptedClient`` answers each :class:`~syda.providers.base.LLMRequest` with whatever a function
of yours returns (JSON text, a full :class:`~syda.providers.base.LLMResponse`, or an exception to
raise), so the whole LLM path (batching, validation, re-asks, retries) can be tested without a
network or a key::

    client = ScriptedClient(lambda request: '{"rows": [...]}')
    provider = LLMProvider(ModelConfig(provider="openai"), client_factory=lambda cfg: client)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from syda.providers.base import LLMRequest, LLMResponse, Usage

__all__ = ["Reply", "ScriptedClient"]

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
