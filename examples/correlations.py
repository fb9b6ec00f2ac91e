"""Correlations: numbers that move together, and amounts that depend on who and what.

Offline, no key: salaries rise with age (``correlate``) and with seniority (``scale_by``);
deal amounts depend on the deal type (``by``), on the account's segment (``scale_by`` through
the foreign key) and are larger in Q4. Prints each measured property. Patterns 3 (multi-factor
correlations) and 6 (correlated attributes) of the realistic-data principles.

    python examples/correlations.py
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from _measure import Measured, report

from syda import SyntheticDataGenerator


def lognormal(median: float, sigma: float) -> dict[str, Any]:
    return {"kind": "lognormal", "median": median, "sigma": sigma}


SCHEMA: dict[str, Any] = {
    "employees": {
        "id": {"type": "integer", "primary_key": True},
        "age": {"type": "integer", "distribution": {"kind": "normal", "mean": 41, "sd": 10}},
        "title": {"type": "string", "values": {"Junior": 0.5, "Senior": 0.35, "Director": 0.15}},
        "salary": {
            "type": "decimal(10,2)",
            "distribution": lognormal(60000, 0.25),
            "correlate": {"column": "age", "r": 0.6},
            "scale_by": {"title": {"Junior": 0.8, "Senior": 1.2, "Director": 2.0}},
            "round": 0,
        },
    },
    "accounts": {
        "id": {"type": "integer", "primary_key": True},
        "segment": {"type": "string", "values": {"Enterprise": 0.2, "Mid-Market": 0.3, "SMB": 0.5}},
    },
    "deals": {
        "id": {"type": "integer", "primary_key": True},
        "account_id": {"type": "integer", "references": "accounts.id"},
        "deal_type": {"type": "string", "values": {"New Business": 0.6, "Renewal": 0.4}},
        "quarter": {"type": "string", "values": ["Q1", "Q2", "Q3", "Q4"]},
        "amount": {
            "type": "decimal(12,2)",
            "min": 1000,
            "max": 2000000,
            "by": {
                "column": "deal_type",
                "cases": {
                    "New Business": {"distribution": lognormal(45000, 0.5)},
                    "Renewal": {"distribution": lognormal(38000, 0.4)},
                },
            },
            "scale_by": {
                "account.segment": {"Enterprise": 3.0, "SMB": 0.6},
                "quarter": {"Q4": 1.4},
            },
        },
    },
}


def main() -> list[Measured]:
    data = SyntheticDataGenerator(seed=42).generate_related_data(
        SCHEMA, sample_sizes={"employees": 10000, "accounts": 500, "deals": 10000}
    )
    people = data["employees"].astype({"age": float, "salary": float})
    by_title = people.groupby("title")
    within = min(float(g["age"].corr(g["salary"])) for _, g in by_title)
    medians = by_title["salary"].median()
    deals = data["deals"].merge(
        data["accounts"].rename(columns={"id": "account_id"}), on="account_id"
    )
    mean = deals.groupby("segment")["amount"].mean()
    mid = deals[deals["segment"] == "Mid-Market"].groupby("deal_type")["amount"].median()
    by_quarter = deals.groupby("quarter")["amount"].mean()
    q4 = by_quarter["Q4"] / by_quarter[["Q1", "Q2", "Q3"]].mean()
    segments = float(mean["Enterprise"] / mean["SMB"])
    types = float(mid["New Business"] / mid["Renewal"])
    return report(
        "correlations and multi-factor amounts",
        [
            Measured("age/salary r, lowest within a title", 0.6, within, 0.05),
            Measured("Director / Junior median salary", 2.5, _ratio(medians), 0.15),
            Measured("Enterprise / SMB mean amount", 5.0, segments, 0.25),
            Measured("New Business / Renewal median", 45000 / 38000, types, 0.08),
            Measured("Q4 / other quarters mean amount", 1.4, float(q4), 0.07),
        ],
    )


def _ratio(medians: pd.Series) -> float:
    return float(medians["Director"] / medians["Junior"])


if __name__ == "__main__":
    main()
