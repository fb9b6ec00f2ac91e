"""Text membership conditions (``status IN ('Shipped', 'Delivered')``) decided without DuckDB
give exactly what DuckDB gives, NULLs included; other conditions still go to DuckDB."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from syda.profile import exprs
from syda.profile.context import DrawContext
from syda.profile.spec import ColumnProfile
from syda.schema.ir import Column, Table

STATUS = ["New", "Shipped", None, "Delivered", "shipped", "Cancelled", None, "Shipped "]
TABLE = Table(
    key="Order",
    name="orders",
    columns=(
        Column(name="status", kind="string", nullable=True),
        Column(name="shipped_date", kind="date", nullable=True),
    ),
)


def _ctx(frame: pd.DataFrame) -> DrawContext:
    return DrawContext(
        table=TABLE, column=TABLE.column("shipped_date"), spec=ColumnProfile(), semantic="",
        n=len(frame), rng=np.random.default_rng(0), frame=frame, today=date(2025, 1, 1),
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "status IN ('Shipped', 'Delivered')",
        "status NOT IN ('Shipped', 'Delivered')",
        "status = 'Shipped'",
        "status <> 'Shipped'",
        "NOT status IN ('New')",
        "NOT status <> 'Shipped'",
    ],
)
@pytest.mark.parametrize("dtype", [object, "str"])
def test_membership_is_decided_as_duckdb_decides_it(text: str, dtype: object) -> None:
    ctx = _ctx(pd.DataFrame({"status": pd.Series(STATUS, dtype=dtype)}))  # type: ignore[call-overload]
    assert exprs._membership(ctx, text) is not None, "the quick road is taken"
    duck = exprs.evaluate(ctx, text).fillna(False).astype(bool).to_numpy()
    assert exprs.condition(ctx, text).tolist() == duck.tolist()


def test_other_conditions_go_to_duckdb() -> None:
    ctx = _ctx(pd.DataFrame({"status": pd.Series([1, 2, 3], dtype=object)}))
    assert exprs._membership(ctx, "status IN ('1', '2')") is None  # numbers: DuckDB casts
    assert exprs._membership(ctx, "status IN (1, 2)") is None
    assert exprs._membership(ctx, "length(status) > 1") is None
