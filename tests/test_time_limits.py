"""Time limits of LLM runs: per-call timeouts, retries, the run's deadline, and their messages.

A "dead" server here is a real socket on 127.0.0.1 that accepts connections and never reads or
answers, the way a hung proxy or a stuck model server behaves; the real ``openai`` and
``anthropic`` SDK clients talk to it. A slow but healthy server is the stand-in with a latency.
"""

from __future__ import annotations

import json
import math
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from secrets import token_hex
from typing import Any

import pytest

from syda import (
    ConfigurationError,
    GenerationError,
    LLMProvider,
    LLMRequest,
    ModelConfig,
    SyntheticDataGenerator,
)
from syda.cli.app import main
from syda.providers.config import resolve_config
from syda.providers.testing import ScriptedClient
from tests.support.standin import StandIn

KEY = f"time-limits-{token_hex(12)}"  # made at run time: no key-shaped literal
ONE_TABLE = """\
notes:
  id: {type: integer, primary_key: true}
  title: {type: string, length: 80, nullable: false}
"""
TABLES = {
    "notes": {"id": {"type": "integer", "primary_key": True}, "title": "string"},
    "comments": {
        "id": {"type": "integer", "primary_key": True},
        "note_id": {"references": "notes.id"},
        "body": "string",
    },
}


def rows_reply(request: LLMRequest) -> str:
    """A well-behaved model's reply: the asked string columns, the asked number of rows."""
    rows = [[f"{c} {i}" for c in request.columns] for i in range(request.rows)]  # compact rows
    return json.dumps({"rows": rows})


def scripted(responder: Any, latency: float = 0.0, **config: Any) -> tuple[Any, ScriptedClient]:
    client = ScriptedClient(responder, latency=latency)
    cfg = ModelConfig(provider="openai", api_key=KEY, **config)
    provider = LLMProvider(cfg, client_factory=lambda _: client)
    return SyntheticDataGenerator(provider=provider, seed=1), client


