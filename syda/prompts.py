"""The prompt compiler: one table's batch (columns, context, parent rows) as system + user text.

The wording lives in jinja2 templates in the top-level ``prompts/`` folder (shipped inside the
wheel as ``syda/prompts/``); this module only prepares what they show. Everything is rendered
with ``StrictUndefined``, so a typo in a template fails loudly instead of leaving a hole in the
prompt. Output is deterministic: columns follow the table's order, parent groups and unknown keys
are sorted, and values go through one JSON conversion (dates as ISO text, decimals as numbers,
numpy/pandas scalars as plain values, missing markers as ``null``), so a prompt only changes when
its inputs do. That matters twice: golden tests compare prompts as text, and the response cache
and cassettes are keyed by the full request.

Rows prompts put everything a table's batches share first, in the system prompt (the rules, the
table, its columns and rules), and only what differs by batch in the user prompt (parent rows,
the rows' given values, used values, errors, the count): providers that cache prompt prefixes
(Anthropic's ``cache_control``, OpenAI's automatic prefix cache) bill the shared part once. Rows
given and parent rows are shown as arrays under one header, as the reply is written
(:mod:`syda.providers.compact`), so no column name is repeated per row.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import inspect
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

import jinja2
import numpy as np
import pandas as pd

from syda.schema.ir import Column, ForeignKey, Table
from syda.validation.fields import column_rules

__all__ = [
    "MAX_ERRORS",
    "MAX_TAKEN",
    "MAX_TEXT",
    "CompiledPrompt",
    "ParentView",
    "compile_profile_prompt",
    "compile_prompt",
    "jsonable",
    "parent_label",
    "prompt_environment",
    "to_json",
]

MAX_TAKEN = 50
"""Used values shown per unique column; the rest are only counted."""
MAX_ERRORS = 40
"""Re-ask problems shown; the rest are only counted."""
MAX_TEXT = 80
"""Characters kept of a long text value in a parent row."""

# SQL type names that say no more than the kind and the facts printed next to it.
_PLAIN_SQL_TYPES = frozenset(
    {
        "bigint",
        "binary",
        "blob",
        "bool",
        "boolean",
        "bytea",
        "char",
        "character",
        "character varying",
        "date",
        "datetime",
        "decimal",
        "double",
        "double precision",
        "float",
        "int",
        "integer",
        "json",
        "jsonb",
        "largebinary",
        "nvarchar",
        "numeric",
        "real",
        "smallint",
        "string",
        "text",
        "time",
        "timestamp",
        "uuid",
        "varbinary",
        "varchar",
    }
)


@dataclass(frozen=True)
class CompiledPrompt:
    """The two prompts of one LLM call.

    Attributes:
        system: The system prompt: the rules, then the table, its columns and rules (the same
            for every batch of a table, so providers' prompt caches hold it).
        user: The user prompt: what differs by batch (parent rows, the rows' context, used
            values, earlier errors, the count).
    """

    system: str
    user: str


@dataclass(frozen=True)
class _ColumnView:
    """What the templates show of one column the LLM must write (values pre-rendered)."""

    name: str
    kind: str
    sql_type: str | None
    not_null: bool
    unique: bool
    max_length: int | None
    digits: int | None
    scale: int | None
    minimum: str | None
    maximum: str | None
    choices: str | None
    pattern: str | None
    comment: str | None


@dataclass(frozen=True)
class _Taken:
    column: str
    values: str
    more: int


def _template_dir() -> Path:
    """The packaged templates (wheel install), else the repository's ``prompts/`` (checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "prompts", here.parent / "prompts"):
        if (candidate / "table.j2").is_file():
            return candidate
    raise FileNotFoundError(f"syda's prompt templates are missing (looked next to {here})")


@cache
def prompt_environment() -> jinja2.Environment:
    """Return the (cached) jinja2 environment over syda's prompt templates.

    Undefined variables raise, nothing is HTML-escaped, and block tags leave no blank lines. The
    ``json`` filter renders a value as compact, deterministic JSON (see :func:`to_json`).

    Raises:
        FileNotFoundError: If the templates are neither packaged nor in the source checkout.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_template_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["json"] = to_json
    return env


def jsonable(value: Any) -> Any:
    """Convert ``value`` to plain JSON data, recursively and deterministically.

    Dates, datetimes and times become ISO text, decimals become numbers (integers when whole),
    UUIDs text, bytes base64 text, numpy scalars and arrays their Python values, enums their
    values, sets sorted lists; NaN, ``pd.NA`` and ``NaT`` become None. Anything else becomes
    its ``str``.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.time)):  # datetime (and pd.Timestamp) included
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return jsonable(pd.Timestamp(value))
    if isinstance(value, np.timedelta64):
        return jsonable(pd.Timedelta(value))
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=to_json)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return str(value)


