"""The JSON Schema of an LLM's reply: ``{"rows": [row, ...]}``, safe for strict structured output.

Built from the schema IR directly, so every keyword is chosen here. It uses only what OpenAI
strict structured outputs and Anthropic's JSON-schema output / tool ``input_schema`` both accept:
``type``, ``properties``, ``required``, ``additionalProperties``, ``items``, ``enum``, ``anyOf``,
``description``, and ``pattern``, ``format``, ``minimum``, ``maximum``. Every property is required
(a nullable column as ``anyOf: [T, {"type": "null"}]``) and no object admits extra keys. What the
schema cannot say (lengths, digits, date bounds, non-portable patterns) the prompt states in words
(:mod:`syda.prompts`) and validation enforces.

Kinds without a JSON type of their own travel as strings, and the runner converts them back:

* ``json`` columns: a JSON-encoded string (strict mode wants every object's properties listed, so a
  free-form JSON value cannot be described); decode it with ``json.loads``.
* ``binary`` columns: base64 text; decode it with ``base64.b64decode``.
* ``date`` as ``format: date``, ``uuid`` as ``format: uuid``, time-zone-aware ``datetime`` as
  ``format: date-time``. Naive datetimes and times get no ``format``, because the RFC 3339 formats
  demand a UTC offset that a naive column cannot store; their description asks for ISO text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from syda.prompts import jsonable, to_json
from syda.schema.ir import Column, ColumnKind, Table
from syda.validation.fields import column_rules

__all__ = ["STRICT_KEYWORDS", "reply_schema", "reply_schema_name"]

STRICT_KEYWORDS = frozenset(
    {
        "additionalProperties",
        "anyOf",
        "description",
        "enum",
        "format",
        "items",
        "maximum",
        "minimum",
        "pattern",
        "properties",
        "required",
        "type",
    }
)
"""Every keyword :func:`reply_schema` may use (property names aside)."""

_JSON_TYPES: dict[ColumnKind, str] = {
    "integer": "integer",
    "float": "number",
    "decimal": "number",
    "boolean": "boolean",
}

_NOTES: dict[ColumnKind, str] = {
    "json": "A JSON-encoded string holding the value.",
    "binary": "Base64-encoded bytes.",
    "time": "ISO 8601 time, HH:MM:SS.",
}

# Regex features constrained decoders reject (lookaround, backreferences, named groups, inline
# flags, anchors and word boundaries written as escapes): such a pattern is left to the prompt.
_NOT_PORTABLE = re.compile(r"\(\?(?!:)|\\[1-9AZzGbBk]")

_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def reply_schema_name(table: Table) -> str:
    """A schema name vendors accept (``^[A-Za-z0-9_-]{1,64}$``) for ``table``'s reply."""
    name = _NOT_NAME.sub("_", table.key).strip("_")[:64]
    return name or "rows"


def reply_schema(table: Table, columns: Sequence[str]) -> dict[str, Any]:
    """Return the JSON Schema of a reply holding rows of ``columns`` of ``table``.

    Args:
        table: The table.
        columns: The columns each row holds (the real column names), in this order.

    Returns:
        ``{"type": "object", "properties": {"rows": {"type": "array", "items": ROW}}, ...}``
        where ROW lists exactly ``columns``, all required, with ``additionalProperties: false``
        at both levels.

    Raises:
        KeyError: If a column is not in the table.
        ValueError: If ``columns`` is empty or names a column twice.
    """
    if not columns:
        raise ValueError(f"{table.key}: a reply needs at least one column")
    if len(set(columns)) != len(columns):
        raise ValueError(f"{table.key}: columns named twice in {list(columns)}")
    row = {
        "type": "object",
        "properties": {name: _property(table.column(name)) for name in columns},
        "required": list(columns),
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {"rows": {"type": "array", "items": row}},
        "required": ["rows"],
        "additionalProperties": False,
    }


def _property(column: Column) -> dict[str, Any]:
    value = _value_schema(column)
    if column.nullable:
        prop: dict[str, Any] = {"anyOf": [value, {"type": "null"}]}
    else:
        prop = value
    notes = [" ".join(column.comment.split())] if column.comment else []
    if note := _note(column):
        notes.append(note)
    if notes:
        prop["description"] = " ".join(n if n.endswith(".") else n + "." for n in notes)
    return prop


def _note(column: Column) -> str | None:
    if column.kind == "datetime" and not column.timezone:
        return "ISO 8601 date-time without time zone, YYYY-MM-DDTHH:MM:SS."
    return _NOTES.get(column.kind)


def _value_schema(column: Column) -> dict[str, Any]:
    rules = column_rules(column)
    kind = column.kind
    schema: dict[str, Any] = {"type": _JSON_TYPES.get(kind, "string")}
    if rules.choices is not None:
        if kind == "json":
            schema["enum"] = [to_json(c) for c in rules.choices]
        else:
            schema["enum"] = [jsonable(c) for c in rules.choices]
        return schema
    if kind in ("integer", "float", "decimal"):
        for keyword, bound in (("minimum", rules.lower), ("maximum", rules.upper)):
            if bound is not None:
                schema[keyword] = jsonable(bound)
    elif kind == "date":
        schema["format"] = "date"
    elif kind == "datetime" and column.timezone:
        schema["format"] = "date-time"
    elif kind == "uuid":
        schema["format"] = "uuid"
    elif kind in ("string", "text"):
        if rules.schema_pattern is not None and column.pattern is not None:
            if not _NOT_PORTABLE.search(column.pattern):
                schema["pattern"] = rules.schema_pattern
        elif column.semantic == "email":
            schema["format"] = "email"
    return schema
