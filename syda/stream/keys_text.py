"""Primary keys that are not integers (codes, UUIDs, byte ids), made from the row's position.

A key column of text, a UUID or bytes takes ``format(permute(position))``: a keyed bijection of
the position (:func:`syda.stream.mix.permute`) spelled in the column's format at a fixed width.
Two rows never share a key (the bijection), and a child computes its parent's key from the
parent position it drew, so no chunk stores or looks up another's keys:

* text (``CHAR(5)``, ``VARCHAR(20)``, ``TEXT``): upper-case letters (``QJXKA``), with digits
  added when letters alone have too few values for the rows; ``CHAR(n)`` fills its whole
  width, other text takes at most 8 characters (and at least the column's minimum length);
* UUIDs: version-4 UUIDs, the position's bijection in 60 of the 122 random bits;
* bytes (``BINARY(20)``, ``bytea`` of a fixed length): bytes 1..255 (no NUL, which some
  databases pad with), the bijection in the first eight and a hash of the position after.

A unique UUID or byte column that is not a key (``subscribers.uuid``, a ``BINARY(20)``
``host_id``) is made the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from syda.plan import ForeignKeyPlan, TablePlan
from syda.schema.ir import Column
from syda.stream.mix import permute

if TYPE_CHECKING:
    from syda.stream.layout import StreamPlan

__all__ = [
    "bijective",
    "bijective_columns",
    "bijective_values",
    "foreign_key_values",
    "is_position_key",
    "key_format",
    "key_problems",
    "key_values",
    "parent_key_values",
    "with_bijective_uniques",
]

IntArray = np.ndarray[Any, np.dtype[np.int64]]
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALNUM = _LETTERS + "0123456789"
_MAX_DOMAIN = 1 << 60  # what a uint64 Feistel network over whole halves always covers
_SHORT_TEXT = 8  # characters of a text key without a fixed width (26**8: 2e11 values)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8).astype(np.uint32)


@dataclass(frozen=True)
class KeyFormat:
    """How a position is spelled: ``core`` digits of the bijection, then ``fill`` hashed ones."""

    kind: str  # "text", "bytes" or "uuid"
    alphabet: str = ""
    core: int = 0
    fill: int = 0

    @property
    def base(self) -> int:
        return 255 if self.kind == "bytes" else len(self.alphabet)

    @property
    def domain(self) -> int:
        """Distinct values the format can spell."""
        if self.kind == "uuid":
            return _MAX_DOMAIN
        return int(min(self.base**self.core, _MAX_DOMAIN))


def _is_uuid(column: Column) -> bool:
    return column.kind == "uuid" or column.semantic == "uuid"


def key_format(column: Column, rows: int) -> KeyFormat | None:
    """The format of ``column``'s keys over ``rows`` rows; None where it has none."""
    if _is_uuid(column):
        return KeyFormat("uuid")
    if column.pattern or column.choices:
        return None  # values must match a pattern or a list: no bijection to spell them
    if column.kind == "binary":
        width = column.length or 16
        width = max(width if column.min_length is None else max(width, column.min_length), 1)
        return KeyFormat("bytes", core=min(width, 8), fill=max(width - 8, 0))
    if column.kind not in ("string", "text"):
        return None
    fixed = (column.sql_type or "").upper().startswith(("CHAR", "NCHAR", "BPCHAR", "CHARACTER("))
    width = column.length if fixed and column.length else min(column.length or 99, _SHORT_TEXT)
    width = max(width, column.min_length or 1)
    alphabet = _LETTERS if len(_LETTERS) ** min(width, 12) >= rows else _ALNUM
    return KeyFormat("text", alphabet, core=min(width, 12), fill=max(width - 12, 0))


def key_problems(tp: TablePlan, rows: int | None) -> list[str]:
    """Why the non-integer key columns of ``tp`` cannot be made by position (empty: they can)."""
    out = []
    for col, src in tp.sources.items():
        if src.kind != "key":
            continue
        column = tp.table.column(col)
        fmt = key_format(column, rows or 0)
        if fmt is None:
            what = "a pattern or a list of values" if column.pattern or column.choices else None
            out.append(
                f"primary key {col} of type {column.sql_type or column.kind} with "
                f"{what or 'no format made by position'} (keys are positions)"
            )
        elif rows is not None and fmt.domain < rows:
            out.append(f"primary key {col} has {fmt.domain} values of its width for {rows} rows")
    return out


def _mix(x: np.ndarray[Any, Any], salt: int) -> np.ndarray[Any, Any]:
    """A splitmix64 finaliser of ``x`` (uint64): hashed filler, the same everywhere."""
    z = x + np.uint64((0x9E3779B97F4A7C15 * (salt + 1)) & 0xFFFFFFFFFFFFFFFF)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _digits(values: np.ndarray[Any, Any], base: int, width: int) -> np.ndarray[Any, Any]:
    """``width`` base-``base`` digits of each value, most significant first."""
    out = np.empty((len(values), width), dtype=np.int64)
    rest = values.astype(np.uint64)
    for i in range(width - 1, -1, -1):
        out[:, i] = (rest % np.uint64(base)).astype(np.int64)
        rest = rest // np.uint64(base)
    return out


def _spell(fmt: KeyFormat, p: np.ndarray[Any, Any], positions: IntArray) -> Any:
    digits = _digits(p, fmt.base, fmt.core)
    if fmt.fill:
        hashed = _mix(positions.astype(np.uint64), fmt.core)
        filler = [_digits(_mix(hashed, i), fmt.base, 1) for i in range(fmt.fill)]
        digits = np.hstack([digits, *filler])
    if fmt.kind == "bytes":
        raw = np.ascontiguousarray((digits + 1).astype(np.uint8))
        return raw.view(f"S{raw.shape[1]}").ravel().astype(object)
    codes = np.frombuffer(fmt.alphabet.encode(), dtype=np.uint8).astype(np.uint32)
    matrix = np.ascontiguousarray(codes[digits])
    return matrix.view(f"<U{matrix.shape[1]}").ravel().astype(object)


