"""CSV through pyarrow's writer, byte for byte the file ``pandas.DataFrame.to_csv`` writes.

pandas formats every cell in Python and writes them through the ``csv`` module: about 2 s per
million CRM rows. pyarrow's C++ writer takes a tenth of that, but spells values its own way
(``true``, ``5`` for ``5.0``, timestamps to the microsecond) and quotes every string. So each
column is first given pandas' own text where they differ (floats by their shortest repr, as
numpy spells them; booleans ``True``/``False``; any other dtype formatted by pandas itself, one
column at a time), and the values are written unquoted: :func:`write_csv` declines (returns
False, and the caller lets pandas write the file) whenever a cell or a column name would need
quotes, a column is alone in the frame (the ``csv`` module quotes an empty field there), or
pyarrow is not installed. What is written is then exactly what pandas would write.
"""

from __future__ import annotations

import csv
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
        text = _text(df.iloc[:, position])
        if text is None:
            return False
        array = pa.array(text, type=pa.string(), from_pandas=True)
        if pc.any(pc.match_substring_regex(array, _STRUCTURAL)).as_py():
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


def _text(series: pd.Series) -> list[Any] | np.ndarray[Any, Any] | None:
    """The cells of ``series`` as pandas' ``to_csv`` writes them (None for NULL), or None."""
    kind = series.dtype.kind
    missing = series.isna().to_numpy(dtype=bool)
    if kind == "f" and series.dtype == np.float64:
        # numpy's str of a float64 is Python's repr, which is what pandas writes.
        cells: np.ndarray[Any, Any] = series.to_numpy().astype(str).astype(object)
    elif kind in "iu" and isinstance(series.dtype, np.dtype):
        cells = series.to_numpy().astype(str).astype(object)
    elif kind == "b" and isinstance(series.dtype, np.dtype):
        cells = np.where(series.to_numpy(), "True", "False").astype(object)
    elif isinstance(series.dtype, pd.StringDtype) or (
        kind == "O" and set(map(type, series.tolist())) <= {str, type(None), float}
    ):
        values = series.to_numpy(dtype=object)
        present = values[~missing]
        if not all(type(v) is str for v in present):
            return None  # a float that is not NaN
        cells = values
    else:
        return _pandas_text(series)
    if missing.any():
        cells = cells.copy()
        cells[missing] = None
    return cells


def _pandas_text(series: pd.Series) -> list[Any] | None:
    """Let pandas format one column (dates, timestamps, objects) as it would in the file."""
    # A second column, because the csv module writes an empty field alone on its line as "".
    pair = pd.DataFrame({"cell": series.reset_index(drop=True), "end": 0})
    text = pair.to_csv(index=False, header=False, lineterminator="\n")
    lines = text.split("\n")[:-1]
    if len(lines) != len(series) or any(line.startswith('"') for line in lines):
        return None  # a cell that needs quotes (or holds a line end): pandas writes the file
    return [line[:-2] or None for line in lines]
