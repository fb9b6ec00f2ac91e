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
    # --- TPC-DS -------------------------------------------------------------------------------
    (
        DS,
        "customer salutations are salutations",
    ): "c_salutation CHAR(10) is two cut words ('Unit feel')",
    (
        DS,
        "birth months are 1-12",
    ): "c_birth_month is any integer: 112 of 143 outside 1-12 (22, 190)",
    (DS, "birth days are 1-31"): "c_birth_day is any integer: 71 of 139 outside 1-31 (34, 472)",
    (
        DS,
        "street numbers are numbers",
    ): "ca_street_number CHAR(10) is a cut street address ('645 Julian')",
    (
        DS,
        "GMT offsets are -12..14 hours",
    ): "ca_gmt_offset DECIMAL(5,2) is drawn as an amount: 3.53 to 917.93, 137 of 143 outside",
    (
        DS,
        "marital statuses are M/S/D/W/U",
    ): "cd_marital_status CHAR(1) is a status code (A, I, P)",
    (
        DS,
        "education statuses are schooling levels",
    ): "cd_education_status is a record status ('Active', 'Archived', 'Pending')",
    (DS, "calendar months are 1-12"): "d_moy is any integer: 104 of 144 outside 1-12",
    (DS, "days of the month are 1-31"): "d_dom is any integer: 85 of 144 outside 1-31",
    (
        DS,
        "a calendar day's year is its date's",
    ): "d_year is drawn apart from d_date: 129 of 142 rows differ",
    (DS, "day names are weekdays"): "d_day_name CHAR(9) is two cut words ('Front bot')",
    # --- Roundcube ------------------------------------------------------------------------------
    (
        RC,
        "users log in after their account is created",
    ): "last_login is drawn apart from created: 72 of 142 before it",
    (
        RC,
        "failed logins come after the account exists",
    ): "failed_login is drawn apart from created: 74 of 143 before it",
    (RC, "mail hosts are host names"): "users.mail_host is two random words ('Degree difference')",
    (
        RC,
        "identity names are people's names",
    ): "identities.name is a catch-phrase ('Extended Regional Archive')",
    (
        RC,
        "reply-to addresses are emails",
    ): "identities.reply-to is two random words ('Feeling side')",
    (
        RC,
        "collected address names are people's names",
    ): "collected_addresses.name is a catch-phrase ('Cross-group Optimizing Solution')",
    # --- Piwigo ---------------------------------------------------------------------------------
    (
        PW,
        "image files are image file names",
    ): "97 of 150 image files are documents ('contract-2022.pdf', .xlsx, .docx, .mp4)",
    (
        PW,
        "a photo is taken before it is uploaded",
    ): "date_creation is drawn apart from date_available: 73 of 145 after it",
    (
        PW,
        "image titles are not catch-phrases",
    ): "image names are catch-phrases ('Reactive Empowering Middleware')",
    (
        PW,
        "user mail addresses are emails",
    ): "piwigo_users.mail_address is a postal address ('828 Hoffman Orchard, Longborough, NM')",
    (
        PW,
        "tag URL names are slugs",
    ): "url_name is a company web site ('https://www.hickman.com'), not the tag's slug",
    (
        PW,
        "users visit after they register",
    ): "last_visit is drawn apart from registration_date: 62 of 144 before it",
    (
        PW,
        "album names are not retail categories",
    ): "album (category) names are shop departments ('Electronics' x27, 'Toys & Games')",
    # --- Temporal visibility ----------------------------------------------------------------
    (
        TV,
        "workflows close after they start",
    ): "close_time is drawn apart from start_time: 30 of 145 before it",
    (TV, "run ids are UUIDs"): "run_id CHAR(64) is two random words ('Stop professional')",
    (
        TV,
        "statuses are WorkflowExecutionStatus values (1-7)",
    ): "status INTEGER is any count (0 to 2033): the column comment's enum is not read",
}
