"""Range, geometric and spatial values in their database's input syntax, a column at a time.

* PostgreSQL ranges and multiranges: ``[12,40)``, ``[2024-03-01,2024-03-08)``, ``{[1,5),[9,12)}``;
  the lower bound never above the upper one, dates and timestamps recent (before the reference
  day), widths of a few units, days or hours.
* PostgreSQL geometric types: ``(x,y)`` points, ``{A,B,C}`` lines, segments, boxes, open and
  closed paths, polygons and ``<(x,y),r>`` circles.
* MySQL/MariaDB spatial types as WKT: ``POINT(13.4 52.5)``, ``LINESTRING(...)``,
  ``POLYGON((...))`` with closed rings, the multi- types and collections. Coordinates stay within
  ±85 on both axes, so they read as longitude/latitude in either axis order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator, ObjArray, to_text

__all__ = ["GENERATORS"]

FloatArray = np.ndarray[Any, Any]
_UNBOUNDED_SHARE = 0.03
_LIMIT = 85.0


def _text(values: AnyArray, decimals: int) -> ObjArray:
    return np.char.mod(f"%.{decimals}f", np.asarray(values, dtype=float)).astype(object)


def _stamp_text(stamps: np.ndarray[Any, Any], unit: str) -> ObjArray:
    text = np.datetime_as_string(stamps, unit=unit)  # type: ignore[call-overload]
    return np.char.replace(text, "T", " ").astype(object)


@dataclass(frozen=True)
class _Line:
    """A range family's number line: where lower bounds lie, how wide ranges are, the text."""

    start: Callable[[Batch], FloatArray]
    width: Callable[[Batch], FloatArray]
    text: Callable[[Batch, FloatArray], ObjArray]
    close: str = ")"


def _integers(b: Batch, values: FloatArray) -> ObjArray:
    return to_text(values.astype(np.int64))


def _days(b: Batch, values: FloatArray) -> ObjArray:
    return _stamp_text(values.astype(np.int64).astype("datetime64[D]"), "D")


def _seconds(zone: str) -> Callable[[Batch, FloatArray], ObjArray]:
    def text(b: Batch, values: FloatArray) -> ObjArray:
        return _stamp_text(values.astype(np.int64).astype("datetime64[s]"), "s") + zone  # type: ignore[no-any-return]

    return text


def _today(b: Batch, unit: str) -> float:
    return float(b.today.astype(f"datetime64[{unit}]").astype(np.int64))


_INT = _Line(
    start=lambda b: np.floor(b.rng.lognormal(math.log(50), 1.2, b.n)),
    width=lambda b: 1 + np.floor(b.rng.lognormal(math.log(10), 1.0, b.n)),
    text=_integers,
)


def _time_start(b: Batch) -> FloatArray:
    return _today(b, "s") - b.rng.integers(96, 365 * 96, b.n) * 900.0


def _time_width(b: Batch) -> FloatArray:
    return np.maximum(np.round(b.rng.lognormal(math.log(8), 0.9, b.n)), 1) * 900


_LINES: Mapping[str, _Line] = {
    "int4": _INT,
    "int8": _INT,
    "num": _Line(
        start=lambda b: np.round(b.rng.lognormal(math.log(50), 1.0, b.n), 2),
        width=lambda b: np.round(b.rng.lognormal(math.log(20), 1.0, b.n), 2) + 0.01,
        text=lambda b, v: _text(v, 2),
        close="]",
    ),
    "date": _Line(
        start=lambda b: _today(b, "D") - b.rng.integers(30, 730, b.n),
        width=lambda b: 1 + np.floor(b.rng.lognormal(math.log(6), 0.8, b.n)),
        text=_days,
    ),
    "ts": _Line(_time_start, _time_width, _seconds("")),
    "tstz": _Line(_time_start, _time_width, _seconds("+00")),
}


def _line(family: str) -> _Line:
    return _LINES[family.removesuffix("multirange").removesuffix("range")]


def range_values(b: Batch, spec: ColumnSpec) -> AnyArray:
    """One range per row (``[lower,upper)``), a few without an upper bound."""
    line = _line(spec.semantic)
    low = line.start(b)
    high = line.text(b, low + line.width(b))
    open_ended = b.rng.random(b.n) < _UNBOUNDED_SHARE
    upper = np.where(open_ended, "", high)
    close = np.where(open_ended, ")", line.close)
    return "[" + line.text(b, low) + "," + upper + close  # type: ignore[no-any-return]


def multirange(b: Batch, spec: ColumnSpec) -> AnyArray:
    """One to three ordered, separate ranges per row (``{[1,5),[9,12)}``)."""
    line = _line(spec.semantic)
    count = b.rng.integers(1, 4, b.n)
    low = line.start(b)
    out = np.full(b.n, "{", dtype=object)
    for k in range(3):
        high = low + line.width(b)
        text = "[" + line.text(b, low) + "," + line.text(b, high) + line.close
        out = np.where(count > k, out + ("," if k else "") + text, out)
        low = high + line.width(b)  # a gap: the next range starts after this one ends
    return (out + "}").astype(object)


def _coordinates(b: Batch, spread: float = _LIMIT) -> tuple[FloatArray, FloatArray]:
    x = np.round(b.rng.uniform(-spread, spread, b.n), 4)
    y = np.round(b.rng.uniform(-spread, spread, b.n), 4)
    return x, y


