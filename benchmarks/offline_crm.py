#!/usr/bin/env python
"""Offline throughput: the CRM schema at about 1,000,000 rows in total, phase by phase.

Prints seconds and rows/s of each phase (generation, validation, writing CSV, Parquet, SQLite
and, with ``--db``, PostgreSQL), with the peak memory (RSS) of the process. Each phase runs
alone on the frames of the generation phase, so the figures add up to what one ``syda generate``
spends. Run with ``make bench`` or::

    python benchmarks/offline_crm.py --rows 1000000 --db postgresql+psycopg://postgres@127.0.0.1/test

``--compare`` also times the reference each writer is measured against: PostgreSQL COPY fed
row by row (the old path), SQLite through ``pandas.to_sql`` and CSV through ``pandas.to_csv``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from crm_models import MODELS

from syda import SyntheticDataGenerator, load_schema
from syda.database import write_database
from syda.schema import Schema, to_metadata
from syda.sinks import write_dataset
from syda.validation import check_dataset

# Shares of the total rows per table, roughly a CRM's shape.
SHARES = {"Customer": 0.05, "Contact": 0.15, "Product": 0.01, "Order": 0.29, "OrderItem": 0.50}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, rows: int, work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    rate = rows / seconds if seconds else float("inf")
    print(f"{label:<30}{seconds:>9.2f} s {rate:>13,.0f} rows/s  peak {peak_mb():>6.0f} MB")
    return seconds


def _to_sql(schema: Schema, frames: dict[str, pd.DataFrame], url: str) -> None:
    engine = sa.create_engine(url)
    to_metadata(schema).create_all(engine)
    with engine.begin() as conn:
        for table in schema:  # parents first
            frames[table.key].to_sql(
                table.name, conn, if_exists="append", index=False, chunksize=5000
            )
    engine.dispose()


def _row_copy(schema: Schema, frames: dict[str, pd.DataFrame], url: str) -> None:
    # The reference the column-wise COPY replaced: every row a dict, handed to write_row.
    import syda.database.writer as writer

    saved = writer.can_copy
    writer.can_copy = lambda conn: False  # type: ignore[assignment]
    try:
        write_database(schema, frames, url, mode="replace", create_tables=True)
    finally:
        writer.can_copy = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="total rows over all tables")
    parser.add_argument("--db", help="a PostgreSQL URL to write into (tables are replaced)")
    parser.add_argument("--compare", action="store_true", help="also time the reference writers")
    parser.add_argument("--skip", default="", help="phases to leave out, e.g. sqlite,json")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    schema = load_schema(MODELS)
    sizes = {k: max(1, int(args.rows * v)) for k, v in SHARES.items()}
    warm_up = dict.fromkeys(sizes, 100)  # imports and vocabularies, paid once per process
    SyntheticDataGenerator(seed=1).generate_related_data(models=MODELS, sample_sizes=warm_up)
    frames: dict[str, pd.DataFrame] = {}

    def generate() -> None:
        gen = SyntheticDataGenerator(seed=1, validate=False)
        frames.update(gen.generate_related_data(models=MODELS, sample_sizes=sizes))

    rows = sum(sizes.values())
    print(f"rows {rows:,} in {len(sizes)} tables (CRM schema)")
    total = timed("generation", rows, generate)
    total += timed("validation", rows, lambda: check_dataset(schema, frames))
    with tempfile.TemporaryDirectory(prefix="syda-bench-") as tmp:
        out = Path(tmp)
        for fmt in ("csv", "parquet", "json"):
            if fmt not in skip:
                timed(f"write {fmt}", rows, lambda f=fmt: write_dataset(frames, out / f, f))
        if args.compare and "csv" not in skip:
            timed(
                "  reference pandas.to_csv",
                rows,
                lambda: [f.to_csv(out / f"{k}.ref.csv", index=False) for k, f in frames.items()],
            )
        if "sqlite" not in skip:
            url = f"sqlite:///{out / 'crm.db'}"
            timed(
                "write sqlite",
                rows,
                lambda: write_database(schema, frames, url, create_tables=True),
            )
            if args.compare:
                ref = f"sqlite:///{out / 'ref.db'}"
                timed("  reference pandas.to_sql", rows, lambda: _to_sql(schema, frames, ref))
        if args.db:
            db = args.db
            timed(
                "write postgresql (COPY)",
                rows,
                lambda: write_database(schema, frames, db, mode="replace", create_tables=True),
            )
            if args.compare:
                timed(
                    "  reference COPY row by row", rows, lambda: _row_copy(schema, frames, args.db)
                )
    print(f"generation + validation {total:.2f} s: {rows / total:,.0f} rows/s")
    print("provider calls: offline, one per table; tokens: 0 (no LLM)")


if __name__ == "__main__":
    main()
