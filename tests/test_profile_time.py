"""The time family and series tables, through the public API, on 10,000+ rows.

Tolerances come from the sample size: a share p over n rows is within 4 standard errors,
4 * sqrt(p (1 - p) / n).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from syda import SyntheticDataGenerator
from syda.errors import SchemaError

ROOT = Path(__file__).resolve().parents[1]
N = 20_000
MONTHS = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4]
WEEKDAYS = [1, 1, 1, 1, 1, 3, 3]
HOURS = [0] * 8 + [1] * 10 + [0] * 6


def _tol(p: float, n: int) -> float:
    return 4 * float(np.sqrt(p * (1 - p) / n))


def _events(columns: dict[str, Any], n: int = N, seed: int = 5) -> pd.DataFrame:
    schema = {"events": {"columns": {"id": {"type": "integer", "primary_key": True}, **columns}}}
    gen = SyntheticDataGenerator(seed=seed)
    return gen.generate_related_data(schema, sample_sizes={"events": n})["events"]


def _shares(values: pd.Series[Any], size: int) -> np.ndarray[Any, Any]:
    counts = values.value_counts().reindex(range(size), fill_value=0).to_numpy()
    return counts / counts.sum()


def test_seasonality_shares_follow_the_weights() -> None:
    season = {"month": MONTHS, "weekday": WEEKDAYS, "hour": HOURS}
    df = _events(
        {
            "at": {
                "type": "datetime",
                "min": "2022-01-01",
                "max": "2023-12-31",
                "seasonality": season,
            }
        }
    )
    at = df["at"]
    for got, weights in (
        (_shares(at.dt.month - 1, 12), MONTHS),
        (_shares(at.dt.day_of_week, 7), WEEKDAYS),
        (_shares(at.dt.hour, 24), HOURS),
    ):
        want = np.asarray(weights, dtype=float) / sum(weights)
        # Month shares move a little with the weekday mix of each month: one point of slack.
        slack = np.array([_tol(p, N) for p in want]) + 0.01
        assert np.all(np.abs(got - want) <= slack), (got.round(3), want.round(3))
    assert at.min() >= pd.Timestamp("2022-01-01") and at.max() <= pd.Timestamp(
        "2023-12-31 23:59:59"
    )


def test_without_seasonality_every_day_is_alike() -> None:
    # min/max in a profile are spec keys: the time family draws the column.
    schema = {"e": {"columns": {"id": {"type": "integer", "primary_key": True},
                                "at": {"type": "date"}}}}  # fmt: skip
    spec = {"at": {"min": "2023-01-01", "max": "2023-12-31"}}
    df = SyntheticDataGenerator(seed=3).generate_data(schema, sample_size=N, profile=spec)
    days = pd.to_datetime(df["at"])
    got = _shares(days.dt.month - 1, 12)
    want = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) / 365
    assert np.all(np.abs(got - want) <= [_tol(p, N) for p in want])


def test_trend_gives_each_year_more_events() -> None:
    df = _events(
        {"at": {"type": "datetime", "min": "2022-01-01", "max": "2023-12-31", "trend": 0.2}}
    )
    years = df["at"].dt.year.value_counts()
    p = 1.2 / 2.2  # the second year's share
    assert abs(years[2023] / N - p) <= _tol(p, N)


def test_default_range_is_the_last_two_years() -> None:
    gen = SyntheticDataGenerator(seed=1)
    schema = {"e": {"columns": {"id": {"type": "integer", "primary_key": True},
                                "at": {"type": "date", "trend": 0.1}}}}  # fmt: skip
    at = pd.to_datetime(gen.generate_related_data(schema, sample_sizes={"e": 10_000})["e"]["at"])
    today = pd.Timestamp(gen.reference_date)
    assert at.max() <= today and at.min() >= today - pd.DateOffset(years=2) - pd.Timedelta(days=1)
    assert at.min() <= today - pd.DateOffset(years=2) + pd.Timedelta(days=30)


def test_after_gap_keeps_order_and_median() -> None:
    gap = {"distribution": {"kind": "lognormal", "median": 3, "sigma": 0.5}, "unit": "days"}
    df = _events(
        {
            "created_at": {"type": "datetime", "min": "2023-01-01", "max": "2023-12-31"},
            "shipped_at": {"type": "datetime", "after": "created_at", "gap": gap},
            "due": {"type": "date", "nullable": True, "after": "created_at", "max": "2024-01-10"},
        }
    )
    days = (df["shipped_at"] - df["created_at"]).dt.total_seconds() / 86400
    assert (days >= 0).all()
    # The median of n lognormal draws: within 4 standard errors (sd of the median ~ 1.25 s/sqrt n).
    assert abs(np.log(days.median() / 3)) <= 4 * 1.2533 * 0.5 / np.sqrt(N)
    due = pd.to_datetime(df["due"])
    assert (due >= df["created_at"].dt.normalize()).all()
    assert due.max() <= pd.Timestamp("2024-01-10")


def test_after_a_parent_column() -> None:
    schema = {
        "customer": {"columns": {
            "id": {"type": "integer", "primary_key": True},
            "created_at": {"type": "datetime", "min": "2022-01-01", "max": "2023-06-30",
                           "seasonality": {"hour": HOURS}},
        }},
        "orders": {"columns": {
            "id": {"type": "integer", "primary_key": True},
            "customer_id": {"type": "integer", "references": "customer.id"},
            "ordered_at": {"type": "datetime", "after": "customer.created_at",
                           "gap": {"distribution": {"kind": "exponential", "mean": 30}}},
        }},
    }  # fmt: skip
    out = SyntheticDataGenerator(seed=2).generate_related_data(
        schema, sample_sizes={"customer": 2_000, "orders": 10_000}
    )
    joined = out["orders"].merge(out["customer"], left_on="customer_id", right_on="id")
    gap = (joined["ordered_at"] - joined["created_at"]).dt.total_seconds() / 86400
    assert len(joined) == 10_000 and (gap >= 0).all()
    assert abs(gap.mean() - 30) <= 4 * 30 / np.sqrt(10_000)


def test_date_max_on_a_timestamp_means_through_that_day() -> None:
    df = _events(
        {
            "at": {
                "type": "datetime",
                "min": "2024-12-01",
                "max": "2024-12-31",
                "seasonality": {"hour": [1] * 24},
            }
        },
        n=10_000,
    )
    last_day = df["at"].dt.normalize() == pd.Timestamp("2024-12-31")
    assert df["at"].max() < pd.Timestamp("2025-01-01")
    assert abs(last_day.mean() - 1 / 31) <= _tol(1 / 31, 10_000)


def test_unique_hourly_timestamps_are_distinct_by_construction() -> None:
    df = _events(
        {"at": {"type": "datetime", "unique": True, "seasonality": {"hour": HOURS}}}, 8_760
    )
    assert df["at"].is_unique and len(df) == 8_760


def test_bad_specs_are_refused() -> None:
    schema = {"e": {"columns": {
        "id": {"type": "integer", "primary_key": True},
        "name": {"type": "string"},
        "a": {"type": "date", "trend": 0.1},
        "b": {"type": "date", "after": "name"},
        "c": {"type": "date", "after": "nope"},
        "d": {"type": "date", "seasonality": {"hour": HOURS}},
    }}}  # fmt: skip
    with pytest.raises(SchemaError) as error:
        SyntheticDataGenerator(seed=1).generate_related_data(
            schema,
            sample_sizes={"e": 10},
            profile={
                "tables": {"e": {"columns": {"a": {"min": "2024-01-01", "max": "2023-01-01"}}}}
            },
        )
    text = str(error.value)
    for part in ("e.a: min/max", "e.b: after", "no column 'nope'", "e.d: seasonality"):
        assert part in text


# -- series tables ------------------------------------------------------------------------------
def _series(columns: dict[str, Any], every: str = "1h", asked: int = 10) -> pd.DataFrame:
    schema = {"metrics": {
        "series": {"ts": {"start": "2023-01-01", "end": "2023-12-31", "every": every}},
        "columns": {"ts": {"type": "datetime", "primary_key": True}, **columns},
    }}  # fmt: skip
    gen = SyntheticDataGenerator(seed=4)
    return gen.generate_related_data(schema, sample_sizes={"metrics": asked})["metrics"]


def test_hourly_series_for_a_year() -> None:
    df = _series({
        "daily": {"type": "float", "level": 100, "daily": {"amplitude": 0.3, "peak": 14}},
        "weekly": {"type": "float", "level": 100, "weekly": {"amplitude": 0.2, "peak": 5}},
        "yearly": {"type": "integer", "level": 100, "yearly": {"amplitude": 0.4, "peak": 7}},
        "trend": {"type": "float", "level": 100, "trend": 0.2},
    })  # fmt: skip
    assert len(df) == 8_760
    assert (df["ts"].diff().dropna() == pd.Timedelta(hours=1)).all()
    assert df["ts"].iloc[0] == pd.Timestamp("2023-01-01")
    assert df["daily"].groupby(df["ts"].dt.hour).mean().idxmax() == 14
    assert df["weekly"].groupby(df["ts"].dt.day_of_week).mean().idxmax() == 5
    monthly = df["yearly"].groupby(df["ts"].dt.month).mean()
    assert monthly.idxmax() == 7 and monthly.idxmin() == 1
    assert df["yearly"].dtype == "Int64"
    last, first = df["trend"].iloc[-1], df["trend"].iloc[0]
    assert abs(last / first - 1.2 ** (8_759 / 8_766)) < 1e-6


def test_series_noise_autocorrelation() -> None:
    df = _series({"v": {"type": "float", "level": 50, "noise": 0.1, "ar1": 0.7, "min": 0}})
    v = df["v"].to_numpy()
    r = np.corrcoef(v[1:], v[:-1])[0, 1]
    assert abs(r - 0.7) <= 4 * np.sqrt((1 - 0.7**2) / len(v))
    assert abs(v.std() / 50 - 0.1) <= 0.01 and v.min() >= 0


def test_daily_series_by_date() -> None:
    axis = {"start": "2020-01-01", "end": "2020-12-31", "every": "1d"}
    schema = {"days": {"series": {"day": axis},
                       "columns": {"day": {"type": "date", "primary_key": True},
                                   "n": {"type": "integer", "level": 10, "max": 10}}}}  # fmt: skip
    df = SyntheticDataGenerator(seed=1).generate_data(schema, sample_size=5)
    assert len(df) == 366 and (df["n"] == 10).all()


def test_a_follower_of_a_past_event_stays_in_the_past_unless_it_is_a_due_date() -> None:
    gap = {"distribution": {"kind": "exponential", "mean": 400}, "unit": "days"}
    schema = {
        "accounts": {"columns": {"id": "integer", "created_at": {"type": "datetime", "trend": 0}}},
        "orders": {
            "columns": {
                "id": "integer",
                "account_id": {"references": "accounts.id"},
                "ordered_at": {"type": "datetime", "after": "account.created_at", "gap": gap},
                "due_on": {"type": "date", "after": "ordered_at", "gap": gap},
            }
        },
    }
    gen = SyntheticDataGenerator(seed=2, reference_date=date(2026, 1, 1))
    out = gen.generate_related_data(schema, sample_sizes={"accounts": 200, "orders": 10_000})
    orders = out["orders"].merge(out["accounts"], left_on="account_id", right_on="id")
    assert (orders["ordered_at"] >= orders["created_at"]).all()
    assert orders["ordered_at"].max() < pd.Timestamp("2026-01-02")
    # A due date may lie ahead: long gaps are not cut at the reference date.
    assert (pd.to_datetime(orders["due_on"]) > pd.Timestamp("2026-01-02")).mean() > 0.2
