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
    (
        WF,
        "post ids are short codes, not prose",
    ): "posts.id VARCHAR primary key is filled with sentences",
    (
        WF,
        "post languages are language codes",
    ): "posts.language CHAR(2) gets language names ('English')",
    (
        WF,
        "post titles are titles",
    ): "post titles are catch-phrases ('Decentralized Regional Process Improvement')",
    (WF, "blog aliases are slugs"): "collections.alias is filled with sentences",
    (
        WF,
        "blog titles are not catch-phrases",
    ): "collections.title is a catch-phrase ('Realigned Didactic Projection')",
    (WF, "remote actors are URLs"): "remoteusers.actor_id is filled with sentences",
    (WF, "remote inboxes are URLs"): "remoteusers.inbox is filled with sentences",
    (
        WF,
        "blog attribute names are settings keys",
    ): "collectionattributes.attribute is filled with sentences",
    (WF, "migration versions are distinct"): "appmigrations.version repeats (no key on it)",
    (
        SK,
        "categories are film genres",
    ): "category names are retail categories ('Electronics', 'Automotive')",
    (SK, "categories are distinct"): "category names repeat ('Automotive' x8)",
    (SK, "languages are distinct"): "language names repeat ('Finnish' x7)",
    (SK, "countries are distinct"): "country names repeat ('United States')",
    (
        PG,
        "payments are made after their rental",
    ): "the partitioned payment parent is filled apart from rental: dates unrelated",
    (
        PG,
        "a payment's customer is its rental's customer",
    ): "the partitioned payment parent does not get the rental's customer",
    (PG, "languages are distinct"): "language names repeat",
    (PG, "countries are distinct"): "country names repeat",
    (NW, "category names are distinct"): "category names repeat ('Pet Supplies' x8)",
    (NW, "state abbreviations match the state"): "state_abbr is drawn apart from state_name",
    (NW, "state names are distinct"): "state names repeat ('New Mexico' x10)",
    (
        NW,
        "a state's region is not the state itself",
    ): "state_region is filled with the state's name",
    (
        NW,
        "customer contact titles are job titles",
    ): "customers.contact_title is two random words ('View player')",
    (
        NW,
        "supplier contact titles are job titles",
    ): "suppliers.contact_title is two random words ('Laugh water')",
    (NW, "region descriptions are region names"): "region.region_description is a sentence",
    (
        NW,
        "territory descriptions are place names",
    ): "territories.territory_description is a sentence",
    (TP, "ship instructions come from the spec"): "l_shipinstruct CHAR(25) is two random words",
    (TP, "order priorities come from the spec"): "o_orderpriority CHAR(15) is two random words",
    (TP, "order statuses are F/O/P"): "o_orderstatus CHAR(1) is any capital letter",
    (TP, "return flags are R/A/N"): "l_returnflag CHAR(1) is any capital letter",
    (TP, "line statuses are O/F"): "l_linestatus CHAR(1) is any letter or digit",
    (TP, "containers come from the spec"): "p_container CHAR(10) is random words",
    (TP, "region names come from the spec"): "r_name CHAR(25) is two random words",
    (TP, "clerks are Clerk#nnnnnnnnn"): "o_clerk CHAR(15) is two random words",
    (
        EM,
        "unique department names carry no number suffix",
    ): "dept_name is UNIQUE and the 25-name vocabulary runs out: 'Engineering 27'",
    (
        CM,
        "a customer's name is not its contact's name",
    ): "customerName is built from the contact's first and last name",
    (CM, "customer address line 2 is not line 1"): "addressLine2 repeats addressLine1",
    (CM, "office address line 2 is not line 1"): "addressLine2 repeats addressLine1",
    (CM, "check numbers are codes"): "checkNumber VARCHAR(50) is two random words",
    (CM, "product scales are ratios (1:18)"): "productScale VARCHAR(10) is cut random words",
}
