"""Inject labelled defects into clean, validated data; keep the manifest of every one.

:func:`make_dirty` works on a copy: the clean frames are returned untouched beside the dirty
ones, so the same seed gives the same clean data with or without defects. Every count is exact
(``round(share * rows)`` of the clean table), and the cells one column's defects hit are
distinct, so each manifest entry's ``clean`` value is the true one.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from syda.dirty import rows as row_defects
from syda.dirty.cells import MUTATORS, applies_to
from syda.dirty.rows import Defect, key_of
from syda.dirty.sources import conflicting_sources
from syda.dirty.spec import CellDefect, DirtySpec, load_dirty_spec
from syda.errors import SchemaError
from syda.schema.ir import Schema, Table

__all__ = ["MANIFEST_COLUMNS", "DirtyData", "make_dirty", "resolve"]

MANIFEST_COLUMNS = ("table", "row", "key", "column", "kind", "clean", "dirty", "detail")


@dataclass(frozen=True)
class DirtyData:
    """Clean and dirty tables, the other sources, and the manifest of every injected defect."""

    clean: dict[str, pd.DataFrame]
    frames: dict[str, pd.DataFrame]
    """The dirty tables, by table key."""
    manifest: pd.DataFrame
    """One row per changed cell (or added row): ``table, row, key, column, kind, clean, dirty,
    detail``; ``row`` is the position in the dirty table."""
    sources: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Per ``"Table@source"``: the entities another system holds, with its disagreements."""

    def counts(self) -> dict[tuple[str, str], int]:
        """Defects per (table, kind); a swap counts once per row, not per cell."""
        seen = self.manifest.drop_duplicates(["table", "row", "kind"])
        grouped = seen.groupby(["table", "kind"]).size()
        return {(str(i[0]), str(i[1])): int(n) for i, n in grouped.items()}  # type: ignore[index]


def make_dirty(
    schema: Schema,
    frames: Mapping[str, pd.DataFrame],
    spec: DirtySpec | dict[str, Any] | str,
    *,
    seed: int | None = 0,
) -> DirtyData:
    """Apply ``spec``'s defects to ``frames`` (clean, generated from ``schema``).

    Raises:
        SchemaError: If the spec names unknown tables or columns, a defect that does not fit
            its column (a typo in a number, an orphan of a column that is no foreign key, a
            swap without ``with``), or more defects than rows that can take them.
    """
    spec = load_dirty_spec(spec)
    tables = resolve(schema, spec)
    rng = np.random.default_rng([0 if seed is None else seed, zlib.crc32(b"dirty")])
    clean = {k: v for k, v in frames.items()}
    out = {k: v.copy() for k, v in frames.items()}
    defects: list[Defect] = []
    for table, defects_of in tables:
        injector = _Injector(rng, schema, table, clean, out)
        for column, kinds in defects_of.columns.items():
            for kind, cell in kinds.items():
                defects.extend(injector.cells(column, kind, cell))
        for kind, rows in defects_of.rows.items():
            defects.extend(injector.rows(kind, rows.share))
    sources: dict[str, pd.DataFrame] = {}
    for key, conflict in spec.conflicts.items():
        table = _table(schema, key)
        made, found = conflicting_sources(rng, table, clean[table.key], conflict)
        sources.update(made)
        defects.extend(found)
    return DirtyData(clean=clean, frames=out, manifest=_manifest(defects), sources=sources)


def _manifest(defects: list[Defect]) -> pd.DataFrame:
    # Values as they were: a column of ints and floats inferred as float64 would show an
    # integer key's clean value 33 as 33.0.
    return pd.DataFrame(
        {
            name: pd.Series([getattr(d, name) for d in defects], dtype=object)
            for name in MANIFEST_COLUMNS
        }
    ).astype({"row": "int64"})


def resolve(schema: Schema, spec: DirtySpec) -> list[tuple[Table, Any]]:
    """The spec's tables in schema order, with their defects; every misfit raised at once.

    Raises:
        SchemaError: If a table or column is unknown or a defect does not fit its column.
    """
    problems: list[str] = []
    resolved = []
    for key, defects_of in spec.tables.items():
        try:
            table = _table(schema, key)
        except SchemaError as error:
            problems.extend(error.problems)
            continue
        names = {c.name for c in table.columns}
        for column, kinds in defects_of.columns.items():
            if column not in names:
                problems.append(f"dirty-data spec: {table.key} has no column {column!r}")
                continue
            for kind, cell in kinds.items():
                problems.extend(_misfits(table, column, kind, cell))
        resolved.append((table, defects_of))
    for key in spec.conflicts:
        try:
            _table(schema, key)
        except SchemaError as error:
            problems.extend(error.problems)
    if problems:
        raise SchemaError(problems, subject="the dirty-data spec")
    order = {t.key: i for i, t in enumerate(schema)}
    return sorted(resolved, key=lambda item: order[item[0].key])


def _table(schema: Schema, key: str) -> Table:
    for table in schema:
        if key in (table.key, table.name):
            return table
    raise SchemaError([f"dirty-data spec: the schema has no table {key!r}"])


def _misfits(table: Table, column: str, kind: str, cell: CellDefect) -> list[str]:
    where = f"{table.key}.{column}"
    col = next(c for c in table.columns if c.name == column)
    try:
        applies_to(kind, col.kind, where)
    except SchemaError as error:
        return list(error.problems)
    fk = any(column in k.columns for k in table.foreign_keys)
    if kind in ("orphan", "cardinality") and not fk:
        return [f"dirty-data spec {where}: {kind} needs a foreign-key column"]
    if kind == "swap" and cell.with_ not in {c.name for c in table.columns} - {column}:
        return [f"dirty-data spec {where}: swap needs `with: <another column of {table.key}>`"]
    return []


