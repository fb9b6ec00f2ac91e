"""``syda validate``: check a dataset (files or a database) against every rule of its schema."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from syda.cli.datafiles import coerce_frame, find_files, read_dataset
from syda.cli.options import UsageError
from syda.cli.sources import load_source
from syda.database import read_tables
from syda.database.connect import describe
from syda.schema.ir import Schema
from syda.validation import Violation, check_dataset

__all__ = ["format_violations", "run_validate"]

SAMPLE_ROWS = 3
"""Offending rows shown under each violation."""


def run_validate(args: argparse.Namespace) -> int:
    """Run ``syda validate``; return 0 if the dataset is clean, 1 if it has violations.

    Raises:
        UsageError: If neither ``--data`` nor ``--db`` says where the rows are.
        SydaError: If the schema cannot be read, or a file or the database cannot be read.
    """
    if args.data is None and args.db is None:
        raise UsageError("validate needs the rows: --data DIR, or --db URL")
    loaded = load_source(args.source, args.db, args.schema)
    if args.data is not None:
        directory = Path(args.data)
        files = find_files(loaded.schema, directory)
        frames = read_dataset(loaded.schema, files)
        where = str(directory)
    else:
        raw = read_tables(loaded.schema, args.db, db_schema=args.schema)
        # Raw driver values, given each column's Python type exactly as for files.
        frames = {
            key: coerce_frame(loaded.schema.table(key), df, text_encoded=True)
            for key, df in raw.items()
        }
        where = describe(args.db)
    violations = check_dataset(loaded.schema, frames)
    if violations:
        print(format_violations(violations, frames, loaded.schema))
    rows = sum(len(df) for df in frames.values())
    tables = {v.table for v in violations}
    verdict = (
        f"{len(violations)} violation{'s' if len(violations) != 1 else ''} "
        f"in {len(tables)} table{'s' if len(tables) != 1 else ''}"
        if violations
        else "no violations"
    )
    if not args.quiet or violations:
        print(f"checked {len(frames)} tables, {rows:,} rows in {where}: {verdict}")
    return 1 if violations else 0


def format_violations(
    violations: Sequence[Violation], frames: Mapping[str, pd.DataFrame], schema: Schema
) -> str:
    """Every violation on one line (table, column, rule, count, message) and sample rows."""
    lines: list[str] = []
    for v in violations:
        where = f"{v.table}.{v.column}" if v.column else v.table
        noun = "row" if v.count == 1 else "rows"
        count = f" {v.count} {noun}:" if v.count else ""
        lines.append(f"{where} [{v.rule}]{count} {_strip_count(v.message, v.count)}")
        df = frames.get(v.table)
        if df is None or not v.rows:
            continue
        columns = _shown_columns(v, df, schema)
        for position in v.rows[:SAMPLE_ROWS]:
            if position < len(df):
                values = ", ".join(f"{c}={_show(df.iloc[position][c])}" for c in columns)
                lines.append(f"    row {position + 1}: {values}")
        if v.count > SAMPLE_ROWS:
            lines.append(f"    ... {v.count - min(SAMPLE_ROWS, len(v.rows))} more")
    return "\n".join(lines)


def _strip_count(message: str, count: int) -> str:
    # Messages start with "N rows: ..." or "N rows repeat ..."; the count is already shown.
    for prefix in (f"{count} rows: ", f"{count} rows "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def _shown_columns(v: Violation, df: pd.DataFrame, schema: Schema) -> list[str]:
    key: tuple[str, ...] = ()
    if v.table in schema:
        key = schema.table(v.table).primary_key
    named = [c.strip() for c in (v.column or "").split(",") if c.strip()]
    return [c for c in dict.fromkeys([*key, *named]) if c in df.columns]


def _show(value: Any) -> str:
    if value is None or (not isinstance(value, (list, dict)) and bool(pd.isna(value))):
        return "NULL"
    text = repr(value.item() if hasattr(value, "item") and not isinstance(value, str) else value)
    return text if len(text) <= 60 else text[:57] + "..."
