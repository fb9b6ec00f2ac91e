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
# None today: the three a look at the rows found (consulting priced below a licence seat,
# contacts mailing from gmail, support reps who are controllers) are met.
FAILS_TODAY: dict[tuple[str, str], str] = {}
