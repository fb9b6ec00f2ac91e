"""Appending many rows to a database that has a few: unique values extend past the existing ones.

A unique company name is drawn from a vocabulary of a few thousand names, and repeats get a
suffix. Once a run draws more rows than the vocabulary holds, every bare name is taken by the
run itself, so a name that collides with an existing row can never be re-drawn bare: the values
must avoid the existing ones from the start. 5 rows first, then 4,000 customers (more than the
~2,800 company names), on SQLite: before the fix this failed with "could not make (name) unique".
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator, load_schema
from syda.database import count_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from crm_models import MODELS

CRM = load_schema(MODELS)
UNIQUE = {"Customer": ["name"], "Contact": ["email"], "Product": ["sku"]}


def test_appending_many_rows_to_a_few_keeps_every_value_unique(sqlite_engine: Engine) -> None:
    generator = SyntheticDataGenerator(seed=3)
    generator.generate_related_data(
        CRM, default_sample_size=5, db_url=sqlite_engine, create_tables=True
    )
    sizes = {"Customer": 4000, "Contact": 50, "Product": 40, "Order": 10, "OrderItem": 10}
    generator.generate_related_data(
        CRM, sample_sizes=sizes, db_url=sqlite_engine, if_exists="append"
    )
    assert count_rows(CRM, sqlite_engine) == {k: n + 5 for k, n in sizes.items()}
    with sqlite_engine.connect() as conn:
        for key, columns in UNIQUE.items():
            table = CRM.table(key)
            for column in columns:
                query = sa.text(f"SELECT {column} FROM {table.name}")
                values = pd.Series(conn.execute(query).scalars().all())
                assert values.is_unique, (key, column)
                # The new values are still the column's kind of value, not bare numbers.
                assert not values.str.fullmatch(r"[0-9A-Z]+").all(), (key, column)
