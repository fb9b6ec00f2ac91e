"""Uniqueness of a column within a batch, and the length limit of string columns.

Duplicates are found with pandas' hash-based ``duplicated`` and repaired by the method that keeps
values realistic for the column: numbers, dates and times take unused values from the allowed
range; random identifiers (patterns, phones, UUIDs) are redrawn; emails get digits before the
``@``; domains and URLs get digits before the top-level domain; other strings get a numeric
suffix (the row's number in the table, so it also differs from other batches). A column whose
domain is smaller than the number of rows cannot be unique and raises ``GenerationError``.

Values other rows hold already (``FillRequest.taken``: the target's rows when appending, the kept
rows on a re-ask) count as repeats from the start, and suffix numbers continue past them. Without
that, a run larger than a vocabulary takes every bare value itself, so a value that collides with
an existing row could only be re-drawn bare, and collide again, until the re-asks ran out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.generators.values import AnyArray, Batch, ColumnSpec, ObjArray, to_text
from syda.generators.values_num import decimals_of, numeric_bounds

__all__ = ["fit_length", "make_unique", "str_lengths"]

_RESAMPLED = frozenset(
    {"uuid", "phone", "ssn", "ip_address", "sku", "icd10_code", "code", "hash", "isbn", "iban",
     "image_url", "file_name", "file_path", "color_hex", "version"}
)  # fmt: skip
# Vocabulary values drawn again before any gets a number: a bigger vocabulary (company names,
# titles made from templates) has unused values, so "Iron Harbor" needs no " 2".
_REDRAWN = frozenset(
    {"company", "product_name", "title", "artist", "album_title", "song_title", "film_title",
     "book_title", "playlist_name", "job_title", "course_title", "word", "city"}
)  # fmt: skip
# The separator before a suffix, where a space would break the value's shape.
_SEPARATOR = {"slug": "-", "setting_key": "_", "username": "", "hash": ""}
_ROUNDS = 12
_SHORT = 6  # a string column this short holds codes, which a suffix cannot fit
_SD = np.dtypes.StringDType()


def str_lengths(values: ObjArray) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Character counts of an object array of strings."""
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
        # Every value a str (checked in C): ``len`` over the array is several times faster than
        # converting it to numpy strings first.
        return np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    try:
        lengths: np.ndarray[Any, np.dtype[np.int64]] = np.strings.str_len(values.astype(_SD))
        return lengths
    except (TypeError, ValueError):
        return pd.Series(values, dtype=object).astype(str).str.len().to_numpy().astype(np.int64)


def _rpartition(values: ObjArray, sep: str) -> tuple[ObjArray, ObjArray, ObjArray]:
    """``str.rpartition`` of every value, as numpy string ufuncs (no per-row Python)."""
    head, mid, tail = np.strings.rpartition(values.astype(_SD), np.array(sep, dtype=_SD))
    return head.astype(object), mid.astype(object), tail.astype(object)


def _cut_heads(head: ObjArray, tail: ObjArray, length: int) -> ObjArray:
    """Cut each ``head`` so that ``head + tail`` fits in ``length`` (rows grouped by tail size)."""
    out = head.copy()
    tail_len = str_lengths(tail)
    # Only heads that overflow are cut: most suffixed values fit, and slicing them is a no-op.
    over = str_lengths(head) + tail_len > length
    for size in np.unique(tail_len[over]):  # a loop over the few tail sizes, not over rows
        rows = over & (tail_len == size)
        room = max(int(length - size), 0)
        out[rows] = pd.Series(head[rows], dtype=object).str.slice(0, room).to_numpy(dtype=object)
    return out


def fit_length(spec: ColumnSpec, values: ObjArray) -> ObjArray:
    """Cut strings longer than the column's length; emails keep their domain, so stay valid.

    An email whose domain alone is too long for the column moves to the shortest webmail
    domain of the pools.
    """
    length = spec.column.length
    if length is None or spec.column.kind not in ("string", "text") or values.dtype != object:
        return values
    too_long = str_lengths(values) > length
    if not too_long.any():
        return values
    out = values.copy()
    long_values = pd.Series(values[too_long], dtype=object)
    if spec.semantic in ("email", "work_email") and length >= 8:
        local, _, domain = _rpartition(values[too_long], "@")
        tail = "@" + domain
        tail[str_lengths(tail) > length - 2] = "@mail.com" if length >= 11 else "@x.io"
        out[too_long] = _cut_heads(local, tail, length) + tail
        return out
    out[too_long] = long_values.str.slice(0, length).str.rstrip().to_numpy(dtype=object)
    return out


