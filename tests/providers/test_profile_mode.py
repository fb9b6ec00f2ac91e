"""Profile mode through the public API: which tables, what is asked, what is kept, what it costs.

Most tests use the contract's test double (``ScriptedClient``) answering as the stand-in would
(a profile derived from the request, rows drawn by the offline provider); the command-line
tests talk to a live stand-in through the real SDK client. No test reaches the network.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from syda import (
    ConfigurationError,
    LLMProvider,
    LLMRequest,
    ModelConfig,
    PlanError,
    SyntheticDataGenerator,
    load_schema,
)
from syda.cli import main
from syda.profile.llm_checks import sql_problems
from syda.providers.base import LLMResponse
from syda.providers.testing import ScriptedClient
from syda.validation import check_dataset
from tests.support.recording import DUMMY_KEY
from tests.support.standin import StandIn
from tests.support.standin_compact import prompt_row_schema, to_arrays
from tests.support.standin_profile import is_profile_schema, profile_reply
from tests.support.standin_rows import count_from_prompt, make_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
from crm_models import MODELS

SCHEMA = load_schema(MODELS)
CRM = str(Path(__file__).resolve().parents[2] / "examples" / "crm_models.py")
BIG = {"Customer": 600, "Contact": 20, "Product": 8, "Order": 700, "OrderItem": 30}


def standin_reply(request: LLMRequest) -> str:
    """What the stand-in would answer: a profile for a profile request, else the rows."""
    texts = [request.system, request.user]
    digest = hashlib.sha256((request.user + request.schema_name).encode()).hexdigest()
    if is_profile_schema(request.json_schema):
        return json.dumps(profile_reply(request.json_schema, texts, digest))
    rows = prompt_row_schema(request.schema_name, "\n".join(texts))  # a compact rows request
    data = make_rows(rows, count_from_prompt(texts), int(digest[:16], 16))
    return json.dumps({"rows": to_arrays(rows, data)})


def make(
    responder: Callable[[LLMRequest], Any] = standin_reply, **config: Any
) -> tuple[SyntheticDataGenerator, ScriptedClient]:
    client = ScriptedClient(responder)
    cfg = ModelConfig(provider="openai", api_key=DUMMY_KEY, **config)
    provider = LLMProvider(cfg, client_factory=lambda _: client)
    return SyntheticDataGenerator(provider=provider, seed=1), client


def asked(client: ScriptedClient) -> dict[str, list[str]]:
    """Each request's kind and table: ``{"profile": [tables], "rows": [tables]}``."""
    found: dict[str, list[str]] = {"profile": [], "rows": []}
    for request in client.requests:
        # A rows request names its table in the system prompt (its batches' shared prefix).
        text = request.user if request.kind == "profile" else request.system
        line = next(t for t in text.splitlines() if t.startswith("Table "))
        table = line.split("(")[-1].rstrip(")").removeprefix("Table ")
        found[request.kind].append(table)
    return found


def profiled_columns(request: LLMRequest) -> list[str]:
    return list(
        request.json_schema["properties"]["columns"]["items"]["properties"]["column"]["enum"]
    )


# -- which tables ---------------------------------------------------------------------------
def test_auto_mode_profiles_the_large_tables_and_writes_the_small_ones() -> None:
    gen, client = make()
    frames = gen.generate_related_data(MODELS, sample_sizes=BIG)
    assert check_dataset(SCHEMA, frames, expected=BIG) == []
    calls = asked(client)
    assert sorted(calls["profile"]) == ["Customer", "Order"]  # 600 and 700 rows: one call each
    # OrderItem, small, is in rows mode but has no column of meaning: drawn, no call.
    assert set(calls["rows"]) == {"Contact", "Product"}
    assert all(
        r.kind == "profile" and r.rows == 0 for r in client.requests if "profile" in r.schema_name
    )
    report = gen.last_report
    assert report is not None and report.tables["Customer"].provider_calls == 1
    assert report.tables["Order"].provider_calls == 1