def to_json(value: Any) -> str:
    """Render ``value`` as one line of JSON (``{"a": 1, "b": "x"}``) via :func:`jsonable`."""
    return json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False)


def parent_label(fk: ForeignKey) -> str:
    """The label of a foreign key's parent rows in a prompt: ``"customer_id -> Customer"``."""
    return f"{', '.join(fk.columns)} -> {fk.ref_table}"


def compile_prompt(
    table: Table,
    columns: Sequence[str],
    rows: int,
    *,
    user_prompt: str | None = None,
    context: Sequence[Mapping[str, Any]] = (),
    parents: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    errors: Sequence[str] = (),
    taken: Mapping[str, Sequence[Any]] | None = None,
) -> CompiledPrompt:
    """Compile the prompts asking an LLM for ``rows`` rows of ``columns`` of ``table``.

    Args:
        table: The table.
        columns: The columns the LLM must write (never keys, foreign keys or custom columns).
        rows: How many rows the reply must hold.
        user_prompt: The user's prompt for this table.
        context: One mapping per row to write, holding its values already decided (keys,
            foreign keys, custom columns); ``rows`` long, or empty when nothing is decided.
        parents: Per foreign key label (see :func:`parent_label`), the distinct parent rows
            this batch points at. Long text values are shortened to :data:`MAX_TEXT`.
        errors: For a re-ask, the problems of the previous answer, one line each.
        taken: Per unique column, values used by earlier batches that must not be repeated
            (the first :data:`MAX_TAKEN` are shown, the rest counted).

    Returns:
        The system and user prompts.

    Raises:
        KeyError: If a column is not in the table.
        ValueError: If ``rows`` is below 1, ``columns`` is empty, ``context`` does not hold
            ``rows`` rows, or the context gives a value for a column the LLM must write.
        FileNotFoundError: If the templates cannot be found.
    """
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    if not columns:
        raise ValueError(f"{table.key}: no columns to write")
    if context and len(context) != rows:
        raise ValueError(f"context has {len(context)} rows for a batch of {rows}")
    views = [_column_view(table.column(name)) for name in columns]
    to_write = set(columns)
    given = _ordered(table, {key for row in context for key in row})
    # A surrogate key tells the model little (rows are numbered, parents matched by their keys),
    # but alone it still tells one batch's prompt from another's.
    given = [name for name in given if not _surrogate(table, name)] or given
    if clash := [name for name in given if name in to_write]:
        raise ValueError(f"{table.key}: context gives columns to write: {', '.join(clash)}")

    env = prompt_environment()
    system = env.get_template("system.j2").render(
        table=table,
        description=inspect.cleandoc(table.description) if table.description else None,
        user_prompt=user_prompt.strip() if user_prompt and user_prompt.strip() else None,
        columns=views,
        comparisons=[c for c in table.comparisons if c.left in to_write or c.right in to_write],
        unique_together=[
            s for s in table.unique_sets if len(s) > 1 and any(c in to_write for c in s)
        ],
        checks=[c.sqltext for c in table.checks if not c.understood],
    )
    user = env.get_template("batch.j2").render(
        columns=views,
        parents=[
            (label, *_parent_lines(parent_rows))
            for label, parent_rows in sorted((parents or {}).items())
            if parent_rows
        ],
        given=_header(given),
        context=[to_json([row.get(k) for k in given]) for row in context] if given else [],
        taken=_taken(table, taken or {}),
        errors=[e.strip() for e in errors if e.strip()][:MAX_ERRORS],
        more_errors=max(0, sum(1 for e in errors if e.strip()) - MAX_ERRORS),
        rows=rows,
    )
    return CompiledPrompt(system=system.strip() + "\n", user=user.strip() + "\n")


@dataclass(frozen=True)
class ParentView:
    """A parent table as the profile prompt shows it: how specs name it, and its columns."""

    alias: str
    """The name specs use for it (``customer`` for ``customer_id``)."""
    label: str
    """``"customer_id -> Customer"``."""
    columns: str
    """``"name (string), created_at (date), ..."``."""


