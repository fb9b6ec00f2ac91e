"""Ground truth: the probabilities a dataset was drawn from, and how close a learned model is.

Three kinds of edges describe a workflow: ``entry`` (``__start__`` → first endpoint),
``transition`` (endpoint → next endpoint, given that the session goes on: the workflow's
``transitions``), and ``exit`` (endpoint → ``__end__``: the chance a session ends there).
:func:`estimate_transitions` counts the same edges in generated calls (retries left out: they
repeat a call, they are not a step of the chain) and compares them with the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from syda.workflows.definition import WorkflowDefinition, WorkflowError
from syda.workflows.endpoints import compile_workflow

if TYPE_CHECKING:
    from syda.workflows.dataset import TraceDataset

__all__ = ["END", "START", "TransitionEstimate", "estimate_transitions", "ground_truth_frame"]

START, END = "__start__", "__end__"
_COLUMNS = ["kind", "from_endpoint", "to_endpoint", "probability"]

Array = np.ndarray[Any, np.dtype[Any]]


def ground_truth_frame(workflow: WorkflowDefinition) -> pd.DataFrame:
    """Every edge of the workflow's chain with its probability (kind, from, to, probability).

    Raises:
        WorkflowError: If the workflow's probabilities do not form a Markov chain.
    """
    cw = compile_workflow(workflow)
    rows = [("entry", START, e, p) for e, p in workflow.entry_points.items() if p > 0]
    rows += [
        ("transition", s, t, p)
        for s, row in workflow.transitions.items()
        for t, p in row.items()
        if p > 0
    ]
    rows += [
        ("exit", s, END, float(p)) for s, p in zip(cw.states, cw.exit_probability, strict=True) if p
    ]
    return pd.DataFrame(rows, columns=_COLUMNS)


@dataclass(frozen=True)
class TransitionEstimate:
    """A transition matrix learned from calls, next to the one they were drawn from."""

    matrix: pd.DataFrame
    """Learned P(next endpoint | endpoint), rows ``from``, columns ``to`` (rows sum to 1)."""
    truth: pd.DataFrame
    """The workflow's transitions in the same layout."""
    edges: pd.DataFrame
    """Every edge of either: kind, from_endpoint, to_endpoint, true_probability,
    learned_probability, error (absolute), observations (times ``from`` was left, or for
    entries the sessions) and std_error (what sampling alone explains: sqrt(p(1-p)/n))."""

    @property
    def distance(self) -> float:
        """The largest absolute difference over every edge (entries, transitions, exits)."""
        return float(self.edges["error"].max()) if len(self.edges) else 0.0

    def as_dict(self) -> dict[str, dict[str, float]]:
        """The learned transitions as ``{from: {to: probability}}`` (edges seen at least once)."""
        edges = self.edges
        seen = edges[(edges["kind"] == "transition") & (edges["learned_probability"] > 0)]
        out: dict[str, dict[str, float]] = {}
        for source, target, p in zip(
            seen["from_endpoint"], seen["to_endpoint"], seen["learned_probability"], strict=True
        ):
            out.setdefault(str(source), {})[str(target)] = float(p)
        return out


def estimate_transitions(
    data: TraceDataset | pd.DataFrame, workflow: WorkflowDefinition | None = None
) -> TransitionEstimate:
    """Learn the chain from calls by counting edges, and compare it with the truth.

    Args:
        data: A generated dataset, or a calls DataFrame (``session_id``, ``position``,
            ``endpoint``, and ``is_retry`` if there are retries), such as the calls file read
            back from disk.
        workflow: The truth; by default the dataset's own workflow (needed for a DataFrame).

    Raises:
        WorkflowError: If there is no workflow to compare with.
    """
    if isinstance(data, pd.DataFrame):
        if workflow is None:
            raise WorkflowError(["estimate_transitions of a DataFrame needs workflow="])
        states, session, state, truncated = _frame_arrays(data, workflow)
    else:
        workflow = workflow or data.workflow
        s = data.store
        states = s.states
        keep = ~s.calls.retry
        session, state = s.calls.session[keep], s.calls.state[keep].astype(np.int64)
        truncated = s.sessions.truncated[session]
    return _compare(workflow, states, *_count(len(states), session, state, truncated))


