"""Why each expectation of ``tests/test_realism_expectations.py`` fails today (issue 9).

Keyed by (schema id, description); each names what the generated data shows instead. The test
marks these strict xfails, so an entry must be removed the day syda meets the expectation.
"""

from __future__ import annotations

CH, WF, SK, PG = "chinook-sqlite", "writefreely-sqlite", "sakila-sqlite", "pagila-postgresql"
NW, TP, EM, CM = "northwind-postgresql", "tpch-postgresql", "employees-mysql", "classicmodels-mysql"

# Why an expectation fails today, by (schema, description); each is a strict xfail.
FAILS_TODAY: dict[tuple[str, str], str] = {
    (
        PG,
        "payments are made after their rental",
    ): "the partitioned payment parent is filled apart from rental: dates unrelated",
    (
        PG,
        "a payment's customer is its rental's customer",
    ): "the partitioned payment parent does not get the rental's customer",
    (
        TP,
        "a line's extended price is its quantity times its part's retail price",
    ): "l_extendedprice is drawn apart from l_quantity and the part's p_retailprice",
    (
        TP,
        "an order's total price is the sum of its lines",
    ): "o_totalprice is drawn apart from its lineitems (no aggregate is inferred)",
}