def _duplicated(
    values: AnyArray, taken: AnyArray | None = None
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Rows that repeat an earlier row, or one of the ``taken`` values."""
    series = pd.Series(values, dtype=object) if values.dtype == object else pd.Series(values)
    dup = series.duplicated().to_numpy()
    if taken is not None and len(taken):
        return dup | series.isin(taken).to_numpy()
    return dup


def _taken(b: Batch, spec: ColumnSpec, values: AnyArray) -> AnyArray | None:
    """The values other rows hold (``FillRequest.taken``), in the representation of ``values``."""
    given = b.request.taken.get(spec.name)
    if given is None or not len(given):
        return None
    taken = pd.Series(given).dropna()
    kind = spec.column.kind
    if values.dtype == object:
        # Bytes stay bytes: as text they would be decoded (and fail on any non-UTF-8 byte).
        return (
            taken.to_numpy(dtype=object)
            if kind == "binary"
            else taken.astype(str).to_numpy(dtype=object)
        )
    if kind in ("date", "datetime"):
        unit = "datetime64[D]" if kind == "date" else "datetime64[s]"
        return pd.to_datetime(taken, errors="coerce").dropna().to_numpy().astype(unit)
    if kind == "time":
        return None  # a time of day has too few values to be worth a lookup
    return pd.to_numeric(taken, errors="coerce").dropna().to_numpy().astype(values.dtype)


def _fail(b: Batch, spec: ColumnSpec, detail: str) -> GenerationError:
    return GenerationError(
        f"cannot make {b.n} unique values: {detail}",
        table=b.table.key,
        column=spec.name,
        rule="unique",
    )


def _unique_integers(
    b: Batch,
    spec: ColumnSpec,
    ints: np.ndarray[Any, np.dtype[np.int64]],
    lo: int,
    hi: int,
    taken: np.ndarray[Any, np.dtype[np.int64]] | None,
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Replace repeated (or ``taken``) integers by unused ones from ``[lo, hi]``."""
    used = np.unique(taken[(taken >= lo) & (taken <= hi)]) if taken is not None else ints[:0]
    if hi - lo + 1 - len(used) < b.n:
        raise _fail(b, spec, f"only {hi - lo + 1 - len(used)} unused values fit in [{lo}, {hi}]")
    out = ints.copy()
    for _ in range(_ROUNDS):
        dup = _duplicated(out, taken)
        if not dup.any():
            return out
        # Listing the free values costs the whole range (a year of seconds is 31.5M); only a
        # range the rows crowd needs it, elsewhere fresh draws rarely collide again.
        if hi - lo < min(2_000_000, 50 * (b.n + len(used))) or hi - lo < 4 * (b.n + len(used)):
            free = np.setdiff1d(np.arange(lo, hi + 1), np.concatenate([out, used]))
            out[dup] = b.rng.choice(free, size=int(dup.sum()), replace=False)
        else:
            out[dup] = b.rng.integers(lo, hi + 1, int(dup.sum()))
    raise _fail(b, spec, "repeated values remained")


def _numeric_unique(
    b: Batch, spec: ColumnSpec, values: AnyArray, taken: AnyArray | None
) -> AnyArray:
    kind = spec.column.kind
    col = spec.column
    # Room for the values other rows hold, as well as for these rows.
    room = 10 * (b.n + (len(taken) if taken is not None else 0))
    if kind in ("date", "datetime", "time"):
        unit = {"date": "datetime64[D]", "datetime": "datetime64[s]"}.get(kind)
        ints = (values.astype(unit) if unit else values).astype(np.int64)
        used = (
            (taken.astype(unit) if unit else taken).astype(np.int64) if taken is not None else None
        )
        if kind == "date" and (col.minimum is not None or col.maximum is not None):
            lo = int(col.minimum) - 719163 if col.minimum is not None else int(ints.min())
            hi = int(col.maximum) - 719163 if col.maximum is not None else lo + room
        elif kind == "time":
            lo, hi = 0, 86399
        else:
            lo, hi = int(ints.min()), int(ints.max())
            hi = max(hi, lo + room)
        fixed = _unique_integers(b, spec, ints, lo, hi, used)
        return fixed.astype(unit) if unit else fixed
    step = 10.0 ** -decimals_of(spec)
    lo_f, hi_f = numeric_bounds(spec, float(np.min(values)), float(np.max(values)))
    lo, hi = round(lo_f / step), round(hi_f / step)
    if col.maximum is None:
        hi = max(hi, lo + room)
    used = np.rint(taken.astype(float) / step).astype(np.int64) if taken is not None else None
    ints = np.rint(values.astype(float) / step).astype(np.int64)
    fixed = _unique_integers(b, spec, ints, lo, hi, used)
    return fixed if kind == "integer" else np.round(fixed * step, decimals_of(spec))


def _suffixed(
    values: ObjArray, numbers: ObjArray, length: int | None, where: str, sep: str = " "
) -> ObjArray:
    """Insert ``numbers`` into strings: at the end, before ``@`` or before the last ``.``."""
    if where in ("@", "."):
        head, mid, tail = _rpartition(values, where)
        no_sep = mid == ""
        head[no_sep], tail[no_sep] = tail[no_sep], ""
        tail[~no_sep] = mid[~no_sep] + tail[~no_sep]
    else:
        head, tail = values.copy(), np.full(len(values), "", dtype=object)
        numbers = sep + numbers
    if length is not None:
        head = _cut_heads(head, numbers + tail, length)
    return head + numbers + tail  # type: ignore[no-any-return]


def make_unique(
    b: Batch, spec: ColumnSpec, values: AnyArray, redraw: Callable[[int], AnyArray]
) -> AnyArray:
    """Return ``values`` with every repeated value replaced, all within the column's limits.

    Args:
        b: The batch.
        spec: The column.
        values: The column's values (internal representation).
        redraw: Draws ``k`` fresh values of the column (for random identifiers and patterns).

    Raises:
        GenerationError: If the column cannot hold ``b.n`` distinct values (``rule="unique"``).
    """
    col = spec.column
    taken = _taken(b, spec, values)
    if spec.choices is not None:
        options = np.empty(len(spec.choices), dtype=object)
        options[:] = list(dict.fromkeys(spec.choices))
        if taken is not None:
            used = pd.Series(taken).astype(str)
            options = options[~pd.Series(options).astype(str).isin(used).to_numpy()]
        if len(options) < b.n:
            raise _fail(b, spec, f"the column allows only {len(options)} unused values")
        if not _duplicated(values, taken).any():
            return values
        return options[b.rng.permutation(len(options))[: b.n]].astype(values.dtype)
    if col.kind == "boolean" or values.dtype == bool:
        if b.n > 2:
            raise _fail(b, spec, "a boolean column has only 2 values")
        return np.arange(b.n) == 0 if _duplicated(values).any() else values
    if col.kind in ("integer", "float", "decimal", "date", "datetime", "time"):
        if not _duplicated(values, taken).any():
            return values
        return _numeric_unique(b, spec, values, taken)
    if col.length is not None and col.length < 8 and 36**col.length < b.n:
        raise _fail(b, spec, f"strings of at most {col.length} characters are too few")
    out = values.copy()
    # Row numbers (the suffixes) continue past the rows other rows already hold.
    first = b.request.row_offset + (len(taken) if taken is not None else 0)
    rows = first + np.arange(1, b.n + 1)
    redrawing, before = True, b.n + 1
    for attempt in range(_ROUNDS):
        dup = _duplicated(out, taken)
        if not dup.any():
            return out
        k = int(dup.sum())
        # A vocabulary the rows already use up (36 rows a company name in a chunk of 100,000
        # customers) repairs nothing by drawing again: once a round left as many repeats as
        # before, suffixes follow at once rather than after every redraw round.
        redrawing = redrawing and k < before
        before = k
        # Suffixes would break a pattern (or a byte string); random identifiers are drawn again.
        if (
            col.pattern
            or col.kind == "binary"
            or (redrawing and _redrawn_first(spec) and attempt < _ROUNDS // 2)
        ):
            out[dup] = redraw(k)
            continue
        where = {"email": "@", "work_email": "@", "url": ".", "domain": ".", "file_name": ".",
                 "file_path": ".", "image_url": "."}.get(spec.semantic, "")  # fmt: skip
        numbers = (
            b.pools.number_strings[b.rng.integers(1, 1000, k)]
            if attempt == 0 and where == "@"
            else to_text(rows[dup])
        )
        sep = _SEPARATOR.get(spec.semantic, " ")
        out[dup] = fit_length(spec, _suffixed(out[dup], numbers, col.length, where, sep))
    if _duplicated(out, taken).any() and not col.pattern and col.kind != "binary":
        # Too short for suffixes to fit (a 2-character code): spell unused numbers instead.
        out = _spelled_unique(b, out, col.length or 12, taken)
    if _duplicated(out, taken).any():
        raise _fail(b, spec, "repeated values remained after disambiguation")
    return out


def _redrawn_first(spec: ColumnSpec) -> bool:
    """Whether repeats are drawn again before any gets a suffix.

    Random identifiers and large vocabularies have unused values; so do short codes (``CHAR(4)``
    holds 1.6 million), where a suffix would leave one character of the value (``H 31``).
    """
    length = spec.column.length
    return spec.semantic in _RESAMPLED | _REDRAWN or (length is not None and length < _SHORT)


_DIGITS36 = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)


def _spelled_unique(b: Batch, values: ObjArray, length: int, taken: AnyArray | None) -> ObjArray:
    """Replace repeated values by base-36 spellings (at most ``length`` long) not yet used."""
    out = values.copy()
    dup = _duplicated(out, taken)
    used = set(out[~dup].tolist()) | (set(taken.tolist()) if taken is not None else set())
    width = min(length, 12)
    domain = 36**width
    need = int(dup.sum())
    fresh: list[str] = []
    while len(fresh) < need:
        # A small domain is tried whole, in random order; a large one by random draws.
        numbers = (
            b.rng.permutation(domain)
            if domain <= 4_000_000
            else b.rng.integers(0, domain, size=4 * need + 64)
        )
        spelled = np.full(len(numbers), "", dtype=object)
        rest = numbers.astype(np.int64)
        for _ in range(width):  # one pass per character, over the whole array
            spelled = _DIGITS36[rest % 36] + spelled
            rest //= 36
        for word in spelled.tolist():
            if word not in used:
                used.add(word)
                fresh.append(word)
                if len(fresh) == need:
                    break
        if domain <= 4_000_000 and len(fresh) < need:
            break  # every spelling was tried: the caller reports the column as too small
    out[np.flatnonzero(dup)[: len(fresh)]] = fresh
    return out
