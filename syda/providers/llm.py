"""The shared LLM runner: batches, concurrency, validation, re-asks, retries, cache and usage.

Every vendor adapter (:class:`~syda.providers.base.LLMClient`) only formats a request and reads a
reply; everything that decides whether the rows are *right* lives here, once, for all of them:

* rows are requested in batches sized from the output-token limit and an estimate of tokens per
  row, and the batches of a table run concurrently (``ModelConfig.concurrency``);
* every returned row is validated by the pydantic row model; invalid rows, values that repeat a
  unique value of any earlier batch, and missing rows are re-asked (only those rows, with their
  specific errors) until the table has exactly the requested count, or ``max_reasks`` is spent;
* a reply cut off by the token limit is split into two smaller batches;
* transient failures (429 honouring Retry-After, 5xx, timeouts, connection errors) back off and
  retry with tenacity; a timeout only once the endpoint has answered in this run, and the run's
  ``deadline`` cancels what is in flight and starts nothing new (see :mod:`syda.providers.limits`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any, cast

import pandas as pd

from syda.errors import ConfigurationError, GenerationError
from syda.prompts import compile_prompt, parent_label
from syda.providers.aio import gather_or_cancel, run_sync
from syda.providers.base import ColumnValues, FillRequest, LLMClient, LLMRequest, LLMResponse
from syda.providers.cache import ProfileCache, ResponseCache
from syda.providers.calls import Caller, LLMUsage
from syda.providers.compact import compact_schema, rows_from_reply
from syda.providers.config import ModelConfig, require_sdk
from syda.providers.limits import RunLimits, deadline_message
from syda.providers.mechanical import fix_bounds, fix_order
from syda.providers.pricing import estimate_cost
from syda.providers.reply_schema import reply_schema_name
from syda.schema.ir import Column, Table
from syda.validation import validate_rows

__all__ = ["LLMProvider", "LLMUsage", "make_client"]

logger = logging.getLogger("syda")


def make_client(config: ModelConfig) -> LLMClient:
    """The vendor adapter for ``config.provider``.

    Raises:
        ConfigurationError: If the provider is unknown, offline, or lacks its key or SDK.
    """
    key = config.key()
    if config.provider in ("openai", "anthropic"):
        require_sdk(config.provider)
    if config.provider == "openai":
        from syda.providers.openai import OpenAIClient

        return OpenAIClient(api_key=key, base_url=config.base_url, timeout=config.timeout)
    if config.provider == "anthropic":
        from syda.providers.anthropic import AnthropicClient

        return AnthropicClient(api_key=key, base_url=config.base_url, timeout=config.timeout)
    raise ConfigurationError(f"{config.provider!r} is not an LLM provider")


class LLMProvider:
    """Fills value columns with rows written by an LLM (implements the engine's ``Provider``).

    Args:
        config: Model, limits and options.
        client_factory: Builds the vendor adapter; one is built per ``fill`` because async
            clients belong to the event loop that runs them. Defaults to :func:`make_client`.
    """

    def __init__(
        self,
        config: ModelConfig,
        client_factory: Callable[[ModelConfig], LLMClient] | None = None,
    ) -> None:
        self.config = config
        self.name: str = config.provider
        self._factory = client_factory or make_client
        self._cache = ResponseCache(config.cache_dir) if config.cache_dir else None
        self.profiles = ProfileCache(config.cache_dir)
        """Table profiles written in profile mode, kept for the provider's life (and on disk
        with ``cache_dir``)."""
        self.usage: dict[str, LLMUsage] = {}
        # One limit for the whole run: tables are filled on threads (each with its own event
        # loop), so the calls in flight are counted across threads, not per table.
        self._slots = threading.BoundedSemaphore(config.concurrency)
        self._run: RunLimits | None = None
        if client_factory is None:
            config.key()  # fail at construction, naming the variable, not at the first call
            require_sdk(config.provider)

    def fill(self, request: FillRequest) -> ColumnValues:
        """Return ``request.n`` valid values for each requested column.

        Outside :meth:`run_scope`, this call is a run of its own (its deadline starts now).

        Raises:
            GenerationError: If rows are still invalid or missing after ``max_reasks`` re-asks,
                a call keeps failing after ``max_retries`` attempts or times out, or the run's
                ``deadline`` has passed (then no call is made).
        """
        if request.n == 0 or not request.columns:
            return {c: [] for c in request.columns}
        limits = self.run_limits()
        if limits.expired():
            # Checked before any client exists: a table that starts after the deadline costs
            # nothing, so the engine stops scheduling tables as soon as one reports it.
            raise _deadline_error(self.config, request.table.key, 0, 0, request.n)
        return run_sync(lambda: _TableRun(self, request, limits).run())

    @contextmanager
    def run_scope(self) -> Iterator[RunLimits]:
        """One run: every ``fill`` inside shares its deadline and what it learnt of the endpoint.

        The engine opens one per ``generate_*`` call, so the deadline covers all the tables of
        the run, and a timeout is retried only once the endpoint has answered in this run.
        """
        outer = self._run
        self._run = limits = RunLimits(self.config.deadline)
        try:
            yield limits
        finally:
            self._run = outer

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the ``concurrency`` call slots shared by every table of the run."""
        while not self._slots.acquire(blocking=False):
            await asyncio.sleep(0.005)
        try:
            yield
        finally:
            self._slots.release()

    def caller(self, client: LLMClient, limits: RunLimits, table: str) -> Caller:
        """A :class:`~syda.providers.calls.Caller` for ``table``'s calls in this run."""
        usage = self.usage.setdefault(table, LLMUsage())
        return Caller(self.config, client, limits, self.slot, usage, table, self._cache)

    def new_client(self) -> LLMClient:
        """A vendor adapter for this provider (async clients belong to the loop that uses them)."""
        return self._factory(self.config)

    def run_limits(self) -> RunLimits:
        """The limits of the run in progress (:meth:`run_scope`), or of a run starting now."""
        return self._run or RunLimits(self.config.deadline)

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


