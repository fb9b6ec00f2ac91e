"""SQL expressions over a row and its parents, evaluated by DuckDB a whole batch at a time.

``expr: "quantity * unit_price"``, ``null_unless: "stage IN ('Closed Won', 'Closed Lost')"`` and
``from_parent: account.region`` are SQL (DuckDB's dialect, ``CASE WHEN`` included). sqlglot reads
the text once to find the columns it names and to point each at its relation (``r`` for the
row, ``p0``, ``p1``... for the parents); DuckDB then evaluates it over the batch's frames joined
by position, which keeps the draw vectorised and the semantics those of a real SQL engine rather
than of a hand-written evaluator.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from syda.errors import GenerationError
from syda.profile.context import DrawContext, parent_aliases
from syda.profile.convert import to_column
from syda.profile.registry import Family, register
from syda.profile.spec import ColumnProfile
from syda.schema.ir import Column, Schema, Table

__all__ = [
    "condition",
    "evaluate",
    "expression_refs",
    "parse_expression",
    "parse_refs",
    "ref_problems",
    "referenced_table",
]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    row_columns: tuple[str, ...]
    parents: tuple[tuple[str, str, tuple[str, ...]], ...]
    """(relation, alias, columns) of every parent (or grandparent) the expression reads."""


def parse_expression(text: str) -> exp.Expr:
    """``text`` read as one SQL expression (DuckDB dialect).

    Raises:
        ValueError: If the text is not SQL, or is not a single expression.
    """
    try:
        tree = sqlglot.parse_one(text, read="duckdb")
    except ParseError as error:
        raise ValueError(f"cannot read {text!r} as SQL: {error.errors[0]['description']}") from None
    if tree is None or isinstance(tree, exp.Query):
        raise ValueError(f"{text!r} is not an expression")
    if isinstance(tree, exp.Alias):
        # SQL reads ``quantity unit_price`` (an operator forgotten) as ``quantity AS unit_price``,
        # which would silently evaluate to ``quantity``.
        raise ValueError(
            f"{text!r} is not one expression: "
            f"an operator is missing or doubled before {tree.alias!r}"
        )
    return tree


def parse_refs(text: str) -> list[str]:
    """The columns an expression names, as ``col`` or ``alias.col``.

    Raises:
        ValueError: If the text is not a SQL expression.
    """
    return list(_refs(text))


@lru_cache(maxsize=1024)
def _refs(text: str) -> tuple[str, ...]:
    # Checked for every spec on every profile: parse each text once.
    tree = parse_expression(text)
    refs = []
    for col in tree.find_all(exp.Column):
        alias = _alias(col)
        refs.append(f"{alias}.{col.name}" if alias else col.name)
    return tuple(dict.fromkeys(refs))


def expression_refs(spec: ColumnProfile) -> list[str]:
    """Every column the spec's expressions name (``expr``, ``from_parent``, the null rules)."""
    refs: list[str] = []
    for text in (spec.expr, spec.null_unless, spec.null_when):
        if text:
            try:
                refs.extend(parse_refs(text))
            except ValueError:
                pass  # reported by the checks
    if spec.from_parent:
        refs.append(spec.from_parent)
    return list(dict.fromkeys(refs))


@lru_cache(maxsize=512)
def _compile(text: str) -> _Compiled:
    tree = sqlglot.parse_one(text, read="duckdb")
    relations: dict[str, str] = {}
    row: list[str] = []
    parents: dict[str, list[str]] = {}
    for col in tree.find_all(exp.Column):
        alias = _alias(col)
        if alias:
            relation = relations.setdefault(alias, f"p{len(relations)}")
            parents.setdefault(alias, []).append(col.name)
            col.set("table", exp.to_identifier(relation))
            col.set("db", None)
            col.set("catalog", None)
        else:
            row.append(col.name)
            col.set("table", exp.to_identifier("r"))
    return _Compiled(
        sql=tree.sql(dialect="duckdb"),
        row_columns=tuple(dict.fromkeys(row)),
        parents=tuple((relations[a], a, tuple(dict.fromkeys(c))) for a, c in parents.items()),
    )


def _alias(col: exp.Column) -> str:
    """The parent a column is read from: ``customer``, or ``partsupp.part`` for a grandparent."""
    return ".".join(part.name for part in col.parts[:-1])


