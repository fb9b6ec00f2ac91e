"""CHECK constraint text becomes column facts, comparisons, or a check kept as not understood."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from syda.errors import SchemaError
from syda.schema import Column, ColumnComparison, from_dict, load_schema, parse_check

COLUMNS = (
    Column("qty", "integer"),
    Column("price", "decimal", precision=10, scale=2),
    Column("weight", "float"),
    Column("ratio", "decimal"),
    Column("status", "string"),
    Column("name", "text"),
    Column("code", "string"),
    Column("start_date", "date"),
    Column("end_date", "date"),
    Column("created_at", "datetime"),
    Column("active", "boolean"),
)


def facts(sqltext: str) -> dict[str, dict[str, Any]]:
    """The facts of a check that must be fully understood, as plain dicts without defaults."""
    parsed = parse_check(sqltext, COLUMNS)
    assert parsed.check.understood, sqltext
    return {
        name: {k: v for k, v in vars(f).items() if v is not None and v is not False}
        for name, f in parsed.columns.items()
    }


@pytest.mark.parametrize(
    ("sqltext", "expected"),
    [
        ("status IN ('a', 'b', 'c')", {"status": {"choices": ("a", "b", "c")}}),
        ("status in ('it''s', 'b')", {"status": {"choices": ("it's", "b")}}),
        ("qty IN (1, 2, 3)", {"qty": {"choices": (1, 2, 3)}}),
        ("price IN (1.50, 2)", {"price": {"choices": (Decimal("1.50"), Decimal("2"))}}),
        ("code IN (1, 2)", {"code": {"choices": ("1", "2")}}),
        ("status = 'open'", {"status": {"choices": ("open",)}}),
        ("qty >= 0", {"qty": {"minimum": 0}}),
        ("qty > 0", {"qty": {"minimum": 1}}),
        ("qty > 0.5", {"qty": {"minimum": 1}}),
        ("qty <= 100", {"qty": {"maximum": 100}}),
        ("qty < 100", {"qty": {"maximum": 99}}),
        ("0 <= qty", {"qty": {"minimum": 0}}),
        ("100 > qty", {"qty": {"maximum": 99}}),
        ("qty >= -5", {"qty": {"minimum": -5}}),
        ("qty BETWEEN 1 AND 5", {"qty": {"minimum": 1, "maximum": 5}}),
        ("price > 0", {"price": {"minimum": 0.01}}),
        ("price < 10", {"price": {"maximum": 9.99}}),
        ("weight >= 0.5", {"weight": {"minimum": 0.5}}),
        ("start_date >= '2000-01-01'", {"start_date": {"minimum": date(2000, 1, 1).toordinal()}}),
        (
            "start_date > DATE '2000-01-01'",
            {"start_date": {"minimum": date(2000, 1, 2).toordinal()}},
        ),
        (
            "start_date <= '2000-01-31'::date",
            {"start_date": {"maximum": date(2000, 1, 31).toordinal()}},
        ),
        (
            "created_at >= '2020-01-01 12:00:00'",
            {"created_at": {"minimum": date(2020, 1, 1).toordinal() + 0.5}},
        ),
        ("code IS NOT NULL", {"code": {"not_null": True}}),
        ("length(code) <= 10", {"code": {"length": 10}}),
        ("char_length(name) < 200", {"name": {"length": 199}}),
        ("code LIKE 'AB_%'", {"code": {"pattern": "AB..*"}}),
        ("code ~ '^[A-Z]{3}$'", {"code": {"pattern": "[A-Z]{3}"}}),
        ("active IN (0, 1)", {"active": {}}),
        # several parts, parentheses and each dialect's identifier quoting
        (
            '("qty" >= 1) AND (qty <= 9) AND "status" IN (\'x\')',
            {"qty": {"minimum": 1, "maximum": 9}, "status": {"choices": ("x",)}},
        ),
        ("(`qty` >= 1) AND (`qty` <= 9)", {"qty": {"minimum": 1, "maximum": 9}}),
        (
            "([qty] >= 1) AND [status] IN ('x')",
            {"qty": {"minimum": 1}, "status": {"choices": ("x",)}},
        ),
        ("status IN ('a', 'b') AND status IN ('b', 'c')", {"status": {"choices": ("b",)}}),
        ("qty >= 1 AND qty >= 3 AND qty <= 8 AND qty < 10", {"qty": {"minimum": 3, "maximum": 8}}),
    ],
)
def test_simple_checks_become_column_facts(sqltext: str, expected: dict[str, Any]) -> None:
    assert facts(sqltext) == {col: {k: v for k, v in f.items()} for col, f in expected.items()}


def test_strict_bound_on_a_float_is_the_next_representable_value() -> None:
    (fact,) = parse_check("weight > 0", COLUMNS).columns.values()
    assert fact.minimum == math.nextafter(0.0, 1.0)
    (fact,) = parse_check("ratio < 1", COLUMNS).columns.values()
    assert fact.maximum == math.nextafter(1.0, 0.0)


@pytest.mark.parametrize(
    ("sqltext", "expected"),
    [
        ("((price >= (0)::numeric))", {"price": {"minimum": 0}}),
        ("price >= 0::numeric", {"price": {"minimum": 0}}),
        (
            "((status)::text = ANY ((ARRAY['a'::character varying, "
            "'b'::character varying])::text[]))",
            {"status": {"choices": ("a", "b")}},
        ),
        (
            "((status)::text = ANY (ARRAY[('a'::character varying)::text, "
            "('b'::character varying)::text]))",
            {"status": {"choices": ("a", "b")}},
        ),
        ("(qty = ANY (ARRAY[1, 2, 3]))", {"qty": {"choices": (1, 2, 3)}}),
        ("((qty >= 1) AND (qty <= 5))", {"qty": {"minimum": 1, "maximum": 5}}),
        ("((start_date >= '2000-01-01'::date))", {"start_date": {"minimum": 730120}}),
        ("((length((code)::text) <= 50))", {"code": {"length": 50}}),
        ("((code)::text ~~ 'ABC%'::text)", {"code": {"pattern": "ABC.*"}}),
        ("((code)::text ~ '^[0-9]+$'::text)", {"code": {"pattern": "[0-9]+"}}),
        ("CAST(qty AS INTEGER) >= 2", {"qty": {"minimum": 2}}),
        # SQLite's GLOB is an anchored, case-sensitive pattern
        ("code GLOB '[A-Z][A-Z][0-9]*'", {"code": {"pattern": "[A-Z][A-Z][0-9].*"}}),
        ("code GLOB 'X?[^0-9]'", {"code": {"pattern": "X.[^0-9]"}}),
        # SQLite's == is =
        ("qty == 3", {"qty": {"choices": (3,)}}),
        # MySQL renders string literals with a charset introducer
        ("(`status` in (_utf8mb4'a',_utf8mb4'b'))", {"status": {"choices": ("a", "b")}}),
    ],
)
def test_postgresql_and_mysql_renderings(sqltext: str, expected: dict[str, Any]) -> None:
    assert facts(sqltext) == expected


@pytest.mark.parametrize(
    ("sqltext", "op"),
    [
        ("end_date >= start_date", ">="),
        ("end_date > start_date", ">"),
        ("end_date <= start_date", "<="),
        ("end_date < start_date", "<"),
        ("end_date = start_date", "="),
        ("end_date != start_date", "!="),
        ("end_date <> start_date", "!="),
        ('(("end_date" >= "start_date"))', ">="),
    ],
)
def test_two_columns_become_a_comparison(sqltext: str, op: str) -> None:
    parsed = parse_check(sqltext, COLUMNS)
    assert parsed.check.understood
    assert parsed.comparisons == (ColumnComparison("end_date", op, "start_date"),)  # type: ignore[arg-type]
    assert not parsed.columns


@pytest.mark.parametrize(
    "sqltext",
    [
        "qty > 0 OR qty < -5",
        "NOT (qty = 1)",
        "qty NOT IN (1, 2)",
        "qty NOT BETWEEN 1 AND 2",
        "qty != 3",
        "length(trim(name)) > 0",
        "code ~ '[A-Z]+'",
        "code ~ '^[[:alpha:]]+$'",
        "code ILIKE 'ab%'",
        "code NOT LIKE 'ab%'",
        "code IS NULL",
        "price * qty > 0",
        "missing_column > 1",
        "status >= 5",
        "start_date >= 'not a date'",
        "qty IN (1.5)",
        "this is (not sql",
        "qty > 1 ;",
    ],
)
def test_what_cannot_be_represented_is_kept_not_understood(sqltext: str) -> None:
    parsed = parse_check(sqltext, COLUMNS, name="ck")
    assert parsed.check.sqltext == sqltext
    assert parsed.check.name == "ck"
    assert not parsed.check.understood
    assert not parsed.columns
    assert not parsed.comparisons


@pytest.mark.parametrize(
    ("sqltext", "column", "shortest", "longest"),
    [
        ("char_length(name) > 0", "name", 1, None),
        ("length(code) = 3", "code", 3, 3),
        ("length(code) >= 2 AND length(code) <= 5", "code", 2, 5),
        # A domain's form: NULL passes a CHECK anyway, so the rest says all about the column.
        ("(((code IS NULL) OR (octet_length(code) = 20)))", "code", 20, 20),
    ],
)
def test_a_minimum_length_is_a_hint_and_its_check_stays_evaluated(
    sqltext: str, column: str, shortest: int, longest: int | None
) -> None:
    parsed = parse_check(sqltext, COLUMNS)
    assert not parsed.check.understood
    assert parsed.columns[column].min_length == shortest
    assert parsed.columns[column].length == longest


@pytest.mark.parametrize(
    ("sqltext", "understood", "minimum"),
    [
        ("qty IS NULL OR (qty >= 1 AND qty <= 9)", True, 1),
        ("(qty IS NULL) OR (qty > 0)", True, 1),
        ("qty IS NULL OR price > 1", False, None),  # the rest reads another column
        ("qty IS NULL OR qty > 1 OR qty < -1", False, None),
        ("qty IS NULL OR qty IS NOT NULL", False, None),
    ],
)
def test_a_null_escape_folds_what_follows_it(
    sqltext: str, understood: bool, minimum: float | None
) -> None:
    parsed = parse_check(sqltext, COLUMNS)
    assert parsed.check.understood is understood
    assert (parsed.columns["qty"].minimum if "qty" in parsed.columns else None) == minimum
    assert not ("qty" in parsed.columns and parsed.columns["qty"].not_null)


def test_understood_parts_of_a_conjunction_are_folded_even_if_others_are_not() -> None:
    parsed = parse_check("price * qty > 0 AND qty >= 1 AND length(trim(name)) > 0", COLUMNS)
    assert not parsed.check.understood
    assert parsed.columns["qty"].minimum == 1


def test_trim_rendered_by_postgresql_is_read() -> None:
    parsed = parse_check(
        "length(n) <= 20 AND char_length(TRIM(BOTH FROM n)) > 0", [Column("n", "text")]
    )
    assert parsed.columns["n"].length == 20
    assert not parsed.check.understood


def test_second_different_pattern_is_not_understood() -> None:
    with_pattern = (Column("code", "string", pattern="[A-Z]+"),)
    assert parse_check("code ~ '^[A-Z]+$'", with_pattern).check.understood
    assert not parse_check("code LIKE 'A%'", with_pattern).check.understood


def table_of(spec: dict[str, Any]) -> Any:
    return from_dict({"columns": spec["columns"], "checks": spec["checks"]}).tables[0]


def test_checks_merge_with_column_facts_tightest_wins() -> None:
    table = table_of(
        {
            "columns": {
                "qty": {"type": "integer", "min": 0, "max": 100},
                "status": {"type": "string", "enum": ["a", "b", "c"]},
                "level": {"type": "integer", "enum": [1, 2, 3, 4]},
                "code": "varchar(20)",
            },
            "checks": [
                "qty >= 5",
                "qty BETWEEN 0 AND 50",
                "status IN ('b', 'c', 'd')",
                "level > 1 AND level < 4",
                "length(code) <= 8 AND code IS NOT NULL",
            ],
        }
    )
    assert (table.column("qty").minimum, table.column("qty").maximum) == (5, 50)
    assert table.column("status").choices == ("b", "c")
    assert table.column("level").choices == (2, 3)
    assert table.column("code").length == 8
    assert all(check.understood for check in table.checks)


def test_checks_on_dates_compare_dates() -> None:
    table = table_of(
        {
            "columns": {"start": "date", "stop": "date", "at": "datetime"},
            "checks": ["stop >= start", "start >= '2020-01-01'", "at < '2021-01-01'"],
        }
    )
    assert table.comparisons == (ColumnComparison("stop", ">=", "start"),)
    assert date.fromordinal(int(table.column("start").minimum or 0)) == date(2020, 1, 1)
    upper = table.column("at").maximum or 0
    assert datetime.fromordinal(math.floor(upper)) == datetime(2020, 12, 31)


def test_contradicting_checks_are_schema_errors() -> None:
    with pytest.raises(SchemaError) as caught:
        table_of(
            {
                "columns": {"qty": "integer", "status": "string"},
                "checks": ["qty > 10 AND qty < 5", "status IN ('a') AND status IN ('b')"],
            }
        )
    assert caught.value.problems == (
        "table.qty: minimum 11 is greater than maximum 4",
        "table.status: the list of allowed values is empty",
    )


def test_a_model_check_naming_a_missing_column_or_not_sql_is_refused() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "item",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("qty", sa.Integer),
        sa.CheckConstraint("zz > 3", name="ck_zz"),
        sa.CheckConstraint("qty > 0 ))) DROP TABLE x;--"),
    )
    with pytest.raises(SchemaError) as caught:
        load_schema(metadata)
    message = str(caught.value)
    assert "item: check 'zz > 3' is refused: it names no column of the table: 'zz'" in message
    assert "item: check 'qty > 0 ))) DROP TABLE x;--' is refused: not valid SQL" in message


def test_names_in_a_check_match_the_columns_case_insensitively() -> None:
    schema = from_dict(
        {"t": {"columns": {"Total": "integer"}, "checks": ['"total" >= 0 OR 1 = 1']}}
    )
    assert schema.table("t").checks[0].understood is False
