"""Kinds users register (:func:`syda.register_kind`), drawn for the offline provider.

Their generators take a :class:`~syda.ColumnContext` like the vectorised column generators of
a profile, so a registered kind sees the same row context, parents and reference day; this
module builds that context from the provider's batch and checks what comes back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from syda.generators.values import AnyArray, Batch, ColumnSpec

__all__ = ["today_of", "user_kind"]


def user_kind(batch: Batch, spec: ColumnSpec, fn: Any) -> AnyArray:
    """A kind the user registered: ``fn(ctx)`` over the batch, as a column generator is."""
    from syda.profile.context import DrawContext
    from syda.profile.spec import ColumnProfile
    from syda.profile.vector import call_generator

    request = batch.request
    frame = request.context if len(request.context.columns) else pd.DataFrame(index=range(batch.n))
    ctx = DrawContext(
        table=batch.table,
        column=spec.column,
        spec=ColumnProfile(semantic=spec.semantic),
        semantic=spec.semantic,
        n=batch.n,
        rng=batch.rng,
        frame=frame.reset_index(drop=True),
        parents=request.parents,
        today=today_of(batch),
    )
    converted = call_generator(
        fn, ctx, f"the generator of kind {spec.semantic!r}", "kind_generator"
    )
    if spec.column.kind in ("integer", "float", "decimal"):
        return converted.to_numpy(dtype=float, na_value=np.nan)
    if spec.column.kind in ("date", "datetime"):
        return pd.to_datetime(converted).to_numpy()
    return converted.to_numpy(dtype=object)


def today_of(batch: Batch) -> date:
    """The batch's reference date as a ``date``."""
    return date.fromisoformat(str(batch.today))
