"""The contract between the engine and whatever fills a table's value columns.

The engine decides *which* columns a provider must fill (never keys, foreign keys or columns a
custom generator owns) and hands it one batch at a time as a :class:`FillRequest`; the provider
answers with a :class:`BatchResult`: the values, and what the batch cost. A provider only fills
a batch. Validation, uniqueness over the whole table, re-asking, batching and concurrency stay
in the engine (:mod:`syda.asking`, :mod:`syda.batches`, :mod:`syda.repair`), so every provider
(the offline one, LLM ones, a user's own) is held to the same rules. What the engine needs to
know of a provider it reads from the contract (``concurrency``, :meth:`Provider.batch_size`),
never from its class.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # the schema package imports the offline engine, which imports this module
    from syda.providers.llm import LLMProvider
    from syda.schema.ir import Table

__all__ = ["BatchResult", "BatchUsage", "ColumnValues", "FillRequest", "Provider"]

ColumnValues = Mapping[str, "np.ndarray[Any, Any] | pd.Series[Any] | Sequence[Any]"]


@dataclass(frozen=True)
class FillRequest:
    """What a provider is asked to produce for one batch of a table.

    Attributes:
        table: The table being filled.
        columns: Names of the columns the provider must fill, in the table's column order.
        n: Number of rows to produce.
        rng: The random generator to draw from (seeded by the engine, so runs are repeatable).
        context: Columns of the same rows that are already filled (keys, foreign keys, custom
            columns), ``n`` rows, so values can agree with them (an email built from a name a
            custom generator produced).
        parents: For each foreign key (by its index in ``table.foreign_keys``), the parent rows the
            batch's rows point at, aligned with the batch (row *i* of the frame is the parent of
            row *i*; a row whose key is NULL has a row of NULLs). Lets an order item carry its
            product's price.
        prompt: The user's prompt for this table, if any.
        row_offset: Index of the first requested row within the whole table, so providers that
            number things (codes such as ``CUST-000123``) stay unique across batches.
        taken: For unique columns, the values other rows of the table hold already (rows in
            the target database when appending; on a re-ask, the rows that are kept): the new
            values must differ from them.
        errors: On a re-ask, why each row was refused, by its position in this batch (what a
            model is told to fix; see :func:`syda.batches.reask`).
        attempt: 0 for the first ask of these rows, then the re-ask's number.
    """

    table: Table
    columns: tuple[str, ...]
    n: int
    rng: np.random.Generator
    context: pd.DataFrame = field(default_factory=pd.DataFrame)
    parents: Mapping[int, pd.DataFrame] = field(default_factory=dict)
    prompt: str | None = None
    row_offset: int = 0
    taken: Mapping[str, pd.Series[Any]] = field(default_factory=dict)
    errors: Mapping[int, Sequence[str]] = field(default_factory=dict)
    attempt: int = 0


@dataclass(frozen=True)
class BatchUsage:
    """What filling batches cost: HTTP calls, answers from the cache, tokens, dollars."""

    calls: int = 0
    cached: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0

    def __add__(self, other: BatchUsage) -> BatchUsage:
        cost = (
            None
            if self.cost_usd is None or other.cost_usd is None
            else self.cost_usd + other.cost_usd
        )
        return BatchUsage(
            self.calls + other.calls,
            self.cached + other.cached,
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            cost,
        )


@dataclass(frozen=True)
class BatchResult:
    """A provider's answer to one :class:`FillRequest`.

    Attributes:
        values: Typed values, ``request.n`` per column, that the provider vouches for (a local
            provider draws them by construction).
        rows: Raw rows as a model wrote them (parsed JSON), to be validated by the engine;
            they may be fewer or more than asked, or not rows at all.
        usage: What the batch cost.
        raw: The reply's text, kept as evidence for an error that ends the run.
        truncated: The output-token limit cut the reply off (the engine asks again in halves).
        problem: Why the reply as a whole could not be read (invalid JSON), if so.
        fixed: Values of ``rows`` the engine's check fixed already, how many by rule (a
            provider that checks part of its batch itself, as mixed tables do:
            :class:`~syda.providers.mixed.MixedRowsProvider`), so the report counts them.
    """

    values: ColumnValues = field(default_factory=dict)
    rows: Sequence[Any] | None = None
    usage: BatchUsage = field(default_factory=BatchUsage)
    raw: str | None = None
    truncated: bool = False
    problem: str | None = None
    fixed: Mapping[str, int] = field(default_factory=dict)


class Provider(ABC):
    """Anything that can fill value columns, one batch at a time.

    Subclass it and implement :meth:`fill_batch`; the defaults suit a local provider (one batch
    per table, one at a time). ``name`` is shown in logs and reports.
    """

    name: str = "custom"
    concurrency: int = 1
    """Batches the engine may have in flight at once, over the whole run (all tables)."""
    max_reasks: int = 8
    """Re-asks of the rows that still break a rule, before the engine gives up."""

    def batch_size(self, table: Table, columns: Sequence[str]) -> int:
        """Rows one :meth:`fill_batch` call may be asked for (default: any number)."""
        return sys.maxsize

    @abstractmethod
    async def fill_batch(self, request: FillRequest) -> BatchResult:
        """Fill one batch: ``request.n`` values for every column in ``request.columns``."""

    async def aclose(self) -> None:
        """The run's event loop is ending: release what its calls held (connections)."""
        return None  # a local provider holds nothing

    @contextmanager
    def run_scope(self) -> Iterator[Any]:
        """One run (a ``generate_*`` call): per-run state such as an LLM's deadline."""
        yield

    def profiler(self) -> LLMProvider | None:
        """The LLM that can write tables' profiles (profile mode), if this provider has one."""
        return None


