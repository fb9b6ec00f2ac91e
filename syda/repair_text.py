"""Text values that meet a branch's demands: patterns instantiated, lengths fitted.

Part of the repair of rows that break a check (:mod:`syda.repair_values` for the other kinds).
A value is changed only as far as a demand needs: a ``LIKE`` pattern is instantiated around the
value (``'%Trailers%'`` gives ``Trailers``, a prefix pattern ``'PRD-%'`` goes in front of the
value, a suffix one behind it, ``_`` is a digit), a regex is sampled
(:mod:`syda.generators.values_pattern`), a length is padded or cut, an excluded value gets a
digit, ``NOT LIKE`` removes the pattern's fixed text; a list picks an item that fits.
"""

from __future__ import annotations

import re
import string
from typing import Any

import numpy as np
import pandas as pd

from syda.generators.values_text import sampler
from syda.repair_demands import Asked, length_bounds, missing
from syda.schema.ir import Column

__all__ = ["draw_text"]

_ORDER = frozenset({"<", "<=", ">", ">="})


def draw_text(
    column: Column,
    current: pd.Series[Any],
    asked: Asked,
    rng: np.random.Generator,
    donors: pd.Series[Any],
    unique: bool,
) -> pd.Series[Any]:
    """Text values for ``column`` on the rows of ``current`` that meet ``asked`` where they can.

    ``donors`` are the column's values elsewhere (for a NULL that must become a value);
    ``unique`` keeps the value's text in a "contains" pattern, so the values stay distinct.
    """
    n = asked.n
    cur = [None if missing(v) else str(v) for v in current.tolist()]
    eq = asked.equal()
    choices = None if asked.choices is None else [c.tolist() for c in asked.choices]
    excluded = [e.tolist() for e in asked.excluded]
    low_len, high_len = length_bounds(asked, column.length)
    pool = [str(v) for v in donors.tolist()]
    bounds = [(op, m, v.tolist()) for op, m, v in asked.compared if op in _ORDER]
    out: list[str | None] = []
    for i in range(n):
        value = next((str(e.iloc[i]) for e in eq if not missing(e.iloc[i])), None)
        if value is None and choices is not None:
            value = _choose([c[i] for c in choices], [e[i] for e in excluded], asked, rng)
        if value is None:
            row = [(op, str(v[i])) for op, m, v in bounds if m[i] and not missing(v[i])]
            value = _fit(cur[i], asked, rng, pool, unique, column, row)
            if value is not None:
                value = _sized(value, low_len[i], high_len[i], rng)
                if any(value == str(e[i]) for e in excluded if not missing(e[i])):
                    value = value[:-1] + str(rng.integers(10)) if value else "x"
        out.append(None if asked.null else value)
    return pd.Series(out, dtype=object)


def _ordered(value: str, bounds: list[tuple[str, str]], unique: bool) -> str:
    """``value``, or a text next to each bound it breaks, in any collation's order.

    A text extended by anything sorts after it and a proper prefix before it, in every
    collation, so these stand in: ``> 'alpha'`` gives ``alpha <value>``, ``< 'alpha'`` gives
    ``alph``; where values must differ, ``< 'alpha'`` gives the bound with its last character
    lowered, then the value (``alph`<value>``, before it in byte order).
    """
    for op, bound in sorted(bounds, key=lambda b: b[0] in ("<", "<=")):
        if _holds(value, op, bound):
            continue
        if op in (">", ">="):
            value = bound if op == ">=" and not unique else f"{bound} {value or 'a'}"
        elif op == "<=" and not unique:
            value = bound
        elif len(bound) > 1 and not unique:
            value = bound[:-1]
        elif bound and bound[-1] > "\x00":
            value = bound[:-1] + chr(ord(bound[-1]) - 1) + value
    return value


def _holds(value: str, op: str, bound: str) -> bool:
    return {"<": value < bound, "<=": value <= bound, ">": value > bound, ">=": value >= bound}[op]


def _choose(
    items: list[Any], excluded: list[Any], asked: Asked, rng: np.random.Generator
) -> str | None:
    options = [str(v) for v in items if not missing(v) and v not in excluded]
    fitting = [v for v in options if _matches(v, asked)] or options
    return str(fitting[int(rng.integers(len(fitting)))]) if fitting else None


