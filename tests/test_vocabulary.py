"""Vocabularies a person expects with no configuration: formats read from names, lookup tables
with real distinct values, and the table's domain choosing what is sold or who is contacted."""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from syda import SyntheticDataGenerator
from syda.generators import vocab_domains as vocab
from syda.generators.kinds import KINDS
from syda.generators.pools import get_pools
from syda.generators.pools_world import places_abroad
from syda.generators.vocab_lists import language_names
from syda.providers.offline import GENERATORS
from syda.semantics import SEMANTIC_KINDS
from tests.sample_schemas import chinook, northwind, sakila

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
import crm_models

Frames = dict[str, pd.DataFrame]


def one(schema: dict[str, Any], n: int = 300, seed: int = 0) -> pd.DataFrame:
    df = SyntheticDataGenerator(seed=seed).generate_data(schema=schema, sample_size=n)
    assert isinstance(df, pd.DataFrame)
    return df


@functools.cache
def frames(name: str) -> Frames:
    models = {"chinook": chinook.MODELS, "northwind": northwind.MODELS, "sakila": sakila.MODELS}
    sizes = {
        "chinook": {"Genre": 12, "MediaType": 5, "Artist": 40, "Album": 60, "Track": 200},
        "northwind": {"Category": 8, "Supplier": 20, "Product": 77, "Shipper": 3},
        "sakila": {
            "Language": 6,
            "Category": 16,
            "Film": 100,
            "Country": 10,
            "City": 20,
            "Address": 30,
            "Store": 2,
            "Staff": 6,
        },
    }[name]
    return SyntheticDataGenerator(seed=1).generate_related_data(
        models=list(models[name]), sample_sizes=sizes
    )


def test_every_registered_kind_is_a_semantic_type_with_a_generator() -> None:
    for entry in KINDS:
        assert SEMANTIC_KINDS[entry.name] == entry.kind
        assert entry.name in GENERATORS


def test_slugs_are_lowercase_hyphenated_and_made_from_the_title() -> None:
    df = one(
        {"posts": {"title": {"type": "string"}, "slug": {"type": "string", "unique": True}}},
        n=2000,
    )
    assert df["slug"].str.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*").all()
    assert df["slug"].is_unique
    made = df["title"].str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    assert all(slug.startswith(m) for slug, m in zip(df["slug"], made, strict=True))


@pytest.mark.parametrize(
    ("column", "length", "width"),
    [("sha256", 255, 64), ("md5", None, 32), ("checksum", 40, 40), ("token", 64, 64)],
)
def test_hashes_are_hex_of_the_digest_width(column: str, length: int | None, width: int) -> None:
    spec: dict[str, Any] = {"type": "string"} if length is None else {"type": f"varchar({length})"}
    df = one({"t": {column: spec}})
    assert df[column].str.fullmatch(rf"[0-9a-f]{{{width}}}").all()


def test_long_password_columns_hold_bcrypt_hashes() -> None:
    df = one({"users": {"password_hash": {"type": "varchar(255)"}}})
    assert df["password_hash"].str.fullmatch(r"\$2b\$12\$[./A-Za-z0-9]{53}").all()


def test_sakila_password_is_a_sha1_hash() -> None:
    staff = frames("sakila")["Staff"]
    assert staff["password"].dropna().str.fullmatch(r"[0-9a-f]{40}").all()


def _isbn13_ok(value: str) -> bool:
    digits = [int(c) for c in value.replace("-", "")]
    return (
        len(digits) == 13
        and sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0
    )


def _isbn10_ok(value: str) -> bool:
    digits = [10 if c == "X" else int(c) for c in value]
    return len(digits) == 10 and sum((10 - i) * d for i, d in enumerate(digits)) % 11 == 0


def test_isbns_have_valid_check_digits() -> None:
    df = one({"books": {"isbn": {"type": "varchar(17)"}, "isbn10": {"type": "string"}}}, n=500)
    assert df["isbn"].str.fullmatch(r"97[89]-\d-\d{4}-\d{4}-\d").all()
    assert df["isbn"].map(_isbn13_ok).all()
    assert df["isbn10"].map(_isbn10_ok).all()


def test_ibans_pass_the_mod_97_check() -> None:
    df = one({"accounts": {"iban": {"type": "string"}}}, n=500)
    for value in df["iban"]:
        moved = value[4:] + value[:4]
        number = int("".join(str(int(c, 36)) for c in moved))
        assert number % 97 == 1


def test_format_columns_read_from_their_names() -> None:
    df = one(
        {
            "files": {
                "avatar_url": {"type": "string"},
                "file_name": {"type": "string"},
                "mime_type": {"type": "string"},
                "body_html": {"type": "text"},
                "hex_color": {"type": "string"},
                "app_version": {"type": "string"},
                "location": {"type": "string"},
            }
        }
    )
    assert df["avatar_url"].str.fullmatch(r"https://\S+/avatars/[0-9a-f]+\.(jpg|png)").all()
    assert df["file_name"].str.fullmatch(r"[\w\-]+\.[a-z0-9]{2,4}").all()
    extension_mime = {"pdf": "application/pdf", "jpg": "image/jpeg", "csv": "text/csv"}
    ext = df["file_name"].str.rsplit(".", n=1).str[-1]
    for key, mime in extension_mime.items():
        assert (df.loc[ext == key, "mime_type"] == mime).all()
    assert df["body_html"].str.fullmatch(r"(<p>[^<>]+</p>)+").all()
    assert df["hex_color"].str.fullmatch(r"#[0-9a-f]{6}").all()
    assert df["app_version"].str.fullmatch(r"\d+\.\d+\.\d+").all()
    assert df["location"].str.fullmatch(r"[^,]+, [A-Z]{2}").all()


