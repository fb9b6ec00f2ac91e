#!/usr/bin/env python
"""``replace`` at scale on PostgreSQL: the CRM schema at about 2,000,000 rows in total.

Creates the tables in a schema of its own (dropped at the end), fills them with ``--rows`` rows,
then replaces those rows with as many new ones (delete and insert, one transaction), then
replaces them with nothing (the emptying alone), and prints seconds and rows/s of each write and
the peak memory. Run with ``make bench-replace`` or::

    python benchmarks/replace_postgres.py --rows 2000000 --db postgresql+psycopg://postgres@127.0.0.1/test

``--empty-by`` picks how the old rows go: ``truncate`` (what syda does when no other table has a
foreign key into the tables), ``delete`` (an empty outside table refers to them, so syda deletes
with one statement, helped by the foreign key indexes), or ``delete-unindexed`` (the same
DELETE with those indexes dropped: the behaviour before syda indexed foreign keys; quadratic, so
use it with a small ``--rows``).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from crm_models import MODELS

from syda import SyntheticDataGenerator, load_schema
from syda.database import write_database

# Shares of the total rows per table, roughly a CRM's shape (as in offline_crm.py).
SHARES = {"Customer": 0.05, "Contact": 0.15, "Product": 0.01, "Order": 0.29, "OrderItem": 0.50}
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def show(what: str, seconds: float, rows: int) -> None:
    print(f"{what:<26}{seconds:>10.2f} s  {rows / seconds:>12,.0f} rows/s")


def prepare(engine: sa.Engine, namespace: str, empty_by: str) -> None:
    """Make the chosen emptying path the one syda takes."""
    with engine.begin() as conn:
        if empty_by != "truncate":
            # A foreign key from a table outside the schema rules TRUNCATE out.
            conn.exec_driver_sql(
                f"CREATE TABLE {namespace}.audit (id INTEGER PRIMARY KEY, customer_id INTEGER "
                f"REFERENCES {namespace}.customers (id))"
            )
        if empty_by == "delete-unindexed":
            names = conn.execute(
                sa.text(
                    "SELECT indexname FROM pg_indexes "
                    "WHERE schemaname = :s AND indexname LIKE 'ix\\_%'"
                ),
                {"s": namespace},
            ).scalars()
            for name in list(names):
                conn.exec_driver_sql(f"DROP INDEX {namespace}.{name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000, help="total rows over all tables")
    parser.add_argument("--db", default=os.environ.get("SYDA_BENCH_DB", DEFAULT_DB))
    parser.add_argument(
        "--empty-by", choices=["truncate", "delete", "delete-unindexed"], default="truncate"
    )
    args = parser.parse_args()
    schema = load_schema(MODELS)
    sizes = {k: max(1, int(args.rows * v)) for k, v in SHARES.items()}
    started = time.perf_counter()
    frames = SyntheticDataGenerator(seed=1).generate_related_data(schema, sample_sizes=sizes)
    rows = sum(len(f) for f in frames.values())
    print(f"{'rows':<26}{rows:>12,}  (generated in {time.perf_counter() - started:.1f} s)")

    namespace = f"syda_bench_{os.getpid()}"
    engine = sa.create_engine(args.db)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {namespace}")
    try:
        fill = write_database(schema, frames, engine, create_tables=True, db_schema=namespace)
        show("fill (create + insert)", fill.seconds, rows)
        prepare(engine, namespace, args.empty_by)
        again = write_database(schema, frames, engine, mode="replace", db_schema=namespace)
        show(f"replace ({args.empty_by})", again.seconds, rows)
        # No frames: the same replace without inserting, i.e. the emptying alone.
        empty = write_database(schema, {}, engine, mode="replace", db_schema=namespace)
        show("emptying alone", empty.seconds, rows)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {namespace} CASCADE")
        engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS)         {peak_mb:>10.0f} MB")


if __name__ == "__main__":
    main()
