"""Shared fixtures: fresh databases that enforce every constraint (see tests/support/)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.support import databases


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of the test PostgreSQL server; skips the test (with the reason) when unreachable."""
    try:
        return databases.find_postgres()
    except databases.DatabaseUnavailable as exc:
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432: {exc}")


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty SQLite file with foreign keys enforced on every connection."""
    engine = databases.sqlite_engine(tmp_path / "test.db")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """An empty PostgreSQL schema of its own (the engine's search_path), dropped afterwards."""
    with databases.postgres_schema_engine(postgres_url) as engine:
        yield engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Engine:
    """Each real database in turn: SQLite, then PostgreSQL (skipped when unreachable)."""
    fixture = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    engine: Engine = request.getfixturevalue(fixture)
    return engine


@pytest.fixture(scope="session")
def mariadb_url() -> str:
    """URL of the test MariaDB server; skips the test (with the reason) when unreachable."""
    try:
        return databases.find_mariadb()
    except databases.DatabaseUnavailable as exc:
        pytest.skip(f"MariaDB not reachable at 127.0.0.1:3306: {exc}")


@pytest.fixture
def mariadb_engine(mariadb_url: str) -> Iterator[Engine]:
    """An empty MariaDB database of its own, dropped afterwards."""
    with databases.mariadb_database_engine(mariadb_url) as engine:
        yield engine


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres), "mariadb"]
)
def any_database(request: pytest.FixtureRequest) -> Engine:
    """Each real database in turn: SQLite, PostgreSQL, MariaDB (skipped when unreachable)."""
    fixture = {"sqlite": "sqlite_engine", "postgresql": "postgres_engine"}.get(
        request.param, "mariadb_engine"
    )
    engine: Engine = request.getfixturevalue(fixture)
    return engine


@pytest.fixture(autouse=True)
def _no_api_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's real API keys must never switch a test to a paid provider."""
    if os.environ.get("SYDA_RECORD_REAL"):
        return
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
