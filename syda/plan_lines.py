"""A document's lines: every invoice has a line, and an order lists each product once.

Sampled like any other foreign key, 150 invoice lines over 150 invoices leave about a third of
the invoices without a line (and a total of 0.00), and a busy order names one product on two
lines. So the planner reads which tables are the lines of a document, from the schema's shape,
and the fill (:mod:`syda.fill`) then

- gives every document a line before any gets a second (``covers``), the rest spread with the
  usual skew, when the table's count is asked (a cardinality the user sets decides instead);
- draws the product of each line distinct within its document (``distinct_per``).

A table is the lines of a document when one of these shapes holds (:data:`LINE_SHAPES`):

``numbered``
    a unique set (or primary key) of one foreign key and a line number: ``(order_id,
    line_no)``, TPC-H's ``(l_orderkey, l_linenumber)``;
``priced``
    a line (a quantity, and a price read from one parent: :func:`~syda.profile.inferred_sums.
    line_of`) whose other parent is the only one left: ``InvoiceLine(InvoiceId, TrackId)``,
    Northwind's ``order_details(order_id, product_id)``.

The document is never the parent the line reads its price from (that is the product: TPC-DS's
``store_sales(ss_item_sk, ss_ticket_number)`` is not an item's lines), and a key another rule
already ties (a cycle, a key following another, a one-to-one key) is left as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from syda.generators.infer import name_tokens
from syda.profile.context import parent_aliases
from syda.profile.inferred_sums import line_of
from syda.schema.ir import Schema, Table

if TYPE_CHECKING:
    from syda.plan import ForeignKeyPlan, Source, TablePlan

__all__ = [
    "LINE_NUMBER_WORDS",
    "LINE_SHAPES",
    "Lines",
    "document_lines",
    "line_reads",
    "with_document_lines",
]

LINE_NUMBER_WORDS = frozenset(
    {"line", "linenumber", "lineno", "linenum", "seq", "sequence", "position", "pos", "item"}
)
"""Words of a column numbering the lines of a document (``line_no``, ``l_linenumber``)."""

LINE_SHAPES = ("numbered", "priced")
"""The shapes that make a table the lines of a document, in the order they are tried."""


@dataclass(frozen=True)
class Lines:
    """A table read as the lines of a document."""

    shape: str
    document: int
    """Index (in the table's foreign keys) of the key to the document."""
    product: int | None
    """Index of the key to what each line names (drawn distinct per document), if any."""


def document_lines(schema: Schema, tp: TablePlan) -> Lines | None:
    """How ``tp``'s table is the lines of a document, or None when it is not."""
    free = {f.index: f for f in tp.foreign_keys if _free(f, tp)}
    if not free:
        return None
    product = _priced_by(schema, tp.table)
    for shape in LINE_SHAPES:
        found = _SHAPES[shape](schema, tp, free, product)
        if found is not None and found != product:
            rest = [i for i in free if i not in (found, product)]
            named = product if product in free else (rest[0] if len(rest) == 1 else None)
            return Lines(shape, found, named)
    return None


def _free(fkp: ForeignKeyPlan, tp: TablePlan) -> bool:
    """A key sampled on its own: to another table, its only key there, tied to no other key."""
    fk = fkp.fk
    if fkp.deferred or fkp.path is not None or fkp.mode not in ("many", "combination"):
        return False
    if fkp.mode == "combination" and len(fkp.group) != 2:
        return False
    table = tp.table
    twice = sum(f.ref_table == fk.ref_table for f in table.foreign_keys) > 1
    if fk.ref_table == table.key or twice:
        return False
    others = {c for f in table.foreign_keys if f is not fk for c in f.columns}
    return not set(fk.columns) & others


def _priced_by(schema: Schema, table: Table) -> int | None:
    """The key to the parent whose price a line is sold at (the product), if any."""
    line = line_of(schema, table)
    if line is None or line.source is None:
        return None
    first = line.source[0].alias.split(".")[0]
    return parent_aliases(table).get(first)


def _numbered(
    schema: Schema, tp: TablePlan, free: Mapping[int, ForeignKeyPlan], product: int | None
) -> int | None:
    """``(order_id, line_no)``: a unique set of one free key and a line number."""
    table = tp.table
    fk_columns = {c for fk in table.foreign_keys for c in fk.columns}
    for columns in table.unique_sets:
        rest = [c for c in columns if c not in fk_columns]
        if len(rest) != 1 or table.column(rest[0]).kind != "integer":
            continue
        if not set(name_tokens(rest[0])) & LINE_NUMBER_WORDS:
            continue
        keys = [i for i, f in free.items() if set(f.fk.columns) <= set(columns)]
        inside = {c for i in keys for c in free[i].fk.columns}
        if len(keys) == 1 and inside | set(rest) == set(columns):
            return keys[0]
    return None


def _priced(
    schema: Schema, tp: TablePlan, free: Mapping[int, ForeignKeyPlan], product: int | None
) -> int | None:
    """A priced line whose one other free key leads to the document."""
    if product is None:
        return None
    rest = [i for i in free if i != product]
    return rest[0] if len(rest) == 1 else None


_SHAPES = {"numbered": _numbered, "priced": _priced}


def with_document_lines(schema: Schema, plans: Mapping[str, TablePlan]) -> dict[str, TablePlan]:
    """``plans`` with the keys of every document's lines marked (and described for inspect)."""
    out = dict(plans)
    for key, tp in plans.items():
        lines = document_lines(schema, tp)
        if lines is None:
            continue
        held = any(f.cardinality is not None for f in tp.foreign_keys)
        doc = tp.table.foreign_keys[lines.document]
        # A cardinality decides every parent's count; covering would overrule it.
        covers = not held and tp.rows is not None
        fkps: list[ForeignKeyPlan] = []
        sources = dict(tp.sources)
        for fkp in tp.foreign_keys:
            if fkp.index == lines.document and covers:
                fkp = replace(fkp, covers=True)
                _describe(sources, fkp, f"one per {doc.ref_table} before any gets two")
            elif fkp.index == lines.product and fkp.mode == "many":
                fkp = replace(fkp, distinct_per=lines.document)
                _describe(sources, fkp, f"distinct within each {doc.ref_table}")
            fkps.append(fkp)
        out[key] = replace(tp, foreign_keys=tuple(fkps), sources=sources)
    return out


def _describe(sources: dict[str, Source], fkp: ForeignKeyPlan, how: str) -> None:
    from syda.plan import Source  # the plan module imports this one

    for col in fkp.fk.columns:
        old = sources[col]
        sources[col] = Source(old.kind, f"{old.detail}, {how}" if old.detail else how)


def line_reads(
    plans: Mapping[str, TablePlan], reads: Mapping[str, set[str]]
) -> dict[str, set[str]]:
    """``reads`` with the document keys of the lines, read from the existing lines too.

    Appended lines reach first the documents no existing line points at.
    """
    out = {key: set(columns) for key, columns in reads.items()}
    for key, tp in plans.items():
        for fkp in tp.foreign_keys:
            if fkp.covers:
                out.setdefault(key, set()).update(fkp.fk.columns)
    return out
