"""What the stand-in LLM writes for a profile request: a plausible profile of the table it is given.

A profile request (syda's profile mode) lists, in its user prompt, the columns to profile with
their facts (``- name (kind; NOT NULL; unique; max 50 chars; one of [...]; 0 to 50): comment``)
and each one's current spec (``  current: {"semantic": "industry"}``); the reply schema holds a
``columns`` array. The stand-in reads both and answers in the profile vocabulary, from the
request alone (nothing is canned per table or test):

* a column with allowed values: those values with long-tailed weights;
* a categorical text column: a vocabulary of up to 300 values, drawn for the column's meaning
  (its current ``semantic``) by syda's offline provider, weighted by a long tail;
* a unique code (``sku``, ``code``): a template with a fixed-width sequence; other unique and
  personal columns (names, emails, free text) keep their semantic;
* a number: a log-normal (positive values) or normal distribution fitted to an offline draw,
  inside the column's bounds, rounded to its scale; small counts a Poisson;
* a date: a gap when it follows another date, else the last three years up to the prompt's
  "Today is ...", with month weights;
* a nullable column: a small ``null_share`` unless its NULLs are decided by a rule.

Everything is seeded from the request body's hash. The faults break a profile the way a model
would: a spec that breaks a CHECK or an allowed-value list (``bad_profile``), a column left out,
an unknown key, a wrong type, a column given twice, half the columns missing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from syda.providers.base import FillRequest
from syda.schema.ir import Column, Table
from tests.support.standin_rows import _PROVIDER, _jsonable

__all__ = [
    "PROFILE_FAULTS",
    "break_profile",
    "breaks_a_check",
    "is_profile_schema",
    "profile_reply",
]

PROFILE_FAULTS = frozenset({"bad_profile"})
"""Faults only a profile reply has (the row faults have profile forms too)."""

_LINE = re.compile(
    r"^- (?P<name>[^\s(]+) \((?P<kind>[a-z]+)(?P<facts>[^\n]*?)\)(?::(?P<comment>[^\n]*))?$\n"
    r"^  current: (?P<current>\{[^\n]*\})$",
    re.MULTILINE,
)
_TABLE = re.compile(r"^Table (\S+)", re.MULTILINE)
_TODAY = re.compile(r"^Today is (\d{4}-\d{2}-\d{2})\.$", re.MULTILINE)
_MAX_CHARS = re.compile(r"; max (\d+) chars")
_SCALE = re.compile(r"digits, (\d+) after the point|max (\d+) digits after the point")
_RANGE = re.compile(r"; (-?[\d.]+) to (-?[\d.]+)(?:;|$)")
_LOW = re.compile(r"; >= (-?[\d.]+)(?:;|$)")
_HIGH = re.compile(r"; <= (-?[\d.]+)(?:;|$)")
_CHOICES = re.compile(r"; one of (\[.*\])")
_KEEP = frozenset(
    {
        "first_name",
        "last_name",
        "full_name",
        "email",
        "phone",
        "url",
        "address",
        "street_address",
        "postal_code",
        "description",
        "text",
        "html",
        "username",
        "company",
        "ip_address",
        "uuid",
        "json",
    }
)
_CODES = frozenset({"sku", "code", "short_id"})


def is_profile_schema(schema: Mapping[str, Any]) -> bool:
    """True for the reply schema of a profile request (``{"columns": [...]}``)."""
    props = schema.get("properties")
    return isinstance(props, Mapping) and "columns" in props and "rows" not in props


def profile_reply(schema: Mapping[str, Any], texts: Sequence[str], digest: str) -> dict[str, Any]:
    """The profile the stand-in writes for the request (every key of the schema present)."""
    prompt = next((t for t in reversed(texts) if "Columns to profile:" in t), "\n".join(texts))
    section = prompt.split("Columns to profile:\n", 1)[-1]
    found = _TABLE.search(prompt)
    table = found.group(1) if found else "table"
    today_at = _TODAY.search(prompt)
    today = date.fromisoformat(today_at.group(1)) if today_at else date(2026, 1, 1)
    asked = _asked(schema)
    rng = np.random.default_rng(int(digest[:16], 16))
    columns = []
    for match in _LINE.finditer(section):
        if asked and match.group("name") not in asked:
            continue
        spec = _spec(table, match, today, rng)
        columns.append({"column": match.group("name"), **spec})
    return complete({"columns": columns}, schema)


def break_profile(kind: str, reply: dict[str, Any], prompt: str) -> dict[str, Any]:
    """``reply`` broken as ``kind`` says (a row fault or :data:`PROFILE_FAULTS`).

    Raises:
        ValueError: If ``kind`` is not a fault a profile can have.
    """
    out = json.loads(json.dumps(reply))
    columns: list[dict[str, Any]] = out["columns"]
    if kind in ("bad_profile", "breaks_check"):
        _violate(columns, prompt)
    elif kind == "missing_field":
        del columns[:1]
    elif kind == "extra_field":
        if columns:
            columns[0]["weights_note"] = "generated by a model that ignored the schema"
    elif kind == "wrong_type":
        if columns:
            columns[0]["null_share"] = "ten percent"
    elif kind == "duplicate_unique":
        if columns:
            columns.append(dict(columns[0]))
    elif kind == "too_few_rows":
        del columns[len(columns) // 2 :]
    else:
        raise ValueError(f"not a profile fault: {kind!r}")
    return out


def complete(value: Any, schema: Mapping[str, Any]) -> Any:
    """``value`` with every property the schema lists and ``value`` lacks set to null."""
    if isinstance(value, Mapping):
        props = _object_of(schema).get("properties", {})
        out = {
            key: complete(value[key], sub) if key in value else None for key, sub in props.items()
        }
        out.update({k: v for k, v in value.items() if k not in props})
        return out
    if isinstance(value, list):
        items = _array_of(schema).get("items", {})
        return [complete(v, items) for v in value]
    return value


def _object_of(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    if schema.get("type") == "object":
        return schema
    return next((b for b in schema.get("anyOf", []) if b.get("type") == "object"), {})


def _array_of(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    if schema.get("type") == "array":
        return schema
    return next((b for b in schema.get("anyOf", []) if b.get("type") == "array"), {})


def _asked(schema: Mapping[str, Any]) -> set[str]:
    item = _array_of(schema.get("properties", {}).get("columns", {})).get("items", {})
    return set(item.get("properties", {}).get("column", {}).get("enum", []))


# -- one column --------------------------------------------------------------------------------
def _column(table: str, match: re.Match[str]) -> tuple[Column, dict[str, Any]]:
    facts = match.group("facts")
    current: dict[str, Any] = json.loads(match.group("current"))
    length = _MAX_CHARS.search(facts)
    scale = _SCALE.search(facts)
    choices = _CHOICES.search(facts)
    low, high = _bounds(facts)
    column = Column(
        name=match.group("name"),
        kind=match.group("kind"),  # type: ignore[arg-type]
        nullable="; nullable" in facts,
        comment=(match.group("comment") or "").strip() or None,
        length=int(length.group(1)) if length else None,
        scale=int(next(g for g in scale.groups() if g)) if scale else None,
        minimum=low,
        maximum=high,
        choices=tuple(json.loads(choices.group(1))) if choices else None,
        unique="; unique" in facts,
        semantic=current.get("semantic"),
    )
    return column, current


def _bounds(facts: str) -> tuple[float | None, float | None]:
    both = _RANGE.search(facts)
    if both:
        return float(both.group(1)), float(both.group(2))
    low, high = _LOW.search(facts), _HIGH.search(facts)
    return (float(low.group(1)) if low else None, float(high.group(1)) if high else None)


def _spec(
    table: str, match: re.Match[str], today: date, rng: np.random.Generator
) -> dict[str, Any]:
    column, current = _column(table, match)
    spec: dict[str, Any] = {}
    if column.choices is not None:
        spec["values"] = _weighted(list(column.choices), rng)
    elif column.kind in ("string", "text"):
        spec.update(_text(table, column, rng))
    elif column.kind in ("integer", "float", "decimal") and "expr" not in current:
        spec.update(_number(table, column, rng))
    elif column.kind in ("date", "datetime"):
        spec.update(_dates(column, current, today, rng))
    decided = any(k in current for k in ("null_unless", "null_when", "null_share"))
    if column.nullable and not decided and not column.unique:
        spec["null_share"] = round(float(rng.uniform(0.02, 0.08)), 3)
    return spec


def _weighted(values: Sequence[Any], rng: np.random.Generator) -> list[dict[str, Any]]:
    """Long-tailed weights (a Zipf-like curve over a shuffled order), rounded."""
    order = rng.permutation(len(values))
    weights = 1.0 / (np.arange(len(values)) + 1.0) ** 0.9
    return [
        {"value": values[i], "weight": round(float(weights[rank]) * 100, 3)}
        for rank, i in enumerate(order)
    ]


def _sample(table: str, column: Column, n: int, rng: np.random.Generator) -> list[Any]:
    """``n`` values of ``column`` drawn by syda's offline provider for its meaning."""
    one = Table(key=table, name=table, columns=(column,))
    request = FillRequest(table=one, columns=(column.name,), n=n, rng=rng)
    values = _PROVIDER.fill(request)[column.name]
    return [_jsonable(v, column) for v in list(values)]


