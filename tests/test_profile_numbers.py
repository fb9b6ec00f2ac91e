"""The ``numbers`` family through the public API: distributions, truncation, scale, correlation.

Every statistical assertion runs on 10,000+ rows with a tolerance of four standard errors of the
measured statistic (derived from the sample size, never a fixed guess), and compares against the
value the spec implies, computed here from the spec with :class:`statistics.NormalDist`.
"""

from __future__ import annotations

import math
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
import pytest

from syda import SyntheticDataGenerator
from syda.errors import SchemaError

ROOT = Path(__file__).resolve().parents[1]
N = 12_000
PHI = NormalDist()


def _lognormal(median: float, sigma: float) -> dict[str, Any]:
    return {"kind": "lognormal", "median": median, "sigma": sigma}


def _median_tolerance(sigma: float, n: int) -> float:
    """Four standard errors of a log-normal sample median, relative (1.2533 sigma / sqrt(n))."""
    return 4 * 1.2533 * sigma / math.sqrt(n)


def _share_tolerance(p: float, n: int) -> float:
    return 4 * math.sqrt(p * (1 - p) / n)


def _truncated_median(median: float, sigma: float, lo: float, hi: float) -> float:
    f_lo = PHI.cdf(math.log(lo / median) / sigma) if lo > 0 else 0.0
    f_hi = PHI.cdf(math.log(hi / median) / sigma)
    return median * math.exp(sigma * PHI.inv_cdf((f_lo + f_hi) / 2))


SCHEMA: dict[str, Any] = {
    "accounts": {
        "id": {"type": "integer", "primary_key": True},
        "segment": {"type": "string", "values": {"Enterprise": 0.3, "SMB": 0.7}},
    },
    "deals": {
        "columns": {
            "id": {"type": "integer", "primary_key": True},
            "account_id": {"type": "integer", "references": "accounts.id"},
            "deal_type": {"type": "string", "values": {"New Business": 0.5, "Renewal": 0.5}},
            "amount": {
                "type": "decimal(12,2)",
                "min": 10000,
                "max": 200000,
                "by": {
                    "column": "deal_type",
                    "cases": {
                        "New Business": {"distribution": _lognormal(45000, 0.4)},
                        "Renewal": {"distribution": _lognormal(38000, 0.4)},
                    },
                },
            },
            "scaled": {
                "type": "decimal(12,2)",
                "distribution": _lognormal(20000, 0.4),
                "scale_by": {"account.segment": {"Enterprise": 3.0, "SMB": 0.6}},
            },
            "age": {"type": "integer", "distribution": {"kind": "normal", "mean": 40, "sd": 10}},
            "salary": {
                "type": "decimal(10,2)",
                "distribution": _lognormal(70000, 0.35),
                "correlate": {"column": "age", "r": 0.6},
            },
            "price": {"type": "decimal(10,2)", "distribution": _lognormal(100, 0.5)},
            "cost": {"type": "decimal(10,2)", "distribution": _lognormal(80, 0.5)},
            "list_price": {
                "type": "decimal(10,2)",
                "distribution": _lognormal(50, 0.5),
                "outliers": 0.02,
                "max": 1000,
            },
            "score": {"type": "float", "distribution": "uniform", "min": 0, "max": 10, "round": 1},
            "visits": {"type": "integer", "distribution": {"kind": "poisson", "mean": 3}},
        },
        "checks": ["cost <= price"],
    },
}


@pytest.fixture(scope="module")
def deals() -> pd.DataFrame:
    out = SyntheticDataGenerator(seed=7).generate_related_data(
        SCHEMA, sample_sizes={"accounts": 400, "deals": N}
    )
    accounts = out["accounts"].rename(columns={"id": "account_id"})
    return out["deals"].merge(accounts, on="account_id", how="left")


