"""Asking a provider for a table's rows: the rows kind of :mod:`syda.asking`, and their check.

:func:`ask` cuts a request into the provider's ``batch_size`` and sends the batches through
:func:`syda.asking.ask` (each holds one of the run's ``concurrency`` slots, one
:class:`asyncio.Semaphore` shared by every table and every profile call of the run; a reply the
token limit cut off is asked again in two halves), and checks every reply in one place
(:func:`check`): raw rows a model wrote are validated by the pydantic row model, and the rows
it got wrong come back *refused*, with their problems, for the one re-ask loop
(:func:`syda.asking.until_valid`, run on rows by :func:`syda.repair.provide`) to ask again
with :func:`reask`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from syda import asking
from syda.errors import GenerationError
from syda.providers.base import BatchResult, BatchUsage, FillRequest, Provider
from syda.providers.mechanical import fix_bounds, fix_order
from syda.schema.ir import Table
from syda.validation import validate_rows

__all__ = ["Answer", "Asker", "as_series", "ask", "asker", "check", "reask", "text_or_series"]

logger = logging.getLogger("syda")


@dataclass
class Answer:
    """Checked values of some rows: ``n`` per column, and the rows that were refused.

    Attributes:
        values: Per column, one value per row (a refused row's are None).
        refused: The problems of each refused row, by its position in the request.
        usage: What the batches cost.
        raw: The text of the last reply (evidence for an error), if a model wrote one.
        fixed: Values fixed locally instead of re-asked (:mod:`syda.providers.mechanical`),
            how many by rule.
    """

    values: dict[str, Any]
    refused: dict[int, list[str]] = field(default_factory=dict)
    usage: BatchUsage = field(default_factory=BatchUsage)
    raw: str | None = None
    fixed: Counter[str] = field(default_factory=Counter)


Asker = Callable[[FillRequest], Awaitable[Answer]]
"""What the re-ask loop calls to have rows filled (and checked)."""


def asker(provider: Provider, slots: asyncio.Semaphore) -> Asker:
    """:func:`ask` bound to ``provider`` and the run's slots."""

    async def bound(request: FillRequest) -> Answer:
        return await ask(provider, request, slots)

    return bound


async def ask(provider: Provider, request: FillRequest, slots: asyncio.Semaphore) -> Answer:
    """Fill ``request`` in batches of the provider's size, concurrently under ``slots``.

    Raises:
        GenerationError: If a call fails for good (the provider raises it).
    """
    if request.n == 0 or not request.columns:
        return Answer({c: [] for c in request.columns})
    return await asking.ask(_Rows(provider), request, slots)


@dataclass(frozen=True)
class _Rows:
    """Rows as a kind of request (:class:`syda.asking.Kind`): cut by rows, checked by row."""

    provider: Provider

    def units(self, request: FillRequest) -> int:
        return request.n

    def split(self, request: FillRequest) -> list[FillRequest]:
        size = max(1, self.provider.batch_size(request.table, request.columns))
        if size >= request.n:
            return [request]
        return [_part(request, a, min(a + size, request.n)) for a in range(0, request.n, size)]

    def halve(self, request: FillRequest) -> list[FillRequest]:
        half = request.n // 2
        return [_part(request, 0, half), _part(request, half, request.n)]

    async def send(self, request: FillRequest) -> BatchResult:
        return await self.provider.fill_batch(request)

    def check(self, request: FillRequest, sent: BatchResult) -> Answer:
        if sent.rows is not None:
            logger.info(
                "%s: %d rows written by the model",
                request.table.key,
                request.n,
                extra={"syda_progress": True, "syda_table": request.table.key},
            )
        return check(request, sent)

    def join(
        self, parts: Sequence[FillRequest], answers: Sequence[Answer], usage: BatchUsage
    ) -> Answer:
        joined = _joined(parts[0].columns, answers, [p.n for p in parts])
        joined.usage = usage + joined.usage
        return joined


def check(request: FillRequest, result: BatchResult) -> Answer:
    """The one check of a reply: values vouched for are taken, raw rows are validated.

    Raises:
        GenerationError: If a provider vouches for another number of values than asked.
    """
    columns, n = request.columns, request.n
    earlier = Counter(result.fixed)
    if result.rows is None and result.problem is None:
        values = {c: as_series(result.values[c], n, request.table, c) for c in columns}
        return Answer(values, usage=result.usage, raw=result.raw, fixed=earlier)
    refused: dict[int, list[str]] = {}
    out: dict[str, list[Any]] = {c: [None] * n for c in columns}
    rows = result.rows
    if result.problem is not None or not isinstance(rows, Sequence) or isinstance(rows, str):
        note = "the reply was cut off" if result.truncated else (result.problem or "no rows")
        return Answer(out, {i: [note] for i in range(n)}, result.usage, result.raw, earlier)
    table = request.table
    decoded = [_decode(table, r) if isinstance(r, dict) else r for r in rows[:n]]
    # What needs no judgement (a number past its bound, a text past its length) is fixed here
    # rather than paid for with a re-ask.
    bounded = fix_bounds(table, columns, decoded)
    valid, errors = validate_rows(table, decoded, columns)
    for e in errors:
        refused.setdefault(e.index, []).append(f"{e.column}: {e.message}")
    for pos, row in enumerate(decoded):
        if isinstance(row, str):  # a compact row of the wrong length says so, not "object"
            refused[pos] = [row]
    # A fix counts only on a row that is kept: a refused row is asked again all the same.
    fixed = [f for f in bounded if f.row not in refused]
    good = iter(valid)
    for i in range(n):
        if i >= len(decoded):
            refused[i] = [f"missing: the reply had {len(decoded)} rows, {n} asked"]
        elif i not in refused:
            row = next(good)
            fixed += fix_order(table, columns, row)  # two values in the wrong order: swapped
            for c in columns:
                out[c][i] = row[c]
    if fixed:
        shown = "; ".join(f.note for f in fixed[:5])
        shown += f" and {len(fixed) - 5} more" if len(fixed) > 5 else ""
        logger.info("%s: fixed locally, not re-asked: %s", table.key, shown)
    return Answer(out, refused, result.usage, result.raw, earlier + Counter(f.rule for f in fixed))


def reask(
    first: FillRequest,
    rows: np.ndarray[Any, Any],
    errors: Mapping[int, Sequence[str]],
    *,
    taken: Mapping[str, pd.Series[Any]],
    attempt: int,
    offset: int,
    context: pd.DataFrame,
) -> FillRequest:
    """The next request, from the first one: only ``rows`` (table positions), with their errors.

    A pure function of what went wrong: ``errors`` by table position, ``taken`` the unique
    values the kept rows (and existing ones) hold, ``context`` the table's other columns now.
    """
    return replace(
        first,
        n=len(rows),
        context=context.iloc[rows].reset_index(drop=True),
        parents={i: p.iloc[rows].reset_index(drop=True) for i, p in first.parents.items()},
        row_offset=offset,
        taken=taken,
        errors={pos: tuple(errors[i]) for pos, i in enumerate(rows) if i in errors},
        attempt=attempt,
    )


def _part(request: FillRequest, start: int, stop: int) -> FillRequest:
    """Rows ``start:stop`` of a request."""
    context = request.context
    sliced = context.iloc[start:stop].reset_index(drop=True) if len(context.columns) else context
    return replace(
        request,
        n=stop - start,
        context=sliced,
        parents={i: p.iloc[start:stop].reset_index(drop=True) for i, p in request.parents.items()},
        row_offset=request.row_offset + start,
        errors={i - start: e for i, e in request.errors.items() if start <= i < stop},
    )


def _joined(columns: Sequence[str], answers: Sequence[Answer], sizes: Sequence[int]) -> Answer:
    """Answers of consecutive parts as one."""
    values: dict[str, Any] = {}
    for c in columns:
        parts = [a.values[c] for a in answers]
        if all(isinstance(p, list) for p in parts):
            values[c] = [v for p in parts for v in p]
        else:
            values[c] = pd.concat([pd.Series(p, dtype=object) for p in parts], ignore_index=True)
    refused: dict[int, list[str]] = {}
    usage = BatchUsage()
    raw = None
    fixed: Counter[str] = Counter()
    start = 0
    for answer, size in zip(answers, sizes, strict=True):
        refused.update({start + i: e for i, e in answer.refused.items()})
        usage = usage + answer.usage
        raw = answer.raw if answer.raw is not None else raw
        fixed.update(answer.fixed)
        start += size
    return Answer(values, refused, usage, raw, fixed)


def as_series(values: Any, n: int, table: Table, column: str) -> pd.Series[Any]:
    """A provider's values for ``column`` as a fresh-indexed series of exactly ``n`` values.

    Raises:
        GenerationError: If the provider returned another number of values.
    """
    series = values if isinstance(values, pd.Series) else text_or_series(values)
    if len(series) != n:
        raise GenerationError(
            f"provider returned {len(series)} values, {n} asked",
            table=table.key,
            column=column,
            rule="row_count",
        )
    return series.reset_index(drop=True)


_TEXT = pd.Series(["text"]).dtype  # what pandas makes of text: Arrow-backed where installed


def text_or_series(values: Any) -> pd.Series[Any]:
    """``pd.Series(values)``, taking a faster road for an object array of text.

    pandas checks every value of an object array in Python before handing it to Arrow; Arrow
    checks them in C (about half the time a text column of a chunk spends here). Whatever is
    not all text (numbers, bytes, dates, all NULL) goes the usual way, so the dtype is the one
    pandas would infer.
    """
    if (
        getattr(_TEXT, "storage", None) == "pyarrow"
        and isinstance(values, np.ndarray)
        and (values.dtype == object)
    ):
        import pyarrow as pa

        try:
            arrow = pa.array(values, from_pandas=True)
        except (TypeError, ValueError):  # mixed types: Arrow's errors derive from both
            arrow = None
        if arrow is not None and pa.types.is_string(arrow.type):
            return pd.Series(pd.array(arrow, dtype=_TEXT))
    return pd.Series(values)


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
            try:
                out[name] = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                pass
    return out
