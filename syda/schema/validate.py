"""Cross-table consistency of a :class:`~syda.schema.ir.Schema`, checked once for every input.

Every adapter ends by calling :func:`validate_schema`, so a schema that reaches the planner has
keys that exist, foreign keys whose two sides match, and column facts that leave at least one
valid value. All problems are collected and raised together (as SDV does), so a user fixes a
schema in one pass instead of one error at a time.
"""

from __future__ import annotations

from collections import Counter

from syda.errors import SchemaError
from syda.schema.check_sql import check_problems
from syda.schema.ir import Column, Schema, Table
from syda.schema.limits import (
    MAX_BOUND,
    MAX_INTEGER_BOUND,
    MAX_LENGTH,
    MAX_PRECISION,
    capped,
    name_problem,
    shown,
    shown_bound,
    shown_names,
)

__all__ = ["schema_problems", "validate_schema"]

_SIZED = frozenset({"string", "text", "binary", "unknown"})
_ORDERED = frozenset({"integer", "float", "decimal", "date", "datetime", "unknown"})


def validate_schema(schema: Schema, *, external_references: bool = False) -> Schema:
    """Check that the tables of ``schema`` fit together, and return it unchanged.

    Args:
        schema: The schema to check.
        external_references: Allow foreign keys to tables outside the schema (used when one table
            is generated on its own and its parents come from elsewhere).

    Returns:
        ``schema`` itself, so adapters can end with ``return validate_schema(...)``.

    Raises:
        SchemaError: Listing every problem found.
    """
    problems = schema_problems(schema, external_references=external_references)
    if problems:
        raise SchemaError(capped(problems))
    return schema


def schema_problems(schema: Schema, *, external_references: bool = False) -> list[str]:
    """Return every consistency problem of ``schema`` (an empty list when it is sound).

    Names come first: if any table or column name is unusable (empty, a control character such
    as NUL, too long), only those problems are returned, so no other message repeats the name.
    """
    problems = _name_problems(schema)
    if problems:
        return problems
    for key, count in Counter(t.key for t in schema).items():
        if count > 1:
            problems.append(f"{count} tables have the key {key!r}; table keys must be unique")
    for table in schema:
        problems.extend(_table_problems(table))
        problems.extend(_foreign_key_problems(schema, table, external_references))
    return problems


def _name_problems(schema: Schema) -> list[str]:
    found = []
    for table in schema:
        found += [name_problem(table.key, "table key"), name_problem(table.name, "table name")]
        if table.schema is not None:
            found.append(name_problem(table.schema, f"{shown(table.key)}: database schema"))
        found.extend(
            name_problem(c.name, f"{shown(table.key)}: column name") for c in table.columns
        )
        names = [n for fk in table.foreign_keys for n in (fk.ref_table, *fk.ref_columns)]
        found.extend(name_problem(n, f"{shown(table.key)}: foreign key target") for n in names)
    return [p for p in found if p is not None]


def _table_problems(table: Table) -> list[str]:
    problems: list[str] = []
    if not table.columns:
        problems.append(f"{table.key}: the table has no columns")
    for name, count in Counter(c.name for c in table.columns).items():
        if count > 1:
            problems.append(f"{table.key}: column {shown(name)} is defined {count} times")

    def missing(names: tuple[str, ...], what: str) -> None:
        if not names:
            problems.append(f"{table.key}: {what} names no column")
        for name in names:
            if not table.has_column(name):
                problems.append(f"{table.key}: {what} names a missing column {shown(name)}")

    if table.primary_key:
        missing(table.primary_key, "the primary key")
    for uc in table.unique_constraints:
        missing(uc.columns, f"unique constraint ({', '.join(uc.columns)})")
    for cmp in table.comparisons:
        missing((cmp.left, cmp.right), f"the check {cmp.left} {cmp.op} {cmp.right}")
    for col in table.columns:
        problems.extend(f"{table.key}.{col.name}: {p}" for p in _column_problems(col))
    problems.extend(check_problems(table))
    return problems


def _column_problems(col: Column) -> list[str]:
    problems: list[str] = []
    if col.length is not None and not 0 < col.length <= MAX_LENGTH:
        problems.append(f"length must be between 1 and {MAX_LENGTH:,}, not {shown(col.length)}")
    if col.length is not None and col.kind not in _SIZED:
        problems.append(f"a length applies to strings and binary data, not to {col.kind}")
    if col.precision is not None and not 0 < col.precision <= MAX_PRECISION:
        problems.append(
            f"precision must be between 1 and {MAX_PRECISION}, not {shown(col.precision)}"
        )
    if col.scale is not None and (
        col.scale < 0 or (col.precision is not None and col.scale > col.precision)
    ):
        problems.append(f"scale {shown(col.scale)} must be between 0 and the precision")
    if (col.minimum is not None or col.maximum is not None) and col.kind not in _ORDERED:
        problems.append(f"minimum/maximum apply to numbers and dates, not to {col.kind}")
    limit = MAX_INTEGER_BOUND if col.kind == "integer" else MAX_BOUND
    for what, bound in (("minimum", col.minimum), ("maximum", col.maximum)):
        if bound is not None and not abs(bound) <= limit:  # also refuses NaN
            problems.append(f"{what} {shown(bound)} is not a number between ±{limit:g}")
            return problems
    if col.minimum is not None and col.maximum is not None and col.minimum > col.maximum:
        low, high = shown_bound(col.kind, col.minimum), shown_bound(col.kind, col.maximum)
        problems.append(f"minimum {low} is greater than maximum {high}")
    if col.choices is not None and not col.choices:
        problems.append("the list of allowed values is empty")
    return problems


def _foreign_key_problems(schema: Schema, table: Table, external: bool) -> list[str]:
    problems: list[str] = []
    for fk in table.foreign_keys:
        where = f"{table.key}: foreign key ({', '.join(fk.columns)}) -> {fk.ref_table}"
        if not fk.columns:
            problems.append(f"{where} names no column")
        if len(fk.columns) != len(fk.ref_columns):
            problems.append(
                f"{where} has {len(fk.columns)} column(s) but refers to "
                f"{len(fk.ref_columns)} ({', '.join(fk.ref_columns) or 'none'})"
            )
        problems.extend(
            f"{where}: {table.key} has no column {shown(c)}"
            for c in fk.columns
            if not table.has_column(c)
        )
        if fk.ref_table not in schema:
            if not external:
                problems.append(
                    f"{where}: {shown(fk.ref_table)} is not among the given tables "
                    f"({shown_names(schema.keys, bare=True)}); add it to the schema"
                )
            continue
        parent = next(t for t in schema if t.key == fk.ref_table)
        problems.extend(
            f"{where}: {parent.key} has no column {shown(c)}"
            for c in fk.ref_columns
            if not parent.has_column(c)
        )
    return problems
