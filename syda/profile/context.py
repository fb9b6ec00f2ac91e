"""What a column's draw can see: the batch's rows so far, and each row's parent rows.

A spec refers to another column of the row by name (``deal_type``) and to a parent's column
through the foreign key (``customer.segment``). A parent is named by its foreign-key column
without the ``_id`` suffix (``account_id`` -> ``account``), by the whole column name, or by the
parent table's key or SQL name where only one foreign key points at that table. A parent's
parent is named through the parent (``partsupp.part.p_retailprice``: the part of the line's
part-supplier), its rows looked up by the parent's foreign key in the grandparent's whole table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from syda.profile.spec import ColumnProfile, TableProfile
from syda.schema.ir import Column, Table

__all__ = ["DrawContext", "parent_aliases", "rows_by_key", "split_ref"]


@lru_cache(maxsize=512)
def parent_aliases(table: Table) -> Mapping[str, int]:
    """Every name a spec may use for a parent: alias -> index of the foreign key.

    Cached per table: every read of ``parent.col`` in a batch asks for it.
    """
    aliases: dict[str, int] = {}
    by_table: dict[str, list[int]] = {}
    for i, fk in enumerate(table.foreign_keys):
        by_table.setdefault(fk.ref_table, []).append(i)
        if len(fk.columns) == 1:
            col = fk.columns[0]
            aliases.setdefault(col, i)
            for suffix in ("_id", "id", "_key", "_code", "_no"):
                if col.lower().endswith(suffix) and len(col) > len(suffix):
                    aliases.setdefault(col[: -len(suffix)].rstrip("_"), i)
                    break
    for ref, indexes in by_table.items():
        if len(indexes) == 1:
            aliases.setdefault(ref, indexes[0])
            aliases.setdefault(ref.split(".")[-1], indexes[0])
            aliases.setdefault(ref.lower(), indexes[0])
    return MappingProxyType(aliases)


def split_ref(ref: str) -> tuple[str | None, str]:
    """``"customer.segment"`` -> ``("customer", "segment")``; ``"stage"`` -> ``(None, "stage")``.

    A grandparent's column keeps its whole path as the alias: ``("partsupp.part", "p_size")``.
    """
    alias, dot, name = ref.strip().rpartition(".")
    return (alias, name) if dot else (None, name)


def rows_by_key(
    rows: pd.DataFrame, columns: tuple[str, ...], table: pd.DataFrame, key: tuple[str, ...]
) -> pd.DataFrame:
    """The row of ``table`` whose ``key`` equals each row's ``columns`` (NULLs where none)."""
    out = table.reset_index(drop=True)
    if not len(out) or any(c not in rows for c in columns) or any(k not in out for k in key):
        return pd.DataFrame(index=pd.RangeIndex(len(rows)), columns=out.columns)
    index = pd.MultiIndex.from_frame(out[list(key)].astype(object))
    wanted = pd.MultiIndex.from_frame(rows[list(columns)].reset_index(drop=True).astype(object))
    first = ~index.duplicated()
    positions = index[first].get_indexer(wanted)
    taken = np.flatnonzero(first)[np.maximum(positions, 0)]
    found: pd.DataFrame = out.iloc[taken].reset_index(drop=True)
    if (positions < 0).any():
        found = found.astype(object)
        found.iloc[np.flatnonzero(positions < 0)] = None
    return found


@dataclass
class DrawContext:
    """One column's draw for one batch of rows.

    Attributes:
        table: The table.
        column: The column being drawn.
        spec: Its effective spec.
        semantic: What its values mean (the spec's ``semantic``, else inferred).
        n: Rows in the batch.
        rng: The batch's random generator.
        frame: The batch's columns decided so far (keys, foreign keys, earlier columns).
        parents: Parent rows aligned with the batch, by foreign-key index (NULL rows where the
            key is NULL).
        parent_tables: The parent's table of each foreign-key index (for column types).
        today: The reference date of relative dates.
        table_profile: The table's whole profile, for draws that read a table-level pattern
            (a series column reads its table's time axis).
        tables: Every table filled so far, by key: a parent's parent is looked up in them.
    """

    table: Table
    column: Column
    spec: ColumnProfile
    semantic: str
    n: int
    rng: np.random.Generator
    frame: pd.DataFrame
    parents: Mapping[int, pd.DataFrame] = field(default_factory=dict)
    parent_tables: Mapping[int, Table] = field(default_factory=dict)
    today: date = field(default_factory=date.today)
    table_profile: TableProfile | None = None
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    def has(self, ref: str) -> bool:
        """Whether ``ref`` names a column of the row, or of a parent, that is known."""
        try:
            self.value(ref)
        except KeyError:
            return False
        return True

    def value(self, ref: str) -> pd.Series[Any]:
        """The values of ``ref`` (``col`` or ``parent.col``) for the batch's rows.

        Raises:
            KeyError: If ``ref`` names no known column (yet).
        """
        alias, name = split_ref(ref)
        if alias is None:
            if name not in self.frame:
                raise KeyError(ref)
            return self.frame[name].reset_index(drop=True)
        rows = self.rows_of(alias)
        if rows is None or name not in rows:
            raise KeyError(ref)
        return rows[name].reset_index(drop=True)

    def rows_of(self, alias: str) -> pd.DataFrame | None:
        """The rows of the parent ``alias`` names (or of its parent: ``partsupp.part``)."""
        first, _, rest = alias.partition(".")
        index = parent_aliases(self.table).get(first)
        if index is None or index not in self.parents:
            return None
        rows = self.parents[index]
        if not rest:
            return rows
        parent = self.parent_tables.get(index)
        step = parent_aliases(parent).get(rest) if parent is not None else None
        if parent is None or step is None:
            return None  # a deeper path is not followed: name it through its own parent
        fk = parent.foreign_keys[step]
        whole = self.tables.get(fk.ref_table)
        if whole is None:
            return None
        return rows_by_key(rows, fk.columns, whole, fk.ref_columns)

    def require(self, ref: str, key: str, rule: str | None = None) -> pd.Series[Any]:
        """:meth:`value`, or a :class:`~syda.errors.GenerationError` naming the spec ``key``.

        Raises:
            GenerationError: If ``ref`` names no column known when this column is drawn.
        """
        try:
            return self.value(ref)
        except KeyError:
            from syda.errors import GenerationError

            raise GenerationError(
                f"{key}: {ref!r} names no column known when this column is drawn",
                table=self.table.key,
                column=self.column.name,
                rule=rule or key,
            ) from None

    def column_of(self, ref: str) -> Column | None:
        """The IR column ``ref`` names, if it is one of the table's or a parent's."""
        alias, name = split_ref(ref)
        if alias is None:
            return self.table.column(name) if self.table.has_column(name) else None
        index = parent_aliases(self.table).get(alias)  # a grandparent's column: None
        parent = self.parent_tables.get(index) if index is not None else None
        return parent.column(name) if parent is not None and parent.has_column(name) else None

    def sub(self, rows: np.ndarray[Any, Any], spec: ColumnProfile) -> DrawContext:
        """The same draw for a subset of the rows, with another spec (a case of ``by``)."""
        return DrawContext(
            table=self.table,
            column=self.column,
            spec=spec,
            semantic=spec.semantic or self.semantic,
            n=len(rows),
            rng=self.rng,
            frame=self.frame.iloc[rows].reset_index(drop=True),
            parents={i: p.iloc[rows].reset_index(drop=True) for i, p in self.parents.items()},
            parent_tables=self.parent_tables,
            today=self.today,
            table_profile=self.table_profile,
            tables=self.tables,
        )
