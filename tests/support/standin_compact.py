"""What the stand-in writes for a compact rows request: one array per row, in column order.

A compact reply schema (``{"rows": [[...], ...]}``, see :mod:`syda.providers.compact`) types a
row's values only as a union, so, as a real model does, the stand-in learns the columns from the
prompt: the ``Columns to write`` block lists each column with its kind and facts
(``- name (string; NOT NULL; unique; max 100 chars): comment``), in the order of the values.
The rows are drawn by the offline provider, as for object replies, then written as arrays.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from tests.support.standin_rows import RowSchema, break_reply, row_schema

__all__ = ["compact_rows", "is_compact_schema", "prompt_row_schema", "to_arrays"]

_BLOCK = re.compile(r"^Columns to write[^\n]*:\n((?:- [^\n]*\n?)+)", re.MULTILINE)
_LINE = re.compile(r"^- (?P<name>[^\s(]+) \((?P<kind>[a-z]+)(?P<facts>.*)$")
_RANGE = re.compile(r"; (-?[\d.]+) to (-?[\d.]+)(?=[;)])")
_AT_LEAST = re.compile(r"; >= (-?[\d.]+)(?=[;)])")
_AT_MOST = re.compile(r"; <= (-?[\d.]+)(?=[;)])")
_CHOICES = "; one of "
_PATTERN = "; full match of regex "
_JSON_TYPES = {"integer": "integer", "float": "number", "decimal": "number", "boolean": "boolean"}
_FORMATS = {"date": "date", "uuid": "uuid"}


def is_compact_schema(schema: Mapping[str, Any]) -> bool:
    """True for a reply schema whose rows are arrays (a compact rows request)."""
    rows = (schema.get("properties") or {}).get("rows") or {}
    return isinstance(rows, Mapping) and (rows.get("items") or {}).get("type") == "array"


def prompt_row_schema(name: str, prompt: str) -> RowSchema:
    """The columns a compact request asks for, read from its prompt's column lines.

    Raises:
        ValueError: If the prompt has no ``Columns to write`` block.
    """
    block = _BLOCK.search(prompt)
    if block is None:
        raise ValueError("the prompt lists no columns to write")
    props: dict[str, Any] = {}
    for line in block.group(1).splitlines():
        found = _LINE.match(line)
        if found is not None:
            props[found.group("name")] = _prop(found.group("kind"), found.group("facts"))
    schema = {"properties": {"rows": {"type": "array", "items": {"properties": props}}}}
    return row_schema(name, schema, prompt)


def to_arrays(rows: RowSchema, data: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """Rows as arrays in column order; a value left out shortens a row, an extra lengthens it."""
    names = rows.table.column_names
    out = []
    for row in data:
        values = [row[c] for c in names if c in row]
        values += [v for k, v in row.items() if k not in names]
        out.append(values)
    return out


def compact_rows(
    rows: RowSchema, made: list[dict[str, Any]], fault: str | None, row_faults: frozenset[str]
) -> dict[str, Any]:
    """The compact reply for drawn rows, with a row fault applied first (on the objects)."""
    reply: dict[str, Any] = {"rows": made}
    if fault in row_faults:
        reply = break_reply(fault, reply, rows)
    return {"rows": to_arrays(rows, reply["rows"])}


def _prop(kind: str, facts: str) -> dict[str, Any]:
    """A JSON-schema property standing for one column line, so the object path can read it."""
    value: dict[str, Any] = {"type": _JSON_TYPES.get(kind, "string")}
    if kind in _FORMATS:
        value["format"] = _FORMATS[kind]
    head, cut, comment = facts.partition("): ")
    head += ")" if cut else ""
    if _CHOICES in head:
        start = head.index(_CHOICES) + len(_CHOICES)
        choices, _ = json.JSONDecoder().raw_decode(head, start)
        value["enum"] = list(choices)
    elif _PATTERN in facts:
        pattern = facts[facts.index(_PATTERN) + len(_PATTERN) :]
        value["pattern"] = pattern.rsplit("): ", 1)[0].removesuffix(")")
    if kind in _JSON_TYPES:
        if m := _RANGE.search(head):
            value["minimum"], value["maximum"] = float(m.group(1)), float(m.group(2))
        if m := _AT_LEAST.search(head):
            value["minimum"] = float(m.group(1))
        if m := _AT_MOST.search(head):
            value["maximum"] = float(m.group(1))
    if comment:
        value["description"] = comment.strip()
    if "; nullable" in head:
        return {"anyOf": [value, {"type": "null"}], **_described(value)}
    return value


def _described(value: Mapping[str, Any]) -> dict[str, Any]:
    return {"description": value["description"]} if "description" in value else {}