def _matches(value: str, asked: Asked) -> bool:
    return all(_like(value, p) for p in asked.likes) and all(
        re.search(p, value) for p in asked.regexes
    )


def _fit(
    value: str | None,
    asked: Asked,
    rng: np.random.Generator,
    pool: list[str],
    unique: bool,
    column: Column,
    bounds: list[tuple[str, str]],
) -> str | None:
    """The value changed to match the patterns, then the bounds, then to avoid anti-patterns."""
    wanted = asked.not_null or not column.nullable or asked.likes or asked.regexes or asked.lengths
    if value is None:
        if not wanted:
            return None
        value = pool[int(rng.integers(len(pool)))] if pool else ""
    for pattern in asked.likes:
        if not _like(value, pattern):
            value = _instantiate(pattern, value, rng, unique, column.length)
    for regex in asked.regexes:
        if not re.search(regex, value):
            value = _sample(regex, rng) or value
    value = _ordered(value, bounds, unique)
    for pattern in asked.unlikes:
        if _like(value, pattern):
            value = _scrub(value, pattern, rng)
    for regex in asked.unregexes:
        if re.search(regex, value):
            value = _letters(rng, max(len(value), 3))
    return value


def _tokens(pattern: str) -> list[str]:
    """A LIKE pattern as fixed text and the wildcards ``%`` and ``_`` (a backslash escapes)."""
    out: list[str] = []
    text = ""
    chars = iter(pattern)
    for ch in chars:
        if ch == "\\":
            text += next(chars, "")
        elif ch in "%_":
            out.extend([text, ch] if text else [ch])
            text = ""
        else:
            text += ch
    return [*out, text] if text else out


def _like(value: str, pattern: str) -> bool:
    regex = "".join(
        ".*" if t == "%" else "." if t == "_" else re.escape(t) for t in _tokens(pattern)
    )
    return re.fullmatch(regex, value, re.DOTALL) is not None


def _instantiate(
    pattern: str, value: str, rng: np.random.Generator, unique: bool, length: int | None
) -> str:
    """A value matching ``pattern``, keeping ``value``'s text where a wildcard leaves room."""
    tokens = _tokens(pattern)
    fixed = sum(len(t) for t in tokens if t not in ("%", "_")) + tokens.count("_")
    room = max(0, (length or 10**6) - fixed)
    starts, ends = tokens[:1] == ["%"], tokens[-1:] == ["%"]
    # A prefix pattern (PRD-%) keeps the value behind it, a suffix one (%@x.org) in front; a
    # "contains" pattern (%Trailers%) is its text alone, unless the column must be unique.
    keep_at, fill = None, value[:room]
    if starts and ends:
        keep_at, fill = (len(tokens) - 1 if unique else None), " " + value[: max(room - 1, 0)]
    elif ends:
        keep_at = len(tokens) - 1
    elif starts:
        keep_at = 0
    out = []
    for i, token in enumerate(tokens):
        if token == "_":
            out.append(str(rng.integers(10)))
        elif token == "%":
            out.append(fill if i == keep_at else "")
        else:
            out.append(token)
    return "".join(out)


def _scrub(value: str, pattern: str, rng: np.random.Generator) -> str:
    for token in _tokens(pattern):
        if token not in ("%", "_"):
            value = value.replace(token, "")
    return value if value and not _like(value, pattern) else _letters(rng, 6)


def _sample(regex: str, rng: np.random.Generator) -> str | None:
    inner = regex[1:] if regex.startswith("^") else regex
    inner = inner[:-1] if inner.endswith("$") and not inner.endswith("\\$") else inner
    try:
        return str(sampler(inner).sample(rng, 1)[0])
    except (ValueError, IndexError):
        return None


def _sized(value: str, low: float, high: float, rng: np.random.Generator) -> str:
    if np.isfinite(high) and len(value) > high:
        value = value[: max(int(high), 0)]
    if len(value) < low:
        value += _letters(rng, int(low) - len(value))
    return value


def _letters(rng: np.random.Generator, k: int) -> str:
    return "".join(rng.choice(list(string.ascii_lowercase), size=k))
