"""The LLM provider: one batch of rows is one call, the same way for every vendor.

Every vendor adapter (:class:`~syda.providers.base.LLMClient`) only formats a request and reads a
reply. :class:`LLMProvider` turns a batch (:class:`~syda.providers.base.FillRequest`) into the
prompt and reply schema, sends it through the shared :class:`~syda.providers.calls.Caller`
(transient failures back off and retry, honouring Retry-After; a timeout only once the endpoint
has answered in this run; the run's ``deadline`` cancels what is in flight and starts nothing
new, see :mod:`syda.providers.limits`) and hands back the reply's rows as it read them, with
what the call cost. It declares ``concurrency`` and a ``batch_size`` sized from the
output-token limit; batching, validation, uniqueness and re-asking are the engine's
(:mod:`syda.asking`, :mod:`syda.batches`, :mod:`syda.repair`), the same for every provider;
profile calls take the same road (:meth:`LLMProvider.call`, :mod:`syda.profile.llm_profile`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import pandas as pd

from syda.errors import ConfigurationError
from syda.prompts import compile_prompt, parent_label
from syda.providers.base import (
    BatchResult,
    FillRequest,
    LLMClient,
    LLMRequest,
    Provider,
)
from syda.providers.cache import ProfileCache, ResponseCache
from syda.providers.calls import Called, Caller, LLMUsage
from syda.providers.compact import compact_schema, rows_from_reply
from syda.providers.config import ModelConfig, require_sdk
from syda.providers.limits import DeadlineError, RunLimits
from syda.providers.registry import provider_spec
from syda.providers.reply_schema import reply_schema_name
from syda.schema.ir import Column, Table

__all__ = ["LLMProvider", "LLMUsage", "make_client"]

logger = logging.getLogger("syda")


def make_client(config: ModelConfig) -> LLMClient:
    """The vendor adapter of ``config.provider``, from the provider registry.

    Raises:
        ConfigurationError: If the provider is unknown, offline, or lacks its key or SDK.
    """
    if config.provider == "offline":
        raise ConfigurationError("'offline' is not an LLM provider")
    config.key()
    require_sdk(config.provider)
    return provider_spec(config.provider).factory(config)


class LLMProvider(Provider):
    """Fills value columns with rows written by an LLM, one call per batch.

    Args:
        config: Model, limits and options.
        client_factory: Builds the vendor adapter; one is built per event loop (one per run),
            because async clients belong to the loop that runs them. Defaults to
            :func:`make_client`.
    """

    def __init__(
        self,
        config: ModelConfig,
        client_factory: Callable[[ModelConfig], LLMClient] | None = None,
    ) -> None:
        self.config = config
        self.name: str = config.provider
        self.concurrency = config.concurrency
        self.max_reasks = config.max_reasks
        self._factory = client_factory or make_client
        self._cache = ResponseCache(config.cache_dir) if config.cache_dir else None
        self.profiles = ProfileCache(config.cache_dir)
        """Table profiles written in profile mode, kept for the provider's life (and on disk
        with ``cache_dir``)."""
        self._run: RunLimits | None = None
        self._callers: dict[asyncio.AbstractEventLoop, Caller] = {}
        if client_factory is None:
            config.key()  # fail at construction, naming the variable, not at the first call
            require_sdk(config.provider)

    def profiler(self) -> LLMProvider:
        """This provider writes profiles too (profile mode)."""
        return self

    async def fill_batch(self, request: FillRequest) -> BatchResult:
        """Ask the model for one batch of rows; the reply's rows come back unvalidated.

        Raises:
            GenerationError: If the call keeps failing after ``max_retries`` attempts, times
                out, is refused, or the run's ``deadline`` has passed (then no call is made).
        """
        # Equal prompts for different rows (a table with no keys or context) must not share a
        # cache entry, and a re-ask must not replay the bad reply it is repairing.
        slot = f"{request.attempt}:{request.row_offset}:{request.n}"
        called = await self.call(self._request(request), request.table.key, slot, request.n)
        response = called.response
        try:
            # Compact rows (one array per row, in the prompt's column order) become dicts.
            rows = rows_from_reply(response.text, request.columns)
        except (ValueError, KeyError, TypeError) as exc:
            return BatchResult(
                usage=called.usage,
                raw=response.text,
                truncated=response.truncated,
                problem=f"invalid JSON ({exc})",
            )
        return BatchResult(
            rows=rows, usage=called.usage, raw=response.text, truncated=response.truncated
        )

    async def call(self, request: LLMRequest, table: str, slot: str, rows: int = 0) -> Called:
        """One call (rows or a profile) with the run's client, deadline and cache.

        ``slot`` tells equal prompts apart in the cache; ``rows`` is what a deadline's message
        says was asked.

        Raises:
            GenerationError: If the call keeps failing after ``max_retries`` attempts, times
                out, is refused, or the run's ``deadline`` has passed (then no call is made).
        """
        limits = self.run_limits()
        if limits.expired():
            raise DeadlineError(self.config, table, 0, 0, rows)
        caller = self._caller(limits)
        scope = asyncio.timeout(limits.remaining())
        try:
            async with scope:
                return await caller.call(request, table, slot)
        except TimeoutError:
            if not scope.expired():
                raise
            raise DeadlineError(self.config, table, 1, 0, rows) from None

    async def aclose(self) -> None:
        """Close the vendor client of the running event loop (the run is over)."""
        caller = self._callers.pop(asyncio.get_running_loop(), None)
        if caller is not None:
            await caller.client.aclose()

    def _caller(self, limits: RunLimits) -> Caller:
        loop = asyncio.get_running_loop()
        caller = self._callers.get(loop)
        if caller is None or caller.limits is not limits:
            caller = Caller(self.config, self._factory(self.config), limits, self._cache)
            self._callers[loop] = caller
        return caller

    def _request(self, request: FillRequest) -> LLMRequest:
        table, columns = request.table, request.columns
        context = request.context
        ctx_rows = _records(context) if len(context.columns) and len(context) else []
        parents: dict[str, list[dict[str, Any]]] = {}
        for i, frame in request.parents.items():
            parents[parent_label(table.foreign_keys[i])] = _records(frame.drop_duplicates())
        problems = [
            f"row {pos + 1}: {msg}" for pos, msgs in sorted(request.errors.items()) for msg in msgs
        ]
        unique = [c for c in columns if (c,) in table.unique_sets]
        taken = {
            c: sorted(set(request.taken[c]), key=str)
            for c in unique
            if c in request.taken and len(request.taken[c])
        }
        prompt = compile_prompt(
            table,
            columns,
            request.n,
            user_prompt=request.prompt,
            context=ctx_rows,
            parents=parents,
            errors=problems,
            taken=taken,
        )
        return LLMRequest(
            system=prompt.system,
            user=prompt.user,
            schema_name=reply_schema_name(table),
            json_schema=compact_schema(table, columns),
            rows=request.n,
            model=self.config.model,
            temperature=self.config.temperature,
            max_tokens=self.config.max_tokens,
            columns=tuple(columns),
        )

    @contextmanager
    def run_scope(self) -> Iterator[RunLimits]:
        """One run: every call inside shares its deadline and what it learnt of the endpoint.

        The generator opens one per ``generate_*`` call, so the deadline covers all the tables
        of the run, and a timeout is retried only once the endpoint has answered in this run.
        """
        outer = self._run
        self._run = limits = RunLimits(self.config.deadline)
        try:
            yield limits
        finally:
            self._run = outer

    def run_limits(self) -> RunLimits:
        """The limits of the run in progress (:meth:`run_scope`), or of a run starting now.

        Outside a run scope, the calls of one event loop are one run.
        """
        if self._run is not None:
            return self._run
        try:
            caller = self._callers.get(asyncio.get_running_loop())
        except RuntimeError:
            caller = None
        return caller.limits if caller is not None else RunLimits(self.config.deadline)

    def estimate_tokens_per_row(self, table: Table, columns: Sequence[str]) -> int:
        """Output tokens one row of these columns is expected to cost (keys and syntax included)."""
        if self.config.tokens_per_row:
            return self.config.tokens_per_row
        return 2 + sum(_column_tokens(table.column(c)) for c in columns)

    def batch_size(self, table: Table, columns: Sequence[str]) -> int:
        """Rows per call: as many as fit in ~70% of the output-token limit, 1 to 100."""
        per_row = self.estimate_tokens_per_row(table, columns)
        return max(1, min(100, int(self.config.max_tokens * 0.7) // per_row))


def _column_tokens(col: Column) -> int:
    # Measured on the CRM example the estimate runs about 1.3x the real cost: safe against
    # truncation without halving the batches.
    name = 1  # a compact reply names no column: a comma between values
    if col.kind == "text":
        value = 30 if col.length is None else min(col.length // 4, 40)
    elif col.kind in ("string", "unknown"):
        value = 5 if col.length is None else min(col.length // 8, 8) + 1
    elif col.kind in ("date", "time"):
        value = 5
    elif col.kind in ("datetime", "uuid"):
        value = 10
    elif col.kind == "json":
        value = 30
    else:
        value = 3
    return name + value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    # NULL markers (NaN, NA, NaT) become JSON nulls in the prompt compiler (prompts.jsonable).
    return cast("list[dict[str, Any]]", frame.to_dict("records"))
