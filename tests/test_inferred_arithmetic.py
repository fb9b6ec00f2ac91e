"""Inference writes the arithmetic a careful person would: a line's price, amount and total.

A line (a table with a quantity) copies its unit price from what it sells, its amount is the
quantity times that price (less its discount when the amount is net), and its document's total
is the sum of its lines. Each rule is read in ``gen.profile`` (and ``syda profile``) and on the
generated rows; a declared spec, a constraint the spec would break, or a column that only
looks like one, keep the rules out.
"""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from syda import SyntheticDataGenerator
from syda.cli import main
from syda.errors import SchemaError
from tests.support import published

SHOP: dict[str, Any] = {
    "products": {
        "id": "integer",
        "name": "string",
        "cost": "decimal(10,2)",
        "price": {"type": "decimal(10,2)", "nullable": True},
    },
    "orders": {"id": "integer", "order_date": "date", "total": "decimal(12,2)"},
    "order_items": {
        "id": "integer",
        "order_id": {"references": "orders.id"},
        "product_id": {"references": "products.id"},
        "quantity": "integer",
        "unit_price": "decimal(10,2)",
        "discount_pct": {"type": "decimal(5,2)", "min": 0, "max": 50},
        "line_total": "decimal(12,2)",
    },
}

# TPC-H's shape: a line points at an offer (part, supplier), and the part holds the price.
_KEY = {"type": "integer", "primary_key": True}
OFFERS: dict[str, Any] = {
    "part": {"p_partkey": _KEY, "p_retailprice": "decimal(15,2)"},
    "supplier": {"s_suppkey": _KEY, "s_name": "company"},
    "partsupp": {
        "columns": {
            "ps_partkey": {"type": "integer", "references": "part.p_partkey"},
            "ps_suppkey": {"type": "integer", "references": "supplier.s_suppkey"},
            "ps_supplycost": "decimal(15,2)",
        },
        "primary_key": ["ps_partkey", "ps_suppkey"],
    },
    "orders": {"o_orderkey": _KEY, "o_totalprice": "decimal(15,2)"},
    "lineitem": {
        "columns": {
            "l_orderkey": {"type": "integer", "references": "orders.o_orderkey"},
            "l_linenumber": "integer",
            "l_partkey": "integer",
            "l_suppkey": "integer",
            "l_quantity": "decimal(15,2)",
            "l_extendedprice": "decimal(15,2)",
            "l_discount": "decimal(15,2)",
        },
        "primary_key": ["l_orderkey", "l_linenumber"],
        "foreign_keys": [
            {
                "columns": ["l_partkey", "l_suppkey"],
                "references": {"table": "partsupp", "columns": ["ps_partkey", "ps_suppkey"]},
            }
        ],
    },
}
SIZES = {"products": 40, "orders": 60, "order_items": 300}
OFFER_SIZES = {"part": 30, "supplier": 10, "partsupp": 80, "orders": 50, "lineitem": 250}


def _spec(schema: Any, table: str, column: str) -> dict[str, Any]:
    spec = SyntheticDataGenerator(seed=0).profile(schema).tables[table].columns[column]
    return spec.declared()


def _cents(values: pd.Series) -> pd.Series:
    return values.astype(float).round(2)


# -- what the profile says ----------------------------------------------------------------------
def test_a_line_copies_its_products_price_and_nets_its_discount() -> None:
    assert _spec(SHOP, "order_items", "unit_price")["from_parent"] == "product.price"
    assert _spec(SHOP, "order_items", "line_total")["expr"] == (
        "quantity * unit_price * (1 - discount_pct / 100)"
    )
    assert _spec(SHOP, "orders", "total")["aggregate"] == "sum(order_items.line_total)"
    # The lines copy the product's price, so no product is left without one.
    assert _spec(SHOP, "products", "price")["null_share"] == 0
    # What the seller pays is no price a line is sold at, and the quantity stays drawn.
    assert "from_parent" not in _spec(SHOP, "products", "cost")
    assert set(_spec(SHOP, "order_items", "quantity")) == {"semantic"}


def test_an_extended_price_reads_the_parents_parent_and_is_before_discount() -> None:
    assert _spec(OFFERS, "lineitem", "l_extendedprice")["expr"] == (
        "l_quantity * partsupp.part.p_retailprice"
    )
    assert _spec(OFFERS, "orders", "o_totalprice")["aggregate"] == ("sum(lineitem.l_extendedprice)")
    # The supplier's cost is not what the line is sold at.
    assert "from_parent" not in _spec(OFFERS, "lineitem", "l_discount")


