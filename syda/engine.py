"""The engine: runs a :class:`~syda.plan.Plan` and returns one DataFrame per table.

Tables are filled parents first (see :mod:`syda.fill` for one table). With ``table_concurrency``
above 1, every table whose parents are done is filled at once on a thread pool, which is what
makes an LLM run fast (the calls overlap); each table draws from its own random stream, so the
data are the same in any schedule. When every table has rows, the foreign keys that close cycles
are filled, and the whole dataset is validated before anyone sees it.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from datetime import date

import numpy as np
import pandas as pd

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


def run_plan(
    plan: Plan,
    provider: Provider,
    *,
    seed: int | None,
    prompts: Mapping[str, str] | None = None,
    external: Mapping[str, pd.DataFrame] | None = None,
    existing: Mapping[str, pd.DataFrame] | None = None,
    validate: bool = True,
    table_concurrency: int = 1,
    reference_date: date | None = None,
    quiet: bool = False,
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
        table_concurrency: Tables filled at once when their parents are done.
        reference_date: The "today" of relative dates drawn from the profile (default: today).
        quiet: Tell each table's rows at debug level only (a trial run, not the user's run).

    Raises:
        GenerationError: If a table cannot be filled with valid rows.
        PlanError: If a requested count cannot be met (e.g. too few distinct key combinations).
    """
    report = RunReport(provider=provider.name)
    for key in plan.order:
        report.tables[key] = TableReport(table=key)
    existing = existing or {}
    # Non-integer keys (codes, UUIDs) are made by the offline provider whatever fills the values.
    local_keys = provider if isinstance(provider, OfflineProvider) else OfflineProvider(seed=seed)
    frames: dict[str, pd.DataFrame] = {}
    pools: dict[str, pd.DataFrame] = {}
    rngs = {key: table_rng(seed, key) for key in plan.order}
    parents_of = {
        key: {
            fkp.fk.ref_table
            for fkp in plan.tables[key].foreign_keys
            if not fkp.deferred and fkp.mode != "self"
        }
        for key in plan.order
    }
    for before, after in family_chain(plan.schema):
        parents_of[after].add(before)  # an inherited table numbers its keys after its family's

    def one(key: str) -> pd.DataFrame:
        tp = plan.tables[key]
        tr = report.tables[key]
        started = time.perf_counter()
        # The line below tells the end of the table; the task shows it while it runs.
        with (
            _about(key),
            track("generating", key, tp.rows, announce=False, report=not quiet) as task,
        ):
            frame = fill_table(
                tp,
                pools,
                provider,
                rngs[key],
                prompt_for(prompts, tp.table),
                tr,
                family_existing(plan.schema, key, existing, frames),
                local_keys,
                reference_date,
            )
            task.advance(len(frame))
        tr.rows = len(frame)
        tr.seconds = time.perf_counter() - started
        _merge_llm_usage(provider, key, tr)
        logger.log(
            logging.DEBUG if quiet else logging.INFO,
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
        frames[key] = frame
        pools[key] = _pool(existing.get(key), frame)

    if table_concurrency <= 1:
        for key in plan.order:
            done(key, one(key))
    else:
        _run_concurrently(plan.order, parents_of, one, done, table_concurrency)

    for key, fkp in plan.deferred:
        # Second pass: every table of the cycle has its rows now, so any key can be filled.
        with _about(key):
            fill_deferred(plan.tables[key], fkp, frames[key], pools, rngs[key], existing.get(key))
        pools[key] = _pool(existing.get(key), frames[key])
    # Parent columns derived from their children (aggregate), now that every child exists.
    profiles = {key: plan.tables[key].profile for key in reversed(plan.order)}  # children first
    for key in fill_aggregates(plan.schema, profiles, frames):
        pools[key] = _pool(existing.get(key), frames[key])
    if validate:
        started = time.perf_counter()
        _validate(plan, frames, {**(external or {}), **pools}, quiet)
        report.validation_seconds = time.perf_counter() - started
    return frames, report


def _run_concurrently(
    order: tuple[str, ...],
    parents_of: Mapping[str, set[str]],
    fill: Callable[[str], pd.DataFrame],
    finish: Callable[[str, pd.DataFrame], None],
    workers: int,
) -> None:
    """Fill tables on a thread pool as soon as their parents are done."""
    remaining = list(order)
    finished: set[str] = set()
    running: dict[Future[pd.DataFrame], str] = {}
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="syda-table")
    try:
        while remaining or running:
            for key in [k for k in remaining if parents_of[k] <= finished]:
                if len(running) >= workers:
                    break
                running[pool.submit(fill, key)] = key
                remaining.remove(key)
            if not running:
                raise PlanError(f"tables {remaining} wait on parents that never finish")
            complete, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in complete:
                key = running.pop(future)
                finish(key, future.result())
                finished.add(key)
    except BaseException:
        # One table failed: tables not started yet are dropped (no more paid calls for a run
        # that cannot succeed); the ones already running finish their current work.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


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


def _merge_llm_usage(provider: Provider, key: str, report: TableReport) -> None:
    # LLM providers keep per-table usage (HTTP calls, tokens, cost); fold it into the report.
    usage = getattr(provider, "usage", None)
    if not isinstance(usage, dict) or key not in usage:
        return
    u = usage.pop(key)  # per run: a generator used twice must not report the first run again
    report.provider_calls = u.calls
    report.cached_calls = u.cached
    report.reasks += u.reasks
    report.input_tokens = u.usage.input_tokens
    report.output_tokens = u.usage.output_tokens
    report.cost_usd = u.cost_usd
