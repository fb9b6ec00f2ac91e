"""Random walks through a compiled workflow, all sessions at once, and the calls they make.

Each step draws the next endpoint of every session still going with one array operation, so
the cost is a few numpy calls per step of the longest session, not a Python loop per call.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from syda.workflows.columns import CallColumns
from syda.workflows.endpoints import PARAM_BROWSE, PARAM_SEARCH, CompiledWorkflow

__all__ = ["ERROR_RATE", "draw_calls", "walk"]

ERROR_RATE = 0.05
"""Share of calls that fail outside a cascade: 60% of them with 400, 40% with 500."""
_CLIENT_ERRORS = 0.6
RESPONSE_SPREAD = 0.2
"""Standard deviation of a response time, as a share of its endpoint's mean."""
_PAUSE_S = (1.0, 5.0)
_THINK_S = (10.0, 30.0)

SEARCH_TERMS = (
    "laptop", "headphones", "running shoes", "coffee maker", "phone case", "desk lamp",
    "backpack", "monitor", "yoga mat", "winter jacket", "keyboard", "water bottle",
)  # fmt: skip
SORTS = ("relevance", "price", "rating", "newest")
CATEGORIES = ("electronics", "clothing", "home", "sports", "books", "beauty", "toys", "garden")
_CATALOGUE = 5000

Array = np.ndarray[Any, np.dtype[Any]]


def walk(
    cw: CompiledWorkflow, n: int, max_length: int, rng: np.random.Generator
) -> tuple[Array, Array, Array]:
    """Walk ``n`` sessions through the chain.

    Returns:
        The endpoint of every call (session after session), the session of every call, and
        for each session whether it was cut at ``max_length`` calls while still going.
    """
    grid = np.full((n, max_length), -1, dtype=np.int16)
    active = np.arange(n)
    current = (cw.entry_cdf <= rng.random(n)[:, None]).sum(axis=1)
    for step in range(max_length):
        grid[active, step] = current
        nxt = (cw.step_cdf[current] <= rng.random(len(active))[:, None]).sum(axis=1)
        going = nxt != cw.end
        active, current = active[going], nxt[going]
        if not len(active):
            break
    truncated = np.zeros(n, dtype=bool)
    truncated[active] = True
    made = grid >= 0
    sessions = np.nonzero(made)[0].astype(np.int64)
    return grid[made], sessions, truncated


def draw_calls(
    cw: CompiledWorkflow,
    states: Array,
    sessions: Array,
    user_ids: Array,
    rng: np.random.Generator,
    error_rate: float = ERROR_RATE,
) -> CallColumns:
    """The calls of walked sessions: response times, status codes, pauses and parameters.

    Args:
        cw: The workflow the sessions walked.
        states: The endpoint of every call, session after session.
        sessions: The session of every call.
        user_ids: The user of every session (its id goes into ``/users/{id}`` paths).
        rng: The random stream.
        error_rate: Share of calls answered 400 or 500.
    """
    m = len(states)
    mean = cw.mean_ms[states]
    spread = mean * (1.0 + RESPONSE_SPREAD * rng.standard_normal(m))
    # A normal spread, but never faster than a fifth of the mean (nor under a millisecond).
    response = np.round(np.maximum(spread, np.maximum(mean * 0.2, 1.0)), 1)
    u = rng.random(m)
    status = np.where(
        u >= error_rate, 200, np.where(u < error_rate * _CLIENT_ERRORS, 400, 500)
    ).astype(np.int16)
    first = np.concatenate([[True], sessions[1:] != sessions[:-1]])
    previous = np.concatenate([[0], states[:-1]])
    think = rng.random(m) < cw.think_probability[previous]
    delay = np.where(think, rng.uniform(*_THINK_S, m), rng.uniform(*_PAUSE_S, m))
    delay = np.where(first, 0.0, np.round(delay, 3))
    return CallColumns(
        session=sessions,
        state=states.astype(np.int16),
        response_ms=response,
        status=status,
        delay_s=delay,
        params=_params(cw, states, user_ids[sessions], rng),
        cascade=np.zeros(m, dtype=bool),
        effect=np.zeros(m, dtype=np.int8),
        retry=np.zeros(m, dtype=bool),
    )


def _params(cw: CompiledWorkflow, states: Array, users: Array, rng: np.random.Generator) -> Array:
    """JSON text of each call's parameters: search terms, catalogue pages, path ids.

    Every text is made once per distinct value and looked up by code: a million calls need
    a few thousand ``json.dumps``, not a million.
    """
    m = len(states)
    out = np.full(m, "{}", dtype=object)
    kind = cw.param_kind[states]
    search = np.nonzero(kind == PARAM_SEARCH)[0]
    code = rng.integers(0, len(SEARCH_TERMS), len(search)) * len(SORTS)
    out[search] = _SEARCH_TEXT[code + rng.integers(0, len(SORTS), len(search))]
    browse = np.nonzero(kind == PARAM_BROWSE)[0]
    code = rng.integers(0, len(CATEGORIES), len(browse)) * _PAGES
    # Most people stay on the first pages of a listing.
    page = np.minimum(rng.geometric(0.55, len(browse)), _PAGES) - 1
    out[browse] = _BROWSE_TEXT[code + page]
    mine = np.nonzero(cw.user_id_in_path[states])[0]
    codes, distinct = pd.factorize(users[mine])
    out[mine] = _texts([{"id": str(u)} for u in distinct.tolist()])[codes]
    other = np.nonzero(cw.has_id[states] & ~cw.user_id_in_path[states])[0]
    # Popular items are asked for far more often than the rest of the catalogue.
    ids = np.floor(_CATALOGUE * rng.random(len(other)) ** 3).astype(np.int64)
    out[other] = _ID_TEXT[ids]
    return out


def _texts(params: list[dict[str, str]]) -> Array:
    texts: Array = np.array([json.dumps(p) for p in params] or [""], dtype=object)
    return texts


_PAGES = 20
_SEARCH_TEXT = _texts([{"q": q, "sort": s} for q in SEARCH_TERMS for s in SORTS])
_BROWSE_TEXT = _texts(
    [{"category": c, "page": str(p)} for c in CATEGORIES for p in range(1, _PAGES + 1)]
)
_ID_TEXT = _texts([{"id": str(i)} for i in range(1, _CATALOGUE + 1)])
