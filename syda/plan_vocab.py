"""A lookup table's rows bounded by its vocabulary: a dozen media types make a dozen rows.

A lookup table (:func:`~syda.generators.values_draw.is_lookup`) lists each value of its
vocabulary once. When its row count was not asked for it by name (it came from
``default_sample_size`` or the command line's blanket ``--rows N``), the plan gives it at most as
many rows as the closed vocabulary of its naming column has (the column whose values name the
row: ``Name``, ``category_name``, ``state_name``, a unique one, or the table's own word, as
``country.country``), and the children's foreign keys spread over those rows. The vocabulary is
the one the offline generator draws (:func:`~syda.generators.vocab_lookup.vocabulary`). A count
asked by name is kept: values repeat where the column is not unique, and a unique column with
fewer values than rows is a ``PlanError``.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from syda.errors import PlanError
from syda.generators.domains import domain_of
from syda.generators.kinds import registered_generator
from syda.generators.values_draw import is_lookup, names_row
from syda.generators.vocab_lookup import VOCABULARIES, vocabulary
from syda.schema.ir import Column

if TYPE_CHECKING:
    from syda.plan import TablePlan

__all__ = ["with_vocabulary_rows"]

logger = logging.getLogger("syda")


class _Bound(NamedTuple):
    column: str
    size: int
    what: str


def with_vocabulary_rows(tp: TablePlan, asked: int | None) -> TablePlan:
    """``tp`` with at most as many rows as its naming column's closed vocabulary has.

    Args:
        tp: The table's plan, its profile applied.
        asked: The rows asked for this table by name, or None (the default count applies).

    Raises:
        PlanError: If ``asked`` is more rows than a unique naming column has values.
    """
    table = tp.table
    if tp.rows is None or not is_lookup(table):
        return tp
    bounds = [b for c in table.columns if (b := _bound(tp, c)) is not None]
    if not bounds:
        return tp
    if asked is not None:
        for bound in bounds:
            if table.column(bound.column).unique and asked > bound.size:
                raise PlanError(
                    f"unique, but syda knows only {bound.size} {bound.what} for {asked} rows: "
                    f"ask for at most {bound.size} rows, or give the column values (a "
                    "profile's values:) or a generator",
                    table=table.key,
                    column=bound.column,
                )
        return tp
    widest = max(bounds, key=lambda b: b.size)
    if tp.rows <= widest.size:
        return tp
    note = (
        f"{widest.size:,} rows, not {tp.rows:,}: {widest.column} lists each of the "
        f"{widest.size:,} {widest.what} once (name {table.key} in sample_sizes or --rows "
        f"{table.key}=N for another count)"
    )
    logger.info("%s: %s", table.key, note)
    return replace(tp, rows=widest.size, rows_note=note)


def _bound(tp: TablePlan, column: Column) -> _Bound | None:
    """The closed vocabulary of a naming column the provider fills, or None.

    Only a kind's own vocabulary counts: declared values (``title: {Junior, Senior}``) say how
    often each value occurs, not that the table lists each once.
    """
    source = tp.sources.get(column.name)
    if source is None or source.kind != "provider" or not names_row(tp.table, column):
        return None
    semantic = tp.semantic(column)
    if semantic not in VOCABULARIES or registered_generator(semantic) is not None:
        return None  # no closed vocabulary, or the user's own kind decides
    found = vocabulary(semantic, column, tp.table, domain_of(tp.table))
    return _Bound(column.name, len(found), VOCABULARIES[semantic].what) if found else None
