"""An LLM's profile reply, read and judged: what it may keep, and the exact problems of the rest.

A reply goes through the same gates as a profile a person writes, then a few more, because its
author is a model: the pydantic models (:mod:`syda.profile.spec`), every check of the effective
profile against the schema (:func:`syda.profile.effective.effective_profile`: allowed values,
lengths, bounds inside CHECKs, NULLs only where the column allows them, references that exist,
table patterns), a unique column never drawn from a vocabulary smaller than the table, and SQL
that is only an expression over the row: columns, constants, operators and a short list of pure
functions (DuckDB evaluates it over the rows; no table function, file or setting is reachable).

Each problem is pinned to the column it is about, so a re-ask asks again for those columns only,
with the problems' exact text, and keeps the columns that passed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlglot import exp

from syda.errors import SchemaError
from syda.profile.effective import effective_profile
from syda.profile.exprs import parse_expression
from syda.profile.io import problems_of
from syda.profile.spec import ColumnProfile, Profile, TableProfile
from syda.providers.profile_schema import from_wire
from syda.schema.ir import Schema, Table

__all__ = ["TABLE", "Judged", "judge_reply", "judge_specs", "sql_problems"]

TABLE = ""
"""The key of problems about the table's own patterns (``stages``, ``exactly_one``)."""

_SQL_NODES: tuple[type[exp.Expr], ...] = (
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Var,
    exp.Paren,
    exp.Neg,
    exp.Not,
    exp.And,
    exp.Or,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.IntDiv,
    exp.Mod,
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.Is,
    exp.In,
    exp.Between,
    exp.Like,
    exp.ILike,
    exp.Case,
    exp.If,
    exp.Cast,
    exp.TryCast,
    exp.DataType,
    exp.DataTypeParam,
    exp.Interval,
    exp.Coalesce,
    exp.Greatest,
    exp.Least,
    exp.Round,
    exp.Abs,
    exp.Floor,
    exp.Ceil,
    exp.Nullif,
    exp.Lower,
    exp.Upper,
    exp.Length,
    exp.Substring,
    exp.Concat,
    exp.DPipe,
    exp.Trim,
    exp.Year,
    exp.Month,
    exp.Day,
    exp.DateDiff,
)
"""What an LLM-written SQL expression may hold: pure, row-wise operations, nothing else."""
_SQL_KEYS = ("expr", "null_unless", "null_when")


@dataclass
class Judged:
    """One reply, judged.

    Attributes:
        accepted: Column specs that passed every check.
        table_keys: The table keys (``stages``, ``exactly_one``) that passed, if the reply set any.
        asked_table: The request asked for the table keys.
        table_failed: The reply set table keys that did not pass (they are asked again).
        problems: Per column (or :data:`TABLE`), the exact problems, for the re-ask.
        notes: What was dropped without a re-ask (a column that was not asked for).
    """

    accepted: dict[str, ColumnProfile] = field(default_factory=dict)
    table_keys: dict[str, Any] = field(default_factory=dict)
    asked_table: bool = False
    table_failed: bool = False
    problems: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, key: str, problem: str) -> None:
        """Record ``problem`` against column ``key`` (or :data:`TABLE`)."""
        self.problems.setdefault(key, [])
        if problem not in self.problems[key]:
            self.problems[key].append(problem)


def sql_problems(text: str) -> list[str]:
    """Why ``text`` is not a plain SQL expression over a row (empty when it is one)."""
    try:
        tree = parse_expression(text)
    except ValueError as error:
        return [str(error)]
    refused = sorted({_node_name(n) for n in tree.walk() if not isinstance(n, _SQL_NODES)})
    if refused:
        return [
            f"{text!r} uses {', '.join(refused)}: only columns, constants, operators, CASE, "
            "CAST and the listed functions are allowed"
        ]
    return []


def _node_name(node: exp.Expr) -> str:
    """How a refused node is named: a function by its name, anything else by its kind."""
    if isinstance(node, exp.Anonymous):
        return f"{node.name}()"
    if isinstance(node, exp.Func):
        return f"{node.sql_name().lower()}()"
    return {"Select": "a subquery", "Subquery": "a subquery"}.get(
        type(node).__name__, type(node).__name__
    )


def judge_reply(
    schema: Schema,
    table: Table,
    text: str,
    asked: Sequence[str],
    *,
    rows: int | None,
    user: Profile | None,
    earlier: Mapping[str, ColumnProfile],
    table_keys: bool,
    current: Mapping[str, Mapping[str, Any]] | None = None,
) -> Judged:
    """Read the reply ``text`` to a request for the profile of ``asked`` columns of ``table``.

    Args:
        schema: The schema (for the checks of references and parents).
        table: The table.
        text: The reply's JSON text.
        asked: The columns the request asked for.
        rows: The table's planned rows (None: unknown), for unique columns' vocabularies.
        user: The user's profile (the layer above the LLM's), as the checks see it.
        earlier: Column specs of this table accepted from earlier replies.
        table_keys: Whether the request asked for the table keys.
        current: Each column's current (inferred) spec: a ``gap`` written without the
            ``after`` it needs takes the current one.
    """
    judged = Judged(asked_table=table_keys)
    try:
        data = json.loads(text)
    except ValueError as error:
        for name in asked:
            judged.add(name, f"the reply is not valid JSON ({error})")
        return judged
    columns, wanted_keys, problems = from_wire(data)
    for problem in problems:
        judged.add(TABLE, problem)
    for name in asked:
        if name not in columns:
            judged.add(name, f"{table.key}.{name}: no spec was given for this column")
    specs = _parsed(table, _completed(columns, current or {}), asked, judged)
    patterns = _parsed_table(table, wanted_keys if table_keys else {}, judged)
    judge_specs(schema, table, specs, patterns, rows=rows, user=user, earlier=earlier, into=judged)
    judged.table_failed = bool(table_keys and wanted_keys) and TABLE in judged.problems
    return judged


