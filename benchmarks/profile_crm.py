#!/usr/bin/env python
"""Profile throughput: a CRM schema whose specs use every control, about 1,000,000 rows.

Weighted values, distributions with bounds, outliers, rounding, ``by``, ``scale_by``,
``correlate``, expressions over rows and parents, ``from_parent``, conditional NULLs, dates with
seasonality, trend and ``after``/``gap``, a funnel, ``exactly_one``, a template with a sequence,
an aggregate and an hourly series. In the same run, the same tables with no specs at all (the
offline engine's inference alone) are the peer. Prints rows/s, peak memory, calls and tokens.

Run with ``make bench-profile`` or ``python benchmarks/profile_crm.py --rows 1000000``.
"""

from __future__ import annotations

import argparse
import copy
import resource
import time
from typing import Any

from syda import SyntheticDataGenerator

SHARES = {
    "accounts": 0.05,
    "contacts": 0.15,
    "products": 0.01,
    "deals": 0.20,
    "orders": 0.24,
    "order_items": 0.35,
}
LOGNORMAL = "lognormal"
SCHEMA: dict[str, Any] = {
    "accounts": {
        "columns": {
            "id": "integer",
            "name": "company",
            "segment": {
                "type": "varchar(12)",
                "values": {"Enterprise": 0.2, "Mid": 0.3, "SMB": 0.5},
            },
            "created_at": {
                "type": "datetime",
                "min": "2022-01-01",
                "max": "2025-12-31",
                "seasonality": {"month": [1] * 9 + [1.2, 1.3, 1.5], "weekday": [1] * 5 + [0.3] * 2},
                "trend": 0.2,
            },
        }
    },
    "contacts": {
        "columns": {
            "id": "integer",
            "account_id": {"references": "accounts.id"},
            "first_name": "first_name",
            "last_name": "last_name",
            "email": "email",
            "phone": {
                "type": "varchar(30)",
                "nullable": True,
                "semantic": "phone",
                "null_share": 0.2,
            },
            "is_primary": "boolean",
        },
        "exactly_one": {"column": "is_primary", "per": "account_id"},
    },
    "products": {
        "columns": {
            "id": "integer",
            "category": {"type": "varchar(3)", "values": {"SFT": 0.5, "SUP": 0.3, "TRN": 0.2}},
            "sku": {"type": "varchar(12)", "unique": True, "template": "{category}-{seq:06d}"},
            "price": {
                "type": "decimal(10,2)",
                "distribution": {"kind": LOGNORMAL, "median": 120, "sigma": 0.8},
                "min": 5,
                "max": 20000,
                "outliers": 0.01,
                "round": 2,
            },
            "cost": {"type": "decimal(10,2)", "expr": "round(price * 0.55, 2)"},
        }
    },
    "deals": {
        "columns": {
            "id": "integer",
            "account_id": {"references": "accounts.id"},
            "deal_type": {
                "type": "varchar(14)",
                "values": {"New Business": 0.45, "Renewal": 0.3, "Upsell": 0.15, "Cross-sell": 0.1},
            },
            "segment": {"type": "varchar(12)", "from_parent": "account.segment"},
            "amount": {
                "type": "decimal(12,2)",
                "min": 1000,
                "max": 5_000_000,
                "by": {
                    "column": "deal_type",
                    "cases": {
                        "New Business": {"distribution": {"kind": LOGNORMAL, "median": 45000}},
                        "Renewal": {"distribution": {"kind": LOGNORMAL, "median": 38000}},
                    },
                },
                "distribution": {"kind": LOGNORMAL, "median": 25000, "sigma": 0.5},
                "scale_by": {"account.segment": {"Enterprise": 3.0, "SMB": 0.6}},
            },
            "stage": {"type": "varchar(12)", "nullable": False},
            "created_on": "date",
            "qualified_on": {"type": "date", "nullable": True},
            "proposal_on": {"type": "date", "nullable": True},
            "won_on": {"type": "date", "nullable": True},
            "lost_reason": {
                "type": "varchar(20)",
                "nullable": True,
                "values": {"Price": 0.4, "Timing": 0.35, "Competitor": 0.25},
                "null_unless": "stage = 'Closed Lost'",
            },
        },
        "stages": {
            "column": "stage",
            "order": ["Prospecting", "Qualified", "Proposal", "Closed Won"],
            "reach": [1, 0.6, 0.35, 0.2],
            "dates": ["created_on", "qualified_on", "proposal_on", "won_on"],
            "gap": {"distribution": {"kind": LOGNORMAL, "median": 9, "sigma": 0.5}},
            "outcome": {"Closed Lost": 0.6},
        },
    },
    "orders": {
        "columns": {
            "id": "integer",
            "account_id": {"references": "accounts.id"},
            "status": {
                "type": "varchar(10)",
                "values": {"New": 0.1, "Shipped": 0.3, "Delivered": 0.55, "Cancelled": 0.05},
            },
            "ordered_at": {
                "type": "datetime",
                "after": "account.created_at",
                "gap": {"distribution": {"kind": "exponential", "mean": 60}, "unit": "days"},
            },
            "shipped_at": {
                "type": "datetime",
                "nullable": True,
                "after": "ordered_at",
                "gap": {"distribution": {"kind": LOGNORMAL, "median": 2}, "unit": "days"},
                "null_unless": "status IN ('Shipped', 'Delivered')",
            },
            "total": {
                "type": "decimal(14,2)",
                "aggregate": "sum(order_items.quantity * order_items.unit_price)",
            },
        }
    },
    "order_items": {
        "columns": {
            "id": "integer",
            "order_id": {"references": "orders.id"},
            "product_id": {"references": "products.id"},
            "quantity": {
                "type": "integer",
                "distribution": {"kind": "poisson", "mean": 2},
                "min": 1,
            },
            "unit_price": {"type": "decimal(10,2)", "from_parent": "product.price"},
            "discount_pct": {
                "type": "decimal(5,2)",
                "distribution": {"kind": "triangular", "low": 0, "mode": 5, "high": 30},
                "correlate": {"column": "quantity", "r": 0.5},
            },
            "line_total": {
                "type": "decimal(12,2)",
                "expr": "round(quantity * unit_price * (1 - discount_pct / 100), 2)",
            },
        }
    },
    "metrics": {
        "series": {"ts": {"start": "2025-01-01", "end": "2025-12-31", "every": "1h"}},
        "columns": {
            "ts": {"type": "datetime", "primary_key": True},
            "requests": {
                "type": "integer",
                "min": 0,
                "level": 1000,
                "trend": 0.2,
                "daily": {"amplitude": 0.5, "peak": 14},
                "weekly": {"amplitude": 0.1, "peak": 2},
                "noise": 0.05,
                "ar1": 0.8,
            },
        },
    },
}
_SPEC_KEYS = ("type", "references", "unique", "nullable", "primary_key", "semantic")


