"""Row models, row validation and whole-table checks (syda.validation)."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any
from uuid import UUID

import numpy as np
import pandas as pd
import pytest

from syda.errors import GenerationError
from syda.schema.ir import (
    Column,
    ColumnComparison,
    ColumnKind,
    ForeignKey,
    Schema,
    Table,
    UniqueConstraint,
)
from syda.validation import (
    Violation,
    build_row_model,
    check_dataset,
    raise_for_violations,
    validate_frame,
    validate_rows,
)
from syda.validation.fields import column_rules

METHODS = ["pydantic", "vectorized"]
AWKWARD = ("_id", "json", "model_config", "class", "my col", "schema")


def day(value: str) -> float:
    return float(dt.date.fromisoformat(value).toordinal())


def one_column(column: Column, **table: Any) -> Table:
    return Table(key="T", name="t", columns=(column,), **table)


def rules(violations: list[Violation]) -> set[tuple[str | None, str]]:
    return {(v.column, v.rule) for v in violations}


def summary(violations: list[Violation]) -> list[tuple[str | None, str, tuple[int, ...], int]]:
    return [(v.column, v.rule, v.rows, v.count) for v in violations]


# --- the row model ------------------------------------------------------------------------------


def awkward_table() -> Table:
    return Table(
        key="Weird Table",
        name="weird",
        columns=(
            Column("_id", "integer", nullable=False),
            Column("json", "json"),
            Column("model_config", "string", length=5),
            Column("class", "string", choices=("a", "b"), nullable=False),
            Column("my col", "boolean"),
            Column("schema", "date"),
        ),
        primary_key=("_id",),
    )


def test_json_schema_uses_real_column_names_and_forbids_extras() -> None:
    schema = build_row_model(awkward_table()).model_json_schema(by_alias=True)
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == list(AWKWARD)
    # Every key is required (nullable ones as "X or null"), as OpenAI strict outputs want.
    assert schema["required"] == list(AWKWARD)
    assert schema["properties"]["class"]["enum"] == ["a", "b"]
    assert schema["properties"]["model_config"]["anyOf"][0]["maxLength"] == 5


def test_awkward_names_validate_and_dump_under_their_own_names() -> None:
    model = build_row_model(awkward_table())
    row = {
        "_id": 1,
        "json": {"a": [1, None]},
        "model_config": "x",
        "class": "a",
        "my col": True,
        "schema": "2024-02-29",
    }
    dumped = model.model_validate(row).model_dump(by_alias=True)
    assert dumped == {**row, "schema": dt.date(2024, 2, 29)}
    assert all(name.startswith("f_") for name in model.model_fields)


def test_models_are_cached_per_table_and_columns() -> None:
    table = awkward_table()
    assert build_row_model(table) is build_row_model(table)
    subset = build_row_model(table, ["class", "json"])
    assert subset is build_row_model(table, ("class", "json"))
    assert list(subset.model_json_schema(by_alias=True)["properties"]) == ["class", "json"]


def test_unknown_column_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        build_row_model(awkward_table(), ["nope"])


def test_pattern_is_anchored_in_the_json_schema() -> None:
    table = one_column(Column("code", "string", pattern="[A-Z]{3}"))
    prop = build_row_model(table).model_json_schema(by_alias=True)["properties"]["code"]
    assert prop["anyOf"][0]["pattern"] == "^(?:[A-Z]{3})$"


# --- validate_rows --------------------------------------------------------------------------------


def mixed_table() -> Table:
    return Table(
        key="Mixed",
        name="mixed",
        columns=(
            Column("id", "integer", nullable=False),
            Column("price", "decimal", precision=6, scale=2),
            Column("born", "date"),
            Column("seen", "datetime"),
            Column("at", "time"),
            Column("token", "uuid"),
            Column("ratio", "float"),
            Column("blob", "binary", length=4),
        ),
    )


def test_validate_rows_coerces_valid_rows() -> None:
    rows = [
        {
            "id": 3.0,
            "price": 12.5,
            "born": "2000-01-31",
            "seen": "2024-05-01T10:30:00",
            "at": "08:15:00",
            "token": "12345678-1234-5678-1234-567812345678",
            "ratio": 1,
            "blob": b"ab",
        }
    ]
    valid, errors = validate_rows(mixed_table(), rows)
    assert errors == []
    assert valid == [
        {
            "id": 3,
            "price": Decimal("12.5"),
            "born": dt.date(2000, 1, 31),
            "seen": dt.datetime(2024, 5, 1, 10, 30),
            "at": dt.time(8, 15),
            "token": UUID("12345678-1234-5678-1234-567812345678"),
            "ratio": 1.0,
            "blob": b"ab",
        }
    ]
    assert type(valid[0]["id"]) is int


def test_validate_rows_reports_each_problem_and_keeps_the_good_rows() -> None:
    good = {"id": 1, "price": "9.99", "born": None, "seen": None, "at": None, "token": None}
    good |= {"ratio": None, "blob": None}
    rows: list[Any] = [
        good,
        {**good, "id": None, "price": 0.123, "extra": 1},
        {k: v for k, v in good.items() if k != "ratio"},
        "not a row",
        {**good, "id": 2, "born": 730000, "blob": b"12345"},
    ]
    valid, errors = validate_rows(mixed_table(), rows)
    assert [row["id"] for row in valid] == [1]
    found = {(e.index, e.column, e.rule) for e in errors}
    assert found == {
        (1, "id", "not_null"),
        (1, "price", "precision"),
        (1, "extra", "extra"),
        (2, "ratio", "missing"),
        (3, None, "type"),
        (4, "born", "type"),
        (4, "blob", "length"),
    }
    price = next(e for e in errors if e.rule == "precision")
    assert price.value == 0.123 and "decimal places" in price.message
    assert "row 1" in str(price)


@pytest.mark.parametrize(
    ("column", "good", "bad", "rule"),
    [
        (Column("c", "integer"), [1, 2.0, None], [True, 2.5, "3"], "type"),
        (Column("c", "float"), [1, 2.5], [True, "2.5", float("inf")], "type"),
        (Column("c", "boolean"), [True, False], [1, "true"], "type"),
        (Column("c", "string"), ["x", ""], [1, b"x"], "type"),
        (Column("c", "integer", nullable=False), [0], [None], "not_null"),
        (Column("c", "json", nullable=False), [[], {}, 0, "x"], [None], "not_null"),
        (Column("c", "string", length=3), ["abc", "äöü"], ["abcd"], "length"),
        (
            Column("c", "decimal", precision=5, scale=2),
            [12.5, "123.45", 1],
            [0.001, 1234],
            "precision",
        ),
        (Column("c", "integer", choices=(1, 2)), [1, 2.0], [3], "choices"),
        (Column("c", "integer", choices=(1, 2)), [1], [True], "type"),
        (Column("c", "string", choices=("a", "b")), ["a"], ["c", "A"], "choices"),
        (Column("c", "float", choices=(0.5, 1.5)), [0.5], [1.0], "choices"),
        (Column("c", "integer", minimum=0, maximum=10), [0, 10], [-1, 11], "range"),
        (Column("c", "float", minimum=0.5), [0.5], [0.4], "range"),
        (Column("c", "decimal", minimum=1.5), [Decimal("1.5")], [1.49], "range"),
        (Column("c", "string", pattern=r"[a-z]+\d"), ["ab1"], ["ab12", "1ab1", "ab1\n"], "pattern"),
        (Column("c", "string", pattern=r"(?i)ab"), ["AB", "ab"], ["abc"], "pattern"),
        (
            Column("c", "date"),
            ["2020-01-01", dt.datetime(2020, 1, 1)],
            [dt.datetime(2020, 1, 1, 1)],
            "type",
        ),
        (Column("c", "date"), [dt.date(2020, 1, 1)], [1577836800, True], "type"),
        (
            Column("c", "date", minimum=day("2020-01-01"), maximum=day("2020-12-31")),
            ["2020-01-01", "2020-12-31"],
            ["2019-12-31", "2021-01-01"],
            "range",
        ),
        (
            Column("c", "datetime", minimum=day("2020-01-01") + 0.5),
            ["2020-01-01T12:00:00", "2020-01-01T11:00:00-02:00"],
            ["2020-01-01T11:59:59", "2020-01-01T12:00:00+01:00"],
            "range",
        ),
        (Column("c", "uuid"), ["12345678123456781234567812345678"], ["nope", 5], "type"),
    ],
)
def test_each_rule(column: Column, good: list[Any], bad: list[Any], rule: str) -> None:
    table = one_column(column)
    valid, errors = validate_rows(table, [{"c": v} for v in good])
    assert errors == [] and len(valid) == len(good)
    valid, errors = validate_rows(table, [{"c": v} for v in bad])
    assert valid == []
    assert [(e.index, e.rule) for e in errors] == [(i, rule) for i in range(len(bad))]


@pytest.mark.parametrize(
    ("column", "bad", "named"),
    [
        (Column("c", "datetime", minimum=day("2020-01-01") + 0.5), "2020-01-01T11:00", "12:00:00"),
        (Column("c", "datetime", maximum=day("2020-02-01")), "2020-02-01T00:00:01", "2020-02-01"),
        (Column("c", "string", pattern="[A-Z]{2}"), "ab", "[A-Z]{2}"),
        (Column("c", "float", choices=(0.5, 1.5)), 1.0, "0.5, 1.5"),
    ],
)
def test_row_errors_quote_the_rule_they_break(column: Column, bad: Any, named: str) -> None:
    # The message goes back to the LLM when a row is re-asked: it must say what would be right.
    _, errors = validate_rows(one_column(column), [{"c": bad}])
    assert len(errors) == 1 and named in errors[0].message, errors


def test_datetime_bounds_are_inclusive_and_aware_values_compare_in_utc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A local time zone other than UTC, so "in UTC" and "in local time" differ.
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        column = Column("c", "datetime", minimum=day("2020-01-01") + 0.5, maximum=day("2020-02-01"))
        # 20:00 UTC is inside (05:00 the next day in Tokyo is not); 04:00 UTC is outside.
        good = ["2020-01-01T12:00:00", "2020-02-01T00:00:00", "2020-01-31T20:00:00+00:00"]
        bad = ["2020-01-01T04:00:00+00:00", "2020-02-01T09:00:01+09:00", "2020-02-01T00:00:01"]
        valid, errors = validate_rows(one_column(column), [{"c": v} for v in good + bad])
    finally:
        monkeypatch.undo()
        time.tzset()
    assert len(valid) == len(good)
    assert [(e.index, e.rule) for e in errors] == [(3, "range"), (4, "range"), (5, "range")]


@pytest.mark.parametrize(
    ("column", "good", "bad", "enum"),
    [
        (Column("c", "float", choices=(0.5, 1.5)), 1.5, 1.0, [0.5, 1.5]),
        (
            Column("c", "date", choices=("2024-01-01", "2024-02-01")),
            "2024-02-01",
            "2024-01-02",
            ["2024-01-01", "2024-02-01"],
        ),
        (Column("c", "json", choices=({"a": 1}, [1, 2])), [1, 2], {"a": 2}, [{"a": 1}, [1, 2]]),
        (Column("c", "binary", choices=(b"ab", b"cd")), b"cd", b"ef", ["ab", "cd"]),
        (
            Column("c", "datetime", choices=("2024-01-01T10:00:00",)),
            "2024-01-01T10:00:00",
            "2024-01-01T11:00:00",
            ["2024-01-01T10:00:00"],
        ),
    ],
)
def test_choices_of_other_types_than_text_and_integers(
    column: Column, good: Any, bad: Any, enum: list[Any] | None
) -> None:
    table = one_column(column)
    valid, errors = validate_rows(table, [{"c": good}, {"c": bad}])
    assert len(valid) == 1
    assert [(e.index, e.rule) for e in errors] == [(1, "choices")]
    if enum is not None:
        schema = build_row_model(table).model_json_schema(by_alias=True)
        assert enum in [option.get("enum") for option in schema["properties"]["c"]["anyOf"]]


def test_row_model_subset_only_asks_for_those_columns() -> None:
    valid, errors = validate_rows(mixed_table(), [{"ratio": 0.5}], columns=["ratio"])
    assert (valid, errors) == ([{"ratio": 0.5}], [])


def test_numpy_and_pandas_missing_values_are_accepted_as_python_values() -> None:
    table = Table(
        key="T",
        name="t",
        columns=(Column("i", "integer"), Column("f", "float"), Column("s", "string")),
    )
    valid, errors = validate_rows(table, [{"i": np.int64(4), "f": np.nan, "s": pd.NA}])
    assert errors == [] and valid == [{"i": 4, "f": None, "s": None}]


# --- validate_frame: per-value rules, both paths -------------------------------------------------


def dirty_table() -> Table:
    return Table(
        key="Dirty",
        name="dirty",
        columns=(
            Column("id", "integer", nullable=False, minimum=1),
            Column("name", "string", length=5, nullable=False),
            Column("code", "string", pattern="[A-Z]{2}[0-9]"),
            Column("status", "string", choices=("on", "off")),
            Column("score", "float", minimum=0, maximum=1),
            Column("born", "date", minimum=day("2000-01-01")),
            Column("vip", "boolean", nullable=False),
            Column("price", "decimal", precision=5, scale=2),
            Column("seen", "datetime", maximum=day("2030-01-01")),
            Column("qty", "integer", maximum=100),
        ),
    )


def dirty_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 0, 4, 5, 6],
            "name": ["ann", "bob", "carolyn", None, "eve", "fay"],
            "code": ["AB1", "ab1", "AB12", None, "XY9", "AB1"],
            "status": ["on", "off", "maybe", None, "on", "off"],
            "score": [0.5, 1.5, np.nan, -0.1, 1.0, 0.0],
            "born": pd.to_datetime(
                ["2001-01-01", "1999-12-31", None, "2005-05-05 10:00", "2000-01-01", "2010-01-01"],
                format="ISO8601",
            ),
            "vip": [True, False, True, None, False, True],
            "price": [1.5, 0.001, 123.45, None, 1234.5, 99.99],
            "seen": pd.to_datetime(["2020-01-01", "2031-01-01", None, None, "2029-12-31", None]),
            "qty": [1.0, 2.5, np.nan, 101.0, 100.0, np.inf],
        }
    )


EXPECTED_DIRTY = [
    ("id", "range", (2,), 1),
    ("name", "length", (2,), 1),
    ("name", "not_null", (3,), 1),
    ("code", "pattern", (1, 2), 2),
    ("status", "choices", (2,), 1),
    ("score", "range", (1, 3), 2),
    ("born", "range", (1,), 1),
    ("born", "type", (3,), 1),
    ("vip", "not_null", (3,), 1),
    ("price", "precision", (1, 4), 2),
    ("seen", "range", (1,), 1),
    ("qty", "type", (1, 5), 2),
    ("qty", "range", (3,), 1),
]


@pytest.mark.parametrize("method", METHODS)
def test_frame_rules_are_the_same_on_both_paths(method: Any) -> None:
    violations = validate_frame(dirty_table(), dirty_frame(), method=method)
    assert summary(violations) == EXPECTED_DIRTY
    assert all(v.table == "Dirty" for v in violations)


@pytest.mark.parametrize("method", METHODS)
def test_each_violation_counts_its_rows_and_quotes_the_first_bad_value(method: Any) -> None:
    df = dirty_frame()
    for violation in validate_frame(dirty_table(), df, method=method):
        head, _, shown = violation.message.partition(", e.g. ")
        assert head.startswith(f"{violation.count} rows: "), violation.message
        assert len(head) > len(f"{violation.count} rows: "), "no words say what is wrong"
        if violation.rule == "not_null":
            assert "NOT NULL" in head and not shown
            continue
        first = df[violation.column].iloc[violation.rows[0]]
        # The value as checked: pydantic may show 101.0 as 101.
        assert shown and (shown == repr(first) or shown in str(first)), violation.message


def test_violations_and_row_errors_read_as_one_line() -> None:
    few = Violation("T", "c", "unique", (1, 2), 2, "2 rows: duplicated")
    more = Violation("T", "c", "unique", (1, 2), 5, "5 rows: duplicated")
    table_wide = Violation("T", None, "row_count", (), 3, "3 rows missing")
    assert str(few) == "T.c [unique]: 2 rows: duplicated (rows 1, 2)"
    assert str(more) == "T.c [unique]: 5 rows: duplicated (rows 1, 2, ...)"
    assert str(table_wide) == "T [row_count]: 3 rows missing"
    _, errors = validate_rows(one_column(Column("c", "integer", nullable=False)), [{"c": "x"}])
    assert [str(error) for error in errors] == [f"row 0, column 'c': {errors[0].message} (got 'x')"]


@pytest.mark.parametrize("method", METHODS)
def test_rows_are_positions_whatever_the_index(method: Any) -> None:
    df = dirty_frame().set_axis(["f", "e", "d", "c", "b", "b"])
    assert summary(validate_frame(dirty_table(), df, method=method)) == EXPECTED_DIRTY


@pytest.mark.parametrize("method", METHODS)
def test_a_clean_frame_has_no_violations(method: Any) -> None:
    df = dirty_frame().iloc[[0, 5]].reset_index(drop=True)
    df.loc[1, "qty"] = 3.0
    assert validate_frame(dirty_table(), df, method=method) == []


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("column", "values", "rule", "rows"),
    [
        (Column("c", "string"), [1, 2], "type", (0, 1)),
        (Column("c", "integer"), ["1", "2"], "type", (0, 1)),
        (Column("c", "integer"), [True, False], "type", (0, 1)),
        (Column("c", "boolean"), [0, 1], "type", (0, 1)),
        (Column("c", "float"), pd.to_datetime(["2020-01-01", "2020-01-02"]), "type", (0, 1)),
        (Column("c", "date"), [1, 2], "type", (0, 1)),
        (Column("c", "date", nullable=False), [dt.date(2020, 1, 1), None], "not_null", (1,)),
        (
            Column("c", "date", maximum=day("2020-01-01")),
            [dt.date(2020, 1, 2), dt.date(2020, 1, 1)],
            "range",
            (0,),
        ),
        (Column("c", "date"), ["2020-01-01", "2020-13-01"], "type", (1,)),
        (Column("c", "string", length=2), pd.Series(["ab", "abc"], dtype=object), "length", (1,)),
        (Column("c", "boolean"), pd.Series([True, None, "x"], dtype=object), "type", (2,)),
        (Column("c", "integer", minimum=5), pd.array([5, None, 4], dtype="Int64"), "range", (2,)),
        (Column("c", "uuid"), ["12345678-1234-5678-1234-567812345678", "x"], "type", (1,)),
        (Column("c", "time"), [dt.time(1), "25:00"], "type", (1,)),
        (Column("c", "json", nullable=False), [{"a": 1}, None], "not_null", (1,)),
        (Column("c", "unknown", nullable=False), [object(), None], "not_null", (1,)),
        (Column("c", "binary", length=2), [b"ab", b"abc"], "length", (1,)),
        (Column("c", "string", choices=("x",)), pd.Categorical(["x", "y"]), "choices", (1,)),
        (
            Column("c", "datetime", minimum=day("2020-01-01")),
            pd.to_datetime(["2020-01-01 00:00", "2019-12-31 23:00"]).tz_localize("UTC"),
            "range",
            (1,),
        ),
    ],
)
def test_frame_types_and_dtypes(
    method: Any, column: Column, values: Any, rule: str, rows: tuple[int, ...]
) -> None:
    violations = validate_frame(one_column(column), pd.DataFrame({"c": values}), method=method)
    assert [(v.rule, v.rows) for v in violations] == [(rule, rows)]


def test_row_checks_can_be_skipped() -> None:
    assert validate_frame(dirty_table(), dirty_frame(), row_checks=False) == []


# --- validate_frame: table-level rules ------------------------------------------------------------


def test_row_count_and_missing_or_extra_columns() -> None:
    table = Table(key="T", name="t", columns=(Column("a", "integer"), Column("b", "integer")))
    violations = validate_frame(table, pd.DataFrame({"a": [1], "z": [2]}), expected_rows=3)
    assert summary(violations) == [
        (None, "row_count", (), 2),
        ("b", "missing", (), 1),
        ("z", "extra", (), 1),
    ]
    assert "expected 3 rows, got 1" in violations[0].message


def test_primary_key_duplicates_and_nulls() -> None:
    table = Table(key="T", name="t", columns=(Column("id", "integer"),), primary_key=("id",))
    df = pd.DataFrame({"id": [1, 2, 1, None, 2, 1]})
    assert summary(validate_frame(table, df)) == [
        ("id", "primary_key", (3,), 1),
        ("id", "primary_key", (2, 4, 5), 3),
    ]


def test_composite_unique_ignores_rows_with_a_null() -> None:
    table = Table(
        key="T",
        name="t",
        columns=(Column("a", "integer"), Column("b", "string"), Column("c", "string", unique=True)),
        unique_constraints=(UniqueConstraint(("a", "b")),),
    )
    df = pd.DataFrame(
        {
            "a": [1, 1, 1, None, None, 1],
            "b": ["x", "y", "x", "x", "x", None],
            "c": ["p", None, None, "q", "r", "p"],
        }
    )
    violations = validate_frame(table, df)
    assert summary(violations) == [("a, b", "unique", (2,), 1), ("c", "unique", (5,), 1)]
    assert "e.g. (1.0, 'x')" in violations[0].message


def test_comparisons_skip_nulls() -> None:
    table = Table(
        key="T",
        name="t",
        columns=(
            Column("start", "date"),
            Column("end", "date"),
            Column("lo", "integer"),
            Column("hi", "integer"),
        ),
        comparisons=(ColumnComparison("end", ">=", "start"), ColumnComparison("lo", "<", "hi")),
    )
    df = pd.DataFrame(
        {
            "start": pd.to_datetime(["2020-01-02", "2020-01-02", None, "2020-01-02"]),
            "end": pd.to_datetime(["2020-01-02", "2020-01-01", "2020-01-01", None]),
            "lo": [1, 2, 3, None],
            "hi": [2, 2, None, 1],
        }
    )
    assert summary(validate_frame(table, df)) == [
        ("end, start", "comparison", (1,), 1),
        ("lo, hi", "comparison", (1,), 1),
    ]


def parent_and_child() -> tuple[Table, Table]:
    parent = Table(
        key="Parent",
        name="parent",
        columns=(Column("id", "integer"), Column("region", "string"), Column("code", "integer")),
        primary_key=("id",),
        unique_constraints=(UniqueConstraint(("region", "code")),),
    )
    child = Table(
        key="Child",
        name="child",
        columns=(
            Column("id", "integer"),
            Column("parent_id", "integer"),
            Column("region", "string"),
            Column("code", "integer"),
            Column("boss", "integer"),
        ),
        primary_key=("id",),
        foreign_keys=(
            ForeignKey(("parent_id",), "Parent", ("id",)),
            ForeignKey(("region", "code"), "Parent", ("region", "code")),
            ForeignKey(("boss",), "Child", ("id",)),
        ),
    )
    return parent, child


def test_foreign_keys_single_composite_null_and_self() -> None:
    parent_table, child_table = parent_and_child()
    parents = pd.DataFrame({"id": [1, 2], "region": ["eu", "us"], "code": [10, 20]})
    child = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            # NULL FKs are fine; a float column holding integers still matches int keys.
            "parent_id": [1.0, 2.0, None, 3.0, 1.0],
            "region": ["eu", "us", "eu", None, "us"],
            "code": [10, 10, 10, 99, 20],
            "boss": [None, 1, 1, 9, 4],
        }
    )
    violations = validate_frame(child_table, child, parents={"Parent": parents})
    assert summary(violations) == [
        ("parent_id", "foreign_key", (3,), 1),
        ("region, code", "foreign_key", (1,), 1),
        ("boss", "foreign_key", (3,), 1),
    ]
    assert "Parent(region, code)" in violations[1].message
    assert validate_frame(parent_table, parents) == []


def test_foreign_key_without_its_parent_frame_is_not_checked() -> None:
    _, child_table = parent_and_child()
    child = pd.DataFrame(
        {"id": [1], "parent_id": [42], "region": ["xx"], "code": [0], "boss": [None]}
    )
    assert validate_frame(child_table, child) == []


# --- datasets and the error -----------------------------------------------------------------------


def test_check_dataset_and_raise_for_violations() -> None:
    parent_table, child_table = parent_and_child()
    orphan = Table(key="Orphan", name="orphan", columns=(Column("x", "integer"),))
    frames = {
        "Parent": pd.DataFrame({"id": [1, 1], "region": ["eu", "us"], "code": [1, 2]}),
        "Child": pd.DataFrame(
            {"id": [1], "parent_id": [7], "region": [None], "code": [None], "boss": [None]}
        ),
        "Stray": pd.DataFrame(),
    }
    schema = Schema((parent_table, child_table, orphan))
    violations = check_dataset(schema, frames, expected={"Parent": 2, "Child": 2})
    assert [(v.table, v.column, v.rule) for v in violations] == [
        ("Parent", "id", "primary_key"),
        ("Child", None, "row_count"),
        ("Child", "parent_id", "foreign_key"),
        ("Orphan", None, "missing"),
        ("Stray", None, "extra"),
    ]
    with pytest.raises(GenerationError) as caught:
        raise_for_violations(violations)
    error = caught.value
    assert error.table is None and error.rule is None
    text = str(error)
    assert text.startswith("5 constraint violations in Parent, Child, Orphan, Stray:")
    assert "Child.parent_id [foreign_key]" in text and "(rows 0)" in text


def test_raise_for_violations_is_quiet_when_valid_and_short_when_long() -> None:
    raise_for_violations([])
    many = [Violation("T", "c", "unique", (i,), 1, f"dup {i}") for i in range(30)]
    with pytest.raises(GenerationError) as caught:
        raise_for_violations(many)
    assert (caught.value.table, caught.value.column, caught.value.rule) == ("T", "c", "unique")
    assert "... and 10 more" in str(caught.value)
    assert str(caught.value).count("\n") == 21


# --- a large frame -------------------------------------------------------------------------------


def big_table() -> tuple[Table, Table]:
    parent = Table(
        key="Region", name="region", columns=(Column("id", "integer"),), primary_key=("id",)
    )
    table = Table(
        key="Customer",
        name="customer",
        columns=(
            Column("id", "integer", nullable=False, minimum=1),
            Column("name", "string", length=20, nullable=False),
            Column("email", "string", length=40, pattern=r"[a-z0-9]+@example\.com"),
            Column("status", "string", choices=("active", "inactive")),
            Column("score", "float", minimum=0, maximum=100),
            Column("joined", "date", minimum=day("2000-01-01")),
            Column("region_id", "integer"),
        ),
        primary_key=("id",),
        unique_constraints=(UniqueConstraint(("email",)),),
        foreign_keys=(ForeignKey(("region_id",), "Region", ("id",)),),
    )
    return parent, table


def test_a_frame_too_large_for_the_row_model() -> None:
    _, table = big_table()
    # Above the row model's limit (20,000 rows), so "auto" takes the vectorized path, and more
    # than two 10,000-row chunks, so a duplicate across chunks must still be found.
    n = 25_000
    rng = np.random.default_rng(7)
    df = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "name": [f"name {i}" for i in range(n)],
            "email": [f"user{i}@example.com" for i in range(n)],
            "status": rng.choice(["active", "inactive"], n),
            "score": rng.uniform(0, 100, n),
            "joined": pd.Timestamp("2000-01-01")
            + pd.to_timedelta(rng.integers(0, 9000, n), unit="D"),
            "region_id": rng.integers(1, 6, n),
        }
    )
    regions = {"Region": pd.DataFrame({"id": range(1, 6)})}
    assert validate_frame(table, df, parents=regions, expected_rows=n) == []
    df.loc[[10, 23_456], "email"] = "user10@example.com"
    df.loc[n - 1, "status"] = "gone"
    df.loc[[5, 6, 7], "region_id"] = 99
    df.loc[123, "score"] = 100.5
    expected = [
        ("status", "choices", (n - 1,), 1),
        ("score", "range", (123,), 1),
        ("email", "unique", (23_456,), 1),
        ("region_id", "foreign_key", (5, 6, 7), 3),
    ]
    for method in METHODS:
        found = validate_frame(table, df, parents=regions, method=method)  # type: ignore[arg-type]
        assert summary(found) == expected


def test_a_missing_frame_does_not_stop_the_check_of_the_other_tables() -> None:
    parent_table, child_table = parent_and_child()
    child = pd.DataFrame(
        {"id": [1, 1], "parent_id": [None, None], "region": [None] * 2, "code": [None] * 2}
    )
    violations = check_dataset(
        Schema((parent_table, child_table)), {"Child": child.assign(boss=None)}
    )
    assert [(v.table, v.column, v.rule, v.rows, v.count) for v in violations] == [
        ("Parent", None, "missing", (), 0),
        ("Child", "id", "primary_key", (1,), 1),
    ]
    assert all(v.message for v in violations)


# --- table checks: the fallbacks for values numpy cannot compare or hash ------------------------


def test_a_comparison_over_mixed_values_is_judged_pair_by_pair() -> None:
    # Object columns mixing numbers and text cannot be compared as a whole: each pair is, and a
    # pair that cannot be compared at all counts as broken (the database would refuse it).
    table = Table(
        key="T",
        name="t",
        columns=(Column("lo", "json"), Column("hi", "json")),
        comparisons=(ColumnComparison("lo", "<", "hi"),),
    )
    df = pd.DataFrame(
        {"lo": pd.Series([1, "a", 5, 2, "b"], dtype=object), "hi": [2, "b", 3, "x", "c"]}
    )
    violations = validate_frame(table, df, row_checks=False)
    assert summary(violations) == [("lo, hi", "comparison", (2, 3), 2)]
    assert violations[0].table == "T"
    assert violations[0].message == "2 rows break lo < hi, e.g. 5 vs 3"


def test_unique_json_values_are_compared_by_their_text() -> None:
    table = Table(key="T", name="t", columns=(Column("doc", "json", unique=True),))
    df = pd.DataFrame({"doc": [{"a": 1}, {"a": 2}, {"a": 1}, [1, 2], [1, 2], None]})
    violations = validate_frame(table, df, row_checks=False)
    assert summary(violations) == [("doc", "unique", (2, 4), 2)]
    assert violations[0].table == "T"


def test_every_unique_set_is_checked_past_one_whose_column_is_missing() -> None:
    table = Table(
        key="T",
        name="t",
        columns=(Column("a", "integer", unique=True), Column("b", "integer", unique=True)),
    )
    # Column "a" was not produced: reported once as missing, and "b" is still checked.
    violations = validate_frame(table, pd.DataFrame({"b": [1, 1]}), row_checks=False)
    assert ("b", "unique") in rules(violations)


def test_a_null_primary_key_names_its_table_and_count() -> None:
    table = Table(key="T", name="t", columns=(Column("id", "integer"),), primary_key=("id",))
    violations = validate_frame(table, pd.DataFrame({"id": [1, None, None]}), row_checks=False)
    null = next(v for v in violations if "NULL" in v.message)
    assert (null.table, null.rule, null.rows, null.count) == ("T", "primary_key", (1, 2), 2)
    assert null.message == "2 rows have a NULL in the primary key (id)"


def test_a_parent_frame_without_the_referenced_columns_is_one_violation() -> None:
    _, child_table = parent_and_child()
    child = pd.DataFrame(
        {"id": [1, 2], "parent_id": [1, 2], "region": [None, None], "code": [1, 2], "boss": [1, 1]}
    )
    parents = pd.DataFrame({"region": ["eu"], "code": [10]})  # the id column was not produced
    violations = validate_frame(child_table, child, parents={"Parent": parents}, row_checks=False)
    assert violations[0] == Violation(
        "Child", "parent_id", "foreign_key", (), 2, "parent table Parent has no column(s) id"
    )


def test_a_dangling_key_is_shown_as_its_value() -> None:
    _, child_table = parent_and_child()
    child = pd.DataFrame(
        {"id": [1, 2], "parent_id": [1, 7], "region": [None, None], "code": [1, 2], "boss": [1, 1]}
    )
    parents = pd.DataFrame({"id": [1], "region": ["eu"], "code": [10]})
    (violation,) = validate_frame(child_table, child, parents={"Parent": parents}, row_checks=False)
    assert violation.message == "1 rows point at no row of Parent(id), e.g. 7"


def test_every_comparison_is_checked_past_one_whose_column_is_missing() -> None:
    table = Table(
        key="T",
        name="t",
        columns=(Column("start", "integer"), Column("end", "integer"), Column("lo", "integer")),
        comparisons=(ColumnComparison("end", ">=", "start"), ColumnComparison("lo", "<", "end")),
    )
    # "start" was not produced: the first comparison is skipped (reported as missing elsewhere),
    # the second is still checked.
    df = pd.DataFrame({"end": [5, 5], "lo": [1, 9]})
    comparisons = [v for v in validate_frame(table, df, row_checks=False) if v.rule == "comparison"]
    assert summary(comparisons) == [("lo, end", "comparison", (1,), 1)]


def test_foreign_keys_are_checked_past_one_without_a_parent_frame_or_column() -> None:
    _, child_table = parent_and_child()
    child = pd.DataFrame(
        {"id": [1, 2], "parent_id": [1, 2], "region": [None, None], "code": [1, 2], "boss": [1, 9]}
    )
    # No Parent frame: the two keys into Parent are not checked, the self-reference still is.
    assert summary(validate_frame(child_table, child, row_checks=False)) == [
        ("boss", "foreign_key", (1,), 1)
    ]
    # A key column that was not produced is skipped (reported as missing elsewhere), the rest not.
    without = child.drop(columns=["parent_id"])
    fks = [v for v in validate_frame(child_table, without, row_checks=False) if v.rule != "missing"]
    assert summary(fks) == [("boss", "foreign_key", (1,), 1)]


# --- column rules resolved from the IR (syda.validation.fields) ----------------------------------


def test_text_columns_keep_their_length_and_pattern() -> None:
    table = Table(
        key="T",
        name="t",
        columns=(Column("long", "text", length=3), Column("word", "text", pattern="[a-z]+")),
    )
    valid, errors = validate_rows(
        table, [{"long": "abc", "word": "ab"}, {"long": "abcd", "word": "A1"}]
    )
    assert len(valid) == 1
    assert [(e.index, e.column, e.rule) for e in errors] == [
        (1, "long", "length"),
        (1, "word", "pattern"),
    ]


def test_lengths_and_digits_bind_only_the_kinds_they_belong_to() -> None:
    # A reflected INTEGER or FLOAT may carry a length or a precision: neither limits its values.
    table = Table(
        key="T",
        name="t",
        columns=(Column("n", "integer", length=2), Column("f", "float", precision=3, scale=1)),
    )
    assert validate_rows(table, [{"n": 12345, "f": 12345.678}])[1] == []


@pytest.mark.parametrize(
    ("column", "inside", "outside"),
    [
        (Column("c", "integer", minimum=0.5, maximum=2.5), [1, 2], [0, 3]),
        (
            Column("c", "date", minimum=day("2024-01-01") + 0.5, maximum=day("2024-01-10") + 0.5),
            ["2024-01-02", "2024-01-10"],
            ["2024-01-01", "2024-01-11"],
        ),
        (Column("c", "date", maximum=1.0), ["0001-01-01"], ["0001-01-02"]),
        (
            Column("c", "date", minimum=float(dt.date.max.toordinal())),
            ["9999-12-31"],
            ["9999-12-30"],
        ),
    ],
)
def test_fractional_bounds_round_inwards_and_the_ends_of_the_calendar_are_bounds(
    column: Column, inside: list[Any], outside: list[Any]
) -> None:
    valid, errors = validate_rows(one_column(column), [{"c": v} for v in inside + outside])
    assert len(valid) == len(inside)
    assert [(e.index, e.rule) for e in errors] == [
        (i, "range") for i in range(len(inside), len(inside) + len(outside))
    ]


def test_a_choice_of_the_wrong_type_is_kept_as_declared() -> None:
    # It can never be produced, but the prompt still shows what the schema declared.
    assert column_rules(Column("c", "integer", choices=("x", "1", 2))).choices == ("x", 1, 2)


def test_a_text_choice_longer_than_the_length_is_still_a_choice() -> None:
    # The declared values decide; the literal check replaces the length and the pattern.
    column = Column("c", "string", length=3, pattern="[a-c]+", choices=("ab", "abcd"))
    valid, errors = validate_rows(one_column(column), [{"c": "abcd"}, {"c": "abc"}])
    assert valid == [{"c": "abcd"}] and [e.rule for e in errors] == ["choices"]
    schema = build_row_model(one_column(column)).model_json_schema(by_alias=True)
    assert "pattern" not in str(schema)


def test_choices_checked_one_by_one_keep_the_pattern_in_the_json_schema() -> None:
    column = Column("c", "string", pattern="[a-z]+", choices=("ab", 3), nullable=False)
    schema = build_row_model(one_column(column)).model_json_schema(by_alias=True)
    assert schema["properties"]["c"]["pattern"] == "^(?:[a-z]+)$"
    assert schema["properties"]["c"]["enum"] == ["ab", 3]


@pytest.mark.parametrize("kind", ["date", "datetime", "time"])
def test_a_number_is_no_date_or_time(kind: ColumnKind) -> None:
    # Lax pydantic would read it as a Unix timestamp (or seconds since midnight).
    errors = validate_rows(one_column(Column("c", kind)), [{"c": 3600}, {"c": 1.5}])[1]
    assert [e.index for e in errors] == [0, 1]


# --- what validate_frame, check_dataset and raise_for_violations report (frames.py) -------------


def test_a_column_twice_in_the_frame_is_reported_once_and_its_first_copy_checked() -> None:
    table = Table(key="T", name="t", columns=(Column("a", "integer", maximum=5),))
    df = pd.DataFrame([[1, 9], [9, 9]], columns=["a", "a"])
    twice, too_large = validate_frame(table, df)
    assert (twice.table, twice.column, twice.rule, twice.rows, twice.count) == (
        "T",
        "a",
        "extra",
        (),
        2,
    )
    assert "more than once" in twice.message
    assert summary([too_large]) == [("a", "range", (1,), 1)]


def test_missing_and_extra_columns_name_their_table_and_say_what_is_wrong() -> None:
    table = Table(key="T", name="t", columns=(Column("a", "integer"),))
    missing, extra = validate_frame(table, pd.DataFrame({"z": [1]}))
    assert (missing.table, missing.column, extra.table, extra.column) == ("T", "a", "T", "z")
    assert "missing" in missing.message and "does not produce" in extra.message


def test_a_frame_for_no_table_of_the_schema_is_one_extra_violation() -> None:
    schema = Schema((Table(key="T", name="t", columns=(Column("a", "integer"),)),))
    frames = {"T": pd.DataFrame({"a": [1]}), "Stray": pd.DataFrame({"x": [1, 2]})}
    (stray,) = check_dataset(schema, frames)
    assert (stray.table, stray.column, stray.rule, stray.rows, stray.count) == (
        "Stray",
        None,
        "extra",
        (),
        0,
    )
    assert "schema does not have" in stray.message


@pytest.mark.parametrize("method", METHODS)
def test_a_null_in_a_not_null_column_is_reported_without_an_example(method: Any) -> None:
    table = Table(key="T", name="t", columns=(Column("a", "integer", nullable=False),))
    (violation,) = validate_frame(table, pd.DataFrame({"a": [1, None]}), method=method)
    assert violation.rule == "not_null" and violation.message.endswith("the column is NOT NULL)")


@pytest.mark.parametrize(
    ("method", "rows", "path"),
    [
        ("auto", 5, "pydantic"),
        ("auto", 6, "vectorized"),
        ("pydantic", 6, "pydantic"),
        ("vectorized", 5, "vectorized"),
    ],
)
def test_auto_sends_frames_up_to_the_limit_through_the_row_model(
    monkeypatch: pytest.MonkeyPatch, method: Any, rows: int, path: str
) -> None:
    from syda.validation import frames

    monkeypatch.setattr(frames, "PYDANTIC_MAX_ROWS", 5)
    used: list[str] = []
    real_check, real_pydantic = frames.check_column, frames._pydantic_findings
    monkeypatch.setattr(
        frames, "check_column", lambda *a: used.append("vectorized") or real_check(*a)
    )
    monkeypatch.setattr(
        frames, "_pydantic_findings", lambda *a: used.append("pydantic") or real_pydantic(*a)
    )
    table = Table(key="T", name="t", columns=(Column("a", "integer"),))
    kwargs = {} if method == "auto" else {"method": method}
    assert validate_frame(table, pd.DataFrame({"a": range(rows)}), **kwargs) == []
    assert used == [path]


def test_one_violation_is_singular_and_exactly_the_limit_is_listed_whole() -> None:
    one = Violation("T", "c", "unique", (0,), 1, "dup")
    with pytest.raises(GenerationError, match=r"1 constraint violation in T:\n  - T\.c"):
        raise_for_violations([one])
    with pytest.raises(GenerationError) as caught:
        raise_for_violations([one] * 20)
    assert "20 constraint violations in T:\n" in str(caught.value)
    assert "more" not in str(caught.value) and str(caught.value).count("\n") == 20
