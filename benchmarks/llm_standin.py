#!/usr/bin/env python
"""LLM rows mode: the CRM example on the local stand-in, syda against syda 0.3.0 from PyPI.

The stand-in (``tests/support/standin.py``) speaks the OpenAI and Anthropic wire formats; here it
waits ``--latency`` seconds before every answer plus one second per ``--output-tps`` output
tokens, so the run measures what batching, the reply format and concurrency do with a slow model,
with no key, no network and no cost. The real SDK clients are used through ``base_url``.

The CRM example at ``--scale`` times the README's sizes (10, 15, 30, 60 rows and 2-4 contacts per
customer) is generated in rows mode at each ``--concurrency``, then by the original syda 0.3.0
(pydantic-ai's OpenAI client, its defaults: sequential tables, no output-token limit; with
``generation_mode="direct"``: every row written by the model) against the same stand-in in the
same run, with the same row counts. 0.3.0 is installed into a virtualenv of its own
(``--venv-030``, created on first use). Calls and tokens are counted by the stand-in for
both, the same way (prompts and reply schema or tool definitions in, reply text out, 4
characters a token), so the numbers compare.

    .venv/bin/python benchmarks/llm_standin.py                  # 10x, concurrency 8 and 1, 0.3.0
    .venv/bin/python benchmarks/llm_standin.py --scale 1 --no-030
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: the stand-in
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import pandas as pd
from crm_models import MODELS

from syda import ModelConfig, SyntheticDataGenerator, load_schema
from syda.providers.base import Usage
from syda.providers.pricing import estimate_cost
from syda.validation import check_dataset
from tests.support.recording import DUMMY_KEY
from tests.support.standin import StandIn
from tests.support.standin_wire import Reply

ROOT = Path(__file__).resolve().parents[1]

README_SIZES = {"Customer": 10, "Product": 15, "Order": 30, "OrderItem": 60}
CONTACTS = "2-4"  # per customer, as the README's example asks
PROMPTS = {
    "Customer": "Diverse B2B SaaS customer organizations across industries.",
    "Product": "Cloud software products, support plans and consulting packages.",
}
MODEL = {"openai": "gpt-4o-mini", "anthropic": "claude-haiku-4-5"}
TARGET_SECONDS, TARGET_OUT_PER_ROW = 12.0, 12.0
TABLE_NAMES = {
    "Customer": "customers",
    "Contact": "contacts",
    "Product": "products",
    "Order": "orders",
    "OrderItem": "order_items",
}
DRIVER_030 = """
import contextlib, io, json, sys, time
sys.path.insert(0, sys.argv[3])
from crm_models import MODELS
from syda.generate import SyntheticDataGenerator
from syda.schemas import ModelConfig
config = ModelConfig(provider="openai_compatible", model_name=sys.argv[4],
                     generation_mode="direct",
                     extra_kwargs={"base_url": sys.argv[1], "api_key": "test-standin-key"})
