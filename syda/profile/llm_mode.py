"""Which tables an LLM profiles, what it is asked, and how their rows are then made.

The glue between the facade and profile mode (:mod:`syda.profile.llm_profile`):
:func:`profile_mode_tables` picks the tables (:meth:`~syda.ModelConfig.mode_for`),
:func:`profile_jobs` says what to ask for each (the columns no one declared a spec for, with
what the prompt shows of the rest), :func:`apply_profile_mode` asks, re-plans with the LLM's layer
and hands the engine a :class:`ProfileModeProvider`, so the rows of those tables are drawn
locally, and :func:`profile_prompt` shows the first prompt of a table without calling anyone.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from syda.errors import PlanError
from syda.plan import Plan, TablePlan
from syda.profile.context import parent_aliases
from syda.profile.llm_profile import LLMProfiles, ProfileJob, ask_profiles, first_prompt
from syda.profile.llm_trial import tried
from syda.profile.spec import Profile
from syda.prompts import CompiledPrompt, ParentView, parent_label
from syda.providers.base import BatchResult, FillRequest, Provider
from syda.providers.calls import LLMUsage
from syda.providers.config import ModelConfig
from syda.providers.llm import LLMProvider
from syda.providers.mixed import MixedRowsProvider
from syda.report import RunReport, TableReport
from syda.schema.ir import Schema, Table
from syda.suggest import did_you_mean

__all__ = [
    "ProfileModeProvider",
    "add_usage",
    "apply_profile_mode",
    "check_modes",
    "planned_rows",
    "profile_jobs",
    "profile_mode_tables",
    "profile_prompt",
    "table_usage",
    "usage_report",
    "write_profiles",
]

_SKIPPED = frozenset({"exactly_one", "aggregate", "stages"})
"""Sources whose columns a table pattern fills: not asked of the LLM one by one."""


def planned_rows(plan: Plan, key: str) -> int | None:
    """The rows ``key`` gets: its count, or its parents' rows times the children per parent."""
    tp = plan.tables[key]
    if tp.rows is not None:
        return tp.rows
    fkp = next((f for f in tp.foreign_keys if f.cardinality is not None), None)
    if fkp is None or fkp.cardinality is None:
        return None
    card = fkp.cardinality
    parents = planned_rows(plan, fkp.fk.ref_table) if fkp.fk.ref_table in plan.tables else 0
    if parents is None or card.fn is not None:
        return parents
    return round(parents * (card.high if card.mean is None else card.mean))


def check_modes(config: ModelConfig, schema: Schema) -> None:
    """Refuse a per-table ``mode`` naming a table the schema lacks (a misspelt key does nothing).

    Raises:
        PlanError: Naming the table, the schema's tables and the one meant.
    """
    if isinstance(config.mode, str):
        return
    names = [*schema.keys, *(t.name for t in schema)]
    problems = [
        f"mode names table {name!r}, which is not in the schema "
        f"(tables: {', '.join(schema.keys)}){did_you_mean(name, names)}"
        for name in config.mode
        if name != "*" and name not in names
    ]
    if problems:
        raise PlanError("; ".join(problems))


def profile_mode_tables(plan: Plan, mode_for: Callable[[str, int | None, str], str]) -> list[str]:
    """The tables of ``plan`` in profile mode (``mode_for``: :meth:`ModelConfig.mode_for`)."""
    return [
        key
        for key in plan.order
        if plan.tables[key].provider_columns
        and mode_for(key, planned_rows(plan, key), plan.tables[key].table.name) == "profile"
    ]


def profile_jobs(
    plan: Plan,
    tables: Sequence[str],
    user: Profile | None,
    prompts: Mapping[str, str] | None,
) -> list[ProfileJob]:
    """One job per table of ``tables`` that has columns nobody declared a spec for."""
    schema = plan.schema
    jobs = []
    for key in tables:
        tp = plan.tables[key]
        declared = _declared(schema, tp.table, user)
        columns = tuple(
            c
            for c in tp.provider_columns
            if c not in declared
            and c not in tp.vector
            and tp.sources[c].detail not in _SKIPPED
            and not tp.sources[c].detail.startswith("by ")
        )
        if not columns:
            continue
        table = tp.table
        jobs.append(
            ProfileJob(
                table=table,
                columns=columns,
                current={c: _current(tp, c) for c in columns},
                fixed=tuple(_fixed_lines(tp, columns, declared)),
                parents=tuple(_parents(schema, table)),
                prompt=(prompts or {}).get(key) or (prompts or {}).get(table.name),
                rows=planned_rows(plan, key),
            )
        )
    return jobs