def test_an_ext_column_is_the_quantity_times_its_namesake_and_profits_are_no_amounts() -> None:
    # TPC-DS's store_sales: ss_ext_sales_price = ss_quantity * ss_sales_price, and so on.
    schema = {
        "item": {"i_item_sk": _KEY, "i_current_price": "decimal(7,2)"},
        "store_sales": {
            "ss_id": _KEY,
            "ss_item_sk": {"type": "integer", "references": "item.i_item_sk"},
            "ss_quantity": "integer",
            "ss_list_price": "decimal(7,2)",
            "ss_sales_price": "decimal(7,2)",
            "ss_ext_sales_price": "decimal(7,2)",
            "ss_ext_list_price": "decimal(7,2)",
            "ss_ext_discount_amt": "decimal(7,2)",
            "ss_net_paid": "decimal(7,2)",
            "ss_net_profit": "decimal(7,2)",
        },
    }
    schema["order_items"] = {
        "id": _KEY,
        "item_id": {"type": "integer", "references": "item.i_item_sk"},
        "quantity": "integer",
        "unit_price": "decimal(7,2)",
        "ext_price": "decimal(9,2)",
    }
    assert _spec(schema, "order_items", "ext_price")["expr"] == "quantity * unit_price"
    sales = SyntheticDataGenerator(seed=0).profile(schema).tables["store_sales"].columns
    assert sales["ss_ext_sales_price"].expr == "ss_quantity * ss_sales_price"
    assert sales["ss_ext_list_price"].expr == "ss_quantity * ss_list_price"
    assert sales["ss_list_price"].from_parent == "item.i_current_price"
    for name in ("ss_ext_discount_amt", "ss_net_paid", "ss_net_profit", "ss_sales_price"):
        assert sales[name].expr is None and sales[name].from_parent is None, name


def test_lines_without_an_amount_are_summed_as_quantity_times_price() -> None:
    schema = copy.deepcopy(SHOP)
    del schema["order_items"]["line_total"]
    assert _spec(schema, "orders", "total")["aggregate"] == (
        "sum(order_items.quantity * order_items.unit_price * (1 - order_items.discount_pct / 100))"
    )


def test_float_amounts_are_rounded_to_cents() -> None:
    schema = copy.deepcopy(SHOP)
    schema["order_items"]["line_total"] = "float"
    schema["orders"]["total"] = "float"
    expr = _spec(schema, "order_items", "line_total")["expr"]
    assert expr == "round(quantity * unit_price * (1 - discount_pct / 100), 2)"
    assert _spec(schema, "orders", "total")["aggregate"] == "round(sum(order_items.line_total), 2)"


# -- what the rows hold ------------------------------------------------------------------------
def test_generated_lines_and_totals_agree_to_the_cent() -> None:
    data = SyntheticDataGenerator(seed=3).generate_related_data(SHOP, sample_sizes=SIZES)
    items, products, orders = data["order_items"], data["products"], data["orders"]
    joined = items.merge(products, left_on="product_id", right_on="id", suffixes=("", "_p"))
    assert (_cents(joined["unit_price"]) == _cents(joined["price"])).all()
    expected = items["quantity"] * items["unit_price"].astype(float)
    expected = (expected * (1 - items["discount_pct"].astype(float) / 100)).round(2)
    assert ((_cents(items["line_total"]) - expected).abs() < 0.011).all()
    sums = items.groupby("order_id")["line_total"].sum().astype(float)
    totals = orders.set_index("id")["total"].astype(float)
    assert ((totals - sums.reindex(totals.index, fill_value=0)).abs() < 0.011).all()
    assert products["price"].notna().all()


def test_an_extended_price_is_the_quantity_times_the_parts_price() -> None:
    gen = SyntheticDataGenerator(seed=5)
    data = gen.generate_related_data(OFFERS, sample_sizes=OFFER_SIZES)
    lines = data["lineitem"].merge(data["part"], left_on="l_partkey", right_on="p_partkey")
    assert len(lines) == OFFER_SIZES["lineitem"]
    expected = (lines["l_quantity"].astype(float) * lines["p_retailprice"].astype(float)).round(2)
    assert ((_cents(lines["l_extendedprice"]) - expected).abs() < 0.011).all()
    sums = data["lineitem"].groupby("l_orderkey")["l_extendedprice"].sum().astype(float)
    totals = data["orders"].set_index("o_orderkey")["o_totalprice"].astype(float)
    assert ((totals - sums.reindex(totals.index, fill_value=0)).abs() < 0.011).all()


def test_a_grandparents_column_can_be_declared_too() -> None:
    schema = copy.deepcopy(OFFERS)
    schema["lineitem"]["columns"]["l_price"] = {
        "type": "decimal(15,2)",
        "from_parent": "partsupp.part.p_retailprice",
    }
    data = SyntheticDataGenerator(seed=2).generate_related_data(schema, sample_sizes=OFFER_SIZES)
    lines = data["lineitem"].merge(data["part"], left_on="l_partkey", right_on="p_partkey")
    assert (_cents(lines["l_price"]) == _cents(lines["p_retailprice"])).all()


