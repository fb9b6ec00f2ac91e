#!/usr/bin/env python
"""Offline throughput: the CRM schema at about 1,000,000 rows in total.

Prints rows per second (generation and validation separately) and peak memory. Run with
``make bench`` or ``python benchmarks/offline_crm.py --rows 1000000``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from crm_models import MODELS

from syda import SyntheticDataGenerator

# Shares of the total rows per table, roughly a CRM's shape.
SHARES = {"Customer": 0.05, "Contact": 0.15, "Product": 0.01, "Order": 0.29, "OrderItem": 0.50}


def run(total: int, validate: bool) -> tuple[float, int]:
    sizes = {k: max(1, int(total * v)) for k, v in SHARES.items()}
    gen = SyntheticDataGenerator(seed=1, validate=validate)
    started = time.perf_counter()
    frames = gen.generate_related_data(models=MODELS, sample_sizes=sizes)
    seconds = time.perf_counter() - started
    return seconds, sum(len(f) for f in frames.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="total rows over all tables")
    args = parser.parse_args()
    run(10_000, True)  # warm-up: builds the Faker vocabularies once
    gen_s, rows = run(args.rows, validate=False)
    full_s, _ = run(args.rows, validate=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows                      {rows:>12,}")
    print(f"generation only           {gen_s:>10.2f} s  {rows / gen_s:>12,.0f} rows/s")
    print(f"generation + validation   {full_s:>10.2f} s  {rows / full_s:>12,.0f} rows/s")
    print(f"peak memory (RSS)         {peak_mb:>10.0f} MB")
    print("provider calls: offline, one per table; tokens: 0 (no LLM)")


if __name__ == "__main__":
    main()
