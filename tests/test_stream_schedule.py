"""The streaming engine does not depend on the schedule: which worker makes a chunk, or when.

The CRM demo streamed in chunks (document lines cut by their orders, SKUs whose last digits are
a bijection of the row, one catalogue permutation across chunks, companies' websites kept for
their contacts' mail) is the same bytes on one process and on two; and a level whose chunks
fail names the first failed chunk in plan order, whichever failed first in time; a table starts
as soon as its own parents are done.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from examples import crm_models
from syda import SyntheticDataGenerator
from syda.errors import GenerationError
from syda.stream.schedule import run_tables
from tests.support.digest import tree_digest

SIZES = {"Customer": 120, "Contact": 400, "Product": 300, "Order": 250, "OrderItem": 700}


def test_streamed_crm_is_the_same_bytes_on_one_process_and_two(tmp_path: Path) -> None:
    digests = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        report = SyntheticDataGenerator(seed=5).generate_to(
            crm_models.MODELS, out, sample_sizes=SIZES, chunk_rows=100, workers=workers
        )
        assert report.chunks["OrderItem"] > 1 and report.chunks["Product"] > 1
        digests.append(tree_digest(out))
    assert digests[0] == digests[1]


class _Scripted:
    """A runner whose tasks end in the order a test says, as a real pool's might."""

    def __init__(self, fails: set[tuple[str, int]], finish_order: list[tuple[str, int]]):
        self.fails, self.finish_order = fails, finish_order
        self.started: list[tuple[str, int]] = []
        self.cancelled: list[tuple[str, int]] = []
        self._ended: dict[tuple[str, int], Callable[[], None]] = {}
        self._futures: dict[tuple[str, int], Future[Any]] = {}

    def start(self, task: tuple[Any, ...], ended: Callable[[], None]) -> Future[Any]:
        name = (task[0], task[1])
        self.started.append(name)
        future: Future[Any] = Future()
        self._futures[name], self._ended[name] = future, ended
        self._release()
        return future

    def cancel(self, futures: Sequence[Any]) -> None:
        for name, future in self._futures.items():
            if future in futures:
                self.cancelled.append(name)
                future.cancel()

    def _release(self) -> None:
        """End, in the scripted order, every started task whose turn has come."""
        while self.finish_order and self.finish_order[0] in self._futures:
            name = self.finish_order.pop(0)
            future = self._futures[name]
            if future.cancelled():
                continue
            if name in self.fails:
                future.set_exception(GenerationError(f"{name[0]} chunk {name[1]}"))
            else:
                future.set_result((10, {}))
            self._ended[name]()


PARENTS = {
    "customers": set(),
    "products": set(),
    "orders": {"customers"},
    "lines": {"orders", "products"},
}
CHUNKS = {"customers": 2, "products": 1, "orders": 2, "lines": 2}


def _run(runner: _Scripted) -> list[tuple[str, Any]]:
    told: list[tuple[str, Any]] = []
    run_tables(
        list(PARENTS),
        PARENTS,
        CHUNKS,
        lambda key, chunk: (key, chunk),
        runner,
        began=lambda key: told.append(("began", key)),
        chunk_done=lambda key, summary: told.append(("chunk", key)),
        table_done=lambda key, summaries: told.append(("table", key, len(summaries))),
    )
    return told


def test_a_table_starts_once_its_own_parents_are_done_not_a_whole_level() -> None:
    # The one product chunk is slow: the orders start on the customers alone, before it ends.
    order = [("customers", 0), ("customers", 1), ("orders", 0), ("orders", 1), ("products", 0),
             ("lines", 0), ("lines", 1)]  # fmt: skip
    runner = _Scripted(set(), order)
    told = _run(runner)
    assert runner.started.index(("orders", 0)) < runner.started.index(("lines", 0))
    assert told.index(("began", "orders")) < told.index(("table", "products", 1))
    assert told.index(("table", "products", 1)) < told.index(("began", "lines"))
    assert told.index(("table", "orders", 2)) < told.index(("began", "lines"))
    assert [t for t in told if t[0] == "table"] == [
        ("table", "customers", 2), ("table", "orders", 2), ("table", "products", 1),
        ("table", "lines", 2),
    ]  # fmt: skip


def test_the_failure_told_is_the_first_in_plan_order_not_in_time() -> None:
    # An order chunk fails first in time; the product chunk, earlier in plan order, fails
    # later: the product's failure is the one told.
    order = [("customers", 0), ("customers", 1), ("orders", 1), ("orders", 0), ("products", 0)]
    runner = _Scripted({("orders", 1), ("products", 0)}, order)
    with pytest.raises(GenerationError, match="products chunk 0"):
        _run(runner)
    assert ("lines", 0) not in runner.started, "nothing after a failure starts"


def test_a_failure_cancels_the_later_tasks_and_waits_for_the_earlier() -> None:
    # orders chunk 0 fails while orders chunk 1 is still running: chunk 1 is cancelled, and
    # the product chunk (earlier in plan order) still runs and its success is told.
    order = [("customers", 0), ("customers", 1), ("orders", 0), ("products", 0)]
    runner = _Scripted({("orders", 0)}, order)
    told: list[tuple[str, Any]] = []
    with pytest.raises(GenerationError, match="orders chunk 0"):
        run_tables(
            list(PARENTS), PARENTS, CHUNKS, lambda key, chunk: (key, chunk), runner,
            began=lambda key: None,
            chunk_done=lambda key, summary: told.append(("chunk", key)),
            table_done=lambda key, summaries: told.append(("table", key)),
        )  # fmt: skip
    assert runner.cancelled == [("orders", 1)]
    assert ("table", "products") in told


class _CancelledOutside:
    """A cluster that cancels every chunk itself (a restart, another client)."""

    def start(self, task: tuple[Any, ...], ended: Callable[[], None]) -> Future[Any]:
        future: Future[Any] = Future()
        future.cancel()
        ended()
        return future

    def cancel(self, futures: Sequence[Any]) -> None:
        pass


def test_a_chunk_cancelled_outside_the_run_fails_it_rather_than_dropping_its_table() -> None:
    told: list[str] = []
    with pytest.raises(GenerationError, match="cancelled"):
        run_tables(
            ["a", "b"], {"a": set(), "b": {"a"}}, {"a": 1, "b": 1},
            lambda key, chunk: (key, chunk), _CancelledOutside(),
            began=told.append, chunk_done=lambda key, summary: None,
            table_done=lambda key, summaries: told.append(f"{key} done"),
        )  # fmt: skip
    assert told == ["a"], "b never starts, nothing is told done"
