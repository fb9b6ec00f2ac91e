"""Generated traces: sessions of API calls, as objects for reading and as DataFrames for work.

The data is held as columns (:mod:`syda.workflows.columns`); :class:`Session` and
:class:`APICall` objects are made only when asked for, so a dataset of a million calls costs
arrays, not a million Python objects.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from syda.sinks import write_dataset
from syda.workflows.columns import EFFECTS, TraceStore
from syda.workflows.definition import WorkflowDefinition
from syda.workflows.truth import ground_truth_frame

__all__ = ["APICall", "Session", "TraceDataset"]


@dataclass(frozen=True)
class APICall:
    """One API call of a session."""

    endpoint: str
    method: str
    timestamp: datetime
    response_time_ms: float
    status_code: int
    params: dict[str, str]
    position: int
    """The call's place in its session, from 0."""
    cascade: bool = False
    """The call is part of an injected cascade failure."""
    cascade_effect: str = "none"
    """What the cascade did to it: ``none``, ``slow``, ``timeout`` or ``unavailable``."""
    is_retry: bool = False
    """The call repeats the one before it (a client retrying during a cascade)."""


class Session:
    """One user's visit: a sequence of API calls."""

    def __init__(
        self, store: TraceStore, index: int, workflow: str, start_time: datetime | None = None
    ) -> None:
        self._store = store
        self._index = index
        self.workflow = workflow
        """The name of the workflow the session walked."""
        sessions = store.sessions
        self.session_id = int(sessions.session_id[index])
        self.user_id: Any = sessions.user_id[index]
        self.user_type = str(sessions.user_type[index])
        self.start_time: datetime = (
            start_time or _datetimes(sessions.start_ns[index : index + 1])[0]
        )
        self.truncated = bool(sessions.truncated[index])
        """The session reached ``max_length`` calls while still going."""
        start = int(sessions.cascade_start[index])
        self.cascade_start: int | None = start if start >= 0 else None
        """Position of the first call of the injected cascade failure, if any."""

    @property
    def has_cascade(self) -> bool:
        """A cascade failure was injected into the session."""
        return self.cascade_start is not None

    @cached_property
    def calls(self) -> list[APICall]:
        """The calls, in order."""
        s, rows = self._store, self._store.session_slice(self._index)
        calls = s.calls
        return [
            APICall(
                endpoint=s.states[state],
                method=str(s.methods[state]),
                timestamp=ts,
                response_time_ms=float(ms),
                status_code=int(code),
                params=json.loads(params),
                position=int(pos),
                cascade=bool(cascade),
                cascade_effect=EFFECTS[effect],
                is_retry=bool(retry),
            )
            for state, ts, ms, code, params, pos, cascade, effect, retry in zip(
                calls.state[rows].tolist(),
                _datetimes(s.timestamp_ns[rows]),
                calls.response_ms[rows].tolist(),
                calls.status[rows].tolist(),
                calls.params[rows].tolist(),
                s.position[rows].tolist(),
                calls.cascade[rows].tolist(),
                calls.effect[rows].tolist(),
                calls.retry[rows].tolist(),
                strict=True,
            )
        ]

    @property
    def endpoint_sequence(self) -> list[str]:
        """The endpoints of the calls, in order (retries included)."""
        rows = self._store.session_slice(self._index)
        return [self._store.states[i] for i in self._store.calls.state[rows].tolist()]

    @property
    def end_time(self) -> datetime:
        """When the last call's response arrived."""
        last = self.calls[-1]
        return last.timestamp + pd.Timedelta(milliseconds=last.response_time_ms)

    def __len__(self) -> int:
        return int(self._store.lengths[self._index])

    def __repr__(self) -> str:
        return (
            f"Session(session_id={self.session_id}, user_id={self.user_id!r}, "
            f"calls={len(self)}, cascade={self.has_cascade})"
        )


