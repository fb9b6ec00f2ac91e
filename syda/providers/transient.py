"""Which provider failures are worth retrying, and how long to wait before the next attempt.

Vendor SDK exceptions are read by their shape (``status_code``, ``response.headers``) and class
names rather than imported, so this module works whether or not a given SDK is installed.
"""

from __future__ import annotations

import random

from tenacity import RetryCallState

__all__ = ["is_connect_timeout", "is_timeout", "is_transient", "retry_after", "wait_for_retry"]

_RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
_TRANSIENT_NAMES = ("APIConnectionError", "APITimeoutError", "TimeoutException", "ConnectError")
_TIMEOUT_NAMES = ("APITimeoutError", "TimeoutException")


def is_transient(exc: BaseException) -> bool:
    """True for rate limits, server errors, timeouts and dropped connections."""
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return status in _RETRY_STATUS or status >= 500
    names = {cls.__name__ for cls in type(exc).__mro__}
    return any(name in names for name in _TRANSIENT_NAMES) or isinstance(
        exc, (TimeoutError, ConnectionError)
    )


def is_timeout(exc: BaseException) -> bool:
    """True when no reply came in time (connecting, sending or waiting for the reply)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    return any(name in names for name in _TIMEOUT_NAMES) or isinstance(exc, TimeoutError)


def is_connect_timeout(exc: BaseException) -> bool:
    """True when the connection itself could not be opened in time (the SDK's cause says so)."""
    seen: BaseException | None = exc
    for _ in range(4):  # the SDK wraps the transport's exception once or twice
        if seen is None:
            return False
        if type(seen).__name__ == "ConnectTimeout":
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (``retry-after`` / ``retry-after-ms``), if it did."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue  # an HTTP date: fall back to backoff
    return None


def wait_for_retry(state: RetryCallState) -> float:
    """Honour Retry-After (capped at a minute); else exponential backoff with jitter."""
    exc: BaseException | None = state.outcome.exception() if state.outcome is not None else None
    asked = retry_after(exc)
    if asked is not None:
        return min(asked, 60.0)
    base = min(30.0, 0.5 * 2.0 ** (state.attempt_number - 1))
    jitter: float = random.random()  # spreads retries of concurrent batches apart
    return base * (0.5 + jitter / 2)
