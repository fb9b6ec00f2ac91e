"""How a plan is cut into chunks, and what the streaming engine refuses (with the reason).

A table without a cardinality is cut every ``chunk_rows`` rows. A table whose rows come from a
cardinality (``OrderItem.order_id: 1-5``) is cut by *parents*: chunk ``s`` holds the children of
a fixed span of parents, whose counts are drawn from the stream ``(table, "rows", s)``. So a
parent's children never straddle two chunks (line numbers and ``exactly_one`` flags stay inside
one chunk), and the row offset of every chunk is known after a cheap pass over the counts
(integers only, one span at a time) without holding any row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np

from syda.errors import PlanError
from syda.generators.keys import Cardinality, covering_counts
from syda.generators.values import is_organisation_column
from syda.plan import ForeignKeyPlan, Plan, TablePlan
from syda.profile import Profile
from syda.profile.reads import parent_reads
from syda.stream.keys_text import is_position_key, key_problems
from syda.stream.lines import partner_of
from syda.stream.mix import stream_rng
from syda.stream.pairs import group_columns, pair_problems
from syda.stream.paths import path_problems, path_reads
from syda.stream.self_refs import self_ref_problems
from syda.stream.set_marks import set_markers
from syda.stream.unique_plan import unique_problems, unique_rest

__all__ = ["Layout", "StreamPlan", "span_counts", "stream_plan"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]
_FIXED_KINDS = frozenset({"integer", "float", "decimal", "boolean", "date", "datetime", "time"})


@dataclass(frozen=True)
class Layout:
    """A table's rows cut into chunks: chunk ``i`` is rows ``starts[i]:starts[i + 1]``."""

    key: str
    starts: IntArray
    by_parent: ForeignKeyPlan | None = None  # the key whose parent spans cut the chunks
    span: int = 0  # parents per chunk when cut by parent

    @property
    def rows(self) -> int:
        """Rows of the table."""
        return int(self.starts[-1])

    @property
    def chunks(self) -> int:
        """Chunks of the table."""
        return len(self.starts) - 1


