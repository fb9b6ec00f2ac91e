"""One LLM call, the same way for every kind of request: cache, retries, usage, errors.

Rows (:mod:`syda.providers.llm`) and profiles (:mod:`syda.profile.llm_profile`) are asked
through a :class:`Caller`, so both share the run's deadline and what it learnt of the endpoint,
honour ``Retry-After``, say what each call cost (:class:`Called`), and translate a provider's
failure into one :class:`~syda.errors.GenerationError` that never quotes the key. How many
calls are in flight is the engine's business (one semaphore per run), not the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from syda.errors import ConfigurationError, GenerationError
from syda.providers.base import BatchUsage, LLMClient, LLMRequest, LLMResponse, Usage
from syda.providers.cache import ResponseCache
from syda.providers.config import ModelConfig
from syda.providers.limits import RunLimits, timeout_message
from syda.providers.pricing import estimate_cost
from syda.providers.transient import is_connect_timeout, is_timeout, is_transient, wait_for_retry

__all__ = ["Called", "Caller", "LLMUsage"]


@dataclass
class LLMUsage:
    """LLM usage of one table's profile calls."""

    calls: int = 0
    cached: int = 0
    reasks: int = 0
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = 0.0

    def add(self, used: BatchUsage) -> None:
        """Count one call's usage in."""
        self.calls += used.calls
        self.cached += used.cached
        self.usage = self.usage + Usage(used.input_tokens, used.output_tokens)
        if self.cost_usd is not None:
            self.cost_usd = None if used.cost_usd is None else self.cost_usd + used.cost_usd


@dataclass(frozen=True)
class Called:
    """A reply, and what it cost: attempts (HTTP calls), whether the cache answered, tokens."""

    response: LLMResponse
    usage: BatchUsage


class Caller:
    """Sends requests with the run's shared limits.

    Args:
        config: The model and its limits.
        client: The vendor adapter (owned by the caller's event loop).
        limits: The run's deadline and liveness.
        cache: Replies on disk, if configured.
    """

    def __init__(
        self,
        config: ModelConfig,
        client: LLMClient,
        limits: RunLimits,
        cache: ResponseCache | None = None,
    ) -> None:
        self.cfg = config
        self.client = client
        self.limits = limits
        self.cache = cache

    async def call(self, request: LLMRequest, table: str, slot: str) -> Called:
        """Send ``request`` (or answer it from the cache); ``slot`` tells equal prompts apart.

        Raises:
            GenerationError: If the call keeps failing after ``max_retries`` attempts, times
                out, or is refused by the server.
        """
        cache_key = f"{self.cfg.provider}|{self.cfg.base_url or ''}|{table}|{slot}"
        if self.cache is not None and (hit := self.cache.get(cache_key, request)) is not None:
            return Called(hit, BatchUsage(cached=1))
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
                    attempts += 1
                    response = await self.client.complete(request)
        except Exception as exc:
            # ``from None``: the SDK's own exception may quote the key, and a cause is printed.
            raise self.error(exc, attempts, table) from None
        self.limits.answered.set()
        if self.cache is not None and not response.truncated:
            self.cache.put(cache_key, request, response)
        used = response.usage
        cost = estimate_cost(self.cfg.model, used, self.cfg.prices)
        return Called(
            response, BatchUsage(attempts, 0, used.input_tokens, used.output_tokens, cost)
        )

    def _worth_retrying(self, exc: BaseException) -> bool:
        if getattr(exc, "status_code", None) is not None:
            self.limits.answered.set()  # an HTTP error reply still shows the server is there
        if not isinstance(exc, Exception) or not is_transient(exc):
            return False  # a cancellation (the deadline) or a request the server refused
        return self.limits.answered.is_set() or not is_timeout(exc)

    def error(self, exc: Exception, attempts: int, table: str) -> GenerationError:
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
        return GenerationError(text, table=table, rule="provider_call", attempts=attempts)
