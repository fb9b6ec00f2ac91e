"""The shared LLM runner, through the public API, with the contract's test double.

No network: ``ScriptedClient`` answers with rows written by the offline provider, and the tests
inject the faults a real model or API produces (bad JSON, wrong types, duplicates, missing rows,
rate limits, truncation) to check that syda still returns exactly the rows asked for.
"""

from __future__ import annotations

import json
import logging
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from syda import (
    ConfigurationError,
    FillRequest,
    GenerationError,
    LLMProvider,
    LLMRequest,
    LLMResponse,
    ModelConfig,
    OfflineProvider,
    Schema,
    SyntheticDataGenerator,
    Usage,
    load_schema,
)
from syda.providers.testing import ScriptedClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from crm_models import MODELS

SCHEMA = load_schema(MODELS)
KEY = "test-key-not-a-real-one-0123456789"


def _json_default(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def offline_reply(schema: Schema, request: LLMRequest) -> str:
    """What a well-behaved model would answer: the asked columns, the asked number of rows."""
    table = schema.table(request.schema_name)
    columns = request.columns
    rng = np.random.default_rng(zlib.crc32(request.user.encode()))
    values = OfflineProvider(seed=0).fill(
        FillRequest(table=table, columns=columns, n=request.rows, rng=rng)
    )
    frame = pd.DataFrame({c: pd.Series(v) for c, v in values.items()}).astype(object)
    rows = frame.where(frame.notna(), None).to_dict("records")
    return json.dumps({"rows": rows}, default=_json_default)


class RateLimited(Exception):
    """Shaped like an SDK's 429 error: a status code and response headers."""

    status_code = 429

    def __init__(self) -> None:
        super().__init__("rate limited")
        self.response = SimpleNamespace(headers={"retry-after": "0"})


def make_generator(
    responder: Callable[[LLMRequest], Any], **config: Any
) -> tuple[SyntheticDataGenerator, ScriptedClient]:
    client = ScriptedClient(responder)
    # The runner's own behaviour is tested on every column; mixed tables: test_llm_rows_compact.
    config.setdefault("llm_columns", "all")
    cfg = ModelConfig(provider="openai", api_key=KEY, **config)
    provider = LLMProvider(cfg, client_factory=lambda _: client)
    return SyntheticDataGenerator(provider=provider, seed=1), client


def well_behaved(request: LLMRequest) -> str:
    return offline_reply(SCHEMA, request)


def assert_crm_is_whole(results: dict[str, pd.DataFrame], sizes: dict[str, int]) -> None:
    assert {k: len(results[k]) for k in sizes} == sizes
    for child, fk, parent in [
        ("Contact", "customer_id", "Customer"),
        ("Order", "customer_id", "Customer"),
        ("OrderItem", "order_id", "Order"),
        ("OrderItem", "product_id", "Product"),
    ]:
        assert results[child][fk].isin(results[parent]["id"]).all()
    assert results["Contact"]["email"].is_unique


SIZES = {"Customer": 8, "Contact": 20, "Product": 6, "Order": 15, "OrderItem": 30}


def test_llm_rows_fill_the_crm_schema_and_the_client_is_closed() -> None:
    gen, client = make_generator(well_behaved)
    results = gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    assert_crm_is_whole(results, SIZES)
    assert client.closed


def test_faults_are_repaired_until_the_counts_are_exact() -> None:
    # Faults are counted per table, and only a table's first calls are faulty: tables run
    # concurrently, and a counter shared by all of them could hand one batch a fault on every
    # re-ask, depending on the schedule, and spend its budget.
    calls: dict[str, int] = {}

    def flaky(request: LLMRequest) -> Any:
        calls[request.schema_name] = n = calls.get(request.schema_name, 0) + 1
        good = json.loads(well_behaved(request))
        kind = n % 6 if n <= 4 else 0
        if kind == 1:
            return "{not json"
        if kind == 2 and len(good["rows"]) > 1:
            good["rows"][0][
                "email" if "email" in good["rows"][0] else next(iter(good["rows"][0]))
            ] = 12
            return json.dumps(good)
        if kind == 3:
            good["rows"] = good["rows"][:-1]  # one row missing
            return json.dumps(good)
        if kind == 4:
            return RateLimited()
        return json.dumps(good)

    gen, _ = make_generator(flaky, max_tokens=400)
    results = gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    assert_crm_is_whole(results, SIZES)
    report = gen.last_report
    assert report is not None
    assert sum(t.reasks for t in report.tables.values()) > 0


def test_duplicates_across_batches_are_re_asked() -> None:
    seen: list[str] = []

    def repeats_first_email(request: LLMRequest) -> str:
        good = json.loads(well_behaved(request))
        if request.schema_name == "Contact":
            if not seen:
                seen.append(good["rows"][0]["email"])
            elif "is already used" not in request.user:
                good["rows"][0]["email"] = seen[0]  # a value an earlier batch already used
        return json.dumps(good)

    gen, client = make_generator(repeats_first_email, max_tokens=300)
    results = gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    assert results["Contact"]["email"].is_unique
    assert len(results["Contact"]) == SIZES["Contact"]
    assert any("is already used" in r.user for r in client.requests)


def test_a_truncated_reply_splits_the_batch() -> None:
    def truncates_big_batches(request: LLMRequest) -> Any:
        text = well_behaved(request)
        if request.rows > 2:
            return LLMResponse(text=text[: len(text) // 2], usage=Usage(10, 10), truncated=True)
        return text

    gen, client = make_generator(truncates_big_batches)
    results = gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    assert_crm_is_whole(results, SIZES)
    assert max(r.rows for r in client.requests if r.rows <= 2) <= 2


def test_giving_up_carries_the_evidence_and_never_the_key() -> None:
    gen, _ = make_generator(lambda request: '{"rows": "nope"}', max_reasks=2)
    with pytest.raises(GenerationError) as info:
        gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    err = info.value
    assert err.table in {"Customer", "Product"}  # the two root tables run at once
    assert err.attempts == 3
    assert err.last_raw == '{"rows": "nope"}'
    assert err.usage["output_tokens"] > 0
    assert KEY not in str(err)


def test_a_persistent_rate_limit_ends_in_a_clear_error() -> None:
    gen, client = make_generator(lambda request: RateLimited(), max_retries=3)
    with pytest.raises(GenerationError, match="after 3 attempts") as info:
        gen.generate_data(schema=MODELS[0], sample_size=3)
    assert info.value.rule == "provider_call"
    assert len(client.requests) == 3


def test_batches_follow_the_token_limit() -> None:
    small, small_client = make_generator(well_behaved, max_tokens=300)
    big, big_client = make_generator(well_behaved, max_tokens=8000)
    small.generate_data(schema=MODELS[0], sample_size=60)
    big.generate_data(schema=MODELS[0], sample_size=60)
    assert len(small_client.requests) > len(big_client.requests) >= 1
    assert sum(r.rows for r in big_client.requests) == 60


def test_report_has_tokens_and_cost() -> None:
    gen, _ = make_generator(well_behaved, model_name="gpt-4o-mini")
    gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    report = gen.last_report
    assert report is not None
    assert report.output_tokens > 0 and report.input_tokens > 0
    assert report.cost_usd is not None and report.cost_usd > 0
    assert "tokens out" in report.summary()


def test_the_cache_makes_a_rerun_free_and_identical(tmp_path: Path) -> None:
    first, first_client = make_generator(well_behaved, cache_dir=tmp_path)
    a = first.generate_related_data(models=MODELS, sample_sizes=SIZES)
    second, second_client = make_generator(well_behaved, cache_dir=tmp_path)
    b = second.generate_related_data(models=MODELS, sample_sizes=SIZES)
    assert first_client.requests and not second_client.requests
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key])


def test_an_explicit_provider_without_a_key_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        SyntheticDataGenerator(ModelConfig(provider="openai"))
    with pytest.raises(ConfigurationError, match="ANTHROPIC_API_KEY"):
        SyntheticDataGenerator("anthropic")


def test_a_key_in_the_environment_picks_its_provider(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    with caplog.at_level(logging.INFO, logger="syda"):
        gen = SyntheticDataGenerator()
    assert gen.provider.name == "anthropic"
    assert "ANTHROPIC_API_KEY" in caplog.text
    assert KEY not in caplog.text
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    with caplog.at_level(logging.INFO, logger="syda"):
        assert SyntheticDataGenerator().provider.name == "offline"
    assert "offline" in caplog.text


def test_compile_prompt_lists_only_the_columns_to_write() -> None:
    gen = SyntheticDataGenerator()
    prompt = gen.compile_prompt(MODELS, "OrderItem", prompt="B2B orders", rows=5)
    assert "- quantity (" in prompt.system and "- discount_pct (" in prompt.system
    assert "Return exactly 5 rows" in prompt.user
    assert "B2B orders" in prompt.system  # a table's instructions are part of its shared prefix


def test_the_environment_can_configure_the_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYDA_PROVIDER", "openai")
    monkeypatch.setenv("SYDA_MODEL", "llama3.1")
    monkeypatch.setenv("SYDA_BASE_URL", "http://127.0.0.1:11434/v1")
    gen = SyntheticDataGenerator()
    assert isinstance(gen.provider, LLMProvider)
    assert gen.provider.config.model == "llama3.1"
    assert gen.provider.config.base_url == "http://127.0.0.1:11434/v1"
    monkeypatch.setenv("SYDA_PROVIDER", "gemini")
    with pytest.raises(ConfigurationError, match="unknown provider"):
        SyntheticDataGenerator()


def test_the_cache_keeps_equal_prompts_for_different_rows_apart(tmp_path: Path) -> None:
    # No keys, no context: every batch of this table has the same prompt.
    schema = {"name": {"type": "string", "length": 40, "unique": True}}
    counter = {"n": 0}

    def fresh_names(request: LLMRequest) -> str:
        counter["n"] += 1
        rows = [{"name": f"name-{counter['n']}-{i}"} for i in range(request.rows)]
        return json.dumps({"rows": rows})

    def run() -> tuple[pd.DataFrame, ScriptedClient]:
        client = ScriptedClient(fresh_names)
        cfg = ModelConfig(provider="openai", api_key=KEY, cache_dir=tmp_path, tokens_per_row=400)
        gen = SyntheticDataGenerator(provider=LLMProvider(cfg, client_factory=lambda _: client))
        df = gen.generate_data(schema=schema, sample_size=21)
        assert isinstance(df, pd.DataFrame)
        return df, client

    first, first_client = run()
    second, second_client = run()
    assert len(first_client.requests) > 1 and not second_client.requests
    assert first["name"].is_unique
    pd.testing.assert_frame_equal(first, second)


def test_a_key_from_the_environment_never_reaches_the_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "env-secret-0123456789abcdef"
    monkeypatch.setenv("OPENAI_API_KEY", secret)

    class Unauthorized(Exception):
        status_code = 401

    client = ScriptedClient(lambda request: Unauthorized(f"bad key {secret}"))
    provider = LLMProvider(ModelConfig(provider="openai"), client_factory=lambda _: client)
    with pytest.raises(GenerationError) as info:
        SyntheticDataGenerator(provider=provider).generate_data(schema=MODELS[0], sample_size=2)
    assert secret not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_each_run_reports_only_its_own_usage() -> None:
    gen, _ = make_generator(well_behaved)
    calls = []
    for _ in range(3):
        gen.generate_data(schema=MODELS[0], sample_size=4)
        assert gen.last_report is not None
        calls.append(gen.last_report.tables["Customer"].provider_calls)
    assert calls == [calls[0]] * 3
