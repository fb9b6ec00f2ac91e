"""The exceptions syda raises, one tree rooted at :class:`SydaError`.

::

    SydaError
    ├── SchemaError          the input schema cannot be used (lists every problem at once)
    ├── PlanError            the schema is fine but the request cannot be met
    │                        (more rows than distinct key combinations, unknown table names, ...)
    ├── GenerationError      a table could not be filled with valid rows
    │                        (carries table, column, rule, attempts, last raw output, usage)
    ├── ConfigurationError   a provider or option is misconfigured (never carries secret values)
    └── OutputError          a sink could not write its target (nothing half-written is left)

Every error carries the table and column it is about when there is one, so a caller can act on
it without parsing the message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "ConfigurationError",
    "GenerationError",
    "OutputError",
    "PlanError",
    "SchemaError",
    "SydaError",
]


class SydaError(Exception):
    """Base class of every error syda raises.

    Attributes:
        table: The table the error is about, if any.
        column: The column the error is about, if any.
    """

    def __init__(self, message: str, *, table: str | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.table = table
        self.column = column

    def __str__(self) -> str:
        where = ".".join(part for part in (self.table, self.column) if part)
        return f"{where}: {self.message}" if where else self.message


class SchemaError(SydaError):
    """The schema cannot be used; ``problems`` lists every problem found, not just the first."""

    def __init__(
        self,
        problems: Sequence[str],
        *,
        table: str | None = None,
        column: str | None = None,
        subject: str = "the schema",
    ):
        self.problems = tuple(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            listed = "\n".join(f"  - {p}" for p in self.problems)
            message = f"{len(self.problems)} problems in {subject}:\n{listed}"
        super().__init__(message, table=table, column=column)


class PlanError(SydaError):
    """The schema is valid, but the requested generation cannot be planned or satisfied."""


class GenerationError(SydaError):
    """A table could not be filled with rows that satisfy every constraint.

    Attributes:
        rule: The rule that could not be satisfied (``"unique"``, ``"foreign_key"``, ...).
        attempts: How many attempts were made before giving up.
        last_raw: The last raw provider output, if a provider was involved (never a secret).
        usage: Token usage accumulated while trying, if a provider reports it.
        violations: The constraint violations found by validation (``syda.validation.Violation``
            objects: table, column, rule, offending row positions, count), if any.
    """

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        column: str | None = None,
        rule: str | None = None,
        attempts: int = 0,
        last_raw: str | None = None,
        usage: dict[str, Any] | None = None,
        violations: Sequence[Any] = (),
    ):
        super().__init__(message, table=table, column=column)
        self.rule = rule
        self.attempts = attempts
        self.last_raw = last_raw
        self.usage = dict(usage or {})
        self.violations = tuple(violations)


class ConfigurationError(SydaError):
    """A provider or an option is misconfigured (for example a requested provider has no key)."""


class OutputError(SydaError):
    """A sink could not write its target; the target is left as it was."""
