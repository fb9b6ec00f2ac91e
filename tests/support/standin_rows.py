"""What the stand-in LLM writes: rows for a reply JSON Schema, and the faults it can inject.

The stand-in reads the row schema from the request (``properties.rows.items``, local ``$ref``
resolved), turns every row property into a syda IR :class:`~syda.schema.ir.Column` and lets the
offline provider draw the values. Everything is seeded from a hash of the request body, so the
same request always gets the same rows and a re-recorded cassette is byte-for-byte identical.

The fault helpers take a valid reply (``{"rows": [...]}``) and break it the way real models do:
a field left out, an extra field, a string where a number belongs, a unique value repeated, too
few rows, or JSON text cut off mid-way.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from syda.providers.base import FillRequest
from syda.providers.offline import OfflineProvider
from syda.schema.ir import Column, ColumnKind, Table

__all__ = [
    "ROW_FAULTS",
    "RowSchema",
    "break_reply",
    "count_from_prompt",
    "make_rows",
    "past_bound",
    "row_schema",
]

ROW_FAULTS = frozenset(
    {
        "missing_field",
        "extra_field",
        "wrong_type",
        "duplicate_unique",
        "too_few_rows",
        "breaks_check",
    }
)
"""Faults that change the rows of an otherwise well-formed reply (``breaks_check``: a number past
the bound a CHECK sets, as ``discount_pct BETWEEN 0 AND 50`` with 90)."""

_COUNT = re.compile(r"Return exactly (\d+) rows?\b|Generate (\d+) records\b")
_TABLE = re.compile(r"^Table (\S+)", re.MULTILINE)
_COLUMN_LINE = re.compile(r"^- (?P<name>[^\s(]+) \((?P<kind>[a-z]+)(?P<facts>.*)$", re.MULTILINE)
_MAX_CHARS = re.compile(r"; max (\d+) (?:chars|bytes)")
_DIGITS = re.compile(r"; max (\d+) digits(?:, (\d+) after the point)?")
_SCALE = re.compile(r"; max (\d+) digits after the point")
# Kinds a prompt may refine a JSON type into (the reply schema sends them as strings or numbers).
_REFINES: Mapping[str, frozenset[str]] = {
    "string": frozenset({"text", "json", "binary", "time", "datetime", "date", "uuid"}),
    "float": frozenset({"decimal"}),
}
_DESCRIBED: tuple[tuple[str, ColumnKind], ...] = (
    ("JSON-encoded string", "json"),
    ("Base64-encoded", "binary"),
    ("ISO 8601 time", "time"),
    ("ISO 8601 date-time", "datetime"),
)
_STRING_FORMATS: Mapping[str, tuple[ColumnKind, str | None]] = {
    "date": ("date", None),
    "date-time": ("datetime", None),
    "time": ("time", None),
    "uuid": ("uuid", None),
    "email": ("string", "email"),
    "uri": ("string", "url"),
    "hostname": ("string", "domain"),
    "ipv4": ("string", "ipv4"),
}
# The reference date of relative ranges: fixed, so a cassette recorded today matches tomorrow.
_TODAY = date(2025, 1, 15)
_PROVIDER = OfflineProvider(seed=0, today=_TODAY)


@dataclass(frozen=True)
class RowSchema:
    """The row part of a reply schema, read into syda columns.

    Attributes:
        table: A table holding one column per row property (the name is the schema's name).
        required: Property names every row must carry.
    """

    table: Table
    required: tuple[str, ...]
    key: str = "rows"
    """The reply's property holding the rows (``response`` in pydantic-ai's list output)."""


def row_schema(name: str, schema: Mapping[str, Any], prompt: str = "") -> RowSchema:
    """Read the row properties of a reply schema ``{"rows": [row, ...]}`` into a table.

    What the schema cannot say (a JSON column sent as text, a length, uniqueness) is taken from
    the prompt's column lines (``- name (kind; NOT NULL; unique; max 40 chars)``) when they are
    there, and otherwise from the properties' descriptions.

    Args:
        name: The schema's name (OpenAI ``json_schema.name``, else the title or the tool name).
        schema: The whole reply schema as sent in the request.
        prompt: The user prompt, for the table's name and the columns' facts.

    Raises:
        ValueError: If the schema has no ``rows`` array of objects.
    """
    outer = schema.get("properties", {})
    # "rows" as syda names it, else the one array (pydantic-ai's list output is "response").
    key = "rows" if "rows" in outer or len(outer) != 1 else next(iter(outer))
    rows = _resolve(schema, outer.get(key, {}))
    item = _resolve(schema, rows.get("items", {}))
    props = item.get("properties")
    if rows.get("type") != "array" or not isinstance(props, Mapping):
        raise ValueError("the reply schema has no 'rows' array of objects")
    table = _TABLE.search(prompt)
    title = table.group(1) if table else str(item.get("title") or schema.get("title") or name)
    facts = {m.group("name"): m for m in _COLUMN_LINE.finditer(prompt)}
    columns = tuple(
        _column(key, _resolve(schema, prop), schema, facts.get(key)) for key, prop in props.items()
    )
    required = tuple(item.get("required", props.keys()))
    return RowSchema(Table(key=title, name=title, columns=columns), required, key)


def count_from_prompt(texts: Sequence[str], default: int = 1) -> int:
    """The ``N`` of the last ``Return exactly N rows.`` line in the prompts, else ``default``."""
    for text in reversed(texts):
        found = _COUNT.findall(text)
        if found:
            return int(next(n for n in found[-1] if n))
    return default


def make_rows(rows: RowSchema, n: int, seed: int) -> list[dict[str, Any]]:
    """Draw ``n`` JSON-ready rows for ``rows`` with the offline provider, seeded by ``seed``."""
    table = rows.table
    if n <= 0 or not table.columns:
        return [{} for _ in range(max(n, 0))]
    request = FillRequest(
        table=table, columns=table.column_names, n=n, rng=np.random.default_rng(seed)
    )
    filled = _PROVIDER.fill(request)
    out: list[dict[str, Any]] = [{} for _ in range(n)]
    for col in table.columns:
        values = filled[col.name]
        for i, value in enumerate(list(values)):
            out[i][col.name] = _jsonable(value, col)
    return out


def break_reply(kind: str, reply: dict[str, Any], rows: RowSchema) -> dict[str, Any]:
    """Return a copy of ``reply`` with the row fault ``kind`` applied (see :data:`ROW_FAULTS`).

    Raises:
        ValueError: If ``kind`` is not a row fault.
    """
    out = [dict(row) for row in reply["rows"]]
    if kind == "missing_field":
        if rows.required:
            victim = rows.required[0]
            for row in out[:: max(2, len(out) // 2 or 1)]:
                row.pop(victim, None)
    elif kind == "extra_field":
        if out:
            out[0]["internal_note"] = "generated by a model that ignored the schema"
    elif kind == "wrong_type":
        if out:
            name, value = _wrong_value(rows)
            out[0][name] = value
    elif kind == "duplicate_unique":
        if len(out) >= 2:
            out[1] = dict(out[0])
    elif kind == "too_few_rows":
        out = out[: len(out) // 2]
    elif kind == "breaks_check":
        found = past_bound(rows)
        if out and found is not None:
            out[0][found[0]] = found[1]
    else:
        raise ValueError(f"not a row fault: {kind!r}")
    return {**reply, "rows": out}


def past_bound(rows: RowSchema) -> tuple[str, int | float] | None:
    """A (column, value) pair past the column's bound (its CHECK's), if a column has one."""
    for col in rows.table.columns:
        if col.kind in ("integer", "float", "decimal") and col.maximum is not None:
            return col.name, _whole(col.kind, float(col.maximum) * 1.6 + 10)
    for col in rows.table.columns:
        if col.kind in ("integer", "float", "decimal") and col.minimum is not None:
            return col.name, _whole(col.kind, float(col.minimum) - 10)
    return None


def _whole(kind: str, value: float) -> int | float:
    return int(value) if kind == "integer" else value


# -- reading the schema ---------------------------------------------------------------------------
def _resolve(root: Mapping[str, Any], node: Any) -> dict[str, Any]:
    """Follow local ``$ref`` pointers (``#/$defs/Row``) until a plain schema is reached."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = str(node["$ref"])
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"unsupported $ref {ref!r}")
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return dict(node) if isinstance(node, Mapping) else {}


