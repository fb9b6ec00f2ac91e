"""Mixed tables in rows mode: the LLM writes only the columns whose values carry meaning.

An LLM earns its cost on a product's name and description, a company's name and industry, a
review that agrees with its rating; it adds nothing to a phone number, an email built from the
row's names, a date, a quantity or a discount, which the offline engine draws at full speed with
every constraint held. So in rows mode (``ModelConfig(llm_columns="meaning")``, the default)
each batch is filled in three steps:

1. the local columns that do not read an LLM column are drawn (dates, amounts, statuses, names);
2. the LLM writes the meaning columns (:func:`asks_llm`), given those values, the keys and the
   parent rows, so its text agrees with the row (a review with its rating);
3. the local columns built from what the LLM wrote are drawn last (a website from the company
   name, an email from the names).

``llm_columns="all"`` asks the LLM for every column, as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, time
from typing import TYPE_CHECKING, Any

import pandas as pd

from syda.batches import check
from syda.generators.infer import infer_semantic
from syda.providers.base import BatchResult, FillRequest, Provider
from syda.providers.offline import BUILT_FROM
from syda.schema.ir import Column, Table

if TYPE_CHECKING:
    from syda.providers.llm import LLMProvider

__all__ = ["MEANING", "MixedRowsProvider", "asks_llm", "meaning_columns"]

MEANING = frozenset(
    {
        "category",
        "company",
        "department",
        "description",
        "genre",
        "industry",
        "job_title",
        "market_segment",
        "product_name",
        "string",
        "text",
        "title",
        "word",
    }
)
"""Meanings (:func:`~syda.generators.infer.infer_semantic`) whose values an LLM should write."""
_MEANING_SUFFIXES = ("_title", "_name", "_category", "_genre")
_DRAWN_NAMES = frozenset({"first_name", "last_name", "full_name", "file_name"})
"""People's and files' names: the offline pools hold believable ones, and emails follow them."""
UNSPOKEN = frozenset(
    {
        "email", "phone", "phone_extension", "url", "domain", "image_url", "username", "uuid",
        "sku", "code", "short_id", "hash", "slug", "ip_address", "ipv4", "ipv6", "macaddr",
        "macaddr8", "iban", "ssn", "isbn", "file_path", "user_agent", "postal_code",
        "work_email",
    }
)  # fmt: skip
"""Meanings of identifiers and contact details: tokens spent showing them to the model buy no
coherence (no description agrees with a phone number), so the LLM's context leaves them out."""


def asks_llm(column: Column, table: Table) -> bool:
    """Whether rows mode asks the LLM for ``column`` (else the offline engine draws it).

    Free text (``text`` columns) and strings whose meaning is a name, title, category or
    description of something, or unknown, are the LLM's; strings held to a list of values or a
    pattern, people's names, contact details, places, codes and every non-text kind are drawn.
    """
    if column.kind == "text":
        return column.choices is None
    if column.kind == "unknown":
        return True  # no local generator: the model is the only one who can try
    if column.kind != "string" or column.choices is not None or column.pattern is not None:
        return False
    semantic = infer_semantic(column, table)
    if semantic in _DRAWN_NAMES:
        return False
    return semantic in MEANING or semantic.endswith(_MEANING_SUFFIXES)


def meaning_columns(table: Table, columns: Sequence[str]) -> tuple[str, ...]:
    """The ``columns`` rows mode asks the LLM for by default (:func:`asks_llm`), in order."""
    return tuple(c for c in columns if asks_llm(table.column(c), table))


