"""``syda generate``: fill every table of a source and write the rows to files or a database."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import pandas as pd

from syda.cli.console import render_table
from syda.cli.options import UsageError, build_generator, generation_options
from syda.cli.sources import load_source
from syda.database.connect import describe
from syda.dirty import DirtyData
from syda.generator import SyntheticDataGenerator

__all__ = ["run_generate"]


def run_generate(args: argparse.Namespace) -> int:
    """Run ``syda generate``; return the exit code.

    Raises:
        UsageError: If no target is given or options contradict each other.
        SydaError: Whatever the library raises (schema, plan, generation, output errors).
    """
    to_files = args.out is not None
    # With --db alone, the database is the source and the target; with --out too, only the
    # source; with a SOURCE, the target.
    to_db = args.db is not None and (args.source is not None or not to_files)
    if not to_files and not to_db:
        raise UsageError("generate needs a target: --out DIR, or --db URL")
    if args.format is not None and not to_files:
        raise UsageError("--format applies to --out DIR")
    if args.csv_raw and (not to_files or (args.format or "csv") != "csv"):
        raise UsageError("--csv-raw applies to CSV files (--out DIR)")
    if not to_db and (args.if_exists != "fail" or args.create_tables or args.db_defaults):
        raise UsageError("--if-exists, --create-tables and --db-defaults apply to a --db target")
    streams = args.chunk_rows is not None or args.engine is not None or args.scheduler
    if streams and to_db and to_files:
        raise UsageError("--chunk-rows streams to one target: --out DIR or --db URL, not both")
    if streams and args.db_defaults:
        raise UsageError("--db-defaults applies to runs held in memory, not to --chunk-rows")
    if args.scheduler and args.engine not in (None, "dask"):
        raise UsageError("--scheduler needs --engine dask")
    loaded = load_source(args.source, args.db, args.schema)
    options = generation_options(args, loaded.schema)
    generator = build_generator(args)
    fmt = args.format or "csv"
    kwargs: dict[str, Any] = options.library_kwargs()
    if streams:
        if args.dirty is not None:
            raise UsageError("--dirty applies to runs held in memory, not to --chunk-rows")
        return _stream(args, generator, loaded, kwargs, fmt, to_db)
    if to_files:
        kwargs |= {"output_dir": args.out, "output_format": fmt, "csv_raw": args.csv_raw}
    if args.dirty is not None:
        kwargs["dirty"] = args.dirty
    started = time.perf_counter()
    if to_db:
        # The generator checks the target before generating, and for append continues its keys.
        kwargs |= _database_options(args) | {"db_defaults": args.db_defaults}
    frames = generator.generate_related_data(loaded.obj, **kwargs)
    seconds = time.perf_counter() - started
    if not args.quiet:
        names = {t.key: t.name for t in loaded.schema}
        where = {
            key: (str(Path(args.out) / f"{names[key]}.{fmt}") if to_files else "") for key in frames
        }
        if to_db:
            target = describe(args.db)
            where = {k: f"{w}, {target}" if w else target for k, w in where.items()}
        print(_summary(generator, frames, where, seconds))
        if generator.last_dirty is not None:
            print(_dirty_summary(generator.last_dirty))
    return 0


def _dirty_summary(made: DirtyData) -> str:
    by_kind: dict[str, int] = {}
    for (_, kind), n in made.counts().items():
        by_kind[kind] = by_kind.get(kind, 0) + n
    listed = ", ".join(f"{kind} {n}" for kind, n in sorted(by_kind.items()))
    where = " (manifest: _defects)" if len(made.manifest) else ""
    return f"{len(made.manifest):,} defects injected: {listed}{where}"


def _database_options(args: argparse.Namespace) -> dict[str, Any]:
    """The --db target's options, as generate_related_data and generate_to name them."""
    return {
        "db_url": args.db,
        "if_exists": args.if_exists,
        "create_tables": args.create_tables,
        "db_schema": args.schema,
    }


def _stream(
    args: argparse.Namespace,
    generator: SyntheticDataGenerator,
    loaded: Any,
    kwargs: dict[str, Any],
    fmt: str,
    to_db: bool,
) -> int:
    """``syda generate (--out DIR | --db URL) --chunk-rows N [--engine dask]``: streaming."""
    from syda.stream.api import DEFAULT_CHUNK_ROWS

    if to_db:
        kwargs |= _database_options(args)
    else:
        kwargs |= {"out": args.out, "format": "jsonl" if fmt == "json" else fmt}
    report = generator.generate_to(
        loaded.obj,
        **kwargs,
        chunk_rows=args.chunk_rows or DEFAULT_CHUNK_ROWS,
        engine="dask" if args.engine == "dask" or args.scheduler else "local",
        scheduler=args.scheduler,
        workers=args.workers,
    )
    if not args.quiet:
        rows = [
            [
                key,
                f"{n:,}",
                f"{report.chunks.get(key, 0):,}",
                report.database or f"{report.paths[key]}/",
            ]
            for key, n in report.rows.items()
        ]
        rate = report.total_rows / max(report.seconds, 1e-9)
        rows.append(["total", f"{report.total_rows:,}", "", f"{report.seconds:.1f} s"])
        table = render_table(["table", "rows", "chunks", "written to"], rows, right=(1, 2))
        print(f"{table}\n{len(rows) - 1} tables streamed ({report.engine}, {rate:,.0f} rows/s)")
    return 0


def _summary(
    generator: SyntheticDataGenerator,
    frames: dict[str, pd.DataFrame],
    where: dict[str, str],
    seconds: float,
) -> str:
    report = generator.last_report
    rows = []
    # Generation order (the report's), then any table the report does not know.
    order = [k for k in (report.tables if report is not None else ()) if k in frames]
    for key in [*order, *(k for k in frames if k not in order)]:
        df = frames[key]
        tr = report.tables.get(key) if report is not None else None
        rows.append([key, f"{len(df):,}", f"{tr.seconds:.3f}" if tr else "", where[key]])
    total = sum(len(df) for df in frames.values())
    places = sorted({w for w in where.values()})
    shared = places[0] if len(places) == 1 else ""
    if len(places) > 1 and all(w and Path(w).suffix for w in places):
        shared = str(Path(places[0]).parent) + "/"
    rows.append(["total", f"{total:,}", f"{seconds:.3f}", shared])
    provider = f" (provider: {report.provider})" if report is not None else ""
    table = render_table(["table", "rows", "seconds", "written to"], rows, right=(1, 2))
    return f"{table}\n{len(frames)} tables generated{provider}"
