"""Cascade failures: from the middle of a session on, calls slow down, time out and are retried.

Each call of an episode gets one effect: 3-10x slower (60%), a 504 after a 30 s timeout (20%),
a quick 503 from an overloaded service (15%), or nothing (5%). A call that was hit is retried
right away with probability 0.3: the retry is a duplicate call (``is_retry``) with an effect of
its own. Every call of an episode is labelled (``cascade``, ``cascade_effect``), and its session
records where the episode started, so a failure detector can be scored against the truth.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from syda.workflows.columns import CallColumns, TraceStore

__all__ = ["EFFECT_SHARES", "RETRY_PROBABILITY", "inject_cascades"]

EFFECT_SHARES = (0.05, 0.60, 0.20, 0.15)
"""Shares of the effects in :data:`~syda.workflows.columns.EFFECTS` order."""
NONE, SLOW, TIMEOUT, UNAVAILABLE = 0, 1, 2, 3
RETRY_PROBABILITY = 0.3
SLOWDOWN = (3.0, 10.0)
TIMEOUT_MS = 30_000.0
UNAVAILABLE_MS = (5.0, 50.0)
RETRY_BACKOFF_S = (0.5, 2.0)

Array = np.ndarray[Any, np.dtype[Any]]


def inject_cascades(store: TraceStore, chosen: Array, rng: np.random.Generator) -> TraceStore:
    """The store with a cascade injected into the sessions at ``chosen`` (integer positions)."""
    if not len(chosen):
        return store
    lengths = store.lengths[chosen]
    # The episode starts between a third and the middle of the session and lasts to its end.
    starts = rng.integers(lengths // 3, lengths // 2 + 1)
    starts = np.minimum(starts, lengths - 1)
    start_of = np.full(len(store.sessions), np.iinfo(np.int64).max)
    start_of[chosen] = starts
    calls = store.calls
    hit = store.position >= start_of[calls.session]
    effect = np.zeros(len(calls), dtype=np.int8)
    effect[hit] = _effects(int(hit.sum()), rng)
    retried = hit & (effect != NONE) & (rng.random(len(calls)) < RETRY_PROBABILITY)
    index = np.repeat(np.arange(len(calls)), 1 + retried)
    calls = calls.take(index)
    effect, hit = effect[index], hit[index]
    again = np.concatenate([[False], index[1:] == index[:-1]])
    effect[again] = _effects(int(again.sum()), rng)
    calls.retry = calls.retry | again
    backoff = np.round(rng.uniform(*RETRY_BACKOFF_S, int(again.sum())), 3)
    calls.delay_s = calls.delay_s.copy()
    calls.delay_s[again] = backoff  # a client retries at once, it does not stop to think
    calls = _apply(calls, effect, hit, rng)
    sessions = replace(store.sessions)
    cascade_start = sessions.cascade_start.copy()
    # Duplicates come after the first affected call, so its position is unchanged.
    cascade_start[chosen] = starts
    sessions.cascade_start = cascade_start
    return replace(store, sessions=sessions, calls=calls)


def _effects(n: int, rng: np.random.Generator) -> Array:
    cdf = np.cumsum(EFFECT_SHARES)
    cdf[-1] = np.inf
    drawn: Array = (cdf <= rng.random(n)[:, None]).sum(axis=1).astype(np.int8)
    return drawn


def _apply(calls: CallColumns, effect: Array, hit: Array, rng: np.random.Generator) -> CallColumns:
    response = calls.response_ms.copy()
    slow = effect == SLOW
    response[slow] = np.round(response[slow] * rng.uniform(*SLOWDOWN, int(slow.sum())), 1)
    timeout = effect == TIMEOUT
    response[timeout] = TIMEOUT_MS
    unavailable = effect == UNAVAILABLE
    response[unavailable] = np.round(rng.uniform(*UNAVAILABLE_MS, int(unavailable.sum())), 1)
    status = calls.status.copy()
    status[timeout] = 504
    status[unavailable] = 503
    calls.response_ms, calls.status = response, status
    calls.effect = effect
    calls.cascade = calls.cascade | hit
    return calls
