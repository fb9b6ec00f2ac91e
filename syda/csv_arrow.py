"""CSV through pyarrow's writer, byte for byte the file ``pandas.DataFrame.to_csv`` writes.

pandas formats every cell in Python and writes them through the ``csv`` module: about 2 s per
million CRM rows. pyarrow's C++ writer takes a tenth of that, but spells values its own way
(``true``, ``5`` for ``5.0``, timestamps to the microsecond) and quotes every string. So each
column is first given pandas' own text where they differ (floats by their shortest repr, as
numpy spells them; booleans ``True``/``False``; any other dtype formatted by pandas itself, one
column at a time; dates as Arrow dates, integers and text as they are), and the values are
written unquoted: :func:`write_csv` declines (returns
False, and the caller lets pandas write the file) whenever a cell or a column name would need
quotes, a column is alone in the frame (the ``csv`` module quotes an empty field there), or
pyarrow is not installed. What is written is then exactly what pandas would write.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["write_csv"]

# Characters that make the csv module quote a field (delimiter, quote, line ends).
_STRUCTURAL = r'[,"\r\n]'


def write_csv(df: pd.DataFrame, path: str) -> bool:
    """Write ``df`` (no index, LF line ends) to ``path`` if it needs no quoting.

    Returns:
        True if the file was written; False if pandas must write it (nothing was written).
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pa_csv
    except ImportError:
        return False
    if df.shape[1] < 2 or df.columns.has_duplicates or not len(df):
        return False
    columns: dict[str, Any] = {}
    for position in range(df.shape[1]):
        array = _arrow(df.iloc[:, position], pa)
        if array is None:
            return False
        if (
            pa.types.is_string(array.type)
            and pc.any(pc.match_substring_regex(array, _STRUCTURAL)).as_py()
        ):
            return False
        columns[f"c{position}"] = array
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow([str(n) for n in df.columns])
    if '"' in header.getvalue():
        return False
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
    with open(path, "wb") as handle:
        handle.write(header.getvalue().encode("utf-8"))
        pa_csv.write_csv(pa.table(columns), handle, options)
    return True


def _arrow(series: pd.Series, pa: Any) -> Any:
    """The column as an Arrow array that pyarrow writes as pandas would, or None."""
    kind = series.dtype.kind
    numpy_dtype = isinstance(series.dtype, np.dtype)
    missing = series.isna().to_numpy(dtype=bool)
    mask = missing if missing.any() else None
    if numpy_dtype and kind in "iu":
        return pa.array(series.to_numpy())  # integers are spelt alike
    if numpy_dtype and series.dtype == np.float64:
        # Python's repr, which is what pandas writes (pyarrow would write 5.0 as 5).
        return pa.array(list(map(repr, series.tolist())), type=pa.string(), mask=mask)
    if numpy_dtype and kind == "b":
        return pa.array(np.where(series.to_numpy(), "True", "False"), type=pa.string())
    if isinstance(series.dtype, pd.StringDtype) or kind == "O":
        values = series.to_numpy(dtype=object)
        types = set(map(type, values[~missing].tolist()))
        if types <= {str}:
            return pa.array(values, type=pa.string(), from_pandas=True)
        if types <= {dt.date}:
            return pa.array(values, type=pa.date32(), from_pandas=True)  # ISO, as str() is
    text = _pandas_text(series)
    return None if text is None else pa.array(text, type=pa.string())


def _pandas_text(series: pd.Series) -> list[Any] | None:
    """Let pandas format one column (dates, timestamps, objects) as it would in the file."""
    # A second column, because the csv module writes an empty field alone on its line as "".
    pair = pd.DataFrame({"cell": series.reset_index(drop=True), "end": 0})
    text = pair.to_csv(index=False, header=False, lineterminator="\n")
    lines = text.split("\n")[:-1]
    if len(lines) != len(series) or any(line.startswith('"') for line in lines):
        return None  # a cell that needs quotes (or holds a line end): pandas writes the file
    return [line[:-2] or None for line in lines]