def _uuids(p: np.ndarray[Any, Any], positions: IntArray) -> Any:
    # 60 bits of the bijection around the version nibble, the variant and a hash after it.
    p = p.astype(np.uint64)
    hi = ((p >> np.uint64(12)) << np.uint64(16)) | np.uint64(0x4000) | (p & np.uint64(0xFFF))
    lo = _mix(positions.astype(np.uint64), 0) & np.uint64(0x3FFFFFFFFFFFFFFF)
    lo |= np.uint64(0x8000000000000000)
    raw = np.stack([hi, lo], axis=1).astype(">u8").view(np.uint8).reshape(len(p), 16)
    digits = np.empty((len(p), 32), dtype=np.uint32)
    digits[:, 0::2] = _HEX[raw >> 4]
    digits[:, 1::2] = _HEX[raw & 0x0F]
    dash = np.full((len(p), 1), ord("-"), dtype=np.uint32)
    parts = [digits[:, 0:8], dash, digits[:, 8:12], dash, digits[:, 12:16], dash,
             digits[:, 16:20], dash, digits[:, 20:32]]  # fmt: skip
    return np.ascontiguousarray(np.hstack(parts)).view("<U36").ravel().astype(object)


def key_values(seed: int, table: str, column: Column, rows: int, positions: IntArray) -> Any:
    """The keys of the rows at ``positions`` (each in ``[0, rows)``) of ``table.column``."""
    fmt = key_format(column, rows)
    assert fmt is not None  # the layout refuses a key without a format
    positions = np.asarray(positions, dtype=np.int64)
    # A bijection onto the whole format scatters the keys (QJXKA, not AAAAB).
    p = permute(positions, fmt.domain, seed, f"{table}.{column.name}.key")
    return _uuids(p, positions) if fmt.kind == "uuid" else _spell(fmt, p, positions)


def parent_key_values(splan: StreamPlan, fkp: ForeignKeyPlan, positions: IntArray) -> Any:
    """A foreign key's values from its parent positions (-1: NULL), without the parent's rows."""
    parent = splan.plan.tables[fkp.fk.ref_table]
    (ref,) = fkp.fk.ref_columns
    positions = np.asarray(positions, dtype=np.int64)
    null = positions < 0
    if parent.sources[ref].kind == "sequence":
        keys = positions + 1  # the parent's key is its position + 1
        if not null.any():
            return keys
        return pd.arrays.IntegerArray(np.where(null, 0, keys), null)
    rows = splan.layouts[fkp.fk.ref_table].rows
    values = np.full(len(positions), None, dtype=object)
    column = parent.table.column(ref)
    values[~null] = key_values(splan.seed, parent.table.key, column, rows, positions[~null])
    return values


def is_position_key(tp: TablePlan, columns: tuple[str, ...]) -> bool:
    """Whether ``columns`` of ``tp`` are a key children compute from a parent position."""
    if len(columns) != 1 or tp.sources.get(columns[0]) is None:
        return False
    return tp.sources[columns[0]].kind in ("sequence", "key")


def foreign_key_values(
    splan: StreamPlan, fkp: ForeignKeyPlan, positions: IntArray, parent_rows: pd.DataFrame
) -> dict[str, Any]:
    """The child columns of ``fkp`` for the parents at ``positions``.

    A key made by position is computed; any other key (a composite one, ``(node_id,
    version)``) is read from the parent rows the chunk took from the parent's store, which
    keeps the referenced columns (:func:`syda.stream.layout.stream_plan`).
    """
    if is_position_key(splan.plan.tables[fkp.fk.ref_table], fkp.fk.ref_columns):
        (column,) = fkp.fk.columns
        return {column: parent_key_values(splan, fkp, positions)}
    return {
        col: parent_rows[ref].to_numpy()
        for col, ref in zip(fkp.fk.columns, fkp.fk.ref_columns, strict=True)
    }


def bijective(column: Column) -> bool:
    """Whether a value column can take its values from a bijection (a UUID, plain bytes)."""
    if column.pattern or column.choices:
        return False
    return _is_uuid(column) or column.kind == "binary"


def bijective_columns(tp: TablePlan) -> list[str]:
    """Single unique UUID and byte columns the provider or a spec fills (not keys)."""
    return [
        us[0]
        for us in tp.table.unique_sets
        if len(us) == 1 and us[0] in tp.provider_columns and bijective(tp.table.column(us[0]))
    ]


def bijective_values(
    tp: TablePlan, name: str, frame: pd.DataFrame, start: int, rows: int, seed: int
) -> pd.Series[Any]:
    """Column ``name`` of ``frame`` (rows ``start..``) from a bijection of the row numbers.

    Unique over the whole table; rows the engine left NULL stay NULL.
    """
    positions = start + np.arange(len(frame), dtype=np.int64)
    values = key_values(seed, tp.table.key, tp.table.column(name), rows, positions)
    present = frame[name].notna().to_numpy()
    return pd.Series(np.where(present, values, None), index=frame.index, dtype=object)


def with_bijective_uniques(
    tp: TablePlan, frame: pd.DataFrame, start: int, rows: int, seed: int
) -> None:
    """Give every unique UUID or byte column of ``frame`` (rows ``start..``) its values."""
    for name in bijective_columns(tp):
        frame[name] = bijective_values(tp, name, frame, start, rows, seed)
