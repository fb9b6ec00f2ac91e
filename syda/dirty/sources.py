"""Multi-source conflicts: the same entities held by other systems, some values disagreeing.

Each source holds a share of the table's entities under their true keys (the ground truth of a
match) plus a ``_source`` column; in a share of its rows one value differs from the truth, as
they do between real systems: name variants most often ("John Smith" / "J. Smith" /
"Smith, John"), then measures (an amount a few percent off), then dates (days apart), then
anything else (case, spacing).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from syda.dirty.cells import MUTATORS
from syda.dirty.rows import Defect, key_of
from syda.dirty.spec import ConflictSpec
from syda.schema.ir import Column, Table

__all__ = ["SOURCE_COLUMN", "conflicting_sources"]

SOURCE_COLUMN = "_source"
# How often each sort of disagreement is seen between systems holding the same entities.
_WEIGHTS = {"name variant": 0.4, "measure": 0.3, "date": 0.2, "other": 0.1}


def conflicting_sources(
    rng: np.random.Generator, table: Table, frame: pd.DataFrame, spec: ConflictSpec
) -> tuple[dict[str, pd.DataFrame], list[Defect]]:
    """One frame per source (keyed ``"Table@source"``) and a defect per disagreeing value."""
    groups = _columns_by_sort(table)
    sorts = [s for s in _WEIGHTS if groups[s]]
    weights = np.array([_WEIGHTS[s] for s in sorts])
    out: dict[str, pd.DataFrame] = {}
    defects: list[Defect] = []
    for name in spec.sources:
        held = np.sort(rng.choice(len(frame), round(spec.share * len(frame)), replace=False))
        copy = frame.iloc[held].reset_index(drop=True).astype(object)
        copy.insert(len(copy.columns), SOURCE_COLUMN, name)
        label = f"{table.key}@{name}"
        if sorts:
            wrong = np.sort(rng.choice(len(copy), round(spec.conflict * len(copy)), replace=False))
            for row in wrong:
                sort = sorts[int(rng.choice(len(sorts), p=weights / weights.sum()))]
                defects.extend(_disagree(rng, table, copy, int(row), sort, groups[sort], label))
        out[label] = copy
    return out, defects


def _columns_by_sort(table: Table) -> dict[str, list[Column]]:
    keys = set(table.primary_key) | {c for fk in table.foreign_keys for c in fk.columns}
    free = [c for c in table.columns if c.name not in keys]
    names = [c for c in free if c.kind == "string" and "name" in c.name.lower()]
    return {
        "name variant": names,
        "measure": [c for c in free if c.kind in ("integer", "float", "decimal")],
        "date": [c for c in free if c.kind in ("date", "datetime")],
        "other": [c for c in free if c.kind in ("string", "text") and c not in names],
    }


def _disagree(
    rng: np.random.Generator,
    table: Table,
    frame: pd.DataFrame,
    row: int,
    sort: str,
    columns: list[Column],
    label: str,
) -> list[Defect]:
    candidates = [c for c in columns if not _blank(frame.at[row, c.name])]
    if not candidates:
        return []
    column = candidates[int(rng.integers(0, len(candidates)))]
    clean = frame.at[row, column.name]
    dirty = _changed(rng, sort, clean)
    if dirty == clean:
        return []
    frame.at[row, column.name] = dirty
    key = key_of(table, frame, row)
    return [Defect(label, row, key, column.name, "conflict", clean, dirty, sort)]


# What a company's name carries or loses between systems ("Brown PLC" / "Brown").
_LEGAL_SUFFIXES = ("Inc", "LLC", "Ltd", "PLC", "Group", "GmbH", "Corp", "Co")


def _name_variant(rng: np.random.Generator, name: str) -> str:
    """Another system's spelling of the same name: a company's or a person's."""
    parts = name.split()
    if len(parts) >= 2 and parts[-1].rstrip(".") in _LEGAL_SUFFIXES:
        return " ".join(parts[:-1])  # the legal form left out
    if " and " in name:
        return name.replace(" and ", " & ")
    if len(parts) == 2 and "-" not in name and "," not in name:
        first, last = parts  # a person: "J. Smith" or "Smith, John"
        return f"{first[0]}. {last}" if rng.random() < 0.5 else f"{last}, {first}"
    return str(MUTATORS["typo"](rng, [name], {})[0])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT


def _changed(rng: np.random.Generator, sort: str, clean: Any) -> Any:
    if sort == "name variant":
        return _name_variant(rng, str(clean))
    if sort == "measure":
        off = float(rng.uniform(0.01, 0.2)) * (1 if rng.random() < 0.5 else -1)
        if isinstance(clean, (int, np.integer)):
            return int(clean) + max(1, round(abs(int(clean)) * abs(off))) * int(np.sign(off))
        return round(float(clean) * (1 + off), 2)
    if sort == "date":
        days = int(rng.integers(1, 31)) * (1 if rng.random() < 0.5 else -1)
        moved = pd.Timestamp(clean) + pd.Timedelta(days=days)
        is_day = isinstance(clean, dt.date) and not isinstance(clean, dt.datetime)
        return moved.date() if is_day else moved
    kind = "case" if rng.random() < 0.5 else "whitespace"
    return MUTATORS[kind](rng, [clean], {})[0]
