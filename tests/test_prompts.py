"""The prompt compiler and the reply schema.

Prompts are checked as golden text (sqlacodegen style): each case compiles a prompt for a table
of the CRM example (``examples/crm_models.py``) and compares it with
``tests/golden/prompts/<case>.txt``. After an intended change to the templates or the compiler,
rewrite the golden files and review the diff::

    SYDA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_prompts.py

A changed prompt also changes the requests that cassettes are matched on, so re-record those too.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd
import pytest

from examples.crm_models import MODELS
from syda import load_schema
from syda.plan import Plan, build_plan
from syda.prompts import (
    MAX_TAKEN,
    CompiledPrompt,
    compile_prompt,
    jsonable,
    parent_label,
    prompt_environment,
    to_json,
)
from syda.providers.reply_schema import STRICT_KEYWORDS, reply_schema, reply_schema_name
from syda.schema.ir import Check, Column, Schema, Table
from syda.validation.models import build_row_model

GOLDEN = Path(__file__).parent / "golden" / "prompts"
COLUMNS = "Columns to write, in this order in every row:"
UPDATE = os.environ.get("SYDA_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def crm() -> Schema:
    return load_schema(MODELS)


def make_plan(schema: Schema, custom: Mapping[str, set[str]] | None = None) -> Plan:
    custom = custom or {}

    def find_generator(table: Table, column: str, is_fk: bool) -> Any:
        return (lambda row, col: None) if column in custom.get(table.key, set()) else None

    return build_plan(schema, rows={}, find_generator=find_generator, can_provide=lambda t, c: True)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run with SYDA_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), (
        f"prompt differs from {path}; if intended, rewrite with SYDA_UPDATE_GOLDEN=1"
    )


def full(prompt: CompiledPrompt) -> str:
    """Both prompts, as the model reads them: the shared prefix, then the batch's part."""
    return prompt.system + "\n" + prompt.user


def section(user: str, title: str) -> list[str]:
    """The lines of one section of a prompt, up to the next blank line."""
    lines = user.splitlines()
    start = lines.index(title) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def written_columns(user: str) -> list[str]:
    return [line[2:].split(" (", 1)[0] for line in section(user, COLUMNS)]


# -- golden prompts ---------------------------------------------------------------------------


ORDERS = [
    {
        "id": 1,
        "customer_id": 2,
        "order_date": dt.date(2024, 3, 1),
        "shipped_date": dt.date(2024, 3, 4),
        "status": "Shipped",
        "updated_at": dt.datetime(2024, 3, 4, 10, 5),
    },
    {
        "id": 2,
        "customer_id": 5,
        "order_date": dt.date(2024, 3, 9),
        "shipped_date": None,
        "status": "New",
        "updated_at": None,
    },
]
PRODUCTS = [
    {
        "id": 7,
        "sku": "CRM-PRO",
        "name": "CRM Pro licence",
        "category": "Software",
        "price": Decimal("1200.00"),
        "description": "Annual per-seat licence of the CRM suite with pipeline management, "
        "forecasting, email integration and a mobile app.",
    },
    {
        "id": 9,
        "sku": "SUP-GOLD",
        "name": "Gold support plan",
        "category": "Support",
        "price": Decimal("349.50"),
        "description": None,
    },
]
CUSTOMERS = [
    {
        "id": 2,
        "name": "Nordlicht Logistik GmbH",
        "industry": "Logistics",
        "website": "https://nordlicht-logistik.de",
        "status": "Active",
        "country": "Germany",
        "created_at": dt.date(2023, 5, 17),
    },
    {
        "id": 5,
        "name": "Azur Santé SA",
        "industry": "Healthcare",
        "website": None,
        "status": "Prospect",
        "country": "France",
        "created_at": dt.date(2024, 1, 8),
    },
]


