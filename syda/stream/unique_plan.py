"""Which UNIQUE rules of a table hold across chunks, and how (planning, no rows).

Each chunk keeps every UNIQUE set and unique index over its own rows (the repair loop, then
the chunk's validation). Across chunks a rule holds by construction when it holds a column
unique on its own (a sequence, a code, a bijection, a chunk-marked text), a set of parents
drawn distinct (:mod:`syda.stream.pairs`), or the key that cuts the table (every row of a
parent in one chunk). The rest go to a *marker*, one column told apart between chunks
(:mod:`syda.stream.set_marks`); a partial unique index over one boolean column
(``UNIQUE (is_default) WHERE is_default``: one default in the table) keeps the flag only on
the table's first row. What none of these can hold is refused by name.
"""

from __future__ import annotations

from syda.plan import TablePlan
from syda.stream.keys_text import bijective_columns
from syda.stream.pairs import group_columns
from syda.stream.set_marks import set_markers
from syda.stream.uniques import integer_domain, marked_columns, unique_integer_columns

__all__ = ["unique_problems", "unique_rest"]


def unique_problems(tp: TablePlan, sequences: list[str], card_cols: set[str]) -> list[str]:
    """Why the table's UNIQUE rules cannot hold across chunks (empty: they can)."""
    out, rest, _ = unique_rest(tp, sequences, card_cols)
    return out + set_markers(tp, rest, None)[1]


def _made(tp: TablePlan, sequences: list[str]) -> set[str]:
    """Columns unique over the whole table on their own, by construction."""
    made = {c for c, s in tp.sources.items() if s.kind == "key"} | set(bijective_columns(tp))
    return made | set(sequences) | set(marked_columns(tp)) | set(unique_integer_columns(tp))


def unique_rest(
    tp: TablePlan, sequences: list[str], card_cols: set[str]
) -> tuple[list[str], list[tuple[str, ...]], list[str]]:
    """Problems, the sets left to a marker, and the boolean flags kept on the first row only."""
    out: list[str] = []
    rest: list[tuple[str, ...]] = []
    table = tp.table
    in_group = {c for c, s in tp.sources.items() if s.kind == "sequence_in_group"}
    one_to_one = {c for f in tp.foreign_keys if f.mode == "one_to_one" for c in f.fk.columns}
    made = _made(tp, sequences)
    pairs = group_columns(tp)
    for us in table.unique_sets:
        cols = set(us)
        if len(cols) == 1:
            (name,) = cols
            column = table.column(name)
            if name in unique_integer_columns(tp):
                # A bijection of the row numbers onto the range (syda.stream.uniques).
                if tp.rows is not None and integer_domain(column, tp.rows)[1] < tp.rows:
                    out.append(f"unique ({name}) has fewer values in its range than rows")
                continue
            if column.kind in ("string", "text") and not column.pattern:
                continue  # made unique across chunks by a chunk mark (syda.stream.uniques)
        if cols & made or cols <= one_to_one or cols == card_cols | in_group:
            continue  # unique by construction
        if card_cols and card_cols < cols:
            continue  # every row of a parent in one chunk: unique in the chunk is unique
        if any(group <= cols for group in pairs):
            continue  # a distinct parent tuple in every row (syda.stream.pairs)
        rest.append(us)
    problems, sets, first_only = _index_rest(tp, made, card_cols)
    return out + problems, rest + sets, first_only


def _selects_true(where: str, name: str) -> bool:
    """Whether the predicate is ``name`` being TRUE (``is_default``, ``is_default = true``)."""
    text = "".join(ch for ch in where.lower() if ch not in '()`"[] \t\n')
    return text in {name.lower() + tail for tail in ("", "=true", "=1", "istrue")}


def _index_rest(
    tp: TablePlan, made: set[str], card_cols: set[str]
) -> tuple[list[str], list[tuple[str, ...]], list[str]]:
    """Unique indexes (partial, over expressions) chunks alone cannot keep, and how to.

    An index over plain columns is a set like any other (its predicate only narrows the rows
    that must differ); one over expressions, or whose NULLs collide, is refused.
    """
    out: list[str] = []
    sets: list[tuple[str, ...]] = []
    first_only: list[str] = []
    names = set(tp.table.column_names)
    for index in tp.table.unique_indexes:
        cols = set(index.columns)
        if cols & made or (card_cols and card_cols <= cols):
            continue
        plain = set(index.expressions) <= names and index.nulls_distinct
        flag = tp.table.column(index.expressions[0]) if len(index.expressions) == 1 else None
        if plain and flag is not None and flag.kind == "boolean" and index.where:
            if flag.name in tp.provider_columns and _selects_true(index.where, flag.name):
                first_only.append(flag.name)
                continue
        elif plain:
            sets.append(tuple(index.expressions))
            continue
        what = ", ".join(index.expressions) + (f" WHERE {index.where}" if index.where else "")
        out.append(f"unique index ({what}) cannot be made across chunks yet")
    return out, sets, first_only