def compile_profile_prompt(
    table: Table,
    columns: Sequence[str],
    current: Mapping[str, Mapping[str, Any]],
    *,
    today: dt.date,
    user_prompt: str | None = None,
    parents: Sequence[ParentView] = (),
    fixed: Sequence[str] = (),
    errors: Sequence[str] = (),
    table_keys: bool = True,
) -> CompiledPrompt:
    """Compile the prompts asking an LLM for the profile of ``columns`` of ``table``.

    The system prompt (the profile vocabulary) is the same for every table and call; the user
    prompt starts with what every call of a table shares (table, parents, fixed columns, rules),
    so providers that cache prompt prefixes bill them once.

    Args:
        table: The table.
        columns: The columns to profile, in the table's order.
        current: Each column's current spec (the inferred one), as plain data.
        today: The reference date of the run's relative dates.
        user_prompt: The user's prompt for the table.
        parents: The parent tables specs may read.
        fixed: One line per column syda fills itself (``"id (integer): primary key"``).
        errors: For a re-ask, the problems of the previous answer, one line each.
        table_keys: Whether the reply may hold the table's ``stages`` and ``exactly_one``.

    Raises:
        KeyError: If a column is not in the table.
        ValueError: If ``columns`` is empty.
    """
    if not columns:
        raise ValueError(f"{table.key}: no columns to profile")
    env = prompt_environment()
    listed = set(columns)
    user = env.get_template("profile.j2").render(
        table=table,
        description=inspect.cleandoc(table.description) if table.description else None,
        user_prompt=user_prompt.strip() if user_prompt and user_prompt.strip() else None,
        today=today.isoformat(),
        parents=list(parents),
        fixed=list(fixed),
        comparisons=[c for c in table.comparisons if c.left in listed or c.right in listed],
        unique_together=[s for s in table.unique_sets if len(s) > 1 and set(s) & listed],
        checks=[c.sqltext for c in table.checks if not c.understood],
        columns=[
            (_column_view(table.column(name)), to_json(dict(current.get(name) or {})))
            for name in columns
        ],
        errors=[e.strip() for e in errors if e.strip()][:MAX_ERRORS],
        more_errors=max(0, sum(1 for e in errors if e.strip()) - MAX_ERRORS),
        table_keys=table_keys,
    )
    system = env.get_template("profile_system.j2").render()
    return CompiledPrompt(system=system.strip() + "\n", user=user.strip() + "\n")


def _ordered(table: Table, names: set[str]) -> list[str]:
    """``names`` in the table's column order, names the table does not have sorted after."""
    position = {c.name: i for i, c in enumerate(table.columns)}
    return sorted(names, key=lambda n: (position.get(n, len(position)), n))


def _column_view(column: Column) -> _ColumnView:
    rules = column_rules(column)
    sql_type = column.sql_type
    if sql_type is not None:
        base = sql_type.split("(", 1)[0].strip().lower()
        if base in _PLAIN_SQL_TYPES or base == column.kind:
            sql_type = None
    return _ColumnView(
        name=column.name,
        kind=column.kind,
        sql_type=sql_type,
        not_null=not column.nullable,
        unique=column.unique,
        max_length=rules.max_length if rules.choices is None else None,
        digits=rules.max_digits,
        scale=rules.decimal_places,
        minimum=_bound(rules.lower),
        maximum=_bound(rules.upper),
        choices=to_json(list(rules.choices)) if rules.choices is not None else None,
        pattern=column.pattern if rules.pattern is not None else None,
        comment=" ".join(column.comment.split()) if column.comment else None,
    )


def _bound(value: Any) -> str | None:
    """A bound as printed: ``1``, ``0.5``, ``2024-01-31``, ``2024-01-31T12:00:00``."""
    if value is None:
        return None
    plain = jsonable(value)
    if isinstance(plain, float) and plain.is_integer():
        plain = int(plain)
    return str(plain)


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[: MAX_TEXT - 1].rstrip() + "…"
    return value


def _surrogate(table: Table, name: str) -> bool:
    """Whether ``name`` is the table's own single-column integer primary key."""
    if table.primary_key != (name,) or not table.has_column(name):
        return False
    return table.column(name).kind == "integer" and not any(
        name in fk.columns for fk in table.foreign_keys
    )


def _header(names: Sequence[str]) -> str:
    """``[id, name, created_at]``: the order of the values in a prompt's rows."""
    return "[" + ", ".join(names) + "]"


def _parent_lines(parent_rows: Sequence[Mapping[str, Any]]) -> tuple[str, list[str]]:
    """The header and the distinct rows of a parent, each an array in the header's order."""
    names = list(dict.fromkeys(str(k) for row in parent_rows for k in row))
    lines: list[str] = []
    for row in parent_rows:
        plain = {str(k): v for k, v in row.items()}
        line = to_json([_shorten(jsonable(plain.get(k))) for k in names])
        if line not in lines:
            lines.append(line)
    return _header(names), lines


def _taken(table: Table, taken: Mapping[str, Sequence[Any]]) -> list[_Taken]:
    shown: list[_Taken] = []
    for name in _ordered(table, set(taken)):
        values: list[str] = []
        seen: set[str] = set()
        for value in taken[name]:
            text = to_json(value)
            if text not in seen:
                seen.add(text)
                values.append(text)
        if values:
            listed = "[" + ", ".join(values[:MAX_TAKEN]) + "]"
            shown.append(_Taken(name, listed, max(0, len(values) - MAX_TAKEN)))
    return shown