def test_by_cases_draw_each_case_from_its_own_median(deals: pd.DataFrame) -> None:
    assert deals["amount"].between(10000, 200000).all()
    for case, median in (("New Business", 45000), ("Renewal", 38000)):
        rows = deals.loc[deals["deal_type"] == case, "amount"]
        expected = _truncated_median(median, 0.4, 10000, 200000)
        assert abs(rows.median() / expected - 1) < _median_tolerance(0.4, len(rows)), case


def test_scale_by_multiplies_by_the_parents_segment(deals: pd.DataFrame) -> None:
    means = deals.groupby("segment")["scaled"].agg(["mean", "size"])
    ratio = means.loc["Enterprise", "mean"] / means.loc["SMB", "mean"]
    cv = math.sqrt(math.exp(0.4**2) - 1)  # coefficient of variation of a lognormal
    tolerance = 4 * cv * math.sqrt(1 / means.loc["Enterprise", "size"] + 1 / means["size"]["SMB"])
    assert abs(ratio / (3.0 / 0.6) - 1) < tolerance
    smb = deals.loc[deals["segment"] == "SMB", "scaled"]
    assert abs(smb.median() / (20000 * 0.6) - 1) < _median_tolerance(0.4, len(smb))


def test_correlate_reaches_r_and_keeps_the_marginal(deals: pd.DataFrame) -> None:
    pair = deals[["age", "salary"]].astype(float)
    assert abs(pair.corr(method="spearman").iloc[0, 1] - 0.6) < 0.05
    assert abs(pair.corr().iloc[0, 1] - 0.6) < 0.05
    assert abs(deals["salary"].median() / 70000 - 1) < _median_tolerance(0.35, N)
    assert abs(deals["age"].mean() - 40) < 4 * 10 / math.sqrt(N)


def test_a_check_comparison_caps_each_row(deals: pd.DataFrame) -> None:
    assert (deals["cost"] <= deals["price"]).all()
    assert (deals["cost"] > 0).all()
    assert abs(deals["price"].median() / 100 - 1) < _median_tolerance(0.5, N)


def test_outliers_sit_far_in_the_upper_tail_inside_max(deals: pd.DataFrame) -> None:
    values = deals["list_price"]
    assert values.max() <= 1000 and values.min() > 0
    far = 50 * math.exp(0.5 * 3.5)  # the base distribution's 3.5-sigma point
    expected = 0.02 + 0.98 * (1 - PHI.cdf(3.5))
    assert abs((values > far).mean() - expected) < _share_tolerance(expected, N)


def test_rounding_and_integer_columns(deals: pd.DataFrame) -> None:
    score = deals["score"]
    assert np.allclose(score * 10, np.round(score * 10))
    assert score.between(0, 10).all()
    # Whole end cells: 0.0 and 10.0 each get half a cell of the uniform, never a pile.
    assert (score == 10).mean() < 0.005 + _share_tolerance(0.005, N)
    assert str(deals["visits"].dtype) == "Int64" and deals["visits"].min() >= 0
    assert abs(deals["visits"].mean() - 3) < 4 * math.sqrt(3 / N)
    assert np.allclose(deals["price"] * 100, np.round(deals["price"] * 100))


def test_min_max_cut_the_tails_without_changing_the_shape() -> None:
    schema = {"amount": {"type": "float", "distribution": "lognormal"}}
    profile = {"amount": {"distribution": _lognormal(40000, 0.5), "min": 30000, "max": 60000}}
    df = SyntheticDataGenerator(seed=3).generate_data(schema, sample_size=N, profile=profile)
    assert isinstance(df, pd.DataFrame)
    values = df["amount"]
    assert values.between(30000, 60000).all()
    f = [PHI.cdf(math.log(x / 40000) / 0.5) for x in (30000, 40000, 60000)]
    below = (f[1] - f[0]) / (f[2] - f[0])  # the truncated lognormal's share below 40,000
    assert abs((values < 40000).mean() - below) < _share_tolerance(below, N)
    assert abs(values.median() / _truncated_median(40000, 0.5, 30000, 60000) - 1) < 0.02
    assert (values == 30000).sum() + (values == 60000).sum() == 0


