"""What validation reports: one ``RowError`` per bad value, one ``Violation`` per broken rule.

``RowError`` is fine-grained (row, column, offending value) because it is fed back to an LLM to
re-ask for specific rows; ``Violation`` is aggregated per table, column and rule, because a
generated table can have a million rows and a report must stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["RowError", "Rule", "Violation", "rule_of_pydantic_error"]

Rule = Literal[
    "missing",
    "extra",
    "not_null",
    "type",
    "length",
    "precision",
    "choices",
    "range",
    "pattern",
    "primary_key",
    "unique",
    "comparison",
    "check",
    "foreign_key",
    "row_count",
]
"""The rules a row or a table can break.

``missing``/``extra`` are absent or unexpected keys (or DataFrame columns); ``precision`` is a
decimal with too many digits in total or after the point; the others are named after the
constraint they check; ``check`` is a CHECK constraint that was not folded into column facts
(:mod:`syda.validation.check_eval`).
"""

# pydantic error types that are not plain type errors, by the rule they break. Anything not
# listed (``int_type``, ``date_from_datetime_inexact``, ``finite_number``...) is a "type" error.
_PYDANTIC_RULES: dict[str, Rule] = {
    "missing": "missing",
    "extra_forbidden": "extra",
    "string_too_long": "length",
    "bytes_too_long": "length",
    "too_long": "length",
    "decimal_max_digits": "precision",
    "decimal_max_places": "precision",
    "decimal_whole_digits": "precision",
    "literal_error": "choices",
    "choices": "choices",
    "greater_than": "range",
    "greater_than_equal": "range",
    "less_than": "range",
    "less_than_equal": "range",
    "string_pattern_mismatch": "pattern",
    "not_null": "not_null",
}


def rule_of_pydantic_error(error_type: str, value: Any) -> Rule:
    """Return the rule a pydantic error (by its ``type`` and input value) stands for.

    A ``None`` input rejected by a type check means the column is NOT NULL, which is more useful
    to say than "Input should be a valid integer".
    """
    if value is None and error_type not in ("missing", "extra_forbidden"):
        return "not_null"
    return _PYDANTIC_RULES.get(error_type, "type")


@dataclass(frozen=True)
class RowError:
    """One problem with one value of one row, as reported by :func:`validate_rows`.

    Attributes:
        index: Position of the row in the batch that was validated.
        column: The column (real name, not the model's field name), or None when the row itself
            is wrong (not an object).
        rule: The rule that was broken.
        message: What is wrong, in words an LLM can act on.
        value: The offending value (None for a missing key).
    """

    index: int
    column: str | None
    rule: Rule
    message: str
    value: Any = None

    def __str__(self) -> str:
        where = f"row {self.index}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.message} (got {self.value!r})"


@dataclass(frozen=True)
class Violation:
    """A rule broken by some rows of a generated table, as reported by :func:`validate_frame`.

    Attributes:
        table: The key of the table.
        column: The column, or the columns joined by ``", "`` for a composite key or comparison,
            or None for a table-wide rule (``row_count``).
        rule: The rule that was broken.
        rows: Positions (0-based, not index labels) of the first few offending rows.
        count: How many rows break the rule (for ``row_count``: how many rows are missing or
            too many).
        message: What is wrong, with an example value when there is one.
    """

    table: str
    column: str | None
    rule: Rule
    rows: tuple[int, ...]
    count: int
    message: str

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        if not self.rows:
            return f"{where} [{self.rule}]: {self.message}"
        more = ", ..." if self.count > len(self.rows) else ""
        return (
            f"{where} [{self.rule}]: {self.message} (rows {', '.join(map(str, self.rows))}{more})"
        )