class DeadServer:
    """Listens on 127.0.0.1, accepts every connection, never reads from it nor answers."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for conn in [*self.accepted, self._listener]:
            conn.close()


@pytest.fixture
def dead() -> Iterator[DeadServer]:
    server = DeadServer()
    yield server
    server.close()


@pytest.fixture
def one_table(tmp_path: Path) -> Path:
    path = tmp_path / "notes.yaml"
    path.write_text(ONE_TABLE)
    return path


def test_cli_fails_fast_on_a_server_that_never_answers(
    dead: DeadServer, one_table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    code = main(
        [
            "generate",
            str(one_table),
            "--rows",
            "3",
            "--out",
            str(tmp_path / "out"),
            "--provider",
            "openai",
            "--base-url",
            f"http://127.0.0.1:{dead.port}/v1",
            "--timeout",
            "1",
            "--max-retries",
            "2",
        ]
    )
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 3, err  # a generation error, as the CLI documents
    assert f"http://127.0.0.1:{dead.port}" in err and "/v1" not in err
    assert "within 1 s" in err and "1 attempt" in err and "--timeout" in err
    assert "--deadline" in err
    # Not retried: the server never answered anything, so a second wait would be wasted.
    assert len(dead.accepted) == 1
    assert elapsed < 1 + 10  # one timeout (and an SDK import), not 2 x 1 s or 120 s x 6
    assert not (tmp_path / "out").exists()


def test_anthropic_timeout_from_the_environment_never_shows_credentials(
    dead: DeadServer,
    one_table: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SYDA_TIMEOUT", "0.3")
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    code = main(
        [
            "generate",
            str(one_table),
            "--rows",
            "3",
            "--out",
            str(tmp_path / "out"),
            "--provider",
            "anthropic",
            "--base-url",
            f"http://admin:hunter2secret@127.0.0.1:{dead.port}/proxy?token=abc",
        ]
    )
    err = capsys.readouterr().err
    assert code == 3, err
    assert f"anthropic endpoint http://127.0.0.1:{dead.port} within 0.3 s" in err
    for secret in ("hunter2secret", "admin", "token=abc", "/proxy", KEY):
        assert secret not in err


def test_a_host_that_does_not_accept_fails_in_the_connect_timeout() -> None:
    # A listener whose accept queue is full: the kernel drops new SYNs, as a firewalled or
    # unreachable host does, so connecting times out.
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = listener.getsockname()[1]
    queued = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        queued.append(filler)
    cfg = ModelConfig(
        provider="openai", base_url=f"http://127.0.0.1:{port}/v1", api_key=KEY, timeout=0.5
    )
    try:
        with pytest.raises(GenerationError, match="could not connect") as info:
            SyntheticDataGenerator(cfg).generate_data({"title": "string"}, sample_size=2)
    finally:
        for sock in [*queued, listener]:
            sock.close()
    message = str(info.value)
    assert f"http://127.0.0.1:{port} within 0.5 s" in message and "--base-url" in message
    assert info.value.attempts == 1


def test_a_timeout_is_retried_once_the_endpoint_has_answered() -> None:
    calls: list[LLMRequest] = []

    def responder(request: LLMRequest) -> Any:
        calls.append(request)
        # The first call of the run answers; the second times out once; its retry answers.
        return TimeoutError("read timed out") if len(calls) == 2 else rows_reply(request)

    gen, _ = scripted(responder, concurrency=1, max_tokens=64)  # a few rows per call
    frames = gen.generate_related_data(TABLES, default_sample_size=8)
    assert len(frames["notes"]) == len(frames["comments"]) == 8
    assert calls[2].user == calls[1].user  # the timed-out call was asked again
    assert gen.last_report is not None
    assert sum(t.provider_calls for t in gen.last_report.tables.values()) == len(calls)


def test_a_timeout_before_any_answer_is_final() -> None:
    gen, client = scripted(lambda request: TimeoutError("read timed out"), timeout=7, max_retries=5)
    with pytest.raises(GenerationError, match="within 7 s") as info:
        gen.generate_data({"title": "string"}, sample_size=3)
    assert info.value.rule == "provider_call" and info.value.attempts == 1
    assert len(client.requests) == 1
    assert "https://api.openai.com:443" in str(info.value)


def test_the_deadline_stops_a_run_of_slow_successful_calls() -> None:
    before = {t.name for t in threading.enumerate()}
    with StandIn() as server:
        cfg = ModelConfig(provider="openai", base_url=server.openai_base_url, api_key=KEY)
        # The stand-in's first reply builds its value pools (seconds on a busy machine): a run
        # before the timed one keeps that out of it.
        SyntheticDataGenerator(cfg).generate_related_data(TABLES, default_sample_size=1)
        server.reset()
        server.latency = 0.25
        # A few rows per call (max_tokens), one call at a time: 15 calls, ~4 s without a deadline.
        slow = replace(cfg, deadline=1.0, concurrency=1, max_tokens=64)
        gen = SyntheticDataGenerator(slow, seed=1)
        started = time.monotonic()
        with pytest.raises(GenerationError, match="deadline of 1 s ran out") as info:
            gen.generate_related_data(TABLES, sample_sizes={"notes": 60})
        elapsed = time.monotonic() - started
        answered = len(server.requests)
    err = info.value
    assert err.rule == "deadline" and err.table == "notes"
    assert f"{server.openai_base_url.removesuffix('/v1')} " in str(err)
    assert "of 60 rows" in str(err)
    assert 1 <= answered < 15, answered  # calls succeeded until the deadline, then stopped
    assert elapsed < 1 + 2
    # Tables are filled on threads with their own loops: none is left behind.
    leftover = {t.name for t in threading.enumerate()} - before
    assert not [name for name in leftover if name.startswith("syda")]


def test_a_generous_deadline_changes_nothing() -> None:
    with StandIn() as server:
        cfg = ModelConfig(
            provider="openai", base_url=server.openai_base_url, api_key=KEY, deadline=60
        )
        frames = SyntheticDataGenerator(cfg, seed=1).generate_related_data(
            TABLES, default_sample_size=5
        )
    assert all(len(frame) == 5 for frame in frames.values())


def test_a_table_started_after_the_deadline_makes_no_call() -> None:
    gen, client = scripted(rows_reply, latency=0.3, deadline=0.2)
    with pytest.raises(GenerationError, match="deadline") as info:
        gen.generate_related_data(TABLES, default_sample_size=3)
    # The parent's call is cut at the deadline; the child table is never asked for.
    assert info.value.table == "notes"
    assert [r.schema_name for r in client.requests] == ["notes"]
    assert client.closed


@pytest.mark.parametrize("value", [0, -1, math.nan, math.inf, "5", True])
@pytest.mark.parametrize("field", ["timeout", "deadline"])
def test_time_limits_must_be_positive_finite_seconds(field: str, value: Any) -> None:
    with pytest.raises(ConfigurationError, match=f"{field} must be a positive, finite number"):
        ModelConfig(provider="openai", **{field: value})


@pytest.mark.parametrize("value", [0, 2.5, True, "3"])
def test_max_retries_must_be_a_whole_number_of_at_least_one(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="max_retries"):
        ModelConfig(provider="openai", max_retries=value)


def test_time_limits_from_the_environment() -> None:
    env = {
        "SYDA_PROVIDER": "openai",
        "OPENAI_API_KEY": KEY,
        "SYDA_TIMEOUT": "2.5",
        "SYDA_MAX_RETRIES": "3",
        "SYDA_DEADLINE": "90",
    }
    config = resolve_config(None, env)
    assert (config.timeout, config.max_retries, config.deadline) == (2.5, 3, 90.0)
    with pytest.raises(
        ConfigurationError, match="SYDA_MAX_RETRIES must be a whole number of at least 1"
    ):
        resolve_config(None, {**env, "SYDA_MAX_RETRIES": "many"})
    with pytest.raises(ConfigurationError, match="SYDA_DEADLINE must be a positive number"):
        resolve_config(None, {**env, "SYDA_DEADLINE": "-4"})


def test_the_endpoint_is_scheme_host_and_port_only() -> None:
    config = ModelConfig(
        provider="openai", base_url="https://user:s3cret@LLM.example.com:8443/v1?key=abc"
    )
    assert config.endpoint() == "https://llm.example.com:8443"
    assert ModelConfig(provider="anthropic").endpoint({}) == "https://api.anthropic.com:443"
    assert (
        ModelConfig(provider="openai").endpoint({"OPENAI_BASE_URL": "http://[::1]:9000/v1"})
        == "http://[::1]:9000"
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--provider", "openai", "--timeout", "soon"], "--timeout needs a number of seconds"),
        (["--provider", "openai", "--max-retries", "2.5"], "--max-retries needs a whole number"),
        (["--provider", "openai", "--deadline", "0"], "deadline must be a positive"),
        (["--deadline", "30"], "--deadline needs an LLM provider"),
        (["--timeout", "3", "--max-retries", "2"], "--timeout, --max-retries need an LLM provider"),
    ],
)
def test_cli_time_limit_options_are_checked(
    options: list[str],
    expected: str,
    one_table: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    code = main(["generate", str(one_table), "--out", str(tmp_path / "out"), *options])
    err = capsys.readouterr().err
    assert code == 2, err
    assert expected in err


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("concurrency", 0, "concurrency must be at least 1, got 0"),
        ("max_tokens", 10, "max_tokens must be at least 64, got 10"),
        ("max_retries", 0, "max_retries must be at least 1, got 0"),
    ],
)
def test_a_too_small_option_is_named_alone(field: str, value: int, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ModelConfig(provider="openai", **{field: value})
    assert str(caught.value) == message
