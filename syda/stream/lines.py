"""A document's lines in chunks: every order has a line, and lists each product once.

The in-memory engine reads which tables are the lines of a document (:mod:`syda.plan_lines`):
the document key ``covers`` its parents (one line each before any gets two) and the product
key is drawn ``distinct_per`` document. The stream cuts such a table on spans of documents
(:mod:`syda.stream.layout`), so both rules hold chunk by chunk with no other chunk's rows:
each span covers its own documents with its share of the lines, and a chunk holds every line
of its documents, so products distinct within the chunk's groups are distinct per document.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from syda.generators.keys import distinct_partners
from syda.plan import ForeignKeyPlan, TablePlan
from syda.stream.mix import skewed_positions

__all__ = ["distinct_per_document", "partner_of"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]

_ROUNDS = 8  # redraws of repeating products before a document takes distinct ones outright


def partner_of(tp: TablePlan, fkp: ForeignKeyPlan) -> ForeignKeyPlan | None:
    """The key drawn distinct within each of ``fkp``'s parents (an order's products)."""
    return next((f for f in tp.foreign_keys if f.distinct_per == fkp.index), None)


def distinct_per_document(
    rng: np.random.Generator, groups: IntArray, n_parents: int, seed: int, name: str
) -> IntArray:
    """Parent positions with the stream's fixed popularity, distinct within each group.

    A row repeating a product of its document is drawn again (the same skew, so popular
    products stay popular in every chunk); a document still repeating after a few rounds
    takes distinct products outright. A document with more lines than there are products
    keeps its repeats (the layout's cap on a document's lines prevents that wherever it can).
    """
    picked = skewed_positions(rng, n_parents, len(groups), seed, name)
    for _ in range(_ROUNDS):
        repeat = _repeats(groups, picked)
        if not repeat.any():
            return picked
        picked[repeat] = skewed_positions(rng, n_parents, int(repeat.sum()), seed, name)
    repeat = _repeats(groups, picked)
    stuck = np.unique(groups[repeat])
    sizes = pd.Series(groups).value_counts()
    stuck = stuck[sizes.loc[stuck].to_numpy() <= n_parents]
    if len(stuck):
        again = np.isin(groups, stuck)
        # Groups are contiguous (lines follow their documents), so blocks keep the row order.
        block = np.unique(groups[again], return_counts=True)[1].astype(np.int64)
        picked[again] = distinct_partners(rng, block, n_parents)
    return picked


def _repeats(groups: IntArray, picked: IntArray) -> Any:
    """Rows whose (document, product) pair came earlier: the pair packed in one integer.

    One hashed column rather than a frame's two (a frame factorizes each first): the repeats
    of the draw loop were a tenth of a chunk of lines.
    """
    if not len(groups):
        return np.zeros(0, dtype=bool)
    low, width = int(picked.min()), int(picked.max()) - int(picked.min()) + 1
    first = int(groups.min())
    if (int(groups.max()) - first + 1) * width >= 2**62:
        return pd.DataFrame({"g": groups, "p": picked}).duplicated().to_numpy()
    packed = (groups.astype(np.int64) - first) * width + (picked.astype(np.int64) - low)
    return pd.Series(packed).duplicated().to_numpy()
