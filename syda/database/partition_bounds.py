"""PostgreSQL partition bounds, read and turned into conditions every generated row meets.

``pg_get_expr(relpartbound)`` writes a partition's bound (``FOR VALUES FROM (...) TO (...)``,
``IN (...)``, ``WITH (MODULUS m, REMAINDER r)``, ``DEFAULT``); :func:`parse_bound` splits it into
literals, and the region functions turn the bounds of a table's partitions into a
:class:`Region`: conditions joined by AND that surely route a row to some partition (the longest
run of ranges that follow each other, a list's values) and the key columns that must not be
NULL. :func:`bind_region` writes it onto the partitioned table as a CHECK, which the schema
adapter folds into column facts. :mod:`syda.database.reflect_partitions` walks the partition
tree and uses these.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa

__all__ = [
    "ANYWHERE",
    "Bound",
    "BoundWriter",
    "Region",
    "all_remainders",
    "bind_region",
    "list_region",
    "parse_bound",
    "range_region",
]

_TOKEN = re.compile(r"'(?:[^']|'')*'|[(),]|[^\s(),]+")


@dataclass(frozen=True)
class Bound:
    """A partition's bound as ``pg_get_expr(relpartbound)`` writes it, split into literals."""

    kind: Literal["default", "list", "range", "hash"]
    values: tuple[str, ...] = ()
    upper: tuple[str, ...] = ()
    """For ``range``: ``values`` is the lower (inclusive) bound, this the upper (exclusive)."""


@dataclass(frozen=True)
class Region:
    """Values that surely route somewhere below a table: conditions joined by AND."""

    conditions: tuple[str, ...] = ()
    not_null: frozenset[str] = frozenset()

    def join(self, other: Region) -> Region:
        """Values in both regions."""
        return Region(
            tuple(dict.fromkeys(self.conditions + other.conditions)),
            self.not_null | other.not_null,
        )


ANYWHERE = Region()


def parse_bound(text: str | None) -> Bound | None:
    """Read ``FOR VALUES IN (...)`` / ``FROM (...) TO (...)`` / ``WITH (...)`` / ``DEFAULT``."""
    if text is None:
        return None
    tokens = _TOKEN.findall(text)
    words = [t.upper() for t in tokens if not t.startswith("'")]
    if words == ["DEFAULT"]:
        return Bound("default")
    groups: list[tuple[str, ...]] = []
    item: list[str] = []
    current: list[str] | None = None
    for token in tokens:
        if token == "(":
            current, item = [], []
        elif token in (",", ")") and current is not None:
            current.append(" ".join(item))
            item = []
            if token == ")":
                groups.append(tuple(current))
                current = None
        elif current is not None:
            item.append(token)
    if "IN" in words and groups:
        return Bound("list", groups[0])
    if "FROM" in words and len(groups) == 2:
        return Bound("range", groups[0], groups[1])
    return Bound("hash", groups[0]) if "WITH" in words and groups else None


@dataclass(frozen=True)
class BoundWriter:
    """Writes conditions on the partitioned table's columns."""

    quote: Callable[[str], str]
    table: sa.Table

    def upper(self, column: str, literal: str, inclusive: bool) -> str:
        """``column < literal`` (``<=``), a timestamp's strict bound as its last whole second.

        A strict bound on a timestamp has no exact inclusive form among syda's column bounds
        (fractional days): the second before it has, and syda draws whole seconds.
        """
        name = self.quote(column)
        if inclusive or not isinstance(self.table.c[column].type, sa.DateTime):
            return f"{name} {'<=' if inclusive else '<'} {literal}"
        try:
            moment = datetime.fromisoformat(_utc_offset(literal.strip("'")))
        except ValueError:
            return f"{name} < {literal}"
        last = (moment - timedelta(seconds=1)).replace(microsecond=0)
        return f"{name} <= '{last.isoformat(sep=' ')}'"


def _utc_offset(text: str) -> str:
    # PostgreSQL writes "+00"; fromisoformat of Python 3.10 wants "+00:00".
    return re.sub(r"([+-]\d\d)$", r"\1:00", text)


