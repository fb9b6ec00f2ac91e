#!/usr/bin/env python
"""A sales pipeline as a funnel: later stages rarer, stage dates in order, unreached ones NULL.

Runs on the offline provider (no API key, no network) and prints what it measured.

    python examples/funnel.py
"""

from __future__ import annotations

from itertools import pairwise

import pandas as pd
from _measure import Measured, report

from syda import SyntheticDataGenerator

STAGES = ["Prospecting", "Qualified", "Proposal", "Closed Won"]
REACH = [1, 0.6, 0.35, 0.2]
DATES = ["created_on", "qualified_on", "proposal_on", "won_on"]

SCHEMA = {
    "deals": {
        "columns": {
            "id": "integer",
            "account": "company",
            "stage": "varchar(20)",
            "created_on": {"type": "date", "min": "2024-01-01", "max": "2024-12-31"},
            "qualified_on": {"type": "date", "nullable": True},
            "proposal_on": {"type": "date", "nullable": True},
            "won_on": {"type": "date", "nullable": True},
        },
        # Of the deals that stop early, 60% are closed as lost; the rest are still open.
        "stages": {
            "column": "stage",
            "order": STAGES,
            "reach": REACH,
            "dates": DATES,
            "gap": {"distribution": {"kind": "lognormal", "median": 9, "sigma": 0.5}},
            "outcome": {"Closed Lost": 0.6},
        },
    }
}


def main(rows: int = 10_000) -> list[Measured]:
    deals = SyntheticDataGenerator(seed=7).generate_related_data(
        SCHEMA, sample_sizes={"deals": rows}
    )["deals"]
    print(deals.head(6).to_string(index=False))
    stamps = [pd.to_datetime(deals[c]) for c in DATES]
    ordered = all(((later > earlier) | later.isna()).all() for earlier, later in pairwise(stamps))
    days = (stamps[1] - stamps[0]).dt.days.dropna()
    reach = [
        Measured(f"reach {name}", share, float(deals[column].notna().mean()), 0.02)
        for name, share, column in zip(STAGES, REACH, DATES, strict=True)
    ]
    return report(
        f"funnel, {rows:,} deals",
        [
            *reach,
            Measured("every reached stage after the previous", 1, float(ordered), 0),
            Measured("median days created -> qualified", 9, float(days.median()), 1),
        ],
    )


if __name__ == "__main__":
    main()
