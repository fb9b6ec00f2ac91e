#!/usr/bin/env python
"""Start-up cost: ``import syda`` and the first table of a fresh process, cold and warm cache.

Each measurement runs in a new Python process (the cost is paid once per process), with its own
``SYDA_CACHE_DIR``: *cold* starts from an empty cache directory, *warm* reuses the one the cold
run filled. The first table is 10 rows with a name, an email and a city; the second table (prices
and dates) shows what a table costs once the process is warm. Run with ``make bench-startup`` or
``python benchmarks/startup.py --runs 5``; the median of the runs is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, sys, time
people = {"id": "integer", "full_name": "string", "email": "string", "city": "string"}
prices = {"id": "integer", "price": "float", "ordered_on": "date"}
tables = [("people", people), ("orders", prices)]
if sys.argv[1] == "prices-first":
    tables.reverse()
started = time.perf_counter()
import syda
marks = [started, time.perf_counter()]
generator = syda.SyntheticDataGenerator(seed=0)
for name, columns in tables:
    generator.generate_data(columns, sample_size=10, table_name=name)
    marks.append(time.perf_counter())
print(json.dumps({"import": marks[1] - marks[0], "first": marks[2] - marks[1],
                  "second": marks[3] - marks[2]}))
"""
# What each line of the report runs: the order of the two tables, and whose cache it reads.
MODES = {
    "cold cache": "people-first",
    "warm cache": "people-first",
    "prices first": "prices-first",
}


def _run(cache: Path, mode: str) -> dict[str, float]:
    env = {**os.environ, "SYDA_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode], env=env, check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per measurement")
    args = parser.parse_args()
    found: dict[str, list[dict[str, float]]] = {label: [] for label in MODES}
    with tempfile.TemporaryDirectory(prefix="syda-bench-") as tmp:
        for i in range(args.runs):
            for label, mode in MODES.items():
                # Cold starts from an empty directory and warm reuses the one cold just filled;
                # prices-first starts empty too (its first table needs no vocabulary).
                cache = Path(tmp) / (f"prices{i}" if mode == "prices-first" else f"cache{i}")
                found[label].append(_run(cache, mode))
    print("first table: people (name, email, city) unless 'prices first' (price and date)")
    for label, runs in found.items():
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(
            f"{label:<13} import syda {med['import']:.3f} s  first table {med['first']:.3f} s  "
            f"second table {med['second']:.3f} s  (median of {len(runs)} processes)"
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