def test_profile_calls_and_rows_run_in_one_event_loop_under_one_limit() -> None:
    """A run is one event loop: one client for the profile calls and the rows' batches, and at
    most ``concurrency`` calls in flight over both."""
    loops: set[int] = set()
    flight = {"now": 0, "max": 0}

    class Counting(ScriptedClient):
        async def complete(self, request: LLMRequest) -> LLMResponse:
            loops.add(id(asyncio.get_running_loop()))
            flight["now"] += 1
            flight["max"] = max(flight["max"], flight["now"])
            try:
                await asyncio.sleep(0.01)
                return await super().complete(request)
            finally:
                flight["now"] -= 1

    client = Counting(standin_reply)
    made: list[ScriptedClient] = []

    def factory(_: ModelConfig) -> ScriptedClient:
        made.append(client)
        return client

    cfg = ModelConfig(provider="openai", api_key=DUMMY_KEY, concurrency=2)
    gen = SyntheticDataGenerator(provider=LLMProvider(cfg, client_factory=factory), seed=1)
    frames = gen.generate_related_data(MODELS, sample_sizes=BIG)
    assert check_dataset(SCHEMA, frames, expected=BIG) == []
    calls = asked(client)
    assert calls["profile"] and calls["rows"]
    assert len(loops) == 1 and len(made) == 1 and client.closed
    assert flight["max"] == 2


def test_a_mode_can_be_forced_for_every_table_or_one() -> None:
    gen, client = make(mode={"Customer": "rows", "*": "profile"})
    gen.generate_related_data(MODELS, sample_sizes=BIG)
    calls = asked(client)
    assert sorted(calls["profile"]) == ["Contact", "Order", "OrderItem", "Product"]
    assert set(calls["rows"]) == {"Customer"}
    gen, client = make(mode="rows")
    gen.generate_related_data(MODELS, sample_sizes=BIG)
    assert asked(client)["profile"] == []


def test_modes_are_checked() -> None:
    with pytest.raises(ConfigurationError, match="mode must be one of auto, profile, rows"):
        ModelConfig(provider="openai", api_key=DUMMY_KEY, mode="fast")  # type: ignore[arg-type]
    gen, client = make(mode={"Custmer": "rows"})
    with pytest.raises(PlanError, match=r"mode names table 'Custmer'.*did you mean 'Customer'"):
        gen.generate_related_data(MODELS, sample_sizes=BIG)
    assert client.requests == []


# -- what is asked, what is kept --------------------------------------------------------------
def test_keys_custom_and_declared_columns_are_never_profiled() -> None:
    gen, client = make(mode="profile")
    frames = gen.generate_related_data(
        MODELS,
        sample_sizes=BIG,
        custom_generators={
            "Customer": {"website": lambda row, col: f"https://c{row['id']}.example"}
        },
        profile={"Customer": {"industry": {"values": {"Retail": 3, "Banking": 1}}}},
    )
    customer = next(r for r in client.requests if r.user.startswith("Table customers"))
    assert profiled_columns(customer) == ["name", "status", "country", "created_at"]
    assert "- industry (string): your spec" in customer.user
    assert set(frames["Customer"]["industry"].dropna()) == {"Retail", "Banking"}
    assert frames["Customer"]["website"].iloc[0] == "https://c1.example"
    order_item = next(r for r in client.requests if r.user.startswith("Table order_items"))
    assert profiled_columns(order_item) == ["quantity", "unit_price", "discount_pct"]


def _bad_then_good(bad: dict[str, dict[str, Any]]) -> Callable[[LLMRequest], str]:
    """The stand-in's profile, with ``bad`` specs over it whenever a column in ``bad`` is asked."""

    def reply(request: LLMRequest) -> str:
        data = json.loads(standin_reply(request))
        if is_profile_schema(request.json_schema):
            for item in data["columns"]:
                item.update(bad.get(item["column"], {}))
        return json.dumps(data)

    return reply


