"""Reading the values of a dict schema: type names, bounds, references, names and lists.

Each reader takes the raw value, where it was found (for the message) and the list of problems,
and returns the parsed value or None after adding a problem; nothing raises, so one pass over a
schema can report every problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from syda.schema.ir import ColumnKind
from syda.semantics import kind_of_semantic

_TYPE_NAME_LISTS: Mapping[ColumnKind, str] = {
    "integer": "integer|int|number|bigint|smallint|tinyint|serial|bigserial|long",
    "float": "float|double|real|double precision",
    "decimal": "decimal|numeric|money",
    "string": "string|str|varchar|char|character|character varying|nvarchar|nchar|enum",
    "text": "text|clob",
    "boolean": "boolean|bool",
    "date": "date",
    "datetime": "datetime|timestamp|timestamptz|timestamp with time zone|"
    "timestamp without time zone",
    "time": "time",
    "uuid": "uuid|guid",
    "json": "json|jsonb",
    "binary": "binary|bytes|blob|bytea|varbinary",
}
_TYPE_NAMES: Mapping[str, ColumnKind] = {
    name: kind for kind, names in _TYPE_NAME_LISTS.items() for name in names.split("|")
}
_SIZED: frozenset[str] = frozenset({"string", "text", "binary"})
_IGNORED_PARAMS: frozenset[str] = frozenset({"integer", "float", "datetime", "time", "unknown"})
_TYPE_SYNTAX = re.compile(r"^\s*([A-Za-z_][\w ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$")


class _Named(Protocol):
    key: str
    name: str


def _parse_type(raw: object, where: str, problems: list[str]) -> dict[str, Any]:
    match = _TYPE_SYNTAX.match(raw) if isinstance(raw, str) else None
    if match is None or not isinstance(raw, str):
        problems.append(f"{where}: cannot read the type {raw!r} (e.g. 'varchar(50)')")
        return {"kind": "unknown", "sql_type": str(raw)}
    base = " ".join(match.group(1).lower().split())
    params = [int(p) for p in match.group(2, 3) if p is not None]
    kind = _TYPE_NAMES.get(base)
    semantic = None
    if kind is None:
        kind, semantic = kind_of_semantic(base) or "unknown", base
    facts: dict[str, Any] = {"kind": kind, "semantic": semantic, "sql_type": raw.strip()}
    if base in ("timestamptz", "timestamp with time zone"):
        facts["timezone"] = True
    if not params or kind in _IGNORED_PARAMS:
        return facts
    if kind in _SIZED and len(params) == 1:
        facts["length"] = params[0]
    elif kind == "decimal":
        facts.update(zip(("precision", "scale")[: len(params)], params, strict=True))
    else:
        problems.append(f"{where}: the type {raw!r} takes no such parameters")
    return facts


def _kind_of_values(values: tuple[Any, ...]) -> ColumnKind:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "float"
    return "string"


def _bound(value: object, kind: object, where: str, problems: list[str]) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind in ("date", "datetime"):
            problems.append(f"{where}: a {kind} bound is an ISO date such as '2020-01-31'")
            return None
        return float(value)
    if kind in ("date", "datetime") and isinstance(value, (str, date)):
        try:
            moment = value if isinstance(value, date) else datetime.fromisoformat(value)
        except ValueError:
            problems.append(f"{where}: {value!r} is not an ISO date")
            return None
        if kind == "date" or not isinstance(moment, datetime):
            return float(moment.toordinal())
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
        return moment.toordinal() + (seconds + moment.microsecond / 1e6) / 86400
    problems.append(f"{where}: {value!r} is not a valid bound")
    return None


def _parse_reference(
    raw: object, tables: Sequence[_Named], where: str, problems: list[str]
) -> tuple[str, tuple[str, ...]] | None:
    if isinstance(raw, str):
        if any(raw in (t.key, t.name) for t in tables) or "." not in raw:
            return raw, ()
        table, column = raw.rsplit(".", 1)
        return table, (column,)
    if isinstance(raw, Mapping) and isinstance(raw.get("table"), str):
        columns = _first(raw, "columns", "column")
        return raw["table"], tuple(_names(columns, where, problems)) if columns else ()
    problems.append(f"{where}: write 'table', 'table.column' or {{'table': ..., 'column': ...}}")
    return None


def _check(item: object, key: str, problems: list[str]) -> tuple[str, str | None] | None:
    if isinstance(item, str):
        return item, None
    if isinstance(item, Mapping) and isinstance(item.get("sql"), str):
        return item["sql"], _typed(item.get("name"), str, f"{key}: check name", problems)
    problems.append(f"{key}: a check is SQL text or {{'sql': ..., 'name': ...}}, not {item!r}")
    return None


def _pattern(value: object, where: str, problems: list[str]) -> str | None:
    if not isinstance(value, str):
        problems.append(f"{where}: pattern must be a string, not {value!r}")
        return None
    try:
        re.compile(value)
    except re.error as error:
        problems.append(f"{where}: pattern {value!r} is not a valid regular expression: {error}")
        return None
    return value


def _first(spec: Mapping[str, Any], *keys: str) -> Any:
    return next((spec[k] for k in keys if k in spec), None)


def _typed(value: object, kind: type, where: str, problems: list[str]) -> Any:
    if value is None:
        return None
    valid = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
    if not valid:
        problems.append(f"{where} must be {kind.__name__}, not {value!r}")
        return None
    return value


def _as_list(value: object, where: str, problems: list[str]) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    problems.append(f"{where} must be a list, not {value!r}")
    return []


def _names(value: object, where: str, problems: list[str]) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return list(value)
    problems.append(f"{where}: expected a column name or a list of names, not {value!r}")
    return []
