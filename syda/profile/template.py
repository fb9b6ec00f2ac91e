"""Codes built from a row's columns: ``template: "{major.code}{year_level}{seq:02d}"``.

Fields are the row's columns (``year_level``), a parent's columns through the foreign key
(``major.code``, named as in :mod:`syda.profile.context`) and ``seq``: 1, 2, 3... within the rows
whose text without ``seq`` is the same, so two rows never get the same code as long as ``seq``
has a fixed width (``{seq:03d}``) or ends the template. Python format specs apply (``:02d``,
``:>5``, ``:%Y`` on a date).

The template is filled by a pass over the whole table once every other column has its values
(``seq`` numbers rows across the table, which a per-batch draw cannot), and formats each field's
distinct values once rather than every row. A row with a NULL field gets a NULL code.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.profile.context import parent_aliases, split_ref
from syda.profile.convert import a_kind, to_column
from syda.schema.ir import Column, Schema, Table

__all__ = ["SEQ", "fields_of", "render", "template_problems"]

SEQ = "seq"
_SAMPLES: dict[str, Any] = {
    "integer": 1,
    "float": 1.5,
    "decimal": 1.5,
    "boolean": True,
    "date": date(2024, 1, 31),
    "datetime": datetime(2024, 1, 31, 12, 0),
    "time": time(12, 0),
}


def fields_of(text: str) -> list[tuple[str, str, str]]:
    """``(literal before, field, format spec)`` of every part; the field is "" at the end.

    Raises:
        ValueError: If the text is not a format string (an unclosed brace, a positional field).
    """
    parts = []
    for literal, field, spec, conversion in string.Formatter().parse(text):
        if field is not None and (not field.strip() or conversion):
            raise ValueError(f"{text!r}: every field needs a name and no !conversion")
        parts.append((literal, field or "", spec or ""))
    return parts


def render(
    table: Table,
    column: Column,
    text: str,
    frame: pd.DataFrame,
    parents: Mapping[int, pd.DataFrame],
) -> pd.Series[Any]:
    """The template filled for every row of ``frame`` (the whole table).

    Raises:
        GenerationError: If a field's value cannot take its format spec, or a code is longer
            than the column allows.
    """
    n = len(frame)
    parts = fields_of(text)
    pieces: list[np.ndarray[Any, Any]] = []
    null = np.zeros(n, dtype=bool)
    seq_at: list[tuple[int, str]] = []
    for literal, field, spec in parts:
        pieces.append(np.full(n, literal, dtype=object))
        if not field:
            continue
        if field == SEQ:
            seq_at.append((len(pieces), spec))
            pieces.append(np.full(n, "", dtype=object))
            continue
        values = _field(table, field, frame, parents)
        null |= values.isna().to_numpy()
        pieces.append(_formatted(table, column, field, values, spec))
    if seq_at:
        key = _joined(pieces)
        seq = pd.Series(key).groupby(key, sort=False).cumcount().to_numpy() + 1
        for at, spec in seq_at:
            pieces[at] = _numbered(table, column, seq, spec)
    codes = _joined(pieces)
    codes[null] = None
    _check_length(table, column, codes)
    if column.kind in ("string", "text"):
        return pd.Series(codes, dtype=object)  # already text: skip the per-value conversion
    return to_column(pd.Series(codes, dtype=object), column)


def _numbered(
    table: Table, column: Column, seq: np.ndarray[Any, Any], spec: str
) -> np.ndarray[Any, Any]:
    """``seq`` formatted: each number up to the largest group's size once."""
    try:
        texts = np.array([format(i, spec) for i in range(int(seq.max()) + 1)], dtype=object)
    except (ValueError, TypeError) as error:
        raise GenerationError(
            f"template field {{seq:{spec}}} cannot format a number: {error}",
            table=table.key,
            column=column.name,
            rule="template",
        ) from None
    return texts[seq]  # type: ignore[no-any-return]


def _field(
    table: Table, field: str, frame: pd.DataFrame, parents: Mapping[int, pd.DataFrame]
) -> pd.Series[Any]:
    alias, name = split_ref(field)
    if alias is None:
        return frame[name].reset_index(drop=True)
    index = parent_aliases(table)[alias]
    if index not in parents:
        raise GenerationError(
            f"template field {{{field}}}: the key to {alias} is filled after the table's rows "
            "(it closes a cycle, or points at the same table); read a column of the row instead",
            table=table.key,
            rule="template",
        )
    return parents[index][name].reset_index(drop=True)


