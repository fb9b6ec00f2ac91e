"""How provider cassettes are recorded: vcrpy options, URI canonicalisation and secret scrubbing.

Every cassette names the real API addresses (``https://api.openai.com/v1/...``,
``https://api.anthropic.com/v1/messages``) whatever server answered it: requests sent to the
local stand-in are rewritten to those addresses before they are stored *and* before they are
matched. So a cassette recorded against the stand-in and one re-recorded against the real API
are interchangeable, replay needs no server at all (the clients are pointed at the real
addresses and vcrpy answers them), and the stand-in can use any free port. Answers from the
stand-in carry the response header ``server: syda-standin``, so a cassette still tells where it
came from.

Secrets never reach a cassette: the auth and organisation headers are dropped from requests and
responses (vcrpy's ``filter_headers`` only covers requests), and any API key found in the
environment is replaced in URIs and bodies. Machine-specific ``x-stainless-*`` request headers
are dropped too, so a re-recording on another machine changes nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from tests.support.standin import FAULTS, StandIn

__all__ = [
    "ANTHROPIC_MODEL",
    "ANTHROPIC_URL",
    "AZURE_URL",
    "DUMMY_KEY",
    "FILTER_HEADERS",
    "KEY_SHAPED",
    "KEY_VARIABLES",
    "OPENAI_MODEL",
    "OPENAI_URL",
    "Endpoints",
    "secrets_in_environment",
    "vcr_options",
]

OPENAI_URL = "https://api.openai.com/v1"
"""The real OpenAI ``base_url``: what cassettes name and what replays point the client at."""
AZURE_URL = "https://syda-test.openai.azure.com"
"""The Azure OpenAI endpoint cassettes name (a resource's ``https://<name>.openai.azure.com``)."""
ANTHROPIC_URL = "https://api.anthropic.com"
"""The real Anthropic ``base_url`` (the SDK appends ``/v1/messages``)."""
DUMMY_KEY = "test-standin-key"
"""The API key given to clients when no real key is used; it must never appear in a cassette."""
OPENAI_MODEL = "gpt-4o-mini"
"""The model provider tests ask OpenAI for (any name works with the stand-in)."""
ANTHROPIC_MODEL = "claude-haiku-4-5"
"""The model provider tests ask Anthropic for."""
KEY_VARIABLES = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AZURE_OPENAI_API_KEY")
"""Environment variables whose values are scrubbed from anything recorded."""

FILTER_HEADERS = (
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "anthropic-organization-id",
    "cookie",
    "set-cookie",
)
"""Headers removed from recorded requests and responses."""

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_REDACTED = "<redacted>"


@dataclass
class Endpoints:
    """Where a provider test sends its requests, and with which keys.

    Attributes:
        mode: ``"replay"`` (a cassette answers), ``"standin"`` (the local stand-in answers and
            the cassette records it) or ``"real"`` (the real APIs answer).
        openai_base_url: ``base_url`` for OpenAI clients.
        anthropic_base_url: ``base_url`` for Anthropic clients.
        openai_api_key: Key for OpenAI clients (a dummy unless recording the real API).
        anthropic_api_key: Key for Anthropic clients.
        openai_model: Model name for OpenAI requests.
        anthropic_model: Model name for Anthropic requests.
        standin: The stand-in server (running only in ``"standin"`` mode).
    """

    mode: Literal["replay", "standin", "real"]
    openai_base_url: str
    anthropic_base_url: str
    openai_api_key: str = DUMMY_KEY
    anthropic_api_key: str = DUMMY_KEY
    openai_model: str = OPENAI_MODEL
    anthropic_model: str = ANTHROPIC_MODEL
    standin: StandIn = field(default_factory=StandIn)

    def script(self, *faults: str | None) -> None:
        """Queue stand-in faults for the next requests (a no-op on replay: the cassette has them).

        Raises:
            RuntimeError: When recording the real APIs; mark the test ``standin_only``.
        """
        self._faults_allowed()
        self.standin.script(*faults)

    def schedule(self, kinds: Iterable[str], every: int = 1) -> None:
        """Stand-in faults by call index, every kind met (see :meth:`StandIn.schedule`); a
        no-op on replay (the cassette has them).

        Raises:
            RuntimeError: When recording the real APIs; mark the test ``standin_only``.
        """
        self._faults_allowed()
        self.standin.schedule(kinds, every)

    def fault_rate(self, rate: float, kinds: Iterable[str] = FAULTS, seed: int = 0) -> None:
        """Random stand-in faults at ``rate`` (see :meth:`StandIn.fault_rate`); a no-op on replay.

        Raises:
            RuntimeError: When recording the real APIs; mark the test ``standin_only``.
        """
        self._faults_allowed()
        self.standin.fault_rate(rate, kinds, seed)

    def _faults_allowed(self) -> None:
        if self.mode == "real":
            raise RuntimeError("the real APIs cannot script faults: mark the test standin_only")


def secrets_in_environment() -> tuple[str, ...]:
    """The dummy key and every API key set in the environment (longest first)."""
    found = {DUMMY_KEY, *(os.environ.get(name, "") for name in KEY_VARIABLES)}
    return tuple(sorted((s for s in found if len(s) >= 8), key=len, reverse=True))


def vcr_options(record_mode: str) -> dict[str, Any]:
    """The vcrpy ``use_cassette`` options of every provider cassette.

    Args:
        record_mode: A vcrpy record mode (``none``, ``once``, ``new_episodes``, ``all``), or
            pytest-recording's ``rewrite``.
    """
    return {
        "filter_headers": list(FILTER_HEADERS),
        "filter_query_parameters": ["key", "api-key", "api_key"],
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
        "decode_compressed_response": True,
        "record_mode": record_mode,
        "before_record_request": _before_record_request,
        "before_record_response": _before_record_response,
    }


def _canonical_uri(uri: str) -> str:
    """A stand-in (loopback) URI rewritten to the real API address it stands in for."""
    parts = urlsplit(uri)
    if parts.hostname not in _LOCAL_HOSTS:
        return uri
    if parts.path.startswith("/openai/deployments/"):
        origin = AZURE_URL
    else:
        base = ANTHROPIC_URL if parts.path.rstrip("/").endswith("/v1/messages") else OPENAI_URL
        origin = base.removesuffix("/v1")
    return origin + parts.path + (f"?{parts.query}" if parts.query else "")


KEY_SHAPED = re.compile(r"\bsk-[A-Za-z0-9_-]{6,}|\bBearer\s+\S+")
"""Text shaped like an API key or a bearer token: scrubbed even when no variable names it."""


def _scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, _REDACTED)
    return KEY_SHAPED.sub(_REDACTED, text)


