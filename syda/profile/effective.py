"""The effective profile of a schema: inferred specs, under the schema's own, under the user's.

Three layers (four in LLM profile mode), each key of a later one replacing the same key of an
earlier one:

1. inference: every value column gets the ``semantic`` kind the offline engine reads from its
   name, comment, type and table, and a column with allowed values (an enum, a CHECK ... IN
   list, a comment that lists them) gets them as weighted ``values``, so the weights are visible
   and editable;
1b. in LLM profile mode, the profile an LLM wrote for the table (:mod:`syda.profile.llm_profile`);
2. specs the schema carries: dict/YAML column and table keys, ``Column(info={"syda": ...})``,
   ``__table_args__ = {"info": {"syda": ...}}``;
3. the user's profile (``profile=`` / ``--profile``), which may name tables by key or SQL name.

Every spec is then checked against the schema (:mod:`syda.profile.checks`); all problems are
raised together as one :class:`~syda.errors.SchemaError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from syda.errors import SchemaError
from syda.generators.infer import comment_choices, infer_semantic
from syda.generators.values_num import choice_weights
from syda.profile.checks import column_problems, profile_problems
from syda.profile.exactly_one import exactly_one_problems
from syda.profile.inferred import inferred_specs, one_per_parent
from syda.profile.io import parse_column_profile, parse_table_profile
from syda.profile.spec import ColumnProfile, ExactlyOne, Profile, TableProfile, merge_column
from syda.profile.windows import narrow_leaders
from syda.schema.ir import Column, Schema, Table
from syda.schema.limits import capped

__all__ = ["effective_profile", "filled_by_keys", "merge_column"]

_TABLE_KEYS = frozenset(TableProfile.model_fields) - {"columns"}
_COLUMN_KEYS = frozenset(ColumnProfile.model_fields)


def effective_profile(
    schema: Schema, user: Profile | None = None, llm: Profile | None = None
) -> Profile:
    """Every column's spec: inferred, then ``llm``'s, then the schema's own, then ``user``'s.

    Raises:
        SchemaError: Listing every problem: bad keys in a spec the schema carries, tables or
            columns the user's profile names but the schema lacks, and specs that cannot hold
            under the column's constraints.
    """
    problems: list[str] = []
    tables: dict[str, TableProfile] = {}
    for table in schema:
        tables[table.key] = _carried(table, problems)
        written = llm.tables.get(table.key) if llm is not None else None
        if written is not None:
            # What the LLM wrote sits under what the schema and the user declare.
            tables[table.key] = _overlay(table, written, tables[table.key], problems)
    if user is not None:
        for name, overlay in user.tables.items():
            try:
                table = schema.table(name)
            except KeyError:
                problems.append(f"profile: table {name!r} is not in the schema")
                continue
            tables[table.key] = _overlay(table, tables[table.key], overlay, problems)
    for table in schema:
        tables[table.key] = _inferred(schema, table, tables[table.key])
    profile = narrow_leaders(schema, Profile(tables=tables))
    problems.extend(profile_problems(schema, profile))
    if problems:
        raise SchemaError(capped(list(dict.fromkeys(problems))))
    return profile


def filled_by_keys(table: Table) -> frozenset[str]:
    """Columns made by construction (keys, foreign keys, generated): not drawn from a spec."""
    keys = set(table.primary_key)
    if len(table.primary_key) > 1:
        # A date in a composite key (a salary's ``from_date``) is drawn like any value, the
        # repair loop keeping the key distinct: its spec orders it after the parent's dates.
        keys -= {c for c in table.primary_key if table.column(c).kind in ("date", "datetime")}
    keys.update(c for fk in table.foreign_keys for c in fk.columns)
    keys.update(c.name for c in table.columns if c.generated)
    return frozenset(keys)


def _carried(table: Table, problems: list[str]) -> TableProfile:
    columns: dict[str, ColumnProfile] = {}
    for col in table.columns:
        raw = _syda_info(col.info)
        drawn = {k: v for k, v in raw.items() if k in _COLUMN_KEYS}
        if drawn:
            spec = parse_column_profile(drawn, f"{table.key}.{col.name}", problems)
            columns[col.name] = spec
    own = {k: v for k, v in _syda_info(table.info).items() if k in _TABLE_KEYS}
    base = parse_table_profile(own, table.key, problems) if own else TableProfile()
    return base.model_copy(update={"columns": columns})


def _overlay(
    table: Table, base: TableProfile, top: TableProfile, problems: list[str]
) -> TableProfile:
    columns = dict(base.columns)
    for name, spec in top.columns.items():
        if not table.has_column(name):
            problems.append(f"profile: {table.key} has no column {name!r}")
            continue
        columns[name] = merge_column(columns.get(name, ColumnProfile()), spec)
    update: dict[str, Any] = {k: getattr(top, k) for k in top.model_fields_set if k != "columns"}
    return base.model_copy(update={**update, "columns": columns})


def _inferred(schema: Schema, table: Table, profile: TableProfile) -> TableProfile:
    made = filled_by_keys(table)
    flag = one_per_parent(table, profile)
    if flag is not None and exactly_one_problems(schema, table, _with_flag(profile, flag)):
        flag = None
    if flag is not None:
        profile = _with_flag(profile, flag)
    guesses = {
        col.name: _guess(col, table, profile.columns.get(col.name))
        for col in table.columns
        if col.name not in made
    }
    extras = inferred_specs(schema, table, guesses, profile)
    columns: dict[str, ColumnProfile] = {}
    for col in table.columns:
        declared = profile.columns.get(col.name)
        if col.name in made:
            if declared is not None:
                columns[col.name] = declared  # reported by the checks
            continue
        guess = guesses[col.name]
        extra = extras.get(col.name)
        if extra is not None:
            # A rule's spec the column's constraints reject is not written: inference alone
            # never makes a schema fail.
            trial = merge_column(guess, extra)
            if not column_problems(schema, table, col, trial):
                guess = trial
        columns[col.name] = guess if declared is None else merge_column(guess, declared)
    return profile.model_copy(update={"columns": columns})


def _with_flag(profile: TableProfile, flag: ExactlyOne) -> TableProfile:
    return profile.model_copy(update={"exactly_one": flag})


def _guess(col: Column, table: Table, declared: ColumnProfile | None) -> ColumnProfile:
    semantic = infer_semantic(col, table)
    choices = col.choices
    if choices is None and col.kind in ("string", "text"):
        found = comment_choices(col.comment)
        if found and col.length is not None:
            found = tuple(c for c in found if len(c) <= col.length) or None
        choices = found if found and not col.pattern else None
    if choices is None or _declares_source(declared):
        return ColumnProfile(semantic=semantic)
    weights = choice_weights(tuple(choices))
    if declared is not None and declared.weights is not None:
        return ColumnProfile(semantic=semantic)
    return ColumnProfile(
        semantic=semantic,
        values={c: round(float(w), 4) for c, w in zip(choices, weights, strict=True)},
    )


def _declares_source(spec: ColumnProfile | None) -> bool:
    if spec is None:
        return False
    return any(
        getattr(spec, k) is not None
        for k in ("values", "expr", "from_parent", "template", "aggregate", "distribution", "by")
    )


def _syda_info(info: Mapping[str, Any]) -> Mapping[str, Any]:
    raw = info.get("syda") if isinstance(info, Mapping) else None
    return raw if isinstance(raw, Mapping) else {}