def test_system_prompt_golden(crm: Schema) -> None:
    prompt = compile_prompt(crm.table("Customer"), ["name"], 1)
    check_golden("system", prompt.system)
    # The system prompt is a cacheable prefix: the same for every batch of a table (its size,
    # context, parents and errors are all in the user prompt).
    other = compile_prompt(
        crm.table("Customer"), ["name"], 7, context=[{"id": i} for i in range(7)],
        errors=["row 1: bad"],
    )  # fmt: skip
    assert other.system == prompt.system
    assert other.user != prompt.user
    assert compile_prompt(crm.table("OrderItem"), ["quantity"], 1).system != prompt.system


def test_customer_prompt_golden(crm: Schema) -> None:
    plan = make_plan(crm)
    columns = plan.tables["Customer"].provider_columns
    prompt = compile_prompt(
        crm.table("Customer"),
        columns,
        5,
        user_prompt="  Mid-sized European companies buying B2B software.\n",
    )
    check_golden("customer", full(prompt))


def order_item_prompt(crm: Schema) -> CompiledPrompt:
    plan = make_plan(crm)
    columns = plan.tables["OrderItem"].provider_columns
    context = [
        {"product_id": 7, "line_no": 1, "order_id": 1, "id": 1},
        {"id": 2, "order_id": 1, "line_no": 2, "product_id": 9},
        {"id": 3, "order_id": 2, "line_no": 1, "product_id": 7},
    ]
    return compile_prompt(
        crm.table("OrderItem"),
        columns,
        3,
        context=context,
        parents={
            parent_label(crm.table("OrderItem").foreign_keys[1]): PRODUCTS,
            parent_label(crm.table("OrderItem").foreign_keys[0]): ORDERS,
        },
    )


def test_order_item_prompt_golden(crm: Schema) -> None:
    user = full(order_item_prompt(crm))
    check_golden("order_item", user)
    assert written_columns(user) == ["quantity", "unit_price", "discount_pct"]
    # The long product description is shortened; the parent key stays.
    assert "forecasting,…" in user and "mobile app" not in user
    title = "Parent rows (product_id -> Product), as [id, sku, name, category, price, description]:"
    assert section(user, title)[0].startswith("[7, ")
    # The rows' given values are arrays under one header, without the table's own surrogate key.
    assert section(
        user, "Rows to write, with their given values as [order_id, line_no, product_id]:"
    ) == ["[1, 1, 7]", "[1, 2, 9]", "[2, 1, 7]"]


def test_order_prompt_golden(crm: Schema) -> None:
    plan = make_plan(crm)
    columns = plan.tables["Order"].provider_columns
    prompt = compile_prompt(
        crm.table("Order"),
        columns,
        2,
        context=[{"id": 11, "customer_id": 2}, {"id": 12, "customer_id": 5}],
        parents={"customer_id -> Customer": CUSTOMERS},
    )
    check_golden("order", full(prompt))
    assert "- shipped_date >= order_date (when both are set)" in prompt.system
    assert 'one of ["New", "Processing", "Shipped", "Delivered", "Cancelled"]' in prompt.system


def test_contact_reask_golden(crm: Schema) -> None:
    plan = make_plan(crm)
    columns = plan.tables["Contact"].provider_columns
    used = [f"user{i:02d}@example.com" for i in range(MAX_TAKEN + 12)]
    prompt = compile_prompt(
        crm.table("Contact"),
        columns,
        2,
        user_prompt="Contacts are managers and engineers.",
        context=[{"id": 3, "customer_id": 2}, {"id": 4, "customer_id": 2}],
        parents={"customer_id -> Customer": [CUSTOMERS[0], CUSTOMERS[0]]},
        errors=[
            "row 1: email: 'user03@example.com' is already used",
            "  ",
            "row 2: phone: String should have at most 30 characters",
        ],
        taken={"email": [*used, used[0]]},
    )
    check_golden("contact_reask", full(prompt))
    assert section(prompt.user, "Already used (do not repeat):")[0].endswith(
        '"user49@example.com"] and 12 more'
    )
    title = (
        "Parent rows (customer_id -> Customer), "
        "as [id, name, industry, website, status, country, created_at]:"
    )
    assert len(section(prompt.user, title)) == 1
    assert section(prompt.user, "Your previous answer was rejected:") == [
        "- row 1: email: 'user03@example.com' is already used",
        "- row 2: phone: String should have at most 30 characters",
        "Fix every problem.",
    ]


