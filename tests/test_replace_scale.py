"""``replace`` and ``create_tables`` at scale: foreign key indexes, TRUNCATE, one transaction.

Tables syda creates index every foreign key that no other index leads with, on SQLite,
PostgreSQL and MariaDB (where InnoDB makes the index itself, so syda adds none). PostgreSQL empties
the replaced tables with one TRUNCATE unless another table has a foreign key into them; a failed
replace leaves every row where it was. The statements are read from SQLAlchemy's own event, so
the tests see what reached the database. The 2M-row timing is ``make bench-replace``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import OutputError, SyntheticDataGenerator, load_schema
from syda.database import count_rows, write_database
from syda.schema import to_metadata

SHOP = load_schema(
    {
        "region": {
            "columns": {"code": {"type": "string", "max_length": 4}, "no": "integer"},
            "primary_key": ["code", "no"],
        },
        "customer": {
            "columns": {
                "id": {"type": "integer", "primary_key": True},
                "region_code": {"type": "string", "max_length": 4},
                "region_no": "integer",
                "referrer_id": {"type": "integer", "references": "customer.id", "nullable": True},
            },
            "foreign_keys": [{"columns": ["region_code", "region_no"], "references": "region"}],
        },
        "order": {
            "id": {"type": "integer", "primary_key": True},
            "customer_id": {"type": "integer", "references": "customer.id"},
        },
        "line": {
            "columns": {
                "order_id": {"type": "integer", "references": "order.id"},
                "line_no": "integer",
                "customer_id": {"type": "integer", "references": "customer.id"},
            },
            "primary_key": ["order_id", "line_no"],
        },
    }
)
INDEXED = {
    "customer": [("region_code", "region_no"), ("referrer_id",)],
    "order": [("customer_id",)],
    "line": [("customer_id",)],  # line.order_id leads the primary key: no index of its own
}


def generate(seed: int = 0) -> dict[str, pd.DataFrame]:
    sizes = {"region": 3, "customer": 8, "order": 12, "line": 20}
    return SyntheticDataGenerator(seed=seed).generate_related_data(SHOP, sample_sizes=sizes)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()).upper())

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def leading_sets(engine: Engine, table: str) -> list[list[str]]:
    """The column lists of the primary key, the unique constraints and the indexes of ``table``."""
    inspector = sa.inspect(engine)
    found = [inspector.get_pk_constraint(table)["constrained_columns"]]
    found += [u["column_names"] for u in inspector.get_unique_constraints(table)]
    found += [list(i["column_names"]) for i in inspector.get_indexes(table)]
    return [cols for cols in found if cols]


def test_created_tables_index_every_foreign_key_once(any_database: Engine) -> None:
    write_database(SHOP, generate(), any_database, create_tables=True)
    inspector = sa.inspect(any_database)
    for table, keys in INDEXED.items():
        indexes = [tuple(i["column_names"]) for i in inspector.get_indexes(table)]
        unique = [tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)]
        primary = tuple(inspector.get_pk_constraint(table)["constrained_columns"])
        for cols in keys:
            assert any(set(s[: len(cols)]) == set(cols) for s in indexes), (table, cols)
        # One index per key and none more (MariaDB makes its own: syda must not add a second;
        # line.order_id leads the primary key), apart from indexes behind unique constraints.
        extra = [s for s in indexes if s not in unique and s != primary]
        assert sorted(tuple(sorted(s)) for s in extra) == sorted(tuple(sorted(s)) for s in keys), (
            table
        )


def test_index_names_fit_every_database() -> None:
    long = "t" * 70
    schema = load_schema(
        {
            "p": {"id": {"type": "integer", "primary_key": True}},
            long: {
                "id": {"type": "integer", "primary_key": True},
                "a_rather_long_foreign_key_column": {"type": "integer", "references": "p.id"},
                "another_long_foreign_key_column": {"type": "integer", "references": "p.id"},
            },
        }
    )
    names = [i.name for t in to_metadata(schema).tables.values() for i in t.indexes]
    assert len(names) == len(set(names)) == 2
    assert all(name is not None and len(name.encode()) <= 63 for name in names)


def test_postgres_replace_truncates_in_one_transaction(postgres_engine: Engine) -> None:
    write_database(SHOP, generate(), postgres_engine, create_tables=True)
    frames = generate(seed=1)
    with statements(postgres_engine) as seen:
        write_database(SHOP, frames, postgres_engine, mode="replace")
    truncates = [s for s in seen if s.startswith("TRUNCATE")]
    assert len(truncates) == 1
    assert all(name.upper() in truncates[0] for name in ("region", "customer", "order", "line"))
    assert not [s for s in seen if s.startswith(("DELETE", "WITH"))]
    assert count_rows(SHOP, postgres_engine) == {k: len(f) for k, f in frames.items()}


def test_replace_deletes_when_an_outside_table_refers(any_database: Engine) -> None:
    write_database(SHOP, generate(), any_database, create_tables=True)
    with any_database.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE invoice (id INTEGER PRIMARY KEY, customer_id INTEGER, "
            "FOREIGN KEY (customer_id) REFERENCES customer (id))"
        )
    frames = generate(seed=1)
    with statements(any_database) as seen:
        write_database(SHOP, frames, any_database, mode="replace")
    assert not [s for s in seen if s.startswith("TRUNCATE")]  # it would refuse the table
    assert any(s.startswith(("DELETE", "WITH")) for s in seen)
    assert count_rows(SHOP, any_database) == {k: len(f) for k, f in frames.items()}


def test_a_failed_replace_leaves_the_rows_in_place(any_database: Engine) -> None:
    old = generate()
    write_database(SHOP, old, any_database, create_tables=True)
    frames = generate(seed=1)
    frames["line"].loc[0, "customer_id"] = 999  # no such customer: fails after the emptying
    with statements(any_database) as seen, pytest.raises(OutputError, match="nothing was written"):
        write_database(SHOP, frames, any_database, mode="replace")
    if any_database.dialect.name == "postgresql":
        assert any(s.startswith("TRUNCATE") for s in seen)
    assert count_rows(SHOP, any_database) == {k: len(f) for k, f in old.items()}
    order = sa.table("order", sa.column("id"))
    with any_database.connect() as conn:
        assert set(conn.execute(sa.select(order.c.id)).scalars()) == set(old["order"].id)
