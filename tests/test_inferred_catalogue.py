"""What is sold and who sells it: prices by category, staff emails, reps by their title."""

from __future__ import annotations

from typing import Any

import pandas as pd

from syda import SyntheticDataGenerator

SHOP: dict[str, Any] = {
    "items": {
        "id": "integer",
        "name": "product_name",
        "category": {"type": "varchar(20)", "enum": ["Furniture", "Books", "Accessories", "Shoes"]},
        "price": "price",
        "description": "text",
    },
}

FIRM: dict[str, Any] = {
    "companies": {"id": "integer", "name": "company", "website": "url"},
    "staff": {
        "id": "integer",
        "company_id": {"references": "companies"},
        "first_name": "first_name",
        "last_name": "last_name",
        "title": {"type": "varchar(40)", "values": ["Account Executive", "Accountant"]},
    },
    "clients": {
        "id": "integer",
        "sales_rep_id": {"references": "staff"},
        "email": "email",
        "first_name": "first_name",
        "last_name": "last_name",
    },
    "contacts": {
        "id": "integer",
        "company_id": {"references": "companies"},
        "first_name": "first_name",
        "last_name": "last_name",
        "email": {"type": "email", "unique": True},
    },
}


def test_a_price_is_scaled_by_its_category_as_its_words_say() -> None:
    gen = SyntheticDataGenerator(seed=3)
    price = gen.profile(SHOP).tables["items"].columns["price"]
    # Shoes: no level named, so no factor (1).
    assert price.scale_by == {"category": {"Furniture": 5.0, "Books": 0.5, "Accessories": 0.4}}
    items = gen.generate_data(schema=SHOP["items"], table_name="items", sample_size=400)
    assert isinstance(items, pd.DataFrame)
    medians = items.groupby("category")["price"].median()
    assert medians["Furniture"] > 2.5 * medians["Shoes"] > 3 * medians["Books"]


def test_a_price_is_scaled_by_its_parents_category_too() -> None:
    shop = {
        "categories": {
            "id": "integer",
            "category_name": {
                "type": "varchar(20)",
                "enum": ["Furniture", "Books"],
                "unique": True,
            },
        },
        "products": {
            "id": "integer",
            "category_id": {"references": "categories"},
            "price": "price",
        },
    }
    gen = SyntheticDataGenerator(seed=3)
    price = gen.profile(shop).tables["products"].columns["price"]
    assert price.scale_by == {"category.category_name": {"Furniture": 5.0, "Books": 0.5}}
    data = gen.generate_related_data(shop, sample_sizes={"categories": 2, "products": 300})
    rows = data["products"].merge(data["categories"], left_on="category_id", right_on="id")
    medians = rows.groupby("category_name")["price"].median()
    assert medians["Furniture"] > 4 * medians["Books"]


def test_a_scale_the_user_writes_replaces_the_inferred_one() -> None:
    mine = {"tables": {"items": {"columns": {"price": {"scale_by": {"category": {"Books": 2}}}}}}}
    price = SyntheticDataGenerator(seed=3).profile(SHOP, profile=mine).tables["items"]
    assert price.columns["price"].scale_by == {"category": {"Books": 2.0}}


def test_products_are_described_by_their_name() -> None:
    gen = SyntheticDataGenerator(seed=3)
    assert gen.profile(SHOP).tables["items"].columns["description"].semantic == (
        "product_description"
    )
    items = gen.generate_data(schema=SHOP["items"], table_name="items", sample_size=40)
    assert isinstance(items, pd.DataFrame)
    rows = items.dropna(subset=["description"])
    assert len(rows) and all(n in d for n, d in zip(rows["name"], rows["description"], strict=True))


def test_a_companys_contacts_write_from_its_domain_and_clients_keep_their_own() -> None:
    gen = SyntheticDataGenerator(seed=5)
    tables = gen.profile(FIRM).tables
    assert tables["contacts"].columns["email"].semantic == "work_email"
    assert tables["clients"].columns["email"].semantic == "email"  # a rep is no employer
    data = gen.generate_related_data(FIRM, sample_sizes={"companies": 6, "contacts": 120})
    contacts = data["contacts"].merge(data["companies"], left_on="company_id", right_on="id")
    hosts = contacts["website"].str.replace(r"^https?://(www\.)?", "", regex=True)
    domains = contacts["email"].str.split("@").str[-1]
    assert (domains == hosts.str.split("/").str[0]).all()
    assert contacts["email"].is_unique
    # One house style per company: jane.doe everywhere, or jdoe everywhere...
    styles = contacts["email"].str.split("@").str[0].str.contains(r"\.", regex=True)
    assert (styles.groupby(contacts["company_id"]).nunique() == 1).all()


def test_a_key_named_for_a_role_points_at_parents_holding_it_else_at_any() -> None:
    gen = SyntheticDataGenerator(seed=5)
    data = gen.generate_related_data(FIRM, sample_sizes={"staff": 30, "clients": 60})
    staff = data["staff"].set_index("id")["title"]
    reps = staff[data["clients"]["sales_rep_id"]]
    assert (reps == "Account Executive").all()  # "account" is a whole word, not an Accountant
    # No staff holds the role: every row stays a valid parent.
    nobody = {**FIRM, "staff": {**FIRM["staff"], "title": {"type": "varchar(40)",
                                                           "values": ["Accountant"]}}}  # fmt: skip
    data = gen.generate_related_data(nobody, sample_sizes={"staff": 30, "clients": 60})
    assert data["clients"]["sales_rep_id"].isin(data["staff"]["id"]).all()
    assert data["clients"]["sales_rep_id"].nunique() > 5
