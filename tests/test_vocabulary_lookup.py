"""Closed vocabularies read from column names, and text columns read as what they hold (issue 9):
TPC-H's spec lists, scale ratios, census regions, short ids, second address lines, ActivityPub
URLs, post and blog titles, language codes, distinct countries, buyer roles and customer firms."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pandas as pd

from syda import SyntheticDataGenerator
from syda.generators import vocab_domains as vocab
from syda.generators.vocab_codes import NAMED_VOCABULARIES

Frames = dict[str, pd.DataFrame]


def one(schema: dict[str, Any], n: int = 300, seed: int = 0) -> pd.DataFrame:
    df = SyntheticDataGenerator(seed=seed).generate_data(schema=schema, sample_size=n)
    assert isinstance(df, pd.DataFrame)
    return df


def test_tpch_columns_take_the_spec_vocabularies() -> None:
    orders = one(
        {
            "orders": {
                "o_orderkey": {"type": "integer", "primary_key": True},
                "o_orderstatus": {"type": "char(1)"},
                "o_orderpriority": {"type": "char(15)"},
                "o_clerk": {"type": "char(15)"},
                "o_comment": {"type": "varchar(79)"},
            }
        }
    )
    assert set(orders["o_orderstatus"]) == {"F", "O", "P"}
    assert set(orders["o_orderpriority"]) == set(NAMED_VOCABULARIES["o_orderpriority"])
    assert orders["o_clerk"].str.fullmatch(r"Clerk#\d{9}").all()
    lines = one({"lineitem": {"l_shipinstruct": "char(25)", "l_returnflag": "char(1)"}})
    assert set(lines["l_shipinstruct"]) <= {"DELIVER IN PERSON", "COLLECT COD", "NONE",
                                           "TAKE BACK RETURN"}  # fmt: skip
    assert set(lines["l_returnflag"]) == {"R", "A", "N"}


def test_model_scales_are_ratios_and_state_regions_are_census_regions() -> None:
    products = one({"products": {"productScale": "varchar(10)", "productName": "varchar(70)"}})
    assert products["productScale"].str.fullmatch(r"1:\d+").all()
    states = one({"us_states": {"state_name": "varchar(100)", "state_region": "varchar(50)"}})
    assert set(states["state_region"]) <= {"South", "West", "Midwest", "Northeast"}


def test_text_ids_are_short_codes_and_actor_columns_are_urls() -> None:
    posts = one({"posts": {"id": {"type": "varchar(16)", "primary_key": True}, "title": "text"}})
    assert posts["id"].str.fullmatch(r"[a-z0-9]{16}").all() and posts["id"].is_unique
    users = one({"users": {"id": {"type": "varchar(36)", "primary_key": True}}})
    assert users["id"].map(lambda v: str(uuid.UUID(v)) == v).all() and users["id"].is_unique
    actors = one({"remoteusers": {"actor_id": "varchar(255)", "inbox": "varchar(255)"}})
    assert actors["actor_id"].str.fullmatch(r"https?://\S+").all()
    assert actors["inbox"].str.fullmatch(r"https?://\S+").all()


def test_posts_and_blogs_get_titles_not_catch_phrases() -> None:
    posts = one({"posts": {"title": "varchar(255)", "slug": "varchar(255)"}}, n=2000)
    blogs = one({"collections": {"alias": "varchar(100)", "title": "varchar(255)"}}, n=2000)
    for titles in (posts["title"], blogs["title"]):
        # every title comes from a template: one of a few dozen words per slot, no buzzwords
        assert not titles.str.contains(r"\.\s|\.$").any()
        assert titles.str.split().str.len().max() <= 8
    assert blogs["alias"].str.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*").all()
    assert any(t.startswith(("Notes on", "A Beginner's Guide")) for t in posts["title"])


def test_second_address_lines_are_units_and_mostly_empty() -> None:
    n = 10_000
    df = one(
        {
            "customers": {
                "addressLine1": "varchar(50)",
                "addressLine2": {"type": "varchar(50)", "nullable": True},
                "city": "varchar(50)",
            }
        },
        n=n,
    )
    line2 = df["addressLine2"].dropna()
    assert line2.str.fullmatch(r"(Suite \d+00|Apt\. \d+B|Unit \d+|Floor \d+|Building \d+|"
                               r"Room \d+)").all()  # fmt: skip
    # 70% are left empty, and the engine's own nulls of a nullable column come on top:
    # at least 70% (less three standard deviations of a proportion over n rows), below 80%
    tolerance = 3 * (0.7 * 0.3 / n) ** 0.5
    assert 0.7 - tolerance < df["addressLine2"].isna().mean() < 0.8
    assert not (df["addressLine1"] == df["addressLine2"]).any()


def test_language_is_a_code_outside_a_language_table() -> None:
    posts = one({"posts": {"language": "text", "title": "text"}})
    assert posts["language"].str.fullmatch(r"[a-z]{2}").all()
    languages = one({"language": {"name": "varchar(20)"}}, n=10)
    assert not languages["name"].str.fullmatch(r"[a-z]{2}").any()


def test_a_country_table_lists_each_country_once() -> None:
    df = one({"country": {"country": "varchar(50)"}}, n=200)
    assert df["country"].is_unique


def test_customer_contacts_are_buyers_and_a_customer_beside_its_contact_is_a_company() -> None:
    df = one(
        {
            "customers": {
                "customerName": "varchar(50)",
                "contactLastName": "varchar(50)",
                "contactFirstName": "varchar(50)",
                "contact_title": "varchar(30)",
            }
        },
        n=500,
    )
    names = df["contactFirstName"] + " " + df["contactLastName"]
    assert not (df["customerName"] == names).any()
    firm = re.compile(r".*\b(Inc|LLC|Ltd|Group|PLC|and|Sons|Co)\b.*|.*[-,].*")
    assert df["customerName"].str.fullmatch(firm).mean() > 0.5
    # a contact at a customer is someone a vendor deals with, not any occupation
    assert df["contact_title"].isin(vocab.B2B_ROLES).all()
