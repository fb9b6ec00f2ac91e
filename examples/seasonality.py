"""Seasonality, growth and ordered events: orders that peak in December, on weekends and in
office hours, grow 20% a year, and ship a few days after they are placed.

Run: python examples/seasonality.py   (offline, no key)
"""

from __future__ import annotations

import numpy as np

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


def main() -> None:
    gen = SyntheticDataGenerator(seed=7)
    orders = gen.generate_related_data(SCHEMA, sample_sizes={"orders": 20_000})["orders"]
    at = orders["ordered_at"]
    months = at.dt.month.value_counts(normalize=True).sort_index()
    print(
        "December share:",
        f"{months[12]:.3f}",
        "(declared",
        f"{4 / 16:.3f}, before the growth that favours late months)",
    )
    weekend = at.dt.day_of_week.isin([5, 6]).mean()
    print("weekend share: ", f"{weekend:.3f}", "(declared", f"{6 / 11:.3f})")
    print("outside 8-18h: ", int((~at.dt.hour.between(8, 17)).sum()), "orders (declared 0)")
    years = at.dt.year.value_counts()
    print("2023 / 2022:   ", f"{years[2023] / years[2022]:.2f}", "(declared 1.20)")
    gap = (orders["shipped_at"] - at).dt.total_seconds() / 86400
    print(
        "median gap:    ",
        f"{np.median(gap):.2f} days (declared 3), never negative:",
        bool((gap >= 0).all()),
    )


if __name__ == "__main__":
    main()
