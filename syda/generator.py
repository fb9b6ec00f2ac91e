"""``SyntheticDataGenerator``: the public facade that turns a schema into validated data.

It only wires the stages together (schema adapters, planner, engine, sinks); each stage lives in
its own module and knows nothing of this one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from syda.dirty.apply import DirtyData
from syda.dirty.run import DirtySource, check_dirty, dirty_dataset, dirty_files
from syda.engine import run_plan
from syda.errors import ConfigurationError, PlanError
from syda.generators.keys import CardinalitySpec, whole_number
from syda.generators.registry import ColumnGenerator, GeneratorRegistry
from syda.locales import checked_locales
from syda.plan import Plan
from syda.plan_ranges import with_existing_keys
from syda.planning import ColumnGenerators, CustomGenerators, Request, plan_request, user_profile
from syda.profile import Profile, effective_profile
from syda.profile.io import ProfileSource
from syda.profile.vector import VectorGenerator
from syda.providers.aio import run_sync
from syda.providers.base import Provider
from syda.providers.config import ModelConfig, resolve_config
from syda.providers.mixed import meaning_columns
from syda.providers.offline import OfflineProvider
from syda.report import RunReport
from syda.schema import load_schema
from syda.schema.column_db import leave_defaults_to_database
from syda.schema.ir import Schema
from syda.schema.limits import shown
from syda.schema.triggers import without_trigger_filled
from syda.sinks import check_writable, write_dataset, write_frame
from syda.suggest import did_you_mean

if TYPE_CHECKING:
    from syda.profile.llm_profile import LLMProfiles
    from syda.prompts import CompiledPrompt
    from syda.stream.run import StreamReport

__all__ = ["SyntheticDataGenerator"]

logger = logging.getLogger("syda")

_PlanArgs = tuple[
    Schema,
    Mapping[str, int],
    "Mapping[str, CardinalitySpec] | None",
    "CustomGenerators | None",
    int,
    "ProfileSource | None",
    "ColumnGenerators | None",
]
"""The arguments of one call's plan, kept to plan it again with an LLM's profile layer."""

# Relative dates of seeded runs are anchored here, so fixtures stay identical from day to day.
FIXED_REFERENCE_DATE = date(2026, 1, 1)


class SyntheticDataGenerator:
    """Generates synthetic rows for one table or a whole related schema.

    Args:
        model_config: The LLM that writes the rows: a :class:`~syda.ModelConfig` or a provider
            name (``"openai"``, ``"anthropic"``, ``"offline"``). Without one, a key found in the
            environment (``OPENAI_API_KEY``, then ``ANTHROPIC_API_KEY``) picks that provider,
            else the offline provider is used; the choice is logged.
        seed: Seed for all randomness, any whole number from 0 up (numpy's rule; Python and
            numpy integers alike); the same seed gives the same data. ``None`` draws fresh
            randomness on every run.
        provider: A provider object of your own (overrides ``model_config``).
        locale: Faker locale(s) the offline provider draws its vocabularies from.
        validate: Check every table against the schema before returning (keep this on unless
            you are benchmarking generation alone).
        reference_date: The "today" of relative dates (recent orders, adult birth dates). By
            default a fixed date when ``seed`` is set, so the same seed gives the same data on
            any day, and the real today when ``seed`` is None.

    Raises:
        ConfigurationError: If ``seed`` is negative or not a whole number, or the chosen
            provider needs a key that is not set (the message names the environment variable),
            or its SDK is not installed, or ``locale`` is not a Faker locale (the message names
            the close ones).

    Example:
        >>> gen = SyntheticDataGenerator(seed=1)
        >>> df = gen.generate_data(schema={"email": "email"}, sample_size=3)
        >>> len(df)
        3
    """

    def __init__(
        self,
        model_config: ModelConfig | str | None = None,
        *,
        seed: int | None = 0,
        provider: Provider | None = None,
        locale: str | list[str] = "en_US",
        validate: bool = True,
        reference_date: date | None = None,
    ) -> None:
        self.seed = _checked_seed(seed)
        checked_locales(locale)  # at once, not as an AttributeError when the first table runs
        self.validate = validate
        self._locale = locale
        if reference_date is None:
            reference_date = date.today() if seed is None else FIXED_REFERENCE_DATE
        self.reference_date = reference_date
        chosen: Provider
        if provider is None:
            config = resolve_config(model_config)
            if config.provider == "offline":
                chosen = OfflineProvider(seed=self.seed, locale=locale, today=reference_date)
            else:
                from syda.providers.llm import LLMProvider  # offline runs skip its imports

                chosen = LLMProvider(config)
        elif not isinstance(provider, Provider):
            # The contract is checked once, here, rather than as an AttributeError mid-run.
            raise ConfigurationError(
                f"provider must be a syda.Provider (subclass it and implement fill_batch), "
                f"got {type(provider).__name__}"
            )
        else:
            chosen = provider
            logger.info("provider: %s (a provider object)", provider.name)
        self.provider = chosen
        self._registry: GeneratorRegistry[ColumnGenerator] = GeneratorRegistry()
        self._vectors: GeneratorRegistry[VectorGenerator] = GeneratorRegistry()
        self.last_report: RunReport | None = None
        self.last_dirty: DirtyData | None = None
        """The report of the most recent run: rows, provider calls, re-asks, seconds per table."""

    def register_generator(
        self, type_name: str, fn: ColumnGenerator, column_name: str | None = None
    ) -> None:
        """Register ``fn(row, column_name) -> value`` for a type or for one column.

        Args:
            type_name: The type the generator is for: a semantic type (``"email"``), a logical
                kind (``"integer"``), a declared SQL type, or ``"foreign_key"``.
            fn: Called once per row with the values already decided for that row.
            column_name: Restrict to this column (``"department_id"``, or ``"Employee.manager_id"``
                for one table's column).

        Raises:
            ConfigurationError: If ``fn`` is not callable or ``type_name`` is empty.
        """
        self._registry.register(type_name, fn, column_name)

    def register_column_generator(
        self, type_name: str, fn: VectorGenerator, column_name: str | None = None
    ) -> None:
        """Register a vectorised ``fn(ctx) -> array`` for a type or for one column.

        Found by the same rule as :meth:`register_generator` (a call's ``column_generators``
        first); called once per batch with a :class:`~syda.ColumnContext` (declare the columns
        it reads with :func:`~syda.depends_on`). Keys and foreign keys are never given to it.

        Args:
            type_name: A semantic type (``"email"``), a logical kind, or a declared SQL type.
            fn: Returns one value per row of the batch.
            column_name: Restrict to this column (``"amount"`` or ``"Deal.amount"``).

        Raises:
            ConfigurationError: If ``fn`` is not callable or ``type_name`` is empty.
        """
        self._vectors.register(type_name, fn, column_name)

    def plan(
        self,
        schema: Any,
        *,
        sample_sizes: Mapping[str, int] | None = None,
        cardinality: Mapping[str, CardinalitySpec] | None = None,
        custom_generators: CustomGenerators | None = None,
        default_sample_size: int = 10,
        profile: ProfileSource | None = None,
        column_generators: ColumnGenerators | None = None,
    ) -> Plan:
        """Plan a run without generating anything: order, cycles, and who fills each column.

        Raises:
            SchemaError: If the schema or the profile has problems (all of them are listed).
            PlanError: If sample sizes or cardinalities name unknown tables or foreign keys,
                are not valid counts, or the run would not fit in memory.
        """
        loaded = load_schema(schema)
        sizes = {} if sample_sizes is None else sample_sizes
        return self._plan(
            loaded,
            sizes,
            cardinality,
            custom_generators,
            default_sample_size,
            profile,
            column_generators,
        )

    def profile(
        self,
        schema: Any,
        profile: ProfileSource | None = None,
        *,
        prompts: Mapping[str, str] | None = None,
    ) -> Profile:
        """The effective profile of ``schema``: how every value column's values are drawn.

        Inferred specs, under the specs the schema carries, under ``profile``; what
        ``syda profile`` writes (:func:`syda.dump_profile` gives the YAML). With an LLM
        provider, the LLM writes the profile of every table not forced to rows mode (one call
        per table, cached) as the layer above inference: the calls are in ``last_report``.

        Args:
            schema: Any schema ``generate_related_data`` takes.
            profile: A profile to apply over the schema's own specs (a :class:`~syda.Profile`,
                a mapping, or a YAML/JSON file).
            prompts: Per-table prompts for the LLM, by key.

        Raises:
            SchemaError: If the schema or the profile has problems (all are listed).
            PlanError: If ``prompts`` names tables the schema lacks.
            GenerationError: If an LLM call keeps failing.
        """
        loaded = load_schema(schema)
        _check_prompts(loaded, prompts)
        user = user_profile(profile, loaded)
        llm = self.provider.profiler()
        if llm is None:
            return effective_profile(loaded, user)
        with llm.run_scope():
            plan = self.plan(loaded, profile=profile)

            from syda.profile.llm_mode import usage_report, write_profiles

            async def written_profiles() -> LLMProfiles:
                try:
                    return await write_profiles(
                        llm,
                        plan,
                        user=user,
                        prompts=prompts,
                        today=self.reference_date,
                        local=self._offline,
                        replan=lambda lp: self._plan(loaded, {}, None, None, 10, profile, None, lp),
                    )
                finally:
                    await llm.aclose()  # the loop's client

            written = run_sync(written_profiles)
        self.last_report = usage_report(self.provider, written)
        return effective_profile(loaded, user, written.profile)

    def compile_prompt(
        self,
        schema: Any,
        table: str,
        *,
        prompt: str | None = None,
        rows: int | None = None,
        custom_generators: CustomGenerators | None = None,
        profile: ProfileSource | None = None,
    ) -> CompiledPrompt:
        """Show the prompt an LLM would get for ``table``, without calling any LLM.

        The columns listed are exactly those the provider must fill (keys, foreign keys and
        custom columns are never asked for). Parent and context rows exist only during a run,
        so they are not part of this preview. A table an LLM provider fills in profile mode
        (``ModelConfig.mode``) gets the prompt of its first profile call instead.

        Args:
            schema: Anything ``generate_related_data`` accepts.
            table: The table's key (model name) or SQL name.
            prompt: The user's prompt for the table.
            rows: Rows the table gets (default 10, as ``generate_related_data`` gives a table
                it is not told about). The prompt asks for what the first call would: all of
                them, or an LLM provider's batch size when that is smaller.
            custom_generators: As for ``generate_related_data`` (they remove columns).
            profile: As for ``generate_related_data`` (columns it declares are not profiled).

        Raises:
            SchemaError: If the schema has problems.
            PlanError: If ``table`` is not in the schema, or ``rows`` is not a whole number
                from 1.
        """
        loaded = load_schema(schema)
        names = [*loaded.keys, *(t.name for t in loaded)]
        if table not in names:
            raise PlanError(
                f"unknown table {table!r}; the schema has {', '.join(loaded.keys)}"
                + did_you_mean(table, names)
            )
        key = loaded.table(table).key
        plan = self.plan(loaded, custom_generators=custom_generators, profile=profile)
        tp = plan.tables[key]
        columns = tp.asked_columns
        wanted = (tp.rows or 10) if rows is None else whole_number(rows)
        if wanted is None or wanted < 1:
            raise PlanError(f"compile_prompt needs rows from 1, got {shown(rows)}")
        # One call asks for a batch: the provider's size, or every row if there are fewer.
        llm = self.provider.profiler()
        if llm and llm.config.mode_for(key, wanted, tp.table.name) == "profile":
            user = user_profile(profile, loaded)
            from syda.profile.llm_mode import profile_prompt

            found = profile_prompt(
                llm, plan, key, user=user, prompt=prompt, today=self.reference_date
            )
            if found is not None:
                return found
        if llm and llm.config.llm_columns == "meaning":
            # Mixed tables: the LLM is asked only for the columns of meaning (if any).
            columns = meaning_columns(tp.table, columns) or columns
        rows = min(wanted, self.provider.batch_size(tp.table, columns))
        from syda.prompts import compile_prompt as render_prompt

        return render_prompt(tp.table, columns, rows, user_prompt=prompt)

    def generate_data(
        self,
        schema: Any,
        prompt: str | None = None,
        sample_size: int = 10,
        output_path: str | Path | None = None,
        *,
        custom_generators: Mapping[str, ColumnGenerator] | None = None,
        table_name: str | None = None,
        output_format: str | None = None,
        csv_raw: bool = False,
        profile: ProfileSource | None = None,
        column_generators: Mapping[str, VectorGenerator] | None = None,
    ) -> pd.DataFrame | str:
        """Generate rows for one table.

        Args:
            schema: A SQLAlchemy model or ``Table``, a column dict such as
                ``{"email": "email", "visit_date": "date"}``, or a YAML/JSON file of one table.
            prompt: What the data is about (used by LLM providers; logged by the offline one).
            sample_size: Number of rows.
            output_path: If given, the rows are written there (``.csv``, ``.json``, ``.parquet``)
                and the path is returned instead of a DataFrame.
            custom_generators: ``{column: fn(row, column)}`` for this table only.
            table_name: Name of the table for a dict schema (default ``"table"``).
            output_format: Force a format instead of taking it from the suffix.
            csv_raw: Write CSV cells verbatim, without guarding the ones a spreadsheet would
                evaluate as formulas (for files no spreadsheet opens).
            profile: How columns are drawn, over the schema's own specs: ``{column: spec}``,
                a :class:`~syda.Profile`, or a YAML/JSON profile file.
            column_generators: ``{column: fn(ctx) -> array}``, vectorised: called once per
                batch (see :func:`~syda.depends_on`).

        Returns:
            The rows as a DataFrame, or the path written when ``output_path`` is given.

        Raises:
            SchemaError: If the schema has problems, e.g. a foreign key with no parent data and
                no registered generator.
            PlanError: If the schema has several tables (use ``generate_related_data``), or
                ``sample_size`` is not a non-negative whole number or too large for memory.
            GenerationError: If valid rows cannot be produced.
            OutputError: If the file cannot be written (nothing half-written is left).
        """
        loaded = load_schema(schema, name=table_name or "table", external_references=True)
        if len(loaded) != 1:
            raise PlanError(
                f"generate_data takes one table, the schema has {len(loaded)} "
                f"({', '.join(loaded.keys)}): use generate_related_data"
            )
        key = loaded.tables[0].key
        if output_path is not None:
            check_writable(output_path, output_format)  # before generating, not after
        scoped = {key: dict(custom_generators)} if custom_generators else None
        vector = {key: dict(column_generators)} if column_generators else None
        args: _PlanArgs = (loaded, {key: sample_size}, None, scoped, sample_size, profile, vector)
        frames = self._run(self._plan(*args), {key: prompt} if prompt else None, args=args)
        df = frames[key]
        if output_path is None:
            return df
        return str(write_frame(df, output_path, format=output_format, csv_raw=csv_raw))

    def generate_related_data(
        self,
        models: Any = None,
        prompts: Mapping[str, str] | None = None,
        sample_sizes: Mapping[str, int] | None = None,
        output_dir: str | Path | None = None,
        custom_generators: CustomGenerators | None = None,
        *,
        schema: Any = None,
        cardinality: Mapping[str, CardinalitySpec] | None = None,
        output_format: str = "csv",
        csv_raw: bool = False,
        default_sample_size: int = 10,
        db_url: str | Any | None = None,
        if_exists: Literal["fail", "append", "replace"] = "fail",
        create_tables: bool = False,
        db_schema: str | None = None,
        profile: ProfileSource | None = None,
        column_generators: ColumnGenerators | None = None,
        db_defaults: bool = False,
        dirty: DirtySource | None = None,
    ) -> dict[str, pd.DataFrame]:
        """Generate every table of a related schema, parents before children.

        Args:
            models: SQLAlchemy models (in any order), ``Table`` objects, a ``MetaData``, a dict of
                tables, or a YAML/JSON file of tables.
            prompts: Per-table prompts, by model/table key.
            sample_sizes: Rows per table, by key (tables not named get ``default_sample_size``).
            output_dir: If given, one file per table is written there (named after the SQL table).
            custom_generators: ``{table key: {column: fn(row, column)}}``, scoped to that table.
            schema: Alternative name for ``models``.
            cardinality: Children per parent instead of a flat count, by ``"Table.fk_column"``
                (any column of the foreign key, or its constraint name):
                ``{"Contact.customer_id": "2-4"}``; a spec is ``3``, ``"2-4"``, ``(2, 4)``,
                ``"~2.5"`` or ``{"mean": 2.5}`` (Poisson), or ``fn(rng, n_parents) -> counts``.
                With a sample size too, the total is exact.
            output_format: ``"csv"``, ``"json"`` or ``"parquet"`` for ``output_dir``.
            csv_raw: Write CSV cells verbatim, without guarding the ones a spreadsheet would
                evaluate as formulas (for files no spreadsheet opens).
            default_sample_size: Rows for tables without a sample size or cardinality.
            db_url: A database (URL or SQLAlchemy engine) to write the rows into, in one
                transaction: all rows or, on any error, none.
            if_exists: What to do when the tables already have rows: ``"fail"`` (before
                anything is generated), ``"append"`` (new keys continue after the existing ones,
                unique values never repeat them, and new rows may point at existing parents), or
                ``"replace"`` (the old rows are deleted in the same transaction).
            create_tables: Create missing tables from the schema first.
            db_schema: The database schema (namespace) of the tables.
            profile: How columns are drawn, over the schema's own specs: a
                :class:`~syda.Profile`, ``{table: {column: spec}}``, or a YAML/JSON profile
                file (what ``syda profile`` writes).
            column_generators: ``{table key: {column: fn(ctx) -> array}}``: vectorised
                generators, called once per batch with the rng, the row count, the columns
                declared with :func:`~syda.depends_on` and the parent rows.
            db_defaults: Leave every column with a database DEFAULT (``now()``, ``'draft'``,
                a sequence) to the database: it is not generated nor written, and the database
                fills it. Columns a key, a unique rule or a CHECK needs are still generated.
                Needs ``db_url``. Off (default): a DEFAULT is honoured as the column's common
                value (``default_share`` in the profile).
            dirty: Labelled defects to inject after the clean rows are made and validated (a
                :class:`~syda.dirty.DirtySpec`, a dict, or a YAML/JSON file): the frames
                returned are the dirty ones; ``last_dirty`` holds the clean ones, the other
                sources and the manifest of every defect, which ``output_dir`` also gets
                (``_defects`` and ``<table>@<source>`` files). A database write is refused
                when the defects break its constraints.

        Returns:
            A DataFrame for every table, keyed by model/table key (also when files are written).

        Raises:
            SchemaError: If the schema has problems (all are listed at once).
            PlanError: If the request cannot be met: more rows than key combinations, sample
                sizes that are not non-negative whole numbers, cardinality keys that name no
                foreign key or bad specs, prompts or sample sizes for tables the schema lacks,
                or a run too large for memory (checked before anything is generated).
            GenerationError: If valid rows cannot be produced.
            OutputError: If files or the database cannot be written (both are left as they
                were), or ``if_exists="fail"`` and a table already has rows.
        """
        source = models if models is not None else schema
        if source is None:
            raise PlanError("generate_related_data needs models (or schema=...)")
        loaded = load_schema(source)
        _check_prompts(loaded, prompts)
        if db_defaults:
            if db_url is None:
                raise ConfigurationError(
                    "db_defaults=True leaves columns to a database: give db_url"
                )
            loaded = leave_defaults_to_database(loaded)
        sizes = {} if sample_sizes is None else sample_sizes
        if db_url is not None:
            sizes = without_trigger_filled(loaded, sizes)
        args: _PlanArgs = (
            loaded,
            sizes,
            cardinality,
            custom_generators,
            default_sample_size,
            profile,
            column_generators,
        )
        plan = self._plan(*args)
        spec = None if dirty is None else check_dirty(loaded, dirty, to_database=db_url is not None)
        if output_dir is not None:
            # A format that cannot be written is refused before any row (or token) is spent.
            check_writable(Path(output_dir) / f"dataset.{output_format}", output_format)
        existing = None
        if db_url is not None:
            from syda.database import check_target
            from syda.plan_lines import line_reads
            from syda.profile.reads import parent_reads

            # Refused before generation, so a target that cannot take the rows costs no tokens.
            existing = check_target(
                loaded,
                db_url,
                mode=if_exists,
                create_tables=create_tables,
                db_schema=db_schema,
                keyword="if_exists",
                reads=line_reads(
                    plan.tables,
                    parent_reads(
                        loaded, Profile(tables={k: tp.profile for k, tp in plan.tables.items()})
                    ),
                ),
            )
        frames = self._run(plan, prompts, existing, args=args)
        extra: tuple[dict[str, pd.DataFrame], dict[str, str]] = ({}, {})
        if spec is not None:
            made = dirty_dataset(
                loaded, frames, spec, seed=self.seed, to_database=db_url is not None
            )
            self.last_dirty, frames, extra = made, made.frames, dirty_files(loaded, made)
        if db_url is not None:
            from syda.database import write_database

            written = write_database(
                loaded,
                frames,
                db_url,
                mode=if_exists,
                create_tables=create_tables,
                db_schema=db_schema,
            )
            logger.info(
                "wrote %d rows in %.2fs (%s)",
                sum(written.tables.values()),
                written.seconds,
                written.strategy,
            )
        if output_dir is not None:
            names = {t.key: t.name for t in loaded} | extra[1]
            paths = write_dataset(
                {**frames, **extra[0]},
                output_dir,
                format=output_format,
                names=names,
                csv_raw=csv_raw,
            )
            logger.info("wrote %d files to %s", len(paths), output_dir)
        return {key: frames[key] for key in loaded.keys}

    def generate_to(
        self,
        models: Any,
        out: str | Path | None = None,
        *,
        sample_sizes: Mapping[str, int] | None = None,
        cardinality: Mapping[str, CardinalitySpec] | None = None,
        custom_generators: CustomGenerators | None = None,
        default_sample_size: int = 10,
        profile: ProfileSource | None = None,
        column_generators: ColumnGenerators | None = None,
        prompts: Mapping[str, str] | None = None,
        format: str = "parquet",
        chunk_rows: int = 100_000,
        engine: Literal["local", "dask"] = "local",
        scheduler: str | None = None,
        workers: int = 2,
        db_url: str | Any | None = None,
        if_exists: Literal["fail", "append", "replace"] = "fail",
        create_tables: bool = False,
        db_schema: str | None = None,
    ) -> StreamReport:
        """Stream every table to files or a database in chunks: memory bounded by ``chunk_rows``.

        To files (``out``), each table becomes a directory ``out/<table>/`` of
        ``part-NNNNNN.<ext>`` files, one per chunk (Parquet: one row group each). Into a
        database (``db_url``), every table's chunks go in ONE transaction, parents first, each
        chunk made as the writer asks for it (``COPY`` per chunk on PostgreSQL, batched INSERTs
        elsewhere): all rows or, on any error, none, with every constraint enforced by the
        database. Every chunk has its own random streams, so the rows are the same on any
        engine and any sink for the same seed and ``chunk_rows``. With an LLM provider, the
        LLM writes the profile once and the rows are drawn from it offline.

        Args:
            models: Any schema ``generate_related_data`` takes.
            out: The output directory (table directories in it are replaced at the end); or
                give ``db_url``.
            sample_sizes: Rows per table, as for :meth:`generate_related_data`.
            cardinality: Children per parent, as for :meth:`generate_related_data`.
            custom_generators: Row-wise generators, as for :meth:`generate_related_data`.
            default_sample_size: Rows for tables without a size or cardinality.
            profile: How columns are drawn, as for :meth:`generate_related_data`.
            column_generators: Vectorised generators, as for :meth:`generate_related_data`.
            prompts: Per-table prompts (an LLM provider writes the profile from them).
            format: ``"parquet"``, ``"csv"`` or ``"jsonl"``.
            chunk_rows: Rows per chunk (a table cut by a cardinality: at most about this).
            engine: ``"local"`` (this machine) or ``"dask"`` (``dask.distributed``).
            scheduler: A Dask scheduler address (``"tcp://host:8786"``); None starts a
                ``LocalCluster`` of ``workers`` processes.
            workers: Processes of the local engine (forked, one chunk each at a time; 1: this
                process only), or workers of the ``LocalCluster``; the bytes are the same.
            db_url: A database (URL or SQLAlchemy engine) to stream into instead of ``out``.
                With ``engine="dask"`` the workers make the chunks and this process writes
                them in order.
            if_exists: When the tables already have rows: ``"fail"`` (checked before
                anything is made) or ``"replace"`` (deleted in the same transaction).
                ``"append"`` is refused: streamed keys are row positions from 1.
            create_tables: Create missing tables from the schema first.
            db_schema: The database schema (namespace) of the tables.

        Returns:
            A :class:`~syda.stream.StreamReport`: rows, chunks and directory per table (or
            the database, without its password).

        Raises:
            PlanError: If the plan uses a feature the streaming engine cannot make yet (all
                are named), or a count cannot be met.
            GenerationError: If a chunk cannot be made valid (nothing is written).
            OutputError: If the format is unknown, ``out`` cannot be written, or the database
                refuses the write (tables missing, rows there with ``"fail"``, a row it rejects:
                nothing is written).
            ConfigurationError: If the engine is unknown or Dask is missing, neither or both
                of ``out`` and ``db_url`` are given, or ``if_exists`` is ``"append"``.
        """
        from syda.stream.api import generate_to

        return generate_to(
            self,
            models,
            out,
            sample_sizes=sample_sizes,
            cardinality=cardinality,
            custom_generators=custom_generators,
            default_sample_size=default_sample_size,
            profile=profile,
            column_generators=column_generators,
            prompts=prompts,
            format=format,
            chunk_rows=chunk_rows,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            db_url=db_url,
            if_exists=if_exists,
            create_tables=create_tables,
            db_schema=db_schema,
        )

    # -- internals -------------------------------------------------------------------------

    def _plan(
        self,
        schema: Schema,
        sample_sizes: Mapping[str, int],
        cardinality: Mapping[str, CardinalitySpec] | None,
        scoped: CustomGenerators | None,
        default_rows: int,
        profile: ProfileSource | None = None,
        vector: ColumnGenerators | None = None,
        llm_profile: Profile | None = None,
    ) -> Plan:
        llm = self.provider.profiler()
        if llm is not None:
            from syda.profile.llm_mode import check_modes

            check_modes(llm.config, schema)  # a misspelt table in mode= does nothing
        return plan_request(
            schema,
            Request(sample_sizes, cardinality, scoped, default_rows, profile, vector, llm_profile),
            self._registry,
            self._vectors,
        )

    def _run(
        self,
        plan: Plan,
        prompts: Mapping[str, str] | None,
        existing: Mapping[str, pd.DataFrame] | None = None,
        *,
        args: _PlanArgs,
    ) -> dict[str, pd.DataFrame]:
        if plan.cycles:
            logger.info("cycles broken by filling these keys in a second pass: %s", plan.cycles)
        # One run scope: the LLM deadline covers every table of this call together.
        # Append mode: the keys the target holds leave fewer values for new rows.
        plan = with_existing_keys(plan, existing, args[1])
        with self.provider.run_scope():
            run = partial(self._one_loop, plan, prompts, existing, args)
            frames, report, written = run_sync(run)
        from syda.profile.llm_mode import add_usage

        for key, used in (written.usage if written is not None else {}).items():
            add_usage(report.tables[key], used)  # the profile calls, before the table's rows
        self.last_report = report
        logger.info("generation report:\n%s", report.summary())
        return frames

    async def _one_loop(
        self,
        plan: Plan,
        prompts: Mapping[str, str] | None,
        existing: Mapping[str, pd.DataFrame] | None,
        args: _PlanArgs,
    ) -> tuple[dict[str, pd.DataFrame], RunReport, LLMProfiles | None]:
        """The run, one event loop: the profile calls first, then the rows, under one semaphore."""
        slots = asyncio.Semaphore(self.provider.concurrency)
        try:
            # Profile mode: the LLM writes the profiles of large tables first (one call each).
            from syda.profile.llm_mode import apply_profile_mode

            plan, provider, written = await apply_profile_mode(
                self.provider,
                plan,
                user=user_profile(args[5], plan.schema),
                prompts=prompts,
                today=self.reference_date,
                local=self._offline,
                replan=lambda layer: with_existing_keys(
                    self._plan(*args, llm_profile=layer), existing, args[1]
                ),
                slots=slots,
            )
        except BaseException:
            await self.provider.aclose()  # the rows' run closes it otherwise
            raise
        frames, report = await run_plan(
            plan,
            provider,
            seed=self.seed,
            prompts=prompts,
            validate=self.validate,
            existing=existing,
            reference_date=self.reference_date,
            key_maker=self._offline(),
            slots=slots,
        )
        return frames, report, written

    def _offline(self) -> OfflineProvider:
        return OfflineProvider(seed=self.seed, locale=self._locale, today=self.reference_date)


def _check_prompts(schema: Schema, prompts: object) -> None:
    """Refuse prompts for tables the schema lacks: a misspelt key would silently do nothing.

    Raises:
        PlanError: If ``prompts`` is not a mapping of table to text, or names unknown tables.
    """
    if prompts is None:
        return
    if not isinstance(prompts, Mapping):
        raise PlanError(f"prompts must be a mapping of table to text, got {shown(prompts)}")
    names = [*schema.keys, *(t.name for t in schema)]
    problems = [
        f"prompts names table {shown(name)}, which is not in the schema "
        f"(tables: {', '.join(schema.keys)}){did_you_mean(name, names)}"
        for name in prompts
        if name not in names
    ]
    problems += [
        f"the prompt of {name} must be text, got {shown(text)}"
        for name, text in prompts.items()
        if name in names and not (text is None or isinstance(text, str))
    ]
    if problems:
        raise PlanError("; ".join(problems))


def _checked_seed(seed: object) -> int | None:
    """The seed as an int, or None: numpy's rule (any whole number from 0) for API and CLI."""
    n = whole_number(seed)
    if seed is not None and (n is None or n < 0):
        raise ConfigurationError(
            f"seed must be a non-negative whole number or None, got {shown(seed)}"
        )
    return n
