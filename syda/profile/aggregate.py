"""A parent column from its children: ``aggregate: "sum(order_items.quantity * ...)"``.

The child table is named by its key or SQL name inside the text; its one foreign key to this
table says which children belong to a parent. Aggregates are computed once every table has its
rows (children are filled after their parents), by DuckDB: the child rows grouped by their
foreign-key columns, joined back to the parent's referenced key. Parents without children get 0
from ``count``/``sum``; from ``avg``/``min``/``max`` they get NULL, or 0 where the column is NOT
NULL. Tables are computed children first, so an aggregate may read another aggregate.

Specs of the children cannot read an aggregate (it does not exist yet when they are drawn).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlglot import exp

from syda.errors import GenerationError
from syda.profile.convert import to_column
from syda.profile.exprs import parse_expression
from syda.profile.spec import TableProfile
from syda.schema.ir import Column, ForeignKey, Schema, Table

__all__ = ["aggregate_columns", "aggregate_problems", "fill_aggregates"]

_ZERO_WHEN_EMPTY = (exp.Count, exp.Sum)


@dataclass(frozen=True)
class _Parsed:
    child: str
    """The child table as written (key or SQL name)."""
    columns: tuple[str, ...]
    sql: str
    """The text with the child's name replaced by ``c``."""
    zero: bool
    """An empty group gives 0 (count, sum) rather than NULL."""


@lru_cache(maxsize=256)
def _parse(text: str) -> _Parsed:
    """The child table and columns an aggregate reads.

    Raises:
        ValueError: If the text is not SQL, names no child column, names several tables, or
            aggregates nothing.
    """
    tree = parse_expression(text)
    columns = list(tree.find_all(exp.Column))
    bare = [c.name for c in columns if not c.table]
    if bare:
        raise ValueError(f"name the child's columns as child.column, not {bare[0]!r}")
    tables = {c.table for c in columns}
    if len(tables) != 1:
        raise ValueError("name the columns of one child table (e.g. sum(order_items.quantity))")
    if tree.find(exp.AggFunc) is None:
        raise ValueError(f"{text!r} aggregates nothing (use sum, count, avg, min or max)")
    for col in columns:
        col.set("table", exp.to_identifier("c"))
    return _Parsed(
        child=tables.pop(),
        columns=tuple(dict.fromkeys(c.name for c in columns)),
        sql=tree.sql(dialect="duckdb"),
        zero=isinstance(tree, _ZERO_WHEN_EMPTY),
    )


def aggregate_columns(table: Table, profile: TableProfile) -> list[str]:
    """The table's columns derived from its children."""
    return [
        name for name, spec in profile.columns.items() if spec.aggregate and table.has_column(name)
    ]


def _child_key(schema: Schema, table: Table, child_name: str) -> tuple[Table, ForeignKey] | str:
    """The child table and its foreign key to ``table``, or why there is none."""
    try:
        child = schema.table(child_name)
    except KeyError:
        return f"{child_name!r} is not a table of the schema"
    keys = [fk for fk in child.foreign_keys if fk.ref_table == table.key]
    if not keys:
        return f"{child.key} has no foreign key to {table.key}"
    if len(keys) > 1:
        return f"{child.key} has {len(keys)} foreign keys to {table.key}; which one is ambiguous"
    if child.key == table.key:
        return f"{table.key} cannot aggregate its own rows"
    return child, keys[0]


def aggregate_problems(schema: Schema, table: Table, column: Column, text: str) -> list[str]:
    """Why ``aggregate`` cannot be computed for ``table.column``, if it cannot."""
    where = f"{table.key}.{column.name}: aggregate"
    try:
        parsed = _parse(text)
    except ValueError as error:
        return [f"{where}: {error}"]
    found = _child_key(schema, table, parsed.child)
    if isinstance(found, str):
        return [f"{where}: {found}"]
    child, _ = found
    return [
        f"{where}: {child.key} has no column {name!r}"
        for name in parsed.columns
        if not child.has_column(name)
    ]


def fill_aggregates(
    schema: Schema, profiles: Mapping[str, TableProfile], frames: Mapping[str, pd.DataFrame]
) -> list[str]:
    """Fill every aggregate column in place, in the order of ``profiles`` (children first).

    Returns the keys of the tables changed.

    Raises:
        GenerationError: If DuckDB cannot evaluate an aggregate.
    """
    changed: list[str] = []
    for key, profile in profiles.items():
        table = schema.table(key)
        if key not in frames:
            continue
        for name in aggregate_columns(table, profile):
            text = profile.columns[name].aggregate
            assert text is not None
            frame = frames[table.key]
            frame[name] = _compute(schema, table, table.column(name), text, frame, frames)
            changed.append(table.key)
    return list(dict.fromkeys(changed))


def _compute(
    schema: Schema,
    table: Table,
    column: Column,
    text: str,
    frame: pd.DataFrame,
    frames: Mapping[str, pd.DataFrame],
) -> pd.Series[Any]:
    parsed = _parse(text)
    found = _child_key(schema, table, parsed.child)
    assert not isinstance(found, str)  # the checks refused it before anything was drawn
    child, fk = found
    keys = [f"k{i}" for i in range(len(fk.columns))]
    children = pd.DataFrame(
        {
            **{k: frames[child.key][c].to_numpy() for k, c in zip(keys, fk.columns, strict=True)},
            **{c: frames[child.key][c].to_numpy() for c in parsed.columns},
        }
    )
    parents = pd.DataFrame(
        {k: frame[c].to_numpy() for k, c in zip(keys, fk.ref_columns, strict=True)}
    )
    parents["_row"] = range(len(parents))
    on = " AND ".join(f"p.{k} = a.{k}" for k in keys)
    query = (
        f"SELECT p._row, a.v FROM p LEFT JOIN (SELECT {', '.join(keys)}, {parsed.sql} AS v "
        f"FROM c GROUP BY {', '.join(keys)}) a ON {on} ORDER BY p._row"
    )
    import duckdb  # imported on first use: the command line starts without it

    con = duckdb.connect()
    try:
        con.register("c", children)
        con.register("p", parents)
        values: pd.Series[Any] = con.sql(query).df()["v"]
    except duckdb.Error as error:
        raise GenerationError(
            f"cannot evaluate aggregate {text!r}: {str(error).splitlines()[0]}",
            table=table.key,
            column=column.name,
            rule="aggregate",
        ) from None
    finally:
        con.close()
    if parsed.zero or not column.nullable:
        values = values.astype(object).where(values.notna(), 0)
    return to_column(values.reset_index(drop=True), column)
