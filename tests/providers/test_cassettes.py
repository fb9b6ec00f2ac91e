"""Cassettes: the real SDK clients record through vcrpy (httpx2) and replay with no server.

The first tests run on their own cassettes (recorded against the stand-in when missing); the
round trip records into a temporary folder and replays with the record mode ``none`` and the
network blocked, on every run; the last test scans every committed cassette for secrets.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
import vcr
from pytest_recording import network
from vcr.errors import CannotOverwriteExistingCassetteException

from tests.support.recording import (
    ANTHROPIC_URL,
    DUMMY_KEY,
    FILTER_HEADERS,
    KEY_SHAPED,
    OPENAI_URL,
    Endpoints,
    secrets_in_environment,
    vcr_options,
)
from tests.support.standin import StandIn

ROW = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "The product's name."},
        "price": {"type": "number", "minimum": 0},
        "in_stock": {"type": "boolean"},
        "released": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
    },
    "required": ["name", "price", "in_stock", "released"],
    "additionalProperties": False,
}
SCHEMA = {
    "type": "object",
    "properties": {"rows": {"type": "array", "items": ROW}},
    "required": ["rows"],
    "additionalProperties": False,
}
CASSETTES = Path(__file__).parents[2] / "cassettes"
SYSTEM = "You write rows of realistic synthetic data for one table of a relational database."
USER = "Table products\n\nColumns to write:\n- name (string; NOT NULL)\n\nReturn exactly 3 rows."


def ask_openai(client: openai.OpenAI, model: str) -> tuple[Any, list[dict[str, Any]]]:
    completion = client.chat.completions.create(
        model=model,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "products", "schema": SCHEMA, "strict": True},
        },
        max_completion_tokens=1000,
        temperature=0.7,
    )
    return completion, json.loads(completion.choices[0].message.content or "")["rows"]


def ask_anthropic(client: anthropic.Anthropic, model: str) -> tuple[Any, list[dict[str, Any]]]:
    message = client.messages.create(
        model=model,
        max_tokens=1000,
        system=SYSTEM,
        messages=[{"role": "user", "content": USER}],
        tools=[{"name": "write_rows", "description": "Write the rows.", "input_schema": SCHEMA}],
        tool_choice={"type": "tool", "name": "write_rows"},
    )
    block = message.content[0]
    assert block.type == "tool_use"
    return message, block.input["rows"]


def check_rows(rows: list[dict[str, Any]]) -> None:
    assert len(rows) == 3
    for row in rows:
        assert set(row) == set(ROW["properties"])
        assert isinstance(row["name"], str) and row["name"]
        assert isinstance(row["price"], int | float) and row["price"] >= 0
        assert isinstance(row["in_stock"], bool)


@pytest.mark.vcr
def test_openai_structured_output(llm_endpoints: Endpoints) -> None:
    with openai.OpenAI(
        base_url=llm_endpoints.openai_base_url, api_key=llm_endpoints.openai_api_key, max_retries=0
    ) as client:
        completion, rows = ask_openai(client, llm_endpoints.openai_model)
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None and completion.usage.completion_tokens > 0
    check_rows(rows)


@pytest.mark.vcr
def test_anthropic_tool_call(llm_endpoints: Endpoints) -> None:
    with anthropic.Anthropic(
        base_url=llm_endpoints.anthropic_base_url,
        api_key=llm_endpoints.anthropic_api_key,
        max_retries=0,
    ) as client:
        message, rows = ask_anthropic(client, llm_endpoints.anthropic_model)
    assert message.stop_reason == "tool_use"
    assert message.usage.output_tokens > 0
    check_rows(rows)


@pytest.mark.vcr
@pytest.mark.standin_only
def test_rate_limit_then_success_replays_in_order(llm_endpoints: Endpoints) -> None:
    """Two identical requests (a 429, then the SDK's retry) replay in the order recorded."""
    llm_endpoints.script("rate_limit")
    with openai.OpenAI(
        base_url=llm_endpoints.openai_base_url, api_key=llm_endpoints.openai_api_key, max_retries=1
    ) as client:
        raw = client.chat.completions.with_raw_response.create(
            model=llm_endpoints.openai_model,
            messages=[{"role": "user", "content": USER}],
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "products", "schema": SCHEMA, "strict": True},
            },
        )
    assert raw.retries_taken == 1
    check_rows(json.loads(raw.parse().choices[0].message.content or "")["rows"])
    if llm_endpoints.mode == "standin":
        assert [r.status for r in llm_endpoints.standin.requests] == [429, 200]


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_round_trip_records_then_replays_without_a_server(tmp_path: Path) -> None:
    """Sync and async clients of both SDKs record through vcrpy, then replay offline."""

    def calls(openai_url: str, anthropic_url: str) -> list[Any]:
        async def async_openai() -> Any:
            async with openai.AsyncOpenAI(
                base_url=openai_url, api_key=DUMMY_KEY, max_retries=0
            ) as client:
                return await client.chat.completions.create(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": USER + "\n(async)"}],
                    response_format={
                        "type": "json_schema",
                        "json_schema": {"name": "products", "schema": SCHEMA, "strict": True},
                    },
                )

        async def async_anthropic() -> Any:
            async with anthropic.AsyncAnthropic(
                base_url=anthropic_url, api_key=DUMMY_KEY, max_retries=0
            ) as client:
                return await client.messages.create(
                    model="claude-haiku-4-5",
                    max_tokens=500,
                    messages=[{"role": "user", "content": USER + "\n(async)"}],
                    tools=[{"name": "write_rows", "input_schema": SCHEMA}],
                    tool_choice={"type": "tool", "name": "write_rows"},
                )

        with openai.OpenAI(base_url=openai_url, api_key=DUMMY_KEY, max_retries=0) as oc:
            first = ask_openai(oc, "gpt-4o-mini")[0]
        with anthropic.Anthropic(base_url=anthropic_url, api_key=DUMMY_KEY, max_retries=0) as ac:
            second = ask_anthropic(ac, "claude-haiku-4-5")[0]
        return [
            first.model_dump(),
            second.model_dump(),
            asyncio.run(async_openai()).model_dump(),
            asyncio.run(async_anthropic()).model_dump(),
        ]

    path = tmp_path / "round_trip.yaml"
    with StandIn() as server:
        with vcr.use_cassette(str(path), **vcr_options("once")) as cassette:
            recorded = calls(server.openai_base_url, server.anthropic_base_url)
        assert len(cassette) == 4 and len(server.requests) == 4
    text = path.read_text()
    assert "127.0.0.1" not in text
    assert f"{OPENAI_URL}/chat/completions" in text and f"{ANTHROPIC_URL}/v1/messages" in text
    assert DUMMY_KEY not in text and "x-stainless" not in text

    with (
        network.blocking_context(),
        vcr.use_cassette(str(path), **vcr_options("none")) as cassette,
    ):
        replayed = calls(OPENAI_URL, ANTHROPIC_URL)
    assert cassette.all_played
    assert replayed == recorded


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_changed_request_body_does_not_replay(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    with StandIn() as server, vcr.use_cassette(str(path), **vcr_options("once")):
        with openai.OpenAI(
            base_url=server.openai_base_url, api_key=DUMMY_KEY, max_retries=0
        ) as client:
            ask_openai(client, "gpt-4o-mini")
    with (
        network.blocking_context(),
        vcr.use_cassette(str(path), **vcr_options("none")),
        openai.OpenAI(base_url=OPENAI_URL, api_key=DUMMY_KEY, max_retries=0) as client,
        pytest.raises(CannotOverwriteExistingCassetteException, match="body differs"),
    ):
        ask_openai(client, "gpt-4o")  # another model: another body


_HEADER_LINE = re.compile(
    r"^\s*(" + "|".join(re.escape(h) for h in FILTER_HEADERS) + r"):", re.IGNORECASE | re.MULTILINE
)


def test_cassettes_hold_no_secrets() -> None:
    """Run last in this module: it also checks the cassettes the tests above recorded."""
    cassettes = sorted(CASSETTES.rglob("*.yaml"))
    assert cassettes, f"no cassettes under {CASSETTES}"
    secrets = secrets_in_environment()
    for path in cassettes:
        text = path.read_text()
        assert not _HEADER_LINE.search(text), f"{path}: a secret-bearing header was recorded"
        assert not KEY_SHAPED.search(text), f"{path}: something like an API key was recorded"
        for secret in secrets:
            assert secret not in text, f"{path}: an API key from the environment was recorded"
