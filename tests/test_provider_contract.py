"""The provider contract: a provider fills one batch; the engine does everything else.

Providers of one's own, through the public API: the engine honours the ``batch_size`` and
``concurrency`` they declare (one limit over every table of the run), sums the usage their
results carry into the report, validates the raw rows they return and re-asks the refused ones
with their errors, and never asks a provider for a key.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from syda import (
    BatchResult,
    BatchUsage,
    ConfigurationError,
    FillRequest,
    GenerationError,
    OfflineProvider,
    Provider,
    SyntheticDataGenerator,
)
from syda.providers.testing import ScriptedProvider
from syda.schema.ir import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from crm_models import MODELS

CONTACTS = {
    "full_name": {"type": "varchar(60)"},
    "email": {"type": "varchar(80)", "unique": True},
}
SIZES = {"Customer": 7, "Contact": 10, "Product": 5, "Order": 8, "OrderItem": 12}


class Batched(Provider):
    """Offline values, three rows a batch, two batches at once; each batch costs a call."""

    name = "batched"
    concurrency = 2

    def __init__(self) -> None:
        self.inner = OfflineProvider(seed=0)
        self.requests: list[FillRequest] = []
        self.in_flight = 0
        self.most = 0

    def batch_size(self, table: Table, columns: Sequence[str]) -> int:
        return 3

    async def fill_batch(self, request: FillRequest) -> BatchResult:
        self.requests.append(request)
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        await asyncio.sleep(0)  # a network call would hand the loop to the other batches here
        self.in_flight -= 1
        usage = BatchUsage(calls=1, input_tokens=100, output_tokens=request.n)
        return BatchResult(values=self.inner.fill(request), usage=usage)


def test_the_engine_honours_the_declared_batch_size_and_concurrency() -> None:
    provider = Batched()
    gen = SyntheticDataGenerator(provider=provider, seed=1)
    frames = gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    assert {key: len(frames[key]) for key in SIZES} == SIZES
    assert max(r.n for r in provider.requests) == 3
    # Two root tables run at once, yet never more than two batches are in flight in all.
    assert provider.most == 2
    report = gen.last_report
    assert report is not None
    assert sum(t.provider_calls for t in report.tables.values()) == len(provider.requests)
    assert report.output_tokens == sum(r.n for r in provider.requests)
    assert report.input_tokens == 100 * len(provider.requests)
    # Keys and foreign keys are never a provider's to fill.
    for request in provider.requests:
        assert "id" not in request.columns and "customer_id" not in request.columns


class Sloppy(Provider):
    """Returns raw rows, as a model would; the first reply for a table has a bad email."""

    name = "sloppy"

    def __init__(self) -> None:
        self.inner = OfflineProvider(seed=0)
        self.requests: list[FillRequest] = []

    async def fill_batch(self, request: FillRequest) -> BatchResult:
        self.requests.append(request)
        values = self.inner.fill(request)
        frame = pd.DataFrame({c: pd.Series(v) for c, v in values.items()}).astype(object)
        rows: list[dict[str, Any]] = frame.where(frame.notna(), None).to_dict("records")
        if len(self.requests) == 1:
            rows[0]["email"] = 12  # not text
            rows = rows[:-1]  # and one row short
        return BatchResult(rows=rows, raw="(the reply)")


def test_raw_rows_are_validated_and_the_refused_ones_asked_again_with_their_errors() -> None:
    provider = Sloppy()
    gen = SyntheticDataGenerator(provider=provider, seed=1)
    df = gen.generate_data(schema=CONTACTS, sample_size=6)
    assert isinstance(df, pd.DataFrame) and len(df) == 6
    assert df["email"].map(lambda v: isinstance(v, str)).all() and df["email"].is_unique
    first, second = provider.requests
    assert first.n == 6 and second.n == 2 and second.attempt == 1
    problems = [message for errors in second.errors.values() for message in errors]
    assert any(m.startswith("email:") for m in problems)
    assert any("missing" in m for m in problems)
    report = gen.last_report
    assert report is not None and [t.reasks for t in report.tables.values()] == [1]


def test_rows_still_refused_when_the_budget_is_spent_carry_the_evidence() -> None:
    class Hopeless(Sloppy):
        max_reasks = 2

        async def fill_batch(self, request: FillRequest) -> BatchResult:
            self.requests.append(request)
            return BatchResult(problem="invalid JSON (no rows)", raw="{not json")

    provider = Hopeless()
    gen = SyntheticDataGenerator(provider=provider, seed=1)
    with pytest.raises(GenerationError) as info:
        gen.generate_data(schema=CONTACTS, sample_size=4)
    err = info.value
    assert err.rule == "llm_rows" and err.attempts == 3 and len(provider.requests) == 3
    assert err.last_raw == "{not json" and "4 rows still invalid or missing" in str(err)


def test_an_object_that_is_no_provider_is_refused_at_once() -> None:
    class Old:
        name = "old"

        def fill(self, request: FillRequest) -> Any:
            return {}

    with pytest.raises(ConfigurationError, match="subclass it and implement fill_batch"):
        SyntheticDataGenerator(provider=Old())  # type: ignore[arg-type]


def test_the_shipped_double_sees_batches_and_is_closed_when_the_run_fails() -> None:
    offline = OfflineProvider(seed=0)

    def answer(request: FillRequest) -> BatchResult | BaseException:
        if request.table.key == "Order":
            return GenerationError("the service is down", table="Order", rule="provider_call")
        return BatchResult(values=offline.fill(request))

    provider = ScriptedProvider(answer, batch_size=4, concurrency=3)
    with pytest.raises(GenerationError, match="the service is down"):
        SyntheticDataGenerator(provider=provider, seed=1).generate_related_data(
            models=MODELS, sample_sizes=SIZES
        )
    assert provider.closed
    asked = {r.table.key for r in provider.requests}
    assert {"Customer", "Product", "Order"} <= asked and "OrderItem" not in asked
    assert max(r.n for r in provider.requests) == 4
