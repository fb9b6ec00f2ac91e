"""Streaming chunks into a database: one transaction, parents first, a chunk in memory at a time.

Runs on SQLite and PostgreSQL (``database``; an unreachable server skips with the reason). The
databases enforce every constraint themselves, and a failure must leave them exactly as they were.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import OutputError, SyntheticDataGenerator, load_schema, progress
from syda.database import count_rows, write_database, write_database_chunks

SHOP = load_schema(
    {
        "customer": {
            "id": {"type": "integer", "primary_key": True},
            "email": {"type": "email", "unique": True},
        },
        "orders": {
            "id": {"type": "integer", "primary_key": True},
            "customer_id": {"references": "customer.id"},
            "total": {"type": "decimal(8,2)", "min": 0, "max": 5000},
            "placed": "date",
        },
        "item": {
            "order_id": {"type": "integer", "primary_key": True, "references": "orders.id"},
            "line": {"type": "integer", "primary_key": True, "min": 1, "max": 9},
            "qty": {"type": "integer", "min": 1, "max": 20},
        },
    }
)
SIZES = {"customer": 30, "orders": 70, "item": 150}


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return SyntheticDataGenerator(seed=3).generate_related_data(SHOP, sample_sizes=SIZES)


def chunked(frame: pd.DataFrame, rows: int) -> list[pd.DataFrame]:
    return [frame.iloc[i : i + rows].reset_index(drop=True) for i in range(0, len(frame), rows)]


def table_rows(engine: Engine, name: str, order: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY {order}"))]


def snapshot(engine: Engine) -> dict[str, int]:
    inspector = sa.inspect(engine)
    return {
        name: len(table_rows(engine, name, "1")) for name in sorted(inspector.get_table_names())
    }


def test_chunks_are_written_as_the_whole_frames_would_be(
    database: Engine, frames: dict[str, pd.DataFrame]
) -> None:
    order = {"customer": "id", "orders": "id", "item": "order_id, line"}
    write_database(SHOP, frames, database, create_tables=True)
    whole = {name: table_rows(database, name, by) for name, by in order.items()}
    chunks = {k: chunked(f, 16) for k, f in frames.items()}
    report = write_database_chunks(SHOP, chunks, database, mode="replace")
    assert report.tables == SIZES
    # The same rows as the one-frame writer stored, value for value.
    assert {name: table_rows(database, name, by) for name, by in order.items()} == whole


def test_tables_are_read_parents_first_and_each_chunk_is_let_go(
    database: Engine, frames: dict[str, pd.DataFrame]
) -> None:
    asked: list[str] = []
    refs: list[weakref.ref[pd.DataFrame]] = []

    def lazily(key: str) -> Iterator[pd.DataFrame]:
        for part in chunked(frames[key], 25):
            gc.collect()
            # Every chunk handed out before is already dropped by the writer.
            assert all(ref() is None for ref in refs), "the writer keeps an earlier chunk"
            asked.append(key)
            chunk = part.copy()
            del part
            refs.append(weakref.ref(chunk))
            yield chunk
            del chunk

    # Given children first: the writer still reads them after their parents.
    streams = {k: lazily(k) for k in ("item", "orders", "customer")}
    write_database_chunks(SHOP, streams, database, create_tables=True)
    assert asked == ["customer"] * 2 + ["orders"] * 3 + ["item"] * 6
    assert count_rows(SHOP, database) == SIZES


def test_a_bad_chunk_rolls_back_every_table(
    database: Engine, frames: dict[str, pd.DataFrame]
) -> None:
    write_database_chunks(
        SHOP, {"customer": chunked(frames["customer"].iloc[:0], 1)}, database, create_tables=True
    )
    before = snapshot(database)
    items = chunked(frames["item"], 40)
    items[2] = items[2].assign(order_id=items[2].order_id + 10_000)  # points at no order
    chunks = {
        "customer": chunked(frames["customer"], 8),
        "orders": [frames["orders"]],
        "item": items,
    }
    with pytest.raises(OutputError, match="item") as caught:
        write_database_chunks(SHOP, chunks, database)
    assert "rolled back" in str(caught.value)
    assert snapshot(database) == before, "a table was half written"


def test_a_duplicate_across_chunks_is_refused_by_the_database(
    database: Engine, frames: dict[str, pd.DataFrame]
) -> None:
    customers = chunked(frames["customer"], 10)
    customers[1] = customers[1].assign(email=customers[0].email.to_numpy())
    with pytest.raises(OutputError, match="customer"):
        write_database_chunks(SHOP, {"customer": customers}, database, create_tables=True)
    assert "customer" not in sa.inspect(database).get_table_names() or snapshot(database) == {
        "customer": 0,
        "item": 0,
        "orders": 0,
    }


def test_a_failing_generator_rolls_back_and_its_error_propagates(
    database: Engine, frames: dict[str, pd.DataFrame]
) -> None:
    def broken() -> Iterator[pd.DataFrame]:
        yield frames["orders"].iloc[:10]
        raise RuntimeError("the chunk generator broke")

    chunks = {"customer": [frames["customer"]], "orders": broken()}
    with pytest.raises(RuntimeError, match="generator broke"):
        write_database_chunks(SHOP, chunks, database, create_tables=True)
    assert "customer" not in sa.inspect(database).get_table_names()


def test_chunks_of_one_table_must_have_the_same_columns(
    database: Engine, frames: dict[str, pd.DataFrame]
) -> None:
    parts = chunked(frames["customer"], 20)
    parts[1] = parts[1].drop(columns=["email"])
    with pytest.raises(OutputError, match="first chunk"):
        write_database_chunks(SHOP, {"customer": parts}, database, create_tables=True)


def test_each_chunk_moves_the_writing_progress(
    database: Engine, frames: dict[str, pd.DataFrame]
) -> None:
    seen: list[tuple[str, str, int, int | None]] = []

    class Recorder:
        def started(self, task: progress.Task) -> None:
            pass

        def advanced(self, task: progress.Task) -> None:
            seen.append((task.phase, task.table, task.done, task.total))

        def finished(self, task: progress.Task) -> None:
            pass

    chunks = {"customer": chunked(frames["customer"], 12)}
    with progress.use(Recorder()):
        write_database_chunks(SHOP, chunks, database, create_tables=True, totals={"customer": 30})
    assert seen == [("writing", "customer", n, 30) for n in (12, 24, 30)]