def bare(schema: dict[str, Any]) -> dict[str, Any]:
    """The same tables with every profile key removed: what inference alone draws."""
    out = copy.deepcopy(schema)
    for table in out.values():
        for key in ("stages", "series", "exactly_one"):
            table.pop(key, None)
        for name, spec in table["columns"].items():
            if isinstance(spec, dict):
                table["columns"][name] = {k: v for k, v in spec.items() if k in _SPEC_KEYS}
    return out


def run(schema: dict[str, Any], total: int, validate: bool) -> tuple[float, int, Any]:
    sizes = {k: max(1, int(total * v)) for k, v in SHARES.items()}
    gen = SyntheticDataGenerator(seed=1, validate=validate)
    started = time.perf_counter()
    frames = gen.generate_related_data(schema, sample_sizes=sizes)
    return time.perf_counter() - started, sum(len(f) for f in frames.values()), gen.last_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="total rows over all tables")
    args = parser.parse_args()
    run(SCHEMA, 10_000, True)  # warm-up: Faker vocabularies, DuckDB
    print(f"{'':34}{'seconds':>10}{'rows/s':>14}")
    for label, schema in (
        ("every control, + validation", SCHEMA),
        ("no specs (peer), + validation", bare(SCHEMA)),
    ):
        seconds, rows, report = run(schema, args.rows, validate=True)
        print(f"{label:<34}{seconds:>10.2f}{rows / seconds:>14,.0f}")
    seconds, rows, report = run(SCHEMA, args.rows, validate=False)
    print(f"{'every control, generation only':<34}{seconds:>10.2f}{rows / seconds:>14,.0f}")
    calls = sum(t.provider_calls for t in report.tables.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows {rows:,}; peak memory (RSS) {peak_mb:,.0f} MB")
    print(f"provider calls {calls} (offline, one per table plus re-draws); tokens 0 (no LLM)")


if __name__ == "__main__":
    main()
