"""Earlier events drawn where their bounded followers can follow them.

A date that follows another (``after: rental.rental_date``) is the earlier value plus a gap,
inside its own bounds. When those bounds are narrow (pagila's partitioned ``payment`` takes
only January to July 2022) and the earlier column is drawn over its default range (rentals of
the last two years), almost no follower can follow: each is pinned to its bound and the order
breaks. So an earlier date with no range of its own is given the window of its followers that
are bounded on both sides and end before today (the earlier event's default range, up to
today, serves the others), moved back by their shortest gap (every follower's window at once,
where several follow it): then no follower falls below its window, and one that would pass its
end is drawn again between its earlier event and the end. Followers of followers are seen to
in turn, so a chain of events narrows back to its first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from syda.profile.context import parent_aliases, split_ref
from syda.profile.spec import ColumnProfile, Gap, Profile, TableProfile
from syda.profile.timeline import DAY, column_bounds, read_bound
from syda.schema.ir import Schema, Table

__all__ = ["narrow_leaders"]

_UNIT_SECONDS = {
    "seconds": 1, "minutes": 60, "hours": 3600, "days": DAY, "weeks": 7 * DAY,
    "years": 36525 * DAY // 100,
}  # fmt: skip
_DATES = ("date", "datetime")
_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class _Window:
    """Inclusive bounds in seconds since 1970 (either may be open)."""

    low: int | None
    high: int | None

    def within(self, other: _Window) -> _Window:
        lows = [v for v in (self.low, other.low) if v is not None]
        highs = [v for v in (self.high, other.high) if v is not None]
        return _Window(max(lows) if lows else None, min(highs) if highs else None)

    @property
    def empty(self) -> bool:
        return self.low is not None and self.high is not None and self.low > self.high


def narrow_leaders(schema: Schema, profile: Profile) -> Profile:
    """``profile`` with a ``min``/``max`` on each unbounded earlier date of a bounded follower."""
    ours: set[tuple[str, str]] = set()
    for _ in range(len(schema)):
        windows = _leader_windows(schema, profile)
        changed = False
        tables = dict(profile.tables)
        for (key, column), window in windows.items():
            spec = tables.get(key, TableProfile()).columns.get(column, ColumnProfile())
            if (key, column) not in ours and (spec.min is not None or spec.max is not None):
                continue  # a range someone wrote down stands
            kind = schema.table(key).column(column).kind
            update = {"min": _shown(window.low, kind), "max": _shown(window.high, kind)}
            if {k: getattr(spec, k) for k in update} == update:
                continue
            table = tables.get(key, TableProfile())
            columns = {**table.columns, column: spec.model_copy(update=update)}
            tables[key] = table.model_copy(update={"columns": columns})
            ours.add((key, column))
            changed = True
        profile = Profile(tables=tables)
        if not changed:
            break
    return profile


def _leader_windows(schema: Schema, profile: Profile) -> dict[tuple[str, str], _Window]:
    """Where each earlier date of a bounded follower must fall, by (table key, column)."""
    windows: dict[tuple[str, str], _Window] = {}
    now = int((datetime.now(timezone.utc).replace(tzinfo=None) - _EPOCH).total_seconds())
    for table in schema:
        for name, spec in profile.tables.get(table.key, TableProfile()).columns.items():
            if spec.after is None or not table.has_column(name):
                continue
            column = table.column(name)
            if column.kind not in _DATES:
                continue
            own = _spec_window(table, name, spec)
            leader = _leader(schema, table, spec.after)
            if own is None or own.low is None or own.high is None or leader is None:
                continue
            if own.high >= now:
                continue  # a window reaching today takes the earlier event's default range
            least = _least_gap(spec.gap)
            window = _Window(
                None if own.low is None else own.low - least,
                None if own.high is None else own.high - least,
            )
            lt, lc = leader
            window = window.within(_column_window(lt, lc))
            key = (lt.key, lc)
            window = window if key not in windows else window.within(windows[key])
            if not window.empty:
                windows[key] = window
    return windows


def _spec_window(table: Table, name: str, spec: ColumnProfile) -> _Window | None:
    """The follower's own bounds in seconds, or None when it has none."""
    column = table.column(name)
    window = _column_window(table, name)
    scale = DAY if column.kind == "date" else 1
    low = read_bound(spec.min, column.kind, upper=False) * scale if spec.min is not None else None
    high = None
    if spec.max is not None:
        high = read_bound(spec.max, column.kind, upper=True)
        high = (high + 1) * DAY - 1 if column.kind == "date" else high
    window = window.within(_Window(low, high))
    return None if window.low is None and window.high is None else window


def _column_window(table: Table, name: str) -> _Window:
    column = table.column(name)
    low, high = column_bounds(column)
    if column.kind == "date":
        return _Window(
            None if low is None else low * DAY, None if high is None else (high + 1) * DAY - 1
        )
    return _Window(low, high)


def _leader(schema: Schema, table: Table, ref: str) -> tuple[Table, str] | None:
    alias, name = split_ref(ref)
    if alias is None:
        owner = table
    else:
        index = parent_aliases(table).get(alias)
        if index is None or table.foreign_keys[index].ref_table not in schema:
            return None
        owner = schema.table(table.foreign_keys[index].ref_table)
    if not owner.has_column(name) or owner.column(name).kind not in _DATES:
        return None
    return owner, name


def _least_gap(gap: Gap | None) -> int:
    """The shortest gap ``gap`` draws, in seconds (0 when its distribution has no floor)."""
    if gap is None:
        return 0
    low = getattr(gap.distribution, "low", None)
    if gap.distribution.kind == "normal":
        low = gap.distribution.mean - 2 * gap.distribution.sd
    return math.ceil(max(low or 0.0, 0.0) * _UNIT_SECONDS[gap.unit])


def _shown(seconds: int | None, kind: str) -> str | None:
    if seconds is None:
        return None
    moment = _EPOCH + timedelta(seconds=seconds)
    return moment.date().isoformat() if kind == "date" else moment.isoformat()
