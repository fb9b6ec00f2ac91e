"""Table patterns of the profile: stages (a funnel), exactly_one, template, aggregate.

Through the public API, as a user writes them: table-level keys beside ``columns`` in the long
dict form, column keys in the dict schema, or a separate ``profile=``.
"""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from syda import SchemaError, SyntheticDataGenerator

ROOT = Path(__file__).resolve().parents[1]
N = 10_000

STAGES = ["Lead", "Qualified", "Proposal", "Won"]
REACH = [1.0, 0.6, 0.35, 0.2]
DATES = ["created_on", "qualified_on", "proposal_on", "won_at"]


def _deals(**stages: Any) -> dict[str, Any]:
    return {
        "deals": {
            "columns": {
                "id": "integer",
                "stage": "varchar(12)",
                "created_on": {"type": "date", "min": "2024-01-01", "max": "2024-06-30"},
                "qualified_on": {"type": "date", "nullable": True},
                "proposal_on": {"type": "date", "nullable": True},
                "won_at": {"type": "timestamp", "nullable": True},
                "amount": {"type": "decimal(10,2)", "min": 100, "max": 9000},
            },
            "stages": {"column": "stage", "order": STAGES, "reach": REACH, "dates": DATES} | stages,
        }
    }


def _generate(schema: dict[str, Any], sizes: dict[str, int], seed: int = 5, **kw: Any) -> Any:
    return SyntheticDataGenerator(seed=seed).generate_related_data(schema, sample_sizes=sizes, **kw)


def _tolerance(p: float, n: int) -> float:
    return 4 * math.sqrt(p * (1 - p) / n) + 1e-9


@pytest.fixture(scope="module")
def deals() -> pd.DataFrame:
    frame: pd.DataFrame = _generate(_deals(outcome={"Lost": 0.5}), {"deals": N})["deals"]
    return frame


def test_each_stage_is_reached_as_often_as_declared(deals: pd.DataFrame) -> None:
    for column, share in zip(DATES, REACH, strict=True):
        measured = deals[column].notna().mean()
        assert abs(measured - share) <= min(0.02, _tolerance(share, N)) + 1e-9, column


def test_reached_dates_are_in_order_and_unreached_ones_null(deals: pd.DataFrame) -> None:
    stamps = [pd.to_datetime(deals[c]) for c in DATES]
    assert stamps[0].notna().all()
    for earlier, later in pairwise(stamps):
        assert (later.isna() | (later > earlier)).all()
        # A row that misses a stage misses every later one.
        assert not (earlier.isna() & later.notna()).any()


def test_the_stage_column_holds_the_furthest_stage_or_the_outcome(deals: pd.DataFrame) -> None:
    reached = sum(deals[c].notna().astype(int) for c in DATES) - 1
    furthest = pd.Series(np.array(STAGES, dtype=object)[reached.to_numpy()])
    stopped = reached < len(STAGES) - 1
    lost = deals["stage"] == "Lost"
    assert (deals["stage"][~lost] == furthest[~lost]).all()
    assert not (lost & ~stopped).any()  # a won deal is never lost
    share = lost[stopped].mean()
    assert abs(share - 0.5) <= _tolerance(0.5, int(stopped.sum()))


def test_the_gap_decides_how_long_after_the_previous_stage() -> None:
    gap = {"distribution": {"kind": "uniform", "low": 2, "high": 3}, "unit": "days"}
    deals = _generate(_deals(gap=gap), {"deals": 2_000})["deals"]
    first, second = pd.to_datetime(deals["created_on"]), pd.to_datetime(deals["qualified_on"])
    days = (second - first).dt.days.dropna()
    assert set(days.unique()) <= {2, 3}
    assert len(days) > 1_000


def test_stages_from_a_separate_profile_give_the_same_data_for_the_same_seed() -> None:
    schema = _deals()
    funnel = schema["deals"].pop("stages")
    profile = {"deals": {"stages": funnel}}
    one = _generate(schema, {"deals": 500}, profile=profile)["deals"]
    two = _generate(schema, {"deals": 500}, profile=profile)["deals"]
    pd.testing.assert_frame_equal(one, two)
    assert one["qualified_on"].isna().any() and one["qualified_on"].notna().any()


