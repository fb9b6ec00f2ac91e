"""Reading the values of a dict schema: type names, bounds, references, names and lists.

Each reader takes the raw value, where it was found (for the message) and the list of problems,
and returns the parsed value or None after adding a problem; nothing raises, so one pass over a
schema can report every problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from datetime import date, datetime
from typing import Any

from syda.schema.ir import ColumnKind
from syda.schema.limits import (
    MAX_BOUND,
    MAX_KEY_COLUMNS,
    MAX_PATTERN_LENGTH,
    name_problem,
    shown,
    shown_names,
)
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
_REFERENCE_KEYS = frozenset({"table", "column", "columns"})
_IGNORED_PARAMS: frozenset[str] = frozenset({"integer", "float", "datetime", "time", "unknown"})
# Words separated by spaces, so no two parts match the same space: the former `[\w ]*?\s*`
# backtracked quadratically (4,000 spaces took minutes). Nine digits are enough for any size.
_TYPE_SYNTAX = re.compile(
    r"^\s*([A-Za-z_]\w*(?: +\w+)*)\s*(?:\(\s*([0-9]{1,9})\s*(?:,\s*([0-9]{1,9})\s*)?\))?\s*$"
)
_MAX_TYPE_NAME = 200
_REPEAT = re.compile(r"\{\s*([0-9]+)\s*(?:,\s*([0-9]*)\s*)?\}")
_MAX_REPEAT = 1000


def _parse_type(raw: object, where: str, problems: list[str]) -> dict[str, Any]:
    fits = isinstance(raw, str) and len(raw) <= _MAX_TYPE_NAME
    match = _TYPE_SYNTAX.match(raw) if fits and isinstance(raw, str) else None
    if match is None or not isinstance(raw, str):
        problems.append(f"{where}: cannot read the type {shown(raw)} (e.g. 'varchar(50)')")
        return {"kind": "unknown", "sql_type": "unknown"}
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
        problems.append(f"{where}: the type {shown(raw)} takes no such parameters")
    return facts


def _kind_of_values(values: tuple[Any, ...]) -> ColumnKind:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "float"
    return "string"


def _bound(
    value: object, kind: object, where: str, problems: list[str], upper: bool = False
) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind in ("date", "datetime"):
            problems.append(f"{where}: a {kind} bound is an ISO date such as '2020-01-31'")
            return None
        if not abs(value) <= MAX_BOUND:  # also false for NaN; an int is compared exactly
            problems.append(f"{where}: {shown(value)} is not a number between ±{MAX_BOUND:g}")
            return None
        return float(value)
    if kind in ("date", "datetime") and isinstance(value, (str, date)):
        try:
            moment = value if isinstance(value, date) else datetime.fromisoformat(value)
        except ValueError:
            problems.append(f"{where}: {shown(value)} is not an ISO date")
            return None
        if kind == "date":
            return float(moment.toordinal())
        if not isinstance(moment, datetime) or (isinstance(value, str) and len(value) <= 10):
            # A date as a timestamp's max means through that day (to 23:59:59), as a person
            # writing max "2024-12-31" means it; as a min, that day's midnight.
            return moment.toordinal() + (86399 / 86400 if upper else 0.0)
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
        return moment.toordinal() + (seconds + moment.microsecond / 1e6) / 86400
    problems.append(f"{where}: {shown(value)} is not a valid bound")
    return None


def _parse_reference(
    raw: object, tables: Container[str], where: str, problems: list[str]
) -> tuple[str, tuple[str, ...]] | None:
    if isinstance(raw, str):
        problem = name_problem(raw, "the reference")
        if problem:
            problems.append(f"{where}: {problem}")
            return None
        if raw in tables or "." not in raw:
            return raw, ()
        table, column = raw.rsplit(".", 1)
        return table, (column,)
    if isinstance(raw, Mapping) and isinstance(raw.get("table"), str):
        problem = name_problem(raw["table"], "the referenced table")
        if problem:
            problems.append(f"{where}: {problem}")
            return None
        unknown = set(raw) - _REFERENCE_KEYS
        if unknown:
            problems.append(
                f"{where}: unknown keys {shown_names(sorted(map(str, unknown)), bare=True)}"
            )
        columns = _first(raw, "columns", "column")
        return raw["table"], tuple(_names(columns, where, problems)) if columns else ()
    problems.append(f"{where}: write 'table', 'table.column' or {{'table': ..., 'column': ...}}")
    return None


def _check(item: object, key: str, problems: list[str]) -> tuple[str, str | None] | None:
    if isinstance(item, str):
        return item, None
    if isinstance(item, Mapping) and isinstance(item.get("sql"), str):
        return item["sql"], _typed(item.get("name"), str, f"{key}: check name", problems)
    problems.append(f"{key}: a check is SQL text or {{'sql': ..., 'name': ...}}, not {shown(item)}")
    return None


def _pattern(value: object, where: str, problems: list[str]) -> str | None:
    if not isinstance(value, str):
        problems.append(f"{where}: pattern must be a string, not {shown(value)}")
        return None
    if len(value) > MAX_PATTERN_LENGTH:
        problems.append(f"{where}: pattern is longer than {MAX_PATTERN_LENGTH} characters")
        return None
    # Generated values are checked by RE2 (pyarrow) too, which allows at most 1000 repeats.
    counts = [n.lstrip("0") for m in _REPEAT.finditer(value) for n in m.groups() if n]
    if any(len(n) > 4 or int(n or 0) > _MAX_REPEAT for n in counts):
        problems.append(f"{where}: pattern {shown(value)} repeats more than {_MAX_REPEAT} times")
        return None
    try:
        re.compile(value)
    # Deeply nested groups overflow the parser's recursion; huge repeats its counters.
    except (re.error, RecursionError, OverflowError) as error:
        problems.append(
            f"{where}: pattern {shown(value)} is not a valid regular expression: {error}"
        )
        return None
    return value


def _first(spec: Mapping[str, Any], *keys: str) -> Any:
    return next((spec[k] for k in keys if k in spec), None)


def _typed(value: object, kind: type, where: str, problems: list[str]) -> Any:
    if value is None:
        return None
    valid = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
    if not valid:
        problems.append(f"{where} must be {kind.__name__}, not {shown(value)}")
        return None
    return value


def _as_list(value: object, where: str, problems: list[str]) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    problems.append(f"{where} must be a list, not {shown(value)}")
    return []


def _names(value: object, where: str, problems: list[str]) -> list[str]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)) or not names or len(names) > MAX_KEY_COLUMNS:
        problems.append(
            f"{where}: expected a column name or a list of up to {MAX_KEY_COLUMNS} names, "
            f"not {shown(value)}"
        )
        return []
    bad = [p for p in (name_problem(n, "the name") for n in names) if p is not None]
    problems.extend(f"{where}: {p}" for p in bad[:1])
    return [] if bad else list(names)
