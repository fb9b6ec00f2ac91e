"""Why each expectation of ``tests/test_realism_expectations.py`` fails today (issue 9).

Keyed by (schema id, description); each names what the generated data shows instead. The test
marks these strict xfails, so an entry must be removed the day syda meets the expectation.
"""

from __future__ import annotations

CH, WF, SK, PG = "chinook-sqlite", "writefreely-sqlite", "sakila-sqlite", "pagila-postgresql"
NW, TP, EM, CM = "northwind-postgresql", "tpch-postgresql", "employees-mysql", "classicmodels-mysql"
DS, RC, PW, TV = (
    "tpcds-postgresql",
    "roundcube-sqlite",
    "piwigo-mysql",
    "temporal_visibility-postgresql",
)

# Why an expectation fails today, by (schema, description); each is a strict xfail.
FAILS_TODAY: dict[tuple[str, str], str] = {
    # Found by a look at the rows after the last merge (make demo, Chinook at 60 rows).
    (
        "crm",
        "a consulting engagement costs more than a licence",
    ): "product prices ignore what is sold: Consulting median 28.85, Software Licences 35.50",
    (
        "crm",
        "contacts write from their company's domain",
    ): "14 of 145 contacts mail from gmail/yahoo/hotmail, not their customer's website domain",
    (
        CH,
        "customers' support reps are support or sales staff",
    ): "SupportRepId points at any employee: Controllers, QA Engineers, HR Managers",
}
