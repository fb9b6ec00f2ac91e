"""Shared fixtures: fresh databases that enforce every constraint (see tests/support/).

A test that needs a database server carries its marker, ``postgres`` or ``mariadb``: either
written on it (or on a fixture parameter), or added here to every test that uses the server's
fixtures. Such a test is skipped, with the reason, when the server's driver is not installed or
the server does not answer, except for the servers named in ``SYDA_REQUIRE_DATABASES``
(``.ci/run`` sets ``postgres,mariadb``): there a missing server is an error, so CI can never
pass by skipping.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from syda import RunReport, SyntheticDataGenerator
from tests.support import databases

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# The vocabulary cache of the run lives in a fresh directory, so the suite neither reads a
# developer's cache nor writes into it (tests of the cache set their own directory).
os.environ.setdefault("SYDA_CACHE_DIR", tempfile.mkdtemp(prefix="syda-test-cache-"))

REQUIRE_DATABASES = "SYDA_REQUIRE_DATABASES"

# Each server's marker: its name, its driver module, and the fixtures that reach it.
SERVERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "postgres": ("PostgreSQL at 127.0.0.1:5432", "psycopg", ("postgres_url", "postgres_engine")),
    "mariadb": ("MariaDB at 127.0.0.1:3306", "pymysql", ("mariadb_url", "mariadb_engine")),
}


def _required_servers() -> set[str]:
    named = {name.strip() for name in os.environ.get(REQUIRE_DATABASES, "").split(",")}
    unknown = named - set(SERVERS) - {""}
    if unknown:
        raise pytest.UsageError(f"{REQUIRE_DATABASES} names unknown servers: {sorted(unknown)}")
    return named & set(SERVERS)


def _unavailable(server: str, reason: str) -> None:
    """Skip the test, or fail it when ``server`` is required to be present."""
    if server in _required_servers():
        pytest.fail(f"{reason}, but {REQUIRE_DATABASES} requires {server}", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _required_servers()  # a typo in the variable stops the run before any test
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for server, (_, _, server_fixtures) in SERVERS.items():
            if fixtures & set(server_fixtures) and item.get_closest_marker(server) is None:
                item.add_marker(getattr(pytest.mark, server))


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Every marked test needs at least the driver (some only talk to a closed port with it).
    for server, (label, driver, _) in SERVERS.items():
        if item.get_closest_marker(server) and importlib.util.find_spec(driver) is None:
            _unavailable(server, f"{label} needs the driver {driver}, which is not installed")


def _server_url(server: str, find: Callable[[], str]) -> str:
    try:
        return find()
    except databases.DatabaseUnavailable as exc:
        _unavailable(server, f"{SERVERS[server][0]} is not reachable: {exc}")
        raise  # not reached: _unavailable always raises


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of the test PostgreSQL server; skips the test (with the reason) when unreachable."""
    return _server_url("postgres", databases.find_postgres)


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
    return _server_url("mariadb", databases.find_mariadb)


@pytest.fixture
def mariadb_engine(mariadb_url: str) -> Iterator[Engine]:
    """An empty MariaDB database of its own, dropped afterwards."""
    with databases.mariadb_database_engine(mariadb_url) as engine:
        yield engine


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def any_database(request: pytest.FixtureRequest) -> Engine:
    """Each real database in turn: SQLite, PostgreSQL, MariaDB (skipped when unreachable)."""
    fixture = {"sqlite": "sqlite_engine", "postgresql": "postgres_engine"}.get(
        request.param, "mariadb_engine"
    )
    engine: Engine = request.getfixturevalue(fixture)
    return engine


@pytest.fixture(autouse=True)
def _cold_caches_under_mutmut() -> None:
    """Under mutmut, start each test with syda's caches empty.

    mutmut forks its workers from a process that has already run the tests, so a cached row
    model or adapter would have been built by the unmutated code, and a mutant in it could never
    be seen. Outside mutmut (no ``MUTANT_UNDER_TEST``) this does nothing.
    """
    if "MUTANT_UNDER_TEST" not in os.environ:
        return
    for name, module in list(sys.modules.items()):
        if name == "syda" or name.startswith("syda."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


@pytest.fixture(autouse=True)
def _no_api_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's real API keys must never switch a test to a paid provider."""
    if os.environ.get("SYDA_RECORD_REAL"):
        return
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)


# -- the CRM example, generated once per session ----------------------------------------------


@dataclass(frozen=True)
class CrmDataset:
    """The CRM example generated once (seed 1), for tests that only read it."""

    sizes: Mapping[str, int]
    frames: Mapping[str, pd.DataFrame]
    report: RunReport
    output_dir: Path
    """The CSV files the same call wrote."""


CRM_SIZES = {"Customer": 10, "Contact": 20, "Product": 8, "Order": 25, "OrderItem": 60}


def _crm_models() -> list[type]:
    if str(EXAMPLES) not in sys.path:
        sys.path.insert(0, str(EXAMPLES))
    from crm_models import MODELS

    return list(MODELS)


@pytest.fixture(scope="session")
def crm_dataset(tmp_path_factory: pytest.TempPathFactory) -> CrmDataset:
    """The CRM dataset, its report and its CSV files; the models are given children first."""
    output_dir = tmp_path_factory.mktemp("crm_csv")
    gen = SyntheticDataGenerator(seed=1)
    frames = gen.generate_related_data(
        models=_crm_models()[::-1], sample_sizes=CRM_SIZES, output_dir=output_dir
    )
    assert gen.last_report is not None
    return CrmDataset(CRM_SIZES, frames, gen.last_report, output_dir)


@pytest.fixture(scope="session")
def _crm_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crm_db") / "crm.sqlite"
    SyntheticDataGenerator(seed=1).generate_related_data(
        models=_crm_models(), sample_sizes=CRM_SIZES, db_url=f"sqlite:///{path}", create_tables=True
    )
    return path


@pytest.fixture
def crm_sqlite(_crm_sqlite_template: Path, tmp_path: Path) -> Path:
    """A SQLite file holding the CRM dataset (``crm_dataset.sizes`` rows), the test's own copy.

    The database is generated and loaded once per session; each test gets a copy to change.
    """
    path = tmp_path / "crm.sqlite"
    shutil.copyfile(_crm_sqlite_template, path)
    return path