def test_a_funnel_under_a_check_is_repaired_not_broken() -> None:
    schema = _deals()
    schema["deals"]["checks"] = ["won_at IS NULL OR amount > 1000"]
    deals = _generate(schema, {"deals": 2_000})["deals"]
    won = deals["won_at"].notna()
    assert won.any() and (deals["amount"][won] > 1000).all()
    stamps = [pd.to_datetime(deals[c]) for c in DATES]
    for earlier, later in pairwise(stamps):
        assert (later.isna() | (later > earlier)).all()


# -- exactly_one ---------------------------------------------------------------------------------
def _contacts(per: str | list[str]) -> dict[str, Any]:
    return {
        "customers": {"columns": {"id": "integer", "name": "company"}},
        "contacts": {
            "columns": {
                "id": "integer",
                "customer_id": {"references": "customers.id"},
                "role": {"type": "varchar(10)", "values": ["billing", "technical"]},
                "is_primary": "boolean",
            },
            "exactly_one": {"column": "is_primary", "per": per},
        },
    }


@pytest.mark.parametrize("per", ["customer_id", ["customer_id", "role"]])
def test_exactly_one_row_is_flagged_per_parent(per: str | list[str]) -> None:
    data = _generate(_contacts(per), {"customers": 300, "contacts": 1_000})
    contacts = data["contacts"]
    groups = [per] if isinstance(per, str) else per
    flagged = contacts.groupby(groups)["is_primary"].agg(["sum", "size"])
    assert (flagged["sum"] == 1).all()
    assert (flagged["size"] > 1).any()  # groups of several rows exist, and keep one flag
    assert contacts["is_primary"].sum() == len(flagged)


# -- template ------------------------------------------------------------------------------------
CODES = {
    "majors": {
        "columns": {
            "id": "integer",
            "code": {"type": "varchar(4)", "unique": True, "values": ["CS", "MATH", "BIO"]},
        }
    },
    "courses": {
        "columns": {
            "id": "integer",
            "major_id": {"references": "majors.id"},
            "year_level": {"type": "integer", "min": 1, "max": 4},
            "code": {
                "type": "varchar(9)",
                "unique": True,
                "template": "{major.code}-{year_level}{seq:03d}",
            },
        }
    },
}


def test_template_codes_are_exact_and_unique() -> None:
    data = _generate(CODES, {"majors": 3, "courses": 3_000})
    courses = data["courses"].merge(
        data["majors"].rename(columns={"id": "major_id", "code": "major"}), on="major_id"
    )
    group = courses["major"] + "-" + courses["year_level"].astype(str)
    seq = courses.sort_values("id").groupby(group).cumcount() + 1
    expected = group + seq.map("{:03d}".format)
    assert (courses["code"] == expected).all()
    assert courses["code"].is_unique
    assert seq.max() > 100  # the sequence runs across the whole table, not one batch


def test_a_template_longer_than_its_column_is_refused() -> None:
    schema = {"courses": dict(CODES["courses"]), "majors": CODES["majors"]}
    schema["courses"] = {"columns": dict(CODES["courses"]["columns"])}
    schema["courses"]["columns"]["code"] = {
        "type": "varchar(6)",
        "template": "{major.code}-{year_level}{seq:03d}",
    }
    with pytest.raises(SchemaError, match=r"up to 9 characters, longer than the column's 6"):
        _generate(schema, {"majors": 3, "courses": 10})


# -- aggregate -----------------------------------------------------------------------------------
ORDERS = {
    "orders": {
        "columns": {
            "id": "integer",
            "total": {
                "type": "decimal(12,2)",
                "aggregate": "sum(order_items.quantity * order_items.unit_price)",
            },
            "lines": {"type": "integer", "aggregate": "count(order_items.id)"},
            "top_price": {
                "type": "decimal(8,2)",
                "nullable": True,
                "aggregate": "max(order_items.unit_price)",
            },
        }
    },
    "order_items": {
        "columns": {
            "id": "integer",
            "order_id": {"references": "orders.id"},
            "quantity": {"type": "integer", "min": 1, "max": 9},
            "unit_price": {"type": "decimal(8,2)", "min": 1, "max": 500},
        }
    },
}


