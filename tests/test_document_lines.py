"""A document's lines: every invoice has a line, and an order lists each product once."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.database import read_tables
from syda.schema import load_schema

# A priced line: its price is its track's, its other parent is the invoice (Chinook's shape).
STORE: dict[str, Any] = {
    "customer": {"id": "integer", "name": "varchar(40)"},
    "track": {"id": "integer", "name": "varchar(60)", "unit_price": "decimal(10,2)"},
    "invoice": {
        "id": "integer",
        "customer_id": {"references": "customer"},
        "total": "decimal(10,2)",
    },
    "invoice_line": {
        "id": "integer",
        "invoice_id": {"references": "invoice"},
        "track_id": {"references": "track"},
        "unit_price": "decimal(10,2)",
        "quantity": "integer",
    },
}
# A numbered line: (order_id, line_no) is unique, and nothing is priced (no product's price).
ORDERS: dict[str, Any] = {
    "item": {"id": "integer", "label": "varchar(40)"},
    "orders": {"id": "integer", "placed": "date"},
    "order_line": {
        "columns": {
            "id": "integer",
            "order_id": {"references": "orders"},
            "line_no": "integer",
            "item_id": {"references": "item"},
        },
        "unique": [["order_id", "line_no"]],
    },
}


def lines_per(frames: dict[str, pd.DataFrame], doc: str, child: str, fk: str) -> pd.Series:
    return frames[child][fk].value_counts().reindex(frames[doc]["id"], fill_value=0)


@pytest.fixture(scope="module")
def store() -> dict[str, pd.DataFrame]:
    sizes = {"customer": 20, "track": 60, "invoice": 40, "invoice_line": 200}
    return SyntheticDataGenerator(seed=3).generate_related_data(schema=STORE, sample_sizes=sizes)


def test_every_invoice_has_a_line_and_the_rest_are_skewed(
    store: dict[str, pd.DataFrame],
) -> None:
    counts = lines_per(store, "invoice", "invoice_line", "invoice_id")
    assert counts.min() >= 1 and counts.sum() == 200
    # 160 lines beyond one each, spread with a skew: some invoices are long, not all five.
    assert counts.max() >= 8 and counts.nunique() >= 4
    # No invoice totals 0.00: each has a line to sum.
    assert (store["invoice"]["total"].astype(float) > 0).all()


def test_an_invoice_lists_each_track_once(store: dict[str, pd.DataFrame]) -> None:
    lines = store["invoice_line"]
    assert not lines[["invoice_id", "track_id"]].duplicated().any()
    # Still a sample of the catalogue, with popular tracks, not one track per invoice slot.
    assert lines["track_id"].nunique() >= 40
    assert lines["track_id"].value_counts().max() >= 6


def test_fewer_lines_than_documents_go_to_distinct_documents() -> None:
    sizes = {"customer": 5, "track": 10, "invoice": 50, "invoice_line": 30}
    frames = SyntheticDataGenerator(seed=4).generate_related_data(schema=STORE, sample_sizes=sizes)
    assert frames["invoice_line"]["invoice_id"].is_unique


def test_a_numbered_line_covers_its_orders_and_the_plan_says_so() -> None:
    gen = SyntheticDataGenerator(seed=5)
    sizes = {"item": 8, "orders": 30, "order_line": 90}
    frames = gen.generate_related_data(schema=ORDERS, sample_sizes=sizes)
    counts = lines_per(frames, "orders", "order_line", "order_id")
    assert counts.min() >= 1
    assert counts.max() <= 8  # an order cannot list more distinct items than exist
    assert not frames["order_line"][["order_id", "item_id"]].duplicated().any()
    sources = gen.plan(schema=ORDERS, sample_sizes=sizes).tables["order_line"].sources
    assert sources["order_id"].detail == "many -> orders, one per orders before any gets two"
    assert sources["item_id"].detail == "many -> item, distinct within each orders"


def test_a_cardinality_decides_the_counts_and_products_stay_distinct() -> None:
    frames = SyntheticDataGenerator(seed=6).generate_related_data(
        schema=STORE,
        sample_sizes={"customer": 5, "track": 12, "invoice": 40},
        cardinality={"invoice_line.invoice_id": "0-6"},
    )
    counts = lines_per(frames, "invoice", "invoice_line", "invoice_id")
    assert (counts == 0).any() and counts.max() <= 6  # the user's 0-6, not one each
    assert not frames["invoice_line"][["invoice_id", "track_id"]].duplicated().any()


def test_an_association_table_is_not_read_as_lines() -> None:
    schema = {
        "playlist": {"id": "integer", "name": "varchar(40)"},
        "song": {"id": "integer", "name": "varchar(40)"},
        "playlist_song": {
            "playlist_id": {"references": "playlist", "primary_key": True},
            "song_id": {"references": "song", "primary_key": True},
        },
    }
    plan = SyntheticDataGenerator(seed=7).plan(schema=schema)
    assert not any(f.covers for f in plan.tables["playlist_song"].foreign_keys)


def test_appended_lines_reach_the_documents_without_one_first(sqlite_engine: Engine) -> None:
    gen = SyntheticDataGenerator(seed=8)
    first = {"customer": 5, "track": 20, "invoice": 10, "invoice_line": 25}
    gen.generate_related_data(STORE, sample_sizes=first, db_url=sqlite_engine, create_tables=True)
    more = {"customer": 2, "track": 2, "invoice": 15, "invoice_line": 15}
    gen.generate_related_data(STORE, sample_sizes=more, db_url=sqlite_engine, if_exists="append")
    frames = read_tables(load_schema(STORE), sqlite_engine)
    # 15 new lines, 15 new invoices without one: each gets one (none go to the old invoices).
    assert lines_per(frames, "invoice", "invoice_line", "invoice_id").min() >= 1


def test_lines_filling_every_pair_give_each_document_every_item_once() -> None:
    sizes = {"item": 5, "orders": 4, "order_line": 20}
    frames = SyntheticDataGenerator(seed=9).generate_related_data(ORDERS, sample_sizes=sizes)
    lines = frames["order_line"]
    assert len(lines) == 20 and not lines[["order_id", "item_id"]].duplicated().any()
    assert (lines_per(frames, "orders", "order_line", "order_id") == 5).all()