class _Injector:
    """The defects of one table, applied in the order the spec lists them."""

    def __init__(
        self,
        rng: np.random.Generator,
        schema: Schema,
        table: Table,
        clean: Mapping[str, pd.DataFrame],
        out: dict[str, pd.DataFrame],
    ) -> None:
        self.rng, self.schema, self.table = rng, schema, table
        self.clean, self.out = clean[table.key], out
        self.used: dict[str, set[int]] = {}

    @property
    def frame(self) -> pd.DataFrame:
        return self.out[self.table.key]

    def cells(self, column: str, kind: str, cell: CellDefect) -> list[Defect]:
        count = round(cell.share * len(self.clean))
        target = None
        if kind == "cardinality":
            target = row_defects.crowded_parent(self.rng, self.clean, column)
        pool = self._pool(column, kind, cell, target)
        picks = self._pick(column, kind, count, pool)
        self.frame[column] = self.frame[column].astype(object)
        if kind == "orphan":
            return row_defects.orphans(self.table, self.frame, column, picks, self._parent(column))
        if kind == "cardinality":
            return row_defects.overloaded(self.table, self.frame, column, picks, target)
        if kind == "swap":
            assert cell.with_ is not None
            self.used.setdefault(cell.with_, set()).update(picks)
            self.frame[cell.with_] = self.frame[cell.with_].astype(object)
            return row_defects.swapped(self.table, self.frame, column, cell.with_, picks)
        return self._mutate(column, kind, cell, picks)

    def rows(self, kind: str, share: float) -> list[Defect]:
        count = round(share * len(self.clean))
        picks = sorted(self.rng.choice(len(self.clean), count, replace=False).tolist())
        if kind == "duplicate":
            frame, made = row_defects.duplicates(self.table, self.frame, picks)
        else:
            frame, made = row_defects.near_duplicates(self.rng, self.table, self.frame, picks)
        self.out[self.table.key] = frame
        return made

    def _mutate(self, column: str, kind: str, cell: CellDefect, picks: list[int]) -> list[Defect]:
        col = next(c for c in self.table.columns if c.name == column)
        params = {"tokens": cell.tokens, "factor": cell.factor, "semantic": col.semantic or column}
        if kind == "outlier":
            params["median"] = float(pd.to_numeric(self.clean[column], errors="coerce").median())
        before = [self.frame.at[r, column] for r in picks]
        after = MUTATORS[kind](self.rng, before, params)
        detail = f"where {cell.when}" if cell.when else ""
        made = []
        for row, old, new in zip(picks, before, after, strict=True):
            self.frame.at[row, column] = new
            key = key_of(self.table, self.frame, row)
            made.append(Defect(self.table.key, row, key, column, kind, old, new, detail))
        return made

    def _pool(self, column: str, kind: str, cell: CellDefect, target: Any) -> np.ndarray[Any, Any]:
        values = self.clean[column]
        ok = values.notna().to_numpy().copy()
        if kind == "swap" and cell.with_:
            ok &= self.clean[cell.with_].notna().to_numpy()
            ok &= ~np.isin(np.arange(len(values)), list(self.used.get(cell.with_, ())))
        if kind == "missing" and cell.when:
            ok &= _condition(self.clean, cell.when, f"{self.table.key}.{column}")
        if kind == "cardinality":
            ok &= (values != target).to_numpy()
        check = _POOL_CHECKS.get(kind)
        if check is not None:
            ok &= values.map(check).fillna(False).astype(bool).to_numpy()
        used = list(self.used.get(column, ()))
        ok &= ~np.isin(np.arange(len(values)), used)
        return np.flatnonzero(ok)

    def _pick(self, column: str, kind: str, count: int, pool: np.ndarray[Any, Any]) -> list[int]:
        if count > len(pool):
            raise SchemaError(
                [
                    f"dirty-data spec {self.table.key}.{column}: {count} {kind} defects asked, "
                    f"but only {len(pool)} rows can take one (lower its share)"
                ]
            )
        picks = sorted(self.rng.choice(pool, count, replace=False).tolist())
        self.used.setdefault(column, set()).update(picks)
        return picks

    def _parent(self, column: str) -> pd.Series:
        fk = next(k for k in self.table.foreign_keys if column in k.columns)
        ref = fk.ref_columns[fk.columns.index(column)]
        # The parent as it now stands (its near-duplicates' new keys too): no orphan may match.
        parent = self.out.get(fk.ref_table)
        return parent[ref] if parent is not None else pd.Series([], dtype="int64")


def _has_letters(value: Any) -> bool:
    return isinstance(value, str) and any(ch.isalpha() for ch in value)


def _long_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 2


def _formattable(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    digits = sum(ch.isdigit() for ch in value)
    return digits >= 7 or len(value.split()) >= 2


_POOL_CHECKS: dict[str, Callable[[Any], bool]] = {
    "typo": _long_text,
    "case": _has_letters,
    "whitespace": lambda v: isinstance(v, str),
    "format": _formattable,
}


def _condition(frame: pd.DataFrame, text: str, where: str) -> np.ndarray[Any, Any]:
    import duckdb

    con = duckdb.connect()
    try:
        con.register("t", frame)
        result = con.execute(f"SELECT coalesce(({text}), false) AS ok FROM t").fetchnumpy()
    except duckdb.Error as error:
        raise SchemaError([f"dirty-data spec {where}: when {text!r}: {error}"]) from None
    finally:
        con.close()
    return np.asarray(result["ok"], dtype=bool)
