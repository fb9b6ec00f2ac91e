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


def main() -> None:
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
    same = (customers["region_x"] == customers["region_y"]).mean()
    print(f"customers in their country's region: {same:.0%}")
    items = data["order_items"]
    lines = (items["quantity"] * items["unit_price"]).groupby(items["order_id"]).sum()
    orders = data["orders"].set_index("id")
    expected = lines.reindex(orders.index, fill_value=0).round(2)
    exact = (orders["total"] - expected).abs().lt(0.005).mean()
    print(f"order totals equal to the sum of their lines: {exact:.0%}")
    print(f"orders with no lines (total 0): {(expected == 0).sum()}")
    primary = data["contacts"].groupby("customer_id")["is_primary"].sum()
    one = bool((primary == 1).all())
    print(f"customers with contacts: {len(primary)}, each with exactly one primary: {one}")


if __name__ == "__main__":
    main()