def test_unsafe_sql_and_vocabularies_of_unique_columns_are_reasked_then_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bad = {
        "name": {"values": [{"value": "Acme", "weight": 1}, {"value": "Globex", "weight": 1}]},
        "country": {"expr": "read_text('/etc/passwd')"},
    }
    gen, client = make(_bad_then_good(bad), mode="profile", max_reasks=2)
    with caplog.at_level(logging.WARNING, logger="syda"):
        frames = gen.generate_related_data(MODELS, sample_sizes=BIG)
    assert check_dataset(SCHEMA, frames, expected=BIG) == []
    customer = [r for r in client.requests if r.user.startswith("Table customers")]
    assert len(customer) == 3  # the first ask and two re-asks, of the failing columns only
    assert profiled_columns(customer[1]) == ["name", "country"]
    assert "Your previous answer was rejected:" in customer[1].user
    assert "uses read_text(): only columns, constants" in customer[1].user
    assert "the column is unique, so values (2 of them) cannot fill 600 rows" in customer[1].user
    # Still failing after the re-asks: dropped, logged, and the inferred specs draw them.
    assert "Customer.name: the LLM's spec was dropped after 2 re-asks" in caplog.text
    assert frames["Customer"]["name"].is_unique
    assert not frames["Customer"]["country"].astype(str).str.contains("root:").any()
    assert gen.last_report is not None and gen.last_report.tables["Customer"].reasks == 2


def test_a_spec_breaking_a_check_is_reasked_with_the_exact_problem() -> None:
    first = True

    def reply(request: LLMRequest) -> str:
        nonlocal first
        data = json.loads(standin_reply(request))
        if "order_items" in request.user.split("\n", 1)[0] and first:
            first = False
            for item in data["columns"]:
                if item["column"] == "discount_pct":
                    item["max"] = 90
        return json.dumps(data)

    gen, client = make(reply, mode="profile")
    frames = gen.generate_related_data(MODELS, sample_sizes=BIG)
    items = [r for r in client.requests if r.user.startswith("Table order_items")]
    assert len(items) == 2
    rejected = items[1].user.split("Your previous answer was rejected:\n", 1)[1]
    assert rejected.startswith("- OrderItem.discount_pct: ") and "50" in rejected
    assert profiled_columns(items[1]) == ["discount_pct"]
    assert frames["OrderItem"]["discount_pct"].between(0, 50).all()


