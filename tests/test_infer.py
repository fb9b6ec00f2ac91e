"""Semantic inference from column names, comments, types and tables."""

from __future__ import annotations

import pytest

from syda.generators.infer import comment_choices, infer_semantic, name_tokens
from syda.schema.ir import Column, ColumnKind, Table
from syda.semantics import SEMANTIC_KINDS


def infer(
    name: str,
    kind: ColumnKind = "string",
    *,
    table: str = "things",
    comment: str | None = None,
    semantic: str | None = None,
    siblings: tuple[Column, ...] = (),
    description: str | None = None,
) -> str:
    column = Column(name, kind, comment=comment, semantic=semantic)
    t = Table(key=table, name=table, columns=(column, *siblings), description=description)
    return infer_semantic(column, t)


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("first_name", ["first", "name"]),
        ("FirstName", ["first", "name"]),
        ("emailAddress", ["email", "address"]),
        ("HTTPStatusCode", ["http", "status", "code"]),
        ("zip-code", ["zip", "code"]),
    ],
)
def test_name_tokens(name: str, tokens: list[str]) -> None:
    assert name_tokens(name) == tokens


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("first_name", "string", "first_name"),
        ("FirstName", "string", "first_name"),
        ("fname", "string", "first_name"),
        ("surname", "string", "last_name"),
        ("email_address", "string", "email"),
        ("contact_email", "string", "email"),
        ("phone_number", "string", "phone"),
        ("mobile", "string", "phone"),
        ("zip", "string", "postal_code"),
        ("postcode", "string", "postal_code"),
        ("created_at", "datetime", "created_at"),
        ("updated_at", "datetime", "updated_at"),
        ("dob", "date", "birth_date"),
        ("unit_price", "decimal", "price"),
        ("qty", "integer", "quantity"),
        ("is_active", "boolean", "boolean"),
        ("has_children", "boolean", "boolean"),
        ("is_verified", "integer", "boolean"),
        ("product_code", "string", "code"),
        ("country_code", "string", "country_code"),
        ("sku", "string", "sku"),
        ("url", "string", "url"),
        ("website", "string", "url"),
        ("company_website", "string", "url"),
        ("company_name", "string", "company"),
        ("city", "string", "city"),
        ("billing_city", "string", "city"),
        ("country", "string", "country"),
        ("lat", "float", "latitude"),
        ("lng", "float", "longitude"),
        ("icd10_code", "string", "icd10_code"),
        ("diagnosis_code", "string", "icd10_code"),
        ("order_status", "string", "status"),
        ("customer_type", "string", "category"),
        ("discount_percent", "float", "discount"),
        ("humidity_pct", "float", "percentage"),
        ("battery_percent", "integer", "percentage"),
        ("interest_rate", "float", "rate"),
        ("rating", "integer", "rating"),
        ("user_name", "string", "username"),
        ("notes", "text", "description"),
        ("uuid", "uuid", "uuid"),
        ("external_ref", "uuid", "uuid"),
        ("order_date", "date", "date"),
        ("last_login", "datetime", "datetime"),
        ("whatever", "integer", "integer"),
        ("whatever", "string", "string"),
        ("payload", "json", "json"),
        ("blob", "binary", "binary"),
    ],
)
def test_names(name: str, kind: ColumnKind, expected: str) -> None:
    assert infer(name, kind) == expected


def test_semantic_hint_wins_over_the_name() -> None:
    assert infer("first_name", semantic="icd10_code") == "icd10_code"


def test_semantic_hint_of_the_wrong_kind_is_ignored() -> None:
    assert infer("email", "integer", semantic="email") == "integer"


def test_a_semantic_that_does_not_fit_the_kind_falls_back() -> None:
    assert infer("status", "integer", table="orders") == "integer"


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("products", "product_name"),
        ("employees", "full_name"),
        ("users", "full_name"),
        ("contacts", "full_name"),
        ("company_contacts", "full_name"),
        ("departments", "department"),
        ("categories", "category"),
        ("companies", "company"),
        ("vendors", "company"),
        ("projects", "title"),
    ],
)
def test_plain_name_depends_on_the_table(table: str, expected: str) -> None:
    assert infer("name", table=table) == expected


def test_comment_decides_an_ambiguous_name() -> None:
    assert infer("name", table="customers", comment="Customer organization name") == "company"
    assert infer("name", table="things", comment="Official department name") == "department"


def test_customer_table_with_a_website_holds_companies() -> None:
    siblings = (Column("website", "string"),)
    assert infer("name", table="customers", siblings=siblings) == "company"
    assert infer("name", table="customers") == "full_name"
    described = infer("name", table="customers", description="B2B client organizations")
    assert described == "company"


def test_title_in_a_people_or_jobs_context_is_a_job_title() -> None:
    assert infer("title", table="employees") == "job_title"
    assert infer("title", table="jobs") == "job_title"
    assert infer("title", table="articles") == "post_title"  # an article's, not a job's
    assert infer("title", table="meetings") == "title"


def test_status_and_code_use_the_table() -> None:
    assert infer("status", table="orders") == "status"
    assert infer("code", table="customers") == "code"


def test_comment_phrases() -> None:
    assert infer("contact", comment="The customer's e-mail") == "email"
    assert infer("x", "date", comment="Date of birth") == "birth_date"
    assert infer("x", comment="ICD-10 diagnosis") == "icd10_code"


def test_every_inferred_name_is_in_the_vocabulary() -> None:
    kinds: tuple[ColumnKind, ...] = ("string", "text", "integer", "float", "decimal", "date")
    for name in ("name", "title", "x", "status", "email", "created", "amount", "code"):
        for kind in kinds:
            assert infer(name, kind) in SEMANTIC_KINDS


@pytest.mark.parametrize(
    ("comment", "choices"),
    [
        ("Active, Inactive, Prospect", ("Active", "Inactive", "Prospect")),
        (
            "New, Processing, Shipped, Delivered, Cancelled",
            ("New", "Processing", "Shipped", "Delivered", "Cancelled"),
        ),
        ("Status: open, closed, pending", ("open", "closed", "pending")),
        ("One of gold / silver / bronze", ("gold", "silver", "bronze")),
        ("Order status (new|paid|void)", ("new", "paid", "void")),
        ("Low, Medium or High.", ("Low", "Medium", "High")),
        ("Customer name, used for billing", None),
        ("Official department name", None),
        ("Date the item shipped/delivered to the customer", None),
        (None, None),
        ("A, A", None),
    ],
)
def test_comment_choices(comment: str | None, choices: tuple[str, ...] | None) -> None:
    assert comment_choices(comment) == choices


def test_an_address_beside_city_and_postcode_is_the_street_line() -> None:
    columns = (
        Column("address", "string", length=60),
        Column("city", "string"),
        Column("postal_code", "string"),
    )
    with_parts = Table(key="Supplier", name="suppliers", columns=columns)
    alone = Table(key="Shop", name="shops", columns=(Column("address", "string"),))
    assert infer_semantic(columns[0], with_parts) == "street_address"
    assert infer_semantic(alone.columns[0], alone) == "address"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("title_of_courtesy", "name_prefix"),
        ("salutation", "name_prefix"),
        ("extension", "phone_extension"),
        ("ship_name", "company"),
    ],
)
def test_people_details(name: str, expected: str) -> None:
    table = Table(key="Employee", name="employees", columns=(Column(name, "string", length=25),))
    assert infer_semantic(table.columns[0], table) == expected
