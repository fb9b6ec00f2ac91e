"""Property: any random schema fills into SQLite and PostgreSQL with every constraint enforced.

Hypothesis draws schemas (:mod:`tests.support.random_schemas`: column types, NULL and NOT NULL,
single and composite keys, self-references, a cycle (nullable, or NOT NULL and deferrable),
single and composite UNIQUE sets, CHECKs mixing AND/OR/NOT/LIKE/IN/BETWEEN/IS NULL and
comparisons between columns), creates each in an empty database with SQLAlchemy's DDL, reflects
it with syda as ``syda generate --db URL`` does, and fills it straight into that database: the
database enforces every constraint, and each table must hold exactly the rows asked for.
Derandomized, so CI runs the same 210 examples every time (150 in SQLite, 60 in PostgreSQL).

Not drawn yet:

* partial unique indexes (``UNIQUE ... WHERE``), which syda reads as full UNIQUEs today (issue 10,
  "Uniques of any shape"): add them to the strategy when reflection reads their predicate;
* the shapes of :data:`~tests.support.random_schemas.COMPOSITE_SELF_REFERENCES` and
  :data:`~tests.support.random_schemas.COMPOSITE_CYCLES`, which fail today: each is a strict xfail
  below, so the day it passes it fails the run, to be turned on in the strategy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, note, settings
from sqlalchemy import event
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.database import reflect_database
from syda.errors import OutputError
from tests.support import databases
from tests.support.random_schemas import ColumnModel, SchemaModel, TableModel, metadata, schemas

ROWS = 12


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def fill_and_count(engine: Engine, model: SchemaModel) -> None:
    """Create ``model`` in ``engine``'s empty database, fill it with syda, check the counts."""
    metadata(model).create_all(engine)
    schema = reflect_database(engine)
    SyntheticDataGenerator(seed=0).generate_related_data(
        schema, default_sample_size=ROWS, db_url=engine
    )
    with engine.connect() as connection:
        counts = {
            t.name: connection.execute(sa.text(f"SELECT count(*) FROM {t.name}")).scalar_one()
            for t in model.tables
        }
    assert counts == {t.name: ROWS for t in model.tables}


def sqlite_file(path: Path) -> Engine:
    """A constraint-enforcing SQLite file that does not wait for the disk on each commit."""
    path.unlink(missing_ok=True)
    engine = databases.sqlite_engine(path)

    @event.listens_for(engine, "connect")
    def _no_sync(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous=OFF")

    return engine


@given(model=schemas())
@_settings(150)
def test_random_schemas_fill_sqlite(tmp_path: Path, model: SchemaModel) -> None:
    note(model.describe())
    engine = sqlite_file(tmp_path / "property.db")
    try:
        fill_and_count(engine, model)
    finally:
        engine.dispose()


@pytest.fixture
def postgres_schema(postgres_url: str) -> Iterator[Engine]:
    """One schema of this test's own, emptied before each example."""
    with databases.postgres_schema_engine(postgres_url) as engine:
        yield engine


def _empty(engine: Engine) -> None:
    with engine.begin() as connection:
        name = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
        connection.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')


@pytest.mark.postgres
@given(model=schemas())
@_settings(60)
def test_random_schemas_fill_postgresql(postgres_schema: Engine, model: SchemaModel) -> None:
    note(model.describe())
    _empty(postgres_schema)
    fill_and_count(postgres_schema, model)


# --- shapes left out of the strategy until they work ----------------------------------------

KEYS = [ColumnModel("k1", "integer", False), ColumnModel("k2", "integer", False)]
COMPOSITE_SELF_REFERENCE = SchemaModel(
    [
        TableModel(
            "t0",
            [*KEYS, ColumnModel("up", "integer", True)],
            ["k1", "k2"],
            [(["k1", "up"], "t0", ["k1", "k2"], False)],
        )
    ]
)
COMPOSITE_CYCLE = SchemaModel(
    [
        TableModel(
            "t0",
            [
                *KEYS,
                ColumnModel("back_k1", "integer", True),
                ColumnModel("back_k2", "integer", True),
            ],
            ["k1", "k2"],
            [(["back_k1", "back_k2"], "t1", ["k1", "k2"], False)],
        ),
        TableModel(
            "t1",
            [*KEYS, ColumnModel("t0_k1", "integer", True), ColumnModel("t0_k2", "integer", True)],
            ["k1", "k2"],
            [(["t0_k1", "t0_k2"], "t0", ["k1", "k2"], False)],
        ),
    ]
)


@pytest.mark.xfail(
    strict=True,
    raises=KeyError,
    reason="(k1, up) -> (k1, k2) of its own table: fill.py's self-reference reads k1 from a "
    "frame that lacks it (KeyError: 'k1')",
)
def test_a_composite_self_reference_sharing_a_key_column(tmp_path: Path) -> None:
    engine = sqlite_file(tmp_path / "self.db")
    try:
        fill_and_count(engine, COMPOSITE_SELF_REFERENCE)
    finally:
        engine.dispose()


@pytest.mark.xfail(
    strict=True,
    raises=OutputError,
    reason="a cycle closed by a composite key: the writer's UPDATE binds a parameter named k1, "
    "which SQLAlchemy reserves for the column (bindparam() name 'k1' is reserved)",
)
def test_a_cycle_closed_by_a_composite_key(tmp_path: Path) -> None:
    engine = sqlite_file(tmp_path / "cycle.db")
    try:
        fill_and_count(engine, COMPOSITE_CYCLE)
    finally:
        engine.dispose()