def _column(
    name: str, prop: dict[str, Any], root: Mapping[str, Any], line: re.Match[str] | None
) -> Column:
    nullable = False
    types = prop.get("type")
    branches = [_resolve(root, b) for b in prop.get("anyOf", prop.get("oneOf", []))]
    if branches:
        non_null = [b for b in branches if b.get("type") != "null"]
        nullable = len(non_null) < len(branches)
        base = {**prop, **(non_null[0] if non_null else {})}
        base.pop("anyOf", None)
        base.pop("oneOf", None)
        prop, types = base, base.get("type")
    if isinstance(types, list):
        nullable = nullable or "null" in types
        types = next((t for t in types if t != "null"), "string")
    if "enum" in prop:
        nullable = nullable or None in prop["enum"]
    description = str(prop.get("description") or "")
    kind, semantic = _kind(str(types or "string"), prop)
    if kind == "string":
        kind = next((k for text, k in _DESCRIBED if text in description), kind)
    facts = line.group("facts") if line else ""
    if line and line.group("kind") in _REFINES.get(kind, ()):
        kind = line.group("kind")  # type: ignore[assignment]
    choices = tuple(v for v in prop.get("enum", ()) if v is not None) or None
    if choices is None and "const" in prop:
        choices = (prop["const"],)
    length = _MAX_CHARS.search(facts)
    digits = _DIGITS.search(facts)
    scale = _SCALE.search(facts)
    return Column(
        name=name,
        kind=kind,
        nullable=nullable,
        comment=description or None,
        length=int(length.group(1)) if length else prop.get("maxLength"),
        precision=int(digits.group(1)) if digits else None,
        scale=int(scale.group(1)) if scale else _int(digits.group(2) if digits else None),
        timezone=prop.get("format") == "date-time",
        minimum=_bound(prop, "minimum", "exclusiveMinimum", kind),
        maximum=_bound(prop, "maximum", "exclusiveMaximum", kind),
        choices=choices,
        pattern=prop.get("pattern"),
        semantic=semantic,
        unique="; unique" in facts or bool(re.search(r"\bunique\b", description, re.I)),
        info={"as_text": types == "string"},
    )


