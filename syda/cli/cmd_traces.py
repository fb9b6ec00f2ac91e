"""``syda traces``: API-call traces of user sessions drawn from a workflow, with ground truth.

The parser is built without importing the library (``syda --help`` stays fast); the workflow
machinery is imported when the command runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syda.cli.options import UsageError, parse_seed

if TYPE_CHECKING:
    from syda.workflows import TraceDataset, WorkflowDefinition

__all__ = ["add_traces_command", "run_traces"]

logger = logging.getLogger("syda.cli.traces")

BUILTIN_NAMES = ("ecommerce", "microservices", "simple")
"""The built-in workflows (``syda.workflows.BUILTIN_WORKFLOWS``; named here so ``--help``
imports nothing)."""

SUMMARY = "generate API-call traces of user sessions from a workflow (a Markov chain)"

EPILOG = """examples:
  # 1000 users of the built-in shop, 3 +- 2 sessions each over 30 days, as Parquet files
  syda traces --users 1000 --out traces/

  # a workflow of your own (YAML), 20% of the sessions with a cascade failure, CSV files
  syda traces --workflow my_workflow.yaml --cascade-rate 0.2 --format csv --out traces/

  # sessions of the users of a schema: sessions.user_id is a foreign key into users
  syda traces --users-from myapp/models.py --users-table users --users 200 --out traces/

  # a quick look: the calls as CSV on stdout
  syda traces --workflow simple --users 3 | head

--out DIR gets calls, sessions, ground_truth (every edge of the chain with its probability:
entries from __start__, transitions, exits to __end__), workflow.yaml, and with --users-from
the tables of that schema. The summary says how far the transitions counted in the generated
calls are from the ground truth. Write a workflow's YAML with:
  python -c "from syda.workflows import ECOMMERCE_WORKFLOW as w; w.to_yaml('shop.yaml')\""""


def add_traces_command(
    sub: argparse._SubParsersAction[Any],
    common: Callable[[argparse.ArgumentParser], None],
    exit_codes: str,
) -> None:
    """Register ``syda traces`` on the subcommands of ``syda``."""
    parser = sub.add_parser(
        "traces",
        help=SUMMARY,
        description=SUMMARY,
        epilog=f"{EPILOG}\n\n{exit_codes}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run_traces, command="traces")
    wf = parser.add_argument_group("workflow")
    wf.add_argument(
        "--workflow",
        default="ecommerce",
        metavar="NAME|FILE",
        help=f"a built-in workflow ({', '.join(BUILTIN_NAMES)}; default ecommerce) or a YAML "
        "file written by WorkflowDefinition.to_yaml",
    )
    wf.add_argument(
        "--max-length",
        type=int,
        default=50,
        metavar="N",
        help="most calls in a session (default 50)",
    )
    who = parser.add_argument_group("sessions")
    who.add_argument("--users", type=int, metavar="N", help="number of users (default 1000)")
    who.add_argument(
        "--sessions",
        default="3,2",
        metavar="MEAN[,STD]",
        help="sessions per user: mean and standard deviation (default 3,2), or one count",
    )
    who.add_argument(
        "--days", type=int, default=30, metavar="N", help="days of traffic (default 30)"
    )
    who.add_argument("--start-date", metavar="YYYY-MM-DD", help="first day (default 2026-01-01)")
    who.add_argument(
        "--cascade-rate",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of sessions with an injected cascade failure, 0 to 1 (default 0)",
    )
    who.add_argument(
        "--seed",
        default="0",
        help="random seed: the same seed gives the same traces (default 0; 'none' for fresh)",
    )
    who.add_argument(
        "--users-from",
        metavar="SOURCE",
        help="a schema (models file or module, YAML/JSON) whose users table syda fills first",
    )
    who.add_argument(
        "--users-table", default="users", metavar="NAME", help="the users table of --users-from"
    )
    out = parser.add_argument_group("target")
    out.add_argument(
        "--out", metavar="DIR", help="write the files into DIR (default: calls CSV on stdout)"
    )
    out.add_argument(
        "--format",
        choices=("parquet", "csv", "json"),
        default="parquet",
        help="file format for --out (default parquet)",
    )
    common(parser)


def run_traces(args: argparse.Namespace) -> int:
    """Run ``syda traces``; return the exit code.

    Raises:
        UsageError: If an option is malformed.
        WorkflowError: If the workflow or an option cannot be used.
        OutputError: If a file cannot be read or written.
    """
    from syda.workflows import SyntheticGenerator, estimate_transitions, validate_workflow

    workflow = _workflow(args.workflow)
    for problem in validate_workflow(workflow):
        logger.warning("workflow %s: %s", workflow.name, problem)
    schema = None
    if args.users_from:
        from syda.cli.sources import load_source

        schema = load_source(args.users_from, None, None).schema
    dataset = SyntheticGenerator(seed=parse_seed(args.seed)).generate_dataset(
        num_users=args.users,
        sessions_per_user=_sessions(args.sessions),
        date_range_days=args.days,
        workflow=workflow,
        cascade_failure_rate=args.cascade_rate,
        start_date=_date(args.start_date),
        max_length=args.max_length,
        schema=schema,
        users_table=args.users_table,
    )
    distance = estimate_transitions(dataset).distance
    if args.out is None:
        dataset.calls_frame().to_csv(sys.stdout, index=False)
        if not args.quiet:
            print(_summary(dataset, distance), file=sys.stderr)
        return 0
    written = dataset.save(args.out, args.format)
    if not args.quiet:
        print(_summary(dataset, distance))
        for name, path in written.items():
            print(f"  {name:<13} {path}")
    return 0


def _workflow(text: str) -> WorkflowDefinition:
    from syda.workflows import BUILTIN_WORKFLOWS, WorkflowDefinition

    if text in BUILTIN_WORKFLOWS:
        return BUILTIN_WORKFLOWS[text]()
    if Path(text).suffix.lower() in (".yaml", ".yml") or Path(text).exists():
        return WorkflowDefinition.from_yaml(text)
    raise UsageError(
        f"--workflow {text!r} is neither a built-in workflow ({', '.join(BUILTIN_WORKFLOWS)}) "
        "nor a YAML file"
    )


def _sessions(text: str) -> tuple[float, float] | int:
    parts = [p.strip() for p in text.split(",")]
    try:
        if len(parts) == 1:
            return int(parts[0])
        if len(parts) == 2:
            return float(parts[0]), float(parts[1])
    except ValueError:
        pass
    raise UsageError(f"--sessions needs MEAN,STD or a count, got {text!r}")


def _date(text: str | None) -> Any:
    if text is None:
        return None
    from datetime import datetime

    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise UsageError(f"--start-date needs YYYY-MM-DD, got {text!r}") from None


def _summary(dataset: TraceDataset, distance: float) -> str:
    sessions = dataset.sessions_frame()
    failed = int((sessions["num_errors"] > 0).sum())
    cascades = int(sessions["cascade"].sum())
    text = (
        f"traces of workflow {dataset.workflow.name!r}: {dataset.num_unique_users:,} users, "
        f"{dataset.num_sessions:,} sessions, {dataset.total_calls:,} calls"
    )
    if not dataset.num_sessions:
        return text  # nothing was counted: no distance to speak of
    return (
        f"{text}; sessions with an error: {failed:,}, with an injected cascade: {cascades:,}; "
        f"transitions counted in the calls are within {distance:.3f} of the ground truth"
    )
