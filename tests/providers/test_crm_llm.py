"""The CRM example end to end through the real SDK clients, for OpenAI and Anthropic, on cassettes.

Each test runs ``generate_related_data`` on the five CRM tables with ``provider="openai"`` (any
OpenAI-compatible server, through ``base_url``) and with ``provider="anthropic"``, and checks
what a user would: exactly the rows asked for, every foreign key pointing at a parent, unique
emails, every CHECK, length and NOT NULL holding, and no request ever asking for a key, a
foreign key or a column that a custom generator fills.

The end-to-end and fault tests ask the LLM for every value column (``llm_columns="all"``), so
every table's compact replies (one array per row) are exercised; ``test_crm_mixed_tables`` runs
the default, where the LLM writes only the meaning columns and the engine draws the rest.

``max_tokens`` is small, so every table takes several batches and the batches run concurrently;
the cassettes match on the request body, so replaying them also proves that syda sends the same
requests on every run (prompts, batches and re-asks do not depend on timing).

The fault test is recorded against the stand-in with every kind of fault met once, released by
call index (a row past a CHECK's bound, 429, 500, broken JSON, wrong types, a cut-off reply,
missing fields, duplicate unique values, short replies), whatever the prompts say; on replay the
cassette serves the same faults, in the order they were recorded.
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

from syda import LLMProvider, ModelConfig, SyntheticDataGenerator, load_schema
from syda.report import RunReport
from syda.validation import check_dataset
from tests.support.recording import Endpoints

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
from crm_models import MODELS

SCHEMA = load_schema(MODELS)
SIZES = {"Customer": 6, "Contact": 12, "Product": 5, "Order": 30, "OrderItem": 20}
PROMPTS = {
    "Customer": "Diverse B2B SaaS customer organizations across industries.",
    "Product": "Cloud software products, support plans and consulting packages.",
    "Contact": "Decision makers and day-to-day contacts; emails on the company's domain.",
    "OrderItem": "Unit prices close to the product's list price.",
}
MAX_TOKENS = 150
"""Small enough that every CRM table needs at least two batches (of compact rows)."""
FAULTS = (
    "breaks_check",
    "rate_limit",
    "server_error",
    "malformed_json",
    "wrong_type",
    "truncated",
    "missing_field",
    "duplicate_unique",
    "too_few_rows",
)
"""Every kind met once (:meth:`~tests.support.standin.StandIn.schedule`): a row past the bound of
a CHECK (``discount_pct BETWEEN 0 AND 50``; the product's price is drawn locally) first, to the
first request it fits."""
FAULT_EVERY = 3
"""A fault released every third call: a third of the calls faulty until every kind is met."""
# Keys and foreign keys are syda's; Customer.status belongs to a custom generator (as in
# examples/crm.py); the profile draws what inference specs: Order.status (a CHECK ... IN list)
# from its weighted values, order_date after the customer's creation, shipped_date after it
# (NULL unless shipped), and one primary contact per customer. None of them may ever be asked
# of the LLM.
NOT_ASKED = {
    "Customer": {"id", "status"},
    "Contact": {"id", "customer_id", "is_primary"},
    # price: scaled by its category (an inferred scale_by), drawn by the profile.
    "Product": {"id", "price"},
    "Order": {"id", "customer_id", "status", "order_date", "shipped_date"},
    # unit_price: the product's price, copied by the profile (an inferred from_parent).
    "OrderItem": {"id", "order_id", "line_no", "product_id", "unit_price"},
}
ASKED = {
    key: [c for c in SCHEMA.table(key).column_names if c not in NOT_ASKED[key]] for key in SIZES
}
MEANING = {
    "Customer": ["name", "industry"],
    "Contact": ["position"],
    "Product": ["name", "category", "description"],
}
"""What the LLM writes of a mixed table (``llm_columns="meaning"``): names, categories, text."""
PROVIDERS = ("openai", "anthropic")
_TABLE_LINE = re.compile(r"^Table \S+ \((\w+)\)$|^Table (\w+)$", re.MULTILINE)
_COLUMN_LINE = re.compile(r"^- (\w+) \(", re.MULTILINE)
_ROW_ORDER = re.compile(r"One array per row: \[(.*)\]\.")
_COLUMNS = "Columns to write, in this order in every row:\n"


def customer_status(row: Mapping[str, Any], column: str) -> str:
    """The example's custom generator: every fifth customer is a prospect."""
    return "Active" if row["id"] % 5 else "Prospect"


CUSTOM = {"Customer": {"status": customer_status}}


def generator(endpoints: Endpoints, provider: str, columns: str = "all") -> SyntheticDataGenerator:
    """A generator on ``provider``, pointed at this test's endpoint (stand-in, cassette or API)."""
    if provider == "openai":
        url, key, model = (
            endpoints.openai_base_url,
            endpoints.openai_api_key,
            endpoints.openai_model,
        )
    else:
        url, key, model = (
            endpoints.anthropic_base_url,
            endpoints.anthropic_api_key,
            endpoints.anthropic_model,
        )
    config = ModelConfig(
        provider=provider,  # type: ignore[arg-type]
        model_name=model,
        base_url=url,
        api_key=key,
        max_tokens=MAX_TOKENS,
        llm_columns=columns,  # type: ignore[arg-type]
    )
    return SyntheticDataGenerator(config, seed=0)


def run_crm(gen: SyntheticDataGenerator) -> tuple[dict[str, pd.DataFrame], RunReport]:
    results = gen.generate_related_data(
        models=MODELS, sample_sizes=SIZES, prompts=PROMPTS, custom_generators=CUSTOM
    )
    assert gen.last_report is not None
    return results, gen.last_report


def check_crm(
    results: Mapping[str, pd.DataFrame], report: RunReport, asked: Mapping[str, list[str]] = ASKED
) -> None:
    """Exactly the rows asked for, and every constraint of the schema holds."""
    assert {key: len(df) for key, df in results.items()} == SIZES
    assert {key: t.rows for key, t in report.tables.items()} == SIZES
    assert check_dataset(SCHEMA, results, expected=SIZES) == []
    customers, orders = set(results["Customer"]["id"]), set(results["Order"]["id"])
    assert set(results["Contact"]["customer_id"]) <= customers
    assert set(results["Order"]["customer_id"]) <= customers
    assert set(results["OrderItem"]["order_id"]) <= orders
    assert set(results["OrderItem"]["product_id"]) <= set(results["Product"]["id"])
    assert results["Contact"]["email"].is_unique
    assert results["Customer"]["name"].is_unique and results["Product"]["sku"].is_unique
    expected_status = ["Active" if i % 5 else "Prospect" for i in results["Customer"]["id"]]
    assert results["Customer"]["status"].tolist() == expected_status
    for key, df in results.items():
        # Every value the LLM was asked for is there where the column is NOT NULL.
        for name in asked.get(key, []):
            if not SCHEMA.table(key).column(name).nullable:
                assert df[name].notna().all(), f"{key}.{name} has NULLs"
        assert (report.tables[key].output_tokens > 0) == bool(asked.get(key))


def asked_columns(provider: str, body: Mapping[str, Any]) -> tuple[str, list[str], list[str]]:
    """(table key, row order of the reply schema, columns listed to write) of one request."""
    if provider == "openai":
        schema = body["response_format"]["json_schema"]["schema"]
        system = next(m["content"] for m in body["messages"] if m["role"] == "system")
    else:
        # Native JSON-schema output (the installed SDK has it), not a forced tool call.
        assert "tools" not in body and body["output_config"]["format"]["type"] == "json_schema"
        schema = body["output_config"]["format"]["schema"]
        # The shared prefix (rules, table, columns) is one system block marked for the cache.
        (block,) = body["system"]
        assert block["cache_control"] == {"type": "ephemeral"}
        system = block["text"]
    found = _TABLE_LINE.search(system)
    assert found, f"no table line in the prompt: {system[:200]!r}"
    table = found.group(1) or found.group(2)
    rows = schema["properties"]["rows"]
    assert rows["items"]["type"] == "array", "rows are asked as compact arrays"
    order = _ROW_ORDER.fullmatch(rows["description"])
    assert order is not None, rows["description"]
    listed = system.split(_COLUMNS, 1)[1].split("\n\n", 1)[0]
    return table, order.group(1).split(", "), _COLUMN_LINE.findall(listed)


def asked_user(provider: str, body: Mapping[str, Any]) -> str:
    """The user prompt of one request (what differs by batch: rows, errors, the count)."""
    if provider == "openai":
        return str(next(m["content"] for m in body["messages"] if m["role"] == "user"))
    content = body["messages"][0]["content"]
    return content if isinstance(content, str) else "".join(b["text"] for b in content)


def check_requests(
    provider: str,
    cassette: Cassette,
    report: RunReport,
    asked: Mapping[str, list[str]] = ASKED,
) -> None:
    """Every request asks for exactly the ``asked`` columns, and every call is in the cassette."""
    requests = cassette.requests
    assert requests, "nothing was recorded"
    path = "/v1/chat/completions" if provider == "openai" else "/v1/messages"
    tables: dict[str, int] = {}
    for request in requests:
        assert request.method == "POST" and request.path == path
        body = json.loads(request.body)
        table, properties, listed = asked_columns(provider, body)
        assert properties == asked[table], f"{table} asked for {properties}"
        assert listed == asked[table], f"{table}'s prompt lists {listed}"
        assert body["max_tokens" if provider == "anthropic" else "max_completion_tokens"] == (
            MAX_TOKENS
        )
        tables[table] = tables.get(table, 0) + 1
    # Several batches per table: batching (and so concurrency) is exercised.
    assert all(tables[key] >= 2 for key in asked), tables
    assert set(tables) == set(asked), "a table with nothing to ask makes no call"
    # Every HTTP call is one cassette entry, counted against its own table; a table that made
    # no call (a mixed table with no meaning column) counts none.
    calls = {key: t.provider_calls for key, t in report.tables.items() if t.provider_calls}
    assert calls == tables
    if cassette.write_protected:
        assert cassette.all_played, "a replay must use every recorded answer"


@pytest.mark.vcr
@pytest.mark.parametrize("provider", PROVIDERS)
def test_crm_end_to_end(provider: str, llm_endpoints: Endpoints, vcr: Cassette) -> None:
    gen = generator(llm_endpoints, provider)
    results, report = run_crm(gen)
    check_crm(results, report)
    check_requests(provider, vcr, report)
    # Batches are sized conservatively: a reply never needs more tokens per row than estimated.
    plan = gen.plan(MODELS, custom_generators=CUSTOM)
    llm = gen.provider
    assert isinstance(llm, LLMProvider)
    for key, t in report.tables.items():
        tp = plan.tables[key]
        assert t.output_tokens / t.rows <= llm.estimate_tokens_per_row(tp.table, ASKED[key])


@pytest.mark.vcr
@pytest.mark.standin_only
@pytest.mark.parametrize("provider", PROVIDERS)
def test_crm_survives_faults(provider: str, llm_endpoints: Endpoints, vcr: Cassette) -> None:
    """Every kind of fault, by call index; syda still returns exactly the valid rows."""
    llm_endpoints.schedule(FAULTS, every=FAULT_EVERY)
    results, report = run_crm(generator(llm_endpoints, provider))
    check_crm(results, report)
    check_requests(provider, vcr, report)
    assert sum(t.reasks for t in report.tables.values()) > 0
    statuses = {int(response["status"]["code"]) for response in vcr.responses}
    assert {200, 429, 500} <= statuses, "rate limits and server errors were retried"
    # The row past a CHECK's bound was fixed locally (clamped), and reported, not re-asked.
    assert report.fixed >= 1 and all(" at " in rule for rule in report.fixed_locally)
    users = [asked_user(provider, json.loads(r.body)) for r in vcr.requests]
    rejected = "\n".join(u.split("rejected:", 1)[1] for u in users if "rejected:" in u)
    assert "invalid JSON" in rejected, rejected[:2000]
    if llm_endpoints.mode == "standin":
        faults = [r.fault for r in llm_endpoints.standin.requests if r.fault]
        assert sorted(faults) == sorted(FAULTS), faults


@pytest.mark.vcr
@pytest.mark.parametrize("provider", PROVIDERS)
def test_crm_mixed_tables(provider: str, llm_endpoints: Endpoints, vcr: Cassette) -> None:
    """The default: the LLM writes names, categories and text; the engine draws the rest."""
    results, report = run_crm(generator(llm_endpoints, provider, "meaning"))
    check_crm(results, report, MEANING)
    check_requests(provider, vcr, report, MEANING)
    # Orders and their lines hold no meaning column: no call at all (check_requests), no token.
    assert report.tables["Order"].output_tokens == report.tables["OrderItem"].output_tokens == 0
    # The drawn columns agree with what the LLM wrote: an email carries its contact's name.
    contacts = results["Contact"]
    named = [
        last.lower().split()[-1][:4] in mail.lower()
        for last, mail in zip(contacts["last_name"], contacts["email"], strict=True)
    ]
    assert sum(named) >= len(named) // 2