def test_min_max_alone_keep_the_shape_of_the_columns_meaning() -> None:
    schema = {
        "deal_amount": {"type": "decimal(12,2)", "semantic": "amount"},
        "quantity": "integer",
        "discount": {"type": "float", "semantic": "percentage"},
    }
    profile = {
        "deal_amount": {"min": 0, "max": 1_000_000},
        "quantity": {"max": 10},
        "discount": {"max": 40},
    }
    df = SyntheticDataGenerator(seed=5).generate_data(schema, sample_size=N, profile=profile)
    assert isinstance(df, pd.DataFrame)
    # A log-normal amount (median 250), not a uniform one around 500,000.
    assert abs(df["deal_amount"].median() / 250 - 1) < _median_tolerance(1.2, N)
    assert df["quantity"].between(1, 10).all() and (df["quantity"] <= 3).mean() > 0.6
    # A triangular percentage between 0 and 40 leaning low (mode 6): median 40 - sqrt(40*34/2).
    expected = 40 - math.sqrt(40 * 34 / 2)
    density = 2 * (40 - expected) / (40 * 34)
    assert abs(df["discount"].median() - expected) < 4 / (2 * density * math.sqrt(N))
    assert df["discount"].between(0, 40).all()


def test_same_seed_same_numbers() -> None:
    schema = {"x": {"type": "float", "distribution": "lognormal", "outliers": 0.1}}
    first = SyntheticDataGenerator(seed=11).generate_data(schema, sample_size=500)
    again = SyntheticDataGenerator(seed=11).generate_data(schema, sample_size=500)
    assert isinstance(first, pd.DataFrame) and isinstance(again, pd.DataFrame)
    pd.testing.assert_frame_equal(first, again)
    profile = SyntheticDataGenerator(seed=1).profile(schema)
    spec = profile.tables[next(iter(profile.tables))].columns["x"]
    assert spec.distribution is not None and spec.distribution.kind == "lognormal"


def test_specs_that_cannot_hold_are_one_schema_error() -> None:
    schema = {
        "accounts": {"id": {"type": "integer", "primary_key": True}, "name": "string"},
        "deals": {
            "id": {"type": "integer", "primary_key": True},
            "account_id": {"type": "integer", "references": "accounts.id"},
            "a": {"type": "float", "min": 0},
            "b": "float",
            "c": "float",
            "d": "float",
            "e": "float",
            "f": "float",
        },
    }
    profile = {
        "deals": {
            "a": {"distribution": "lognormal", "min": -5},
            "b": {"min": 10, "max": 1},
            "c": {"distribution": "uniform"},
            "d": {"distribution": {"kind": "triangular", "mode": 20}, "min": 0, "max": 10},
            "e": {"scale_by": {"account.tier": {"Gold": 2}, "b": {"1": 0}}},
            "f": {
                "correlate": {"column": "account.name", "r": 0.5},
                "max": -1,
                "min": -3,
                "distribution": "lognormal",
            },
        }
    }
    with pytest.raises(SchemaError) as caught:
        SyntheticDataGenerator(seed=1).generate_related_data(schema, profile=profile)
    text = "\n".join(caught.value.problems)
    for expected in (
        "deals.a: min -5 is below the column's own minimum 0",
        "deals.b: min 10 is above max 1",
        "deals.c: uniform needs low and high",
        "deals.d: triangular: mode 20 is outside [0, 10]",
        "deals.e: scale_by b: the factor of '1' must be above 0",
        "parent accounts has no column 'tier'",
        "deals.f: correlate: account.name is a string column",
        "deals.f: the lognormal distribution has no values between -3 and -1",
    ):
        assert expected in text, (expected, text)
