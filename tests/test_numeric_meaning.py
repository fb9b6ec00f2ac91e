"""Numbers take their range and shape from what they measure, and declared bounds still win."""

from __future__ import annotations

from typing import Any

import pandas as pd

from syda import SyntheticDataGenerator

N = 10_000


def _tables(schema: dict[str, Any], n: int = N, seed: int = 7) -> dict[str, pd.DataFrame]:
    gen = SyntheticDataGenerator(seed=seed)
    return gen.generate_related_data(schema, sample_sizes={t: n for t in schema})


def _semantics(schema: dict[str, Any], table: str) -> dict[str, str | None]:
    columns = SyntheticDataGenerator(seed=1).profile(schema).tables[table].columns
    return {name: col.semantic for name, col in columns.items()}


_MEDIA = {
    "track": {
        "track_id": {"type": "integer", "primary_key": True},
        "Milliseconds": "integer",
        "Bytes": "integer",
        "UnitPrice": "decimal(10,2)",
    },
    "film": {
        "film_id": {"type": "integer", "primary_key": True},
        "length": "smallint",
        "rental_duration": "smallint",
        "rental_rate": "decimal(4,2)",
        "replacement_cost": "decimal(5,2)",
    },
}


def test_media_measures_are_read_from_their_names_and_tables() -> None:
    track = _semantics(_MEDIA, "track")
    assert (track["Milliseconds"], track["Bytes"]) == ("duration_ms", "file_size")
    assert track["UnitPrice"] == "digital_price"
    film = _semantics(_MEDIA, "film")
    assert (film["length"], film["rental_duration"]) == ("minutes", "days")
    assert (film["rental_rate"], film["replacement_cost"]) == ("rental_price", "replacement_cost")


def test_media_measures_have_plausible_ranges_and_a_typical_middle() -> None:
    frames = _tables(_MEDIA)
    track, film = frames["track"], frames["film"]
    assert track["Milliseconds"].between(30_000, 1_200_000).all()
    # a song lasts minutes: the median is within a minute of four minutes
    assert abs(track["Milliseconds"].median() - 240_000) < 60_000
    assert track["Bytes"].between(100_000, 10**9).all()
    assert track["UnitPrice"].between(0.49, 4.99).all()
    assert (track["UnitPrice"] == 0.99).mean() > 0.5
    assert film["length"].between(46, 185).all() and abs(film["length"].median() - 110) < 10
    assert film["rental_duration"].between(1, 14).all()
    assert film["rental_duration"].between(3, 7).mean() > 0.8
    assert film["rental_rate"].between(0.49, 9.99).all()
    assert ((film["rental_rate"] * 100).round() % 100 == 99).all()
    assert film["replacement_cost"].between(4.99, 99.99).all()


def test_declared_bounds_beat_the_default_range_of_a_measure() -> None:
    schema = {
        "film": {
            "film_id": {"type": "integer", "primary_key": True},
            "length": {"type": "smallint", "min": 60, "max": 90},
            "rental_duration": {"type": "smallint", "min": 10, "max": 30},
        }
    }
    film = _tables(schema)["film"]
    assert film["length"].between(60, 90).all()
    assert film["rental_duration"].between(10, 30).all()
    # the bounds are used, not just the default values that fit in them
    assert film["rental_duration"].max() > 14


def test_line_items_have_fraction_discounts_and_taxes_small_sizes_and_quantities() -> None:
    schema = {
        "part": {"p_partkey": {"type": "integer", "primary_key": True}, "p_size": "integer"},
        "lineitem": {
            "l_id": {"type": "integer", "primary_key": True},
            "l_quantity": "integer",
            "l_discount": "decimal(15,2)",
            "l_tax": "decimal(15,2)",
            "line_number": "smallint",
        },
        "order_details": {
            "id": {"type": "integer", "primary_key": True},
            "discount": "real",
            "percent_off": {"type": "integer", "semantic": "discount"},
        },
    }
    frames = _tables(schema)
    line, details = frames["lineitem"], frames["order_details"]
    assert frames["part"]["p_size"].between(1, 50).all()
    assert frames["part"]["p_size"].nunique() == 50
    assert line["l_discount"].between(0, 0.10).all() and line["l_discount"].nunique() == 11
    assert line["l_tax"].between(0, 0.08).all() and line["l_tax"].nunique() == 9
    assert line["l_quantity"].between(1, 10).all()
    assert line["line_number"].between(1, 20).all() and line["line_number"].median() <= 4
    # Without a tax beside it, a discount is none on most lines, else a round 5-20%.
    assert set(details["discount"].round(6)) <= {0, 0.05, 0.10, 0.15, 0.20}
    assert (details["discount"] == 0).mean() > 0.4
    assert set(details["percent_off"]) <= {0, 5, 10, 15, 20} and details["percent_off"].max() == 20


def test_tax_without_a_discount_beside_it_stays_an_amount() -> None:
    schema = {"orders": {"id": {"type": "integer", "primary_key": True}, "tax": "decimal(10,2)"}}
    assert _semantics(schema, "orders")["tax"] == "amount"


def test_integer_flags_with_a_zero_default_are_zero_or_one_and_counts_are_not() -> None:
    schema = {
        "tokens": {
            "id": {"type": "integer", "primary_key": True},
            "sudo": {"type": "integer", "default": 0},
            "one_time": {"type": "integer", "default": "0"},
            "discontinued": "integer",
            "views": {"type": "integer", "default": 0},
            "retry_count": {"type": "integer", "default": 0},
        }
    }
    frame = _tables(schema)["tokens"]
    for flag in ("sudo", "one_time", "discontinued"):
        assert set(frame[flag].unique()) == {0, 1}, flag
        assert frame[flag].mean() < 0.5, flag  # a rare state, not a coin toss
    assert frame["views"].max() > 1 and frame["retry_count"].max() > 1


def test_money_in_float_columns_keeps_cents_and_list_prices_cover_the_cost() -> None:
    schema = {
        "customers": {
            "id": {"type": "integer", "primary_key": True},
            "creditLimit": "double",
            "freight": "real",
        },
        "products": {
            "code": {"type": "integer", "primary_key": True},
            "buyPrice": "double",
            "MSRP": "double",
        },
    }
    frames = _tables(schema)
    customers, products = frames["customers"], frames["products"]
    for column in ("creditLimit", "freight"):
        values = customers[column]
        assert ((values * 100).round(6) % 1 == 0).all(), column
    assert customers["creditLimit"].between(1_000, 1_000_000).all()
    assert customers["freight"].between(0.01, 1_000).all()
    markup = products["MSRP"] / products["buyPrice"]
    assert (markup >= 1).all() and markup.median() > 1.5


def test_a_discount_said_to_be_in_percent_is_a_whole_percent() -> None:
    schema = {
        "order_lines": {
            "id": {"type": "integer", "primary_key": True},
            "discount": {"type": "decimal(5,2)", "description": "discount in percent"},
            "discount_pct": "integer",
        },
    }
    lines = _tables(schema)["order_lines"]
    for column in ("discount", "discount_pct"):
        assert set(lines[column].astype(float)) <= {0, 5, 10, 15, 20}
        assert lines[column].max() == 20


def test_a_reading_named_in_percent_stays_within_0_and_100() -> None:
    schema = {"readings": {"id": "integer", "humidity_pct": "float", "battery_percent": "integer"}}
    readings = _tables(schema)["readings"]
    for column in ("humidity_pct", "battery_percent"):
        assert readings[column].between(0, 100).all() and readings[column].max() > 50