def _frame_arrays(
    calls: pd.DataFrame, workflow: WorkflowDefinition
) -> tuple[tuple[str, ...], Array, Array, Array]:
    if "is_retry" in calls:
        calls = calls[~calls["is_retry"].astype(bool)]
    calls = calls.sort_values(["session_id", "position"], kind="stable")
    names = tuple(dict.fromkeys([*workflow.endpoints, *map(str, calls["endpoint"].unique())]))
    index = {n: i for i, n in enumerate(names)}
    state = calls["endpoint"].astype(str).map(index).to_numpy(np.int64)
    session = pd.factorize(calls["session_id"])[0].astype(np.int64)
    # Whether a session was cut at max_length is not in the calls: every last call counts.
    return names, session, state, np.zeros(len(state), dtype=bool)


def _count(k: int, session: Array, state: Array, truncated: Array) -> tuple[Array, Array, Array]:
    """Entry counts, pair counts (k x k) and, per endpoint, (ended here, could have ended)."""
    if not len(state):
        return np.zeros(k), np.zeros((k, k)), np.zeros((2, k))
    first = np.concatenate([[True], session[1:] != session[:-1]])
    last = np.concatenate([session[1:] != session[:-1], [True]])
    entries = np.bincount(state[first], minlength=k)
    same = ~last[:-1]
    pairs = np.bincount(state[:-1][same] * k + state[1:][same], minlength=k * k).reshape(k, k)
    # The last call of a session cut at max_length says nothing about ending there.
    ended = np.bincount(state[last & ~truncated], minlength=k)
    could = np.bincount(state[~(last & truncated)], minlength=k)
    return entries, pairs, np.stack([ended, could])


def _compare(
    workflow: WorkflowDefinition,
    states: tuple[str, ...],
    entries: Array,
    pairs: Array,
    exits: Array,
) -> TransitionEstimate:
    index = {n: i for i, n in enumerate(states)}
    truth = ground_truth_frame(workflow)
    leaving = pairs.sum(axis=1)
    learned: dict[tuple[str, str, str], tuple[float, int]] = {}
    n_sessions = int(entries.sum())
    for i, name in enumerate(states):
        if entries[i]:
            learned["entry", START, name] = (entries[i] / n_sessions, n_sessions)
        for j in np.nonzero(pairs[i])[0]:
            learned["transition", name, states[j]] = (pairs[i, j] / leaving[i], int(leaving[i]))
        if exits[0, i]:
            learned["exit", name, END] = (exits[0, i] / exits[1, i], int(exits[1, i]))
    rows = []
    for kind, source, target, p in truth.itertuples(index=False):
        i = index.get(source, -1)
        n = {
            "entry": n_sessions,
            "transition": int(leaving[i]) if i >= 0 else 0,
            "exit": int(exits[1, i]) if i >= 0 else 0,
        }[kind]
        got, _ = learned.pop((kind, source, target), (0.0, n))
        rows.append((kind, source, target, p, got, n))
    rows += [(k, s, t, 0.0, got, n) for (k, s, t), (got, n) in learned.items()]
    edges = pd.DataFrame(
        rows,
        columns=[
            "kind",
            "from_endpoint",
            "to_endpoint",
            "true_probability",
            "learned_probability",
            "observations",
        ],
    )
    edges.insert(5, "error", (edges["learned_probability"] - edges["true_probability"]).abs())
    p = edges["true_probability"]
    edges["std_error"] = np.sqrt(p * (1 - p) / edges["observations"].clip(lower=1))
    return TransitionEstimate(
        matrix=_matrix(edges, "learned_probability"),
        truth=_matrix(edges, "true_probability"),
        edges=edges,
    )


def _matrix(edges: pd.DataFrame, column: str) -> pd.DataFrame:
    moves = edges[edges["kind"] == "transition"]
    table = moves.pivot_table(
        index="from_endpoint", columns="to_endpoint", values=column, aggfunc="sum", fill_value=0.0
    )
    table.index.name, table.columns.name = "from", "to"
    return table