gen = SyntheticDataGenerator(model_config=config)
started = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    out = gen.generate_for_sqlalchemy_models(MODELS, sample_sizes=json.loads(sys.argv[2]))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rows": {k: len(v) for k, v in out.items()}}))
"""


class SlowStandIn(StandIn):
    """The stand-in, also waiting one second per ``output_tps`` output tokens of each reply,
    and counting the calls and tokens it answered."""

    output_tps = 0.0

    def __init__(self) -> None:
        super().__init__()
        self.billed = Usage()
        self.calls = 0
        self._count = threading.Lock()

    def _answer(self, path: str, headers: Mapping[str, str], raw: bytes) -> Reply:
        reply = super()._answer(path, headers, raw)
        usage = reply.body.get("usage") if isinstance(reply.body, dict) else None
        with self._count:
            self.calls += 1
            if usage:
                used = Usage(
                    usage.get("prompt_tokens", usage.get("input_tokens", 0)),
                    usage.get("completion_tokens", usage.get("output_tokens", 0)),
                )
                self.billed = self.billed + used
        if self.output_tps and usage:
            time.sleep(
                usage.get("completion_tokens", usage.get("output_tokens", 0)) / self.output_tps
            )
        return reply

    def restart_counts(self) -> None:
        """Forget the request log and the counts (a new measured run starts)."""
        self.reset()
        with self._count:
            self.billed, self.calls = Usage(), 0


@dataclass
class Result:
    """One measured run."""

    label: str
    seconds: float
    calls: int
    reasks: int
    billed: Usage
    rows: dict[str, int]
    frames: dict[str, pd.DataFrame] | None = None
    problems: int = 0

    def line(self, model: str) -> str:
        n = sum(self.rows.values()) or 1
        cost = estimate_cost(model, self.billed, None)
        price = "n/a" if cost is None else f"{cost:.4f}"
        return (
            f"{self.label:<22}{self.seconds:>8.2f}{self.calls:>7}{self.reasks:>8}"
            f"{self.billed.input_tokens:>11,}{self.billed.output_tokens:>11,}"
            f"{self.billed.input_tokens / n:>10.1f}{self.billed.output_tokens / n:>10.1f}"
            f"{price:>9}"
        )


def run_syda(
    server: SlowStandIn, provider: str, concurrency: int, sizes: Mapping[str, int], columns: str
) -> Result:
    base_url = server.openai_base_url if provider == "openai" else server.anthropic_base_url
    config = ModelConfig(
        provider=provider,  # type: ignore[arg-type]
        model_name=MODEL[provider],
        base_url=base_url,
        api_key=DUMMY_KEY,
        concurrency=concurrency,
        mode="rows",  # this benchmark measures the rows path (bench_llm_profile.py: profiles)
        llm_columns=columns,  # type: ignore[arg-type]
    )
    gen = SyntheticDataGenerator(config, seed=0)
    server.restart_counts()
    started = time.perf_counter()
    frames = gen.generate_related_data(
        models=MODELS,
        sample_sizes=sizes,
        cardinality={"Contact.customer_id": CONTACTS},
        prompts=PROMPTS,
    )
    seconds = time.perf_counter() - started
    assert gen.last_report is not None
    problems = check_dataset(load_schema(MODELS), frames, expected=sizes)
    reasks = sum(t.reasks for t in gen.last_report.tables.values())
    rows = {k: len(f) for k, f in frames.items()}
    label = f"syda rows c={concurrency}" + ("" if columns == "meaning" else " all")
    return Result(label, seconds, server.calls, reasks, server.billed, rows, frames, len(problems))


def ensure_030(venv: Path) -> Path:
    """The python of a virtualenv holding syda 0.3.0 from PyPI (made on first use)."""
    python = venv / "bin" / "python"
    probe = "import importlib.metadata as m; assert m.version('syda') == '0.3.0'"
    if (
        python.exists()
        and subprocess.run([python, "-c", probe], capture_output=True).returncode == 0
    ):
        return python
    print(f"installing syda 0.3.0 into {venv} (once) ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "syda==0.3.0"], check=True)
    return python


def run_030(server: SlowStandIn, python: Path, rows: Mapping[str, int]) -> Result:
    sizes = {TABLE_NAMES[k]: n for k, n in rows.items()}
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(DRIVER_030)
    server.restart_counts()
    done = subprocess.run(
        [python, script.name, server.openai_base_url, json.dumps(sizes), str(ROOT / "examples"),
         MODEL["openai"]],
        capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    Path(script.name).unlink()
    if done.returncode != 0:
        raise RuntimeError(f"syda 0.3.0 failed: {done.stderr[-2000:]}")
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return Result(
        "syda 0.3.0 (sequential)", out["seconds"], server.calls, 0, server.billed, out["rows"]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", choices=["openai", "anthropic"], default="openai")
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per call")
    parser.add_argument("--output-tps", type=float, default=400.0, help="output tokens per second")
    parser.add_argument("--scale", type=float, default=10.0, help="multiplies the README's sizes")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 1])
    parser.add_argument(
        "--llm-columns", choices=["meaning", "all"], default="meaning",
        help="which columns rows mode asks the LLM for (ModelConfig.llm_columns)",
    )  # fmt: skip
    parser.add_argument("--no-030", action="store_true", help="skip the syda 0.3.0 run")
    parser.add_argument("--venv-030", type=Path, default=ROOT / ".venv-syda-0.3.0")
    parser.add_argument("-v", "--verbose", action="store_true", help="log syda's progress")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    sizes = {key: max(1, round(rows * args.scale)) for key, rows in README_SIZES.items()}
    python = None if args.no_030 or args.provider != "openai" else ensure_030(args.venv_030)

    print(
        f"CRM on the stand-in: provider {args.provider} ({MODEL[args.provider]}), "
        f"{args.latency:g} s + 1 s per {args.output_tps:g} output tokens per call"
    )
    head = ("run", "wall s", "calls", "re-asks", "tokens in", "tokens out", "in/row", "out/row")
    print("{:<22}{:>8}{:>7}{:>8}{:>11}{:>11}{:>10}{:>10}{:>9}".format(*head, "cost $"))
    results: list[Result] = []
    server = SlowStandIn()
    with server:
        # Warm-up (not timed): the stand-in builds its vocabularies, the SDKs import.
        run_syda(server, args.provider, 8, dict.fromkeys(sizes, 2), args.llm_columns)
        server.latency, server.output_tps = args.latency, args.output_tps
        for concurrency in args.concurrency:
            results.append(run_syda(server, args.provider, concurrency, sizes, args.llm_columns))
            print(results[-1].line(MODEL[args.provider]), flush=True)
        if python is not None:
            results.append(run_030(server, python, results[0].rows))
            print(results[-1].line(MODEL["openai"]), flush=True)
    print("rows: " + ", ".join(f"{k} {v}" for k, v in results[0].rows.items()))
    return verdict(results, args.concurrency)


def verdict(results: list[Result], levels: list[int]) -> int:
    """Print the targets and whether each is met; 1 if any is missed."""
    ours = {level: r for level, r in zip(levels, results, strict=False)}
    missed: list[str] = []
    first = results[0]
    assert first.frames is not None
    same = all(
        r.frames is not None and all(r.frames[k].equals(first.frames[k]) for k in first.frames)
        for r in results[1 : len(levels)]
    )
    if not same:
        missed.append("the data differs between concurrency levels")
    if any(r.problems for r in ours.values()):
        missed.append("constraint violations: " + str([r.problems for r in ours.values()]))
    if 8 in ours:
        r, n = ours[8], sum(ours[8].rows.values())
        if r.seconds > TARGET_SECONDS:
            missed.append(f"concurrency 8: {r.seconds:.1f} s > {TARGET_SECONDS:g} s")
        if r.billed.output_tokens / n > TARGET_OUT_PER_ROW:
            missed.append(f"concurrency 8: {r.billed.output_tokens / n:.1f} output tokens/row")
    old = results[-1] if results[-1].label.startswith("syda 0.3.0") else None
    if old is not None and 1 in ours:
        r = ours[1]
        if r.seconds >= old.seconds:
            missed.append(f"concurrency 1 ({r.seconds:.1f} s) not faster than 0.3.0")
        mine = r.billed.input_tokens / sum(r.rows.values())
        theirs = old.billed.input_tokens / sum(old.rows.values())
        if mine >= theirs:
            missed.append(f"input tokens/row {mine:.1f} not below 0.3.0's {theirs:.1f}")
    print(f"same data at every concurrency: {'yes' if same else 'NO'}; constraint violations: "
          f"{sum(r.problems for r in ours.values())}")  # fmt: skip
    print("targets: " + ("met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