def _declared(schema: Schema, table: Table, user: Profile | None) -> set[str]:
    """Columns the schema or the user gives a spec: theirs, never the LLM's."""
    names = {
        c.name
        for c in table.columns
        if isinstance(c.info, Mapping) and isinstance(c.info.get("syda"), Mapping)
    }
    for name, tp in (user.tables if user is not None else {}).items():
        if name in (table.key, table.name):
            names.update(tp.columns)
    return names


def _current(tp: TablePlan, column: str) -> dict[str, Any]:
    spec = tp.profile.columns.get(column)
    return spec.declared() if spec is not None else {}


def _fixed_lines(tp: TablePlan, asked: Sequence[str], declared: Collection[str]) -> list[str]:
    lines = []
    for col in tp.table.columns:
        if col.name in asked:
            continue
        source = tp.sources.get(col.name)
        if col.name in declared:
            spec = tp.profile.columns.get(col.name)
            how = f"your spec {json.dumps(spec.declared() if spec else {}, default=str)}"
        elif source is None:
            how = "filled later"
        else:
            how = f"{source.kind}: {source.detail}" if source.detail else source.kind
        lines.append(f"{col.name} ({col.kind}): {how}")
    return lines


def _parents(schema: Schema, table: Table) -> list[ParentView]:
    aliases = parent_aliases(table)
    views = []
    for i, fk in enumerate(table.foreign_keys):
        if fk.ref_table not in schema:
            continue
        names = [a for a, j in aliases.items() if j == i]
        parent = schema.table(fk.ref_table)
        views.append(
            ParentView(
                alias=min(names, key=len) if names else fk.columns[0],
                label=parent_label(fk),
                columns=", ".join(f"{c.name} ({c.kind})" for c in parent.columns),
            )
        )
    return views


class ProfileModeProvider(Provider):
    """The run's provider when some tables are in profile mode.

    Their columns left without a drawing spec (names, emails: a ``semantic``) are filled by the
    offline engine, so no row is asked of the LLM; the other tables' go to the LLM as before.

    Args:
        llm: The LLM provider (rows mode tables).
        local: The offline provider.
        tables: The keys of the tables in profile mode.
    """

    def __init__(self, llm: Provider, local: Provider, tables: Collection[str]) -> None:
        self.llm = llm
        self.local = local
        self.tables = frozenset(tables)
        self.name = llm.name
        self.concurrency = llm.concurrency
        self.max_reasks = llm.max_reasks

    def _for(self, table: Table) -> Provider:
        return self.local if table.key in self.tables else self.llm

    def batch_size(self, table: Table, columns: Sequence[str]) -> int:
        """The batch size of whichever provider fills ``table``."""
        return self._for(table).batch_size(table, columns)

    async def fill_batch(self, request: FillRequest) -> BatchResult:
        """Fill from the offline engine for a profile mode table, else from the LLM."""
        return await self._for(request.table).fill_batch(request)

    async def aclose(self) -> None:
        """Close both providers' connections."""
        await self.llm.aclose()
        await self.local.aclose()

    def profiler(self) -> LLMProvider | None:
        """The LLM (its profiles are written already)."""
        return self.llm.profiler()


def usage_report(provider: Provider, written: LLMProfiles) -> RunReport:
    """The calls, tokens and cost of the profile calls ``written`` made, as a report (rows 0)."""
    report = RunReport(provider=provider.name)
    for key in written.tables:
        used = written.usage.get(key)
        if used is not None:
            report.tables[key] = table_usage(key, used)
    return report


