"""``syda seed`` and ``syda status``: a development database filled once, and its row counts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from syda.cli.console import render_table
from syda.cli.options import UsageError, build_generator, generation_options
from syda.cli.sources import load_source
from syda.database.connect import describe

if TYPE_CHECKING:
    from syda.database.status import DatabaseStatus

__all__ = ["format_counts", "format_status", "run_seed", "run_status"]


def run_seed(args: argparse.Namespace) -> int:
    """Run ``syda seed``: fill the tables only if they are empty or absent (``--reset``: refill).

    Returns 0 when seeded, already seeded or skipped by ``--only-if-env``; 1 when the database
    is partly seeded and nothing was written.

    Raises:
        SydaError: If the schema cannot be read, or generation or writing fails (the database
            is then left as it was).
    """
    from syda.database import seed_database

    gate = _env_gate(args.only_if_env)
    loaded = load_source(args.source, args.db, args.schema)
    options = generation_options(args, loaded.schema)
    generator = build_generator(args)
    kwargs = options.library_kwargs()
    result = seed_database(
        loaded.obj,
        args.db,
        sample_sizes=kwargs.pop("sample_sizes"),
        default_sample_size=kwargs.pop("default_sample_size"),
        reset=args.reset or False,
        fill_missing=args.fill_missing,
        only_if_env=gate,
        generator=generator,
        db_schema=args.schema,
        lock_timeout=args.lock_timeout,
        **{k: v for k, v in kwargs.items() if v is not None},
    )
    target = describe(args.db)
    from syda.cli.app import cli_words

    reason = cli_words(result.reason)
    if result.outcome == "refused":
        print(f"syda: {target}: {reason}", file=sys.stderr)
        return 1
    if not args.quiet:
        if result.seeded:
            print(format_counts(result.tables))
            print(f"seeded {target}: {reason}")
        else:
            print(f"{target}: {reason}")
    return 0


def _env_gate(option: str | None) -> tuple[str, str] | None:
    if option is None:
        return None
    name, sep, value = option.partition("=")
    if not sep or not name:
        raise UsageError(f"--only-if-env takes NAME=VALUE (e.g. APP_ENV=dev), not {option!r:.60}")
    return name, value


def run_status(args: argparse.Namespace) -> int:
    """Run ``syda status``: every table with its rows, NULLs and date range, or ``absent``.

    Raises:
        SydaError: If the schema cannot be read or the database cannot be reached.
    """
    from syda.database import database_status

    source = None
    if args.source is not None:
        source = load_source(args.source, args.db, args.schema).obj
    status = database_status(source, args.db, db_schema=args.schema)
    if status:
        print(format_status(status))
    present = [n for n in status.values() if n is not None]
    where = describe(args.db)
    if not status.exists:
        print(f"{where}: the database does not exist yet ({len(status)} tables to create)")
        return 0
    print(f"{where}: {len(present)} of {len(status)} tables present, {sum(present):,} rows")
    return 0


def format_status(status: DatabaseStatus) -> str:
    """Each table's rows, its columns with NULLs, and the range of its first date column."""
    rows = []
    for key, count in status.items():
        stats = status.tables.get(key)
        if count is None or stats is None:
            rows.append([key, "absent", "", ""])
            continue
        nulls = sorted(stats.null_shares.items(), key=lambda kv: -kv[1])
        shown = ", ".join(f"{c} {_share(share)}" for c, share in nulls[:3] if share > 0)
        dates = next(iter(stats.date_ranges.items()), None)
        span = f"{dates[0]} {_day(dates[1][0])}..{_day(dates[1][1])}" if dates else ""
        rows.append([key, f"{count:,}", shown, span])
    return render_table(["table", "rows", "NULLs", "dates"], rows, right=(1,))


def _share(share: float) -> str:
    # A share that rounds to 0% is not none: a column with a NULL never shows "0%".
    return "<1%" if share < 0.005 else f"{share:.0%}"


def _day(value: object) -> str:
    return str(value)[:10]


def format_counts(counts: Mapping[str, int | None]) -> str:
    """Tables and their row counts as a text table (``absent`` for a missing table)."""
    rows = [[key, "absent" if n is None else f"{n:,}"] for key, n in counts.items()]
    return render_table(["table", "rows"], rows, right=(1,))
