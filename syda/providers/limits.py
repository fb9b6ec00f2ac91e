"""The time limits of a run: its deadline, when a timeout is worth retrying, and what to say.

A run (one ``generate_*`` call) shares one :class:`RunLimits` across all its tables. It
answers two questions: how long the run may still spend on LLM calls (``deadline``), and
whether the endpoint has answered anything yet. Until it has, a timeout is final: a server that
accepts connections and never answers is indistinguishable from a model still writing, so
retrying it only multiplies the wait. The messages name the endpoint as ``scheme://host:port``
(never a path, key or credentials) and the option that changes the outcome.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from syda.errors import GenerationError
from syda.providers.config import CONNECT_TIMEOUT, ModelConfig

__all__ = ["DeadlineError", "RunLimits", "deadline_message", "timeout_message"]


@dataclass
class RunLimits:
    """The clock and the liveness of one run, shared by all its tables.

    Attributes:
        deadline: Seconds the run may spend, or None for no limit.
        started: ``time.monotonic()`` when the run began.
        answered: Set once the endpoint has sent any HTTP reply in this run.
    """

    deadline: float | None
    started: float = field(default_factory=time.monotonic)
    answered: threading.Event = field(default_factory=threading.Event)

    def remaining(self) -> float | None:
        """Seconds left before the deadline (0 when passed), or None without one."""
        if self.deadline is None:
            return None
        return max(0.0, self.started + self.deadline - time.monotonic())

    def expired(self) -> bool:
        """True once the deadline has passed."""
        return self.remaining() == 0.0


def timeout_message(config: ModelConfig, attempts: int, answered: bool, connecting: bool) -> str:
    """Why a call timed out for good, and what to change."""
    tries = _count(attempts, "attempt")
    if not answered and attempts < config.max_retries:
        tries += ", not retried: the endpoint has not answered anything in this run"
    where = f"the {config.provider} endpoint {config.endpoint()}"
    if connecting:
        return (
            f"could not connect to {where} within {min(config.timeout, CONNECT_TIMEOUT):g} s "
            f"(connect timeout; {tries}): the host is down, unreachable or not listening; "
            "check base_url (--base-url) and the network"
        )
    return (
        f"no reply from {where} within {config.timeout:g} s (timeout; {tries}). The server "
        "accepts connections but does not answer, or the model needs longer: check the server, "
        "or raise the timeout (--timeout, ModelConfig.timeout); --deadline bounds the whole run"
    )


class DeadlineError(GenerationError):
    """The run's deadline passed; :meth:`for_table` words it with the whole table's progress."""

    def __init__(self, config: ModelConfig, table: str, calls: int, done: int, total: int):
        super().__init__(
            deadline_message(config, calls, done, total),
            table=table,
            rule="deadline",
            attempts=calls,
        )
        self.config = config

    def for_table(self, calls: int, done: int, total: int) -> DeadlineError:
        """The same error, saying how far the table (not just one batch) had got."""
        return DeadlineError(self.config, self.table or "", calls, done, total)


def deadline_message(config: ModelConfig, calls: int, done: int, total: int) -> str:
    """What a run that ran out of time had done, and what to change."""
    assert config.deadline is not None
    return (
        f"the run's deadline of {config.deadline:g} s ran out (--deadline, ModelConfig.deadline) "
        f"with {done} of {total} rows written by the {config.provider} endpoint "
        f"{config.endpoint()} ({_count(calls, 'call')} for this table; the timeout of one call is "
        f"{config.timeout:g} s): raise --deadline, or ask for fewer rows"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
