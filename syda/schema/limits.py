"""The limits on schema documents, and the bounded rendering of their values in messages.

A schema may come from anyone (a file in a pull request, a dict built from a web form), so
reading one must cost bounded time and memory whatever it holds. Every limit is a constant
here and documented in the README ("## Schemas"):

* a schema file is at most :data:`MAX_FILE_BYTES` and UTF-8 text;
* a document nests at most :data:`MAX_DEPTH` levels and holds at most :data:`MAX_NODES` values,
  counted after YAML aliases are expanded (so a 500-byte "billion laughs" file is refused while
  it is composed, before anything is built from it);
* every key is a string, every string valid Unicode, every float finite;
* names, lengths, precisions and bounds stay in the ranges below.

Messages show input values through :func:`shown`, never through a plain ``repr``: a value may
be a 10 MB string or a structure whose aliases expand to billions of items.
"""

from __future__ import annotations

import math
import reprlib
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from syda.errors import SchemaError

__all__ = [
    "MAX_BOUND",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INTEGER_BOUND",
    "MAX_KEY_COLUMNS",
    "MAX_LENGTH",
    "MAX_NAME_LENGTH",
    "MAX_NODES",
    "MAX_PATTERN_LENGTH",
    "MAX_PRECISION",
    "MAX_PROBLEMS",
    "capped",
    "document_problems",
    "name_problem",
    "shown",
    "shown_bound",
    "shown_names",
]

# YAML is parsed in Python at roughly 0.1-0.5 MB/s: 2 MiB (some 5,000 tables) keeps a hostile
# file to seconds, with room for any real schema.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 1_000_000
MAX_NAME_LENGTH = 255
MAX_KEY_COLUMNS = 32  # PostgreSQL's limit on the columns of one index
MAX_LENGTH = 10_485_760  # PostgreSQL's largest varchar(n)
MAX_PRECISION = 300  # decimals are drawn as float64, which ends near 1e308
MAX_BOUND = 1e300  # so that max - min of any two bounds is still a finite float
MAX_INTEGER_BOUND = 9.2e18  # inside the signed 64-bit range, also after rounding to a float
MAX_PATTERN_LENGTH = 1000
MAX_PROBLEMS = 50
_MAX_SHOWN = 60
_YAML_KEYWORDS = "(in YAML, quote names such as yes, no, on, off, null and numbers)"


class _ShortRepr(reprlib.Repr):
    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxdict, self.maxlist, self.maxtuple = 2, 3, 3, 3
        self.maxset, self.maxfrozenset, self.maxstring, self.maxother = 3, 3, _MAX_SHOWN, 40

    def repr_int(self, x: int, level: int) -> str:
        # repr() of an int past 4300 digits raises ValueError; say its size instead.
        if x.bit_length() > 128:
            return f"<an integer of {x.bit_length()} bits>"
        return repr(x)


_SHORT = _ShortRepr()


def shown(value: object) -> str:
    """Render an input value for a message in at most ~60 characters.

    Args:
        value: Anything found in a schema document (containers are cut at a few items and two
            levels, so shared or self-containing structures cost nothing).

    Returns:
        A ``repr``-like text, ending in ``...`` when it was cut.
    """
    text = _SHORT.repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def shown_bound(kind: str, value: float) -> str:
    """A column's minimum or maximum as written: dates (held as ordinal days) in ISO form."""
    if kind in ("date", "datetime") and 1 <= value <= date.max.toordinal():
        return date.fromordinal(math.floor(value)).isoformat()
    return f"{value:g}"


def shown_names(names: Iterable[object], *, bare: bool = False, limit: int = 10) -> str:
    """Render some names, comma-separated, at most ``limit`` of them (then ``and N more``).

    Args:
        names: The names.
        bare: Write names that are short and clean as they are, not quoted.
        limit: How many to show.

    Returns:
        The text.
    """
    listed = list(names)
    text = ", ".join(
        n
        if bare and isinstance(n, str) and len(n) <= _MAX_SHOWN and not name_problem(n, "")
        else shown(n)
        for n in listed[:limit]
    )
    return text + (f" and {len(listed) - limit} more" if len(listed) > limit else "")


def capped(problems: list[str]) -> list[str]:
    """Keep the first :data:`MAX_PROBLEMS` problems, plus one line saying how many were cut."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], f"... and {len(problems) - MAX_PROBLEMS} more problems"]


def name_problem(name: object, what: str) -> str | None:
    """Say why ``name`` cannot name a table or column, or return None when it can.

    Args:
        name: The name as given.
        what: What it names, for the message (``"table key"``, ``"orders: column name"``).

    Returns:
        The problem, or None.
    """
    if not isinstance(name, str):
        return f"{what} {shown(name)} is not a string {_YAML_KEYWORDS}"
    if not name.strip():
        return f"{what} {shown(name)} is empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"{what} {shown(name)} is longer than {MAX_NAME_LENGTH} characters"
    # Cc/Cf: NUL, newlines, escapes, invisible marks; Cs: lone surrogates (not encodable).
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in name):
        return f"{what} {shown(name)} contains a control character"
    return None


def document_problems(data: object) -> list[str]:
    """Walk a schema document once, iteratively, and check it against the limits.

    Args:
        data: The document (a dict from the caller, or what a file parsed into).

    Returns:
        A problem, with its path, for every non-string key, non-finite float and string that
        is not valid Unicode (at most :data:`MAX_PROBLEMS` and a count of the rest).

    Raises:
        SchemaError: As soon as the document nests deeper than :data:`MAX_DEPTH` (a structure
            that contains itself does too) or holds more than :data:`MAX_NODES` values.
    """
    problems: list[str] = []
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    nodes = 0
    while stack:
        value, path, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise SchemaError([f"the schema holds more than {MAX_NODES:,} values (the limit)"])
        if depth > MAX_DEPTH:
            raise SchemaError(
                [f"{path}: nested deeper than {MAX_DEPTH} levels (the limit), or contains itself"]
            )
        if isinstance(value, Mapping):
            nodes += len(value)  # keys count too, as in a YAML document
            children = [(item, _join(path, key)) for key, item in value.items()]
            problems.extend(
                f"{path or 'the schema'}: the key {shown(k)} is not a string {_YAML_KEYWORDS}"
                for k in value
                if not isinstance(k, str) and not (_keyed_by_values(path) and _value_key(k))
            )
        elif isinstance(value, (list, tuple)):
            children = [(item, f"{path}[{i}]") for i, item in enumerate(value)]
        else:
            problem = _scalar_problem(value)
            if problem:
                problems.append(f"{path or 'the schema'}: {problem}")
            continue
        stack.extend((item, where, depth + 1) for item, where in reversed(children))
    return capped(problems)


def _keyed_by_values(path: str) -> bool:
    # Profile mappings whose keys are column values (``values: {1: 0.5}``, ``by.cases``,
    # ``scale_by.<column>``): there a number or a date is a fine key.
    parts = path.split(".")
    return parts[-1] in ("values", "cases") or (len(parts) > 1 and parts[-2] == "scale_by")


def _value_key(key: object) -> bool:
    if isinstance(key, float):
        return math.isfinite(key)
    return isinstance(key, (int, date))


def _join(path: str, key: object) -> str:
    part = key if isinstance(key, str) and len(key) <= _MAX_SHOWN else shown(key)
    return f"{path}.{part}" if path else str(part)


def _scalar_problem(value: Any) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a number" if math.isnan(value) else f"{value} is not finite"
    if isinstance(value, str) and not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            return f"{shown(value)} is not valid Unicode (a lone surrogate at {error.start})"
    return None