# -- the LLM side ---------------------------------------------------------------------------------
# An LLM provider only turns an ``LLMRequest`` into the vendor's wire format and the vendor's reply
# into an ``LLMResponse``. Batching, validation, re-asking, retries and caching are shared (see
# ``syda.providers.llm``), so every vendor is held to the same rules.


@dataclass(frozen=True)
class Usage:
    """Tokens one call (or a sum of calls) consumed."""

    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens, self.output_tokens + other.output_tokens
        )


@dataclass(frozen=True)
class LLMRequest:
    """One call: prompts, the JSON Schema of the reply, and model options.

    Attributes:
        system: The system prompt.
        user: The user prompt (the rows to write, their context, earlier errors).
        schema_name: A short identifier for the reply schema (the table key, sanitised).
        json_schema: JSON Schema of the whole reply: ``{"rows": [row, ...]}``, or
            ``{"columns": [...]}`` for a profile; strict-mode safe (every property required,
            ``additionalProperties: false``).
        rows: How many rows the reply must hold (0 for a profile).
        model: Model name.
        temperature: Sampling temperature (None: the vendor's default).
        max_tokens: Output-token limit of the call.
        kind: ``"rows"`` (rows of a table) or ``"profile"`` (a table's profile: how its values
            are drawn); vendors name their tool after it.
        columns: For rows, the columns of each reply row, in the order of its values (the
            compact reply, :mod:`syda.providers.compact`).
    """

    system: str
    user: str
    schema_name: str
    json_schema: Mapping[str, Any]
    rows: int
    model: str
    temperature: float | None = None
    max_tokens: int = 4096
    kind: str = "rows"
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class LLMResponse:
    """What came back: the raw JSON text of the reply, usage, and whether it was cut off."""

    text: str
    usage: Usage = field(default_factory=Usage)
    truncated: bool = False
    """True when the output-token limit ended the reply (finish/stop reason ``length``)."""
    model: str | None = None


@runtime_checkable
class LLMClient(Protocol):
    """A vendor adapter: formats a request, sends it, reads the reply. Nothing more.

    ``name`` identifies the provider (``"openai"``); ``key_env`` is the environment variable of
    its API key. Transient failures (429, 5xx, timeouts, connection errors) must surface as the
    vendor SDK's exceptions; :func:`syda.providers.transient.is_transient` decides whether to retry.
    """

    name: str
    key_env: str

    async def complete(self, request: LLMRequest) -> LLMResponse:
        """Send one request and return its reply."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
