"""A document copies its customer's address: an invoice is billed where its customer lives."""

from __future__ import annotations

from typing import Any

from syda import SyntheticDataGenerator

SHOP: dict[str, Any] = {
    "employees": {"id": "integer", "city": "varchar(40)", "country": "varchar(40)"},
    "customers": {
        "id": "integer",
        "address": "varchar(70)",
        "city": "varchar(40)",
        "country": "varchar(40)",
        "postal_code": {"type": "varchar(10)", "nullable": True},
    },
    "invoices": {
        "id": "integer",
        "employee_id": {"references": "employees"},
        "customer_id": {"references": "customers"},
        "billing_address": "varchar(70)",
        "billing_city": {"type": "varchar(40)", "nullable": True},
        "ship_country": "varchar(40)",
        "billing_postal_code": "varchar(10)",  # NOT NULL: the customer's may be NULL
        "billing_note": "varchar(40)",
        "shipping_city": "varchar(10)",  # too narrow for the customer's city
    },
}


def test_the_billing_and_shipping_parts_copy_the_customers_not_the_employees() -> None:
    gen = SyntheticDataGenerator(seed=1)
    specs = gen.profile(SHOP).tables["invoices"].columns
    copied = {name: spec.from_parent for name, spec in specs.items() if spec.from_parent}
    assert copied == {
        "billing_address": "customer.address",
        "billing_city": "customer.city",
        "ship_country": "customer.country",
    }
    frames = gen.generate_related_data(schema=SHOP, sample_sizes={"invoices": 60})
    rows = frames["invoices"].merge(
        frames["customers"], left_on="customer_id", right_on="id", suffixes=("", "_c")
    )
    assert (rows.billing_address == rows.address).all()
    assert (rows.ship_country == rows.country).all()
    assert rows.billing_postal_code.notna().all()
