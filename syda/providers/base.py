"""The contract between the engine and whatever fills a table's value columns.

The engine decides *which* columns a provider must fill (never keys, foreign keys or columns a
custom generator owns) and hands it a :class:`FillRequest`; the provider returns one array per
requested column. Validation, re-asking and uniqueness across the whole table stay in the engine,
so every provider (the offline one, LLM ones, a user's own) is held to the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from syda.schema.ir import Table

__all__ = ["ColumnValues", "FillRequest", "Provider"]

ColumnValues = Mapping[str, "np.ndarray[Any, Any] | pd.Series[Any] | Sequence[Any]"]


@dataclass(frozen=True)
class FillRequest:
    """What a provider is asked to produce for one table (or one batch of it).

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


@runtime_checkable
class Provider(Protocol):
    """Anything that can fill value columns. ``name`` is shown in logs and reports."""

    name: str

    def fill(self, request: FillRequest) -> ColumnValues:
        """Return one sequence of ``request.n`` values for every column in ``request.columns``."""
        ...


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
