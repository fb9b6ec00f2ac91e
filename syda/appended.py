"""What new rows owe the rows a target holds already (append mode).

The existing rows are read bounded: only their key, UNIQUE and referenced columns
(:func:`syda.database.read_existing`). New key values are drawn to avoid theirs: a provider is
told the values it must not repeat (``FillRequest.taken``) and numbers its codes on from the
existing rows (``FillRequest.row_offset``), so a second run of ``CUST-000001`` ... continues at
``CUST-000201`` instead of colliding with the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = ["rows_before", "taken_values"]


def rows_before(existing: pd.DataFrame | None) -> int:
    """How many rows the target holds already (0 outside append mode)."""
    return 0 if existing is None else len(existing)


def taken_values(
    existing: pd.DataFrame | None, columns: Sequence[str]
) -> dict[str, pd.Series[Any]]:
    """Per column of ``columns`` that the existing rows have, the values they hold."""
    if existing is None or not len(existing):
        return {}
    return {c: existing[c].dropna() for c in columns if c in existing}
