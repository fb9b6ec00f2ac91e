"""Inference that reads a column in its table: prefixes, siblings, the table's meaning (issue 9).

Star schemas prefix every column with the table's initials (TPC-DS's ``ca_street_number``), a
``name`` beside an ``email`` is whom the address reaches, an image table's ``file`` is a photo,
and a ``categories`` table that a gallery's images point at (by key names, where there are no
foreign keys) lists albums. Each is checked on the inferred kind and on the generated rows.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest

from syda import SyntheticDataGenerator
from syda.generators.infer import infer_semantic
from syda.generators.infer_words import core_tokens, table_prefix
from syda.schema.ir import Column, ColumnKind, Table


def _table(name: str, *columns: tuple[str, ColumnKind] | Column) -> Table:
    cols = tuple(c if isinstance(c, Column) else Column(c[0], c[1]) for c in columns)
    return Table(key=name, name=name, columns=cols)


def _kind(table: Table, column: str) -> str:
    return infer_semantic(table.column(column), table)


ADDRESS = _table(
    "customer_address",
    ("ca_address_sk", "integer"),
    Column("ca_street_number", "string", length=10),
    ("ca_street_name", "string"),
    ("ca_city", "string"),
    Column("ca_state", "string", length=2),
)


def test_a_star_schema_prefix_is_read_off_the_name() -> None:
    assert table_prefix(ADDRESS) == "ca"
    assert core_tokens("ca_street_number", ADDRESS) == ["street", "number"]
    assert _kind(ADDRESS, "ca_street_number") == "street_number"
    assert _kind(ADDRESS, "ca_city") == "city"


def test_no_prefix_where_the_columns_do_not_share_one() -> None:
    users = _table("users", ("id", "integer"), ("first_name", "string"), ("last_login", "date"))
    assert table_prefix(users) is None
    assert core_tokens("first_name", users) == ["first", "name"]


def test_a_published_prefixed_name_keeps_its_own_vocabulary() -> None:
    lineitem = _table(
        "lineitem", ("l_orderkey", "integer"), ("l_shipinstruct", "string"), ("l_tax", "decimal")
    )
    assert _kind(lineitem, "l_shipinstruct") == "named_vocabulary"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("mail_address", "email"),
        ("reply-to", "email"),
        ("bcc", "email"),
        ("mail_host", "domain"),
        ("smtp_host", "domain"),
        ("url_name", "slug"),
        ("run_id", "short_id"),
    ],
)
def test_mail_host_and_id_names(name: str, expected: str) -> None:
    assert _kind(_table("things", ("id", "integer"), (name, "string")), name) == expected


def test_a_name_beside_an_email_is_a_person() -> None:
    identities = _table("identities", ("name", "string"), ("email", "string"))
    assert _kind(identities, "name") == "full_name"
    vendors = _table("vendors", ("name", "string"), ("email", "string"))
    assert _kind(vendors, "name") == "company"
    widgets = _table("widgets", ("name", "string"), ("colour_code", "string"))
    assert _kind(widgets, "name") != "full_name"


def test_an_image_table_s_file_and_name_are_a_photo_s() -> None:
    images = _table("piwigo_images", ("file", "string"), ("name", "string"))
    assert _kind(images, "file") == "image_file"
    assert _kind(images, "name") == "photo_title"
    attachments = _table("attachments", ("file", "string"), ("name", "string"))
    assert _kind(attachments, "file") == "file_name"


GALLERY: dict[str, Any] = {
    "piwigo_categories": {
        "id": "integer",
        "name": "varchar(255)",
        "comment": "text",
        "dir": "varchar(255)",
        "rank": "integer",
        "uppercats": "varchar(255)",
    },
    "piwigo_images": {
        "id": "integer",
        "file": "varchar(255)",
        "name": {"type": "varchar(255)", "nullable": True},
        "author": "varchar(255)",
    },
    "piwigo_image_category": {"image_id": "integer", "category_id": "integer"},
    "piwigo_tags": {"id": "integer", "name": "varchar(255)", "url_name": "varchar(255)"},
}


@pytest.fixture(scope="module")
def gallery() -> dict[str, pd.DataFrame]:
    return SyntheticDataGenerator(seed=4).generate_related_data(GALLERY, default_sample_size=60)


def test_a_gallery_s_categories_are_albums(gallery: dict[str, pd.DataFrame]) -> None:
    profile = SyntheticDataGenerator().profile(GALLERY)
    assert profile.tables["piwigo_categories"].columns["name"].semantic == "photo_category"
    albums = set(gallery["piwigo_categories"]["name"])
    assert albums & {"Holidays", "Family", "Travel", "Landscapes", "Weddings", "Pets"}
    assert not albums & {"Electronics", "Toys & Games", "Clothing", "Grocery"}


def test_photo_files_titles_and_tag_slugs(gallery: dict[str, pd.DataFrame]) -> None:
    images = gallery["piwigo_images"]
    assert images["file"].str.fullmatch(r"[\w-]+\.(jpg|JPG|png)").all()
    stamps = images["file"].str.extract(r"^\d{8}_(\d\d)(\d\d)(\d\d)\.jpg$").dropna().astype(int)
    assert (stamps[0] < 24).all() and (stamps[1] < 60).all() and (stamps[2] < 60).all()
    assert images["name"].dropna().map(lambda t: 1 <= len(t.split()) <= 5).all()
    tags = gallery["piwigo_tags"]
    slugs = tags["name"].str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    assert (tags["url_name"] == slugs).all()


def test_wide_char_ids_are_uuids_and_narrow_ones_codes() -> None:
    schema = {
        "executions": {
            "namespace_id": {"type": "char(64)", "primary_key": True},
            "run_id": {"type": "char(64)", "primary_key": True},
            "workflow_id": "varchar(255)",
            "short_ref_id": "char(8)",
        }
    }
    rows = SyntheticDataGenerator(seed=2).generate_data(schema, sample_size=40)
    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
    assert rows["run_id"].str.fullmatch(uuid).all()
    assert rows["namespace_id"].str.fullmatch(uuid).all()
    assert rows["short_ref_id"].str.fullmatch(r"[a-z0-9]{8}").all()


def test_a_mail_address_beside_a_city_is_postal() -> None:
    address = _table(
        "address", ("mail_address", "string"), ("mail_city", "string"), ("mail_zipcode", "string")
    )
    assert _kind(address, "mail_address") == "street_address"
    assert _kind(address, "mail_zipcode") != "email"


def test_a_name_beside_a_sender_address_is_no_person() -> None:
    campaigns = _table("campaigns", ("name", "string"), ("from_email", "string"))
    assert _kind(campaigns, "name") != "full_name"
    flags = _table("instance", ("active_host_checks_enabled", "string"))
    assert _kind(flags, "active_host_checks_enabled") != "domain"


def test_a_path_beside_a_file_is_that_file_s() -> None:
    paths = _table("piwigo_images", ("file", "string"), ("path", "string"), ("line", "string"))
    assert _kind(paths, "path") == "file_path"  # a VARCHAR path is no geometric path
    assert _kind(paths, "line") != "line"
    schema = {"photos": {"id": "integer", "file": "varchar(255)", "path": "varchar(255)"}}
    rows = SyntheticDataGenerator(seed=8).generate_data(schema, sample_size=30)
    assert all(p.endswith("/" + f) for p, f in zip(rows["path"], rows["file"], strict=True))
