"""syda's date values (``datetime.date`` objects) made from numpy days, fast.

A leaf module (numpy and, if installed, pyarrow only): the profile's converters and the offline
provider both make date values, and neither may import the other's package at load time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["date_objects"]


def date_objects(days: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``datetime64[D]`` days as ``datetime.date`` objects, NaT as None: syda's date values.

    pyarrow makes the objects about four times faster than numpy's ``astype(object)`` (2 ms
    against 9 ms for 100,000 days), where it is installed.
    """
    try:
        import pyarrow as pa
    except ImportError:
        return days.astype("datetime64[D]").astype(object)
    arrow = pa.array(days.astype("datetime64[D]"), from_pandas=True)
    out: np.ndarray[Any, Any] = arrow.to_pandas(date_as_object=True).to_numpy(dtype=object)
    return out