def test_a_cut_off_reply_is_asked_again_in_halves() -> None:
    def reply(request: LLMRequest) -> Any:
        from syda import LLMResponse

        text = standin_reply(request)
        if is_profile_schema(request.json_schema) and len(profiled_columns(request)) > 2:
            return LLMResponse(text=text[: len(text) // 2], truncated=True)
        return text

    gen, client = make(reply, mode="profile")
    frames = gen.generate_related_data(MODELS, sample_sizes=BIG)
    assert check_dataset(SCHEMA, frames, expected=BIG) == []
    customer = [
        profiled_columns(r) for r in client.requests if r.user.startswith("Table customers")
    ]
    assert customer[0] == ["name", "industry", "website", "status", "country", "created_at"]
    assert sorted(c for cols in customer[1:] if len(cols) <= 2 for c in cols) == sorted(customer[0])


# -- what it costs ------------------------------------------------------------------------------
def test_the_profile_is_cached_so_a_rerun_costs_nothing(tmp_path: Path) -> None:
    gen, client = make(mode="profile", cache_dir=tmp_path / "cache")
    first = gen.generate_related_data(MODELS, sample_sizes=BIG)
    calls = len(client.requests)
    assert calls == 5
    again = gen.generate_related_data(MODELS, sample_sizes=BIG)  # same provider: in memory
    assert len(client.requests) == calls
    other, other_client = make(mode="profile", cache_dir=tmp_path / "cache")  # on disk
    third = other.generate_related_data(MODELS, sample_sizes=BIG)
    assert other_client.requests == []
    report = other.last_report
    assert report is not None and report.provider_calls == 0
    assert sum(t.cached_calls for t in report.tables.values()) == 5
    for key in first:
        pd.testing.assert_frame_equal(first[key], again[key])
        pd.testing.assert_frame_equal(first[key], third[key])
    # Ten times the rows: the same profile, still no call.
    other.generate_related_data(MODELS, sample_sizes={k: v * 10 for k, v in BIG.items()})
    assert other_client.requests == []


def test_calls_do_not_grow_with_the_rows() -> None:
    sizes = {
        "Customer": 5_000,
        "Contact": 15_000,
        "Product": 1_000,
        "Order": 30_000,
        "OrderItem": 50_000,
    }
    gen, client = make(mode="profile")
    frames = gen.generate_related_data(MODELS, sample_sizes=sizes)
    assert {k: len(v) for k, v in frames.items()} == sizes
    assert len(client.requests) == 5
    assert gen.last_report is not None and gen.last_report.rows == sum(sizes.values())


def test_sql_of_an_llm_is_a_plain_row_expression() -> None:
    for text in ("quantity * unit_price", "CASE WHEN status IN ('a') THEN 1 ELSE 0 END",
                 "round(price * 0.9, 2)", "lower(name) LIKE 'a%' AND NOT x IS NULL"):  # fmt: skip
        assert sql_problems(text) == [], text
    for text, why in (
        ("getenv('OPENAI_API_KEY')", "getenv()"),
        ("read_csv('/etc/passwd')", "read_csv()"),
        ("1 + (SELECT count(*) FROM t)", "a subquery"),
        ("quantity unit_price", "not one expression"),
    ):
        (problem,) = sql_problems(text)
        assert why in problem, problem


# -- the command line: write the LLM's profile, review it, apply it ----------------------------
def test_syda_profile_writes_the_llms_profile_and_generate_applies_it_for_free(
    standin: StandIn,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", DUMMY_KEY)
    out = tmp_path / "profile.yaml"
    args = ["--provider", "openai", "--base-url", standin.openai_base_url]
    code = main(["profile", CRM, *args, "--prompt", "Product=Cloud software plans", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "wrote the profiles of 5 tables: 5 calls" in err
    assert len(standin.requests) == 5
    text = out.read_text()
    assert text.startswith("# The syda profile of")
    assert "written by the LLM openai gpt-4o-mini" in text
    data = yaml.safe_load(text)
    industry = data["tables"]["Customer"]["columns"]["industry"]
    assert len(industry["values"]) > 10  # a vocabulary the LLM wrote
    # Review and edit: one industry only.
    data["tables"]["Customer"]["columns"]["industry"]["values"] = {"Logistics": 1}
    out.write_text(yaml.safe_dump(data))
    target = tmp_path / "data"
    code = main(
        ["generate", CRM, *args, "--profile", str(out), "--rows", "1000", "--out", str(target)]
    )
    assert code == 0, capsys.readouterr().err
    assert len(standin.requests) == 5  # every column declared by the file: no call at all
    customers = pd.read_csv(target / "customers.csv")
    assert set(customers["industry"].dropna()) == {"Logistics"} and len(customers) == 1000


def test_llm_mode_on_the_command_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", DUMMY_KEY)
    code = main(["inspect", CRM, "--provider", "openai", "--llm-mode", "fast"])
    assert code == 2
    assert "--llm-mode 'fast': the mode is one of auto, profile, rows" in capsys.readouterr().err
    code = main(["inspect", CRM, "--llm-mode", "profile"])
    assert code == 2 and "need an LLM provider" in capsys.readouterr().err
    code = main(["inspect", CRM, "--provider", "openai", "--llm-mode", "Ordr=rows"])
    err = capsys.readouterr().err
    assert code == 2 and "--llm-mode names table 'Ordr'" in err and "did you mean 'Order'" in err
    code = main(
        ["inspect", CRM, "--provider", "openai", "--rows", "1000", "--llm-mode", "Product=rows",
         "--prompt-preview"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "Profile prompt for Customer (profile mode" in out and "Prompt for Product\n" in out
    assert "the rows are drawn locally): Customer, Contact, Order, OrderItem\n" in out
    assert "  rows (the LLM writes each row's text, the engine draws the rest): Product\n" in out


def test_a_spec_that_fails_only_when_drawn_is_dropped_by_the_trial_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Plain SQL, every reference exists: only drawing it shows it is text on a decimal column.
    expr = "CASE WHEN quantity > 2 THEN 'ten' ELSE 'none' END"
    drawn = dict.fromkeys(("distribution", "min", "max", "outliers", "round"))
    bad = {"discount_pct": {**drawn, "expr": expr}}
    gen, client = make(_bad_then_good(bad), mode="profile")
    with caplog.at_level(logging.WARNING, logger="syda"):
        frames = gen.generate_related_data(MODELS, sample_sizes=BIG)
    assert check_dataset(SCHEMA, frames, expected=BIG) == []
    assert "OrderItem.discount_pct: the LLM's spec was dropped, a trial run failed" in caplog.text
    assert "not a value of the column's type (decimal)" in caplog.text
    assert frames["OrderItem"]["discount_pct"].between(0, 50).all()
    assert len([r for r in client.requests if r.user.startswith("Table order_items")]) == 1


# -- the stand-in's profile replies, through the real SDK clients ------------------------------
def _profile_request() -> tuple[str, str, dict[str, Any]]:
    import datetime as dt

    from syda.prompts import compile_profile_prompt
    from syda.providers.profile_schema import profile_reply_schema

    table = SCHEMA.table("OrderItem")
    columns = ["quantity", "unit_price", "discount_pct"]
    current = {"quantity": {"semantic": "quantity"}, "discount_pct": {"semantic": "discount"}}
    prompt = compile_profile_prompt(table, columns, current, today=dt.date(2026, 1, 1))
    return prompt.system, prompt.user, profile_reply_schema(columns)


@pytest.mark.parametrize("fault", [None, "bad_profile"])
def test_the_standin_writes_a_profile_of_the_schema_it_is_given(
    standin: StandIn, fault: str | None
) -> None:
    import anthropic
    import openai

    system, user, schema = _profile_request()
    standin.script(fault, fault)
    with openai.OpenAI(base_url=standin.openai_base_url, api_key=DUMMY_KEY, max_retries=0) as oai:
        completion = oai.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "OrderItem_profile", "schema": schema, "strict": True},
            },
        )
    with anthropic.Anthropic(
        base_url=standin.anthropic_base_url, api_key=DUMMY_KEY, max_retries=0
    ) as ant:
        message = ant.messages.create(
            model="claude-haiku-4-5",
            max_tokens=8192,
            system=system,
            messages=[{"role": "user", "content": user}],
            tools=[{"name": "write_profile", "description": "Write it.", "input_schema": schema}],
            tool_choice={"type": "tool", "name": "write_profile"},
        )
    replies = [json.loads(completion.choices[0].message.content or ""), message.content[0].input]
    assert [r.fault for r in standin.requests] == [fault, fault]
    for reply in replies:
        by_column = {c["column"]: c for c in reply["columns"]}
        assert list(by_column) == ["quantity", "unit_price", "discount_pct"]
        assert all(
            set(c) == set(schema["properties"]["columns"]["items"]["properties"])
            for c in reply["columns"]
        )
        assert by_column["quantity"]["distribution"]["kind"] == "poisson"  # a small count
        assert by_column["unit_price"]["distribution"]["kind"] == "lognormal"
        assert by_column["unit_price"]["round"] == 2  # the column's scale
        discount = by_column["discount_pct"]
        if fault is None:
            assert discount["min"] == 0 and discount["max"] == 50  # CHECK BETWEEN 0 AND 50
        else:
            assert discount["max"] > 50  # the profile breaks the CHECK


def test_a_vocabulary_not_in_the_wire_form_is_reasked_saying_so() -> None:
    bad = {"industry": {"values": [{"value": "Retail"}, {"value": "Banking"}]}}
    gen, client = make(_bad_then_good(bad), mode="profile", max_reasks=1)
    frames = gen.generate_related_data(MODELS, sample_sizes=BIG)
    customer = [r for r in client.requests if r.user.startswith("Table customers")]
    assert 'Customer.industry: values: not [{"value": ..., "weight": ...}]' in customer[1].user
    # Never read as a list of equally likely dicts: the column keeps its inferred draw.
    assert all(isinstance(v, str) for v in frames["Customer"]["industry"].dropna())