@dataclass(frozen=True)
class StreamPlan:
    """Everything a chunk needs, picklable so a Dask worker can make any chunk."""

    plan: Plan
    seed: int
    chunk_rows: int
    today: date
    layouts: Mapping[str, Layout]
    stored: Mapping[str, tuple[str, ...]]  # per parent table: the columns children read
    locale: tuple[str, ...] = ("en_US",)
    markers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Per table: the columns that tell chunks apart in a UNIQUE set (syda.stream.set_marks)."""


def stream_plan(
    plan: Plan, *, seed: int, chunk_rows: int, today: date, locale: tuple[str, ...] = ("en_US",)
) -> StreamPlan:
    """Check that ``plan`` can stream and cut every table into chunks.

    Raises:
        PlanError: Listing every feature of the plan the streaming engine cannot make yet.
    """
    if chunk_rows < 1:
        raise PlanError(f"chunk_rows must be a positive whole number, not {chunk_rows}")
    problems = _problems(plan)
    if problems:
        raise PlanError(
            "the streaming engine cannot make this plan yet (use the in-memory engine):\n  - "
            + "\n  - ".join(problems)
        )
    layouts: dict[str, Layout] = {}
    markers: dict[str, dict[str, str]] = {}
    for key in plan.order:
        layouts[key] = _layout(plan, key, seed, chunk_rows, layouts)
        tp = plan.tables[key]
        # What needs the row counts: enough key values of the width, enough parent tuples.
        rows = layouts[key].rows
        counted = key_problems(tp, rows) + pair_problems(tp, layouts[key].by_parent, layouts, rows)
        cut = layouts[key].by_parent
        sequences = [c for c, s in tp.sources.items() if s.kind == "sequence"]
        _, rest, first_only = unique_rest(tp, sequences, set(cut.fk.columns) if cut else set())
        markers[key], unmarked = set_markers(tp, rest, rows)
        markers[key].update(dict.fromkeys(first_only, "first_only"))
        if counted or unmarked:
            raise PlanError("; ".join(counted + unmarked), table=key)
    for key in plan.order:  # every table laid out: keys closing a cycle included
        for f in plan.tables[key].foreign_keys:
            parents = layouts[f.fk.ref_table].rows
            if f.mode == "one_to_one" and layouts[key].rows > parents:
                raise PlanError(
                    f"{layouts[key].rows} rows need distinct parents (one-to-one) but "
                    f"{f.fk.ref_table} has only {parents} rows",
                    table=key,
                )
    stored = _stored(plan)
    return StreamPlan(plan, seed, chunk_rows, today, layouts, stored, locale, markers)


def _card_key(tp: TablePlan) -> ForeignKeyPlan | None:
    """The key whose parents cut the table.

    The key with a cardinality, else the one its line numbers or ``exactly_one`` flags count
    within, so that no group straddles two chunks.
    """
    found = [f for f in tp.foreign_keys if f.cardinality is not None]
    if found:
        return found[0]
    # A document's lines: cut on the documents, so each span covers its own (stream.lines).
    covering = [f for f in tp.foreign_keys if f.covers and f.mode == "many"]
    if covering:
        return covering[0]
    groups = _groups(tp)
    grouping = [
        f
        for f in tp.foreign_keys
        if f.mode == "many" and not f.deferred and [set(f.fk.columns)] == groups
    ]
    if grouping or groups:
        return grouping[0] if grouping else None
    return _unique_key(tp)


def _unique_key(tp: TablePlan) -> ForeignKeyPlan | None:
    """The key that most UNIQUE sets of values hold (``(user_id, mailbox)``), to cut by.

    Cut by that key, all the rows of one parent are in one chunk, so the chunk's repair loop
    and checks keep such a set unique over the whole table, as in memory. Sets made unique by
    construction otherwise (a sequence, a code, a parent tuple) do not count.
    """
    made = {c for c, s in tp.sources.items() if s.kind in ("sequence", "key")}
    pairs = group_columns(tp)
    counts: dict[int, int] = {}
    for us in tp.table.unique_sets:
        cols = set(us)
        if cols & made or any(group <= cols for group in pairs) or len(cols) < 2:
            continue
        for f in tp.foreign_keys:
            if f.mode == "many" and f.path is None and not f.deferred and set(f.fk.columns) < cols:
                counts[f.index] = counts.get(f.index, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda i: (counts[i], -i))
    return next(f for f in tp.foreign_keys if f.index == best)


def _groups(tp: TablePlan) -> list[set[str]]:
    """The column sets the table's line numbers and ``exactly_one`` flags count within."""
    out: list[set[str]] = []
    for col, src in tp.sources.items():
        if src.kind == "sequence_in_group":
            out.append({c for us in tp.table.unique_sets if col in us for c in us if c != col})
    for rule in tp.profile.exactly_ones():
        out.append({rule.per} if isinstance(rule.per, str) else set(rule.per))
    unique: list[set[str]] = []
    for group in out:
        if group not in unique:
            unique.append(group)
    return unique


def span_counts(
    plan: Plan, seed: int, layouts: Mapping[str, Layout], key: str, span: int
) -> IntArray:
    """The children of each parent of chunk ``span`` of a table cut by parent."""
    layout = layouts[key]
    fkp = layout.by_parent
    assert fkp is not None and fkp.cardinality is not None
    n_parents = layouts[fkp.fk.ref_table].rows
    lo, hi = span * layout.span, min((span + 1) * layout.span, n_parents)
    rng = stream_rng(seed, key, "rows", span)
    rows = plan.tables[key].rows
    if rows is None:
        return fkp.cardinality.counts(rng, hi - lo).astype(np.int64)
    # An exact total: every span takes its share of it, in proportion to its parents.
    share = rows * hi // n_parents - rows * lo // n_parents
    if fkp.covers:
        partner = partner_of(plan.tables[key], fkp)
        most = layouts[partner.fk.ref_table].rows if partner is not None else None
        # Each document of the span reached once before any gets two, capped at the products.
        return covering_counts(rng, hi - lo, share, most=most)
    return fkp.cardinality.fit_total(rng, hi - lo, share).astype(np.int64)