def all_remainders(known: Sequence[tuple[Any, Bound, Region]]) -> bool:
    """True when the hash partitions' (modulus, remainder) pairs cover every remainder."""
    pairs = []
    for _, bound, _ in known:
        numbers = dict(item.split() for item in bound.values if len(item.split()) == 2)
        pairs.append((int(numbers.get("modulus", 0)), int(numbers.get("remainder", 0))))
    if not pairs or any(m <= 0 for m, _ in pairs):
        return False
    whole = math.lcm(*(m for m, _ in pairs))
    covered = {r + k * m for m, r in pairs for k in range(whole // m)}
    return len(covered) == whole


def list_region(
    column: str, groups: Mapping[Region, list[Bound]], quote: Callable[[str], str]
) -> Region:
    """The list key's values of the group (by sub-region) that lists most of them."""

    def values(bounds: list[Bound]) -> list[str]:
        return list(dict.fromkeys(v for b in bounds for v in b.values))

    region, bounds = max(groups.items(), key=lambda g: len(values(g[1])))
    listed = values(bounds)
    plain = [v for v in listed if v.upper() != "NULL"]
    name = quote(column)
    if not plain:
        return region.join(Region((f"{name} IS NULL",)))
    own = Region(
        (f"{name} IN ({', '.join(plain)})",),
        frozenset() if len(plain) < len(listed) else frozenset({column}),
    )
    return region.join(own)


def range_region(
    columns: tuple[str, ...], groups: Mapping[Region, list[Bound]], write: BoundWriter
) -> Region:
    """The bounds of the longest run of ranges that follow each other, as column bounds."""
    best: tuple[Region, list[Bound]] | None = None
    for region, bounds in groups.items():
        for chain in _chains(bounds):
            if best is None or len(chain) > len(best[1]):
                best = (region, chain)
    assert best is not None  # every group has a bound, so a chain
    region, chain = best
    own = Region(
        tuple(_range_conditions(columns, chain[0].values, chain[-1].upper, write)),
        frozenset(columns),  # a NULL key falls in no range
    )
    return region.join(own)


def _chains(bounds: list[Bound]) -> list[list[Bound]]:
    """Runs of ranges where each ends where the next begins, in their order."""
    starts = {b.values: b for b in bounds}
    ends = {b.upper for b in bounds}
    chains = []
    for first in bounds:
        if first.values in ends:
            continue
        chain = [first]
        while chain[-1].upper in starts and len(chain) <= len(bounds):
            chain.append(starts[chain[-1].upper])
        chains.append(chain)
    return chains or [bounds[:1]]


def _range_conditions(
    columns: tuple[str, ...], lower: tuple[str, ...], upper: tuple[str, ...], write: BoundWriter
) -> list[str]:
    """``(a, b) >= lower AND (a, b) < upper`` as bounds on single columns that imply it.

    Row comparison is lexicographic: while the bounds agree on a column it is that value; on the
    first column where they differ, values strictly between them route whatever follows (the
    ends too, when what follows is MINVALUE on the lower side or MAXVALUE on the upper side).
    """
    conditions: list[str] = []
    for i, column in enumerate(columns):
        low, high, name = lower[i], upper[i], write.quote(column)
        if low == high and low.upper() not in ("MINVALUE", "MAXVALUE"):
            conditions += [f"{name} >= {low}", f"{name} <= {low}"]  # bounds, not one value
            continue
        if low.upper() != "MINVALUE":
            inclusive = all(v.upper() == "MINVALUE" for v in lower[i + 1 :])
            conditions.append(f"{name} {'>=' if inclusive else '>'} {low}")
        if high.upper() != "MAXVALUE":
            rest = upper[i + 1 :]
            inclusive = bool(rest) and all(v.upper() == "MAXVALUE" for v in rest)
            conditions.append(write.upper(column, high, inclusive))
        break
    return conditions


def bind_region(table: sa.Table, region: Region) -> None:
    """Write ``region`` on ``table``: NOT NULL key columns and one CHECK of its conditions."""
    for column in region.not_null:
        table.c[column].nullable = False
    if region.conditions:
        table.append_constraint(sa.CheckConstraint(" AND ".join(region.conditions)))