def _formatted(
    table: Table, column: Column, field: str, values: pd.Series[Any], spec: str
) -> np.ndarray[Any, Any]:
    """Each distinct value formatted once, spread back over the rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    try:
        texts = [format(_plain(u), spec) for u in uniques]
    except (ValueError, TypeError) as error:
        raise GenerationError(
            f"template field {{{field}:{spec}}} cannot format its values: {error}",
            table=table.key,
            column=column.name,
            rule="template",
        ) from None
    table_of = np.empty(len(texts) + 1, dtype=object)
    table_of[: len(texts)] = texts
    table_of[-1] = ""  # NULL rows: the code is made NULL anyway
    return table_of[codes]


def _plain(value: Any) -> Any:
    """A Python value (numpy and pandas scalars formatted as the numbers they are)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _joined(pieces: list[np.ndarray[Any, Any]]) -> np.ndarray[Any, Any]:
    out = pieces[0].copy()
    for piece in pieces[1:]:
        out = out + piece
    return out


def _check_length(table: Table, column: Column, codes: np.ndarray[Any, Any]) -> None:
    if column.length is None or column.kind not in ("string", "text"):
        return
    longest = pd.Series(codes, dtype=object).str.len().max()
    if pd.notna(longest) and longest > column.length:
        raise GenerationError(
            f"the template makes codes of {int(longest)} characters for a column of "
            f"{column.length} (its seq grew past its width?): widen the column or the template",
            table=table.key,
            column=column.name,
            rule="template",
        )


def template_problems(schema: Schema, table: Table, column: Column, text: str) -> list[str]:
    """Unknown fields, unusable format specs, and codes longer than the column allows."""
    where = f"{table.key}.{column.name}: template"
    try:
        parts = fields_of(text)
    except ValueError as error:
        return [f"{where}: {error}"]
    problems: list[str] = []
    width = 0
    known = True
    aliases = parent_aliases(table)
    for literal, field, spec in parts:
        width += len(literal)
        if not field:
            continue
        source = _source_column(schema, table, aliases, field)
        if isinstance(source, str):
            problems.append(f"{where}: {{{field}}}: {source}")
            continue
        most = _widest(source, spec)
        if isinstance(most, str):
            problems.append(f"{where}: {{{field}:{spec}}}: {most}")
        elif most is None:
            known = False
        else:
            width += most
    if column.kind not in ("string", "text", "integer", "unknown"):
        problems.append(f"{where}: a template makes text, not {a_kind(column.kind)}")
    if known and not problems and column.length is not None and width > column.length:
        problems.append(
            f"{where}: makes codes of up to {width} characters, longer than the column's "
            f"{column.length}"
        )
    return problems


def _source_column(
    schema: Schema, table: Table, aliases: Mapping[str, int], field: str
) -> Column | str | None:
    """The column a field names (None for ``seq``), or why it names none."""
    if field == SEQ:
        return None
    alias, name = split_ref(field)
    if alias is None:
        if not table.has_column(name):
            return f"{table.key} has no column {name!r} (fields: columns, parent.column, seq)"
        return table.column(name)
    index = aliases.get(alias)
    if index is None:
        return f"{alias!r} names no parent of {table.key}"
    parent = schema.table(table.foreign_keys[index].ref_table)
    if not parent.has_column(name):
        return f"parent {parent.key} has no column {name!r}"
    return parent.column(name)


def _widest(source: Column | None, spec: str) -> int | str | None:
    """The most characters a field can take, None where unknown, or why the spec cannot hold."""
    if source is None:  # seq: its width is the spec's, or unknown
        try:
            return len(format(1, spec)) if spec and spec[-1:] in "d" and _fixed(spec) else None
        except ValueError as error:
            return f"seq is a number: {error}"
    sample: Any = _SAMPLES.get(source.kind, "a")
    try:
        shown = format(sample, spec)
    except (ValueError, TypeError) as error:
        return f"cannot format a {source.kind} value: {error}"
    if source.choices:
        return max(len(format(c, spec)) for c in source.choices)
    if source.kind in ("string", "text"):
        return max(source.length, len(shown)) if source.length is not None else None
    if source.kind == "integer" and source.minimum is not None and source.maximum is not None:
        ends = (int(source.minimum), int(source.maximum))
        return max(len(format(v, spec)) for v in ends)
    if source.kind in ("date", "time", "boolean"):
        return len(format(False if source.kind == "boolean" else sample, spec))
    return None


def _fixed(spec: str) -> bool:
    digits = "".join(ch for ch in spec if ch.isdigit())
    return bool(digits)