def _around(b: Batch, corners: int) -> list[tuple[FloatArray, FloatArray]]:
    """``corners`` points of a small convex ring around a centre (counter-clockwise)."""
    x, y = _coordinates(b, _LIMIT - 1)
    size = np.round(b.rng.uniform(0.001, 0.5, b.n), 4)
    turn = b.rng.uniform(0, 2 * math.pi, b.n)
    points = []
    for k in range(corners):
        angle = turn + 2 * math.pi * k / corners
        points.append(
            (np.round(x + size * np.cos(angle), 4), np.round(y + size * np.sin(angle), 4))
        )
    return points


def _pg_point(x: FloatArray, y: FloatArray) -> ObjArray:
    return "(" + _text(x, 4) + "," + _text(y, 4) + ")"  # type: ignore[no-any-return]


def _wkt_point(x: FloatArray, y: FloatArray) -> ObjArray:
    return _text(x, 4) + " " + _text(y, 4)  # type: ignore[no-any-return]


def _join(parts: list[ObjArray], sep: str = ",") -> ObjArray:
    out = parts[0]
    for part in parts[1:]:
        out = out + sep + part
    return out


def point(b: Batch, spec: ColumnSpec) -> AnyArray:
    """``(x,y)`` points."""
    return _pg_point(*_coordinates(b))


def line(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Infinite lines ``{A,B,C}`` (``Ax + By + C = 0``, A and B not both zero)."""
    a = b.rng.integers(-9, 10, b.n)
    c = b.rng.integers(-50, 51, b.n)
    bb = np.where(a == 0, b.rng.integers(1, 10, b.n), b.rng.integers(-9, 10, b.n))
    return "{" + to_text(a) + "," + to_text(bb) + "," + to_text(c) + "}"  # type: ignore[no-any-return]


def lseg(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Line segments ``[(x1,y1),(x2,y2)]``."""
    (x1, y1), (x2, y2) = _around(b, 2)
    return "[" + _pg_point(x1, y1) + "," + _pg_point(x2, y2) + "]"  # type: ignore[no-any-return]


def box(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Boxes ``(x2,y2),(x1,y1)``: the upper right corner first, as PostgreSQL writes them."""
    x, y = _coordinates(b, _LIMIT - 1)
    w, h = (np.round(b.rng.uniform(0.01, 1.0, b.n), 4) for _ in range(2))
    return _pg_point(x + w, y + h) + "," + _pg_point(x, y)  # type: ignore[no-any-return]


def path(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Paths of three to five points, open ``[...]`` or closed ``(...)``."""
    points = _join([_pg_point(x, y) for x, y in _around(b, 4)])
    closed = b.rng.random(b.n) < 0.5
    out: AnyArray = np.where(closed, "(" + points + ")", "[" + points + "]").astype(object)
    return out


def polygon(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Convex polygons of four corners ``((x1,y1),...)``."""
    return "(" + _join([_pg_point(x, y) for x, y in _around(b, 4)]) + ")"  # type: ignore[no-any-return]


def circle(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Circles ``<(x,y),r>`` with a positive radius."""
    radius = np.round(b.rng.uniform(0.01, 5.0, b.n), 4)
    return "<" + _pg_point(*_coordinates(b)) + "," + _text(radius, 4) + ">"  # type: ignore[no-any-return]


def _ring(b: Batch) -> ObjArray:
    corners = _around(b, 4)
    return "(" + _join([_wkt_point(x, y) for x, y in [*corners, corners[0]]]) + ")"  # type: ignore[no-any-return]


def _linestring(b: Batch) -> ObjArray:
    return "(" + _join([_wkt_point(x, y) for x, y in _around(b, 3)]) + ")"  # type: ignore[no-any-return]


_WKT: Mapping[str, Callable[[Batch], ObjArray]] = {
    "point": lambda b: "POINT(" + _wkt_point(*_coordinates(b)) + ")",
    "linestring": lambda b: "LINESTRING" + _linestring(b),
    "polygon": lambda b: "POLYGON(" + _ring(b) + ")",
    "multipoint": lambda b: (
        "MULTIPOINT(" + _join([_wkt_point(x, y) for x, y in _around(b, 3)]) + ")"
    ),
    "multilinestring": lambda b: "MULTILINESTRING(" + _linestring(b) + "," + _linestring(b) + ")",
    "multipolygon": lambda b: "MULTIPOLYGON((" + _ring(b) + "),(" + _ring(b) + "))",
    "geometrycollection": lambda b: (
        "GEOMETRYCOLLECTION(POINT("
        + _wkt_point(*_coordinates(b))
        + "),LINESTRING"
        + _linestring(b)
        + ")"
    ),
}
_ANY_GEOMETRY = (("point", 0.6), ("linestring", 0.2), ("polygon", 0.2))


def wkt(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Spatial values as WKT text of the column's geometry type (any type: mostly points)."""
    shape = spec.semantic.removeprefix("wkt_")
    if shape in _WKT:
        return _WKT[shape](b).astype(object)
    names = [n for n, _ in _ANY_GEOMETRY]
    pick = b.rng.choice(len(names), b.n, p=[w for _, w in _ANY_GEOMETRY])
    options = [_WKT[n](b) for n in names]
    return np.choose(pick, options).astype(object)


_RANGES = ("int4", "int8", "num", "date", "ts", "tstz")
GENERATORS: Mapping[str, Generator] = {
    **{f"{r}range": range_values for r in _RANGES},
    **{f"{r}multirange": multirange for r in _RANGES},
    "point": point,
    "line": line,
    "lseg": lseg,
    "box": box,
    "path": path,
    "polygon": polygon,
    "circle": circle,
    **{f"wkt_{shape}": wkt for shape in (*_WKT, "geometry")},
}