# -- what the compiler guarantees -------------------------------------------------------------


def test_template_typo_fails_loudly() -> None:
    env = prompt_environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("Table {{ tabel }}").render(table="t")
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ table.nmae }}").render(table={"name": "t"})


def test_json_filter_is_not_html_escaped() -> None:
    text = prompt_environment().from_string("{{ v | json }}").render(v={"a": "<b> & 'c'"})
    assert text == '{"a": "<b> & \'c\'"}'


@pytest.mark.parametrize("key", ["Customer", "Contact", "Product", "Order", "OrderItem"])
def test_keys_and_custom_columns_are_never_written(crm: Schema, key: str) -> None:
    plan = make_plan(crm, custom={"Customer": {"website"}, "Contact": {"email"}})
    tp = plan.tables[key]
    columns = tp.provider_columns
    given = [c for c in tp.table.column_names if c not in columns]
    context = [dict.fromkeys(given, 1) for _ in range(2)]
    user = full(compile_prompt(tp.table, columns, 2, context=context))
    written = written_columns(user)
    assert written == list(columns)
    assert not set(written) & (
        set(tp.table.primary_key) | {c for fk in tp.table.foreign_keys for c in fk.columns}
    )
    assert "website" not in written and "email" not in written


def test_context_must_not_give_columns_to_write(crm: Schema) -> None:
    with pytest.raises(ValueError, match="name"):
        compile_prompt(crm.table("Customer"), ["name"], 1, context=[{"id": 1, "name": "x"}])


@pytest.mark.parametrize(
    ("rows", "context", "columns"),
    [(0, [], ["name"]), (2, [{"id": 1}], ["name"]), (1, [], [])],
)
def test_bad_requests_are_rejected(
    crm: Schema, rows: int, context: list[dict[str, Any]], columns: list[str]
) -> None:
    with pytest.raises(ValueError):
        compile_prompt(crm.table("Customer"), columns, rows, context=context)


def test_unknown_column_is_a_key_error(crm: Schema) -> None:
    with pytest.raises(KeyError):
        compile_prompt(crm.table("Customer"), ["nope"], 1)


def bounded_table() -> Table:
    return Table(
        key="Event",
        name="events",
        columns=(
            Column("id", "integer", nullable=False, unique=True),
            Column(
                "day",
                "date",
                nullable=False,
                minimum=dt.date(2020, 1, 1).toordinal(),
                maximum=dt.date(2020, 12, 31).toordinal(),
            ),
            Column("at", "datetime", minimum=dt.date(2024, 1, 1).toordinal() + 0.5),
            Column("code", "string", nullable=False, length=8, pattern=r"[A-Z]{3}-\d{4}"),
            Column("score", "float", maximum=9.5),
            Column("payload", "json"),
            Column("blob", "binary", length=16),
            Column("ref", "uuid", nullable=False, sql_type="UUID"),
            Column("amount", "decimal", sql_type="MONEY", scale=2),
        ),
        primary_key=("id",),
        checks=(
            Check("day < '2021-01-01'", understood=True),
            Check("score * 2 < length(code)", name="ck_odd", understood=False),
        ),
    )