def evaluate(ctx: DrawContext, text: str) -> pd.Series[Any]:
    """``text`` evaluated for every row of the batch (a raw DuckDB result, not yet typed).

    Raises:
        GenerationError: If DuckDB cannot evaluate it (a type mismatch, an unknown function).
    """
    import duckdb  # imported on first use: the command line starts without it

    compiled = _compile(text)
    con = _connection()
    relations: list[str] = []
    try:
        con.register("r", _frame(ctx.frame, compiled.row_columns, ctx.n))
        relations.append("r")
        for name, alias, columns in compiled.parents:
            parent = ctx.rows_of(alias)
            if parent is None:
                parent = pd.DataFrame(index=pd.RangeIndex(ctx.n))
            con.register(name, _frame(parent, columns, ctx.n))
            relations.append(name)
        query = f"SELECT {compiled.sql} AS v FROM {' POSITIONAL JOIN '.join(relations)}"
        result: pd.Series[Any] = con.sql(query).df()["v"]
    except duckdb.Error as error:
        raise GenerationError(
            f"cannot evaluate {text!r}: {str(error).splitlines()[0]}",
            table=ctx.table.key,
            column=ctx.column.name,
            rule="expr",
        ) from None
    finally:
        for name in relations:
            con.unregister(name)
    return result.reset_index(drop=True)


_local = threading.local()


def _connection() -> Any:
    """This thread's in-memory DuckDB connection (opening one costs more than most queries).

    One per thread, since a connection serves one query at a time, and per process: a
    connection inherited through ``fork`` would share its threads' state with the parent's.
    """
    import duckdb

    if not hasattr(_local, "by_pid"):
        _local.by_pid = {}
    # A parent's connection is left alone, never closed here: its threads are not ours.
    by_pid: dict[int, Any] = _local.by_pid
    pid = os.getpid()
    if pid not in by_pid:
        by_pid[pid] = duckdb.connect()
    return by_pid[pid]


