"""Profile mode: the LLM writes a table's profile once, the engine draws any number of rows.

For every table in profile mode (:meth:`~syda.ModelConfig.mode_for`: ``mode="auto"`` above
``profile_threshold`` rows), one call (a few for wide tables: :data:`COLUMNS_PER_CALL` columns
each) asks for the profile of the columns nobody declared: vocabularies with weights,
distributions, date ranges and seasonality, conditional rules, funnels, templates. The reply is
judged (:mod:`syda.profile.llm_checks`) and the columns whose specs fail are asked again with the
exact problems, up to ``max_reasks`` times; a spec still failing then is dropped (the column keeps
its inferred spec) and logged, so a run never fails on a spec the engine can do without.

What passes becomes the profile's LLM layer (:func:`~syda.profile.effective.effective_profile`:
above inference, below the schema's and the user's specs) and is cached
(:class:`~syda.providers.cache.ProfileCache`). The table's rows are then drawn locally: its spec'd
columns by the profile, the rest by the offline engine (:class:`ProfileModeProvider`). Nothing
the LLM writes is run as code: SQL is checked to be a plain expression, and templates are filled
field by field.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from syda.errors import GenerationError
from syda.profile.llm_checks import TABLE, Judged, judge_reply, judge_specs
from syda.profile.spec import ColumnProfile, Profile, TableProfile
from syda.prompts import CompiledPrompt, ParentView, compile_profile_prompt
from syda.providers.aio import gather_or_cancel, run_sync
from syda.providers.base import LLMRequest
from syda.providers.cache import digest
from syda.providers.calls import Caller, LLMUsage
from syda.providers.limits import deadline_message
from syda.providers.llm import LLMProvider
from syda.providers.profile_schema import profile_reply_schema, profile_schema_name
from syda.schema.ir import Schema, Table

__all__ = [
    "COLUMNS_PER_CALL",
    "PROFILE_MAX_TOKENS",
    "LLMProfiles",
    "ProfileJob",
    "ask_profiles",
    "first_prompt",
]

logger = logging.getLogger("syda")

COLUMNS_PER_CALL = 12
"""Columns one profile call asks for; a wider table takes several calls."""
PROFILE_MAX_TOKENS = 8192
"""Output-token limit of a profile call (``max_tokens`` when that is larger): a vocabulary of 300
values is about 3,600 tokens. A reply cut off anyway is asked again in two halves."""


@dataclass(frozen=True)
class ProfileJob:
    """What to ask for one table: its columns to profile and everything the prompt shows."""

    table: Table
    columns: tuple[str, ...]
    current: Mapping[str, Mapping[str, Any]]
    fixed: tuple[str, ...]
    parents: tuple[ParentView, ...]
    prompt: str | None
    rows: int | None


@dataclass
class LLMProfiles:
    """What the LLM wrote: the profile layer, the tables in profile mode, and what was dropped."""

    profile: Profile
    tables: tuple[str, ...]
    notes: list[str] = field(default_factory=list)
    usage: dict[str, LLMUsage] = field(default_factory=dict)
    """What the profile calls of each table cost (calls, cache hits, re-asks, tokens, dollars)."""


def first_prompt(job: ProfileJob, today: date) -> CompiledPrompt:
    """The prompt of a table's first profile call (a wide table's first columns)."""
    return compile_profile_prompt(
        job.table,
        _chunks(job.columns)[0],
        job.current,
        today=today,
        user_prompt=job.prompt,
        parents=job.parents,
        fixed=job.fixed,
    )


def ask_profiles(
    provider: LLMProvider,
    schema: Schema,
    jobs: Sequence[ProfileJob],
    tables: Sequence[str],
    *,
    user: Profile | None,
    today: date,
) -> LLMProfiles:
    """Ask the LLM for the profile of every job's table (all at once, under ``concurrency``).

    Raises:
        GenerationError: If a call keeps failing (retries spent, refused, timed out) or the
            run's deadline passes.
    """
    limits = provider.run_limits()
    if jobs and limits.expired():
        job = jobs[0]
        raise GenerationError(
            deadline_message(provider.config, 0, 0, job.rows or 0),
            table=job.table.key,
            rule="deadline",
        )

    asks: list[_TableAsk] = []

    async def everything() -> list[tuple[TableProfile, list[str]]]:
        client = provider.new_client()
        # The same mechanism as the rows' (syda.batches): one semaphore over the loop's calls.
        slots = asyncio.Semaphore(provider.concurrency)
        caller = provider.caller(client, limits)
        asks.extend(_TableAsk(provider, caller, slots, schema, job, user, today) for job in jobs)
        scope = asyncio.timeout(limits.remaining())
        try:
            async with scope:
                return await gather_or_cancel([ask.run() for ask in asks])
        except TimeoutError:
            if not scope.expired():
                raise
            raise GenerationError(
                deadline_message(provider.config, 0, 0, 0), rule="deadline"
            ) from None
        finally:
            await client.aclose()

    results = run_sync(everything) if jobs else []
    profile = Profile(
        tables={job.table.key: tp for job, (tp, _) in zip(jobs, results, strict=True)}
    )
    notes = [note for _, found in results for note in found]
    usage = {ask.job.table.key: ask.usage for ask in asks}
    return LLMProfiles(profile=profile, tables=tuple(tables), notes=notes, usage=usage)


class _TableAsk:
    """One table's profile: the calls, the re-asks, and what is kept."""

    def __init__(
        self,
        provider: LLMProvider,
        caller: Caller,
        slots: asyncio.Semaphore,
        schema: Schema,
        job: ProfileJob,
        user: Profile | None,
        today: date,
    ) -> None:
        self.p = provider
        self.cfg = provider.config
        self.schema = schema
        self.job = job
        self.user = user
        self.today = today
        self.caller = caller
        self.slots = slots
        self.usage = LLMUsage()
        self.accepted: dict[str, ColumnProfile] = {}
        self.table_keys: dict[str, Any] = {}
        self.problems: dict[str, list[str]] = {}
        self.notes: list[str] = []

    @property
    def key(self) -> str:
        """The cache key: provider, endpoint, model and the whole first prompt of the table."""
        prompt = self._prompt(self.job.columns, (), table_keys=True)
        return digest(
            {
                "provider": self.cfg.provider,
                "endpoint": self.cfg.base_url or "",
                "model": self.cfg.model,
                "temperature": self.cfg.temperature,
                "system": prompt.system,
                "user": prompt.user,
            }
        )

    async def run(self) -> tuple[TableProfile, list[str]]:
        key = self.key
        cached = self._from_cache(key)
        if cached is not None:
            return cached, []
        table = self.job.table
        pending = list(self.job.columns)
        want_table = True
        for round_no in range(self.cfg.max_reasks + 1):
            if not pending and not want_table:
                break
            if round_no:
                self.usage.reasks += 1
                logger.info("%s: re-asking the profile of %s", table.key, ", ".join(pending))
            chunks = _chunks(pending)
            if want_table and not chunks:
                chunks = [[]]
            asks = [
                self._ask(chunk, round_no, want_table and i == 0) for i, chunk in enumerate(chunks)
            ]
            judged = [j for found in await gather_or_cancel(asks) for j in found]
            pending, want_table = self._take(judged, pending, want_table)
        for name in pending:
            self.notes.append(
                f"{table.key}.{name}: the LLM's spec was dropped after {self.cfg.max_reasks} "
                f"re-asks ({'; '.join(self.problems.get(name, ['no spec']))[:300]}); "
                "the inferred spec is used"
            )
        for note in self.notes:
            logger.warning("%s", note)
        written = TableProfile(columns=dict(self.accepted), **self.table_keys)
        self.p.profiles.put(key, json.dumps(written.model_dump(mode="json", exclude_none=True)))
        return written, self.notes

    def _from_cache(self, key: str) -> TableProfile | None:
        text = self.p.profiles.get(key)
        if text is None:
            return None
        written = TableProfile.model_validate(json.loads(text))
        patterns = {k: getattr(written, k) for k in written.model_fields_set if k != "columns"}
        judged = judge_specs(
            self.schema,
            self.job.table,
            written.columns,
            patterns,
            rows=self.job.rows,
            user=self.user,
        )
        if judged.problems:
            return None  # written for fewer rows, or a schema that changed since: ask again
        self.usage.cached += 1
        return written

    def _prompt(
        self, columns: Sequence[str], errors: Sequence[str], *, table_keys: bool
    ) -> CompiledPrompt:
        job = self.job
        return compile_profile_prompt(
            job.table,
            columns,
            job.current,
            today=self.today,
            user_prompt=job.prompt,
            parents=job.parents,
            fixed=job.fixed,
            errors=errors,
            table_keys=table_keys,
        )

    async def _ask(self, columns: list[str], round_no: int, table_keys: bool) -> list[Judged]:
        """Ask for ``columns`` (and the table keys); a reply cut off is asked in two halves."""
        errors = [p for c in (*columns, TABLE) for p in self.problems.get(c, [])]
        asked = columns or list(self.job.columns[:1])
        prompt = self._prompt(asked, errors, table_keys=table_keys)
        request = LLMRequest(
            system=prompt.system,
            user=prompt.user,
            schema_name=profile_schema_name(self.job.table),
            json_schema=profile_reply_schema(asked, table_keys=table_keys),
            rows=0,
            model=self.cfg.model,
            temperature=self.cfg.temperature,
            max_tokens=max(self.cfg.max_tokens, PROFILE_MAX_TOKENS),
            kind="profile",
        )
        async with self.slots:
            called = await self.caller.call(
                request, self.job.table.key, f"profile:{round_no}:{asked[0]}:{len(asked)}"
            )
        self.usage.add(called.usage)
        response = called.response
        if response.truncated and len(asked) > 1:
            half = len(asked) // 2
            a, b = await gather_or_cancel(
                [
                    self._ask(asked[:half], round_no, table_keys),
                    self._ask(asked[half:], round_no, False),
                ]
            )
            return a + b
        if response.truncated:
            judged = Judged()
            judged.add(
                asked[0],
                f"{self.job.table.key}.{asked[0]}: the reply was cut off at the token limit; "
                "give a shorter vocabulary (at most 100 values)",
            )
            return [judged]
        return [
            judge_reply(
                self.schema,
                self.job.table,
                response.text,
                asked,
                rows=self.job.rows,
                user=self.user,
                earlier=self.accepted,
                table_keys=table_keys,
                current=self.job.current,
            )
        ]

    def _take(
        self, judged: Sequence[Judged], pending: Sequence[str], want_table: bool
    ) -> tuple[list[str], bool]:
        """Keep what passed; return the columns (and whether the table keys) to ask again."""
        self.problems = {}
        table_done = not want_table
        for j in judged:
            self.accepted.update(j.accepted)
            self.notes.extend(j.notes)
            for name, found in j.problems.items():
                self.problems.setdefault(name, []).extend(found)
            if j.table_keys:
                self.table_keys.update(j.table_keys)
            table_done = table_done or (j.asked_table and not j.table_failed)
        left = [c for c in pending if c not in self.accepted]
        return left, not table_done


def _chunks(columns: Sequence[str]) -> list[list[str]]:
    if not columns:
        return []
    count = -(-len(columns) // COLUMNS_PER_CALL)
    size = -(-len(columns) // count)
    return [list(columns[i : i + size]) for i in range(0, len(columns), size)]
