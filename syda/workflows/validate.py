"""Checks that a workflow is a usable Markov chain, as a list of problems a person can act on."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from syda.workflows.definition import WorkflowDefinition

__all__ = ["chain_problems", "validate_workflow"]

TOLERANCE = 1e-6
"""How far a row of probabilities may be from 1 (rounding in hand-written YAML)."""


def validate_workflow(workflow: WorkflowDefinition) -> list[str]:
    """Every problem of a workflow; an empty list when it is valid.

    Checks that the entry points and each row of transitions are probabilities summing to 1,
    that every state can end (no dead end that is not an exit point, no loop without a way
    out), that every state can be reached from an entry point, and that every exit point is an
    endpoint of the workflow. The user-type shares and ``exit_probability`` are checked too.
    """
    problems = chain_problems(workflow)
    problems += _dead_ends(workflow)
    problems += _unreachable(workflow)
    problems += _undefined_exits(workflow)
    problems += _no_way_out(workflow)
    return problems


def chain_problems(workflow: WorkflowDefinition) -> list[str]:
    """The problems that leave the chain undefined (generation refuses a workflow with any)."""
    problems = _row_problems("entry points", workflow.entry_points)
    if not workflow.entry_points:
        problems.append("no entry points: a session has nowhere to start")
    for source, row in workflow.transitions.items():
        if row:
            problems += _row_problems(f"transitions from {source!r}", row)
    problems += _row_problems("user type distribution", workflow.user_type_distribution)
    if not 0.0 <= workflow.exit_probability <= 1.0:
        problems.append(f"exit_probability is {workflow.exit_probability:g}, not in [0, 1]")
    return problems


def _row_problems(what: str, row: Mapping[str, float]) -> list[str]:
    problems = [
        f"{what}: {name!r} has probability {p:g} (must be between 0 and 1)"
        for name, p in row.items()
        if not (math.isfinite(p) and 0.0 <= p <= 1.0)
    ]
    total = sum(row.values())
    if row and not problems and abs(total - 1.0) > TOLERANCE:
        problems.append(f"{what} sum to {total:.6g}, not 1.0")
    return problems


def _dead_ends(workflow: WorkflowDefinition) -> list[str]:
    return [
        f"{name!r} has no transitions and is not an exit point: sessions stop there (a dead end)"
        for name in workflow.endpoints
        if not workflow.transitions.get(name) and name not in workflow.exit_points
    ]


def _reachable(starts: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    seen = set(starts)
    stack = list(seen)
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _successors(workflow: WorkflowDefinition) -> dict[str, list[str]]:
    return {s: [t for t, p in row.items() if p > 0] for s, row in workflow.transitions.items()}


def _unreachable(workflow: WorkflowDefinition) -> list[str]:
    starts = [e for e, p in workflow.entry_points.items() if p > 0]
    reached = _reachable(starts, _successors(workflow))
    return [
        f"{name!r} is never reached from the entry points (unreachable state)"
        for name in workflow.endpoints
        if name not in reached and name not in workflow.exit_points
    ] + [
        f"exit point {name!r} is never reached from the entry points"
        for name in sorted(workflow.exit_points)
        if name not in reached and name in workflow.endpoints and _mentioned(workflow, name)
    ]


def _mentioned(workflow: WorkflowDefinition, name: str) -> bool:
    return (
        name in workflow.entry_points
        or name in workflow.transitions
        or any(name in row for row in workflow.transitions.values())
    )


def _undefined_exits(workflow: WorkflowDefinition) -> list[str]:
    return [
        f"exit point {name!r} is not an endpoint of the workflow (no entry point or "
        "transition leads there)"
        for name in sorted(workflow.exit_points)
        if not _mentioned(workflow, name)
    ]


def _no_way_out(workflow: WorkflowDefinition) -> list[str]:
    """States from which no exit can be reached: sessions there loop until ``max_length``."""
    if workflow.exit_probability == 0:
        # Exits with onward transitions never end a session: only the terminal ones do.
        ends = {e for e in workflow.exit_points if not workflow.transitions.get(e)}
    else:
        ends = set(workflow.exit_points)
    # Dead ends already have their own message; they end sessions too.
    ends |= {n for n in workflow.endpoints if not workflow.transitions.get(n)}
    reverse: dict[str, list[str]] = {}
    for source, targets in _successors(workflow).items():
        for target in targets:
            reverse.setdefault(target, []).append(source)
    can_end = _reachable(ends, reverse)
    return [
        f"no exit point can be reached from {name!r}: sessions there loop until max_length"
        for name in workflow.endpoints
        if name not in can_end
    ]
