#!/usr/bin/env python
"""LLM throughput: the CRM example against the local stand-in server, concurrency 1 vs 8.

The stand-in (``tests/support/standin.py``) speaks the OpenAI and Anthropic wire formats and
waits ``--latency`` seconds before every answer (plus, with ``--output-tps``, one second per that
many output tokens), so the run measures what syda's batching and concurrency do with a slow
model, with no key, no network and no cost. The real SDK clients are used through ``base_url``.
For each concurrency it prints wall time, HTTP calls, input/output tokens, rows/s and output
tokens per row, then checks that every run produced the same data.

    .venv/bin/python benchmarks/llm_standin.py                      # openai, latency 0.3 s
    .venv/bin/python benchmarks/llm_standin.py --provider anthropic --scale 2
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: the stand-in
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import pandas as pd
from crm_models import MODELS

from syda import ModelConfig, SyntheticDataGenerator
from syda.report import RunReport
from tests.support.recording import DUMMY_KEY
from tests.support.standin import StandIn
from tests.support.standin_wire import Reply

SIZES = {"Customer": 20, "Contact": 50, "Product": 15, "Order": 60, "OrderItem": 150}
PROMPTS = {
    "Customer": "Diverse B2B SaaS customer organizations across industries.",
    "Product": "Cloud software products, support plans and consulting packages.",
}
MODEL = {"openai": "gpt-4o-mini", "anthropic": "claude-haiku-4-5"}


class SlowStandIn(StandIn):
    """The stand-in, also waiting one second per ``output_tps`` output tokens of each reply."""

    output_tps = 0.0

    def _answer(self, path: str, headers: Mapping[str, str], raw: bytes) -> Reply:
        reply = super()._answer(path, headers, raw)
        usage = reply.body.get("usage") if isinstance(reply.body, dict) else None
        if self.output_tps and usage:
            tokens = usage.get("completion_tokens", usage.get("output_tokens", 0))
            time.sleep(tokens / self.output_tps)
        return reply


def status(row: Mapping[str, Any], column: str) -> str:
    """The example's custom generator (never asked of the LLM)."""
    return "Active" if row["id"] % 5 else "Prospect"


def run(
    server: StandIn, provider: str, concurrency: int, max_tokens: int, sizes: Mapping[str, int]
) -> tuple[float, RunReport, dict[str, pd.DataFrame]]:
    base_url = server.openai_base_url if provider == "openai" else server.anthropic_base_url
    config = ModelConfig(
        provider=provider,  # type: ignore[arg-type]
        model_name=MODEL[provider],
        base_url=base_url,
        api_key=DUMMY_KEY,
        max_tokens=max_tokens,
        concurrency=concurrency,
        mode="rows",  # this benchmark measures the rows path (bench_llm_profile.py: profiles)
    )
    gen = SyntheticDataGenerator(config, seed=0)
    started = time.perf_counter()
    frames = gen.generate_related_data(
        models=MODELS,
        sample_sizes=sizes,
        prompts=PROMPTS,
        custom_generators={"Customer": {"status": status}},
    )
    seconds = time.perf_counter() - started
    assert gen.last_report is not None
    return seconds, gen.last_report, frames


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", choices=["openai", "anthropic"], default="openai")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per call")
    parser.add_argument(
        "--output-tps", type=float, default=0.0, help="also wait 1 s per N output tokens (0: off)"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every table's rows")
    parser.add_argument(
        "--max-tokens", type=int, default=1000, help="output-token limit per call (sizes batches)"
    )
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[1, 8], help="concurrency levels to run"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log syda's progress")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    sizes = {key: max(1, round(rows * args.scale)) for key, rows in SIZES.items()}

    print(
        f"CRM on the stand-in: provider {args.provider}, latency {args.latency:g} s/call"
        + (f" + 1 s per {args.output_tps:g} output tokens" if args.output_tps else "")
        + f", max_tokens {args.max_tokens}"
    )
    print("rows: " + ", ".join(f"{k} {v}" for k, v in sizes.items()) + f" ({sum(sizes.values())})")
    head = ("concurrency", "wall s", "calls", "re-asks", "tokens in", "tokens out", "rows/s")
    print("{:>11}{:>9}{:>7}{:>9}{:>11}{:>11}{:>9}{:>13}".format(*head, "out tok/row"))
    results: list[tuple[int, RunReport, dict[str, pd.DataFrame]]] = []
    server = SlowStandIn()
    with server:
        # Warm-up (not timed): the stand-in builds its vocabularies, the SDKs import.
        run(server, args.provider, 8, args.max_tokens, dict.fromkeys(sizes, 2))
        server.latency, server.output_tps = args.latency, args.output_tps
        for concurrency in args.concurrency:
            server.reset()
            seconds, report, frames = run(
                server, args.provider, concurrency, args.max_tokens, sizes
            )
            calls = sum(t.provider_calls for t in report.tables.values())
            reasks = sum(t.reasks for t in report.tables.values())
            print(
                f"{concurrency:>11}{seconds:>9.2f}{calls:>7}{reasks:>9}{report.input_tokens:>11,}"
                f"{report.output_tokens:>11,}{report.rows / seconds:>9.1f}"
                f"{report.output_tokens / report.rows:>13.1f}"
            )
            results.append((concurrency, report, frames))
    print("\nper table (last run): rows, calls, output tokens per row")
    _, report, _ = results[-1]
    for key, t in report.tables.items():
        print(f"  {key:<10}{t.rows:>6}{t.provider_calls:>6}{t.output_tokens / t.rows:>8.1f}")
    first = results[0][2]
    same = all(all(frames[key].equals(first[key]) for key in first) for _, _, frames in results[1:])
    print(f"same data at every concurrency: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