class MixedRowsProvider(Provider):
    """Rows mode with the meaning columns from the LLM and the others drawn locally.

    The LLM's part of a batch is checked here (:func:`syda.batches.check`, the engine's one
    check), because the late local columns are built from its values; the batch goes back to
    the engine as rows, so a row the model got wrong is re-asked whole, with its errors.

    Args:
        llm: The run's LLM provider.
        local: The offline provider.
        columns: ``"meaning"`` or ``"all"`` (``ModelConfig.llm_columns``).
    """

    def __init__(self, llm: Provider, local: Provider, columns: str = "meaning") -> None:
        self.llm = llm
        self.local = local
        self.columns = columns
        self.name = llm.name
        self.concurrency = llm.concurrency
        self.max_reasks = llm.max_reasks

    def batch_size(self, table: Table, columns: Sequence[str]) -> int:
        """The LLM's batch size for the columns it is asked for."""
        asked = meaning_columns(table, columns) if self.columns == "meaning" else columns
        return self.llm.batch_size(table, asked or columns)

    def profiler(self) -> LLMProvider | None:
        """The LLM's (profile mode)."""
        return self.llm.profiler()

    @contextmanager
    def run_scope(self) -> Iterator[Any]:
        """The LLM's run scope (its deadline)."""
        with self.llm.run_scope() as scope:
            yield scope

    async def aclose(self) -> None:
        """Close both providers' connections."""
        await self.llm.aclose()
        await self.local.aclose()

    async def fill_batch(self, request: FillRequest) -> BatchResult:
        """The request's columns: drawn, written by the LLM, then drawn from what it wrote."""
        table = request.table
        wanted = list(request.columns)
        asked = wanted if self.columns == "all" else list(meaning_columns(table, wanted))
        if not asked:
            return await self.local.fill_batch(request)
        if asked == wanted:
            return await self.llm.fill_batch(_spoken(request))
        late = sorted(_built_from(table, [c for c in wanted if c not in asked], asked))
        first = [c for c in wanted if c not in asked and c not in late]
        frame = request.context.reset_index(drop=True).copy()
        if frame.empty and len(frame.columns) == 0:
            frame = pd.DataFrame(index=pd.RangeIndex(request.n))
        await self._draw(request, first, frame)
        sub = replace(request, columns=tuple(asked), context=frame.copy())
        result = await self.llm.fill_batch(_spoken(sub))
        answer = check(sub, result)
        for name in asked:
            frame[name] = pd.Series(answer.values[name], dtype=object)
        await self._draw(request, late, frame)
        rows: list[Any] = [
            {name: _plain(frame.at[i, name]) for name in wanted} for i in range(request.n)
        ]
        for i, reasons in answer.refused.items():
            # A text row is refused by the engine's check with that text: the model's errors.
            rows[i] = "; ".join(reasons)
        return BatchResult(
            rows=rows,
            usage=result.usage,
            raw=result.raw,
            truncated=result.truncated,
            fixed=answer.fixed,
        )

    async def _draw(self, request: FillRequest, columns: list[str], frame: pd.DataFrame) -> None:
        if not columns:
            return
        sub = replace(request, columns=tuple(columns), context=frame.copy())
        got = await self.local.fill_batch(sub)
        for name in columns:
            frame[name] = pd.Series(list(got.values[name]), dtype=object)


def _plain(value: Any) -> Any:
    """A drawn value as a reply would hold it (NULL markers as None)."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _built_from(table: Table, local: list[str], asked: list[str]) -> set[str]:
    """The local columns whose values the offline engine builds from an LLM column."""
    written = {infer_semantic(table.column(c), table) for c in asked}
    built = {c: BUILT_FROM.get(infer_semantic(table.column(c), table), ()) for c in local}
    return {c for c in local if written & set(built[c])}


def _spoken(request: FillRequest) -> FillRequest:
    """``request`` with only the context worth its tokens.

    No identifier, contact detail, date or column without a value yet, in the row's values and
    in its parents' rows (whose keys stay, to match them).
    """
    table = request.table
    keep = [c for c in request.context.columns if _spoken_column(table, request.context, str(c))]
    parents = {}
    for index, frame in request.parents.items():
        fk = table.foreign_keys[index]
        shown = Table(key=fk.ref_table, name=fk.ref_table, columns=())
        parents[index] = frame[
            [c for c in frame.columns if c in fk.ref_columns or _spoken_column(shown, frame, c)]
        ]
    return replace(request, context=request.context[keep], parents=parents)


def _spoken_column(table: Table, frame: pd.DataFrame, name: str) -> bool:
    column = table.column(name) if table.has_column(name) else Column(name, "string")
    if infer_semantic(column, table) in UNSPOKEN:
        return False
    values = frame[name].dropna()
    # Dates and times: a name or a description seldom depends on them, and they are long.
    return not values.empty and not isinstance(values.iloc[0], date | time | pd.Timestamp)