def test_aggregates_equal_what_pandas_computes_from_the_children() -> None:
    data = _generate(ORDERS, {"orders": 3_000, "order_items": 10_000})
    items, orders = data["order_items"], data["orders"].set_index("id")
    by_order = items.assign(line=items["quantity"] * items["unit_price"]).groupby("order_id")
    total = by_order["line"].sum().reindex(orders.index, fill_value=0)
    assert np.allclose(orders["total"].astype(float), total.round(2), atol=0.005)
    lines = by_order.size().reindex(orders.index, fill_value=0)
    assert (orders["lines"] == lines).all()
    childless = lines == 0
    assert childless.any()  # 3,000 orders, 10,000 lines: some orders have none
    assert (orders["total"][childless] == 0).all()
    assert orders["top_price"][childless].isna().all()  # nullable max: NULL, not 0
    top = by_order["unit_price"].max()
    assert np.allclose(
        orders["top_price"][~childless].astype(float), top.reindex(orders.index[~childless])
    )


def test_an_aggregate_may_read_its_childrens_aggregates() -> None:
    schema = {
        "customers": {
            "columns": {
                "id": "integer",
                "spent": {"type": "decimal(14,2)", "aggregate": "sum(orders.total)"},
                "orders": {"type": "integer", "aggregate": "count(orders.id)"},
            }
        },
        "orders": {
            "columns": {
                **ORDERS["orders"]["columns"],
                "customer_id": {"references": "customers.id"},
            }
        },
        "order_items": ORDERS["order_items"],
    }
    data = _generate(schema, {"customers": 200, "orders": 1_000, "order_items": 3_000})
    orders, customers = data["orders"], data["customers"].set_index("id")
    spent = orders.groupby("customer_id")["total"].sum().reindex(customers.index, fill_value=0)
    assert np.allclose(customers["spent"].astype(float), spent, atol=0.005)
    assert customers["spent"].sum() > 0
    count = orders.groupby("customer_id").size().reindex(customers.index, fill_value=0)
    assert (customers["orders"] == count).all()


# -- checks --------------------------------------------------------------------------------------
def _problems(schema: dict[str, Any], sizes: dict[str, int]) -> str:
    with pytest.raises(SchemaError) as error:
        _generate(schema, sizes)
    return str(error.value)


def test_bad_patterns_are_each_named() -> None:
    schema: dict[str, Any] = {
        "customers": {
            "columns": {
                "id": "integer",
                "total": {"type": "decimal(10,2)", "aggregate": "sum(contacts.score)"},
                "spent": {"type": "decimal(10,2)", "aggregate": "sum(invoices.amount)"},
                "code": {"type": "varchar(20)", "template": "{region}{seq:02d}"},
            }
        },
        "contacts": {
            "columns": {
                "id": "integer",
                "customer_id": {"references": "customers.id"},
                "flag": "integer",
                "stage": "varchar(10)",
                "seen_on": "date",
            },
            "exactly_one": {"column": "flag", "per": "account_id"},
            "stages": {
                "column": "stage",
                "order": ["A", "B"],
                "reach": [1, 0.5],
                "dates": ["seen_on", "left_on"],
            },
        },
        "invoices": {"columns": {"id": "integer", "amount": "float"}},
    }
    text = _problems(schema, {"customers": 5, "contacts": 5, "invoices": 5})
    assert "contacts has no column 'score'" in text
    assert "invoices has no foreign key to customers" in text
    assert "customers has no column 'region'" in text
    assert "flag is an integer column; the flag needs a boolean" in text
    assert "per: contacts has no column 'account_id'" in text
    assert "contacts has no column 'left_on'" in text


def test_a_reach_per_stage_is_required() -> None:
    text = _problems(_deals(reach=[1, 0.5]), {"deals": 5})
    assert "reach has 2 shares for 4 stages" in text


def test_unreached_stage_dates_need_a_nullable_column() -> None:
    schema = _deals()
    schema["deals"]["columns"]["proposal_on"] = "date"
    text = _problems(schema, {"deals": 5})
    assert "proposal_on is NULL where stage 'Proposal' is not reached" in text
