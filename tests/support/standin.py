"""A local stand-in for the OpenAI and Anthropic HTTP APIs, with scriptable faults.

The real ``openai`` and ``anthropic`` SDK clients are pointed at it through ``base_url``; it
answers in each vendor's wire format (ids, usage, finish/stop reasons, tool-use blocks, error
bodies and headers), so cassettes recorded against it look like cassettes recorded against the
real services. Rows are drawn by syda's offline provider from the reply schema in the request
(see :mod:`tests.support.standin_rows`), seeded by a hash of the request body.

Routes:

* ``POST /v1/chat/completions``: OpenAI Chat Completions with
  ``response_format={"type": "json_schema", ...}``; the reply is JSON text in
  ``choices[0].message.content``.
* ``POST /openai/deployments/<deployment>/chat/completions``: the same, as Azure OpenAI routes
  it (``api-version`` in the query, the key in an ``api-key`` header).
* ``POST /v1/messages``: Anthropic Messages with a forced tool call (the reply is the tool's
  ``input``) or ``output_config.format`` (the reply is JSON text in a ``text`` block).

Faults (:data:`FAULTS`) are queued with :meth:`StandIn.script`, released by call index with
:meth:`StandIn.schedule` (each kind met once, by the first request it fits: what the fault tests
use, see :mod:`tests.support.standin_faults`), or drawn at a rate with :meth:`StandIn.fault_rate`.
A random fault depends only on the request body and on how many times that body was seen
before, so a retry of the same request behaves the same on every run.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import socket
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.standin_faults import FaultSchedule
from tests.support.standin_profile import PROFILE_FAULTS
from tests.support.standin_rows import ROW_FAULTS
from tests.support.standin_wire import ANTHROPIC, OPENAI, ApiError, Reply, Wire

AZURE_PATH = re.compile(r"/openai/deployments/[^/]+/chat/completions")
"""The path Azure OpenAI sends Chat Completions to (the deployment names the model)."""

__all__ = ["FAULTS", "Received", "StandIn"]

FAULTS = frozenset(
    {
        *ROW_FAULTS,
        *PROFILE_FAULTS,
        "malformed_json",
        "rate_limit",
        "server_error",
        "overloaded",
        "truncated",
    }
)
"""Every fault kind the stand-in can inject."""


@dataclass(frozen=True)
class Received:
    """One request the stand-in answered, for assertions in tests.

    Attributes:
        provider: ``"openai"`` or ``"anthropic"``.
        path: The request path.
        headers: Request headers, names lower-cased.
        body: The parsed JSON body (``None`` if it was not JSON).
        attempt: How many times this exact body had been seen before (0 for the first).
        fault: The fault applied to the reply, if any.
        status: The HTTP status code of the reply.
    """

    provider: str
    path: str
    headers: Mapping[str, str]
    body: Any
    attempt: int
    fault: str | None
    status: int


class StandIn:
    """A threaded HTTP server speaking the OpenAI and Anthropic wire formats.

    Use it as a context manager (or call :meth:`start` and :meth:`close`)::

        with StandIn() as server:
            client = openai.OpenAI(base_url=server.openai_base_url, api_key="test-standin-key")
            server.script("rate_limit")  # the next request gets a 429, the one after rows

    Args:
        host: Interface to listen on.
        port: TCP port; 0 picks a free one when the server starts.

    Attributes:
        requests: Every request answered so far, in arrival order.
        latency: Seconds to wait before answering each request (simulates a model's latency;
            requests are served concurrently, so waits overlap).
        retry_after: Value of the ``retry-after`` header of 429 replies (seconds).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.requests: list[Received] = []
        self.latency = 0.0
        self.retry_after = "0.05"
        self._script: deque[str] = deque()
        self._rate = 0.0
        self._rate_kinds: tuple[str, ...] = ()
        self._rate_seed = 0
        self._schedule: FaultSchedule | None = None
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> StandIn:
        """Start serving in a background thread; returns the server itself.

        Raises:
            RuntimeError: If the port is taken (the message names it) or it already runs.
        """
        if self._server is not None:
            raise RuntimeError("the stand-in server is already running")
        try:
            server = _Server((self.host, self.port), _Handler)
        except OSError as exc:
            raise RuntimeError(
                f"the stand-in server cannot listen on {self.host}:{self.port} ({exc}); "
                "stop whatever holds the port or pick another one"
            ) from exc
        server.standin = self
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, drop open keep-alive connections and free the port."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`close`."""
        return self._server is not None

    @property
    def openai_base_url(self) -> str:
        """``base_url`` for ``openai.OpenAI`` (ends in ``/v1``)."""
        return f"http://{self.host}:{self.port}/v1"

    @property
    def anthropic_base_url(self) -> str:
        """``base_url`` for ``anthropic.Anthropic`` (the SDK appends ``/v1/messages``)."""
        return f"http://{self.host}:{self.port}"

    # -- faults -----------------------------------------------------------------------------------
    def script(self, *faults: str | None) -> None:
        """Queue faults for the next requests, one each, in order (``None``: a normal reply).

        Raises:
            ValueError: If a fault is not one of :data:`FAULTS`.
        """
        for fault in faults:
            if fault is not None and fault not in FAULTS:
                raise ValueError(f"unknown fault {fault!r}; known: {', '.join(sorted(FAULTS))}")
        with self._lock:
            self._script.extend(f or "" for f in faults)

    def fault_rate(self, rate: float, kinds: Iterable[str] = FAULTS, seed: int = 0) -> None:
        """Apply a random fault from ``kinds`` to a share ``rate`` of the requests.

        Whether a request gets a fault, and which, depends on ``seed``, the request body and
        the number of times that body was seen before, never on timing or arrival order.

        Raises:
            ValueError: If ``rate`` is outside [0, 1] or a kind is unknown.
        """
        chosen = tuple(sorted(set(kinds)))
        unknown = set(chosen) - FAULTS
        if unknown or not 0.0 <= rate <= 1.0 or (rate and not chosen):
            raise ValueError(f"bad fault rate {rate!r} or kinds {sorted(unknown) or chosen!r}")
        with self._lock:
            self._rate, self._rate_kinds, self._rate_seed = rate, chosen, seed

    def schedule(self, kinds: Iterable[str], every: int = 1) -> FaultSchedule:
        """Release fault ``kinds`` by call index, one every ``every`` requests from the next one.

        Each kind goes to the first request from its release on that it fits (see
        :mod:`tests.support.standin_faults`), so every kind is met whatever the prompts say.
        Scripted faults (:meth:`script`) come first.

        Raises:
            ValueError: If a kind is unknown.
        """
        chosen = tuple(kinds)
        unknown = set(chosen) - FAULTS
        if unknown:
            known = ", ".join(sorted(FAULTS))
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {known}")
        with self._lock:
            self._schedule = FaultSchedule(chosen, every)
            return self._schedule

    def reset(self) -> None:
        """Forget queued faults, the fault rate, the request log and the attempt counts."""
        with self._lock:
            self._script.clear()
            self._schedule = None
            self._rate, self._rate_kinds = 0.0, ()
            self._seen.clear()
            self.requests.clear()

    # -- answering --------------------------------------------------------------------------------
    def _pick_fault(self, digest: str, body: Any) -> tuple[int, str | None]:
        with self._lock:
            attempt = self._seen[digest]
            self._seen[digest] += 1
            if self._script:
                return attempt, self._script.popleft() or None
            if self._schedule is not None:
                return attempt, self._schedule.pick(body)
            if not self._rate:
                return attempt, None
            draw = random.Random(f"{self._rate_seed}:{digest}:{attempt}")
            if draw.random() >= self._rate:
                return attempt, None
            return attempt, draw.choice(self._rate_kinds)

    def _answer(self, path: str, headers: Mapping[str, str], raw: bytes) -> Reply:
        provider = "anthropic" if path.rstrip("/").endswith("/messages") else "openai"
        wire: Wire = ANTHROPIC if provider == "anthropic" else OPENAI
        digest = hashlib.sha256(raw).hexdigest()
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        attempt, fault = self._pick_fault(digest, body)
        if self.latency:
            time.sleep(self.latency)
        try:
            if path.rstrip("/") not in ("/v1/chat/completions", "/v1/messages") and not (
                AZURE_PATH.fullmatch(path.rstrip("/"))
            ):
                kind = "not_found_error" if provider == "anthropic" else "invalid_request_error"
                raise ApiError(404, kind, f"Unknown request URL: POST {path}.")
            if AZURE_PATH.fullmatch(path.rstrip("/")) and headers.get("api-key"):
                # Azure sends its key as api-key, not as a bearer token.
                headers = {**headers, "authorization": f"Bearer {headers['api-key']}"}
            wire.check(headers, body)
            reply = wire.reply(body, digest, attempt, fault, self.retry_after)
        except ApiError as exc:
            reply, fault = wire.error(exc, digest), None
        with self._lock:
            self.requests.append(
                Received(provider, path, dict(headers), body, attempt, fault, reply.status)
            )
        return reply


# -- HTTP -----------------------------------------------------------------------------------------
class _Server(ThreadingHTTPServer):
    daemon_threads = True
    standin: StandIn

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that left (a timeout or a deadline cancelled their call)."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the client's delayed
    # ACK would hold the body back by ~40 ms on every keep-alive request.
    disable_nagle_algorithm = True
    server_version = "syda-standin"
    sys_version = ""
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.standin._lock:
            self.server.standin._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.standin._lock:
            self.server.standin._connections.discard(self.connection)
        super().finish()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.standin._answer(self.path.split("?", 1)[0], headers, raw)
        payload = json.dumps(reply.body).encode()
        # No Date header: the recorded responses must not depend on the clock.
        self.send_response_only(reply.status)
        self.send_header("Server", self.server_version)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: pytest shows the request log on failure through ``StandIn.requests``."""
