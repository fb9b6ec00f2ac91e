"""The engine: runs a :class:`~syda.plan.Plan` and returns one DataFrame per table.

A run is one event loop (:func:`run_plan` is a coroutine of it; the generator runs it, after the
profile calls of profile mode, in the same loop). Tables are filled parents first (see
:mod:`syda.fill` for one table): every table whose parents are done is an asyncio task, and all
their provider calls share one semaphore of the provider's ``concurrency`` (:mod:`syda.asking`;
the profile calls took slots of the same one), which is what makes an LLM run
fast (the calls overlap) while a local provider fills one table after another. Each table draws
from its own random stream, so the data are the same in any schedule. When every table has rows,
the foreign keys that close cycles are filled, and the whole dataset is validated before anyone
sees it. What the provider's calls cost comes back with their results and is summed into the
:class:`~syda.report.RunReport`.
"""

from __future__ import annotations

import asyncio
import logging
import time
import zlib
from collections.abc import Callable, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from syda.batches import asker
from syda.errors import GenerationError, PlanError
from syda.fill import fill_deferred, fill_table, prompt_for
from syda.plan import Plan
from syda.plan_families import family_chain, family_existing
from syda.profile.aggregate import fill_aggregates
from syda.progress import track
from syda.providers.base import Provider
from syda.providers.offline import OfflineProvider
from syda.report import RunReport, TableReport
from syda.validation import raise_for_violations, validate_frame

__all__ = ["run_plan", "table_rng"]

logger = logging.getLogger("syda")


def table_rng(seed: int | None, key: str) -> np.random.Generator:
    """A generator per table, so adding a table never changes the data of the others."""
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng([seed, zlib.crc32(key.encode())])


async def run_plan(
    plan: Plan,
    provider: Provider,
    *,
    seed: int | None,
    prompts: Mapping[str, str] | None = None,
    external: Mapping[str, pd.DataFrame] | None = None,
    existing: Mapping[str, pd.DataFrame] | None = None,
    validate: bool = True,
    reference_date: date | None = None,
    quiet: bool = False,
    key_maker: OfflineProvider | None = None,
    slots: asyncio.Semaphore | None = None,
) -> tuple[dict[str, pd.DataFrame], RunReport]:
    """Fill every table of ``plan`` and return ``(frames by table key, report)``.

    Args:
        plan: What to generate.
        provider: Fills the value columns.
        seed: Seed of the per-table random streams (None: fresh randomness).
        prompts: The user's prompt per table.
        external: Parent rows of tables outside the plan (only used to validate keys into them).
        existing: Append mode: per table, the key and unique columns of rows already in the
            target; new keys continue after them, new rows never repeat their unique values,
            and new children may point at them.
        validate: Check the whole dataset before returning it.
        reference_date: The "today" of relative dates drawn from the profile (default: today).
        quiet: Tell each table's rows at debug level only (a trial run, not the user's run).
        key_maker: The offline engine that draws non-integer keys (codes, UUIDs); default:
            one seeded with ``seed``.
        slots: The run's one semaphore, when the run made calls before (profile mode's
            profile calls); default: a new one of the provider's ``concurrency``.

    Raises:
        GenerationError: If a table cannot be filled with valid rows.
        PlanError: If a requested count cannot be met (e.g. too few distinct key combinations).
    """
    run = _Run(plan, provider, seed, prompts, existing or {}, reference_date, quiet, key_maker)
    frames, report = await run.fill(slots or asyncio.Semaphore(provider.concurrency))
    for key, fkp in plan.deferred:
        # Second pass: every table of the cycle has its rows now, so any key can be filled.
        with _about(key):
            fill_deferred(
                plan.tables[key], fkp, frames[key], run.pools, run.rngs[key], run.existing.get(key)
            )
        run.pools[key] = _pool(run.existing.get(key), frames[key])
    # Parent columns derived from their children (aggregate), now that every child exists.
    profiles = {key: plan.tables[key].profile for key in reversed(plan.order)}  # children first
    for key in fill_aggregates(plan.schema, profiles, frames):
        run.pools[key] = _pool(run.existing.get(key), frames[key])
    if validate:
        started = time.perf_counter()
        _validate(plan, frames, {**(external or {}), **run.pools}, quiet)
        report.validation_seconds = time.perf_counter() - started
    return frames, report


