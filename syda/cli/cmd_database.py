"""``syda seed`` and ``syda status``: a development database filled once, and its row counts."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from syda.cli.console import render_table
from syda.cli.options import build_generator, generation_options
from syda.cli.sources import load_source
from syda.database.connect import describe

__all__ = ["format_counts", "run_seed", "run_status"]


def run_seed(args: argparse.Namespace) -> int:
    """Run ``syda seed``: fill the tables only if they are empty or absent (``--reset``: refill).

    Raises:
        SydaError: If the schema cannot be read, or generation or writing fails (the database
            is then left as it was).
    """
    from syda.database import seed_database

    loaded = load_source(args.source, args.db, args.schema)
    options = generation_options(args, loaded.schema)
    generator = build_generator(args)
    kwargs = options.library_kwargs()
    result = seed_database(
        loaded.obj,
        args.db,
        sample_sizes=kwargs.pop("sample_sizes"),
        default_sample_size=kwargs.pop("default_sample_size"),
        reset=args.reset,
        generator=generator,
        db_schema=args.schema,
        lock_timeout=args.lock_timeout,
        **{k: v for k, v in kwargs.items() if v is not None},
    )
    target = describe(args.db)
    if not args.quiet:
        if result.seeded:
            print(format_counts(result.tables))
            total = sum(result.tables.values())
            print(f"seeded {target}: {len(result.tables)} tables, {total:,} rows")
        else:
            print(f"{target}: {result.reason.replace('reset=True', '--reset')}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """Run ``syda status``: every table of the schema with its row count, or ``absent``.

    Raises:
        SydaError: If the schema cannot be read or the database cannot be reached.
    """
    from syda.database import database_status

    source = None
    if args.source is not None:
        source = load_source(args.source, args.db, args.schema).obj
    counts = database_status(source, args.db, db_schema=args.schema)
    print(format_counts(counts))
    present = [n for n in counts.values() if n is not None]
    print(
        f"{describe(args.db)}: {len(present)} of {len(counts)} tables present, "
        f"{sum(present):,} rows"
    )
    return 0


def format_counts(counts: Mapping[str, int | None]) -> str:
    """Tables and their row counts as a text table (``absent`` for a missing table)."""
    rows = [[key, "absent" if n is None else f"{n:,}"] for key, n in counts.items()]
    return render_table(["table", "rows"], rows, right=(1,))