def _text(table: str, column: Column, rng: np.random.Generator) -> dict[str, Any]:
    semantic = column.semantic or ""
    if column.unique and (semantic in _CODES or column.name.lower() in _CODES):
        prefix = re.sub(r"[^A-Z]", "", table.upper())[:3] or "C"
        width = 6 if column.length is None else max(3, min(6, column.length - len(prefix) - 1))
        return {"template": f"{prefix}-{{seq:0{width}d}}"}
    if column.unique or column.kind == "text" or semantic in _KEEP:
        return {}
    drawn = [v for v in _sample(table, column, 600, rng) if isinstance(v, str) and v]
    if column.length is not None:
        drawn = [v for v in drawn if len(v) <= column.length]
    distinct = list(dict.fromkeys(drawn))[:300]
    return {"values": _weighted(distinct, rng)} if len(distinct) >= 3 else {}


def _number(table: str, column: Column, rng: np.random.Generator) -> dict[str, Any]:
    sample = np.array(
        [v for v in _sample(table, column, 400, rng) if isinstance(v, int | float)], dtype=float
    )
    if not len(sample):
        return {}
    spec: dict[str, Any] = {}
    low, high = column.minimum, column.maximum
    middle = float(np.median(sample))
    if column.kind == "integer" and 0 < middle <= 10 and (low is None or low <= 1):
        spec["distribution"] = {"kind": "poisson", "mean": round(max(middle, 1.0), 2)}
        spec["min"] = 1 if low is None else int(max(low, 0))
    elif sample.min() > 0 and middle > 0:
        sigma = float(np.clip(np.std(np.log(sample)), 0.2, 1.2))
        spec["distribution"] = {
            "kind": "lognormal",
            "median": round(middle, 2),
            "sigma": round(sigma, 2),
        }
    else:
        sd = float(np.std(sample)) or 1.0
        spec["distribution"] = {
            "kind": "normal",
            "mean": round(float(np.mean(sample)), 2),
            "sd": round(sd, 2),
        }
    if low is not None:
        spec.setdefault("min", low)
    if high is not None:
        spec["max"] = high
    if column.kind != "integer" and column.scale is not None:
        spec["round"] = column.scale
    if column.kind != "integer" and not column.unique:
        spec["outliers"] = 0.005
    return spec


