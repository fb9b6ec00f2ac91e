"""A key named for a role in chunks: a support rep is support or sales staff.

The in-memory engine narrows such a key's parents to the rows whose job title holds the role
(:mod:`syda.plan_roles`). A chunk of the stream sees no parent table, only the columns its
parents keep in the store, so the layout keeps the parent's title column and each process
works out the fitting parent positions once (a parent table is complete before any child
chunk is made), then draws among them with the stream's fixed popularity skew.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from syda.plan import ForeignKeyPlan
from syda.plan_roles import role_parents

__all__ = ["fitting_parents", "forget_roles"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]

_fitting: dict[tuple[str, str, Any], IntArray | None] = {}


def fitting_parents(
    root: str, fkp: ForeignKeyPlan, n_parents: int, read: Callable[[IntArray], pd.DataFrame]
) -> IntArray | None:
    """The parent positions whose title holds ``fkp``'s role (None: every parent fits).

    ``read`` gives the parent's stored rows at some positions; it is called once per run and
    process.
    """
    assert fkp.among is not None
    key = (root, fkp.fk.ref_table, fkp.among)
    if key not in _fitting:
        titles = read(np.arange(n_parents, dtype=np.int64))[[fkp.among.column]]
        _fitting[key] = role_parents(titles, fkp.among, None)
    return _fitting[key]


def forget_roles(root: str) -> None:
    """Drop a finished run's fitting positions."""
    for key in [k for k in _fitting if k[0] == root]:
        del _fitting[key]
