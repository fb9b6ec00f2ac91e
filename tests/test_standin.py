"""The stand-in server, driven by the real ``openai`` and ``anthropic`` SDK clients.

Replies must parse with the SDKs' own models, every fault must surface as the SDK exception or
finish reason a real service would cause, and the same request must always get the same rows.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import httpx2
import openai
import pytest

from syda import ModelConfig, SyntheticDataGenerator
from tests.support.recording import DUMMY_KEY
from tests.support.standin import FAULTS, StandIn
from tests.support.standin_faults import FaultSchedule
from tests.support.standin_rows import count_from_prompt, row_schema

ROW = {
    "type": "object",
    "properties": {
        "full_name": {"type": "string"},
        "email": {"type": "string", "format": "email", "description": "Unique per customer."},
        "age": {"anyOf": [{"type": "integer", "minimum": 18, "maximum": 90}, {"type": "null"}]},
        "status": {"type": "string", "enum": ["active", "paused", "churned"]},
        "balance": {"type": "number", "minimum": 0},
        "signed_up": {"type": "string", "format": "date"},
        "vip": {"type": "boolean"},
    },
    "required": ["full_name", "email", "age", "status", "balance", "signed_up", "vip"],
    "additionalProperties": False,
}
SCHEMA = {
    "type": "object",
    "properties": {"rows": {"type": "array", "items": ROW}},
    "required": ["rows"],
    "additionalProperties": False,
}
SYSTEM = "You write rows of realistic synthetic data for one table of a relational database."


def user_prompt(n: int, note: str = "") -> str:
    columns = f"Columns to write:\n- email (string; unique){note}"
    return f"Table customers\n\n{columns}\n\nReturn exactly {n} rows."


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def oai(standin: StandIn) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=standin.openai_base_url, api_key=DUMMY_KEY, max_retries=0) as c:
        yield c


@pytest.fixture
def ant(standin: StandIn) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(
        base_url=standin.anthropic_base_url, api_key=DUMMY_KEY, max_retries=0
    ) as client:
        yield client


def chat(client: openai.OpenAI, n: int = 4, *, max_tokens: int = 4000, note: str = "") -> Any:
    return client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": user_prompt(n, note)},
        ],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "customers", "schema": SCHEMA, "strict": True},
        },
        max_completion_tokens=max_tokens,
        temperature=0.7,
    )


def tool_call(client: anthropic.Anthropic, n: int = 4, *, max_tokens: int = 4000) -> Any:
    return client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=max_tokens,
        system=SYSTEM,
        messages=[{"role": "user", "content": user_prompt(n)}],
        tools=[{"name": "write_rows", "description": "Write the rows.", "input_schema": SCHEMA}],
        tool_choice={"type": "tool", "name": "write_rows"},
    )


def rows_of(completion: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(completion.choices[0].message.content)["rows"]
    return rows


def assert_valid(rows: list[dict[str, Any]], n: int) -> None:
    assert len(rows) == n
    for row in rows:
        assert list(row) == list(ROW["properties"])
        assert isinstance(row["full_name"], str) and " " in row["full_name"]
        assert "@" in row["email"]
        assert row["age"] is None or (isinstance(row["age"], int) and 18 <= row["age"] <= 90)
        assert row["status"] in ("active", "paused", "churned")
        assert isinstance(row["balance"], int | float) and row["balance"] >= 0
        assert len(row["signed_up"]) == 10 and row["signed_up"][4] == "-"
        assert isinstance(row["vip"], bool)
    assert len({row["email"] for row in rows}) == n


# -- normal replies -------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 7])
def test_openai_structured_output(standin: StandIn, oai: openai.OpenAI, n: int) -> None:
    raw = oai.chat.completions.with_raw_response.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": user_prompt(n)},
        ],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "customers", "schema": SCHEMA, "strict": True},
        },
        max_completion_tokens=4000,
    )
    completion = raw.parse()
    assert raw.headers["x-request-id"].startswith("req_")
    assert completion.id.startswith("chatcmpl-") and completion.object == "chat.completion"
    assert completion.model == "gpt-4o-mini" and completion.system_fingerprint
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert choice.message.refusal is None
    assert_valid(rows_of(completion), n)
    usage = completion.usage
    assert usage is not None
    assert usage.completion_tokens == len(choice.message.content or "") // 4
    # Billed as vendors do: the prompts and the reply schema.
    schema_chars = len(
        json.dumps(
            {
                "type": "json_schema",
                "json_schema": {"name": "customers", "schema": SCHEMA, "strict": True},
            }
        )
    )
    assert usage.prompt_tokens == (len(SYSTEM) + len(user_prompt(n)) + schema_chars) // 4
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    (received,) = standin.requests
    assert received.provider == "openai" and received.status == 200
    assert received.headers["authorization"] == f"Bearer {DUMMY_KEY}"
    assert received.body["response_format"]["json_schema"]["strict"] is True


@pytest.mark.parametrize("n", [1, 7])
def test_anthropic_forced_tool_call(standin: StandIn, ant: anthropic.Anthropic, n: int) -> None:
    raw = ant.messages.with_raw_response.create(
        model="claude-haiku-4-5",
        max_tokens=4000,
        system=SYSTEM,
        messages=[{"role": "user", "content": user_prompt(n)}],
        tools=[{"name": "write_rows", "description": "Write the rows.", "input_schema": SCHEMA}],
        tool_choice={"type": "tool", "name": "write_rows"},
    )
    message = raw.parse()
    assert raw.headers["request-id"].startswith("req_01")
    assert message.id.startswith("msg_01") and message.type == "message"
    assert message.role == "assistant" and message.model == "claude-haiku-4-5"
    assert message.stop_reason == "tool_use" and message.stop_sequence is None
    (block,) = message.content
    assert block.type == "tool_use" and block.name == "write_rows"
    assert block.id.startswith("toolu_01")
    assert_valid(block.input["rows"], n)
    assert message.usage.output_tokens == len(json.dumps(block.input, ensure_ascii=False)) // 4
    assert message.usage.cache_read_input_tokens == 0
    (received,) = standin.requests
    assert received.headers["anthropic-version"]
    # anthropic 2.x sends the key as a bearer token, not in x-api-key
    assert received.headers["authorization"] == f"Bearer {DUMMY_KEY}"


def test_anthropic_json_output_format(ant: anthropic.Anthropic) -> None:
    message = ant.messages.create(
        model="claude-haiku-4-5",
        max_tokens=4000,
        messages=[{"role": "user", "content": user_prompt(3)}],
        output_config={"format": {"type": "json_schema", "schema": SCHEMA}},
    )
    (block,) = message.content
    assert block.type == "text" and message.stop_reason == "end_turn"
    assert_valid(json.loads(block.text)["rows"], 3)


def test_rows_come_from_the_request_body_alone(standin: StandIn, oai: openai.OpenAI) -> None:
    first, again = chat(oai), chat(oai)
    assert first.choices[0].message.content == again.choices[0].message.content
    assert first.id != again.id  # a retry is a new completion, with rows seeded by the body
    assert [r.attempt for r in standin.requests] == [0, 1]
    with (
        StandIn() as other,
        openai.OpenAI(base_url=other.openai_base_url, api_key=DUMMY_KEY, max_retries=0) as c,
    ):
        elsewhere = chat(c)
    assert elsewhere.model_dump() == first.model_dump()
    changed = chat(oai, note="; NOT NULL")
    assert rows_of(changed) != rows_of(first)


def test_max_tokens_truncates_the_reply(oai: openai.OpenAI, ant: anthropic.Anthropic) -> None:
    completion = chat(oai, 5, max_tokens=30)
    assert completion.choices[0].finish_reason == "length"
    content = completion.choices[0].message.content or ""
    assert len(content) == 120 and completion.usage.completion_tokens == 30
    with pytest.raises(json.JSONDecodeError):
        json.loads(content)
    message = tool_call(ant, 5, max_tokens=120)
    assert message.stop_reason == "max_tokens" and message.usage.output_tokens == 120
    rows = message.content[0].input["rows"]
    assert 0 < len(rows) < 5  # the complete rows written before the limit


# -- scripted faults ------------------------------------------------------------------------------
def test_every_fault_kind_is_tested() -> None:
    tested = {"malformed_json", "truncated", "rate_limit", "server_error", "overloaded"}
    tested.add("bad_profile")  # tests/providers/test_profile_mode.py, with the profile replies
    assert tested | set(ROW_FAULT_CHECKS) == FAULTS


ROW_FAULT_CHECKS = {
    "missing_field": lambda rows, n: any(set(r) < set(ROW["properties"]) for r in rows),
    "extra_field": lambda rows, n: any(set(r) > set(ROW["properties"]) for r in rows),
    "wrong_type": lambda rows, n: isinstance(rows[0]["age"], str),
    "duplicate_unique": lambda rows, n: rows[0] == rows[1],
    "too_few_rows": lambda rows, n: len(rows) < n,
    "breaks_check": lambda rows, n: rows[0]["age"] > 90,  # the first bounded number, past it
}


@pytest.mark.parametrize("fault", sorted(ROW_FAULT_CHECKS))
def test_row_faults(
    standin: StandIn, oai: openai.OpenAI, ant: anthropic.Anthropic, fault: str
) -> None:
    standin.script(fault, fault)
    openai_rows = rows_of(chat(oai, 4))
    anthropic_rows = tool_call(ant, 4).content[0].input["rows"]
    for rows in (openai_rows, anthropic_rows):
        assert ROW_FAULT_CHECKS[fault](rows, 4)
    assert [r.fault for r in standin.requests] == [fault, fault]
    assert_valid(rows_of(chat(oai, 4)), 4)  # the script is used up: a normal reply


def test_malformed_json(standin: StandIn, oai: openai.OpenAI, ant: anthropic.Anthropic) -> None:
    standin.script("malformed_json", "malformed_json")
    completion = chat(oai)
    assert completion.choices[0].finish_reason == "stop"
    with pytest.raises(json.JSONDecodeError):
        json.loads(completion.choices[0].message.content or "")
    # A tool's input is always an object: the model breaks it by writing the rows as a string.
    rows = tool_call(ant).content[0].input["rows"]
    assert isinstance(rows, str)
    with pytest.raises(json.JSONDecodeError):
        json.loads(rows)


def test_truncated(standin: StandIn, oai: openai.OpenAI, ant: anthropic.Anthropic) -> None:
    standin.script("truncated", "truncated")
    completion = chat(oai)
    assert completion.choices[0].finish_reason == "length"
    with pytest.raises(json.JSONDecodeError):
        json.loads(completion.choices[0].message.content or "")
    assert tool_call(ant).stop_reason == "max_tokens"


def test_openai_rate_limit(standin: StandIn, oai: openai.OpenAI) -> None:
    standin.script("rate_limit")
    with pytest.raises(openai.RateLimitError) as info:
        chat(oai)
    error = info.value
    assert error.status_code == 429 and error.code == "rate_limit_exceeded"
    assert error.response.headers["retry-after"] == "0.05"
    assert error.request_id and error.request_id.startswith("req_")
    assert error.body["type"] == "tokens"  # type: ignore[index]
    assert_valid(rows_of(chat(oai)), 4)


def test_openai_sdk_retries_honour_retry_after(standin: StandIn) -> None:
    standin.script("rate_limit", "rate_limit")
    with openai.OpenAI(base_url=standin.openai_base_url, api_key=DUMMY_KEY, max_retries=2) as c:
        started = time.perf_counter()
        assert_valid(rows_of(chat(c)), 4)
        elapsed = time.perf_counter() - started
    assert [r.status for r in standin.requests] == [429, 429, 200]
    assert 0.1 <= elapsed < 0.5  # two waits of retry-after (0.05 s), not the SDK's backoff


@pytest.mark.parametrize(
    ("fault", "status", "error"),
    [
        ("server_error", 500, openai.InternalServerError),
        ("overloaded", 503, openai.InternalServerError),
    ],
)
def test_openai_server_errors(
    standin: StandIn, oai: openai.OpenAI, fault: str, status: int, error: type[Exception]
) -> None:
    standin.script(fault)
    with pytest.raises(error) as info:
        chat(oai)
    assert info.value.status_code == status  # type: ignore[attr-defined]
    assert info.value.body["type"] == "server_error"  # type: ignore[attr-defined]


def test_anthropic_rate_limit(standin: StandIn, ant: anthropic.Anthropic) -> None:
    standin.script("rate_limit")
    with pytest.raises(anthropic.RateLimitError) as info:
        tool_call(ant)
    error = info.value
    assert error.status_code == 429 and error.type == "rate_limit_error"
    assert error.response.headers["retry-after"] == "0.05"
    assert error.request_id and error.request_id.startswith("req_01")


@pytest.mark.parametrize(
    ("fault", "status", "kind", "error"),
    [
        ("server_error", 500, "api_error", anthropic.InternalServerError),
        ("overloaded", 529, "overloaded_error", anthropic.OverloadedError),
    ],
)
def test_anthropic_server_errors(
    standin: StandIn,
    ant: anthropic.Anthropic,
    fault: str,
    status: int,
    kind: str,
    error: type[anthropic.APIStatusError],
) -> None:
    standin.script(fault)
    with pytest.raises(error) as info:
        tool_call(ant)
    assert isinstance(info.value, anthropic.InternalServerError)
    assert info.value.status_code == status and info.value.type == kind


def test_script_runs_in_order_then_answers_normally(standin: StandIn, oai: openai.OpenAI) -> None:
    standin.script("rate_limit", None, "server_error")
    outcomes = []
    for _ in range(4):
        try:
            chat(oai)
            outcomes.append(200)
        except openai.APIStatusError as exc:
            outcomes.append(exc.status_code)
    assert outcomes == [429, 200, 500, 200]
    assert [r.fault for r in standin.requests] == ["rate_limit", None, "server_error", None]


def test_unknown_fault_is_refused(standin: StandIn) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        standin.script("teapot")
    with pytest.raises(ValueError):
        standin.fault_rate(1.5)


# -- random faults --------------------------------------------------------------------------------
def fault_pattern(rate: float, seed: int) -> list[str | None]:
    with (
        StandIn() as server,
        openai.OpenAI(base_url=server.openai_base_url, api_key=DUMMY_KEY, max_retries=0) as c,
    ):
        server.fault_rate(rate, ["rate_limit", "wrong_type", "too_few_rows"], seed=seed)
        for i in range(30):
            for _ in range(2):  # the request, then its retry
                try:
                    chat(c, 2, note=f"; request {i}")
                except openai.RateLimitError:
                    pass
        return [r.fault for r in server.requests]


def test_fault_rate_is_deterministic() -> None:
    first = fault_pattern(0.4, seed=7)
    assert first == fault_pattern(0.4, seed=7)
    assert first != fault_pattern(0.4, seed=8)
    share = sum(f is not None for f in first) / len(first)
    assert 0.15 < share < 0.65


def test_fault_rate_of_one(standin: StandIn, oai: openai.OpenAI) -> None:
    standin.fault_rate(1.0, ["server_error"])
    for _ in range(3):
        with pytest.raises(openai.InternalServerError):
            chat(oai)
    standin.reset()
    assert_valid(rows_of(chat(oai)), 4)
    assert len(standin.requests) == 1


# -- requests the real services refuse ------------------------------------------------------------
def test_openai_rejects_a_non_strict_schema(oai: openai.OpenAI) -> None:
    loose = {**SCHEMA, "properties": {"rows": {"type": "array", "items": {**ROW}}}}
    del loose["properties"]["rows"]["items"]["additionalProperties"]
    with pytest.raises(openai.BadRequestError, match="additionalProperties") as info:
        oai.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": user_prompt(2)}],
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "customers", "schema": loose, "strict": True},
            },
        )
    assert info.value.param == "response_format"


def test_anthropic_rejects_a_tool_choice_without_its_tool(ant: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.BadRequestError, match="not found"):
        ant.messages.create(
            model="claude-haiku-4-5",
            max_tokens=100,
            messages=[{"role": "user", "content": user_prompt(2)}],
            tools=[{"name": "other", "input_schema": SCHEMA}],
            tool_choice={"type": "tool", "name": "write_rows"},
        )


def test_missing_key_and_unknown_path(standin: StandIn) -> None:
    with httpx2.Client(base_url=f"http://127.0.0.1:{standin.port}") as client:
        no_key = client.post("/v1/chat/completions", json={"model": "m", "messages": []})
        assert no_key.status_code == 401
        assert set(no_key.json()["error"]) == {"message", "type", "param", "code"}
        no_version = client.post("/v1/messages", json={}, headers={"x-api-key": "k"})
        assert no_version.status_code == 400
        assert no_version.json()["type"] == "error"
        lost = client.post("/v1/embeddings", json={}, headers={"authorization": "Bearer k"})
        assert lost.status_code == 404


# -- the server itself ----------------------------------------------------------------------------
def test_latency_overlaps_across_concurrent_requests(standin: StandIn) -> None:
    standin.latency = 0.2

    async def many() -> list[Any]:
        async with openai.AsyncOpenAI(
            base_url=standin.openai_base_url, api_key=DUMMY_KEY, max_retries=0
        ) as client:
            return await asyncio.gather(
                *(
                    client.chat.completions.create(
                        model="gpt-4o-mini",
                        messages=[{"role": "user", "content": user_prompt(n)}],
                        response_format={
                            "type": "json_schema",
                            "json_schema": {"name": "customers", "schema": SCHEMA, "strict": True},
                        },
                    )
                    for n in range(1, 7)
                )
            )

    chat_started = time.perf_counter()
    replies = asyncio.run(many())
    elapsed = time.perf_counter() - chat_started
    assert [len(rows_of(r)) for r in replies] == [1, 2, 3, 4, 5, 6]
    assert 0.2 <= elapsed < 1.0


def test_a_taken_port_is_a_clear_error(standin: StandIn) -> None:
    with pytest.raises(RuntimeError, match=f"cannot listen on 127.0.0.1:{standin.port}"):
        StandIn(port=standin.port).start()


def test_close_frees_the_port_and_open_connections() -> None:
    server = StandIn().start()
    with openai.OpenAI(base_url=server.openai_base_url, api_key=DUMMY_KEY, max_retries=0) as c:
        chat(c, 1)  # leaves a keep-alive connection open
        server.close()
        assert not server.running
        with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
            probe.connect(("127.0.0.1", server.port))


# -- reading the request --------------------------------------------------------------------------
def test_row_schema_reads_refs_prompt_facts_and_descriptions() -> None:
    schema = {
        "$defs": {
            "Row": {
                "type": "object",
                "properties": {
                    "settings": {"type": "string", "description": "A JSON-encoded string."},
                    "code": {"type": "string"},
                    "opened_at": {
                        "type": "string",
                        "description": "ISO 8601 date-time without time zone.",
                    },
                    "price": {"type": "number"},
                },
                "required": ["settings", "code", "opened_at", "price"],
                "additionalProperties": False,
            }
        },
        "type": "object",
        "properties": {"rows": {"type": "array", "items": {"$ref": "#/$defs/Row"}}},
    }
    prompt = (
        "Table accounts\n\nColumns to write:\n"
        "- code (string VARCHAR(6); NOT NULL; unique; max 6 chars)\n"
        "- price (decimal NUMERIC(8, 2); NOT NULL; max 8 digits, 2 after the point)\n"
    )
    rows = row_schema("accounts", schema, prompt)
    by_name = {c.name: c for c in rows.table.columns}
    assert rows.table.name == "accounts"
    assert by_name["settings"].kind == "json"
    assert by_name["code"].length == 6 and by_name["code"].unique
    assert by_name["opened_at"].kind == "datetime" and not by_name["opened_at"].timezone
    assert (by_name["price"].kind, by_name["price"].precision, by_name["price"].scale) == (
        "decimal",
        8,
        2,
    )


def test_count_from_prompt() -> None:
    assert count_from_prompt(["Return exactly 1 row."]) == 1
    assert count_from_prompt(["x", "Return exactly 12 rows, in the order above."]) == 12
    assert count_from_prompt(["no count here"], default=3) == 3


# -- a fault schedule -----------------------------------------------------------------------------
def _body(prompt: Any) -> dict[str, Any]:
    return {
        "messages": [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ]
    }


def test_a_schedule_gives_each_fault_to_the_first_request_it_fits() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
    from crm_models import MODELS

    def prompt(table: str, mode: str) -> Any:
        config = ModelConfig(provider="openai", api_key=DUMMY_KEY, mode=mode)  # type: ignore[arg-type]
        return SyntheticDataGenerator(config).compile_prompt(MODELS, table, rows=20)

    contacts, items = _body(prompt("Contact", "rows")), _body(prompt("OrderItem", "rows"))
    profile_of = {t: _body(prompt(t, "profile")) for t in ("Customer", "OrderItem")}
    schedule = FaultSchedule(["bad_profile", "breaks_check", "rate_limit"], every=2)
    # Request 0 releases bad_profile (no bounded number in a Customer profile: kept owed),
    # request 2 releases breaks_check, request 4 rate_limit; each goes where it fits.
    picked = [
        schedule.pick(profile_of["Customer"]),
        schedule.pick(contacts),
        schedule.pick(contacts),  # breaks_check owed: contacts have no bounded number
        schedule.pick(items),
        schedule.pick(contacts),
        schedule.pick(profile_of["OrderItem"]),
        schedule.pick(items),
    ]
    assert picked == [None, None, None, "breaks_check", "rate_limit", "bad_profile", None]
    assert schedule.done
