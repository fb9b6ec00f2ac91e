"""Conditional NULLs: a close date only for closed deals, won XOR lost reasons, optional fields.

Run: ``python examples/conditional_nulls.py``. Pattern 10 of the realistic-data principles: a
NULL means "not applicable", so it follows the row, not a coin.
"""

from __future__ import annotations

import pandas as pd
from _measure import Measured, report

from syda import SyntheticDataGenerator

SCHEMA = {
    "deals": {
        "id": "integer",
        "stage": {
            "type": "varchar(12)",
            "values": {"Open": 0.5, "Closed Won": 0.3, "Closed Lost": 0.2},
        },
        "close_date": {
            "type": "date",
            "nullable": True,
            "null_unless": "stage IN ('Closed Won', 'Closed Lost')",
        },
        "won_reason": {
            "type": "varchar(20)",
            "nullable": True,
            "values": ["Price", "Features", "Relationship"],
            "null_unless": "stage = 'Closed Won'",
        },
        "lost_reason": {
            "type": "varchar(20)",
            "nullable": True,
            "values": {"Price": 0.4, "Timing": 0.35, "Competitor": 0.25},
            "null_unless": "stage = 'Closed Lost'",
        },
        # An optional field: NULL on a share of rows, whatever the row.
        "referral_code": {"type": "varchar(12)", "nullable": True, "null_share": 0.7},
    }
}


def main(rows: int = 20_000) -> list[Measured]:
    deals = SyntheticDataGenerator(seed=2).generate_data(SCHEMA, sample_size=rows)
    closed = deals["stage"].str.startswith("Closed")
    won = deals["stage"] == "Closed Won"
    both = deals["won_reason"].notna() & deals["lost_reason"].notna()
    return report(
        f"conditional NULLs, {rows:,} deals",
        [
            Measured(
                "open deals with a close date", 0, _share(deals.loc[~closed, "close_date"]), 0
            ),
            Measured("closed deals without one", 0, 1 - _share(deals.loc[closed, "close_date"]), 0),
            Measured("rows with both reasons", 0, float(both.mean()), 0),
            Measured("won deals with a won reason", 1, _share(deals.loc[won, "won_reason"]), 0),
            Measured("referral_code NULL share", 0.7, 1 - _share(deals["referral_code"]), 0.02),
        ],
    )


def _share(values: pd.Series) -> float:
    """The share of rows that are not NULL."""
    return float(values.notna().mean())


if __name__ == "__main__":
    main()
