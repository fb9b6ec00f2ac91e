"""Checking generated rows and tables against every constraint of the schema.

* :func:`build_row_model` / :func:`validate_rows`: the pydantic model of one row (its JSON Schema
  is what an LLM is asked to fill) and validation of raw rows, with one :class:`RowError` per bad
  value, to re-ask for exactly those.
* :func:`validate_frame` / :func:`check_dataset`: every rule over whole generated tables (values,
  row counts, keys, UNIQUE sets, comparisons, foreign keys), as :class:`Violation` objects;
  :func:`raise_for_violations` turns them into a :class:`~syda.errors.GenerationError`.
* :func:`failing_rows`: the rows of a frame that break a CHECK, evaluated as the database would
  (:mod:`syda.validation.check_eval`).
"""

from syda.validation.check_eval import CheckEvaluationError, failing_rows
from syda.validation.frames import (
    PYDANTIC_MAX_ROWS,
    check_dataset,
    raise_for_violations,
    validate_frame,
)
from syda.validation.models import build_row_model, validate_rows
from syda.validation.results import RowError, Rule, Violation

__all__ = [
    "PYDANTIC_MAX_ROWS",
    "CheckEvaluationError",
    "RowError",
    "Rule",
    "Violation",
    "build_row_model",
    "check_dataset",
    "failing_rows",
    "raise_for_violations",
    "validate_frame",
    "validate_rows",
]
