"""Specs inference writes from the rules of :mod:`syda.profile.infer_rules`, with no configuration.

Dates implied by names are ordered (``after`` + ``gap``), a status implies its dates
(``null_unless``), a primary flag marks one row per parent (``exactly_one``), a lookup table
takes the vocabulary of its neighbours' domain (``film_category``) and always names its rows,
year columns hold plausible years, a column's DEFAULT is its common value, readings and
counters have their range and shape (:mod:`syda.profile.inferred_measures`), and a line's
price, amount and total are its arithmetic (:mod:`syda.profile.inferred_sums`). A rule writes
nothing where the schema or the user already says how the column is drawn, and
:mod:`syda.profile.effective` drops any inferred spec the column's constraints reject, so
inference never makes a schema fail.
"""

from __future__ import annotations

import re
from typing import Any

from syda.generators.infer import comment_choices, name_tokens
from syda.generators.lookup_specs import lookup_specs
from syda.profile import infer_rules as rules
from syda.profile.defaults import inferred_default
from syda.profile.inferred_calendar import calendar_spec, code_spec, uniform_within
from syda.profile.inferred_copies import copy_specs
from syda.profile.inferred_mail import work_email_specs
from syda.profile.inferred_measures import measure_spec
from syda.profile.inferred_prices import price_scale_specs
from syda.profile.inferred_sums import sum_specs
from syda.profile.inferred_texts import product_description_specs
from syda.profile.lineage import earlier_parents
from syda.profile.spec import ColumnProfile, ExactlyOne, Gap, TableProfile
from syda.schema.ir import Column, Schema, Table

__all__ = ["inferred_specs", "one_per_parent"]

_DATES = frozenset({"date", "datetime"})
_TIME_KEYS = ("after", "min", "max", "seasonality", "trend", "gap")
_SOURCES = ("values", "weights", "expr", "from_parent", "template", "aggregate", "distribution",
            "by", "level")  # fmt: skip
_NULL_KEYS = ("null_share", "null_unless", "null_when")
_KINDS = ("semantic", *_SOURCES)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def inferred_specs(
    schema: Schema, table: Table, guesses: dict[str, ColumnProfile], declared: TableProfile
) -> dict[str, ColumnProfile]:
    """The specs the rules write for ``table``'s value columns (on top of ``guesses``)."""
    staged = _staged(declared)
    out: dict[str, dict[str, Any]] = {}
    follows = _follows(schema, table, guesses, declared, staged)
    for name, (after, gap) in follows.items():
        out.setdefault(name, {}).update(after=after, gap=gap)
    conditioned = _status_nulls(table, guesses, declared, staged)
    for name, condition in conditioned.items():
        out.setdefault(name, {})["null_unless"] = condition
    for name, share in _still_open(table, guesses, declared, staged, set(conditioned)).items():
        out.setdefault(name, {})["null_share"] = share
    semantics = {n: g.semantic for n, g in guesses.items() if not _sets(declared, n, _KINDS)}
    open_nulls = {n for n in guesses if n not in staged and not _sets(declared, n, _NULL_KEYS)}
    for name, keys in lookup_specs(schema, table, semantics, open_nulls).items():
        out.setdefault(name, {}).update(keys)  # film_category for sakila's category, names set
    sums = sum_specs(schema, table, lambda name: _free(name, guesses, declared, staged))
    # An invoice's billing address is its customer's (a copy, like a line's price).
    sums.update(copy_specs(schema, table, lambda name: _free(name, guesses, declared, staged)))
    # A consulting engagement costs more than a licence seat: price scaled by its category.
    # A product's price that lines copy is still drawn (its rule only bars NULLs).
    drawn = {n for n, keys in sums.items() if set(keys) - {"null_share"}}
    for name, keys in price_scale_specs(
        schema,
        table,
        guesses,
        lambda name: _free(name, guesses, declared, staged) and name not in drawn,
    ).items():
        sums.setdefault(name, {}).update(keys)
    for name, keys in sums.items():
        out.setdefault(name, {}).update(keys)
    # A contact of a company writes from its domain, not from gmail; a product is described.
    free = lambda name: _free(name, guesses, declared, staged)  # noqa: E731
    texts = work_email_specs(schema, table, guesses, free)
    texts.update(product_description_specs(table, guesses, free))
    for name, keys in texts.items():
        out.setdefault(name, {}).update(keys)
    for col in table.columns:
        if col.name in staged or col.name not in guesses or col.name in sums:
            continue
        if not _sets(declared, col.name, _SOURCES + _TIME_KEYS):
            # A counter DEFAULT 0 is where it starts, not what it holds: its shape wins.
            spec = (
                calendar_spec(table, col)
                or _year(col)
                or measure_spec(col)
                or _default(col, guesses[col.name])
                or code_spec(col)
            )
            if spec:
                out.setdefault(col.name, {}).update(spec)
    return {name: ColumnProfile(**keys) for name, keys in out.items()}