@dataclass
class TraceDataset:
    """Sessions generated from a workflow, with the ground truth they were drawn from."""

    workflow: WorkflowDefinition
    store: TraceStore = field(repr=False)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    """The users table (and its parents) the sessions point at, when generated with one."""

    @cached_property
    def sessions(self) -> list[Session]:
        """Every session, in order of ``session_id``."""
        name = self.workflow.name
        starts = _datetimes(self.store.sessions.start_ns)
        return [Session(self.store, i, name, start) for i, start in enumerate(starts)]

    @property
    def total_calls(self) -> int:
        """The number of API calls over all sessions."""
        return len(self.store.calls)

    @property
    def num_sessions(self) -> int:
        """The number of sessions."""
        return len(self.store.sessions)

    @property
    def num_unique_users(self) -> int:
        """The number of users with at least one session."""
        return int(pd.unique(self.store.sessions.user_id).size)

    def calls_frame(self) -> pd.DataFrame:
        """One row per call, session after session, in call order.

        Columns: session, user, position, endpoint, method, timestamp, response time, status
        code, parameters (JSON text) and the cascade labels.
        """
        s, calls = self.store, self.store.calls
        sessions = s.sessions
        return pd.DataFrame(
            {
                "session_id": sessions.session_id[calls.session],
                "user_id": sessions.user_id[calls.session],
                "user_type": _categorical(sessions.user_type, calls.session),
                "position": s.position,
                "endpoint": pd.Categorical.from_codes(calls.state, categories=pd.Index(s.states)),
                "method": _categorical(s.methods, calls.state),
                "timestamp": pd.to_datetime(s.timestamp_ns, unit="ns"),
                "response_time_ms": calls.response_ms,
                "status_code": calls.status,
                "params": calls.params,
                "cascade": calls.cascade,
                "cascade_effect": pd.Categorical.from_codes(
                    calls.effect, categories=pd.Index(EFFECTS)
                ),
                "is_retry": calls.retry,
            }
        )

    def sessions_frame(self) -> pd.DataFrame:
        """One row per session: user, start and end, number of calls, errors and labels."""
        s = self.store
        sessions = s.sessions
        last = s.offsets + np.maximum(s.lengths - 1, 0)
        end_ns = s.timestamp_ns[last] + np.round(s.calls.response_ms[last] * 1e6).astype(np.int64)
        errors = np.bincount(s.calls.session, weights=s.calls.status != 200, minlength=len(last))
        start = sessions.cascade_start
        return pd.DataFrame(
            {
                "session_id": sessions.session_id,
                "user_id": sessions.user_id,
                "user_type": pd.Categorical(sessions.user_type),
                "workflow": self.workflow.name,
                "start_time": pd.to_datetime(sessions.start_ns, unit="ns"),
                "end_time": pd.to_datetime(end_ns, unit="ns"),
                "num_calls": s.lengths,
                "num_errors": errors.astype(np.int64),
                "truncated": sessions.truncated,
                "cascade": start >= 0,
                "cascade_start": pd.Series(start, dtype="Int64").mask(start < 0),
            }
        )

    def ground_truth(self) -> pd.DataFrame:
        """The probabilities the sessions were drawn from (:func:`ground_truth_frame`)."""
        return ground_truth_frame(self.workflow)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Everything :meth:`save` writes, by name: calls, sessions, ground truth, tables."""
        return {
            "calls": self.calls_frame(),
            "sessions": self.sessions_frame(),
            "ground_truth": self.ground_truth(),
            **self.tables,
        }

    def save(self, directory: str | os.PathLike[str], format: str = "parquet") -> dict[str, Path]:
        """Write the calls, sessions, ground truth and users tables into ``directory``.

        Files are named ``calls``, ``sessions``, ``ground_truth`` (and the users tables by
        key): all of them or none; the workflow goes beside them as ``workflow.yaml``.

        Args:
            directory: Where to write (created if missing).
            format: ``"parquet"``, ``"csv"`` or ``"json"``.

        Returns:
            The path written for each name.

        Raises:
            OutputError: If a file cannot be written (pyarrow missing, for Parquet).
        """
        written = write_dataset(self.frames(), directory, format)
        written["workflow"] = self.workflow.to_yaml(Path(directory) / "workflow.yaml")
        return written

    def save_to_parquet(self, path: str | os.PathLike[str]) -> dict[str, Path]:
        """Write the calls to ``path`` (a ``.parquet`` file) and the rest beside it.

        ``data/train.parquet`` gets ``data/train_sessions.parquet``,
        ``data/train_ground_truth.parquet`` (the transition matrix the data was drawn from),
        ``data/train_workflow.yaml`` and, with a users table, ``data/train_users.parquet``.

        Returns:
            The path written for each name.

        Raises:
            OutputError: If a file cannot be written (pyarrow missing).
        """
        target = Path(path)
        stem = target.name.removesuffix(".parquet")
        frames = self.frames()
        names = {key: stem if key == "calls" else f"{stem}_{key}" for key in frames}
        written = write_dataset(frames, target.parent, "parquet", names=names)
        written["workflow"] = self.workflow.to_yaml(target.parent / f"{stem}_workflow.yaml")
        return written


def _categorical(values: np.ndarray[Any, Any], index: np.ndarray[Any, Any]) -> pd.Categorical:
    """``values[index]`` as a categorical, coded once per distinct value (not per row)."""
    codes, distinct = pd.factorize(values, sort=True)
    return pd.Categorical.from_codes(codes[index], categories=pd.Index(distinct))


def _datetimes(ns: np.ndarray[Any, Any]) -> list[datetime]:
    """Nanoseconds since the epoch as datetimes, in one conversion (whole milliseconds fit)."""
    moments: list[datetime] = ns.astype("datetime64[ns]").astype("datetime64[us]").tolist()
    return moments
