"""Seasonality, growth and ordered events: orders that peak in December, on weekends and in
office hours, grow 20% a year, and ship a few days after they are placed.

Run: ``python examples/seasonality.py`` (offline, no key). Pattern 2 (time weights) and 4
(ordered events) of the realistic-data principles.
"""

from __future__ import annotations

import numpy as np
from _measure import Measured, report

from syda import SyntheticDataGenerator

MONTHS = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4]
WEEKDAYS = [1, 1, 1, 1, 1, 3, 3]
HOURS = [0] * 8 + [1] * 10 + [0] * 6

SCHEMA = {
    "orders": {
        "columns": {
            "id": {"type": "integer", "primary_key": True},
            "ordered_at": {
                "type": "datetime",
                "min": "2022-01-01",
                "max": "2023-12-31",
                "seasonality": {"month": MONTHS, "weekday": WEEKDAYS, "hour": HOURS},
                "trend": 0.2,
            },
            "shipped_at": {
                "type": "datetime",
                "after": "ordered_at",
                "gap": {"distribution": {"kind": "lognormal", "median": 3}, "unit": "days"},
            },
        }
    }
}


def main(rows: int = 20_000) -> list[Measured]:
    gen = SyntheticDataGenerator(seed=7)
    orders = gen.generate_related_data(SCHEMA, sample_sizes={"orders": rows})["orders"]
    at = orders["ordered_at"]
    # A month weight is that month's share of a year's events, so December (weight 4) has twice
    # November's (2); the 20% yearly growth adds under 2% between neighbouring months.
    months = at.dt.month.value_counts()
    december = float(months[12] / months[11])
    weekend = float(at.dt.day_of_week.isin([5, 6]).mean())
    office = float(at.dt.hour.between(8, 17).mean())
    years = at.dt.year.value_counts()
    gap = (orders["shipped_at"] - at).dt.total_seconds() / 86400
    return report(
        f"seasonality, {rows:,} orders",
        [
            Measured("December / November", 2, december, 0.15),
            Measured("weekend share", 6 / 11, weekend, 0.02),
            Measured("share in office hours", 1, office, 0),
            Measured("orders 2023 / 2022", 1.2, float(years[2023] / years[2022]), 0.05),
            Measured("median days to ship", 3, float(np.median(gap)), 0.15),
            Measured("shipped before ordered", 0, float((gap < 0).mean()), 0),
        ],
    )


if __name__ == "__main__":
    main()