def _scrub_bytes(body: Any, secrets: Iterable[str]) -> Any:
    if isinstance(body, bytes):
        for secret in secrets:
            body = body.replace(secret.encode(), _REDACTED.encode())
        body = re.sub(KEY_SHAPED.pattern.encode(), _REDACTED.encode(), body)
    elif isinstance(body, str):
        body = _scrub(body, secrets)
    return body


def _before_record_request(request: Any) -> Any:
    secrets = secrets_in_environment()
    uri = _canonical_uri(request.uri)
    headers = {
        name: value
        for name, value in request.headers.items()
        if not name.lower().startswith("x-stainless-") and name.lower() not in FILTER_HEADERS
    }
    if uri != request.uri:
        headers = {k: v for k, v in headers.items() if k.lower() != "host"}
        headers["host"] = urlsplit(uri).netloc
    request.uri = _scrub(uri, secrets)
    request.body = _scrub_bytes(request.body, secrets)
    request.headers = headers
    return request


def _before_record_response(response: dict[str, Any]) -> dict[str, Any]:
    secrets = secrets_in_environment()
    headers: Mapping[str, Any] = response.get("headers") or {}
    response["headers"] = {
        name: value for name, value in headers.items() if name.lower() not in FILTER_HEADERS
    }
    body = response.get("body") or {}
    if "string" in body:
        body["string"] = _scrub_bytes(body["string"], secrets)
    return response