def one_per_parent(table: Table, declared: TableProfile) -> ExactlyOne | None:
    """``exactly_one`` for a primary/default flag beside a foreign key, unless one is declared."""
    if declared.exactly_one is not None or not table.foreign_keys:
        return None
    keys = set(table.primary_key)
    for col in table.columns:
        if col.kind != "boolean" or col.name in keys or col.generated:
            continue
        if not set(name_tokens(col.name)) & rules.ONE_PER_PARENT:
            continue
        if _sets(declared, col.name, _SOURCES + _NULL_KEYS):
            continue
        fks = [fk for fk in table.foreign_keys if fk.ref_table != table.key]
        if not fks:
            return None
        fk = next((f for f in fks if all(not table.column(c).nullable for c in f.columns)), fks[0])
        per: str | list[str] = fk.columns[0] if len(fk.columns) == 1 else list(fk.columns)
        return ExactlyOne(column=col.name, per=per)
    return None


# -- dates that follow others -----------------------------------------------------------------
def _follows(
    schema: Schema,
    table: Table,
    guesses: dict[str, ColumnProfile],
    declared: TableProfile,
    staged: set[str],
) -> dict[str, tuple[str, Gap]]:
    """``{column: (after, gap)}``: within the row first, then a parent's, then its creation."""
    candidates = [
        c
        for c in table.columns
        if c.name in guesses
        and c.kind in _DATES
        and not c.unique
        and c.name not in staged
        and not _sets(declared, c.name, _SOURCES + _TIME_KEYS)
        and not set(name_tokens(c.name)) & rules.NOT_EVENTS
    ]
    dates = [c for c in table.columns if c.kind in _DATES and c.name not in staged]
    found: dict[str, tuple[str, Gap]] = {}
    for col in candidates:
        hit = _row_follow(table, col, dates, found) or _parent_follow(schema, table, col)
        if hit is not None:
            found[col.name] = hit
    for col in candidates:
        rule = _rule_of(set(name_tokens(col.name)))
        if col.name not in found and (rule is None or rule.else_creation):
            hit = _after_creation(schema, table, col)
            if hit is not None:
                found[col.name] = hit
    return found


def _row_follow(
    table: Table, col: Column, dates: list[Column], found: dict[str, tuple[str, Gap]]
) -> tuple[str, Gap] | None:
    tokens = set(name_tokens(col.name))
    rule = _rule_of(tokens)
    if rule is None:
        return None
    for words in rule.earlier:
        for other in dates:
            other_tokens = set(name_tokens(other.name))
            if other.name == col.name or not other_tokens & words or other_tokens & rule.later:
                continue
            if rule.same_rest and (tokens - rule.later) != (other_tokens - words):
                continue
            if _opposed(table, col.name, other.name) or _leads_to(found, other.name, col.name):
                continue
            return other.name, rule.gap
    return None


