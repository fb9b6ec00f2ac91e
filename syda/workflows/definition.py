"""A workflow: user behaviour as a Markov chain over API endpoints, and its YAML form.

A session starts at an entry point (drawn from ``entry_points``), moves from endpoint to
endpoint by ``transitions``, and ends at an exit point: always at one with no onward
transitions, and with probability ``exit_probability`` at one that has some (``/metrics`` may
end a monitoring session or lead back to ``/health``). ``transitions`` are therefore the
probabilities of the next endpoint *given that the session goes on*, which is what a model
learns from consecutive calls, and what :func:`~syda.workflows.estimate_transitions` compares.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from syda.errors import ConfigurationError, OutputError

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["DEFAULT_USER_TYPES", "WorkflowDefinition", "WorkflowError"]

DEFAULT_USER_TYPES = {"free": 0.6, "premium": 0.3, "trial": 0.1}
"""Who the users are when a workflow does not say. Every type walks the same chain (the type
is a label for grouping), so none of them is a "guest": a guest would not log in."""

_FIELDS = (
    "name",
    "entry_points",
    "transitions",
    "exit_points",
    "avg_response_times",
    "user_type_distribution",
    "exit_probability",
)


class WorkflowError(ConfigurationError):
    """A workflow or a generation option cannot be used; ``problems`` lists every problem.

    For example probabilities that do not form a Markov chain, or a workflow file that is not
    one.
    """

    def __init__(self, problems: list[str], subject: str = "the workflow") -> None:
        self.problems = problems
        self.subject = subject
        super().__init__(f"{subject}: " + "; ".join(problems))


@dataclass
class WorkflowDefinition:
    """User behaviour as a Markov chain over endpoints.

    Attributes:
        name: What the workflow is called (written into every session).
        entry_points: Probability of each first endpoint (they sum to 1).
        transitions: For each endpoint, the probability of each next endpoint, given that the
            session goes on (each row sums to 1).
        exit_points: Endpoints where a session may end.
        avg_response_times: Mean response time (ms) by endpoint; endpoints not named get one
            from their kind (payments slow, logout fast: see :mod:`syda.workflows.endpoints`).
        user_type_distribution: Share of each type of user.
        exit_probability: Chance that a session ends at an exit point that also has onward
            transitions (at one without any, it always ends).
    """

    name: str
    entry_points: dict[str, float]
    transitions: dict[str, dict[str, float]]
    exit_points: set[str] = field(default_factory=set)
    avg_response_times: dict[str, float] = field(default_factory=dict)
    user_type_distribution: dict[str, float] = field(
        default_factory=lambda: dict(DEFAULT_USER_TYPES)
    )
    exit_probability: float = 0.5

    @property
    def endpoints(self) -> list[str]:
        """Every endpoint the workflow names, in first-mention order."""
        seen: dict[str, None] = dict.fromkeys(self.entry_points)
        for source, targets in self.transitions.items():
            seen.setdefault(source)
            for target in targets:
                seen.setdefault(target)
        for exit_point in sorted(self.exit_points):
            seen.setdefault(exit_point)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        """The workflow as plain data (what :meth:`to_yaml` writes)."""
        return {
            "name": self.name,
            "entry_points": {k: float(v) for k, v in self.entry_points.items()},
            "transitions": {
                k: {t: float(p) for t, p in row.items()} for k, row in self.transitions.items()
            },
            "exit_points": sorted(self.exit_points),
            "avg_response_times": {k: float(v) for k, v in self.avg_response_times.items()},
            "user_type_distribution": {k: float(v) for k, v in self.user_type_distribution.items()},
            "exit_probability": float(self.exit_probability),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], subject: str = "the workflow") -> Self:
        """Read a workflow from plain data (what :meth:`to_dict` returns).

        Raises:
            WorkflowError: If a field is missing, unknown or of the wrong shape.
        """
        if not isinstance(data, Mapping):
            raise WorkflowError(["expected a mapping of workflow fields"], subject)
        problems = [f"unknown field {key!r}" for key in data if key not in _FIELDS]
        problems += [
            f"missing field {key!r}"
            for key in ("name", "entry_points", "transitions")
            if key not in data
        ]
        if problems:
            raise WorkflowError(problems, subject)
        try:
            return cls(
                name=str(data["name"]),
                entry_points=_weights(data["entry_points"]),
                transitions={
                    str(k): _weights(row) for k, row in (data["transitions"] or {}).items()
                },
                exit_points={str(e) for e in data.get("exit_points") or ()},
                avg_response_times=_weights(data.get("avg_response_times") or {}),
                user_type_distribution=_weights(
                    data.get("user_type_distribution") or DEFAULT_USER_TYPES
                ),
                exit_probability=float(data.get("exit_probability", 0.5)),
            )
        except (AttributeError, TypeError, ValueError) as exc:
            raise WorkflowError([f"malformed workflow: {exc}"], subject) from exc

    def to_yaml(self, path: str | os.PathLike[str]) -> Path:
        """Write the workflow as YAML, atomically (missing directories are created).

        Returns:
            The path written.

        Raises:
            OutputError: If the file cannot be written.
        """
        target = Path(path)
        text = yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)
        temp = target.with_name(f".{target.name}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temp.write_text(text, encoding="utf-8")
            os.replace(temp, target)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise OutputError(f"cannot write {target}: {exc}") from exc
        return target

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str]) -> Self:
        """Read a workflow written by :meth:`to_yaml` (or by hand).

        Raises:
            WorkflowError: If the file is not YAML or not a workflow.
            OutputError: If the file cannot be read.
        """
        source = Path(path)
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot read {source}: {exc}") from exc
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise WorkflowError([f"not YAML: {exc}"], str(source)) from exc
        return cls.from_dict(data, subject=str(source))


def _weights(row: Any) -> dict[str, float]:
    if not isinstance(row, Mapping):
        raise TypeError(f"expected a mapping of names to numbers, got {row!r}")
    return {str(k): float(v) for k, v in row.items()}