def _layout(
    plan: Plan, key: str, seed: int, chunk_rows: int, layouts: Mapping[str, Layout]
) -> Layout:
    tp = plan.tables[key]
    fkp = _card_key(tp)
    if fkp is None:
        assert tp.rows is not None  # the planner gives every table without a cardinality a count
        starts = np.append(np.arange(0, tp.rows, chunk_rows, dtype=np.int64), tp.rows)
        return Layout(key, starts.astype(np.int64))
    n_parents = layouts[fkp.fk.ref_table].rows
    if fkp.cardinality is None:
        # Rows counted within a key but no cardinality: the table's rows spread over the
        # parents as a Poisson, with the exact total asked.
        assert tp.rows is not None
        fkp = replace(fkp, cardinality=Cardinality(mean=tp.rows / max(n_parents, 1)))
    card = fkp.cardinality
    assert card is not None
    # Parents per chunk: so many that a chunk holds about chunk_rows rows at the most.
    per_parent = card.high if card.mean is None and card.fn is None else 2 * (card.mean or 1.0)
    span = max(1, int(chunk_rows // max(per_parent, 1)))
    n_spans = max(1, -(-n_parents // span))
    draft = Layout(key, np.zeros(1, dtype=np.int64), fkp, span)
    sizes = [
        int(span_counts(plan, seed, {**layouts, key: draft}, key, s).sum()) for s in range(n_spans)
    ]
    starts = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)
    return Layout(key, starts, fkp, span)


def _stored(plan: Plan) -> dict[str, tuple[str, ...]]:
    """Parent columns a child reads: what its specs name, and every fixed-width column.

    Fixed-width columns are cheap to keep (8 bytes a row) and the offline engine reads some
    by name (a line's ``unit_price`` from the product's ``price``); text is kept only when a
    spec names it, or when the offline engine reads it by name (a company's website, the
    domain of its contacts' emails).
    """
    profile = Profile(tables={k: tp.profile for k, tp in plan.tables.items()})
    reads = parent_reads(plan.schema, profile)
    copied = path_reads(plan)
    for key, cols in _key_reads(plan).items():
        copied.setdefault(key, set()).update(cols)
    # A self-reference reads nothing of the earlier row: its key is a function of its position.
    parents = {
        f.fk.ref_table for tp in plan.tables.values() for f in tp.foreign_keys if f.mode != "self"
    } | set(copied)
    for tp in plan.tables.values():
        for f in tp.foreign_keys:
            if f.among is not None:  # the title a role-named key picks its parents by
                copied.setdefault(f.fk.ref_table, set()).add(f.among.column)
    mailed = _mail_parents(plan)
    out: dict[str, tuple[str, ...]] = {}
    for key in parents:
        table = plan.schema.table(key)
        out[key] = tuple(
            c.name
            for c in table.columns
            if c.kind in _FIXED_KINDS
            or c.name in reads.get(key, ())
            or c.name in copied.get(key, ())
            or (key in mailed and is_organisation_column(c.name))
        )
    return out


_MAIL = frozenset({"email", "work_email"})


def _mail_parents(plan: Plan) -> set[str]:
    """Parents of tables with an email column: their web address gives the mail its domain.

    Only those keep a website text column in the store (a chunk's I/O grows with each).
    """
    out: set[str] = set()
    for tp in plan.tables.values():
        mails = any(
            tp.semantic(c) in _MAIL for c in tp.table.columns if c.name in tp.provider_columns
        )
        if mails:
            out.update(f.fk.ref_table for f in tp.foreign_keys)
    return out


def _problems(plan: Plan) -> list[str]:
    # A key closing a cycle (store.manager_staff_id -> staff) points at a position of a table
    # made later: drawn like any key, it needs nothing of that table but its row count, and
    # the database writer handles the cycle (syda.database.cycles).
    problems: list[str] = []
    for key in plan.order:
        problems.extend(f"{key}: {p}" for p in _table_problems(plan, plan.tables[key]))
    return problems


def _table_problems(plan: Plan, tp: TablePlan) -> list[str]:
    out: list[str] = []
    table = tp.table
    for col, src in tp.sources.items():
        if src.kind == "series":
            out.append(f"column {col} is filled as {src.kind!r} (needs the whole table)")
    out.extend(key_problems(tp, None))
    sequences = [c for c, s in tp.sources.items() if s.kind == "sequence"]
    cards = [f for f in tp.foreign_keys if f.cardinality is not None]
    if len(cards) > 1:
        out.append("more than one foreign key has a cardinality")
    for f in tp.foreign_keys:
        if f.mode not in ("many", "one_to_one", "self", "combination"):
            out.append(f"foreign key ({', '.join(f.fk.columns)}) is {f.mode}")
        if f.path is not None:
            out.extend(path_problems(plan, tp, f))
        if f.mode == "self":
            out.extend(self_ref_problems(tp, f))
        parent = plan.tables.get(f.fk.ref_table)
        if parent is None or not (
            is_position_key(parent, f.fk.ref_columns) or _stored_key(tp, f, parent)
        ):
            out.append(
                f"foreign key ({', '.join(f.fk.columns)}) must reference a parent's key made "
                "by position (an integer sequence, a code, a UUID), or a NOT NULL unique set "
                "of its, sharing no column with another key"
            )
        if f.mode == "one_to_one" and f.cardinality is not None:
            out.append(f"one-to-one key ({', '.join(f.fk.columns)}) with a cardinality")
    cutting = _card_key(tp)
    card_cols = set(cutting.fk.columns) if cutting is not None else set()
    for col, src in tp.sources.items():
        if src.kind == "sequence_in_group":
            group = {c for us in table.unique_sets if col in us for c in us if c != col}
            if group != card_cols:
                out.append(f"line number {col} must count within the key that cuts the table")
    for rule in tp.profile.exactly_ones():
        per = {rule.per} if isinstance(rule.per, str) else set(rule.per)
        if per != card_cols:
            out.append(f"exactly_one {rule.column} must be per the key that cuts the table")
    for name, spec in tp.profile.columns.items():
        if spec.aggregate:
            out.append(
                f"column {name} aggregates its children, {spec.aggregate} (needs every child "
                f"row; to stream, give it a spec of its own: profile {{{tp.table.key}: "
                f"{{columns: {{{name}: {{aggregate: null}}}}}}}})"
            )
    if tp.profile.series:
        out.append("a series axis (needs the whole table)")
    out.extend(unique_problems(tp, sequences, card_cols))
    return out


def _stored_key(tp: TablePlan, fkp: ForeignKeyPlan, parent: TablePlan) -> bool:
    """Whether ``fkp`` can copy its parent's referenced columns from the parent's store.

    They must be a NOT NULL unique set of the parent (so each row has its own, and a child
    never copies a NULL), and no other key of the child may set one of its columns.
    """
    refs = fkp.fk.ref_columns
    if fkp.mode not in ("many", "one_to_one") or fkp.path is not None or fkp.deferred:
        return False
    if not all(parent.table.has_column(c) and not parent.table.column(c).nullable for c in refs):
        return False
    if set(refs) not in [set(us) for us in parent.table.unique_sets]:
        return False
    mine = set(fkp.fk.columns)
    return not any(mine & set(f.fk.columns) for f in tp.foreign_keys if f.index != fkp.index)


def _key_reads(plan: Plan) -> dict[str, set[str]]:
    """The parent columns children copy as foreign keys, by parent (kept in its store)."""
    out: dict[str, set[str]] = {}
    for tp in plan.tables.values():
        for f in tp.foreign_keys:
            parent = plan.tables.get(f.fk.ref_table)
            if parent is not None and not is_position_key(parent, f.fk.ref_columns):
                out.setdefault(f.fk.ref_table, set()).update(f.fk.ref_columns)
    return out