def _dates(
    column: Column, current: Mapping[str, Any], today: date, rng: np.random.Generator
) -> dict[str, Any]:
    months = [
        round(float(w), 2)
        for w in 1.0 + 0.35 * np.sin(np.arange(12) / 12 * 2 * np.pi + rng.uniform(0, 6))
    ]
    if current.get("after"):
        median = float(rng.uniform(1.5, 6.0))
        return {
            "gap": {
                "distribution": {"kind": "lognormal", "median": round(median, 2), "sigma": 0.6},
                "unit": "days",
            }
        }
    if column.semantic == "updated_at" or column.name.lower().startswith("updated"):
        return {}
    start = today - timedelta(days=3 * 365)
    return {"min": start.isoformat(), "max": today.isoformat(), "seasonality": {"month": months}}


# -- faults ------------------------------------------------------------------------------------
def breaks_a_check(prompt: str) -> bool:
    """Whether ``bad_profile`` can make a spec of this profile prompt break a CHECK's bound."""
    block = prompt.split("Columns to profile:\n", 1)
    if len(block) < 2:
        return False
    return any(
        line.group("kind") in ("integer", "float", "decimal")
        and _bounds(line.group("facts"))[1] is not None
        for line in _LINE.finditer(block[1])
    )


def _violate(columns: list[dict[str, Any]], prompt: str) -> None:
    """Make one column's spec break what the prompt says of it: a CHECK, a list, a length."""
    lines = {
        m.group("name"): m for m in _LINE.finditer(prompt.split("Columns to profile:\n", 1)[-1])
    }
    for item in columns:
        line = lines.get(item["column"])
        if line is None:
            continue
        facts = line.group("facts")
        high = _bounds(facts)[1]
        if line.group("kind") in ("integer", "float", "decimal") and high is not None:
            item["max"] = high * 1.6 + 10  # above the CHECK's bound
            return
        if _CHOICES.search(facts):
            item["values"] = [*(item.get("values") or []), {"value": "Unknown", "weight": 5.0}]
            return
    for item in columns:
        line = lines.get(item["column"])
        if line is not None and "; NOT NULL" in line.group("facts"):
            item["null_share"] = 0.2  # NULLs in a NOT NULL column
            return
