"""Weighted categories: deal types, lead sources and a CHECK's statuses in the shares declared.

Run: ``python examples/weights.py``. Pattern 2 of the realistic-data principles: nothing is
uniform unless it should be.
"""

from __future__ import annotations

from _measure import Measured, report

from syda import SyntheticDataGenerator

DEAL_TYPES = {"New Business": 0.45, "Renewal": 0.30, "Upsell": 0.15, "Cross-sell": 0.10}
SCHEMA = {
    "deals": {
        "id": "integer",
        "deal_type": {"type": "varchar(20)", "values": DEAL_TYPES},
        # A plain list: equally likely.
        "brand": {"type": "varchar(10)", "values": ["Brand_A", "Brand_B", "Brand_C"]},
        # Weights for the allowed values of an enum (or a CHECK ... IN list), in their order.
        "outcome": {
            "type": "varchar(10)",
            "enum": ["completed", "dropped"],
            "weights": [97, 3],
        },
    }
}


def main(rows: int = 20_000) -> list[Measured]:
    deals = SyntheticDataGenerator(seed=1).generate_data(SCHEMA, sample_size=rows)
    shares = deals["deal_type"].value_counts(normalize=True)
    tol = 0.02
    measured = [Measured(f"share {k}", w, float(shares[k]), tol) for k, w in DEAL_TYPES.items()]
    brand = deals["brand"].value_counts(normalize=True)
    measured.append(Measured("share Brand_B", 1 / 3, float(brand["Brand_B"]), tol))
    done = float((deals["outcome"] == "completed").mean())
    measured.append(Measured("completion rate", 0.97, done, tol))
    return report(f"weights, {rows:,} deals", measured)


if __name__ == "__main__":
    main()