def test_column_facts_are_rendered() -> None:
    table = bounded_table()
    columns = [c for c in table.column_names if c != "id"]
    user = compile_prompt(table, columns, 1).system
    lines = dict(zip(columns, section(user, COLUMNS), strict=True))
    assert lines["day"] == "- day (date; NOT NULL; 2020-01-01 to 2020-12-31)"
    assert lines["at"] == "- at (datetime; nullable; >= 2024-01-01T12:00:00)"
    assert lines["code"] == (
        r"- code (string; NOT NULL; max 8 chars; full match of regex [A-Z]{3}-\d{4})"
    )
    assert lines["score"] == "- score (float; nullable; <= 9.5)"
    assert lines["payload"] == "- payload (json, as a JSON-encoded string; nullable)"
    assert lines["blob"] == "- blob (binary, as base64; nullable; max 16 bytes)"
    assert lines["ref"] == "- ref (uuid; NOT NULL)"
    assert lines["amount"] == "- amount (decimal MONEY; nullable; max 2 digits after the point)"


def test_checks_not_understood_are_stated() -> None:
    table = bounded_table()
    user = compile_prompt(table, ["score"], 1).system
    assert section(user, "Table rules:") == ["- CHECK (score * 2 < length(code))"]
    assert "2021-01-01" not in user  # understood checks are already column facts


def test_multi_column_unique_sets_are_stated(crm: Schema) -> None:
    table = crm.table("OrderItem")
    assert "unique together" not in full(compile_prompt(table, ["quantity"], 1))
    user = compile_prompt(table, ["line_no", "quantity"], 1).system
    assert section(user, "Table rules:") == ["- (order_id, line_no) unique together"]


def test_output_does_not_depend_on_mapping_order(crm: Schema) -> None:
    table = crm.table("OrderItem")
    one = order_item_prompt(crm)
    reordered = compile_prompt(
        table,
        ["quantity", "unit_price", "discount_pct"],
        3,
        context=[
            {"id": 1, "order_id": 1, "line_no": 1, "product_id": 7},
            {"product_id": 9, "line_no": 2, "order_id": 1, "id": 2},
            {"line_no": 1, "id": 3, "product_id": 7, "order_id": 2},
        ],
        parents={"order_id -> Order": ORDERS, "product_id -> Product": PRODUCTS},
    )
    assert one == reordered


def test_values_become_plain_json() -> None:
    values = {
        "int": np.int64(3),
        "nan": np.float64("nan"),
        "na": pd.NA,
        "nat": pd.NaT,
        "ts": pd.Timestamp("2024-01-02 03:04:05"),
        "np_dt": np.datetime64("2024-01-02"),
        "dec": Decimal("12.50"),
        "whole": Decimal("7.00"),
        "uuid": uuid.UUID(int=1),
        "bytes": b"hi",
        "set": {"b", "a"},
        "arr": np.array([1, 2]),
        "bool": np.bool_(True),
        "time": dt.time(9, 30),
        "inf": float("inf"),
    }
    assert jsonable(values) == {
        "int": 3,
        "nan": None,
        "na": None,
        "nat": None,
        "ts": "2024-01-02T03:04:05",
        "np_dt": "2024-01-02T00:00:00",
        "dec": 12.5,
        "whole": 7,
        "uuid": "00000000-0000-0000-0000-000000000001",
        "bytes": "aGk=",
        "set": ["a", "b"],
        "arr": [1, 2],
        "bool": True,
        "time": "09:30:00",
        "inf": None,
    }
    assert to_json({"name": "Zoë"}) == '{"name": "Zoë"}'


# -- the reply schema -------------------------------------------------------------------------