def _parent_follow(schema: Schema, table: Table, col: Column) -> tuple[str, Gap] | None:
    """A payment after its rental: the rule's earlier event on a parent row."""
    rule = _rule_of(set(name_tokens(col.name)))
    if rule is None or rule.same_rest or rule.row_only:
        return None
    for words in rule.earlier:
        for alias, parent in earlier_parents(schema, table):
            for other in parent.columns:
                if other.kind in _DATES and set(name_tokens(other.name)) & words:
                    return f"{alias}.{other.name}", rule.gap
    return None


def _after_creation(schema: Schema, table: Table, col: Column) -> tuple[str, Gap] | None:
    """A child's event (an order, a rental) after its parent's creation (the customer's)."""
    if not set(name_tokens(col.name)) & rules.CHILD_EVENTS:
        return None
    for alias, parent in earlier_parents(schema, table):
        for other in parent.columns:
            if other.kind in _DATES and set(name_tokens(other.name)) & rules.CREATION:
                return f"{alias}.{other.name}", rules.CHILD_GAP
    return None


def _rule_of(tokens: set[str]) -> rules.Follow | None:
    return next((r for r in rules.FOLLOWS if r.names(tokens)), None)


def _opposed(table: Table, later: str, earlier: str) -> bool:
    """True when a CHECK orders the pair the other way (``later <= earlier``)."""
    for cmp in table.comparisons:
        if (cmp.left, cmp.right) == (later, earlier) and cmp.op in ("<", "<=", "="):
            return True
        if (cmp.left, cmp.right) == (earlier, later) and cmp.op in (">", ">=", "="):
            return True
    return False


def _leads_to(found: dict[str, tuple[str, Gap]], start: str, target: str) -> bool:
    step: str | None = start
    while step is not None and step in found:
        step = found[step][0]
        if step == target:
            return True
    return False


# -- a status implies its dates ---------------------------------------------------------------
def _status_nulls(
    table: Table, guesses: dict[str, ColumnProfile], declared: TableProfile, staged: set[str]
) -> dict[str, str]:
    statuses: list[tuple[str, list[Any]]] = []
    for c in table.columns:
        if set(name_tokens(c.name)) & rules.STATUS_NAMES and _IDENT.match(c.name):
            values = _allowed(table, c, guesses.get(c.name), declared.columns.get(c.name))
            if values:
                statuses.append((c.name, values))
    out: dict[str, str] = {}
    for col in table.columns:
        if col.kind not in _DATES or not col.nullable or col.name not in guesses:
            continue
        if col.name in staged or _sets(declared, col.name, _NULL_KEYS + _SOURCES):
            continue
        tokens = set(name_tokens(col.name))
        words = next((w for d, w in rules.STATUS_IMPLIES if tokens & d), None)
        if words is None:
            continue
        for status, values in statuses:
            happened = [v for v in values if _value_words(v) & words]
            if happened and len(happened) < len(values):
                listed = ", ".join("'" + str(v).replace("'", "''") + "'" for v in happened)
                out[col.name] = f"{status} IN ({listed})"
                break
    return out


def _still_open(
    table: Table,
    guesses: dict[str, ColumnProfile],
    declared: TableProfile,
    staged: set[str],
    conditioned: set[str],
) -> dict[str, float]:
    """Nullable end dates with no status to decide them: NULL where the end is still to come."""
    out: dict[str, float] = {}
    for col in table.columns:
        if col.kind not in _DATES or not col.nullable or col.name not in guesses:
            continue
        if col.name in staged | conditioned or _sets(declared, col.name, _NULL_KEYS + _SOURCES):
            continue
        tokens = set(name_tokens(col.name))
        share = next((s for words, s in rules.STILL_OPEN if tokens & words), None)
        if share is not None:
            out[col.name] = share
    return out