class _Run:
    """The tables of one run, filled as tasks of one event loop."""

    def __init__(
        self,
        plan: Plan,
        provider: Provider,
        seed: int | None,
        prompts: Mapping[str, str] | None,
        existing: Mapping[str, pd.DataFrame],
        today: date | None,
        quiet: bool,
        key_maker: OfflineProvider | None,
    ) -> None:
        self.plan = plan
        self.provider = provider
        self.prompts = prompts
        self.existing = existing
        self.today = today
        self.quiet = quiet
        # Keys are the key code's: drawn locally whatever provider fills the values.
        self.key_maker = key_maker or OfflineProvider(seed=seed)
        self.report = RunReport(provider=provider.name)
        for key in plan.order:
            self.report.tables[key] = TableReport(table=key)
        self.frames: dict[str, pd.DataFrame] = {}
        self.pools: dict[str, pd.DataFrame] = {}
        self.rngs = {key: table_rng(seed, key) for key in plan.order}

    def parents_of(self) -> dict[str, set[str]]:
        plan = self.plan
        parents = {
            key: {
                fkp.fk.ref_table
                for fkp in plan.tables[key].foreign_keys
                if not fkp.deferred and fkp.mode != "self"
            }
            for key in plan.order
        }
        for before, after in family_chain(plan.schema):
            parents[after].add(before)  # an inherited table numbers its keys after its family's
        return parents

    async def fill(self, slots: asyncio.Semaphore) -> tuple[dict[str, pd.DataFrame], RunReport]:
        # One semaphore for every call of the run, whichever table makes it.
        ask = asker(self.provider, slots)

        async def one(key: str) -> pd.DataFrame:
            tp = self.plan.tables[key]
            tr = self.report.tables[key]
            started = time.perf_counter()
            # The line below tells the end of the table; the task shows it while it runs.
            with (
                _about(key),
                track("generating", key, tp.rows, announce=False, report=not self.quiet) as task,
            ):
                frame = await fill_table(
                    tp,
                    self.pools,
                    ask,
                    self.rngs[key],
                    prompt_for(self.prompts, tp.table),
                    tr,
                    family_existing(self.plan.schema, key, self.existing, self.frames),
                    self.key_maker,
                    self.today,
                    self.provider.max_reasks,
                )
                task.advance(len(frame))
            tr.rows = len(frame)
            tr.seconds = time.perf_counter() - started
            logger.log(
                logging.DEBUG if self.quiet else logging.INFO,
                "%s: %d rows in %.2fs",
                key,
                tr.rows,
                tr.seconds,
                extra={
                    "syda_progress": True,
                    "syda_table": key,
                    "syda_done": tr.rows,
                    "syda_total": tr.rows,
                },
            )
            return frame

        def done(key: str, frame: pd.DataFrame) -> None:
            self.frames[key] = frame
            self.pools[key] = _pool(self.existing.get(key), frame)

        try:
            await _as_tasks(self.plan.order, self.parents_of(), one, done)
        finally:
            await self.provider.aclose()
        return self.frames, self.report


async def _as_tasks(
    order: tuple[str, ...],
    parents_of: Mapping[str, set[str]],
    fill: Callable[[str], Coroutine[Any, Any, pd.DataFrame]],
    finish: Callable[[str, pd.DataFrame], None],
) -> None:
    """Fill each table as a task as soon as its parents are done.

    The first failure cancels the tables in flight (no more paid calls for a run that cannot
    succeed) and waits for them, so no call is left running against a client about to close.
    """
    remaining = list(order)
    finished: set[str] = set()
    running: dict[asyncio.Task[pd.DataFrame], str] = {}
    try:
        while remaining or running:
            for key in [k for k in remaining if parents_of[k] <= finished]:
                running[asyncio.create_task(fill(key), name=f"syda-{key}")] = key
                remaining.remove(key)
            if not running:
                raise PlanError(f"tables {remaining} wait on parents that never finish")
            complete, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            # In plan order, so the first failure named does not depend on timing.
            for task in sorted(complete, key=lambda t: order.index(running[t])):
                key = running.pop(task)
                finish(key, task.result())
                finished.add(key)
    except BaseException:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        raise


def _validate(
    plan: Plan,
    frames: Mapping[str, pd.DataFrame],
    parents: Mapping[str, pd.DataFrame],
    quiet: bool = False,
) -> None:
    violations = []
    for key, tp in plan.tables.items():
        if tp.rows is not None and len(frames[key]) != tp.rows:
            raise GenerationError(
                f"{len(frames[key])} rows generated, {tp.rows} asked", table=key, rule="row_count"
            )
        with track("validating", key, len(frames[key]), report=not quiet) as task:
            violations += validate_frame(tp.table, frames[key], parents=parents)
            task.advance(len(frames[key]))
    raise_for_violations(violations)


def _pool(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """The rows children may point at: existing ones (key columns only), then this run's."""
    if old is None or not len(old):
        return new
    return pd.concat([old, new], ignore_index=True)


@contextmanager
def _about(key: str) -> Iterator[None]:
    """Name the table on a PlanError raised while filling it."""
    try:
        yield
    except PlanError as exc:
        exc.table = exc.table or key
        raise