def walk(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema object inside ``schema`` (property names are not keywords)."""
    if isinstance(schema, dict):
        yield schema
        for keyword, value in schema.items():
            if keyword == "properties":
                for sub in value.values():
                    yield from walk(sub)
            elif keyword in ("items",):
                yield from walk(value)
            elif keyword == "anyOf":
                for sub in value:
                    yield from walk(sub)


def all_column_sets(schema: Schema) -> Iterator[tuple[Table, tuple[str, ...]]]:
    plan = make_plan(schema)
    for table in schema:
        yield table, plan.tables[table.key].provider_columns
        yield table, table.column_names


def test_reply_schema_is_strict_mode_safe(crm: Schema) -> None:
    for table, columns in [*all_column_sets(crm), (bounded_table(), ("code", "payload"))]:
        schema = reply_schema(table, columns)
        assert schema["required"] == ["rows"]
        assert schema["additionalProperties"] is False
        row = schema["properties"]["rows"]["items"]
        assert list(row["properties"]) == list(columns)
        assert row["required"] == list(columns)
        assert row["additionalProperties"] is False
        for node in walk(schema):
            assert set(node) <= STRICT_KEYWORDS, (table.key, node)
            if node.get("type") == "object":
                assert node["additionalProperties"] is False
                assert node["required"] == list(node["properties"])
            assert "type" in node or "anyOf" in node


def test_reply_schema_agrees_with_the_row_model(crm: Schema) -> None:
    for table, columns in all_column_sets(crm):
        model_schema = build_row_model(table, columns).model_json_schema(by_alias=True)
        row = reply_schema(table, columns)["properties"]["rows"]["items"]
        assert list(row["properties"]) == list(model_schema["properties"])
        assert row["required"] == model_schema["required"]


def test_reply_schema_column_types(crm: Schema) -> None:
    order = reply_schema(crm.table("Order"), crm.table("Order").column_names)
    props = order["properties"]["rows"]["items"]["properties"]
    assert props["id"] == {"type": "integer"}
    assert props["status"] == {
        "type": "string",
        "enum": ["New", "Processing", "Shipped", "Delivered", "Cancelled"],
        "description": "Order status.",
    }
    assert props["shipped_date"] == {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
        "description": "Date when the order left the warehouse.",
    }
    assert props["updated_at"]["anyOf"][0] == {"type": "string"}
    assert "without time zone" in props["updated_at"]["description"]
    item = reply_schema(crm.table("OrderItem"), ["quantity", "discount_pct"])
    props = item["properties"]["rows"]["items"]["properties"]
    assert props["quantity"] == {
        "type": "integer",
        "minimum": 1,
        "description": "Quantity of product ordered.",
    }
    assert props["discount_pct"]["type"] == "number"
    assert (props["discount_pct"]["minimum"], props["discount_pct"]["maximum"]) == (0, 50)


def test_reply_schema_special_kinds() -> None:
    table = bounded_table()
    props = reply_schema(table, [c for c in table.column_names if c != "id"])["properties"]
    props = props["rows"]["items"]["properties"]
    assert props["code"] == {"type": "string", "pattern": r"^(?:[A-Z]{3}-\d{4})$"}
    assert props["payload"]["anyOf"][0] == {"type": "string"}
    assert "JSON-encoded" in props["payload"]["description"]
    assert "Base64" in props["blob"]["description"]
    assert props["ref"] == {"type": "string", "format": "uuid"}
    assert props["day"] == {"type": "string", "format": "date"}  # bounds live in the prompt


def test_reply_schema_leaves_unportable_patterns_to_the_prompt() -> None:
    table = Table(
        key="T",
        name="t",
        columns=(Column("code", "string", nullable=False, pattern=r"(?P<a>x)\1"),),
    )
    assert reply_schema(table, ["code"])["properties"]["rows"]["items"]["properties"] == {
        "code": {"type": "string"}
    }
    assert r"full match of regex (?P<a>x)\1" in compile_prompt(table, ["code"], 1).system


def test_reply_schema_rejects_bad_columns(crm: Schema) -> None:
    with pytest.raises(KeyError):
        reply_schema(crm.table("Customer"), ["nope"])
    with pytest.raises(ValueError):
        reply_schema(crm.table("Customer"), [])
    with pytest.raises(ValueError):
        reply_schema(crm.table("Customer"), ["name", "name"])


def test_reply_schema_name() -> None:
    assert reply_schema_name(Table(key="sales.Order Item", name="x", columns=())) == (
        "sales_Order_Item"
    )
    assert reply_schema_name(Table(key="ü", name="x", columns=())) == "rows"