def test_appended_lines_copy_the_price_of_products_already_in_the_database(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    first = SyntheticDataGenerator(seed=1).generate_related_data(
        SHOP, sample_sizes=SIZES, db_url=url, create_tables=True
    )
    SyntheticDataGenerator(seed=2).generate_related_data(
        SHOP, sample_sizes=SIZES, db_url=url, if_exists="append"
    )
    with sqlite3.connect(tmp_path / "shop.db") as db:
        rows = db.execute(
            "SELECT i.unit_price, p.price FROM order_items i JOIN products p ON p.id = i.product_id"
            " WHERE i.id > ? AND p.id <= ?",
            (SIZES["order_items"], len(first["products"])),
        ).fetchall()
    assert rows, "no new line points at an old product"
    assert all(round(line, 2) == round(product, 2) for line, product in rows)


# -- where the rules stay out --------------------------------------------------------------------
def test_a_declared_spec_wins_over_the_rules() -> None:
    schema = copy.deepcopy(SHOP)
    items = schema["order_items"]
    items["unit_price"] = {"type": "decimal(10,2)", "distribution": {"kind": "lognormal"}}
    items["line_total"] = {"type": "decimal(12,2)", "expr": "quantity * unit_price"}
    schema["orders"]["total"] = {"type": "decimal(12,2)", "min": 10, "max": 99}
    assert "from_parent" not in _spec(schema, "order_items", "unit_price")
    assert _spec(schema, "order_items", "line_total")["expr"] == "quantity * unit_price"
    assert "aggregate" not in _spec(schema, "orders", "total")


@pytest.mark.parametrize(
    ("total", "why"),
    [
        ({"type": "decimal(12,2)", "min": 1}, "an order without lines would total 0"),
        ("decimal(5,2)", "a sum of lines does not fit 999.99"),
        ({"type": "decimal(12,2)", "unique": True}, "a unique column is no sum"),
    ],
)
def test_a_total_that_cannot_hold_a_sum_is_not_summed(total: Any, why: str) -> None:
    schema = copy.deepcopy(SHOP)
    schema["orders"]["total"] = total
    assert "aggregate" not in _spec(schema, "orders", "total"), why


def test_stock_levels_costs_and_fees_are_no_line_arithmetic() -> None:
    schema = {
        "products": {"id": "integer", "price": "decimal(10,2)", "unit_cost": "decimal(10,2)"},
        "stock": {
            "id": "integer",
            "product_id": {"references": "products.id"},
            "quantity_on_hand": "integer",
            "unit_price": "decimal(10,2)",
            "total_value": "decimal(12,2)",
        },
        "shipments": {
            "id": "integer",
            "product_id": {"references": "products.id"},
            "quantity": "integer",
            "unit_cost": "decimal(10,2)",
            "shipping_fee": "decimal(10,2)",
        },
    }
    profile = SyntheticDataGenerator(seed=0).profile(schema)
    for table in ("stock", "shipments"):
        for name, spec in profile.tables[table].columns.items():
            assert not {"from_parent", "expr", "aggregate"} & set(spec.declared()), (table, name)


def test_a_nullable_product_key_does_not_feed_a_not_null_price() -> None:
    schema = copy.deepcopy(SHOP)
    schema["order_items"]["product_id"] = {"references": "products.id", "nullable": True}
    assert "from_parent" not in _spec(schema, "order_items", "unit_price")


# -- paths through parents, checked before anything is drawn ------------------------------------
@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("partsupp.part.nope", "parent part has no column 'nope'"),
        ("partsupp.nowhere.p_retailprice", "'nowhere' names no parent of partsupp"),
        ("partsupp.part.x.p_retailprice", "goes past a parent's parent"),
    ],
)
def test_a_bad_path_through_parents_is_refused(ref: str, message: str) -> None:
    schema = copy.deepcopy(OFFERS)
    schema["lineitem"]["columns"]["l_price"] = {"type": "decimal(15,2)", "from_parent": ref}
    with pytest.raises(SchemaError, match=message):
        SyntheticDataGenerator(seed=0).profile(schema)


# -- syda profile shows why a column holds what it holds ----------------------------------------
def test_syda_profile_on_a_database_shows_the_arithmetic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = next(s for s in published.SCHEMAS if s.id == "chinook-sqlite")
    with published.loaded(source, tmp_path) as engine:
        code = main(["profile", "--db", str(engine.url)])
    out = capsys.readouterr().out
    assert code == 0
    assert "from_parent: Track.UnitPrice" in out
    assert "aggregate: sum(InvoiceLine.Quantity * InvoiceLine.UnitPrice)" in out
