"""The columnar checks of large frames find exactly what the pydantic row model finds.

Each case injects one kind of violation into a column of otherwise valid values (in the dtype
syda generates it with, and in the others a user's frame may hold), and compares every
violation of the two paths: column, rule, row positions, count and message (with its example).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

import numpy as np
import pandas as pd
import pytest

from syda.schema.ir import Column, Table, UniqueConstraint
from syda.validation import Violation, validate_frame
from syda.validation.columns import Finding, check_column, check_column_pydantic
from syda.validation.fields import column_rules
from syda.validation.screens import screen


def day(value: str) -> float:
    return float(dt.date.fromisoformat(value).toordinal())


def both(table: Table, df: pd.DataFrame) -> tuple[list[Violation], list[Violation]]:
    return (
        validate_frame(table, df, method="pydantic"),
        validate_frame(table, df, method="vectorized"),
    )


def found(column: Column, values: Any) -> list[tuple[Any, ...]]:
    table = Table(key="T", name="t", columns=(column,))
    row_model, columnar = both(table, pd.DataFrame({column.name: values}))
    assert columnar == row_model
    return [(v.rule, v.rows, v.count) for v in columnar]


# Many valid values with a few bad ones, at known positions.
GOOD = 50


def spiked(good: Any, bad: list[Any], at: tuple[int, ...] = (3, 17, 41)) -> list[Any]:
    values = [good(i) for i in range(GOOD)]
    for position, value in zip(at, bad, strict=False):
        values[position] = value
    return values


CASES = [
    # type
    pytest.param(Column("c", "integer"), spiked(int, ["1", 2.5, True]), id="type-integer"),
    pytest.param(Column("c", "date"), spiked(lambda i: dt.date(2020, 1, 1 + i % 28), [5, "x"])),
    pytest.param(
        Column("c", "date"),
        spiked(lambda i: dt.date(2020, 1, 1 + i % 28), [dt.datetime(2020, 1, 1, 10)]),
        id="date-with-a-time",
    ),
    pytest.param(
        Column("c", "decimal", precision=6, scale=2),
        spiked(lambda i: i / 4, [float("inf"), "abc"]),
        id="type-decimal",
    ),
    pytest.param(
        Column("c", "uuid"),
        spiked(lambda i: UUID(int=i), ["not-a-uuid", 7]),
        id="type-uuid",
    ),
    # null
    pytest.param(
        Column("c", "date", nullable=False),
        spiked(lambda i: dt.date(2021, 2, 1 + i % 28), [None, None]),
        id="null-date",
    ),
    pytest.param(
        Column("c", "decimal", precision=5, scale=2, nullable=False),
        spiked(lambda i: i + 0.25, [np.nan, None]),
        id="null-decimal",
    ),
    # length, pattern, choices
    pytest.param(Column("c", "string", length=4), spiked(lambda i: f"a{i}", ["abcdef", "xyzzy"])),
    pytest.param(
        Column("c", "string", pattern="[A-Z]{2}-[0-9]+"),
        spiked(lambda i: f"AB-{i}", ["ab-1", "AB-", "AB-1x"]),
        id="pattern",
    ),
    pytest.param(
        Column("c", "string", choices=("Open", "Won", "Lost")),
        spiked(lambda i: ("Open", "Won", "Lost")[i % 3], ["open", "Maybe"]),
        id="choices-string",
    ),
    pytest.param(
        Column("c", "integer", choices=(1, 2, 3)), spiked(lambda i: 1 + i % 3, [4, 0]), id="enum"
    ),
    pytest.param(
        Column("c", "decimal", precision=4, scale=1, choices=(Decimal("1.5"), Decimal("2.5"))),
        spiked(lambda i: 1.5, [2.0]),
        id="choices-decimal",
    ),
    # range
    pytest.param(
        Column("c", "integer", minimum=0, maximum=100), spiked(int, [-1, 101]), id="range-int"
    ),
    pytest.param(
        Column("c", "decimal", precision=5, scale=2, minimum=0, maximum=50),
        spiked(lambda i: i / 2, [-0.01, 50.01, 60]),
        id="range-decimal",
    ),
    pytest.param(
        Column("c", "date", minimum=day("2020-01-01"), maximum=day("2020-12-31")),
        spiked(
            lambda i: dt.date(2020, 3, 1 + i % 28), [dt.date(2019, 12, 31), dt.date(2021, 1, 1)]
        ),
        id="range-date",
    ),
    pytest.param(
        Column("c", "datetime", minimum=day("2020-01-01"), maximum=day("2020-06-30") + 0.5),
        spiked(
            lambda i: dt.datetime(2020, 2, 1, i % 24),
            [dt.datetime(2019, 12, 31, 23, 59), dt.datetime(2020, 6, 30, 12, 0, 1)],
        ),
        id="range-datetime",
    ),
    # decimals: scale and precision, as floats, ints and Decimal objects
    pytest.param(
        Column("c", "decimal", precision=5, scale=2),
        spiked(lambda i: i + 0.05, [0.001, 1234.5, 123456.0, 12.345]),
        id="decimal-floats",
    ),
    pytest.param(
        Column("c", "decimal", precision=4, scale=2),
        spiked(lambda i: i % 99, [100, 12345, -100]),
        id="decimal-ints",
    ),
    pytest.param(
        Column("c", "decimal", precision=5, scale=2),
        spiked(lambda i: Decimal(i) / 4, [Decimal("1.005"), Decimal("1234.5"), Decimal("NaN")]),
        id="decimal-objects",
    ),
    pytest.param(
        Column("c", "decimal", precision=2, scale=2),
        spiked(lambda i: (i % 100) / 100, [1.0, 0.123, -0.0]),
        id="decimal-fraction-only",
    ),
    pytest.param(
        Column("c", "decimal", precision=8),
        spiked(lambda i: i * 1.5, [123456789.0, 1.23456789]),
        id="decimal-no-scale",
    ),
]


@pytest.mark.parametrize(("column", "values"), CASES)
def test_both_paths_report_the_same_violations(column: Column, values: list[Any]) -> None:
    assert found(column, values), "the case injects at least one violation"


def test_dtype_generated_columns_agree_too() -> None:
    table = Table(
        key="T",
        name="t",
        columns=(
            Column("price", "decimal", precision=6, scale=2, minimum=0, nullable=False),
            Column("on", "date", maximum=day("2024-12-31")),
            Column("at", "datetime"),
        ),
    )
    df = pd.DataFrame(
        {
            "price": pd.Series([1.25, 3.0, -2.5, 1.255, np.nan] * 10, dtype="float64"),
            "on": pd.Series([dt.date(2024, 1, 1), None, dt.date(2025, 1, 1)] * 16 + [None] * 2),
            "at": pd.Series([dt.datetime(2024, 1, 1, 1, 2, 3, 4)] * 50, dtype=object),
        }
    )
    row_model, columnar = both(table, df)
    assert columnar == row_model
    assert {(v.column, v.rule) for v in columnar} == {
        ("price", "range"),
        ("price", "precision"),
        ("price", "not_null"),
        ("on", "range"),
    }


def test_uniques_are_reported_alike_on_both_paths() -> None:
    table = Table(
        key="T",
        name="t",
        columns=(Column("id", "integer", nullable=False), Column("code", "string", length=3)),
        primary_key=("id",),
        unique_constraints=(UniqueConstraint(("code",)),),
    )
    df = pd.DataFrame({"id": [1, 2, 2, 3, None], "code": ["a", "b", "a", "toolong", None]})
    row_model, columnar = both(table, df)
    assert columnar == row_model
    assert {v.rule for v in columnar} == {"not_null", "primary_key", "unique", "length"}


@pytest.mark.parametrize("repeat", [False, True])
def test_arrow_text_is_checked_alike_on_both_paths(repeat: bool) -> None:
    # Text as syda generates it (pandas' Arrow-backed strings): lengths counted by Arrow in
    # code points, distinct values counted by Arrow; NULLs among them.
    pytest.importorskip("pyarrow")
    table = Table(
        key="T",
        name="t",
        columns=(Column("code", "string", length=4), Column("note", "string", length=3)),
        unique_constraints=(UniqueConstraint(("code",)),),
    )
    codes = [f"c{i:03d}" for i in range(60)]
    if repeat:
        codes[40] = codes[7]
    notes = ["ééé", "abcd", None, "ab"] * 15
    df = pd.DataFrame(
        {"code": pd.Series(codes, dtype="str"), "note": pd.Series(notes, dtype="str")}
    )
    assert df["code"].dtype.storage == "pyarrow"
    row_model, columnar = both(table, df)
    assert columnar == row_model
    rules = {(v.column, v.rule, v.count) for v in columnar}
    assert ("note", "length", 15) in rules
    assert (("code", "unique", 1) in rules) is repeat


def test_random_decimals_get_pydantic_verdicts() -> None:
    # Floats at every scale near the limits of NUMERIC(7, 3): the screen may only pass what
    # pydantic passes, and what it sends on is judged by pydantic, so the findings are equal.
    rng = np.random.default_rng(7)
    magnitude = 10.0 ** rng.integers(-5, 6, size=4000)
    raw = rng.uniform(-1, 1, size=4000) * magnitude
    places = rng.integers(0, 6, size=4000)
    values = np.array([round(v, int(d)) for v, d in zip(raw, places, strict=True)])
    series = pd.Series(values)
    column = Column("c", "decimal", precision=7, scale=3, minimum=-5000, maximum=5000)
    assert plain(check_column(series, column)) == plain(check_column_pydantic(series, column))
    ok = screen(series, column_rules(column))
    assert ok is not None and 0 < ok.sum() < len(series)
    accepted = pd.Series(values[ok])
    assert check_column_pydantic(accepted, column) == [], "the screen passed a bad value"


def plain(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.column, f.rule, f.rows.tolist(), f.message, f.example) for f in findings]


def test_the_screen_leaves_mixed_and_aware_values_to_pydantic() -> None:
    aware = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    mixed = pd.Series([dt.date(2020, 1, 1), "2020-01-02"], dtype=object)
    assert screen(mixed, column_rules(Column("c", "date"))) is None
    assert screen(pd.Series([aware], dtype=object), column_rules(Column("c", "datetime"))) is None
    subclass = pd.Series([dt.datetime(2020, 1, 1)], dtype=object)  # a datetime is a date
    assert screen(subclass, column_rules(Column("c", "date"))) is None
