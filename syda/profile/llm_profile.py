"""Profile mode: the LLM writes a table's profile once, the engine draws any number of rows.

For every table in profile mode (:meth:`~syda.ModelConfig.mode_for`: ``mode="auto"`` above
``profile_threshold`` rows), one call (a few for wide tables: :data:`COLUMNS_PER_CALL` columns
each) asks for the profile of the columns nobody declared: vocabularies with weights,
distributions, date ranges and seasonality, conditional rules, funnels, templates. The calls go
through the same machinery as the rows' batches (:mod:`syda.asking`: the run's one semaphore,
halves for a reply cut off, the one re-ask loop): the reply is judged (:mod:`.llm_checks`) and
the columns whose specs fail are asked again with the exact problems, up to ``max_reasks``
times; a spec still failing then is dropped (the column keeps its inferred spec) and logged, so
a run never fails on a spec the engine can do without.

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
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from syda.asking import ask, until_valid
from syda.profile.llm_checks import TABLE, Judged, judge_reply, judge_specs
from syda.profile.spec import ColumnProfile, Profile, TableProfile
from syda.prompts import CompiledPrompt, ParentView, compile_profile_prompt
from syda.providers.aio import gather_or_cancel
from syda.providers.base import BatchUsage, LLMRequest, LLMResponse
from syda.providers.cache import digest
from syda.providers.calls import LLMUsage
from syda.providers.llm import LLMProvider
from syda.providers.profile_schema import profile_reply_schema, profile_schema_name
from syda.schema.ir import Schema, Table

__all__ = [
    "COLUMNS_PER_CALL",
    "PROFILE_MAX_TOKENS",
    "LLMProfiles",
    "ProfileAnswer",
    "ProfileAsk",
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


async def ask_profiles(
    provider: LLMProvider,
    schema: Schema,
    jobs: Sequence[ProfileJob],
    tables: Sequence[str],
    *,
    user: Profile | None,
    today: date,
    slots: asyncio.Semaphore,
) -> LLMProfiles:
    """Ask the LLM for the profile of every job's table, all at once under the run's ``slots``.

    Each table's profile is a job of the one re-ask loop (:func:`syda.asking.until_valid`),
    its calls made through :func:`syda.asking.ask` like the rows' batches.

    Raises:
        GenerationError: If a call keeps failing (retries spent, refused, timed out) or the
            run's deadline passes.
    """
    asks = [_TableProfile(provider, schema, job, user, today) for job in jobs]
    results = await gather_or_cancel([one.run(slots) for one in asks])
    profile = Profile(
        tables={job.table.key: tp for job, (tp, _) in zip(jobs, results, strict=True)}
    )
    notes = [note for _, found in results for note in found]
    usage = {one.job.table.key: one.usage for one in asks}
    return LLMProfiles(profile=profile, tables=tuple(tables), notes=notes, usage=usage)


@dataclass(frozen=True)
class ProfileAsk:
    """One profile request: columns of a table, with the problems of their last specs.

    Attributes:
        columns: The columns to profile (never empty: the table keys alone ride on the first).
        table_keys: Whether the table keys (``stages``, ``exactly_one``) are asked too.
        errors: The problems each column (or :data:`~syda.profile.llm_checks.TABLE`) had.
        attempt: 0 for the first ask, then the re-ask's number.
    """

    columns: tuple[str, ...]
    table_keys: bool
    errors: Mapping[str, Sequence[str]] = field(default_factory=dict)
    attempt: int = 0


@dataclass
class ProfileAnswer:
    """The judged replies of a profile request, and what its calls cost."""

    judged: list[Judged]
    usage: BatchUsage


@dataclass(frozen=True)
class _Sent:
    response: LLMResponse
    usage: BatchUsage

    @property
    def truncated(self) -> bool:
        return self.response.truncated


class _TableProfile:
    """One table's profile: what is kept, how it is asked, and what is asked again.

    A kind of request (:class:`syda.asking.Kind`) and a job of the re-ask loop
    (:class:`syda.asking.Repair`).
    """

    def __init__(
        self,
        provider: LLMProvider,
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
        self.usage = LLMUsage()
        self.accepted: dict[str, ColumnProfile] = {}
        self.table_keys: dict[str, Any] = {}
        self.problems: dict[str, list[str]] = {}
        self.notes: list[str] = []
        self.pending: list[str] = list(job.columns)
        self.want_table = True

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

    async def run(self, slots: asyncio.Semaphore) -> tuple[TableProfile, list[str]]:
        """The table's profile: from the cache, else asked (and re-asked) of the LLM."""
        key = self.key
        cached = self._from_cache(key)
        if cached is not None:
            return cached, []

        async def asked(request: ProfileAsk) -> ProfileAnswer:
            return await ask(self, request, slots)

        first = ProfileAsk(tuple(self.job.columns), table_keys=True)
        await until_valid(first, asked, self, self.cfg.max_reasks)
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

    # -- the kind of request (syda.asking.Kind) -----------------------------------------------
    def units(self, request: ProfileAsk) -> int:
        """Columns asked."""
        return len(request.columns)

    def split(self, request: ProfileAsk) -> list[ProfileAsk]:
        """A wide table's columns in calls of at most :data:`COLUMNS_PER_CALL`."""
        return [
            self._part(request, list(chunk), i == 0)
            for i, chunk in enumerate(_chunks(request.columns))
        ]

    def halve(self, request: ProfileAsk) -> list[ProfileAsk]:
        """The columns in two halves (the table keys with the first)."""
        half = len(request.columns) // 2
        return [
            self._part(request, list(request.columns[:half]), True),
            self._part(request, list(request.columns[half:]), False),
        ]

    def _part(self, request: ProfileAsk, columns: list[str], first: bool) -> ProfileAsk:
        return replace(request, columns=tuple(columns), table_keys=request.table_keys and first)

    async def send(self, request: ProfileAsk) -> _Sent:
        """One profile call, with the exact problems of the columns' last specs."""
        asked = list(request.columns)
        errors = [p for c in (*asked, TABLE) for p in request.errors.get(c, [])]
        prompt = self._prompt(asked, errors, table_keys=request.table_keys)
        llm_request = LLMRequest(
            system=prompt.system,
            user=prompt.user,
            schema_name=profile_schema_name(self.job.table),
            json_schema=profile_reply_schema(asked, table_keys=request.table_keys),
            rows=0,
            model=self.cfg.model,
            temperature=self.cfg.temperature,
            max_tokens=max(self.cfg.max_tokens, PROFILE_MAX_TOKENS),
            kind="profile",
        )
        slot = f"profile:{request.attempt}:{asked[0]}:{len(asked)}"
        called = await self.p.call(llm_request, self.job.table.key, slot, self.job.rows or 0)
        return _Sent(called.response, called.usage)

    def check(self, request: ProfileAsk, sent: _Sent) -> ProfileAnswer:
        """The reply against the profile models and the schema (:mod:`.llm_checks`)."""
        asked = list(request.columns)
        if sent.truncated:  # one column whose spec alone is too long
            judged = Judged()  # no table keys came back: asked again if they were asked
            judged.add(
                asked[0],
                f"{self.job.table.key}.{asked[0]}: the reply was cut off at the token limit; "
                "give a shorter vocabulary (at most 100 values)",
            )
            return ProfileAnswer([judged], sent.usage)
        judged = judge_reply(
            self.schema,
            self.job.table,
            sent.response.text,
            asked,
            rows=self.job.rows,
            user=self.user,
            earlier=self.accepted,
            table_keys=request.table_keys,
            current=self.job.current,
        )
        return ProfileAnswer([judged], sent.usage)

    def join(
        self, parts: Sequence[ProfileAsk], answers: Sequence[ProfileAnswer], usage: BatchUsage
    ) -> ProfileAnswer:
        """The judged replies of all parts, and their cost."""
        for answer in answers:
            usage = usage + answer.usage
        return ProfileAnswer([j for a in answers for j in a.judged], usage)

    # -- the job of the re-ask loop (syda.asking.Repair) --------------------------------------
    def take(self, request: ProfileAsk, answer: ProfileAnswer) -> None:
        """Keep what passed; note the columns (and whether the table keys) to ask again."""
        self.usage.add(answer.usage)
        self.problems = {}
        table_done = not self.want_table
        for j in answer.judged:
            self.accepted.update(j.accepted)
            self.notes.extend(j.notes)
            for name, found in j.problems.items():
                self.problems.setdefault(name, []).extend(found)
            if j.table_keys:
                self.table_keys.update(j.table_keys)
            table_done = table_done or (j.asked_table and not j.table_failed)
        self.pending = [c for c in self.pending if c not in self.accepted]
        self.want_table = not table_done

    def left(self) -> bool:
        """Columns whose specs failed, or table keys that did."""
        return bool(self.pending) or self.want_table

    def next(self, attempt: int) -> ProfileAsk:
        """The failed columns again (the table keys ride on the first), with their problems."""
        self.usage.reasks += 1
        logger.info("%s: re-asking the profile of %s", self.job.table.key, ", ".join(self.pending))
        columns = tuple(self.pending) or tuple(self.job.columns[:1])
        return ProfileAsk(columns, self.want_table, dict(self.problems), attempt)

    def exhausted(self, reasks: int) -> None:
        """Drop the specs still failing: their columns keep the inferred spec."""
        for name in self.pending:
            self.notes.append(
                f"{self.job.table.key}.{name}: the LLM's spec was dropped after {reasks} "
                f"re-asks ({'; '.join(self.problems.get(name, ['no spec']))[:300]}); "
                "the inferred spec is used"
            )


def _chunks(columns: Sequence[str]) -> list[list[str]]:
    if not columns:
        return []
    count = -(-len(columns) // COLUMNS_PER_CALL)
    size = -(-len(columns) // count)
    return [list(columns[i : i + size]) for i in range(0, len(columns), size)]
