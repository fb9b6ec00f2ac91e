#!/usr/bin/env python
"""Scale: the CRM schema streamed to Parquet at 10,000,000 rows in total (100M with --rows).

Runs three things, each in a fresh process so that rows/s count the process start and peak RSS
is the run's own: syda's streaming engine on this machine (validation on; one forked process
per core, --workers, whose largest peak RSS is shown beside the parent's), a plain
numpy/pyarrow generator of the same columns and types (chunked the same way, no realism, no
checks: the floor of what Python can write), and syda on a 2-worker Dask LocalCluster, whose
output is hashed against the local run's.

    make bench-scale                       # 10M rows
    python benchmarks/scale_crm.py --rows 100000000 --skip-dask

With ``--db URL`` it streams the same rows into that PostgreSQL database instead, in ONE
transaction (tables created with every key, UNIQUE and CHECK, in a fresh schema dropped
afterwards), and reports rows/s and peak RSS:

    python benchmarks/scale_crm.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARES = {"Customer": 0.05, "Contact": 0.15, "Product": 0.01, "Order": 0.29, "OrderItem": 0.50}

SYDA = """
import json, resource, sys, time
sys.path.insert(0, {examples!r})
from crm_models import MODELS
from syda import SyntheticDataGenerator
if __name__ == "__main__":
    report = SyntheticDataGenerator(seed=1).generate_to(
        MODELS, {out!r}, sample_sizes={sizes!r}, chunk_rows={chunk}, engine={engine!r},
        workers={workers}
    )
    print(json.dumps({{"rows": report.total_rows,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                      / 1024}}))
