"""Labelled dirty data: known defects injected into clean, valid rows, with their ground truth.

Data pipelines are tested against data with known defects: missing values (NULL, ``""``,
``"N/A"``; at random or where a condition holds), format variants (dates, phones, names,
amounts), typos, stray whitespace, wrong case, unit changes, outliers, swapped fields, exact and
near duplicates, orphan foreign keys, broken cardinality, and the same entities in several
sources that disagree. :func:`make_dirty` applies a :class:`DirtySpec` after the clean data is
made and validated and returns :class:`DirtyData`: the clean tables unchanged, the dirty ones,
the other sources, and a manifest of every defect (table, row, key, column, kind, clean value).
``SyntheticDataGenerator.generate_related_data(..., dirty=spec)`` and ``syda generate --dirty
FILE`` do the same in one step.
"""

from syda.dirty.apply import MANIFEST_COLUMNS, DirtyData, make_dirty
from syda.dirty.sources import SOURCE_COLUMN
from syda.dirty.spec import CELL_KINDS, ROW_KINDS, DirtySpec, load_dirty_spec

__all__ = [
    "CELL_KINDS",
    "MANIFEST_COLUMNS",
    "ROW_KINDS",
    "SOURCE_COLUMN",
    "DirtyData",
    "DirtySpec",
    "load_dirty_spec",
    "make_dirty",
]
