"""What an endpoint's name says about its calls: HTTP method, latency, think time, parameters.

Rules read the words of the path (``/api/cart/add`` has ``api``, ``cart``, ``add``), so
``/api/address`` is not an "add". A workflow's ``avg_response_times`` overrides the latency.
The workflow is compiled here into arrays indexed by state, which is all the vectorised walk
and the call columns need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from syda.workflows.definition import WorkflowDefinition, WorkflowError
from syda.workflows.validate import chain_problems

__all__ = ["CompiledWorkflow", "compile_workflow", "http_method", "mean_response_ms"]

_POST = {
    "login",
    "signin",
    "add",
    "remove",
    "payment",
    "pay",
    "checkout",
    "register",
    "token",
    "notify",
}
_PUT = {"update", "settings", "edit"}
_DELETE = {"delete"}

# First matching word wins: the slowest kinds are listed first ("payment/confirm" is a payment).
_LATENCY_MS: tuple[tuple[frozenset[str], float], ...] = (
    (frozenset({"payment", "payments", "pay", "charge"}), 450.0),
    (frozenset({"checkout"}), 320.0),
    (frozenset({"search", "query"}), 180.0),
    (frozenset({"recommendations", "report", "reports", "export"}), 250.0),
    (frozenset({"login", "signin", "auth", "token", "register"}), 120.0),
    (frozenset({"browse", "products", "catalog", "resources", "orders", "inventory"}), 150.0),
    (frozenset({"cart", "profile", "me", "users", "settings"}), 80.0),
    (frozenset({"logout", "signout"}), 30.0),
    (frozenset({"metrics"}), 12.0),
    (frozenset({"health", "ping", "status"}), 5.0),
)
_DEFAULT_LATENCY_MS = 100.0

# Pages a person reads before the next click; after other calls the next one follows quickly.
_READ = {"browse", "products", "search", "details", "cart", "profile", "orders", "resources"}
THINK_PROBABILITY_READ = 0.35
THINK_PROBABILITY_OTHER = 0.05

PARAM_NONE, PARAM_SEARCH, PARAM_BROWSE = 0, 1, 2
_WORD = re.compile(r"[a-z0-9]+")


def _words(endpoint: str) -> list[str]:
    return _WORD.findall(endpoint.lower())


def http_method(endpoint: str) -> str:
    """The HTTP method an endpoint's name implies: POST, PUT, DELETE or GET."""
    words = set(_words(endpoint.replace("{id}", "")))
    if words & _DELETE:
        return "DELETE"
    if words & _POST:
        return "POST"
    if words & _PUT:
        return "PUT"
    return "GET"


def mean_response_ms(endpoint: str, overrides: dict[str, float] | None = None) -> float:
    """The mean response time of an endpoint: the workflow's, or one from its kind."""
    if overrides and endpoint in overrides:
        return float(overrides[endpoint])
    words = set(_words(endpoint.replace("{id}", "")))
    for kind, ms in _LATENCY_MS:
        if words & kind:
            # One item is quicker to fetch than a listing or a search over many.
            return ms * 0.6 if "{id}" in endpoint and kind & _READ else ms
    return _DEFAULT_LATENCY_MS


def _param_kind(endpoint: str) -> int:
    words = set(_words(endpoint))
    if "search" in words:
        return PARAM_SEARCH
    if words & {"browse", "products", "catalog"} and "{" not in endpoint:
        return PARAM_BROWSE
    return PARAM_NONE


@dataclass(frozen=True)
class CompiledWorkflow:
    """A workflow as arrays indexed by state (the order of ``states``)."""

    workflow: WorkflowDefinition
    states: tuple[str, ...]
    entry_cdf: np.ndarray[Any, np.dtype[np.float64]]
    step_cdf: np.ndarray[Any, np.dtype[np.float64]]
    """``(S, S + 1)``: cumulative probabilities of each next state, the last column "end"."""
    exit_probability: np.ndarray[Any, np.dtype[np.float64]]
    methods: np.ndarray[Any, np.dtype[Any]]
    mean_ms: np.ndarray[Any, np.dtype[np.float64]]
    think_probability: np.ndarray[Any, np.dtype[np.float64]]
    param_kind: np.ndarray[Any, np.dtype[np.int8]]
    user_id_in_path: np.ndarray[Any, np.dtype[np.bool_]]
    """Paths such as ``/api/users/{id}/profile``: the id is the session's user."""
    has_id: np.ndarray[Any, np.dtype[np.bool_]]
    user_types: tuple[str, ...]
    user_type_cdf: np.ndarray[Any, np.dtype[np.float64]]

    @property
    def end(self) -> int:
        """The index that stands for "the session ends"."""
        return len(self.states)


def _cdf(p: np.ndarray[Any, np.dtype[np.float64]]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Cumulative probabilities; a draw ``u`` in [0, 1) picks ``(cdf <= u).sum()``."""
    rows = np.atleast_2d(p)
    cdf = np.cumsum(rows, axis=-1)
    # From the last possible bin on, the cdf is infinite: a draw above a sum that rounding
    # left at 0.9999999 still lands on a possible state, never on one of probability 0.
    last = rows.shape[1] - 1 - np.argmax(rows[:, ::-1] > 0, axis=1)
    cdf[np.arange(rows.shape[1]) >= last[:, None]] = np.inf
    return cdf.reshape(p.shape)


def compile_workflow(workflow: WorkflowDefinition) -> CompiledWorkflow:
    """Compile a workflow for generation.

    Raises:
        WorkflowError: If its probabilities do not form a Markov chain.
    """
    problems = chain_problems(workflow)
    if problems:
        raise WorkflowError(problems, f"workflow {workflow.name!r}")
    states = tuple(workflow.endpoints)
    index = {s: i for i, s in enumerate(states)}
    n = len(states)
    entry = np.zeros(n)
    for name, p in workflow.entry_points.items():
        entry[index[name]] = p
    step = np.zeros((n, n + 1))
    exits = np.zeros(n)
    for i, name in enumerate(states):
        row = workflow.transitions.get(name) or {}
        if not row:
            exits[i] = 1.0  # an exit point, or a dead end: either way the session stops
        elif name in workflow.exit_points:
            exits[i] = workflow.exit_probability
        for target, p in row.items():
            step[i, index[target]] = (1.0 - exits[i]) * p
        step[i, n] = exits[i]
    types = tuple(workflow.user_type_distribution) or ("user",)
    type_p = np.array(list(workflow.user_type_distribution.values()) or [1.0])
    return CompiledWorkflow(
        workflow=workflow,
        states=states,
        entry_cdf=_cdf(entry),
        step_cdf=_cdf(step),
        exit_probability=exits,
        methods=np.array([http_method(s) for s in states], dtype=object),
        mean_ms=np.array([mean_response_ms(s, workflow.avg_response_times) for s in states]),
        think_probability=np.array(
            [
                THINK_PROBABILITY_READ
                if set(_words(s)) & _READ or "{id}" in s
                else THINK_PROBABILITY_OTHER
                for s in states
            ]
        ),
        param_kind=np.array([_param_kind(s) for s in states], dtype=np.int8),
        user_id_in_path=np.array(["users/{id}" in s for s in states]),
        has_id=np.array(["{id}" in s for s in states]),
        user_types=types,
        user_type_cdf=_cdf(type_p),
    )
