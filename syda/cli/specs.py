"""A column's spec (and a table's patterns) in one short line, for ``syda inspect``.

The full spec is what ``syda profile`` writes; here each key gets a few words
(``values{New Business: 0.45, ...}``, ``distribution lognormal(median=45000, sigma=0.4)``,
``expr quantity * unit_price``), cut to a width so a table of columns stays readable whatever
a profile holds. Values come from files anyone may write, so every piece is bounded and made
printable before it reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from syda.profile.registry import draw_keys
from syda.profile.spec import ColumnProfile, Cycle, Seasonality, TableProfile

__all__ = ["SPEC_WIDTH", "column_spec_text", "table_spec_lines"]

SPEC_WIDTH = 60
"""Characters of a column's spec shown by ``syda inspect``."""

_ITEMS = 4
"""Items of a mapping or list shown before ``...``."""
_VALUE_CHARS = 24
"""Characters of one value (a category, a bound) shown."""


def _cut(text: str, width: int) -> str:
    line = "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))
    return line if len(line) <= width else line[: width - 3] + "..."


def _v(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value).lower() if value is not None else "null"
    if isinstance(value, float):
        return f"{value:g}"
    return _cut(str(value), _VALUE_CHARS)


def _listed(items: Sequence[str], open_: str, close: str, width: int = SPEC_WIDTH) -> str:
    """At most :data:`_ITEMS` items, fewer if they would not fit in ``width``: whole items only."""
    for count in range(min(len(items), _ITEMS), 0, -1):
        more = ", ..." if len(items) > count else ""
        text = f"{open_}{', '.join(items[:count])}{more}{close}"
        if len(text) <= width or count == 1:
            return text
    return f"{open_}{close}"


def _params(model: Any, skip: Iterable[str] = ("kind",)) -> str:
    fields = model.model_dump(exclude_none=True)
    return ", ".join(f"{k}={_v(v)}" for k, v in fields.items() if k not in skip)


def _values(spec: ColumnProfile) -> str:
    if isinstance(spec.values, dict):
        items = [f"{_v(k)}: {_v(w)}" for k, w in spec.values.items()]
        return "values" + _listed(items, "{", "}", SPEC_WIDTH - len("values"))
    return "values" + _listed([_v(v) for v in spec.values or ()], "[", "]", SPEC_WIDTH - 6)


def _distribution(spec: ColumnProfile) -> str:
    dist = spec.distribution
    return f"distribution {dist.kind}({_params(dist)})" if dist is not None else ""


def _gap(spec: ColumnProfile) -> str:
    gap = spec.gap
    if gap is None:
        return ""
    return f"gap {gap.distribution.kind}({_params(gap.distribution)}) {gap.unit}"


def _fields(name: str, model: Seasonality | None) -> str:
    """Which fields are set (``seasonality(month, weekday)``): their weights are too long."""
    return f"{name}({', '.join(model.model_dump(exclude_none=True))})" if model else ""


def _cycle(name: str, cycle: Cycle | None) -> str:
    return f"{name}({_params(cycle, ())})" if cycle is not None else ""


# One renderer per key, in the order shown: where the values come from, then what shapes them.
_PARTS: tuple[tuple[str, Callable[[ColumnProfile], str]], ...] = (
    ("expr", lambda s: f"expr {s.expr}"),
    ("aggregate", lambda s: f"aggregate {s.aggregate}"),
    ("from_parent", lambda s: f"from_parent {s.from_parent}"),
    ("template", lambda s: f"template {s.template}"),
    ("by", lambda s: f"by {s.by.column}({len(s.by.cases)} cases)" if s.by else ""),
    ("values", _values),
    ("weights", lambda s: "weights" + _listed([_v(w) for w in s.weights or ()], "[", "]")),
    ("distribution", _distribution),
    ("level", lambda s: f"level {_v(s.level)}"),
    ("min", lambda s: f"min {_v(s.min)}"),
    ("max", lambda s: f"max {_v(s.max)}"),
    ("after", lambda s: f"after {s.after}"),
    ("gap", _gap),
    ("seasonality", lambda s: _fields("seasonality", s.seasonality)),
    ("trend", lambda s: f"trend {_v(s.trend)}"),
    ("daily", lambda s: _cycle("daily", s.daily)),
    ("weekly", lambda s: _cycle("weekly", s.weekly)),
    ("yearly", lambda s: _cycle("yearly", s.yearly)),
    ("noise", lambda s: f"noise {_v(s.noise)}"),
    ("ar1", lambda s: f"ar1 {_v(s.ar1)}"),
    ("scale_by", lambda s: f"scale_by {', '.join(map(_v, s.scale_by or {}))}"),
    (
        "correlate",
        lambda s: f"correlate {s.correlate.column} r={_v(s.correlate.r)}" if s.correlate else "",
    ),
    ("outliers", lambda s: f"outliers {_v(s.outliers)}"),
    ("round", lambda s: f"round {s.round}"),
    ("default_share", lambda s: f"default_share {_v(s.default_share)}"),
    ("null_share", lambda s: f"null_share {_v(s.null_share)}"),
    ("null_unless", lambda s: f"null_unless {s.null_unless}"),
    ("null_when", lambda s: f"null_when {s.null_when}"),
)


def column_spec_text(spec: ColumnProfile | None, width: int = SPEC_WIDTH) -> str:
    """The spec in one line of at most ``width`` characters ('' for no spec).

    The ``semantic`` kind is shown only when no key makes syda draw the column itself: it is
    what the provider reads, and for a drawn column it says nothing about the values.
    """
    if spec is None:
        return ""
    parts = [render(spec) for key, render in _PARTS if getattr(spec, key) is not None]
    drawn = any(getattr(spec, key, None) is not None for key in draw_keys())
    if spec.semantic and not drawn:
        parts.insert(0, f"semantic {spec.semantic}")
    return _cut("; ".join(p for p in parts if p), width)


def table_spec_lines(profile: TableProfile, width: int = 2 * SPEC_WIDTH) -> list[str]:
    """The table-level patterns (funnel, series axis, one flagged row per parent), one a line."""
    lines: list[str] = []
    if profile.stages is not None:
        st = profile.stages
        order = " > ".join(_v(s) for s in st.order)
        reach = ", ".join(_v(r) for r in st.reach)
        lines.append(f"stages {st.column}: {order} (reach {reach})")
    for column, axis in (profile.series or {}).items():
        lines.append(f"series {column}: every {axis.every} from {_v(axis.start)} to {_v(axis.end)}")
    for one in profile.exactly_ones():
        per = one.per if isinstance(one.per, str) else ", ".join(one.per)
        lines.append(f"exactly_one {one.column} per {per}")
    return [_cut(line, width) for line in lines]
