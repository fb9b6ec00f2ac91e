#!/usr/bin/env python
"""Workflow traces: how fast sessions of API calls are made, and what they cost in memory.

Generates the e-commerce workflow's traces for ``--users`` users (default 25,000: about a
million calls), with ``--cascade-rate`` of the sessions failing, then times the steps a user
runs next: the calls DataFrame, ``estimate_transitions`` and writing Parquet. Prints calls/s,
sessions/s, the arrays' bytes and the peak resident memory of the process.

    python benchmarks/workflows.py
    python benchmarks/workflows.py --users 100000 --cascade-rate 0.2
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path

from syda.workflows import SyntheticGenerator, estimate_transitions
from syda.workflows.builtin import BUILTIN_WORKFLOWS


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=25_000)
    parser.add_argument("--cascade-rate", type=float, default=0.1)
    parser.add_argument("--workflow", choices=sorted(BUILTIN_WORKFLOWS), default="ecommerce")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    workflow = BUILTIN_WORKFLOWS[args.workflow]()

    started = time.perf_counter()
    dataset = SyntheticGenerator(seed=args.seed).generate_dataset(
        num_users=args.users, workflow=workflow, cascade_failure_rate=args.cascade_rate
    )
    made = time.perf_counter() - started
    calls, sessions = dataset.total_calls, dataset.num_sessions
    arrays = sum(getattr(dataset.store.calls, f.name).nbytes for f in fields(dataset.store.calls))
    print(f"workflow {workflow.name}: {args.users:,} users, {sessions:,} sessions, {calls:,} calls")
    print(
        f"  generate         {made:7.2f} s  {calls / made:12,.0f} calls/s  "
        f"{sessions / made:,.0f} sessions/s"
    )

    steps = {}
    started = time.perf_counter()
    frame = dataset.calls_frame()
    steps["calls_frame"] = time.perf_counter() - started
    started = time.perf_counter()
    distance = estimate_transitions(dataset).distance
    steps["estimate"] = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        written = dataset.save_to_parquet(Path(scratch) / "traces.parquet")
        steps["save_to_parquet"] = time.perf_counter() - started
        on_disk = sum(p.stat().st_size for p in written.values())
    for name, seconds in steps.items():
        print(f"  {name:<16} {seconds:7.2f} s  {calls / seconds:12,.0f} calls/s")
    print(f"  distance to the ground truth: {distance:.4f}")
    print(
        f"  memory: call arrays {arrays / 1e6:,.0f} MB, calls DataFrame "
        f"{frame.memory_usage(deep=False).sum() / 1e6:,.0f} MB (without text), "
        f"peak RSS {_peak_mb():,.0f} MB"
    )
    print(f"  disk: {on_disk / 1e6:,.1f} MB of Parquet ({on_disk / calls:,.0f} bytes a call)")


if __name__ == "__main__":
    main()
