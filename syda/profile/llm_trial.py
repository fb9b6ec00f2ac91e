"""A small trial run of the LLM's profiles before the real one: what the checks cannot see.

The checks of :mod:`syda.profile.llm_checks` read each spec against the schema; a few things only
show when rows are drawn: an expression DuckDB cannot bind or that gives the wrong type, a
condition that is not one, date ranges that leave no room for an ordering CHECK, a CHECK the
engine does not fold into column facts. So the plan with the LLM's layer is run once at
:data:`TRIAL_ROWS` rows a table, offline, and fully validated. A failure that names a column the
LLM wrote a spec for drops that spec (the column keeps its inferred one) and tries again, so the
real run never fails on a spec the engine can do without. The trial is a task of the run's event
loop (it calls no one: the offline provider fills it). A failure the LLM's layer did not
cause is left to the real run, which reports it as it would have without profile mode.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from syda.engine import run_plan
from syda.errors import GenerationError, PlanError, SchemaError
from syda.plan import Plan
from syda.profile.llm_profile import LLMProfiles
from syda.profile.spec import Profile, TableProfile
from syda.providers.base import Provider

__all__ = ["TRIAL_ROWS", "tried"]

logger = logging.getLogger("syda")

TRIAL_ROWS = 200
"""Rows a table gets in the trial (fewer when it has fewer)."""
_TRIALS = 8
"""Specs dropped one failure at a time, at most this often, before the trial gives up."""


async def tried(
    written: LLMProfiles,
    replan: Callable[[Profile], Plan],
    local: Callable[[], Provider],
    today: date,
) -> tuple[Plan, LLMProfiles]:
    """The plan with the LLM's layer, once a trial run of it passes (specs that fail dropped).

    Raises:
        SchemaError: If the plan fails without any of the LLM's specs to blame.
        PlanError: Likewise.
    """
    for _ in range(_TRIALS):
        try:
            plan = replan(written.profile)
        except (SchemaError, PlanError) as error:
            blamed = _blamed(written.profile, getattr(error, "table", None), None)
            if not blamed:
                raise
            written = _without(written, blamed, str(error))
            continue
        try:
            await run_plan(
                _small(plan), local(), seed=0, validate=True, reference_date=today, quiet=True
            )
        except GenerationError as error:
            pairs = [(v.table, v.column) for v in error.violations] or [(error.table, error.column)]
            blamed = [b for t, c in pairs for b in _blamed(written.profile, t, c)]
            if not blamed:
                logger.debug("profile trial failed outside the LLM's specs: %s", error)
                return plan, written
            written = _without(written, list(dict.fromkeys(blamed)), str(error))
            continue
        except PlanError as error:
            logger.debug("profile trial could not be planned small: %s", error)
        return plan, written
    return replan(written.profile), written


def _small(plan: Plan) -> Plan:
    tables = {
        key: tp
        if tp.rows is None or tp.profile.series is not None
        else replace(tp, rows=min(tp.rows, TRIAL_ROWS))
        for key, tp in plan.tables.items()
    }
    return replace(plan, tables=tables)


def _blamed(profile: Profile, table: str | None, column: str | None) -> list[tuple[str, str]]:
    """The LLM's specs a failure of ``table`` (``column``) points at: that column's, else all.

    A table-level spec (``stages``, ``exactly_one``) is blamed as column ``""``.
    """
    written = profile.tables.get(table or "")
    if written is None:
        return []
    if column and column in written.columns:
        return [(table or "", column)]
    return [(table or "", name) for name in written.columns] + [(table or "", "")]


def _without(written: LLMProfiles, blamed: list[tuple[str, str]], why: str) -> LLMProfiles:
    tables = dict(written.profile.tables)
    notes = list(written.notes)
    for table, column in blamed:
        tp = tables[table]
        if column:
            tp = tp.model_copy(
                update={"columns": {k: v for k, v in tp.columns.items() if k != column}}
            )
        else:
            tp = TableProfile(columns=tp.columns)
        tables[table] = tp
        note = (
            f"{table}.{column or '(table patterns)'}: the LLM's spec was dropped, a trial run "
            f"failed with it ({' '.join(why.split())[:200]}); the inferred spec is used"
        )
        logger.warning("%s", note)
        notes.append(note)
    return replace(written, profile=Profile(tables=tables), notes=notes)