class _TableRun:
    """One ``fill``: the state shared by all batches of a table."""

    def __init__(self, provider: LLMProvider, request: FillRequest, limits: RunLimits) -> None:
        self.p = provider
        self.limits = limits
        self.cfg = provider.config
        self.req = request
        self.table = request.table
        self.columns = tuple(request.columns)
        self.schema = compact_schema(self.table, self.columns)
        self.rows: list[dict[str, Any] | None] = [None] * request.n
        # unique_sets lists every single-column UNIQUE too (Column.unique included).
        self.unique = [c for c in self.columns if (c,) in self.table.unique_sets]
        self.taken: dict[str, set[Any]] = {c: set() for c in self.unique}
        self.usage = provider.usage.setdefault(self.table.key, LLMUsage())
        self.received = 0
        self.round_no = 0
        self.caller: Caller | None = None

    @property
    def last_raw(self) -> str | None:
        return self.caller.last_raw if self.caller is not None else None

    async def run(self) -> dict[str, list[Any]]:
        self.caller = self.p.caller(self.p._factory(self.cfg), self.limits, self.table.key)
        started = time.perf_counter()
        errors: dict[int, list[str]] = {}
        # The deadline is absolute for the run; every table's loop cancels at the same moment.
        scope = asyncio.timeout(self.limits.remaining())
        try:
            async with scope:
                errors = await self._rounds()
        except TimeoutError:
            if not scope.expired():
                raise
            done = sum(r is not None for r in self.rows)
            raise _deadline_error(
                self.cfg, self.table.key, self.usage.calls, done, len(self.rows)
            ) from None
        finally:
            await self.caller.client.aclose()
        missing = [i for i, r in enumerate(self.rows) if r is None]
        if missing:
            sample = "; ".join(e for i in missing[:3] for e in errors.get(i, ["no row returned"]))
            raise GenerationError(
                f"{len(missing)} rows still invalid or missing after {self.cfg.max_reasks} "
                f"re-asks: {sample}",
                table=self.table.key,
                rule="llm_rows",
                attempts=self.cfg.max_reasks + 1,
                last_raw=self.last_raw,
                usage={
                    "input_tokens": self.usage.usage.input_tokens,
                    "output_tokens": self.usage.usage.output_tokens,
                },
            )
        self.usage.cost_usd = estimate_cost(self.cfg.model, self.usage.usage, self.cfg.prices)
        logger.debug("%s: LLM rows in %.2fs", self.table.key, time.perf_counter() - started)
        return {c: [r[c] for r in self.rows if r is not None] for c in self.columns}

    async def _rounds(self) -> dict[int, list[str]]:
        """Ask, then re-ask what is missing or invalid; returns the problems of the last round."""
        errors: dict[int, list[str]] = {}
        size = self.p.batch_size(self.table, self.columns)
        for round_no in range(self.cfg.max_reasks + 1):
            self.round_no = round_no
            todo = [i for i, r in enumerate(self.rows) if r is None]
            if not todo:
                break
            if round_no:
                self.usage.reasks += 1
                logger.info("%s: re-asking %d rows", self.table.key, len(todo))
            batches = [todo[i : i + size] for i in range(0, len(todo), size)]
            results = await gather_or_cancel([self._batch(b, errors) for b in batches])
            # Replies are accepted in row order, not arrival order, so which of two equal
            # unique values wins (and so every later prompt) does not depend on timing.
            errors = {}
            for indices, response in (pair for pairs in results for pair in pairs):
                errors.update(self._accept(indices, response))
        return errors

    async def _batch(
        self, indices: list[int], errors: Mapping[int, list[str]]
    ) -> list[tuple[list[int], LLMResponse]]:
        """Ask for the rows at ``indices``; returns (rows, reply) pairs, split if truncated."""
        request = self._request(indices, errors)
        # Equal prompts for different rows (a table with no keys or context) must not share a
        # cache entry, and a re-ask must not replay the bad reply it is repairing.
        assert self.caller is not None
        slot = f"{self.round_no}:{indices[0]}:{len(indices)}"
        response = await self.caller.call(request, slot)
        if not response.truncated:
            self.received += len(indices)
            logger.info(
                "%s: %d/%d rows written by the model",
                self.table.key,
                min(self.received, len(self.rows)),
                len(self.rows),
                extra={
                    "syda_progress": True,
                    "syda_table": self.table.key,
                    "syda_done": min(self.received, len(self.rows)),
                    "syda_total": len(self.rows),
                },
            )
        if response.truncated and len(indices) > 1:
            # The token limit cut the reply: two half batches fit where one did not.
            half = len(indices) // 2
            a, b = await gather_or_cancel(
                [self._batch(indices[:half], errors), self._batch(indices[half:], errors)]
            )
            return a + b
        return [(indices, response)]

    def _request(self, indices: list[int], errors: Mapping[int, list[str]]) -> LLMRequest:
        context = self.req.context
        ctx_rows = _records(context.iloc[indices]) if len(context.columns) and len(context) else []
        parents: dict[str, list[dict[str, Any]]] = {}
        for i, frame in self.req.parents.items():
            fk = self.table.foreign_keys[i]
            parents[parent_label(fk)] = _records(frame.iloc[indices].drop_duplicates())
        problems = [
            f"row {pos + 1}: {msg}" for pos, i in enumerate(indices) for msg in errors.get(i, [])
        ]
        prompt = compile_prompt(
            self.table,
            self.columns,
            len(indices),
            user_prompt=self.req.prompt,
            context=ctx_rows,
            parents=parents,
            errors=problems,
            taken={c: sorted(self.taken[c], key=str) for c in self.unique if self.taken[c]},
        )
        return LLMRequest(
            system=prompt.system,
            user=prompt.user,
            schema_name=reply_schema_name(self.table),
            json_schema=self.schema,
            rows=len(indices),
            model=self.cfg.model,
            temperature=self.cfg.temperature,
            max_tokens=self.cfg.max_tokens,
            columns=self.columns,
        )

    def _accept(self, indices: list[int], response: LLMResponse) -> dict[int, list[str]]:
        """Take the valid rows of a reply; return the problems of the others, by row index."""
        problems: dict[int, list[str]] = {}
        try:
            raw = rows_from_reply(response.text, self.columns)
        except (ValueError, KeyError, TypeError) as exc:
            note = "the reply was cut off" if response.truncated else f"invalid JSON ({exc})"
            return {i: [note] for i in indices}
        rows = [_decode(self.table, r) if isinstance(r, dict) else r for r in raw[: len(indices)]]
        fixed = fix_bounds(self.table, self.columns, rows)
        valid, errs = validate_rows(self.table, rows, self.columns)
        bad: dict[int, list[str]] = {}
        for e in errs:
            bad.setdefault(e.index, []).append(f"{e.column}: {e.message}")
        for pos, row in enumerate(rows):
            if isinstance(row, str):  # a compact row of the wrong length: say so, not "object"
                bad[pos] = [row]
        for row in valid:
            fixed += fix_order(self.table, self.columns, row)
        if fixed:
            logger.info(
                "%s: fixed locally, not re-asked: %s",
                self.table.key,
                "; ".join(fixed[:5]) + (f" and {len(fixed) - 5} more" if len(fixed) > 5 else ""),
            )
        valid_iter = iter(valid)
        for pos, i in enumerate(indices):
            if pos >= len(rows):
                problems[i] = [f"missing: the reply had {len(rows)} rows, {len(indices)} asked"]
                continue
            if pos in bad:
                problems[i] = bad[pos]
                continue
            row = next(valid_iter)
            dup = [c for c in self.unique if row[c] is not None and row[c] in self.taken[c]]
            if dup:
                problems[i] = [f"{c}: {row[c]!r} is already used (must be unique)" for c in dup]
                continue
            for c in self.unique:
                if row[c] is not None:
                    self.taken[c].add(row[c])
            self.rows[i] = row
        return problems


def _deadline_error(
    config: ModelConfig, table: str, calls: int, done: int, total: int
) -> GenerationError:
    return GenerationError(
        deadline_message(config, calls, done, total), table=table, rule="deadline", attempts=calls
    )


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Undo the reply schema's encodings: JSON columns arrive as JSON text, binary as base64."""
    out = dict(row)
    for name, value in row.items():
        if not table.has_column(name) or not isinstance(value, str):
            continue
        kind = table.column(name).kind
        if kind == "json":
            try:
                out[name] = json.loads(value)
            except ValueError:
                pass  # left as text: validation reports it
        elif kind == "binary":
            import base64
            import binascii

            try:
                out[name] = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                pass
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    # NULL markers (NaN, NA, NaT) become JSON nulls in the prompt compiler (prompts.jsonable).
    return cast("list[dict[str, Any]]", frame.to_dict("records"))
