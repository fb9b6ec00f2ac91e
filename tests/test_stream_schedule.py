"""The streaming engine does not depend on the schedule: which worker makes a chunk, or when.

The CRM demo streamed in chunks (document lines cut by their orders, SKUs whose last digits are
a bijection of the row, one catalogue permutation across chunks, companies' websites kept for
their contacts' mail) is the same bytes on one process and on two; and a level whose chunks
fail names the first failed chunk in task order, whichever failed first in time.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from examples import crm_models
from syda import SyntheticDataGenerator
from syda.errors import GenerationError
from syda.stream.collect import in_task_order
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


def _failed(message: str) -> Future[Any]:
    future: Future[Any] = Future()
    future.set_exception(GenerationError(message))
    return future


def _ok(rows: int) -> Future[Any]:
    future: Future[Any] = Future()
    future.set_result((rows, {}))
    return future


def test_results_come_in_task_order_as_each_end_is_told() -> None:
    futures = [_ok(1), _ok(2), _ok(3)]
    told: list[int] = []
    out = in_task_order(futures, [2, 0, 1], lambda i, _: told.append(i), lambda _: None)
    assert out == [(1, {}), (2, {}), (3, {})]
    assert told == [2, 0, 1], "each end is told as it happens"


def test_the_failure_told_is_the_first_in_task_order_not_in_time() -> None:
    # Chunk 3 fails first in time, chunk 1 later: chunk 1 is the one told; the chunks after
    # chunk 3 are cancelled, and chunk 2 (after the first failure in task order) is not awaited.
    pending: list[Future[Any]] = [Future(), Future()]
    futures = [_ok(10), _failed("chunk 1"), pending[0], _failed("chunk 3"), pending[1]]
    told: list[int] = []
    cancelled: list[Future[Any]] = []
    with pytest.raises(GenerationError, match="chunk 1"):
        in_task_order(futures, [0, 3], lambda i, _: told.append(i), cancelled.extend)
    assert told == [0]
    assert cancelled == [pending[1]]


def test_a_lone_failure_is_told_once_the_chunks_before_it_succeed() -> None:
    futures = [_ok(1), _ok(2), _failed("chunk 2")]
    with pytest.raises(GenerationError, match="chunk 2"):
        in_task_order(futures, [2], lambda i, _: None, lambda _: None)
