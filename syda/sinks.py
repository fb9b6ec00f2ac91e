"""Writing generated tables to files (CSV, JSON, Parquet), atomically.

Nothing is ever half-written: a table is serialized into a temporary file next to its target,
flushed to disk, and only then renamed over the target (``os.replace`` is atomic on POSIX and
Windows when both names are in the same directory). If serialization fails, the temporary file is
removed and an existing file at the target is left untouched. :func:`write_dataset` stages every
table first and renames them only once all of them are written, undoing the renames done so far
if one of them fails.

Values without a natural representation in a format are written as text: JSON columns (dicts and
lists) as JSON, bytes as base64, UUIDs with ``str``, decimals with ``str`` in JSON (exact, as most
JSON APIs do), dates and times as ISO 8601.

CSV files are made safe to open in a spreadsheet (OWASP's CSV-injection guidance): a text cell
that a spreadsheet would read as a formula gets a leading ``'`` (see :func:`guard_cell`). JSON
and Parquet are written as they are: no spreadsheet evaluates them.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
import pandas as pd

from syda.csv_arrow import write_csv
from syda.errors import OutputError
from syda.formats import SUPPORTED_FORMATS
from syda.progress import track

__all__ = [
    "SUPPORTED_FORMATS",
    "check_writable",
    "guard_cell",
    "guard_frame",
    "prepare_frame",
    "refuse_json_value",
    "unguard_cell",
    "write_csv_text",
    "write_dataset",
    "write_frame",
]

_PathLike = str | os.PathLike[str]


def _resolve_format(path: Path, format: str | None) -> str:
    name = (format or path.suffix.lstrip(".")).lower()
    if name not in SUPPORTED_FORMATS:
        given = f"format {format!r}" if format else f"file suffix {path.suffix!r} of {path}"
        supported = ", ".join(SUPPORTED_FORMATS)
        raise OutputError(f"unsupported {given}: syda writes {supported}")
    return name


_BYTES = (bytes, bytearray, memoryview)

# The Python types each format cannot write well by itself (pandas would write a dict as its
# repr in CSV, a date as a midnight datetime in JSON; Arrow cannot store a UUID or mixed JSON).
_NEEDS_TEXT: dict[str, tuple[type, ...]] = {
    "csv": (dict, list, *_BYTES),
    "json": (*_BYTES, UUID, dt.date, dt.time, Decimal),
    "parquet": (dict, list, UUID),
}

# What ``pandas.api.types.infer_dtype`` says of object columns holding none of the types above
# (found in C, so the row-by-row look is left for columns of mixed or unusual values).
_PLAIN = frozenset({"empty", "string", "integer", "floating", "mixed-integer-float", "boolean"})
_NATIVE: dict[str, frozenset[str]] = {
    "csv": _PLAIN | {"date", "datetime", "time", "decimal"},
    "json": _PLAIN,
    "parquet": _PLAIN | {"date", "datetime", "time", "decimal", "bytes"},
}


def _text_value(value: Any) -> Any:
    """Return the text form of a value: JSON, base64, ISO 8601 or ``str``."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str, ensure_ascii=False)
    if isinstance(value, _BYTES):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    return str(value)  # UUID, Decimal


def prepare_frame(df: pd.DataFrame, fmt: str) -> pd.DataFrame:
    """Convert the values of object columns that the format cannot write natively to text.

    Only object columns are looked at (numbers, strings and ``datetime64`` are native to every
    format), and only those holding such values are converted, so large frames stay cheap.
    """
    needs = _NEEDS_TEXT[fmt]

    def convert(value: Any) -> Any:
        return _text_value(value) if isinstance(value, needs) else value

    converted: dict[Any, pd.Series[Any]] = {}
    for name in df.columns:
        column = df[name]
        if (
            column.dtype.kind == "O"
            and not isinstance(column.dtype, pd.StringDtype)
            and pd.api.types.infer_dtype(column, skipna=True) not in _NATIVE.get(fmt, _PLAIN)
            and any(isinstance(v, needs) for v in column.tolist())
        ):
            converted[str(name)] = column.map(convert)
    return df.assign(**converted) if converted else df


