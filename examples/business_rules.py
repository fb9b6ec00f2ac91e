"""Business rules as expressions: line totals, an order's tier from its customer, shipping rules.

Run: ``python examples/business_rules.py``. Pattern 5 of the realistic-data principles: values
that a rule decides are computed by the rule (SQL over the row and its parents), not drawn.
"""

from __future__ import annotations

from _measure import Measured, report

from syda import SyntheticDataGenerator

SCHEMA = {
    "customers": {
        "id": "integer",
        "name": "company",
        "segment": {"type": "varchar(10)", "values": {"Enterprise": 0.2, "SMB": 0.8}},
    },
    "order_lines": {
        "id": "integer",
        "customer_id": {"references": "customers.id"},
        "quantity": {"type": "integer", "values": {1: 0.5, 2: 0.3, 5: 0.15, 20: 0.05}},
        "unit_price": {"type": "decimal(10,2)", "values": [9.99, 24.5, 99.0, 249.0]},
        "total": {"type": "decimal(12,2)", "expr": "quantity * unit_price"},
        # The customer's segment decides the discount: a rule over the parent row.
        "discount_pct": {
            "type": "decimal(4,1)",
            "expr": "CASE WHEN customer.segment = 'Enterprise' THEN 15 WHEN quantity >= 20 "
            "THEN 5 ELSE 0 END",
        },
        "net_total": {
            "type": "decimal(12,2)",
            "expr": "round(quantity * unit_price * (1 - discount_pct / 100), 2)",
        },
        "free_shipping": {"type": "boolean", "expr": "quantity * unit_price >= 100"},
    },
}


def main(rows: int = 20_000) -> list[Measured]:
    out = SyntheticDataGenerator(seed=3).generate_related_data(
        SCHEMA, sample_sizes={"customers": 500, "order_lines": rows}
    )
    lines = out["order_lines"].merge(
        out["customers"], left_on="customer_id", right_on="id", suffixes=("", "_c")
    )
    exact_total = (lines["total"] == (lines["quantity"] * lines["unit_price"]).round(2)).mean()
    enterprise = lines.loc[lines["segment"] == "Enterprise", "discount_pct"]
    net = (lines["total"] * (1 - lines["discount_pct"] / 100)).round(2)
    net_ok = (abs(lines["net_total"] - net) < 0.011).mean()
    free_ok = (lines["free_shipping"] == (lines["total"] >= 100)).mean()
    return report(
        f"business rules, {rows:,} order lines",
        [
            Measured("total == quantity * unit_price", 1, float(exact_total), 0),
            Measured("Enterprise lines at 15% off", 1, float((enterprise == 15).mean()), 0),
            Measured("net_total follows the discount", 1, float(net_ok), 0),
            Measured("free shipping iff total >= 100", 1, float(free_ok), 0),
        ],
    )


if __name__ == "__main__":
    main()
