"""The compact reply of rows mode: one JSON array per row, its values in column order.

A reply of objects repeats every property name in every row; on short values the names are most
of the output tokens (24 per CRM row against ~10 for the values alone). Here the reply is
``{"rows": [["Acme Analytics", "Software", 2019], ...]}``: each row an array holding the
columns' values in the order the prompt lists them, so a row costs about its values' own size.

Vendors cannot check such a row position by position: OpenAI strict structured outputs reject
``prefixItems`` ("array schema missing items"), and Anthropic's structured outputs have no tuple
type either. So the schema types each row's items as the union of the JSON types the columns use
(strict-mode safe: ``type``, ``items``, ``anyOf``, ``description``), the column order and facts
are in the prompt, and :func:`rows_from_reply` checks the length of every row and turns it back
into a mapping that the row model validates per column, as it does for object replies. Every
row that is too short, too long or not an array is re-asked with that exact error.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from syda.providers.reply_schema import reply_schema
from syda.schema.ir import Table

__all__ = ["compact_schema", "rows_from_reply"]

_ORDER = ("string", "integer", "number", "boolean")


def compact_schema(table: Table, columns: Sequence[str]) -> dict[str, Any]:
    """The JSON Schema of a compact reply: ``{"rows": [[value, ...], ...]}``.

    Args:
        table: The table.
        columns: The columns of each row, in the order of their values.

    Raises:
        KeyError: If a column is not in the table.
        ValueError: If ``columns`` is empty or names a column twice.
    """
    full = reply_schema(table, columns)  # the same checks and JSON types as the object reply
    props = full["properties"]["rows"]["items"]["properties"]
    types: set[str] = set()
    for name in columns:
        for branch in props[name].get("anyOf", [props[name]]):
            types.add(branch["type"])
    if "integer" in types and "number" in types:
        types.discard("integer")  # a number holds integers; one branch fewer to decode
    union = [{"type": t} for t in (*_ORDER, "null") if t in types]
    value: dict[str, Any] = union[0] if len(union) == 1 else {"anyOf": union}
    return {
        "type": "object",
        "properties": {
            "rows": {
                "type": "array",
                "description": f"One array per row: [{', '.join(columns)}].",
                "items": {"type": "array", "items": value},
            }
        },
        "required": ["rows"],
        "additionalProperties": False,
    }


def rows_from_reply(text: str, columns: Sequence[str]) -> list[Any]:
    """The rows of a compact reply as mappings by column; a malformed row stays as it came.

    A row of the wrong length or shape is returned as a string naming the problem, so the row
    model rejects it at its position and the re-ask quotes it; rows written as objects (a model
    that ignored the format) are taken as they are.

    Raises:
        ValueError: If the text is not JSON (``json.JSONDecodeError``).
        KeyError: If an object reply has no ``rows``.
        TypeError: If ``rows`` is not a list.
    """
    data = json.loads(text)
    raw = data["rows"] if isinstance(data, dict) else data
    if not isinstance(raw, list):
        raise TypeError("'rows' is not a list")
    out: list[Any] = []
    for row in raw:
        if isinstance(row, list) and len(row) == len(columns):
            out.append(dict(zip(columns, row, strict=True)))
        elif isinstance(row, list):
            out.append(
                f"the row has {len(row)} values, {len(columns)} expected ({', '.join(columns)})"
            )
        else:
            out.append(row)
    return out
