"""Pydantic row models built from the schema IR, and validation of raw rows against them.

A row model has one field per column. Database column names are not safe Python identifiers for
pydantic (``_id`` becomes a private attribute, ``json`` and ``schema`` shadow ``BaseModel``
attributes, ``model_config`` is reserved, ``my col`` is no identifier at all), so every field is
called ``f_<position>`` and carries its real name as an alias: validation and
``model_json_schema(by_alias=True)`` speak column names, nothing else does. ``extra="forbid"``
makes the JSON Schema say ``additionalProperties: false`` and every field is required (a nullable
one as ``T | None``), which is what OpenAI strict structured outputs need.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model

from syda.schema.ir import Table
from syda.validation.fields import column_rules, field_annotation
from syda.validation.results import RowError, rule_of_pydantic_error

__all__ = [
    "NOT_NULL_MESSAGE",
    "build_row_model",
    "errors_by_position",
    "field_name",
    "list_adapter",
    "validate_rows",
]

NOT_NULL_MESSAGE = "Input should not be null (the column is NOT NULL)"

_NOT_IDENTIFIER = re.compile(r"\W+")

ROW_CONFIG = ConfigDict(
    extra="forbid",
    populate_by_name=False,
)


def field_name(position: int) -> str:
    """Return the model field name used for the column at ``position`` in the model."""
    return f"f_{position}"


def build_row_model(table: Table, columns: Sequence[str] | None = None) -> type[BaseModel]:
    """Build (or fetch from the cache) the pydantic model of one row of ``table``.

    Args:
        table: The table.
        columns: The columns to include, in this order (for example only those an LLM must
            fill); by default every column syda produces (``table.column_names``).

    Returns:
        A model whose fields are ``f_0``, ``f_1``... aliased to the real column names. Validate
        with column names as keys; dump with ``model_dump(by_alias=True)``.

    Raises:
        KeyError: If a requested column is not in the table.
        re.error: If a column's pattern is not a valid regular expression.
    """
    names = tuple(table.column_names if columns is None else columns)
    try:
        return _cached_model(table, names)
    except TypeError:
        # An unhashable fact (a list among the choices) only costs us the cache.
        return _make_model(table, names)


@lru_cache(maxsize=512)
def _cached_model(table: Table, names: tuple[str, ...]) -> type[BaseModel]:
    return _make_model(table, names)


def _make_model(table: Table, names: tuple[str, ...]) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for position, name in enumerate(names):
        column = table.column(name)
        annotation = field_annotation(column_rules(column))
        description = column.comment or None
        fields[field_name(position)] = (
            annotation,
            Field(alias=name, title=name, description=description),
        )
    model_name = _NOT_IDENTIFIER.sub("_", table.key).strip("_") or "Table"
    model: type[BaseModel] = create_model(
        f"{model_name}Row",
        __config__=ROW_CONFIG,
        __doc__=table.description or f"One row of the {table.name} table.",
        **fields,
    )
    return model


@lru_cache(maxsize=512)
def list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    """Return the (cached) adapter that validates a list of rows of ``model`` in one call."""
    return TypeAdapter(cast("type[list[Any]]", list[model]))  # type: ignore[valid-type]


def _plain(value: Any) -> Any:
    """Turn numpy scalars and pandas missing markers into the Python values pydantic expects."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN is how pandas spells NULL
        return None
    return value


def errors_by_position(
    error: ValidationError, offset: int = 0
) -> list[tuple[int, str | None, str, str, Any]]:
    """Flatten the errors of a ``list[Model]`` validation into ``(row, column, type, msg, input)``.

    Row positions are shifted by ``offset`` (the start of the chunk that was validated).
    """
    flat: list[tuple[int, str | None, str, str, Any]] = []
    for err in error.errors(include_url=False, include_context=False):
        loc = err["loc"]
        row = int(loc[0]) + offset if loc and isinstance(loc[0], int) else offset
        column = str(loc[1]) if len(loc) > 1 else None
        value = None if err["type"] == "missing" else err.get("input")
        flat.append((row, column, err["type"], err["msg"], value))
    return flat


def validate_rows(
    table: Table,
    rows: list[dict[str, Any]],
    columns: Sequence[str] | None = None,
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Validate raw rows (for example parsed LLM JSON) against the table's row model.

    Args:
        table: The table the rows belong to.
        rows: One mapping per row, keyed by column name.
        columns: The columns each row must have exactly (default: every column syda produces).

    Returns:
        The valid rows, coerced to the columns' Python types (``"2024-01-31"`` becomes a
        ``date``, ``12.5`` a ``Decimal``), in input order and keyed by column name; and one
        :class:`RowError` per problem, whose ``index`` is the position of the row in ``rows``.
        A row with any error is left out of the valid rows.

    Raises:
        KeyError: If a requested column is not in the table.
    """
    model = build_row_model(table, columns)
    adapter = list_adapter(model)
    prepared = [
        {k: _plain(v) for k, v in row.items()} if isinstance(row, Mapping) else row for row in rows
    ]
    errors: list[RowError] = []
    try:
        instances = adapter.validate_python(prepared)
    except ValidationError as exc:
        bad: set[int] = set()
        for index, column, error_type, message, value in errors_by_position(exc):
            bad.add(index)
            rule = rule_of_pydantic_error(error_type, value)
            if column is None:
                rule, message = "type", "Each row should be an object keyed by column name"
            elif rule == "not_null":
                message = NOT_NULL_MESSAGE
            errors.append(RowError(index, column, rule, message, value))
        # Everything else validated fine on the first pass, so this second pass cannot fail.
        keep = [row for i, row in enumerate(prepared) if i not in bad]
        instances = adapter.validate_python(keep)
    return [inst.model_dump(by_alias=True) for inst in instances], errors
