"""Profile mode end to end through the real SDK clients, for OpenAI and Anthropic, on cassettes.

``ModelConfig(mode="profile")`` asks the LLM once per table for the table's profile; the engine
then draws every row locally. Each test runs the CRM example (``examples/crm_models.py``) and
checks what a user would: exactly the rows asked for, every constraint of the schema holding,
one call per table (plus the re-asks and retries of faults), no request ever asking about a key,
a foreign key or a column a custom generator fills, and the rows drawn from what the LLM wrote
(each categorical column holds only values of the vocabulary in the recorded reply).

The stand-in answers profile requests with a profile derived from the request's own schema
(``tests/support/standin_profile.py``). The fault test is recorded with every kind of fault met
once, by call index (429, 500, malformed JSON, a profile breaking the CHECK of
``OrderItem.discount_pct``, wrong types, a reply cut off, columns left out): the re-asks carry
the exact problems and repair them.

Re-record: ``.venv/bin/pytest tests/providers/test_profile_llm.py --record-mode=rewrite``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from vcr.cassette import Cassette

from syda import ModelConfig, SyntheticDataGenerator, load_schema
from syda.report import RunReport
from syda.validation import check_dataset
from tests.support.recording import Endpoints

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
from crm_models import MODELS

SCHEMA = load_schema(MODELS)
SIZES = {"Customer": 40, "Contact": 100, "Product": 12, "Order": 150, "OrderItem": 300}
PROMPTS = {
    "Customer": "Diverse B2B SaaS customer organizations across industries.",
    "Product": "Cloud software products, support plans and consulting packages.",
}
PROVIDERS = ("openai", "anthropic")
FAULTS = (
    "bad_profile",
    "rate_limit",
    "server_error",
    "malformed_json",
    "wrong_type",
    "truncated",
    "missing_field",
)
"""Every kind met once, one released per call (:meth:`~tests.support.standin.StandIn.schedule`);
``bad_profile`` first, so OrderItem's first profile breaks its CHECK (discount_pct BETWEEN 0
AND 50)."""
# Keys, foreign keys, the custom generator's column and the flag exactly_one fills.
NOT_ASKED = {
    "Customer": {"id", "status"},
    "Contact": {"id", "customer_id", "is_primary"},
    "Product": {"id"},
    "Order": {"id", "customer_id"},
    "OrderItem": {"id", "order_id", "line_no", "product_id"},
}
_TABLE = re.compile(r"^Table \S+ \((\w+)\)$", re.MULTILINE)
_COLUMN = re.compile(r"^- (\w+) \(", re.MULTILINE)


def customer_status(row: Mapping[str, Any], column: str) -> str:
    return "Active" if row["id"] % 5 else "Prospect"


def generator(endpoints: Endpoints, provider: str) -> SyntheticDataGenerator:
    if provider == "openai":
        url, key, model = endpoints.openai_base_url, endpoints.openai_api_key, "gpt-4o-mini"
    else:
        url, key, model = (
            endpoints.anthropic_base_url,
            endpoints.anthropic_api_key,
            "claude-haiku-4-5",
        )
    config = ModelConfig(
        provider=provider,  # type: ignore[arg-type]
        model_name=model,
        base_url=url,
        api_key=key,
        mode="profile",
    )
    return SyntheticDataGenerator(config, seed=0)


def run_crm(gen: SyntheticDataGenerator) -> tuple[dict[str, pd.DataFrame], RunReport]:
    frames = gen.generate_related_data(
        MODELS,
        sample_sizes=SIZES,
        prompts=PROMPTS,
        custom_generators={"Customer": {"status": customer_status}},
    )
    assert gen.last_report is not None
    return frames, gen.last_report


def request_parts(provider: str, body: Mapping[str, Any]) -> tuple[str, dict[str, Any], str]:
    """(table key, reply schema, user prompt) of one recorded request."""
    if provider == "openai":
        schema = body["response_format"]["json_schema"]["schema"]
        assert body["response_format"]["json_schema"]["strict"] is True
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    else:
        # Native JSON-schema output (the installed SDK has it), not a forced tool call.
        assert "tools" not in body and body["output_config"]["format"]["type"] == "json_schema"
        assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
        schema = body["output_config"]["format"]["schema"]
        (message,) = body["messages"]
        user = message["content"]
    found = _TABLE.search(user)
    assert found, user[:200]
    return found.group(1), schema, user


def reply_data(provider: str, response: Mapping[str, Any]) -> Any:
    body = json.loads(response["body"]["string"])
    if provider == "openai":
        return json.loads(body["choices"][0]["message"]["content"])
    return json.loads(next(b["text"] for b in body["content"] if b["type"] == "text"))


def check_requests(provider: str, cassette: Cassette, report: RunReport) -> dict[str, int]:
    """Every request is a profile request for value columns only; returns calls per table."""
    calls: dict[str, int] = {}
    for request in cassette.requests:
        table, schema, user = request_parts(provider, json.loads(request.body))
        # The table keys are asked once; a re-ask of columns only has "columns".
        assert set(schema["properties"]) in ({"columns", "stages", "exactly_one"}, {"columns"})
        listed = _COLUMN.findall(user.split("Columns to profile:\n", 1)[1].split("\n\n", 1)[0])
        enum = schema["properties"]["columns"]["items"]["properties"]["column"]["enum"]
        assert listed == enum and listed, (table, listed, enum)
        assert not set(listed) & NOT_ASKED[table], (table, listed)
        assert "Return exactly" not in user  # never a row
        calls[table] = calls.get(table, 0) + 1
    assert report.provider_calls == len(cassette.requests)
    if cassette.write_protected:
        assert cassette.all_played
    return calls


def vocabularies(provider: str, cassette: Cassette) -> dict[tuple[str, str], set[Any]]:
    """The last vocabulary each (table, column) got in a well-formed 200 reply."""
    found: dict[tuple[str, str], set[Any]] = {}
    for request, response in zip(cassette.requests, cassette.responses, strict=True):
        if response["status"]["code"] != 200:
            continue
        table = request_parts(provider, json.loads(request.body))[0]
        try:
            data = reply_data(provider, response)
            columns = data["columns"]
            items = [c for c in columns if isinstance(c, dict) and c.get("values")]
        except (ValueError, TypeError, KeyError):
            continue
        for item in items:
            found[(table, item["column"])] = {v["value"] for v in item["values"]}
    return found


def check_crm(frames: Mapping[str, pd.DataFrame], report: RunReport) -> None:
    assert {k: len(f) for k, f in frames.items()} == SIZES
    assert check_dataset(SCHEMA, frames, expected=SIZES) == []
    assert frames["Customer"]["status"].tolist() == [
        customer_status({"id": i}, "status") for i in frames["Customer"]["id"]
    ]
    assert report.output_tokens > 0 and (report.cost_usd or 0) > 0


@pytest.mark.vcr
@pytest.mark.parametrize("provider", PROVIDERS)
def test_profile_mode_end_to_end(provider: str, llm_endpoints: Endpoints, vcr: Cassette) -> None:
    frames, report = run_crm(generator(llm_endpoints, provider))
    check_crm(frames, report)
    calls = check_requests(provider, vcr, report)
    assert calls == dict.fromkeys(SIZES, 1), "one call per table, whatever its rows"
    assert report.reasks == 0
    # The rows are drawn from the LLM's profile: each vocabulary holds every value drawn.
    vocab = vocabularies(provider, vcr)
    assert ("Customer", "industry") in vocab and ("Product", "name") in vocab
    for (table, column), values in vocab.items():
        drawn = set(frames[table][column].dropna())
        assert drawn <= values, (table, column, sorted(drawn - values)[:5])
        assert len(drawn) > 1


@pytest.mark.vcr
@pytest.mark.standin_only
@pytest.mark.parametrize("provider", PROVIDERS)
def test_profile_mode_repairs_faults(
    provider: str, llm_endpoints: Endpoints, vcr: Cassette
) -> None:
    """Every kind of fault, by call index; the re-asks carry the exact problems and repair."""
    llm_endpoints.schedule(FAULTS)
    frames, report = run_crm(generator(llm_endpoints, provider))
    check_crm(frames, report)
    check_requests(provider, vcr, report)
    assert report.reasks > 0
    statuses = {int(r["status"]["code"]) for r in vcr.responses}
    assert {200, 429, 500} <= statuses
    users = [request_parts(provider, json.loads(r.body))[2] for r in vcr.requests]
    reasks = [u for u in users if "Your previous answer was rejected:" in u]
    # The CHECK discount_pct BETWEEN 0 AND 50 was broken by a max of 90, and said so exactly.
    assert any(
        "OrderItem.discount_pct" in u and "50" in u.split("rejected:", 1)[1] for u in reasks
    ), reasks
    assert any("not valid JSON" in u or "no spec was given" in u for u in reasks)
    assert frames["OrderItem"]["discount_pct"].max() <= 50
    if llm_endpoints.mode == "standin":
        faults = [r.fault for r in llm_endpoints.standin.requests if r.fault]
        assert sorted(faults) == sorted(FAULTS), faults