def _int(text: str | None) -> int | None:
    return int(text) if text is not None else None


def _kind(json_type: str, prop: Mapping[str, Any]) -> tuple[ColumnKind, str | None]:
    if json_type == "integer":
        return "integer", None
    if json_type == "number":
        return "float", None
    if json_type == "boolean":
        return "boolean", None
    if json_type in ("object", "array"):
        return "json", None
    fmt = prop.get("format")
    if isinstance(fmt, str) and fmt in _STRING_FORMATS:
        return _STRING_FORMATS[fmt]
    return "string", None


def _bound(prop: Mapping[str, Any], inclusive: str, exclusive: str, kind: str) -> float | None:
    if inclusive in prop:
        return float(prop[inclusive])
    if exclusive in prop:
        step = 1.0 if kind == "integer" else 1e-6
        sign = 1.0 if exclusive == "exclusiveMinimum" else -1.0
        return float(prop[exclusive]) + sign * step
    return None


def _wrong_value(rows: RowSchema) -> tuple[str, Any]:
    """A (column, value) pair whose value has the wrong JSON type for the column."""
    for col in rows.table.columns:
        if col.kind in ("integer", "float", "decimal"):
            return col.name, "twelve"
    for col in rows.table.columns:
        if col.kind == "boolean":
            return col.name, "yes"
    first = rows.table.columns[0].name if rows.table.columns else "value"
    return first, 12345


# -- JSON values ----------------------------------------------------------------------------------
def _jsonable(value: Any, col: Column) -> Any:
    """One drawn value as JSON: NULLs as None, numpy scalars as Python, dates as ISO text."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float | np.floating) and math.isnan(value):
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | Decimal):
        return round(float(value), 6)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().isoformat()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime().isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if col.kind == "json" and col.info.get("as_text"):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict | list | str | int | float):
        return value
    return str(value)
