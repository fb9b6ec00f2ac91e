#!/usr/bin/env python
"""LLM profile mode: the CRM schema at 1,000,000 rows, the profiles written by the stand-in LLM.

The local stand-in (``tests/support/standin.py``) speaks the OpenAI and Anthropic wire formats,
answers profile requests with a profile derived from the request's schema, and waits
``--latency`` seconds plus one second per ``--output-tps`` output tokens before each answer, so
the run measures a slow model with no key, no network and no cost. The real SDK clients are
used through ``base_url``. In profile mode each table costs one call (a few for wide tables); the
engine then draws every row locally, so the calls do not grow with the rows.

It prints wall time (the LLM's part and the local generation), calls, tokens and the estimated
cost, checks every constraint of the result once more (``syda.validation.check_dataset``), and
exits 1 if a target is missed (at most 12 calls, at most 60 s, no violation).

    .venv/bin/python benchmarks/bench_llm_profile.py                   # openai, 1,000,000 rows
    .venv/bin/python benchmarks/bench_llm_profile.py --provider anthropic --rows 100000
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: the stand-in
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # llm_standin: the slow stand-in

from crm_models import MODELS
from llm_standin import MODEL, PROMPTS, SlowStandIn

from syda import ModelConfig, SyntheticDataGenerator, load_schema
from syda.report import RunReport
from syda.validation import check_dataset
from tests.support.recording import DUMMY_KEY
from tests.support.standin_wire import Reply

# Shares of the total rows per table, as in benchmarks/offline_crm.py.
SHARES = {"Customer": 0.05, "Contact": 0.15, "Product": 0.01, "Order": 0.29, "OrderItem": 0.50}
MAX_CALLS, MAX_SECONDS = 12, 60.0


class TimedStandIn(SlowStandIn):
    """The slow stand-in, noting when it sent its last answer (the end of the LLM's part)."""

    started = 0.0
    last_answer = 0.0

    def _answer(self, path: str, headers: Mapping[str, str], raw: bytes) -> Reply:
        reply = super()._answer(path, headers, raw)
        self.last_answer = time.perf_counter()
        return reply


def run(
    server: TimedStandIn, provider: str, total: int, concurrency: int
) -> tuple[float, RunReport, dict[str, int], list[str]]:
    base_url = server.openai_base_url if provider == "openai" else server.anthropic_base_url
    config = ModelConfig(
        provider=provider,  # type: ignore[arg-type]
        model_name=MODEL[provider],
        base_url=base_url,
        api_key=DUMMY_KEY,
        concurrency=concurrency,  # mode "auto": every CRM table has 500 rows or more
    )
    sizes = {key: max(1, int(total * share)) for key, share in SHARES.items()}
    gen = SyntheticDataGenerator(config, seed=0)
    server.started = started = time.perf_counter()
    frames = gen.generate_related_data(models=MODELS, sample_sizes=sizes, prompts=PROMPTS)
    seconds = time.perf_counter() - started
    assert gen.last_report is not None
    problems = [str(v) for v in check_dataset(load_schema(MODELS), frames, expected=sizes)]
    return seconds, gen.last_report, {k: len(f) for k, f in frames.items()}, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", choices=["openai", "anthropic"], default="openai")
    parser.add_argument("--rows", type=int, default=1_000_000, help="total rows over all tables")
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per call")
    parser.add_argument("--output-tps", type=float, default=400.0, help="output tokens per second")
    parser.add_argument("--concurrency", type=int, default=8, help="calls in flight at once")
    parser.add_argument("-v", "--verbose", action="store_true", help="log syda's progress")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)

    server = TimedStandIn()
    with server:
        # Warm-up (not timed): the SDKs import, the vocabularies of both sides are built.
        run(server, args.provider, 2_000, args.concurrency)
        server.reset()
        server.latency, server.output_tps = args.latency, args.output_tps
        seconds, report, rows, problems = run(server, args.provider, args.rows, args.concurrency)
    llm = server.last_answer - server.started
    cost = "n/a" if report.cost_usd is None else f"${report.cost_usd:.4f}"
    print(
        f"CRM in profile mode on the stand-in: provider {args.provider} ({MODEL[args.provider]}), "
        f"{args.latency:g} s + 1 s per {args.output_tps:g} output tokens per call, "
        f"concurrency {args.concurrency}"
    )
    listed = ", ".join(f"{k} {v:,}" for k, v in rows.items())
    print(f"rows: {listed} ({sum(rows.values()):,})")
    print(f"wall time          {seconds:>9.2f} s")
    print(f"  LLM profiles     {llm:>9.2f} s (to the last answer of the stand-in)")
    print(
        f"  local generation {seconds - llm:>9.2f} s (validation {report.validation_seconds:.2f} s)"
    )
    print(f"calls              {report.provider_calls:>9,} ({report.reasks} re-ask rounds)")
    print(f"tokens in / out    {report.input_tokens:>9,} / {report.output_tokens:,}")
    print(f"estimated cost     {cost:>9}")
    print(f"constraint violations: {len(problems)}")
    for problem in problems[:10]:
        print(f"  {problem}")
    print("\nper table: calls, output tokens, seconds to fill (tables overlap)")
    for key, t in report.tables.items():
        print(f"  {key:<10}{t.provider_calls:>4}{t.output_tokens:>8,}{t.seconds:>8.2f}")
    missed = []
    if report.provider_calls > MAX_CALLS:
        missed.append(f"{report.provider_calls} calls > {MAX_CALLS}")
    if seconds > MAX_SECONDS:
        missed.append(f"{seconds:.1f} s > {MAX_SECONDS:g} s")
    if problems:
        missed.append(f"{len(problems)} violations")
    print("targets: " + ("met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
