"""Readings, counters and discounts look like what they measure, with no configuration.

A ``temperature_c`` is a weather reading, a ``pressure_hpa`` sits near 1013 hPa, a humidity is
between 5 and 100, a ``view_count`` starts at 0 with a long tail, ``retries`` are mostly 0 and a
discount is none on most lines, else a round 5 to 20% (TPC-H's, beside a tax: 0.00-0.10). The
offline provider orders a row's dates by the same rules the profile writes (one place holds
them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from syda import SyntheticDataGenerator
from syda.providers.base import FillRequest
from syda.providers.offline import OfflineProvider
from syda.schema.ir import Column, Table

READINGS: dict[str, Any] = {
    "readings": {
        "id": "integer",
        "temperature_c": "float",
        "temp_f": "float",
        "pressure_hpa": "decimal(6,1)",
        "humidity": "float",
        "humidity_share": {"type": "float", "min": 0, "max": 1},
        "body_temp": "float",
    },
    "posts": {
        "id": "integer",
        "view_count": {"type": "integer", "default": 0},
        "likes": {"type": "integer", "default": 0},
        "retries": {"type": "integer", "default": 0},
        "max_retries": "integer",
        "word_count": "integer",
    },
}


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    gen = SyntheticDataGenerator(seed=4)
    return gen.generate_related_data(READINGS, sample_sizes={"readings": 2000, "posts": 2000})


def _spec(schema: Any, table: str, column: str) -> dict[str, Any]:
    return SyntheticDataGenerator(seed=0).profile(schema).tables[table].columns[column].declared()


@pytest.mark.parametrize(
    ("column", "low", "high", "median"),
    [
        ("temperature_c", -40, 50, (12, 22)),
        ("temp_f", -40, 125, (52, 72)),
        ("pressure_hpa", 950, 1060, (1008, 1018)),
        ("humidity", 5, 100, (52, 72)),
        ("body_temp", 35, 41.5, (36.6, 37.2)),
    ],
)
def test_readings_have_their_range_and_centre(
    data: dict[str, pd.DataFrame], column: str, low: float, high: float, median: tuple[float, float]
) -> None:
    values = data["readings"][column].astype(float)
    assert values.between(low, high).all()
    assert median[0] <= values.median() <= median[1]
    assert values.std() > 0


def test_a_reading_kept_as_a_fraction_keeps_its_bounds(data: dict[str, pd.DataFrame]) -> None:
    assert "distribution" not in _spec(READINGS, "readings", "humidity_share")
    assert data["readings"]["humidity_share"].between(0, 1).all()


def test_counters_start_at_zero_with_a_long_tail(data: dict[str, pd.DataFrame]) -> None:
    posts = data["posts"]
    views, likes = posts["view_count"], posts["likes"]
    assert (views >= 0).all() and (likes >= 0).all()
    # Skewed right: the mean well above the median, a few posts far above the rest.
    assert views.mean() > 1.5 * views.median() and views.max() > 20 * views.median()
    assert 60 <= views.median() <= 240 and 3 <= likes.median() <= 16
    retries = posts["retries"]
    assert (retries == 0).mean() > 0.55 and retries.max() <= 6
    # A limit on retries is a setting (most often 3), and a word count no counter of events.
    assert posts["max_retries"].between(1, 10).all()
    assert _spec(READINGS, "posts", "word_count") == {"semantic": "integer"}


def test_the_profile_shows_the_shapes() -> None:
    spec = _spec(READINGS, "readings", "pressure_hpa")
    assert spec["distribution"] == {"kind": "normal", "mean": 1013.0, "sd": 9.0}
    assert (spec["min"], spec["max"]) == (950, 1060)
    assert _spec(READINGS, "posts", "retries")["distribution"] == {"kind": "poisson", "mean": 0.4}


def test_a_check_narrows_a_reading() -> None:
    schema = {"rooms": {"id": "integer", "temperature": {"type": "float", "min": 15, "max": 30}}}
    assert (
        _spec(schema, "rooms", "temperature")["min"],
        _spec(schema, "rooms", "temperature")["max"],
    ) == (15, 30)
    rooms = SyntheticDataGenerator(seed=1).generate_related_data(
        schema, sample_sizes={"rooms": 300}
    )
    assert rooms["rooms"]["temperature"].between(15, 30).all()


def test_discounts_are_mostly_none_else_round_steps() -> None:
    schema = {
        "order_lines": {
            "id": "integer",
            "discount": "real",
            "discount_percent": "float",
            "discount_pct": {"type": "decimal(5,2)", "min": 0, "max": 50},
        },
        "lineitem": {"id": "integer", "l_discount": "decimal(15,2)", "l_tax": "decimal(15,2)"},
    }
    gen = SyntheticDataGenerator(seed=6)
    data = gen.generate_related_data(schema, sample_sizes={"order_lines": 1000, "lineitem": 1000})
    lines = data["order_lines"]
    steps = {"discount": 0.01, "discount_percent": 1, "discount_pct": 1}
    for column, unit in steps.items():
        values = lines[column].astype(float)
        assert set((values / unit / 5).round(6)) <= {0, 1, 2, 3, 4}, column
        assert 0.5 <= (values == 0).mean() <= 0.7, column
    tpch = data["lineitem"]["l_discount"].astype(float)
    assert tpch.between(0, 0.10).all() and tpch.round(2).nunique() == 11


# -- the offline provider orders a row's dates by the profile's rules --------------------------
def _fill(table: Table, n: int = 400) -> pd.DataFrame:
    provider = OfflineProvider(seed=1, today=dt.date(2024, 6, 15))
    request = FillRequest(
        table=table, columns=table.column_names, n=n, rng=np.random.default_rng(2)
    )
    out = provider.fill(request)
    return pd.DataFrame({name: pd.Series(out[name]) for name in table.column_names})


def test_the_offline_provider_orders_dates_by_the_profiles_rules() -> None:
    table = Table(
        key="stays",
        name="stays",
        columns=(
            Column("checkin", "date", nullable=False),
            Column("checkout", "date", nullable=False),
            Column("shipped_date", "date", nullable=False),
            Column("receipt_date", "date", nullable=False),
            Column("start_page", "integer", nullable=False),
            Column("end_page", "integer", nullable=False),
        ),
    )
    rows = _fill(table)
    for early, late in (("checkin", "checkout"), ("shipped_date", "receipt_date")):
        assert (pd.to_datetime(rows[late]) >= pd.to_datetime(rows[early])).all(), late
    assert (rows["end_page"] >= rows["start_page"]).all()
