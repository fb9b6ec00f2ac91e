"""Close matches for a misspelt name, so an error about a key can say which one was meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["closest", "did_you_mean", "did_you_mean_each"]

_CUTOFF = 0.6
"""difflib's similarity ratio a candidate needs (``Custmer`` and ``Customer``: 0.93)."""


def closest(name: object, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` most likely meant: the same but for case, else the closest."""
    if not isinstance(name, str) or not name:
        return None
    options = list(dict.fromkeys(candidates))
    folded = {option.casefold(): option for option in options}
    if name.casefold() in folded and folded[name.casefold()] != name:
        return folded[name.casefold()]
    found = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=_CUTOFF)
    return folded[found[0]] if found and folded[found[0]] != name else None


def did_you_mean(name: object, candidates: Iterable[str], *, as_written: str = "{}") -> str:
    """``"; did you mean 'X'?"`` for the closest candidate, or ``""`` when none is close.

    ``as_written`` formats the suggestion (``"Contact.{}"`` to suggest a whole key).
    """
    found = closest(name, candidates)
    return "" if found is None else f"; did you mean {as_written.format(found)!r}?"


def did_you_mean_each(names: Iterable[object], candidates: Iterable[str]) -> str:
    """``"; did you mean 'X' for 'x', 'Y' for 'y'?"`` for the names that have a close match."""
    options = list(candidates)
    given = list(names)
    pairs = [(name, closest(name, options)) for name in given]
    found = [(name, match) for name, match in pairs if match is not None]
    if not found:
        return ""
    if len(given) == 1:
        return f"; did you mean {found[0][1]!r}?"
    listed = ", ".join(f"{match!r} for {name!r:.60}" for name, match in found)
    return f"; did you mean {listed}?"
