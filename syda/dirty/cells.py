"""Defects of one value: each kind turns a clean value into the dirty one a real system holds.

Every function takes the clean values picked for that defect and returns their dirty versions,
each different from its clean value (a defect that changes nothing would be counted but not be
there). They work on Python values, one list per call: the picked cells are a few percent of a
table, and the variants are text manipulations numpy does not speed up.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np

from syda.errors import SchemaError

__all__ = ["MUTATORS", "Mutator", "applies_to"]

Mutator = Callable[[np.random.Generator, Sequence[Any], dict[str, Any]], list[Any]]

# Keys that sit next to each other on a QWERTY keyboard: the typos people make.
_NEIGHBOURS = {
    "a": "sqwz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}  # fmt: skip
_DATE_FORMATS = ("%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%b %d, %Y", "%Y%m%d")
_PHONE = re.compile(r"\d")


def _typo(rng: np.random.Generator, values: Sequence[Any], _: dict[str, Any]) -> list[Any]:
    out = []
    for value in values:
        text = str(value)
        out.append(_one_typo(rng, text) if len(text) >= 2 else text + text[-1:])
    return out


def _one_typo(rng: np.random.Generator, text: str) -> str:
    for _ in range(8):
        i = int(rng.integers(0, len(text) - 1))
        how = int(rng.integers(0, 4))
        if how == 0:  # two letters swapped
            typed = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif how == 1:  # a letter left out
            typed = text[:i] + text[i + 1 :]
        elif how == 2:  # a letter typed twice
            typed = text[: i + 1] + text[i] + text[i + 1 :]
        else:  # the key beside it
            near = _NEIGHBOURS.get(text[i].lower())
            if not near:
                continue
            key = near[int(rng.integers(0, len(near)))]
            typed = text[:i] + (key.upper() if text[i].isupper() else key) + text[i + 1 :]
        if typed != text:
            return typed
    return text[:-1]


def _whitespace(rng: np.random.Generator, values: Sequence[Any], _: dict[str, Any]) -> list[Any]:
    out = []
    for value in values:
        text = str(value)
        how = int(rng.integers(0, 4))
        if how == 1 and " " in text:
            out.append(text.replace(" ", "  ", 1))
        elif how == 2:
            out.append(f" {text}")
        elif how == 3:
            out.append(f"{text}\t")
        else:
            out.append(f"{text} ")
    return out


def _case(rng: np.random.Generator, values: Sequence[Any], _: dict[str, Any]) -> list[Any]:
    out = []
    for value in values:
        text = str(value)
        variants = [v for v in (text.upper(), text.lower(), text.swapcase()) if v != text]
        out.append(variants[int(rng.integers(0, len(variants)))] if variants else f"{text} ")
    return out


def _missing(rng: np.random.Generator, values: Sequence[Any], spec: dict[str, Any]) -> list[Any]:
    tokens = list(spec.get("tokens") or (None,))
    return [tokens[i % len(tokens)] for i in range(len(values))]


def _format(rng: np.random.Generator, values: Sequence[Any], spec: dict[str, Any]) -> list[Any]:
    return [_formatted(rng, v, spec.get("semantic", "")) for v in values]


def _formatted(rng: np.random.Generator, value: Any, semantic: str) -> Any:
    if isinstance(value, (dt.date, dt.datetime, np.datetime64)):
        day = value if isinstance(value, dt.date) else _as_datetime(value)
        return day.strftime(_DATE_FORMATS[int(rng.integers(0, len(_DATE_FORMATS)))])
    if isinstance(value, (int, float, Decimal, np.integer, np.floating)):
        number = float(value)
        shapes = (f"${number:,.2f}", f"{number:.2f}".replace(".", ","), f"{number:,.2f} USD")
        return shapes[int(rng.integers(0, len(shapes)))]
    text = str(value)
    if "phone" in semantic or (len(_PHONE.findall(text)) >= 7 and not text.isalpha()):
        digits = "".join(_PHONE.findall(text))
        shapes = (digits, ".".join([digits[:3], digits[3:6], digits[6:]]), f"+1 {digits}")
        return next((s for s in shapes if s != text), digits + " ")
    parts = text.split()
    if len(parts) >= 2:  # a person's name: "Smith, John" or "J. Smith"
        first, last = parts[0], parts[-1]
        return f"{last}, {' '.join(parts[:-1])}" if rng.random() < 0.5 else f"{first[0]}. {last}"
    raise ValueError(f"no other format of {text!r}")


def _as_datetime(value: Any) -> dt.datetime:
    import pandas as pd

    return pd.Timestamp(value).to_pydatetime()


def _unit(rng: np.random.Generator, values: Sequence[Any], spec: dict[str, Any]) -> list[Any]:
    factor = float(spec.get("factor", 100.0))
    return [_scaled(v, factor) for v in values]


def _scaled(value: Any, factor: float) -> Any:
    if isinstance(value, (int, np.integer)) and float(factor).is_integer():
        return int(value) * int(factor) if value else int(factor)
    if isinstance(value, Decimal):  # exact, as the column stores it
        scaled_exact = value * Decimal(str(factor))
        return scaled_exact if scaled_exact != value else Decimal(str(factor))
    scaled = round(float(value) * factor, 9)  # no 1049.0000000000002 from 10.49 * 100
    return scaled if scaled != float(value) else factor


def _outlier(rng: np.random.Generator, values: Sequence[Any], spec: dict[str, Any]) -> list[Any]:
    # Far in the tail of what the column holds: 8 to 20 times its typical size.
    typical = abs(float(spec.get("median") or 0)) or 1.0
    out: list[Any] = []
    for value in values:
        far = typical * float(rng.uniform(8, 20)) * (1 if rng.random() < 0.9 else -1)
        if isinstance(value, (int, np.integer)):
            whole = round(far)
            out.append(whole if whole != value else whole + 1)
        else:
            out.append(round(far, 2) if not math.isclose(far, float(value)) else far * 2)
    return out


MUTATORS: dict[str, Mutator] = {
    "typo": _typo,
    "whitespace": _whitespace,
    "case": _case,
    "missing": _missing,
    "format": _format,
    "unit": _unit,
    "outlier": _outlier,
}


def applies_to(kind: str, column_kind: str, where: str) -> None:
    """Refuse a defect that cannot exist in a column of this kind (a typo in a number).

    Raises:
        SchemaError: If ``kind`` does not fit ``column_kind``.
    """
    text = column_kind in ("string", "text", "uuid", "json")
    numeric = column_kind in ("integer", "float", "decimal")
    fits = {
        "typo": text,
        "whitespace": text,
        "case": text,
        "unit": numeric,
        "outlier": numeric,
        "format": text or numeric or column_kind in ("date", "datetime"),
    }.get(kind, True)
    if not fits:
        raise SchemaError(
            [
                f"dirty-data spec {where}: {kind} needs a column that holds "
                f"{'text' if kind in ('typo', 'whitespace', 'case') else 'numbers'}, "
                f"not {column_kind}"
            ]
        )