def condition(ctx: DrawContext, text: str) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Rows where the SQL condition ``text`` is true (NULL counts as false).

    Raises:
        GenerationError: If ``text`` gives something else than true or false (``stage``, a
            text column, rather than ``stage = 'Closed'``).
    """
    quick = _membership(ctx, text)
    if quick is not None:
        return quick
    values = evaluate(ctx, text)
    booleans = pd.api.types.is_bool_dtype(values.dtype) or (
        values.dtype == object
        and bool(values.dropna().map(lambda v: isinstance(v, (bool, np.bool_))).all())
    )
    if not booleans:
        raise GenerationError(
            f"{text!r} is not a condition: it gives {values.dtype} values, not true or false "
            "(compare it: stage = 'Closed Won', quantity > 1)",
            table=ctx.table.key,
            column=ctx.column.name,
            rule="condition",
        )
    return values.fillna(False).astype(bool).to_numpy()


@lru_cache(maxsize=256)
def _text_membership(text: str) -> tuple[str, frozenset[str], bool] | None:
    """``(column, values, negated)`` for ``col IN ('a', ...)``, ``col = 'a'`` and negations.

    Over a column of the row only; None for anything else.
    """
    try:
        tree = sqlglot.parse_one(text, read="duckdb")
    except ParseError:
        return None  # DuckDB's own path says what is wrong
    outer = isinstance(tree, exp.Not)
    if outer:
        tree = tree.this
    negated = outer != isinstance(tree, exp.NEQ)  # NOT (a <> 'x') is a = 'x'
    if isinstance(tree, exp.In) and not tree.args.get("query"):
        column, literals = tree.this, tree.expressions
    elif isinstance(tree, (exp.EQ, exp.NEQ)):
        column, literals = tree.this, [tree.expression]
    else:
        return None
    if not isinstance(column, exp.Column) or column.table or not literals:
        return None
    if not all(isinstance(v, exp.Literal) and v.is_string for v in literals):
        return None
    return column.name, frozenset(v.this for v in literals), negated


def _membership(ctx: DrawContext, text: str) -> np.ndarray[Any, np.dtype[np.bool_]] | None:
    """A text column's membership in string literals, without DuckDB (None: not that form).

    The stage conditions the profile infers (``shipped_date`` stays NULL unless ``status IN
    ('Shipped', 'Delivered')``) are of this form, and a DuckDB query costs about 2 ms a chunk.
    Compared as DuckDB does: exact strings, and a NULL matches neither ``IN`` nor ``NOT IN``.
    """
    found = _text_membership(text)
    if found is None or found[0] not in ctx.frame.columns:
        return None
    name, values, negated = found
    series = ctx.frame[name]
    kind = pd.api.types.infer_dtype(series, skipna=True)
    if len(series) != ctx.n or kind not in ("string", "empty"):
        return None  # numbers or dates against text: DuckDB's casts decide
    present = series.notna().to_numpy()
    hit = series.isin(values).to_numpy(dtype=bool)
    out: np.ndarray[Any, np.dtype[np.bool_]] = (~hit if negated else hit) & present
    return out


def _frame(frame: pd.DataFrame, columns: tuple[str, ...], n: int) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame]
    if missing:
        import duckdb

        raise duckdb.BinderException(f"column {missing[0]!r} is not known yet")
    out = frame[list(columns)].reset_index(drop=True) if columns else pd.DataFrame()
    if not columns:
        out = pd.DataFrame({"_row": np.zeros(n, dtype=np.int8)})
    return out


def _draw_expr(ctx: DrawContext) -> pd.Series[Any]:
    assert ctx.spec.expr is not None
    return _typed(ctx, "expr", evaluate(ctx, ctx.spec.expr))


def _typed(ctx: DrawContext, key: str, raw: pd.Series[Any]) -> pd.Series[Any]:
    """``raw`` as the column's type; a value the type cannot hold is an error, not a NULL.

    Without this a text result on an integer column became NULLs that validation then reported
    as "should not be null", and numbers on a date column became 1970-01-01.
    """
    typed = to_column(raw, ctx.column)
    lost = raw.notna().to_numpy() & typed.isna().to_numpy()
    if ctx.column.kind in ("date", "datetime") and _is_number(raw):
        lost = raw.notna().to_numpy()  # pandas reads numbers as nanoseconds since 1970
    if not lost.any():
        return typed
    value = raw[lost].iloc[0]
    value = value.item() if isinstance(value, np.generic) else value
    raise GenerationError(
        f"{key} gives {value!r}, not a value of the column's type ({ctx.column.kind})",
        table=ctx.table.key,
        column=ctx.column.name,
        rule=key,
    )


def _is_number(values: pd.Series[Any]) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _draw_from_parent(ctx: DrawContext) -> pd.Series[Any]:
    assert ctx.spec.from_parent is not None
    return _typed(ctx, "from_parent", ctx.require(ctx.spec.from_parent, "from_parent"))


def _check_refs(schema: Schema, table: Table, column: Column, spec: ColumnProfile) -> list[str]:
    where = f"{table.key}.{column.name}"
    problems: list[str] = []
    # The null rules are checked for every column by checks.column_problems, not here.
    if spec.expr:
        try:
            refs = parse_refs(spec.expr)
        except ValueError as error:
            problems.append(f"{where}: expr: {error}")
        else:
            problems.extend(f"{where}: expr: {p}" for p in ref_problems(schema, table, refs))
    if spec.from_parent:
        if "." not in spec.from_parent:
            problems.append(
                f"{where}: from_parent names a parent's column as parent.column, "
                f"not {spec.from_parent!r}"
            )
        else:
            problems.extend(
                f"{where}: from_parent: {p}"
                for p in ref_problems(schema, table, [spec.from_parent])
            )
    return problems


def ref_problems(schema: Schema, table: Table, refs: list[str]) -> list[str]:
    """Why each reference (``col``, ``parent.col``, ``parent.grandparent.col``) names nothing."""
    problems = []
    for ref in refs:
        alias, _, name = ref.rpartition(".")
        if not alias:
            if not table.has_column(name):
                problems.append(f"{table.key} has no column {name!r}")
            continue
        parent = referenced_table(schema, table, alias)
        if isinstance(parent, str):
            problems.append(parent)
        elif not parent.has_column(name):
            problems.append(f"parent {parent.key} has no column {name!r}")
    return problems


def referenced_table(schema: Schema, table: Table, alias: str) -> Table | str:
    """The parent (``customer``) or grandparent (``partsupp.part``) ``alias`` names, or why none.

    Checked like every key of a spec, before anything is drawn.
    """
    hops = alias.split(".")
    if len(hops) > 2:
        return f"{alias!r} goes past a parent's parent; name at most parent.grandparent.column"
    current = table
    for hop in hops:
        aliases = parent_aliases(current)
        index = aliases.get(hop)
        if index is None:
            known = ", ".join(sorted(aliases)) or "none: the table has no foreign key"
            return f"{hop!r} names no parent of {current.key} (parents: {known})"
        ref = current.foreign_keys[index].ref_table
        if ref not in schema:
            return f"{hop!r} names {ref}, which is not a table of the schema"
        current = schema.table(ref)
    return current


register(
    Family(
        name="expr",
        triggers=frozenset({"expr"}),
        priority=100,
        draw=_draw_expr,
        check=_check_refs,
        refs=lambda spec: expression_refs(spec),
    )
)
register(
    Family(
        name="from_parent",
        triggers=frozenset({"from_parent"}),
        priority=95,
        draw=_draw_from_parent,
        check=_check_refs,
        refs=lambda spec: expression_refs(spec),
    )
)
