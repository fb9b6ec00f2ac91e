"""Rows mode that costs little: compact replies, mixed tables and the fixes made locally.

Through the public API with the contract's test double (``ScriptedClient``): the model answers
one array per row, in the order the prompt lists the columns; the LLM is asked only for the
columns that carry meaning unless ``llm_columns="all"``; and values off by a bound, a length or
an ordering are fixed without a re-ask.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from syda import (
    ConfigurationError,
    FillRequest,
    LLMProvider,
    LLMRequest,
    ModelConfig,
    OfflineProvider,
    SyntheticDataGenerator,
    load_schema,
)
from syda.providers.compact import compact_schema, rows_from_reply
from syda.providers.mechanical import Fix, fix_bounds, fix_order
from syda.providers.mixed import asks_llm
from syda.providers.reply_schema import STRICT_KEYWORDS
from syda.providers.testing import ScriptedClient
from syda.schema.ir import Column, ColumnComparison, Table
from tests.support.standin_wire import _strict_problem

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from crm_models import MODELS

SCHEMA = load_schema(MODELS)
KEY = "test-key-not-a-real-one-0123456789"
SIZES = {"Customer": 6, "Contact": 12, "Product": 5, "Order": 10, "OrderItem": 20}


def arrays(request: LLMRequest, edit: Any = None) -> str:
    """A well-behaved compact reply: the offline provider's values, one array per row."""
    table = SCHEMA.table(request.schema_name)
    rng = np.random.default_rng(zlib.crc32(request.user.encode()))
    values = OfflineProvider(seed=0).fill(
        FillRequest(table=table, columns=request.columns, n=request.rows, rng=rng)
    )
    frame = pd.DataFrame({c: pd.Series(v) for c, v in values.items()}).astype(object)
    rows = frame.where(frame.notna(), None).values.tolist()
    if edit is not None:
        edit(request, rows)
    return json.dumps({"rows": rows}, default=lambda v: v.isoformat())


def generator(responder: Any, **config: Any) -> tuple[SyntheticDataGenerator, ScriptedClient]:
    client = ScriptedClient(responder)
    cfg = ModelConfig(provider="openai", api_key=KEY, **config)
    return SyntheticDataGenerator(
        provider=LLMProvider(cfg, client_factory=lambda _: client)
    ), client


def fields(key: str, request: LLMRequest) -> list[str]:
    return list(request.columns) if request.schema_name == key else []


# -- the compact reply ----------------------------------------------------------------------------
@pytest.mark.parametrize("key", SIZES)
def test_the_compact_schema_is_strict_mode_safe_and_names_the_order(key: str) -> None:
    table = SCHEMA.table(key)
    columns = [c.name for c in table.columns if c.name != "id"]
    schema = compact_schema(table, columns)
    assert _strict_problem(schema, ()) is None

    def keywords(node: Any) -> set[str]:
        if isinstance(node, dict):
            own = set(node) - ({"rows"} if "rows" in node else set())
            return own | {k for v in node.values() for k in keywords(v)}
        if isinstance(node, list):
            return {k for v in node for k in keywords(v)}
        return set()

    assert keywords(schema) <= STRICT_KEYWORDS
    rows = schema["properties"]["rows"]
    assert rows["description"] == f"One array per row: [{', '.join(columns)}]."
    assert rows["items"]["type"] == "array"  # no property name is repeated per row


def test_rows_come_back_by_column_and_a_short_row_says_what_is_wrong() -> None:
    text = '{"rows": [["Acme", 3], ["Globex"], {"name": "Initech", "size": 9}]}'
    assert rows_from_reply(text, ["name", "size"]) == [
        {"name": "Acme", "size": 3},
        "the row has 1 values, 2 expected (name, size)",
        {"name": "Initech", "size": 9},
    ]


def test_a_row_of_the_wrong_length_is_re_asked_with_that_error() -> None:
    def short_first_row(request: LLMRequest, rows: list[list[Any]]) -> None:
        if "rejected" not in request.user:
            rows[0] = rows[0][:-1]

    gen, client = generator(lambda r: arrays(r, short_first_row), llm_columns="all")
    df = gen.generate_data(schema=MODELS[2], sample_size=4)  # Product
    assert isinstance(df, pd.DataFrame) and len(df) == 4
    assert df["sku"].is_unique and df["name"].notna().all()
    reask = next(r for r in client.requests if "rejected" in r.user)
    assert (
        # price: scaled by its category (an inferred scale_by), drawn locally, not asked.
        "- row 1: the row has 3 values, 4 expected (sku, name, category, description)"
        in (reask.user)
    )


# -- mixed tables ---------------------------------------------------------------------------------
def test_the_llm_is_asked_only_for_columns_that_carry_meaning() -> None:
    asked = {t.key: [c.name for c in t.columns if asks_llm(c, t)] for t in SCHEMA if t.key in SIZES}
    assert asked == {
        "Customer": ["name", "industry"],
        "Contact": ["position"],
        "Product": ["name", "category", "description"],
        "Order": [],
        "OrderItem": [],
    }


def test_a_mixed_table_draws_around_what_the_llm_writes() -> None:
    gen, client = generator(arrays)
    results = gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    assert {k: len(v) for k, v in results.items()} == SIZES
    written = {r.schema_name: list(r.columns) for r in client.requests}
    assert written == {
        "Customer": ["name", "industry"],
        "Contact": ["position"],
        "Product": ["name", "category", "description"],
    }
    # The LLM saw the row's drawn values, but no identifier or contact detail.
    contact = next(r for r in client.requests if r.schema_name == "Contact")
    assert "as [customer_id, first_name, last_name]" in contact.user
    assert "@" not in contact.user
    # What the engine drew after the LLM is built from it: a website from the company name.
    customers = results["Customer"]
    first_word = customers["name"].str.split().str[0].str.lower().str.replace(r"\W", "", regex=True)
    sites = customers["website"].fillna("")
    assert sum(w[:4] in site for w, site in zip(first_word, sites, strict=True)) >= 3


