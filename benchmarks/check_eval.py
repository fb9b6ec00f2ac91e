#!/usr/bin/env python
"""CHECK evaluation throughput: the CHECKs syda cannot fold into column facts, over big frames.

Evaluates one simple and one compound check (sqlglot reads them, DuckDB evaluates them over the
pandas frame, as generation does) and prints rows/s per check set and peak memory. Run with
``make bench-checks`` or ``python benchmarks/check_eval.py --rows 1000000``.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from syda import load_schema
from syda.validation import failing_rows

CHECK_SETS = {
    "one OR": ["a < 0 OR a > 10"],
    "three mixed": ["a < 0 OR a > 10", "lower(name) = name OR a / 2 = 3", "a + b <= 40"],
}


def frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "id": np.arange(rows),
            "name": rng.choice(np.array(["ab", "Ab", "cd"], dtype=object), rows),
            "a": rng.integers(-5, 20, rows),
            "b": rng.integers(0, 30, rows),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    data = frame(args.rows)
    for label, checks in CHECK_SETS.items():
        table = load_schema(
            {
                "t": {
                    "columns": {"id": "integer", "name": "string", "a": "integer", "b": "integer"},
                    "checks": checks,
                }
            }
        ).table("t")
        failing_rows(table, data.head(10))  # the first call opens DuckDB: not the steady state
        started = time.perf_counter()
        found = failing_rows(table, data)
        seconds = time.perf_counter() - started
        broken = int(sum(mask.sum() for _, mask in found))
        print(
            f"{label:<12} {len(checks)} checks  {seconds:6.2f} s  "
            f"{args.rows / seconds:>12,.0f} rows/s  ({broken:,} breaking values)"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS) {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
