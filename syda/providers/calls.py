"""One LLM call, the same way for every kind of request: cache, slot, retries, usage, errors.

Rows (:mod:`syda.providers.llm`) and profiles (:mod:`syda.profile.llm_profile`) are asked
through a :class:`Caller`, so both share the run's concurrency slots, its deadline and what it
learnt of the endpoint, honour ``Retry-After``, count calls and tokens per table, and translate
a provider's failure into one :class:`~syda.errors.GenerationError` that never quotes the key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from syda.errors import ConfigurationError, GenerationError
from syda.providers.base import LLMClient, LLMRequest, LLMResponse, Usage
from syda.providers.cache import ResponseCache
from syda.providers.config import ModelConfig
from syda.providers.limits import RunLimits, timeout_message
from syda.providers.transient import is_connect_timeout, is_timeout, is_transient, wait_for_retry

__all__ = ["Caller", "LLMUsage"]


@dataclass
class LLMUsage:
    """LLM usage of one table."""

    calls: int = 0
    cached: int = 0
    reasks: int = 0
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = 0.0


class Caller:
    """Sends the requests of one table's work with the run's shared limits.

    Args:
        config: The model and its limits.
        client: The vendor adapter (owned by the caller's event loop).
        limits: The run's deadline and liveness.
        slot: The run-wide concurrency slot (``LLMProvider.slot``).
        usage: Where calls and tokens are counted (the table's entry).
        table: The table's key, for errors and cache keys.
        cache: Replies on disk, if configured.
    """

    def __init__(
        self,
        config: ModelConfig,
        client: LLMClient,
        limits: RunLimits,
        slot: Callable[[], AbstractAsyncContextManager[None]],
        usage: LLMUsage,
        table: str,
        cache: ResponseCache | None = None,
    ) -> None:
        self.cfg = config
        self.client = client
        self.limits = limits
        self.slot = slot
        self.usage = usage
        self.table = table
        self.cache = cache
        self.last_raw: str | None = None
        # This table's own bound keeps the number of requests polling for a run slot small.
        self.local = asyncio.Semaphore(config.concurrency)

    async def call(self, request: LLMRequest, slot: str) -> LLMResponse:
        """Send ``request`` (or answer it from the cache); ``slot`` tells equal prompts apart.

        Raises:
            GenerationError: If the call keeps failing after ``max_retries`` attempts, times
                out, or is refused by the server.
        """
        cache_key = f"{self.cfg.provider}|{self.cfg.base_url or ''}|{self.table}|{slot}"
        if self.cache is not None and (hit := self.cache.get(cache_key, request)) is not None:
            self.usage.cached += 1
            return hit
        retrying = AsyncRetrying(
            retry=retry_if_exception(self._worth_retrying),
            stop=stop_after_attempt(self.cfg.max_retries),
            wait=wait_for_retry,
            reraise=True,
        )
        attempts = 0
        try:
            async for attempt in retrying:
                with attempt:
                    # A slot per attempt, not per request: a request waiting out a Retry-After
                    # must not keep the others from the model.
                    async with self.local, self.slot():
                        self.usage.calls += 1
                        attempts += 1
                        response = await self.client.complete(request)
        except Exception as exc:
            # ``from None``: the SDK's own exception may quote the key, and a cause is printed.
            raise self.error(exc, attempts) from None
        self.limits.answered.set()
        self.usage.usage = self.usage.usage + response.usage
        self.last_raw = response.text
        if self.cache is not None and not response.truncated:
            self.cache.put(cache_key, request, response)
        return response

    def _worth_retrying(self, exc: BaseException) -> bool:
        if getattr(exc, "status_code", None) is not None:
            self.limits.answered.set()  # an HTTP error reply still shows the server is there
        if not isinstance(exc, Exception) or not is_transient(exc):
            return False  # a cancellation (the deadline) or a request the server refused
        return self.limits.answered.is_set() or not is_timeout(exc)

    def error(self, exc: Exception, attempts: int) -> GenerationError:
        """The error of a call that failed for good (the key masked)."""
        if is_timeout(exc):
            answered = self.limits.answered.is_set()
            text = timeout_message(self.cfg, attempts, answered, is_connect_timeout(exc))
        else:
            message = str(exc)
            try:
                key = self.cfg.key()  # the key in use, from the config or the environment
            except ConfigurationError:
                key = ""
            if len(key) >= 8:
                message = message.replace(key, "***")
            why = f"after {attempts} attempts" if is_transient(exc) else "(not retried)"
            text = (
                f"the {self.cfg.provider} call to {self.cfg.endpoint()} failed {why}: "
                f"{type(exc).__name__}: {message}"
            )
        return GenerationError(
            text,
            table=self.table,
            rule="provider_call",
            attempts=attempts,
            last_raw=self.last_raw,
            usage=self.usage_dict(),
        )

    def usage_dict(self) -> dict[str, int]:
        """The table's tokens so far, as errors carry them."""
        return {
            "input_tokens": self.usage.usage.input_tokens,
            "output_tokens": self.usage.usage.output_tokens,
        }