def test_llm_columns_all_asks_for_every_value_column() -> None:
    gen, client = generator(arrays, llm_columns="all")
    gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    contact = next(r for r in client.requests if r.schema_name == "Contact")
    assert list(contact.columns) == ["first_name", "last_name", "email", "phone", "position"]


def test_llm_columns_is_checked() -> None:
    with pytest.raises(ConfigurationError, match="llm_columns"):
        ModelConfig(provider="openai", api_key=KEY, llm_columns="some")  # type: ignore[arg-type]


# -- fixed locally --------------------------------------------------------------------------------
def test_a_value_past_its_bound_is_fixed_without_a_re_ask(caplog: pytest.LogCaptureFixture) -> None:
    def too_generous(request: LLMRequest, rows: list[list[Any]]) -> None:
        if request.schema_name == "OrderItem":
            at = list(request.columns).index("discount_pct")
            rows[0][at] = 55

    gen, client = generator(lambda r: arrays(r, too_generous), llm_columns="all")
    with caplog.at_level(logging.INFO, logger="syda"):
        results = gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    items = [r for r in client.requests if r.schema_name == "OrderItem"]
    assert not any("rejected" in r.user for r in items)
    assert results["OrderItem"]["discount_pct"].astype(float).max() <= 50
    assert "OrderItem: fixed locally, not re-asked: row 1: discount_pct 55 -> 50" in caplog.text
    # Reported too, by rule: each OrderItem batch had one value past its bound.
    report = gen.last_report
    assert report is not None
    assert report.tables["OrderItem"].fixed_locally == {"discount_pct at most 50": len(items)}
    assert report.fixed == len(items)
    assert "fixed locally, not re-asked: OrderItem.discount_pct at most 50" in report.summary()


def test_a_mixed_table_reports_what_it_fixed_locally() -> None:
    """The LLM's part of a mixed table is checked (and fixed) before the late columns are drawn."""

    def too_long(request: LLMRequest, rows: list[list[Any]]) -> None:
        if request.schema_name == "Product":
            rows[0][list(request.columns).index("name")] = "Cloud suite " * 20

    gen, client = generator(lambda r: arrays(r, too_long))  # llm_columns="meaning"
    results = gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    products = [r for r in client.requests if r.schema_name == "Product"]
    assert products and not any("rejected" in r.user for r in products)
    assert results["Product"]["name"].str.len().max() <= 100
    report = gen.last_report
    assert report is not None
    assert report.tables["Product"].fixed_locally == {"name at most 100 chars": len(products)}
    # Orders hold no meaning column: no call, nothing fixed.
    assert report.tables["Order"].provider_calls == report.tables["Order"].fixed == 0


def test_mechanical_fixes() -> None:
    table = Table(
        key="Stay",
        name="stays",
        columns=(
            Column("guests", "integer", nullable=False, minimum=1, maximum=8),
            Column("title", "string", nullable=False, length=20),
            Column("check_in", "date", nullable=False),
            Column("check_out", "date", nullable=False),
        ),
        comparisons=(ColumnComparison("check_out", ">=", "check_in"),),
    )
    rows: list[Any] = [
        {"guests": 0, "title": "Sea view cottage with garden", "check_in": "x", "check_out": "y"},
        {"guests": 12.0, "title": "Loft", "check_in": "x", "check_out": "y"},
        "not a row",
    ]
    notes = fix_bounds(table, ["guests", "title"], rows)
    assert rows[0]["guests"] == 1 and rows[1]["guests"] == 8
    assert rows[0]["title"] == "Sea view cottage"  # cut at a word, within 20 characters
    assert len(notes) == 3 and notes[0].note.startswith("row 1: guests 0 -> 1")
    assert [f.rule for f in notes] == [
        "guests at least 1",
        "title at most 20 chars",
        "guests at most 8",
    ]
    typed = {"check_in": dt.date(2024, 5, 9), "check_out": dt.date(2024, 5, 2)}
    assert fix_order(table, ["check_in", "check_out"], typed) == [
        Fix(
            "check_out >= check_in",
            "check_out and check_in swapped (check_out >= check_in)",
        )
    ]
    assert typed == {"check_in": dt.date(2024, 5, 2), "check_out": dt.date(2024, 5, 9)}
    # A rule whose other side the row was given is not the reply's to change.
    given = {"check_in": dt.date(2024, 5, 9), "check_out": dt.date(2024, 5, 2)}
    assert fix_order(table, ["check_out"], given) == []


def test_a_fix_on_a_row_refused_anyway_is_not_counted() -> None:
    """A row fixed locally but refused for another problem is re-asked: no fix is reported."""

    def generous_and_wrong(request: LLMRequest, rows: list[list[Any]]) -> None:
        if request.schema_name == "OrderItem" and "rejected" not in request.user:
            columns = list(request.columns)
            rows[0][columns.index("discount_pct")] = 55
            rows[0][columns.index("quantity")] = "lots"

    gen, client = generator(lambda r: arrays(r, generous_and_wrong), llm_columns="all")
    results = gen.generate_related_data(models=MODELS, sample_sizes=SIZES)
    assert any("rejected" in r.user for r in client.requests if r.schema_name == "OrderItem")
    assert results["OrderItem"]["discount_pct"].astype(float).max() <= 50
    report = gen.last_report
    assert report is not None
    assert report.tables["OrderItem"].fixed_locally == {}
