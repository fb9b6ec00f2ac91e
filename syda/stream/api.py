"""``SyntheticDataGenerator.generate_to``: plan a run for the streaming engine and run it."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syda.errors import ConfigurationError, OutputError, PlanError
from syda.plan_checks import streaming
from syda.providers.offline import OfflineProvider
from syda.schema import load_schema
from syda.schema.ir import Schema
from syda.schema.triggers import without_trigger_filled
from syda.stream.files import FORMATS
from syda.stream.layout import stream_plan
from syda.stream.run import StreamReport, run_stream

if TYPE_CHECKING:
    from syda.database import Mode
    from syda.generator import SyntheticDataGenerator

__all__ = ["DEFAULT_CHUNK_ROWS", "generate_to"]

DEFAULT_CHUNK_ROWS = 100_000


def generate_to(
    gen: SyntheticDataGenerator,
    models: Any,
    out: str | Path | None = None,
    *,
    sample_sizes: Mapping[str, int] | None = None,
    cardinality: Mapping[str, Any] | None = None,
    custom_generators: Any = None,
    default_sample_size: int = 10,
    profile: Any = None,
    column_generators: Any = None,
    prompts: Mapping[str, str] | None = None,
    format: str = "parquet",
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
    db_url: Any = None,
    if_exists: Mode = "fail",
    create_tables: bool = False,
    db_schema: str | None = None,
) -> StreamReport:
    """See :meth:`syda.SyntheticDataGenerator.generate_to`."""
    if (out is None) == (db_url is None):
        raise ConfigurationError(
            "generate_to streams to one target: give out (a directory) or db_url (a database)"
        )
    if format not in FORMATS:
        raise OutputError(f"cannot stream {format!r}: use parquet, csv or jsonl")
    if format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise OutputError('writing Parquet needs pyarrow: pip install "syda[parquet]"') from exc
    if engine not in ("local", "dask"):
        raise ConfigurationError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    if scheduler is not None and engine != "dask":
        raise ConfigurationError("a scheduler address needs engine='dask'")
    # Values are drawn offline; an LLM may only have written the profile they are drawn from.
    llm = gen.provider.profiler()
    if llm is None and not isinstance(gen.provider, OfflineProvider):
        raise PlanError(
            "the streaming engine fills values offline: a provider object cannot stream"
        )
    loaded = load_schema(models)
    if db_url is not None:
        # Refused before generation (and before an LLM writes any profile).
        _check_database(loaded, db_url, if_exists, create_tables, db_schema)
        sample_sizes = without_trigger_filled(loaded, sample_sizes or {})
    if llm is not None:
        # LLM amplification: the LLM writes each table's profile once (cached), and the
        # engine streams any number of rows from it offline.
        profile = gen.profile(loaded, profile, prompts=prompts)
    with streaming():
        plan = gen.plan(
            loaded,
            sample_sizes=sample_sizes,
            cardinality=cardinality,
            custom_generators=custom_generators,
            default_sample_size=default_sample_size,
            profile=profile,
            column_generators=column_generators,
        )
    # Every chunk, wherever it runs, needs the same seed: a run without one draws one here.
    seed = gen.seed if gen.seed is not None else secrets.randbits(63)
    locale = gen._locale
    locales = (locale,) if isinstance(locale, str) else tuple(locale)
    splan = stream_plan(
        plan, seed=seed, chunk_rows=chunk_rows, today=gen.reference_date, locale=locales
    )
    if db_url is not None:
        from syda.stream.to_db import stream_to_database

        return stream_to_database(
            splan,
            db_url,
            validate=gen.validate,
            mode=if_exists,
            create_tables=create_tables,
            db_schema=db_schema,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
        )
    assert out is not None
    names = {t.key: t.name for t in loaded}
    return run_stream(
        splan,
        Path(out),
        names=names,
        fmt=FORMATS[format],
        validate=gen.validate,
        engine=engine,
        scheduler=scheduler,
        workers=workers,
    )


def _check_database(
    schema: Schema, db_url: Any, if_exists: Mode, create_tables: bool, db_schema: str | None
) -> None:
    """Refuse, before any row is made, a database write that would be refused.

    Raises:
        ConfigurationError: If ``if_exists`` is unknown or ``"append"``, or ``db_url`` is not
            a database.
        OutputError: If tables are missing (without ``create_tables``), or ``"fail"`` finds
            rows.
    """
    from syda.database import check_target
    from syda.database.existing import check_mode

    check_mode(if_exists, "if_exists")
    if if_exists == "append":
        # Streamed keys are row positions (1..rows) and uniques are made without looking at
        # the rows there: appended rows would collide with them.
        raise ConfigurationError(
            "if_exists='append' cannot stream: streamed keys are row positions from 1 and "
            "would collide with the rows there; stream into empty tables, or with "
            "if_exists='replace', or append without streaming (held in memory)"
        )
    check_target(
        schema,
        db_url,
        mode=if_exists,
        create_tables=create_tables,
        db_schema=db_schema,
        keyword="if_exists",
    )
