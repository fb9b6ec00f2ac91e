"""Why each expectation of ``tests/test_realism_expectations.py`` fails today (issue 9).

Keyed by (schema id, description); each names what the generated data shows instead. The test
marks these strict xfails, so an entry must be removed the day syda meets the expectation.
"""

from __future__ import annotations

CH, WF, SK, PG = "chinook-sqlite", "writefreely-sqlite", "sakila-sqlite", "pagila-postgresql"
NW, TP, EM, CM = "northwind-postgresql", "tpch-postgresql", "employees-mysql", "classicmodels-mysql"

# Why an expectation fails today, by (schema, description); each is a strict xfail.
FAILS_TODAY: dict[tuple[str, str], str] = {
    (CH, "genres are distinct"): "150 rows drawn from a 25-genre vocabulary: names repeat",
    (CH, "media types are distinct"): "150 rows from a short media-type vocabulary: names repeat",
    (CH, "playlist names are distinct"): "playlist vocabulary repeats ('2010s Hits' x7)",
    (WF, "migration versions are distinct"): "appmigrations.version repeats (no key on it)",
    (
        SK,
        "categories are film genres",
    ): "category names are retail categories ('Electronics', 'Automotive')",
    (SK, "categories are distinct"): "category names repeat ('Automotive' x8)",
    (SK, "languages are distinct"): "language names repeat ('Finnish' x7)",
    (
        PG,
        "payments are made after their rental",
    ): "the partitioned payment parent is filled apart from rental: dates unrelated",
    (
        PG,
        "a payment's customer is its rental's customer",
    ): "the partitioned payment parent does not get the rental's customer",
    (PG, "languages are distinct"): "language names repeat",
    (NW, "category names are distinct"): "category names repeat ('Pet Supplies' x8)",
    (NW, "state abbreviations match the state"): "state_abbr is drawn apart from state_name",
    (NW, "state names are distinct"): "state names repeat ('New Mexico' x10)",
    (
        EM,
        "unique department names carry no number suffix",
    ): "dept_name is UNIQUE and the 25-name vocabulary runs out: 'Engineering 27'",
    (TP, "nation names are countries"): "n_name CHAR(25) is two random words ('Choice oil')",
    (
        CH,
        "every invoice has a line",
    ): "150 lines drawn over 150 invoices at random: 63 invoices have none (and total 0.00)",
    (
        TP,
        "every order has a line",
    ): "150 lineitems drawn over 150 orders at random: 75 orders have none (o_totalprice 0.00)",
}
