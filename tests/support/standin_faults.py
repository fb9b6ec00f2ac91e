"""A fault schedule for the stand-in: every fault kind met, whatever the prompts say.

A fault drawn from a hash of the request body moves whenever a prompt changes, so a test that
must meet every kind of fault needed a hunted seed. A :class:`FaultSchedule` decides by call
index instead: kind *k* of the schedule is released at the stand-in's request number
``k * every`` and goes to the first request from then on that it :func:`fits` (a profile that
breaks a CHECK needs a profile request with a bounded number column, a row that breaks one a rows
request with such a column); a request takes at most one fault. Every kind is met once, as
soon as a request it fits arrives (a kind no request has fitted yet waits, while the kinds
released after it may go first), and the run then goes on without faults, so the test's result
depends on the engine's repairs, never on luck.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tests.support.standin_compact import prompt_row_schema
from tests.support.standin_profile import breaks_a_check
from tests.support.standin_rows import past_bound

__all__ = ["FaultSchedule", "fits"]

_PROFILE = "Columns to profile:"
_ROWS = "Return exactly"


class FaultSchedule:
    """Faults released by call index, each given to the first request it fits.

    Args:
        kinds: The faults, in the order they are released.
        every: Requests between two releases (1: one a request until all are met).
    """

    def __init__(self, kinds: Iterable[str], every: int = 1) -> None:
        if every < 1:
            raise ValueError(f"every must be at least 1, got {every!r}")
        self.kinds = tuple(kinds)
        self.every = every
        self.index = 0
        self.owed: list[str] = []
        self.met: list[str] = []

    @property
    def done(self) -> bool:
        """Every kind was given to a request."""
        return len(self.met) == len(self.kinds)

    def pick(self, body: Any) -> str | None:
        """The fault of the next request (``body``, parsed), or None."""
        released, step = divmod(self.index, self.every)
        if step == 0 and released < len(self.kinds):
            self.owed.append(self.kinds[released])
        self.index += 1
        for kind in self.owed:
            if fits(kind, body):
                self.owed.remove(kind)
                self.met.append(kind)
                return kind
        return None


def fits(kind: str, body: Any) -> bool:
    """Whether fault ``kind`` would show in the reply to ``body`` (a parsed request)."""
    text = "\n".join(_strings(body))
    profile = _PROFILE in text
    if kind == "bad_profile":
        return profile and breaks_a_check(text)
    if kind == "breaks_check":
        if profile or _ROWS not in text:
            return False
        try:
            return past_bound(prompt_row_schema("rows", text)) is not None
        except ValueError:
            return False
    return True


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value (the prompts, wherever a vendor's body puts them)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