def judge_specs(
    schema: Schema,
    table: Table,
    specs: Mapping[str, ColumnProfile],
    patterns: Mapping[str, Any],
    *,
    rows: int | None,
    user: Profile | None,
    earlier: Mapping[str, ColumnProfile] | None = None,
    into: Judged | None = None,
) -> Judged:
    """Check parsed column specs and table keys of ``table`` (a reply's, or a cached profile's).

    Args:
        schema: The schema.
        table: The table.
        specs: Column specs to check, by column.
        patterns: Table keys to check (``stages``, ``exactly_one``).
        rows: The table's planned rows (None: unknown).
        user: The user's profile, the layer above.
        earlier: Specs of the table accepted before, checked together with these.
        into: Add to this judgement instead of a new one.
    """
    judged = into if into is not None else Judged()
    for name, spec in specs.items():
        for problem in _own_problems(table, name, spec, rows):
            judged.add(name, problem)
    trial = {k: v for k, v in specs.items() if k not in judged.problems}
    found = _schema_problems(schema, table, user, {**(earlier or {}), **trial}, patterns)
    for key, problem in found:
        judged.add(key if key in trial or key == TABLE else TABLE, problem)
    judged.accepted = {k: v for k, v in trial.items() if k not in judged.problems}
    if TABLE not in judged.problems:
        judged.table_keys = dict(patterns)
    return judged


def _completed(
    columns: Mapping[str, Any], current: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """Mechanical fixes: a ``gap`` without ``after`` follows the column's current ``after``."""
    out = dict(columns)
    for name, raw in columns.items():
        after = (current.get(name) or {}).get("after")
        if isinstance(raw, Mapping) and "gap" in raw and "after" not in raw and after:
            out[name] = {**raw, "after": after}
    return out


def _parsed(
    table: Table, columns: Mapping[str, Any], asked: Sequence[str], judged: Judged
) -> dict[str, ColumnProfile]:
    """The asked columns' specs that pydantic reads; the others' problems join ``judged``."""
    out: dict[str, ColumnProfile] = {}
    for name, raw in columns.items():
        if name not in asked:
            judged.notes.append(f"{table.key}.{name}: not asked for, dropped")
            continue
        misread = [
            f"{table.key}.{name}: {key}: {value}"
            for key, value in (raw.items() if isinstance(raw, Mapping) else ())
            if isinstance(value, str) and value.startswith("not [{")
        ]
        if misread:  # a list not in the wire form (profile_schema._pairs says which)
            for problem in misread:
                judged.add(name, problem)
            continue
        try:
            out[name] = ColumnProfile.model_validate(raw)
        except ValidationError as error:
            for problem in problems_of(error, f"{table.key}.{name}"):
                judged.add(name, problem)
    return out


def _parsed_table(table: Table, raw: Mapping[str, Any], judged: Judged) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        parsed = TableProfile.model_validate(dict(raw))
    except ValidationError as error:
        for problem in problems_of(error, table.key):
            judged.add(TABLE, problem)
        return {}
    return {k: getattr(parsed, k) for k in raw}


def _own_problems(table: Table, name: str, spec: ColumnProfile, rows: int | None) -> list[str]:
    """Problems only an LLM's spec is checked for: its SQL, and vocabularies of unique columns."""
    where = f"{table.key}.{name}"
    problems = [
        f"{where}: {key}: {p}"
        for case in _cases(spec)
        for key in _SQL_KEYS
        if getattr(case, key)
        for p in sql_problems(getattr(case, key))
    ]
    if (name,) in table.unique_sets:
        drawn = [case.values for case in _cases(spec) if case.values is not None]
        if drawn and (rows is None or any(len(v) < rows for v in drawn)):
            size = min(len(v) for v in drawn)
            problems.append(
                f"{where}: the column is unique, so values ({size} of them) cannot fill "
                f"{'its' if rows is None else f'{rows:,}'} rows without repeating: set values "
                "to null and give a semantic or a template"
            )
    return problems


def _cases(spec: ColumnProfile) -> Iterable[ColumnProfile]:
    yield spec
    if spec.by is not None:
        yield from spec.by.cases.values()


def _schema_problems(
    schema: Schema,
    table: Table,
    user: Profile | None,
    specs: Mapping[str, ColumnProfile],
    patterns: Mapping[str, Any],
) -> list[tuple[str, str]]:
    """Every check of the effective profile, each problem pinned to a column or the table."""
    written = TableProfile(columns=dict(specs), **patterns)
    try:
        effective_profile(schema, user, Profile(tables={table.key: written}))
    except SchemaError as error:
        return [(_subject(table, p), p) for p in error.problems if _about(table, p)]
    return []


def _about(table: Table, problem: str) -> bool:
    return problem.startswith((f"{table.key}.", f"{table.key}:"))


def _subject(table: Table, problem: str) -> str:
    """The column a problem names right after the table (``Order.status: ...``), else TABLE."""
    rest = problem[len(table.key) :]
    if not rest.startswith("."):
        return TABLE
    name = rest[1:].split(":", 1)[0].split(" (", 1)[0]
    return name if table.has_column(name) else TABLE