"""

TO_DB = """
import json, resource, sys
sys.path.insert(0, {examples!r})
from crm_models import MODELS
from syda import SyntheticDataGenerator
if __name__ == "__main__":
    report = SyntheticDataGenerator(seed=1).generate_to(
        MODELS, db_url={url!r}, db_schema={db_schema!r}, create_tables=True,
        sample_sizes={sizes!r}, chunk_rows={chunk}
    )
    print(json.dumps({{"rows": report.total_rows,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

REFERENCE = """
import json, resource, sys
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
from pathlib import Path
sizes, out, chunk = {sizes!r}, Path({out!r}), {chunk}
rng = np.random.default_rng(1)
words = np.array(["w%05d" % i for i in range(5000)], dtype=object)
day0 = np.datetime64("2020-01-01")

def text(n, width=1):
    return pa.array(words[rng.integers(0, len(words), n)])

def dates(n):
    return pa.array(day0 + rng.integers(0, 2000, n).astype("timedelta64[D]"))

def money(n):
    return pa.array(np.round(rng.gamma(2.0, 40.0, n), 2))

def ints(lo, hi, n):
    return pa.array(rng.integers(lo, hi, n))

COLUMNS = {{
    "Customer": lambda s, n, p: {{"id": pa.array(np.arange(s + 1, s + n + 1)), "name": text(n),
        "industry": text(n), "website": text(n), "status": text(n), "country": text(n),
        "created_at": dates(n)}},
    "Contact": lambda s, n, p: {{"id": pa.array(np.arange(s + 1, s + n + 1)),
        "customer_id": ints(1, p["Customer"] + 1, n), "first_name": text(n),
        "last_name": text(n), "email": text(n), "phone": text(n), "position": text(n),
        "is_primary": pa.array(rng.random(n) < 0.3)}},
    "Product": lambda s, n, p: {{"id": pa.array(np.arange(s + 1, s + n + 1)), "sku": text(n),
        "name": text(n), "category": text(n), "price": money(n), "description": text(n)}},
    "Order": lambda s, n, p: {{"id": pa.array(np.arange(s + 1, s + n + 1)),
        "customer_id": ints(1, p["Customer"] + 1, n), "order_date": dates(n),
        "shipped_date": dates(n), "status": text(n),
        "updated_at": pa.array(np.datetime64("2024-01-01T00:00:00")
                               + rng.integers(0, 10**8, n).astype("timedelta64[s]"))}},
    "OrderItem": lambda s, n, p: {{"id": pa.array(np.arange(s + 1, s + n + 1)),
        "order_id": ints(1, p["Order"] + 1, n), "line_no": ints(1, 6, n),
        "product_id": ints(1, p["Product"] + 1, n), "quantity": ints(1, 10, n),
        "unit_price": money(n), "discount_pct": pa.array(rng.integers(0, 4, n) * 5.0)}},
}}
for table, rows in sizes.items():
    (out / table).mkdir(parents=True, exist_ok=True)
    for i, start in enumerate(range(0, rows, chunk)):
        n = min(chunk, rows - start)
        arrow = pa.table(COLUMNS[table](start, n, sizes))
        pq.write_table(arrow, out / table / f"part-{{i:06d}}.parquet", row_group_size=n)
print(json.dumps({{"rows": sum(sizes.values()),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def _run(code: str) -> tuple[dict[str, float], float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result, seconds


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _to_database(url: str, sizes: dict[str, int], chunk: int) -> None:
    """Stream into a fresh schema of ``url``, count what is there, drop the schema."""
    import uuid

    import sqlalchemy as sa

    from syda.database import count_rows
    from syda.schema import load_schema

    sys.path.insert(0, str(ROOT / "examples"))
    from crm_models import MODELS

    name = f"syda_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        fill = {"sizes": sizes, "chunk": chunk, "examples": str(ROOT / "examples")}
        result, seconds = _run(TO_DB.format(url=url, db_schema=name, **fill))
        counted = count_rows(load_schema(MODELS), url, db_schema=name)
        rows = result["rows"]
        print(f"rows                  {rows:>14,.0f}   chunks of {chunk:,} rows, one transaction")
        print(f"syda -> PostgreSQL    {seconds:>9.1f} s  {rows / seconds:>11,.0f} rows/s  "
              f"peak RSS {result['rss_mb']:>6,.0f} MB")  # fmt: skip
        print(f"rows in the database  {sum(counted.values()):>14,}   " + ", ".join(
            f"{k} {v:,}" for k, v in counted.items()))  # fmt: skip
        if sum(counted.values()) != rows:
            sys.exit("the database holds other row counts than the run wrote")
        print("provider calls: offline, none to an LLM; tokens: 0")
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows over all tables")
    parser.add_argument("--chunk-rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2, help="local processes (and Dask's)")
    parser.add_argument("--skip-dask", action="store_true", help="leave out the LocalCluster")
    parser.add_argument("--db", metavar="URL", help="stream into this PostgreSQL database instead")
    args = parser.parse_args()
    sizes = {k: max(1, int(args.rows * v)) for k, v in SHARES.items()}
    if args.db:
        _to_database(args.db, sizes, args.chunk_rows)
        return
    work = Path(tempfile.mkdtemp(prefix="syda-scale-"))
    try:
        fill = {"sizes": sizes, "chunk": args.chunk_rows, "examples": str(ROOT / "examples"),
                "workers": args.workers}  # fmt: skip
        ref, ref_s = _run(REFERENCE.format(out=str(work / "reference"), **fill))
        shutil.rmtree(work / "reference")
        local, local_s = _run(SYDA.format(out=str(work / "local"), engine="local", **fill))
        rows = local["rows"]
        print(f"rows                  {rows:>14,.0f}   chunks of {args.chunk_rows:,} rows")
        print(f"numpy/pyarrow floor   {ref_s:>9.1f} s  {ref['rows'] / ref_s:>11,.0f} rows/s  "
              f"peak RSS {ref['rss_mb']:>6,.0f} MB")  # fmt: skip
        print(f"syda local            {local_s:>9.1f} s  {rows / local_s:>11,.0f} rows/s  "
              f"peak RSS {local['rss_mb']:>6,.0f} MB  "
              f"({(rows / local_s) / (ref['rows'] / ref_s):.2f}x the floor)")  # fmt: skip
        # The local engine forks one process per core (--workers): each one's own peak.
        print(f"  {args.workers} processes, largest worker's peak RSS "
              f"{local['worker_rss_mb']:,.0f} MB")  # fmt: skip
        if not args.skip_dask:
            dask, dask_s = _run(SYDA.format(out=str(work / "dask"), engine="dask", **fill))
            same = _digest(work / "local") == _digest(work / "dask")
            rate = dask["rows"] / dask_s
            print(f"syda dask ({args.workers} workers) {dask_s:>7.1f} s  {rate:>11,.0f} rows/s  "
                  f"client RSS {dask['rss_mb']:>4,.0f} MB  output identical: {same}")  # fmt: skip
            if not same:
                sys.exit("the Dask output differs from the local one")
        print("provider calls: offline, none to an LLM; tokens: 0")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
