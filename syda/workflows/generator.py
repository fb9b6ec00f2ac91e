"""The session generator: random walks through a workflow, turned into timed API calls."""

from __future__ import annotations

import copy
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from syda import progress
from syda.workflows.builtin import ECOMMERCE_WORKFLOW
from syda.workflows.cascade import inject_cascades
from syda.workflows.columns import SessionColumns, TraceStore, concat_stores
from syda.workflows.dataset import Session, TraceDataset
from syda.workflows.definition import WorkflowDefinition, WorkflowError
from syda.workflows.endpoints import CompiledWorkflow, compile_workflow
from syda.workflows.users import Users, choose_users
from syda.workflows.validate import validate_workflow
from syda.workflows.walk import ERROR_RATE, draw_calls, walk

__all__ = ["DEFAULT_START_DATE", "SyntheticGenerator"]

logger = logging.getLogger(__name__)

DEFAULT_START_DATE = datetime(2026, 1, 1)
"""Where the date range starts when ``start_date`` is not given (fixed, so a seed is enough to
make the same data on any day)."""
CHUNK_USERS = 20_000
"""Users made at a time: bounds the memory of a walk, and paces the progress bar."""
MAX_LENGTH = 50
_NS_PER_S = 1_000_000_000
# Visits by hour of the day: quiet at night, busy over the working day, a peak in the evening.
_HOURLY = np.array(
    [1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 2.0, 3.5, 4.5, 5.0, 5.0,
     5.2, 5.0, 4.8, 4.6, 4.5, 4.6, 5.0, 5.5, 5.5, 4.5, 3.0, 1.8]
)  # fmt: skip
_HOUR_CDF = np.cumsum(_HOURLY / _HOURLY.sum())
_HOUR_CDF[-1] = np.inf

Array = np.ndarray[Any, np.dtype[Any]]


