"""Dev bootstrap: seed an application's database once, keep it across restarts, reset on demand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.database import database_status, seed_database
from tests.sample_schemas import company, sakila


def rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        return {
            name: sorted(tuple(map(repr, r)) for r in conn.execute(sa.select(table)))
            for name, table in metadata.tables.items()
        }


def test_seed_fills_once_then_keeps_the_data(database: Engine) -> None:
    assert database_status(company.MODELS, database) == {"Department": None, "Employee": None}
    first = seed_database(company.MODELS, database, sample_sizes={"Employee": 12})
    assert first.seeded
    assert first.tables == {"Department": 10, "Employee": 12}
    assert "created Department, Employee" in first.reason
    data = rows(database)

    again = seed_database(company.MODELS, database, sample_sizes={"Employee": 12})
    assert not again.seeded
    assert again.reason.startswith("not seeded: Department (10 rows), Employee (12 rows)")
    assert again.tables == {"Department": 10, "Employee": 12}
    assert rows(database) == data

    reset = seed_database(company.MODELS, database, reset=True, default_sample_size=4)
    assert reset.seeded and reset.reason.startswith("emptied and refilled")
    assert database_status(company.MODELS, database) == {"Department": 4, "Employee": 4}


def test_the_same_seed_gives_the_same_database(tmp_path: Path) -> None:
    urls = [f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db")]
    for url in urls:
        assert seed_database(sakila.MODELS, url).seeded
    engines = [sa.create_engine(url) for url in urls]
    try:
        assert rows(engines[0]) == rows(engines[1])
    finally:
        for engine in engines:
            engine.dispose()


def test_seed_without_models_reflects_the_target(sqlite_engine: Engine) -> None:
    company.Base.metadata.create_all(sqlite_engine)
    result = seed_database(
        None, sqlite_engine, default_sample_size=3, generator=SyntheticDataGenerator(seed=5)
    )
    assert result.seeded and result.tables == {"department": 3, "employee": 3}
    assert database_status(None, sqlite_engine) == {"department": 3, "employee": 3}
    assert not seed_database(None, sqlite_engine).seeded


def test_an_absent_table_next_to_filled_ones_is_not_seeded(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE department (id INTEGER PRIMARY KEY, name VARCHAR(60) NOT NULL, "
            "budget NUMERIC(12, 2), head_employee_id INTEGER)"
        )
        conn.execute(sa.text("INSERT INTO department (id, name) VALUES (1, 'Sales')"))
    result = seed_database(company.MODELS, sqlite_engine)
    assert not result.seeded
    assert result.tables == {"Department": 1, "Employee": 0}
    assert database_status(company.MODELS, sqlite_engine) == {"Department": 1, "Employee": None}