def test_settings_keys_are_dotted_and_distinct() -> None:
    df = one({"settings": {"key": {"type": "string"}, "value": {"type": "string"}}}, n=40)
    assert df["key"].str.fullmatch(r"[a-z]+\.[a-z_]+").all()
    assert df["key"].is_unique


def test_northwind_quantity_per_unit_is_a_packaging_phrase_that_fits() -> None:
    products = frames("northwind")["Product"]["quantity_per_unit"].dropna()
    assert products.str.fullmatch(r"\d+ (- \d+ [a-z]+\.? ?[a-z]*\.?|[a-z]+ x \d+ [a-z]+)").all()
    assert (products.str.len() <= 20).all()


def test_chinook_lookup_tables_hold_real_distinct_values() -> None:
    f = frames("chinook")
    genres = f["Genre"]["name"].dropna()
    assert genres.isin(vocab.GENRES[""]).all() and genres.is_unique
    media = f["MediaType"]["name"].dropna()
    assert media.isin(vocab.MEDIA_TYPES).all() and media.is_unique


def test_chinook_artists_albums_and_tracks_read_like_music() -> None:
    f = frames("chinook")
    business = r"\b(?:Synerg|Paradigm|Solution|Knowledge|Interface|Extranet|Database)"
    for table, column in (("Artist", "name"), ("Album", "title"), ("Track", "name")):
        values = f[table][column].dropna()
        assert not values.str.contains(business).any(), (table, values.head().tolist())
        assert values.nunique() > 0.9 * len(values)
    assert not f["Track"]["composer"].dropna().str.contains(r"\b(?:track|song)\b").any()


def test_sakila_languages_and_film_categories() -> None:
    f = frames("sakila")
    languages = f["Language"]["name"].str.strip()
    spoken = language_names()  # six languages are six of the most spoken ones
    assert languages.isin(spoken[: spoken.common]).all() and languages.is_unique
    categories = f["Category"]["name"]
    assert categories.isin(vocab.CATEGORIES["film"]).all() and categories.is_unique


def test_northwind_categories_and_products_are_foods() -> None:
    f = frames("northwind")
    assert f["Category"]["category_name"].isin(vocab.CATEGORIES["food"]).all()
    assert f["Category"]["category_name"].is_unique
    nouns = {n for _, _, ns in vocab.PRODUCT_CATALOGUES["food"] for n in ns}
    assert f["Product"]["product_name"].map(lambda p: any(p.endswith(n) for n in nouns)).all()


def test_values_fit_the_column_without_being_cut() -> None:
    f = frames("northwind")
    cities = f["Supplier"]["city"].dropna()
    assert (cities.str.len() <= 15).all()
    # The pools of seed 1: suppliers keep a country, so they live at home and abroad.
    whole = set(places_abroad(get_pools(("en_US",), 1))[0].city)
    assert cities.isin(whole).all()  # whole city names, none cut to "North Sherribur"
    suppliers = f["Supplier"]
    assert suppliers["contact_title"].dropna().isin(vocab.B2B_ROLES).all()


@functools.cache
def crm() -> Frames:
    return SyntheticDataGenerator(seed=2).generate_related_data(
        models=crm_models.MODELS,
        sample_sizes={"Customer": 30, "Contact": 60, "Product": 60, "Order": 10, "OrderItem": 10},
    )


def test_crm_contacts_have_b2b_buyer_roles() -> None:
    positions = crm()["Contact"]["position"].dropna()
    assert len(positions) > 40
    assert positions.isin(vocab.B2B_ROLES).all()


def test_crm_products_are_software_as_the_docstring_says() -> None:
    products = crm()["Product"]
    assert products["category"].dropna().isin(vocab.CATEGORIES["software"]).all()
    goods = r"\b(?:T-Shirt|Chew Toy|Sofa|Mug|Jacket|Necklace)\b"
    assert not products["name"].str.contains(goods).any()
    assert (
        products["name"]
        .str.contains(
            r"Licence|Subscription|Support|Consulting|Training|"
            r"Workshop|Package|Engagement|Add-on|Upgrade|Plan|"
            r"Certification"
        )
        .all()
    )


def test_unique_company_names_come_without_number_suffixes() -> None:
    df = one(
        {"vendors": {"name": {"type": "string", "unique": True}, "website": {"type": "string"}}},
        n=1500,
    )
    assert df["name"].is_unique
    assert not df["name"].str.contains(r" \d+$").any()
    assert (
        df["website"].str.removeprefix("https://www.").str.split(".").str[0].str.len() > 0
    ).all()


def test_employees_get_titles_of_their_department() -> None:
    df = one({"employees": {"department": {"type": "string", "choices": ["Finance", "Sales"]},
                            "job_title": {"type": "string"}}}, n=400)  # fmt: skip
    for dept in ("Finance", "Sales"):
        assert df.loc[df["department"] == dept, "job_title"].isin(vocab.JOB_TITLES[dept]).all()


def test_domain_of_the_prompt_chooses_the_genres() -> None:
    gen = SyntheticDataGenerator(seed=0)
    schema = {"genres": {"name": {"type": "string"}}}
    df = gen.generate_data(schema=schema, sample_size=10, prompt="Genres of films at a cinema")
    assert isinstance(df, pd.DataFrame)
    assert df["name"].isin(vocab.GENRES["film"]).all()
    assert not re.search(r"Electronics", " ".join(df["name"]))
