#!/usr/bin/env python
"""Generate a CRM demo dataset (customers, contacts, products, orders, order items).

Runs on the offline provider by default: no API key, no network. Prints an integrity summary.

    python examples/crm.py --output-dir crm_data
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crm_models import MODELS

from syda import SyntheticDataGenerator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default="crm_data", help="where to write one CSV per table")
    parser.add_argument("--format", default="csv", choices=["csv", "json", "parquet"])
    parser.add_argument("--seed", type=int, default=7, help="same seed, same data")
    parser.add_argument("--customers", type=int, default=50, help="number of customers")
    parser.add_argument(
        "--provider",
        default="offline",
        choices=["offline", "openai", "anthropic"],
        help="who writes the values (default: offline, even when an API key is set)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    generator = SyntheticDataGenerator(args.provider, seed=args.seed)
    results = generator.generate_related_data(
        models=MODELS,  # any order: syda sorts them by their foreign keys
        prompts={
            "Customer": "Diverse B2B SaaS customer organizations across industries.",
            "Product": "Cloud software products, support plans and consulting packages.",
        },
        sample_sizes={"Customer": args.customers, "Product": 40, "Order": args.customers * 6},
        cardinality={"Contact.customer_id": "1-4", "OrderItem.order_id": "1-5"},
        custom_generators={
            "Customer": {"status": lambda row, col: "Active" if row["id"] % 5 else "Prospect"}
        },
        output_dir=args.output_dir,
        output_format=args.format,
    )

    print("\nRows per table:")
    for name, df in results.items():
        print(f"  {name:<10} {len(df):>6}")
    print("\nReferential integrity:")
    checks = [
        ("Contact", "customer_id", "Customer", "id"),
        ("Order", "customer_id", "Customer", "id"),
        ("OrderItem", "order_id", "Order", "id"),
        ("OrderItem", "product_id", "Product", "id"),
    ]
    ok = True
    for child, fk, parent, pk in checks:
        missing = set(results[child][fk]) - set(results[parent][pk])
        ok &= not missing
        mark = "ok" if not missing else f"{len(missing)} dangling"
        print(f"  {child}.{fk} -> {parent}.{pk}: {mark}")
    emails = results["Contact"]["email"]
    print(f"  Contact.email unique: {emails.is_unique}")
    print("\nA few contacts:")
    print(results["Contact"].head(5).to_string(index=False))
    print(f"\nFiles written to {args.output_dir}/")
    return 0 if ok and emails.is_unique else 1


if __name__ == "__main__":
    raise SystemExit(main())
