"""Composite UNIQUE sets of values across chunks, without a global set of the tuples.

``UNIQUE (username, mail_host)``, ``(namespace_id, run_id)``, ``(customerNumber, checkNumber)``:
no key of the set to cut the table by (:mod:`syda.stream.layout`). Within a chunk the repair
loop keeps the set unique, as in memory; across chunks one column of the set, its *marker*,
never repeats a value of another chunk, so neither does the tuple:

* a text column takes the chunk mark of unique text (:mod:`syda.stream.uniques`:
  ``"Iron Harbor 07"``, ``"anna.lee.07@acme.com"``): values of two chunks differ in their mark;
* a UUID or byte column (``BINARY(20)``), or else an integer column, takes a keyed bijection of
  the row numbers onto its values (:mod:`syda.stream.keys_text`) or range: unique over the
  table on its own.

Text is preferred (the set's other columns keep their shape: a user's attributes stay that
user's), the longest first, and a column marking one set marks every set holding it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.plan import TablePlan
from syda.stream.keys_text import bijective, bijective_values
from syda.stream.mix import permute
from syda.stream.uniques import integer_domain, marked_text

__all__ = ["set_markers", "with_set_marks"]


def _candidates(tp: TablePlan, columns: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(column, how)`` of the set's columns that can mark it, best first.

    UUIDs and bytes first (a bijection leaves them looking as they did), then text, the
    longest first, then integers; ties in the set's order (its first column usually names
    the row: ``username`` before ``mail_host``).
    """
    fk_cols = {c for f in tp.foreign_keys for c in f.fk.columns}
    ranked = []
    for i, name in enumerate(columns):
        column = tp.table.column(name)
        if name not in tp.provider_columns or name in fk_cols or column.choices:
            continue
        if bijective(column):
            ranked.append(((0, 0, i), name, "bijection"))
        elif column.kind in ("string", "text") and not column.pattern:
            ranked.append(((1, -(column.length or 10**6), i), name, "text"))
        elif column.kind == "integer":
            ranked.append(((2, 0, i), name, "integer"))
    return [(name, how) for _, name, how in sorted(ranked)]


def _room(tp: TablePlan, name: str, rows: int) -> int:
    return integer_domain(tp.table.column(name), rows)[1]


def set_markers(
    tp: TablePlan, sets: Iterable[tuple[str, ...]], rows: int | None
) -> tuple[dict[str, str], list[str]]:
    """The marker of each of ``sets``, and the problems: the sets no column can mark.

    A marker is ``"bijection"``, ``"text"`` or ``"integer"`` (:mod:`syda.stream.unique_plan`
    adds ``"first_only"`` flags).

    ``rows`` (None: not known yet) bounds an integer marker's range.
    """
    markers: dict[str, str] = {}
    problems: list[str] = []
    for us in sets:
        if set(us) & set(markers):
            continue
        found = [
            (name, how)
            for name, how in _candidates(tp, us)
            if how == "text"
            or rows is None
            or integer_domain(tp.table.column(name), rows)[1] >= rows
        ]
        if found:
            markers[found[0][0]] = found[0][1]
        else:
            problems.append(
                f"unique ({', '.join(us)}) cannot be made across chunks yet (none of its "
                "columns is text, bytes, a UUID or an integer the engine fills)"
            )
    return markers, problems


def with_set_marks(
    tp: TablePlan,
    frame: pd.DataFrame,
    markers: Mapping[str, str],
    *,
    chunk: int,
    chunks: int,
    start: int,
    rows: int,
    seed: int,
) -> None:
    """Make the marker columns of ``frame`` (chunk ``chunk`` of ``chunks``) tell chunks apart.

    Raises:
        GenerationError: If cutting values to the column's length to fit the mark made two
            tuples of a set equal.
    """
    for name, how in markers.items():
        present = frame[name].notna().to_numpy()
        if how == "first_only":
            # At most one flagged row in the table (a partial unique index): the first row.
            first = (start + np.arange(len(frame))) == 0
            frame[name] = frame[name].mask(present, pd.Series(first, index=frame.index))
            continue
        if how == "bijection":
            frame[name] = bijective_values(tp, name, frame, start, rows, seed)
            continue
        if how == "integer":
            low, size = integer_domain(tp.table.column(name), rows)
            values = low + permute(
                start + np.arange(len(frame)), size, seed, f"{tp.table.key}.{name}"
            )
            series = pd.Series(values, index=frame.index)
            frame[name] = series if present.all() else series.astype("Int64").where(present)
            continue
        if chunks <= 1:
            continue  # one chunk: the repair loop's uniqueness is the table's
        mark = str(chunk).zfill(len(str(chunks - 1)))
        out = frame[name].astype(object).to_numpy(copy=True)
        given = frame[name][present]
        out[np.flatnonzero(present)] = marked_text(tp.table.column(name), given, mark)
        frame[name] = pd.Series(out, index=frame.index, dtype=object)
        _check_sets(tp, frame, name)


def _check_sets(tp: TablePlan, frame: pd.DataFrame, name: str) -> None:
    for us in tp.table.unique_sets:
        if name not in us or len(us) < 2:
            continue
        keys: Any = frame[list(us)]
        complete = keys.notna().all(axis=1)
        if keys[complete].astype(object).duplicated().any():
            raise GenerationError(
                f"values of {name} cut to the column's length to fit the chunk mark repeat a "
                f"({', '.join(us)}) tuple; lengthen the column or use fewer, larger chunks",
                table=tp.table.key,
                column=name,
                rule="unique",
            )
