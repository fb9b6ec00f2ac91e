"""A provider's values become the series pandas would make of them, text by Arrow's faster road."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from syda.batches import text_or_series

CASES = {
    "text": ["Ada", "Grace", "Édith", "李"],
    "text and NULLs": ["Ada", None, math.nan, "Grace"],
    "numbers": [1, 2, 3],
    "mixed": ["Ada", 1, 2.5],
    "bytes": [b"\x00\x01", b"\xff"],
    "all NULL": [None, None],
    "dates": [pd.Timestamp("2024-01-01").date(), None],
}


@pytest.mark.parametrize("values", list(CASES.values()), ids=list(CASES))
def test_the_series_is_the_one_pandas_makes(values: list[Any]) -> None:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    got, expected = text_or_series(array), pd.Series(array)
    assert got.dtype == expected.dtype
    pd.testing.assert_series_equal(got, expected)