class SyntheticGenerator:
    """Generates API-call traces of user sessions with a known ground truth.

    The same seed gives the same sessions: every draw comes from one seeded numpy stream, in a
    fixed order.

    Args:
        seed: Seed of the random stream (``None``: different data on every run).
        error_rate: Share of calls answered 400 or 500 outside cascades (default 5%).
    """

    ECOMMERCE_WORKFLOW = ECOMMERCE_WORKFLOW
    """The built-in e-commerce workflow (also ``syda.workflows.ECOMMERCE_WORKFLOW``)."""
    validate_workflow = staticmethod(validate_workflow)

    def __init__(self, seed: int | None = None, *, error_rate: float = ERROR_RATE) -> None:
        if not 0.0 <= error_rate <= 1.0:
            raise WorkflowError([f"error_rate is {error_rate:g}, not in [0, 1]"], "the generator")
        self.seed = seed
        self.error_rate = error_rate
        self._rng = np.random.default_rng(seed)
        self._sessions_made = 0

    def generate_session(
        self,
        workflow: WorkflowDefinition,
        user_id: Any,
        start_time: datetime,
        *,
        user_type: str | None = None,
        max_length: int = MAX_LENGTH,
    ) -> Session:
        """One session of a user, starting at ``start_time``.

        Args:
            workflow: The chain to walk.
            user_id: Whose session it is.
            start_time: When its first call is made.
            user_type: The user's type (default: drawn from the workflow's shares).
            max_length: Most calls in the session (a session still going is cut there).

        Raises:
            WorkflowError: If the workflow's probabilities do not form a Markov chain.
        """
        cw = compile_workflow(workflow)
        _check_positive(max_length=max_length)
        if user_type is None:
            code = int((cw.user_type_cdf <= self._rng.random()).sum())
            user_type = cw.user_types[code]
        users = Users(np.array([user_id], dtype=object), np.array([user_type], dtype=object))
        store = self._walk(
            cw, users, np.zeros(1, np.int64), np.array([_ns(start_time)]), max_length
        )
        return Session(store, 0, workflow.name)

    def generate_dataset(
        self,
        num_users: int | None = None,
        sessions_per_user: tuple[float, float] | int = (3, 2),
        date_range_days: int = 30,
        workflow: WorkflowDefinition | None = None,
        cascade_failure_rate: float = 0.0,
        show_progress: bool = False,
        *,
        start_date: datetime | None = None,
        max_length: int = MAX_LENGTH,
        users: pd.DataFrame | None = None,
        user_key: str | None = None,
        schema: Any = None,
        users_table: str = "users",
    ) -> TraceDataset:
        """Sessions of many users over a date range.

        Args:
            num_users: How many users (default 1000, or every row of ``users``).
            sessions_per_user: ``(mean, std)`` of each user's session count (a rounded normal
                draw, at least 1), or one fixed count.
            date_range_days: Days the sessions are spread over, from ``start_date``.
            workflow: The chain to walk (default: the e-commerce workflow).
            cascade_failure_rate: Share of sessions with an injected cascade failure (exactly
                that share, rounded, chosen at random).
            show_progress: Draw a progress bar on stderr (rich's, on a terminal with
                ``syda[progress]`` installed; else log lines); progress is logged on the
                ``syda`` logger either way.
            start_date: First day of the range (default 2026-01-01, so a seed is enough).
            max_length: Most calls in a session.
            users: A users table whose key (``user_key``) the sessions point at.
            user_key: The key column of ``users``.
            schema: A schema to generate the users table from with syda (models, dict, YAML).
            users_table: The table of ``schema`` the sessions point at.

        Raises:
            WorkflowError: If the workflow is not a Markov chain, an option is out of range, or
                the users table cannot be used.
        """
        cw = compile_workflow(workflow or self.ECOMMERCE_WORKFLOW)
        mean, std = _session_counts(sessions_per_user)
        _check_positive(date_range_days=date_range_days, max_length=max_length)
        if not 0.0 <= cascade_failure_rate <= 1.0:
            raise WorkflowError(
                [f"{_named('cascade_failure_rate')} is {cascade_failure_rate:g}, not in [0, 1]"],
                _OPTIONS,
            )
        if num_users is not None and not (isinstance(num_users, int) and num_users >= 0):
            raise WorkflowError(
                [f"{_named('num_users')} is {num_users!r}, it must be a whole number >= 0"],
                _OPTIONS,
            )
        who = choose_users(cw, self._rng, num_users, users, user_key, schema, users_table)
        origin = _ns(start_date or DEFAULT_START_DATE)
        stores = []
        with _progress(len(who.ids), show_progress) as advance:
            for first in range(0, max(len(who.ids), 1), CHUNK_USERS):
                chunk = Users(
                    who.ids[first : first + CHUNK_USERS], who.types[first : first + CHUNK_USERS]
                )
                counts = np.rint(self._rng.normal(mean, std, len(chunk.ids)))
                user = np.repeat(np.arange(len(chunk.ids)), np.maximum(counts, 1).astype(np.int64))
                starts = origin + _start_offsets(len(user), date_range_days, self._rng)
                # Each user's sessions in the order they happen.
                order = np.lexsort((starts, user))
                stores.append(self._walk(cw, chunk, user[order], starts[order], max_length))
                advance(len(chunk.ids))
        store = concat_stores(stores)
        chosen = round(cascade_failure_rate * len(store.sessions))
        picked = np.sort(self._rng.choice(len(store.sessions), chosen, replace=False))
        store = inject_cascades(store, picked, self._rng)
        # A copy: changing the workflow afterwards must not change this dataset's truth.
        return TraceDataset(copy.deepcopy(cw.workflow), store, who.tables)

    def inject_cascade(self, session: Session) -> Session:
        """A copy of ``session`` with a cascade failure from its middle on.

        Later calls are 3-10x slower (60%), time out with 504 after 30 s (20%) or get a 503
        (15%), and some are retried; every affected call is labelled (``cascade``,
        ``cascade_effect``, ``is_retry``) and ``cascade_start`` says where it began.
        """
        store = session._store.select(np.array([session._index]))
        return Session(inject_cascades(store, np.array([0]), self._rng), 0, session.workflow)

    def _walk(
        self, cw: CompiledWorkflow, users: Users, user: Array, starts: Array, max_length: int
    ) -> TraceStore:
        """Walk one session per entry of ``user`` (an index into ``users``) from ``starts``."""
        n = len(user)
        states, session, truncated = walk(cw, n, max_length, self._rng)
        calls = draw_calls(cw, states, session, users.ids[user], self._rng, self.error_rate)
        ids = self._sessions_made + np.arange(n, dtype=np.int64)
        self._sessions_made += n
        sessions = SessionColumns(
            session_id=ids,
            user_id=users.ids[user],
            user_type=users.types[user],
            start_ns=starts.astype(np.int64),
            truncated=truncated,
            cascade_start=np.full(n, -1, dtype=np.int64),
        )
        return TraceStore(cw.states, cw.methods, sessions, calls)


