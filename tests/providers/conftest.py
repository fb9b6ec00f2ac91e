"""Cassette fixtures for provider tests: replay offline, record against the stand-in or the API.

A test marked ``@pytest.mark.vcr`` runs inside a vcrpy cassette at
``cassettes/<test module>/<test name>.yaml`` (pytest-recording). It talks to the API through
the ``llm_endpoints`` fixture, which says where to send requests and with which key:

* replay (the cassette exists and the record mode will not add to it): the real API addresses
  and a dummy key; vcrpy answers every request and no server is started;
* stand-in (the cassette is missing, or the record mode records): a fresh local
  :class:`~tests.support.standin.StandIn` on a free port; its faults can be scripted with
  ``llm_endpoints.script(...)``;
* real (``SYDA_RECORD_REAL=1``): the real APIs with the keys from ``OPENAI_API_KEY`` and
  ``ANTHROPIC_API_KEY``. Tests marked ``standin_only`` (scripted faults) are skipped, so their
  cassettes stay as the stand-in recorded them.

Record mode: ``--record-mode`` when given, else ``none`` when ``CI`` is set (and the network is
blocked for cassette tests), else ``once`` (missing cassettes are recorded against the stand-in).
Recorded URIs always name the real APIs (see :mod:`tests.support.recording`), so either kind of
recording replays the same way.

Re-record every cassette against the real APIs with one command::

    SYDA_RECORD_REAL=1 OPENAI_API_KEY=sk-... ANTHROPIC_API_KEY=sk-ant-... \\
        .venv/bin/pytest tests/providers --record-mode=rewrite

Re-record against the stand-in: ``.venv/bin/pytest tests/providers --record-mode=rewrite``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.recording import ANTHROPIC_URL, OPENAI_URL, Endpoints, vcr_options
from tests.support.standin import StandIn

HERE = Path(__file__).parent
CASSETTES = HERE.parents[1] / "cassettes"
REAL = "SYDA_RECORD_REAL"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "standin_only: needs the stand-in's scripted faults; skipped when re-recording against "
        f"the real APIs ({REAL}=1)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    real = bool(os.environ.get(REAL))
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        if item.get_closest_marker("vcr") is not None:
            # Blocks sockets when the record mode is "none" (pytest-recording's rule).
            item.add_marker(pytest.mark.block_network)
        if real and item.get_closest_marker("standin_only") is not None:
            item.add_marker(pytest.mark.skip(reason="scripted faults need the stand-in"))


def record_mode(config: pytest.Config) -> str:
    """The record mode of this run: the command line's, else ``none`` in CI, else ``once``."""
    chosen = config.getoption("--record-mode")
    if chosen:
        return str(chosen)
    return "none" if os.environ.get("CI") else "once"


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """Cassettes live in the top-level ``cassettes/``, one folder per test module."""
    return str(CASSETTES / request.path.stem)


@pytest.fixture
def vcr_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """vcrpy options: filtered secrets, body matching, and this run's record mode."""
    return vcr_options(record_mode(request.config))


@pytest.fixture
def llm_endpoints(request: pytest.FixtureRequest) -> Iterator[Endpoints]:
    """Base URLs, keys and models for this test (see the module docstring for the three modes).

    A test without a ``vcr`` mark always gets a running stand-in and records nothing.
    """
    if os.environ.get(REAL):
        keys = _key("OPENAI_API_KEY"), _key("ANTHROPIC_API_KEY")
        yield Endpoints("real", OPENAI_URL, ANTHROPIC_URL, *keys)
        return
    cassette = request.getfixturevalue("vcr")
    if cassette is not None and cassette.write_protected:
        yield Endpoints("replay", OPENAI_URL, ANTHROPIC_URL)
        return
    with StandIn() as server:
        yield Endpoints(
            "standin", server.openai_base_url, server.anthropic_base_url, standin=server
        )


@pytest.fixture
def standin() -> Iterator[StandIn]:
    """A fresh stand-in server on a free port, for tests that talk to it live (no cassette)."""
    with StandIn() as server:
        yield server


def _key(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        pytest.fail(f"{REAL}=1 records the real APIs: set {variable}", pytrace=False)
    return value