def _allowed(
    table: Table, col: Column, guess: ColumnProfile | None, declared: ColumnProfile | None
) -> list[Any] | None:
    for spec in (declared, guess):
        if spec is not None and spec.values is not None:
            values = spec.values
            return list(values) if isinstance(values, (dict, list)) else None
    if col.choices:
        return list(col.choices)
    if col.kind not in ("string", "text"):
        return None
    found = comment_choices(col.comment)
    if found:
        return list(found)
    if guess is not None and guess.semantic == "status":
        return list(_status_vocabulary(table, col))
    return None


def _status_vocabulary(table: Table, col: Column) -> tuple[str, ...]:
    """The statuses the provider draws for the table (an order's: Delivered, Pending...)."""
    from syda.generators.infer import table_tokens
    from syda.generators.values import ColumnSpec
    from syda.generators.values_text import default_statuses

    return default_statuses(ColumnSpec(col, "status", None, False), table_tokens(table))


def _value_words(value: Any) -> set[str]:
    return set(name_tokens(str(value))) | {str(value).strip().lower()}


# -- years and defaults -----------------------------------------------------------------------
def _year(col: Column) -> dict[str, Any] | None:
    tokens = set(name_tokens(col.name))
    if not tokens & rules.YEAR_WORDS or tokens & rules.NOT_YEARS:
        return None
    window = next((w for w in rules.YEARS if tokens & w.words), None)
    if window is None:
        return None
    from syda.generator import FIXED_REFERENCE_DATE  # the facade imports this module

    # The fixed reference year, not today's: the same profile (and data) on any day.
    this = FIXED_REFERENCE_DATE.year
    low, high = this - window.back, this + window.ahead
    if col.kind == "integer":
        return uniform_within(col, low, high)
    if col.kind in ("string", "text") and col.length == 4 and not col.choices and not col.pattern:
        return {"values": [str(y) for y in range(low, high + 1)]}
    return None


def _default(col: Column, guess: ColumnProfile) -> dict[str, Any] | None:
    """The DEFAULT as the common value: 80% of rows, the rest shared by the other values.

    A DEFAULT none of these rules take (a number, a text, now()) is :mod:`syda.profile.defaults`'.
    """
    value = col.default
    if col.unique:
        return None
    others: list[Any]
    if value is None:
        return _other_default(col)
    if isinstance(guess.values, dict) and value in guess.values:
        others = [v for v in guess.values if v != value]
    elif col.kind == "boolean" and isinstance(value, bool):
        others = [not value]
    elif isinstance(value, str) and col.length == 1 and value.upper() in rules.FLAG_PAIRS:
        other = rules.FLAG_PAIRS[value.upper()]
        others = [other if value.isupper() else other.lower()]
    else:
        return _other_default(col)
    share = rules.DEFAULT_SHARE
    if not others:
        return None
    rest = round((1 - share) / len(others), 4)
    return {"values": {value: share, **dict.fromkeys(others, rest)}}


def _other_default(col: Column) -> dict[str, Any] | None:
    from syda.generator import FIXED_REFERENCE_DATE  # the facade imports this module

    tokens = set(name_tokens(col.name))
    return inferred_default(col, tokens, rules.DEFAULT_SHARE, FIXED_REFERENCE_DATE)


# -- what the schema or the user already says ---------------------------------------------------
def _sets(declared: TableProfile, column: str, keys: tuple[str, ...]) -> bool:
    spec = declared.columns.get(column)
    return spec is not None and any(getattr(spec, k) is not None for k in keys)


def _free(
    name: str, guesses: dict[str, ColumnProfile], declared: TableProfile, staged: set[str]
) -> bool:
    """A value column no pattern fills and nobody said how to draw or make NULL."""
    return (
        name in guesses
        and name not in staged
        and not _sets(declared, name, _SOURCES + _TIME_KEYS + _NULL_KEYS)
    )


def _staged(declared: TableProfile) -> set[str]:
    stages = declared.stages
    names: set[str] = set()
    if stages is not None:
        names.add(stages.column)
        names.update(d for d in stages.dates or () if d)
    for rule in declared.exactly_ones():
        names.add(rule.column)
    return names