def _ns(moment: datetime) -> int:
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return int(stamp.value)


def _start_offsets(n: int, days: int, rng: np.random.Generator) -> Array:
    """Nanoseconds from the start of the range to each session's start.

    A random day, an hour weighted by busy times, any minute and second of it (to the ms).
    """
    day = rng.integers(0, days, n)
    hour = (_HOUR_CDF <= rng.random(n)[:, None]).sum(axis=1)
    within = np.floor(rng.random(n) * 3_600_000).astype(np.int64)
    ms = (day * 24 + hour) * 3_600_000 + within
    result: Array = ms * 1_000_000
    return result


_OPTIONS = "generate_dataset"
"""The subject of an option's error: the call's arguments, not the workflow."""

# The syda traces option of each argument, named beside it so the message serves both.
_FLAGS = {
    "cascade_failure_rate": "--cascade-rate",
    "date_range_days": "--days",
    "max_length": "--max-length",
    "num_users": "--users",
    "sessions_per_user": "--sessions",
}


def _named(argument: str) -> str:
    return f"{argument} ({_FLAGS[argument]})"


def _session_counts(spec: tuple[float, float] | int) -> tuple[float, float]:
    if isinstance(spec, int):
        mean, std = float(spec), 0.0
    else:
        try:
            mean, std = (float(x) for x in spec)
        except (TypeError, ValueError):
            raise WorkflowError(
                [f"{_named('sessions_per_user')} must be (mean, std) or a count, not {spec!r}"],
                _OPTIONS,
            ) from None
    if mean < 1 or std < 0:
        raise WorkflowError(
            [f"{_named('sessions_per_user')} {spec!r}: the mean must be 1 or more, std >= 0"],
            _OPTIONS,
        )
    return mean, std


def _check_positive(**values: int) -> None:
    bad = [
        f"{_named(name)} is {v!r}, it must be a whole number of 1 or more"
        for name, v in values.items()
    ]
    bad = [
        b for b, v in zip(bad, values.values(), strict=True) if not (isinstance(v, int) and v >= 1)
    ]
    if bad:
        raise WorkflowError(bad, _OPTIONS)


@contextmanager
def _progress(total: int, show: bool) -> Iterator[Any]:
    """``advance(n)``: count users done, as syda's progress and a log line.

    The bar is the one the CLI installs, else (``show``) one of its own on stderr.
    """
    reporter = progress.current()
    if show and reporter is None:
        from syda.cli.console import reporter_for

        reporter = reporter_for(sys.stderr)
    with progress.use(reporter), progress.track("generating", "users", total) as task:

        def advance(n: int) -> None:
            task.advance(n)
            logger.info(
                "users: %d of %d",
                task.done,
                total,
                extra={
                    "syda_progress": True,
                    "syda_table": "users",
                    "syda_done": task.done,
                    "syda_total": total,
                },
            )

        yield advance
