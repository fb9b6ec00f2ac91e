#!/usr/bin/env python
"""Hierarchies: regions from countries, order totals from their lines, one primary contact.

* ``from_parent: country.region`` copies the parent's value to the child (customers sit in
  their country's region);
* ``aggregate: "sum(order_items.quantity * order_items.unit_price)"`` makes the order total the
  sum of its lines, computed once the lines exist;
* ``exactly_one: {column: is_primary, per: customer_id}`` flags one contact per customer.

Runs offline and prints what it measured.

    python examples/hierarchy.py
"""

from __future__ import annotations

from _measure import Measured, report

from syda import SyntheticDataGenerator

SCHEMA = {
    "countries": {
        "columns": {
            "id": "integer",
            "name": "country",
            "region": {"type": "varchar(10)", "values": ["EMEA", "AMER", "APAC"]},
        }
    },
    "customers": {
        "columns": {
            "id": "integer",
            "country_id": {"references": "countries.id"},
            "name": "company",
            "region": {"type": "varchar(10)", "from_parent": "country.region"},
        }
    },
    "contacts": {
        "columns": {
            "id": "integer",
            "customer_id": {"references": "customers.id"},
            "name": "full_name",
            "is_primary": "boolean",
        },
        "exactly_one": {"column": "is_primary", "per": "customer_id"},
    },
    "orders": {
        "columns": {
            "id": "integer",
            "customer_id": {"references": "customers.id"},
            "total": {
                "type": "decimal(12,2)",
                "aggregate": "sum(order_items.quantity * order_items.unit_price)",
            },
        }
    },
    "order_items": {
        "columns": {
            "id": "integer",
            "order_id": {"references": "orders.id"},
            "quantity": {"type": "integer", "min": 1, "max": 5},
            "unit_price": {"type": "decimal(8,2)", "min": 5, "max": 500},
        }
    },
}


def main() -> list[Measured]:
    data = SyntheticDataGenerator(seed=11).generate_related_data(
        SCHEMA,
        sample_sizes={
            "countries": 20,
            "customers": 500,
            "contacts": 2_000,
            "orders": 3_000,
            "order_items": 10_000,
        },
    )
    customers = data["customers"].merge(
        data["countries"][["id", "region"]], left_on="country_id", right_on="id"
    )
    same = float((customers["region_x"] == customers["region_y"]).mean())
    items = data["order_items"]
    lines = (items["quantity"] * items["unit_price"]).groupby(items["order_id"]).sum()
    orders = data["orders"].set_index("id")
    expected = lines.reindex(orders.index, fill_value=0).round(2)
    exact = float((orders["total"] - expected).abs().lt(0.005).mean())
    primary = data["contacts"].groupby("customer_id")["is_primary"].sum()
    return report(
        "hierarchy: regions, order totals, primary contacts",
        [
            Measured("customers in their country's region", 1, same, 0),
            Measured("order totals == sum of their lines", 1, exact, 0),
            Measured("customers with exactly one primary", 1, float((primary == 1).mean()), 0),
        ],
    )


if __name__ == "__main__":
    main()