# A spreadsheet starts a formula at = + - @ (and their full-width forms, which some locales
# accept); tab and carriage return start one too in some of them. Leading spaces and quote
# marks are skipped, since spreadsheets that trim cells or strip quotes would reach the trigger.
# A tab or CR after quote marks counts too, so that every text starting with ' and a cell that
# needs the guard was guarded: :func:`unguard_cell` can then undo the guard exactly.
_FORMULA = re.compile(r"[\t\r]|[\s\"']*[\t\r=+\-@\uff1d\uff0b\uff0d\uff20]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def guard_cell(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet evaluates: with a leading ``'`` where needed.

    A cell is guarded when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return, also after leading spaces or quote marks. A plain number (``-5``, ``+1.5``,
    ``-2e3``) is left alone: a spreadsheet reads it as that number, never as a formula, and
    a quote would change the value every other reader sees.
    """
    if _FORMULA.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def unguard_cell(text: str) -> str:
    """The text :func:`guard_cell` was given for ``text`` (how syda reads its own CSV back)."""
    if text.startswith("'") and guard_cell(text[1:]) == text:
        return text[1:]
    return text


_FIRST = np.array(list("=+-@\t\r \"'\uff1d\uff0b\uff0d\uff20"))
"""The first characters worth a closer look (spaces and quotes may hide a trigger)."""


_MAY_HOLD_TEXT = frozenset(
    {"string", "mixed", "mixed-integer", "mixed-integer-float", "unknown-array"}
)


def guard_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell (and column name) a spreadsheet would evaluate guarded."""
    converted: dict[Any, pd.Series[Any]] = {}
    for name in df.columns:
        column = df[name]
        if column.dtype.kind != "O" and not isinstance(column.dtype, pd.StringDtype):
            continue  # numbers, booleans and datetimes are never formulas
        if pd.api.types.infer_dtype(column, skipna=True) not in _MAY_HOLD_TEXT:
            continue  # dates, decimals, UUIDs...: no text cell (a cut to text would format all)
        values = column.to_numpy(dtype=object)
        # A cut to one character in C finds the few cells worth a look; None, NaN and other
        # non-text values become letters or digits there, or are skipped below.
        candidates = _candidates(values)
        rows, texts = [], []
        for i in candidates:
            value = values[i]
            if isinstance(value, str) and (text := guard_cell(value)) is not value:
                rows.append(i)
                texts.append(text)
        if rows:
            out = values.copy()
            out[rows] = texts
            converted[name] = pd.Series(out, index=column.index, dtype=column.dtype)
    # Set by the frame's own labels (assign() would add a "3" beside a column named 3).
    guarded = df.copy(deep=False) if converted else df
    for name, series in converted.items():
        guarded[name] = series
    names = {n: guard_cell(n) for n in guarded.columns if isinstance(n, str) and guard_cell(n) != n}
    return guarded.rename(columns=names) if names else guarded


def _candidates(values: np.ndarray[Any, np.dtype[Any]]) -> np.ndarray[Any, np.dtype[Any]]:
    try:
        first = values.astype("U1")
    except (TypeError, ValueError):  # a value numpy cannot turn into text: look at every cell
        return np.arange(len(values))
    hit = np.zeros(len(first), dtype=bool)
    for char in _FIRST:  # faster than np.isin on text
        hit |= first == char
    return np.flatnonzero(hit)


def _to_csv(df: pd.DataFrame, path: str) -> None:
    if write_csv(df, path):
        return  # pyarrow wrote pandas' very bytes (it declines any frame that needs quotes)
    # Python's csv writer quotes a cell holding a character of the line terminator only, so a
    # bare carriage return in a cell (a line end to every CSV reader) would be written unquoted
    # with "\n" line ends. A frame holding one is written with CRLF (RFC 4180), which quotes it.
    ending = "\r\n" if _holds_cr(df) else "\n"
    df.to_csv(path, index=False, encoding="utf-8", lineterminator=ending)


def _holds_cr(df: pd.DataFrame) -> bool:
    """Whether a column name or a text cell holds a carriage return.

    Read off the frame, not the written file, so the file is written once and never read back.
    """
    if any(isinstance(name, str) and "\r" in name for name in df.columns):
        return True
    for name in df.columns:
        column = df[name]
        if column.dtype.kind == "O" or isinstance(column.dtype, pd.StringDtype):
            text = column.map(lambda v: v if isinstance(v, str) else "", na_action="ignore")
            if text.str.contains("\r", regex=False, na=False).any():
                return True
    return False


def write_csv_text(df: pd.DataFrame, path: str) -> None:
    """Write ``df`` as syda's CSV: values as text, cells guarded, a bare CR quoted (CRLF).

    Not atomic (see :func:`write_frame`): for callers that stage their own files.
    """
    _to_csv(guard_frame(prepare_frame(df, "csv")), path)


def _write_raw_csv(df: pd.DataFrame, path: str) -> None:
    _to_csv(prepare_frame(df, "csv"), path)


def _write_json(df: pd.DataFrame, path: str) -> None:
    # date_unit="us": the default ("ms") would silently cut microseconds off datetimes.
    prepare_frame(df, "json").to_json(
        path,
        orient="records",
        date_format="iso",
        date_unit="us",
        force_ascii=False,
        default_handler=refuse_json_value,
    )


def refuse_json_value(value: Any) -> Any:
    """A ``default_handler`` for ``DataFrame.to_json``: refuse what JSON cannot hold."""
    # Without a handler pandas writes an unknown object as ``{}``: silent data loss.
    raise TypeError(f"cannot write a {type(value).__name__} value as JSON")


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        message = 'writing Parquet needs pyarrow: pip install "syda[parquet]"'
        raise OutputError(message) from exc


def check_writable(path: _PathLike, format: str | None = None) -> str:
    """The format ``path`` would be written in, checked before any row is generated.

    Raises:
        OutputError: If the format is not supported, or is Parquet and pyarrow is missing.
    """
    fmt = _resolve_format(Path(path), format)
    if fmt == "parquet":
        _require_pyarrow()
    return fmt


def _write_parquet(df: pd.DataFrame, path: str) -> None:
    _require_pyarrow()
    prepare_frame(df, "parquet").to_parquet(path, engine="pyarrow", index=False)


_WRITERS: dict[str, Callable[[pd.DataFrame, str], None]] = {
    "csv": write_csv_text,
    "json": _write_json,
    "parquet": _write_parquet,
}


def _umask() -> int:
    # The only portable way to read the umask is to set it; put it straight back.
    current = os.umask(0)
    os.umask(current)
    return current


def _stage(df: pd.DataFrame, target: Path, fmt: str, csv_raw: bool = False) -> Path:
    """Write ``df`` to a temporary file next to ``target`` and return its path.

    Raises:
        OutputError: If the directory cannot be created or the frame cannot be written; no
            temporary file is left behind.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot create a file in {target.parent}: {exc}") from exc
    os.close(fd)
    temp = Path(name)
    try:
        (_write_raw_csv if csv_raw and fmt == "csv" else _WRITERS[fmt])(df, name)
        with open(name, "rb+") as handle:
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would have.
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        os.chmod(name, mode)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OutputError) or not isinstance(exc, Exception):
            raise
        message = f"cannot write {fmt.upper()} to {target}: {type(exc).__name__}: {exc}"
        raise OutputError(message) from exc
    return temp


def _sync_directory(directory: Path) -> None:
    # Makes the renames themselves durable on POSIX; not possible (nor needed) on Windows.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_frame(
    df: pd.DataFrame, path: _PathLike, format: str | None = None, *, csv_raw: bool = False
) -> Path:
    """Write one table to a CSV, JSON or Parquet file, atomically.

    Args:
        df: The rows to write (the index is not written).
        path: The file to write; missing parent directories are created.
        format: ``"csv"``, ``"json"`` (one array of row objects) or ``"parquet"``; by default
            taken from the suffix of ``path``.
        csv_raw: Write CSV text cells verbatim, without the ``'`` that keeps a spreadsheet
            from evaluating them (see :func:`guard_cell`): for files no spreadsheet opens.

    Returns:
        The path written.

    Raises:
        OutputError: If the format is not supported, pyarrow is missing for Parquet, or the
            file cannot be written. The target is then left as it was, and no temporary file
            remains.
    """
    target = Path(path)
    fmt = _resolve_format(target, format)
    temp = _stage(df, target, fmt, csv_raw)
    try:
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(f"cannot replace {target}: {exc}") from exc
    _sync_directory(target.parent)
    return target


def _file_stem(key: str) -> str:
    # A table key may be schema-qualified (``sales.orders``) but must not escape the directory.
    stem = key.replace("/", "_").replace("\\", "_").strip()
    if stem in ("", ".", ".."):
        raise OutputError(f"cannot name a file after the table {key!r}", table=key)
    return stem


def _swap_in(staged: Mapping[Path, Path]) -> None:
    """Rename every staged file over its target, or undo the renames already done.

    Existing targets are kept under a hard link until every rename succeeded, so a failure
    halfway puts the old files back.
    """
    backups: dict[Path, Path] = {}
    created: list[Path] = []
    replaced: list[Path] = []
    try:
        for target, temp in staged.items():
            if target.exists():
                backup = temp.with_suffix(".bak")
                with contextlib.suppress(OSError):  # no hard links here: best effort, no backup
                    os.link(target, backup)
                    backups[target] = backup
            else:
                created.append(target)
            os.replace(temp, target)
            replaced.append(target)
    except OSError as exc:
        for done in replaced:
            with contextlib.suppress(OSError):
                if done in created:
                    done.unlink()
                elif done in backups:
                    os.replace(backups.pop(done), done)
        raise OutputError(f"cannot replace {target}: {exc}") from exc
    finally:
        for path in [*staged.values(), *backups.values()]:
            path.unlink(missing_ok=True)


def write_dataset(
    frames: Mapping[str, pd.DataFrame],
    output_dir: _PathLike,
    format: str = "csv",
    *,
    names: Mapping[str, str] | None = None,
    csv_raw: bool = False,
) -> dict[str, Path]:
    """Write one file per table into ``output_dir``, all of them or none.

    Every table is first written to a temporary file; only when all of them are written are they
    renamed to their final names. If any table fails, the temporary files are removed and the
    files already in ``output_dir`` are left as they were.

    Args:
        frames: The tables, keyed by table key.
        output_dir: The directory to write into (created if missing).
        format: ``"csv"``, ``"json"`` or ``"parquet"``.
        names: File stems by table key, for tables whose file should not be named after the key.
        csv_raw: Write CSV text cells verbatim (see :func:`write_frame`).

    Returns:
        The path written for each table key.

    Raises:
        OutputError: If the format is not supported, two tables would share a file, or a file
            cannot be written.
    """
    directory = Path(output_dir)
    fmt = _resolve_format(directory / f"dataset.{format}", format)
    names = names or {}
    targets: dict[str, Path] = {}
    for key in frames:
        target = directory / f"{_file_stem(names.get(key, key))}.{fmt}"
        if target in targets.values():
            raise OutputError(f"two tables would be written to {target}", table=key)
        targets[key] = target
    staged: dict[Path, Path] = {}
    try:
        for key, df in frames.items():
            try:
                with track("writing", key, len(df)) as task:
                    staged[targets[key]] = _stage(df, targets[key], fmt, csv_raw)
                    task.advance(len(df))
            except OutputError as exc:
                exc.table = key
                raise
    except BaseException:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
        raise
    _swap_in(staged)
    _sync_directory(directory)
    return targets
