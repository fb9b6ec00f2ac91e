"""Sessions and their calls as columns (numpy arrays): what the generator makes and reads.

Calls are stored session after session, in call order, so a session is a slice
``offsets[i]:offsets[i] + lengths[i]`` and everything per call is one array operation.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

__all__ = ["EFFECTS", "CallColumns", "SessionColumns", "TraceStore", "concat_stores"]

EFFECTS = ("none", "slow", "timeout", "unavailable")
"""What an injected cascade did to a call (by code); ``none`` outside an episode too."""

Array = np.ndarray[Any, np.dtype[Any]]


@dataclass
class CallColumns:
    """One row per call."""

    session: Array
    """The session's row in :class:`SessionColumns` (int64)."""
    state: Array
    """The endpoint, as an index into the store's ``states`` (int16)."""
    response_ms: Array
    status: Array
    delay_s: Array
    """Seconds between the previous call's response and this call (0 for the first)."""
    params: Array
    """JSON text of the request parameters (object)."""
    cascade: Array
    effect: Array
    retry: Array

    def take(self, index: Array) -> CallColumns:
        """The calls at ``index`` (an integer or boolean array), as new columns."""
        return CallColumns(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def __len__(self) -> int:
        return len(self.state)


@dataclass
class SessionColumns:
    """One row per session."""

    session_id: Array
    user_id: Array
    user_type: Array
    start_ns: Array
    """Start of the session, nanoseconds since the epoch (int64)."""
    truncated: Array
    """The session was still going when it reached ``max_length`` calls."""
    cascade_start: Array
    """Position of the first call of the injected cascade, -1 for none (int64)."""

    def take(self, index: Array) -> SessionColumns:
        """The sessions at ``index``, as new columns."""
        return SessionColumns(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def __len__(self) -> int:
        return len(self.session_id)


@dataclass
class TraceStore:
    """Sessions and their calls, with the derived offsets, positions and timestamps."""

    states: tuple[str, ...]
    methods: Array
    sessions: SessionColumns
    calls: CallColumns

    def __post_init__(self) -> None:
        self.lengths = np.bincount(self.calls.session, minlength=len(self.sessions))
        self.offsets = (np.cumsum(self.lengths) - self.lengths).astype(np.int64)
        self.position = (
            np.arange(len(self.calls), dtype=np.int64) - self.offsets[self.calls.session]
        )
        self.timestamp_ns = self._timestamps()

    def _timestamps(self) -> Array:
        calls = self.calls
        if not len(calls):
            return np.zeros(0, dtype=np.int64)
        # A call starts after the previous call's response and the pause before it.
        previous_ms = np.concatenate([[0.0], calls.response_ms[:-1]])
        step = np.where(self.position > 0, calls.delay_s + previous_ms / 1000.0, 0.0)
        elapsed = np.cumsum(step)
        elapsed -= elapsed[self.offsets[calls.session]]
        start = self.sessions.start_ns[calls.session]
        result: Array = start + np.round(elapsed * 1000.0).astype(np.int64) * 1_000_000
        return result

    def session_slice(self, i: int) -> slice:
        """The rows of session ``i`` in the call columns."""
        start = int(self.offsets[i])
        return slice(start, start + int(self.lengths[i]))

    def select(self, index: Array) -> TraceStore:
        """The sessions at ``index`` (sorted integer positions) and their calls."""
        keep = np.zeros(len(self.sessions), dtype=bool)
        keep[index] = True
        rows = keep[self.calls.session]
        renumber = np.cumsum(keep) - 1
        calls = self.calls.take(rows)
        calls.session = renumber[calls.session]
        return replace(self, sessions=self.sessions.take(index), calls=calls)


def concat_stores(stores: list[TraceStore]) -> TraceStore:
    """One store of the sessions of several (made by chunks of users), in order."""
    first = stores[0]
    if len(stores) == 1:
        return first
    shift = np.cumsum([0] + [len(s.sessions) for s in stores[:-1]])
    calls = CallColumns(
        **{
            f.name: np.concatenate(
                [
                    getattr(s.calls, f.name) + k
                    if f.name == "session"
                    else getattr(s.calls, f.name)
                    for s, k in zip(stores, shift, strict=True)
                ]
            )
            for f in fields(CallColumns)
        }
    )
    sessions = SessionColumns(
        **{
            f.name: np.concatenate([getattr(s.sessions, f.name) for s in stores])
            for f in fields(SessionColumns)
        }
    )
    return TraceStore(first.states, first.methods, sessions, calls)
