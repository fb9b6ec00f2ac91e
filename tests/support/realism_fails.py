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
    (
        CH,
        "tracks last 30 s to 20 min",
    ): "Milliseconds is a plain integer (0..1219), not read as a duration",
    (
        CH,
        "track files are 100 kB to 1 GB",
    ): "Bytes is a plain small integer, not read as a file size",
    (
        CH,
        "track prices are store prices (0.49-4.99)",
    ): "UnitPrice NUMERIC(10,2) is a generic price up to ~250",
    (CH, "invoice line quantities are small"): "Quantity reaches 11",
    (
        CH,
        "employees are hired after birth, as adults",
    ): "age at hire spans 11..83 years: birth and hire dates are drawn apart",
    (CH, "playlist names are distinct"): "playlist vocabulary repeats ('2010s Hits' x7)",
    (WF, "access token sudo is a 0/1 flag"): "sudo INTEGER DEFAULT 0 gets 0..300, not a flag",
    (
        WF,
        "access token one_time is a 0/1 flag",
    ): "one_time INTEGER DEFAULT 0 gets 0..150, not a flag",
    (WF, "migration versions are distinct"): "appmigrations.version repeats (no key on it)",
    (SK, "films last 40 min to 4 h"): "film.length is a plain small integer (0..)",
    (SK, "films are rented for 1-14 days"): "rental_duration reaches 1439",
    (SK, "rental rates are 0.49-9.99"): "rental_rate DECIMAL(4,2) gets 0.16..",
    (SK, "replacement costs are 5-100"): "replacement_cost gets values above 100",
    (
        SK,
        "categories are film genres",
    ): "category names are retail categories ('Electronics', 'Automotive')",
    (SK, "categories are distinct"): "category names repeat ('Automotive' x8)",
    (SK, "languages are distinct"): "language names repeat ('Finnish' x7)",
    (SK, "payment amounts are 0.99-20 with cents"): "payment.amount reaches 989.09",
    (
        PG,
        "payments are made after their rental",
    ): "the partitioned payment parent is filled apart from rental: dates unrelated",
    (
        PG,
        "a payment's customer is its rental's customer",
    ): "the partitioned payment parent does not get the rental's customer",
    (PG, "films last 40 min to 4 h"): "film.length is a plain small integer",
    (PG, "languages are distinct"): "language names repeat",
    (
        NW,
        "discounts are fractions below 1 (REAL)",
    ): "order_details.discount REAL gets percentages up to 68.63",
    (NW, "discontinued is a 0/1 flag"): "products.discontinued INTEGER gets counts up to 1569",
    (NW, "category names are distinct"): "category names repeat ('Pet Supplies' x8)",
    (NW, "employees are hired after birth, as adults"): "age at hire spans 11..79 years",
    (NW, "state abbreviations match the state"): "state_abbr is drawn apart from state_name",
    (NW, "state names are distinct"): "state names repeat ('New Mexico' x10)",
    (NW, "freight is positive with cents"): "freight REAL gets four decimals (924.1645)",
    (TP, "discounts are 0.00-0.10"): "l_discount DECIMAL(15,2) gets values up to ~1500",
    (TP, "taxes are 0.00-0.08"): "l_tax DECIMAL(15,2) gets values in the hundreds",
    (TP, "part sizes are 1-50"): "p_size INTEGER reaches 1007",
    (EM, "employees are hired after birth, as adults"): "age at hire spans 8..87 years",
    (
        EM,
        "unique department names carry no number suffix",
    ): "dept_name is UNIQUE and the 25-name vocabulary runs out: 'Engineering 27'",
    (
        EM,
        "department spells start after the hire",
    ): "dept_emp.from_date is drawn apart from the employee's hire_date",
    (EM, "salaries start after the hire"): "salaries.from_date is before hire_date on 22/150 rows",
    (EM, "titles start after the hire"): "titles.from_date is drawn apart from hire_date",
    (
        CM,
        "no shipped date on orders not yet shipped",
    ): "Pending/Processing/Cancelled orders have a shippedDate",
    (
        CM,
        "credit limits are 1,000 or more",
    ): "creditLimit DOUBLE gets 35.78..4260 with four decimals (60.9227)",
    (CM, "order line numbers are small"): "orderLineNumber SMALLINT reaches 579",
    (
        CM,
        "list price (MSRP) is at least the buy price",
    ): "MSRP and buyPrice are drawn apart (78/150 below cost)",
}