def table_usage(key: str, used: LLMUsage) -> TableReport:
    """One table's profile calls as a report line (rows 0)."""
    report = TableReport(table=key)
    add_usage(report, used)
    return report


def add_usage(report: TableReport, used: LLMUsage) -> None:
    """Count a table's profile calls into its report line."""
    report.provider_calls += used.calls
    report.cached_calls += used.cached
    report.reasks += used.reasks
    report.input_tokens += used.usage.input_tokens
    report.output_tokens += used.usage.output_tokens
    if report.cost_usd is not None:
        report.cost_usd = None if used.cost_usd is None else report.cost_usd + used.cost_usd


async def apply_profile_mode(
    provider: Provider,
    plan: Plan,
    *,
    user: Profile | None,
    prompts: Mapping[str, str] | None,
    today: date,
    local: Callable[[], Provider],
    replan: Callable[[Profile], Plan],
    slots: asyncio.Semaphore,
) -> tuple[Plan, Provider, LLMProfiles | None]:
    """The plan and provider of a run, after asking for the profiles of profile mode tables.

    Args:
        provider: The run's provider; nothing changes unless it has an LLM that writes
            profiles (:meth:`~syda.providers.base.Provider.profiler`) and tables in profile
            mode.
        plan: The plan without an LLM layer.
        user: The user's profile.
        prompts: The user's prompts by table.
        today: The run's reference date.
        local: Makes the offline provider that fills the profile mode tables' other columns.
        replan: Plans again with the LLM's profile layer.
        slots: The run's one semaphore (the rows' batches take the same one after).

    Raises:
        GenerationError: If a profile call keeps failing or the deadline passes.
    """
    llm = provider.profiler()
    if llm is None:
        return plan, provider, None
    check_modes(llm.config, plan.schema)
    tables = profile_mode_tables(plan, llm.config.mode_for)
    # Rows mode tables: the LLM writes their meaning columns, the engine draws the rest.
    rows_mode = MixedRowsProvider(provider, local(), llm.config.llm_columns)
    if not tables:
        return plan, rows_mode, None
    jobs = profile_jobs(plan, tables, user, prompts)
    written = await ask_profiles(
        llm, plan.schema, jobs, tables, user=user, today=today, slots=slots
    )
    if written.profile.tables:
        plan, written = await tried(written, replan, local, today)
    return plan, ProfileModeProvider(rows_mode, local(), tables), written


async def write_profiles(
    provider: LLMProvider,
    plan: Plan,
    *,
    user: Profile | None,
    prompts: Mapping[str, str] | None,
    today: date,
    local: Callable[[], Provider],
    replan: Callable[[Profile], Plan],
) -> LLMProfiles:
    """Ask for the profile of every table of ``plan`` not forced to rows mode, whatever its rows.

    What ``syda profile --provider ...`` writes: the LLM is paid once, the file is reviewed,
    edited, and applied with ``--profile``. Arguments as for :func:`apply_profile_mode`.

    Raises:
        GenerationError: If a profile call keeps failing or the deadline passes.
    """
    check_modes(provider.config, plan.schema)
    mode_for = provider.config.mode_for
    tables = profile_mode_tables(plan, lambda key, rows, name: mode_for(key, None, name))
    # No row count: the file may be applied at any size, so no unique column gets a vocabulary.
    jobs = [replace(job, rows=None) for job in profile_jobs(plan, tables, user, prompts)]
    slots = asyncio.Semaphore(provider.concurrency)  # this run's one semaphore
    written = await ask_profiles(
        provider, plan.schema, jobs, tables, user=user, today=today, slots=slots
    )
    return (await tried(written, replan, local, today))[1] if written.profile.tables else written


def profile_prompt(
    provider: LLMProvider,
    plan: Plan,
    key: str,
    *,
    user: Profile | None,
    prompt: str | None,
    today: date,
) -> CompiledPrompt | None:
    """The first profile prompt of table ``key`` (None when it has no column to profile)."""
    jobs = profile_jobs(plan, [key], user, {key: prompt} if prompt else None)
    return first_prompt(jobs[0], today) if jobs else None
