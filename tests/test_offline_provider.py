"""The offline provider: realistic values that satisfy every column constraint."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pytest
from faker.providers.address.en_US import Provider as UsAddress

from syda.errors import GenerationError
from syda.providers.base import FillRequest, Provider
from syda.providers.offline import OfflineProvider
from syda.schema.ir import Column, ColumnComparison, Table, UniqueConstraint
from syda.semantics import SEMANTIC_KINDS

TODAY = dt.date(2024, 6, 15)


@pytest.fixture(scope="module")
def provider() -> OfflineProvider:
    return OfflineProvider(seed=7, today=TODAY)


def fill(
    provider: OfflineProvider,
    table: Table,
    n: int = 500,
    *,
    seed: int = 0,
    columns: tuple[str, ...] | None = None,
    context: pd.DataFrame | None = None,
    parents: Mapping[int, pd.DataFrame] | None = None,
    row_offset: int = 0,
) -> pd.DataFrame:
    request = FillRequest(
        table=table,
        columns=columns or table.column_names,
        n=n,
        rng=np.random.default_rng(seed),
        context=context if context is not None else pd.DataFrame(),
        parents=parents or {},
        row_offset=row_offset,
    )
    out = provider.fill(request)
    assert set(out) == set(request.columns)
    for name, values in out.items():
        assert len(values) == n, name
    return pd.DataFrame({name: out[name] for name in request.columns})


def table(name: str, *columns: Column, **kwargs: Any) -> Table:
    return Table(key=name, name=name, columns=columns, **kwargs)


CONTACTS = table(
    "contacts",
    Column("first_name", "string", length=40, nullable=False),
    Column("last_name", "string", length=40, nullable=False),
    Column("email", "string", length=80, nullable=False),
    Column("phone", "string", length=30),
    Column("city", "string", length=60),
    Column("state", "string", length=2),
    Column("zip", "string", length=10),
    Column("status", "string", length=20, comment="Active, Inactive, Prospect"),
    Column("created_at", "datetime", nullable=False),
    Column("updated_at", "datetime", nullable=False),
    Column("is_active", "boolean", nullable=False),
    Column("notes", "text"),
)


def test_is_a_provider(provider: OfflineProvider) -> None:
    assert isinstance(provider, Provider)
    assert provider.name == "offline"


def test_same_seed_same_data_and_different_seed_different_data() -> None:
    first = fill(OfflineProvider(seed=1, today=TODAY), CONTACTS, seed=3)
    again = fill(OfflineProvider(seed=1, today=TODAY), CONTACTS, seed=3)
    other = fill(OfflineProvider(seed=1, today=TODAY), CONTACTS, seed=4)
    pd.testing.assert_frame_equal(first, again)
    assert not first["email"].equals(other["email"])
    assert not first["created_at"].equals(other["created_at"])


@pytest.mark.parametrize("semantic", sorted(SEMANTIC_KINDS))
def test_every_semantic_is_fillable(provider: OfflineProvider, semantic: str) -> None:
    kind = SEMANTIC_KINDS[semantic]
    t = table("things", Column("value", kind, nullable=False, semantic=semantic))
    values = fill(provider, t, n=200)["value"]
    assert values.notna().all()
    if kind in ("string", "text", "uuid"):
        assert all(isinstance(v, str) and v for v in values)
    elif kind == "date":
        assert all(isinstance(v, dt.date) for v in values)
    elif kind == "time":
        assert all(isinstance(v, dt.time) for v in values)
    elif kind == "integer":
        assert values.dtype == np.int64
    elif kind == "boolean":
        assert values.dtype == bool
    elif kind == "json":
        # Objects; arrays are JSON lists.
        assert all(isinstance(v, list if semantic == "array" else dict) for v in values)
    elif kind == "binary":
        assert all(isinstance(v, bytes) and v for v in values)
    if kind != "json":
        assert values.nunique() > 1 or kind == "boolean"


def test_email_is_built_from_the_same_rows_names(provider: OfflineProvider) -> None:
    df = fill(provider, CONTACTS, n=1000)
    local = df["email"].str.split("@").str[0]
    first = df["first_name"].str.lower().str.replace(r"[^a-z]", "", regex=True)
    last = df["last_name"].str.lower().str.replace(r"[^a-z]", "", regex=True)
    has_last = [lname in loc for loc, lname in zip(local, last, strict=True)]
    has_first = [
        f[0] == loc[0] or loc.startswith(lname)
        for loc, f, lname in zip(local, first, last, strict=True)
    ]
    assert all(has_last) and all(has_first)
    assert df["email"].str.fullmatch(r"[a-z0-9._]+@[a-z0-9.\-]+\.[a-z]+").all()


def test_email_uses_names_given_as_context(provider: OfflineProvider) -> None:
    context = pd.DataFrame({"first_name": ["Zoë"] * 50, "last_name": ["Van Dyke"] * 50})
    df = fill(provider, CONTACTS, n=50, columns=("email",), context=context)
    assert df["email"].str.contains("vandyke").all()


def test_full_name_agrees_with_first_and_last(provider: OfflineProvider) -> None:
    t = table(
        "people",
        Column("first_name", "string"),
        Column("last_name", "string"),
        Column("full_name", "string"),
    )
    df = fill(provider, t, n=300).dropna()
    assert (df["full_name"] == df["first_name"] + " " + df["last_name"]).all()


def test_company_website_and_email_share_a_domain(provider: OfflineProvider) -> None:
    t = table(
        "accounts",
        Column("company_name", "string", nullable=False),
        Column("website", "string", nullable=False),
    )
    context = pd.DataFrame({"company_name": ["Acme Corp"] * 10})
    df = fill(provider, t, n=10, columns=("website",), context=context)
    assert (df["website"] == "https://www.acmecorp.com").all()
    parents = {0: pd.DataFrame({"website": ["https://www.globex.com"] * 200})}
    emails = fill(provider, CONTACTS, n=200, columns=("email",), parents=parents)["email"]
    assert (emails.str.endswith("@globex.com")).mean() > 0.7


def test_us_zip_codes_match_their_state(provider: OfflineProvider) -> None:
    df = fill(provider, CONTACTS, n=2000).dropna(subset=["state", "zip"])
    ranges = UsAddress.states_postcode
    for state, zipcode in zip(df["state"], df["zip"], strict=True):
        low, high = ranges[state]
        assert low <= int(zipcode) <= high, (state, zipcode)


def test_address_fields_come_from_one_record(provider: OfflineProvider) -> None:
    t = table(
        "sites",
        Column("street", "string", nullable=False),
        Column("city", "string", nullable=False),
        Column("state", "string", nullable=False),
        Column("postal_code", "string", nullable=False),
        Column("country", "string", nullable=False),
    )
    df = fill(provider, t, n=500)
    assert (df["country"] == "United States").all()
    full_states = set(UsAddress.states)
    assert set(df["state"]) <= full_states
    assert df.groupby("city")["state"].nunique().max() <= 3  # a city name is rarely reused


def test_comment_statuses_are_weighted_towards_the_first(provider: OfflineProvider) -> None:
    counts = fill(provider, CONTACTS, n=5000)["status"].value_counts()
    assert set(counts.index) == {"Active", "Inactive", "Prospect"}
    assert counts["Active"] > counts["Inactive"] > counts["Prospect"]


def test_declared_choices_win_over_the_comment(provider: OfflineProvider) -> None:
    t = table(
        "orders",
        Column("status", "string", choices=("new", "paid"), comment="Active, Inactive"),
        Column("priority", "integer", choices=(1, 2, 3), nullable=False),
    )
    df = fill(provider, t, n=1000)
    assert set(df["status"].dropna()) == {"new", "paid"}
    assert set(df["priority"]) == {1, 2, 3}


def test_default_statuses_follow_the_table(provider: OfflineProvider) -> None:
    t = table("orders", Column("status", "string", nullable=False))
    assert "Shipped" in set(fill(provider, t, n=300)["status"])


def test_numeric_and_date_bounds(provider: OfflineProvider) -> None:
    low, high = dt.date(2020, 1, 1), dt.date(2020, 12, 31)
    t = table(
        "products",
        Column("qty", "integer", minimum=5, maximum=9, nullable=False),
        Column("discount_percent", "float", minimum=0, maximum=30, nullable=False),
        Column("price", "decimal", precision=6, scale=2, minimum=100, nullable=False),
        Column("rating", "integer", minimum=1, maximum=5, nullable=False),
        Column(
            "released", "date", minimum=low.toordinal(), maximum=high.toordinal(), nullable=False
        ),
        Column("age", "integer", nullable=False),
        Column("stock", "integer", minimum=0, nullable=False),
        Column("weight", "float", maximum=2.5, nullable=False),
    )
    df = fill(provider, t, n=3000)
    assert df["qty"].between(5, 9).all()
    assert df["discount_percent"].between(0, 30).all()
    assert df["price"].between(100, 9999.99).all()
    assert df["rating"].between(1, 5).all() and df["rating"].nunique() == 5
    assert all(low <= d <= high for d in df["released"])
    assert df["age"].between(18, 90).all()
    assert (df["stock"] >= 0).all() and (df["weight"] <= 2.5).all()


def test_bounds_that_exclude_most_of_a_skewed_draw_keep_its_shape(
    provider: OfflineProvider,
) -> None:
    # A declared range must truncate the semantic's distribution, not turn it into a uniform.
    t = table("deals", Column("amount", "float", minimum=1000, maximum=2_000_000, nullable=False))
    amount = fill(provider, t, n=10_000)["amount"]
    assert amount.between(1000, 2_000_000).all()
    assert 20_000 < amount.median() < 100_000  # a uniform would put it near 1,000,000
    assert amount.quantile(0.9) < 500_000


def test_a_number_below_another_stays_positive(provider: OfflineProvider) -> None:
    t = table(
        "products",
        Column("price", "decimal", precision=10, scale=2, nullable=False),
        Column("cost", "decimal", precision=10, scale=2, nullable=False),
        comparisons=(ColumnComparison("cost", "<=", "price"),),
    )
    df = fill(provider, t, n=10_000)
    assert (df["cost"] <= df["price"]).all()
    assert (df["cost"] > 0).all()
    assert 0.2 < (df["cost"] / df["price"]).median() < 1


def test_recent_dates_spread_evenly_over_months_and_weekdays(provider: OfflineProvider) -> None:
    t = table("orders", Column("created_at", "datetime", nullable=False))
    stamps = pd.to_datetime(fill(provider, t, n=24_000)["created_at"])
    months = stamps.dt.month.value_counts(normalize=True)
    # Even months, give or take a 10% yearly growth and sampling error (4 standard errors).
    assert months.max() - months.min() < 1 / 12 * 0.1 + 8 * math.sqrt((1 / 12) / 24_000)
    weekdays = stamps.dt.day_of_week.value_counts(normalize=True)
    assert weekdays.max() - weekdays.min() < 8 * math.sqrt((1 / 7) / 24_000)


def test_a_two_letter_country_column_holds_codes(provider: OfflineProvider) -> None:
    t = table("customers", Column("country", "string", length=2, nullable=False))
    codes = fill(provider, t, n=500)["country"]
    assert codes.str.fullmatch(r"[A-Z]{2}").all() and "US" in set(codes)


def test_decimal_precision_and_scale(provider: OfflineProvider) -> None:
    t = table(
        "invoices",
        Column("amount", "decimal", precision=10, scale=2, nullable=False),
        Column("rate", "decimal", precision=5, scale=4, nullable=False),
    )
    df = fill(provider, t, n=2000)
    cents = df["amount"] * 100
    assert np.allclose(cents, np.round(cents)) and (df["amount"].abs() < 1e8).all()
    assert (df["rate"].abs() < 10).all()
    assert np.allclose(df["rate"] * 10_000, np.round(df["rate"] * 10_000))


def test_length_limits_hold_and_emails_stay_valid(provider: OfflineProvider) -> None:
    t = table(
        "users",
        Column("email", "string", length=16, nullable=False, unique=True),
        Column("job_title", "string", length=8, nullable=False),
        Column("company", "string", length=5, nullable=False),
        Column("bio", "text", length=30, nullable=False),
        Column("code", "string", length=4, nullable=False),
    )
    df = fill(provider, t, n=2000)
    for name in t.column_names:
        assert df[name].str.len().max() <= t.column(name).length, name
    assert df["email"].str.contains("@").all() and not df["email"].duplicated().any()


def test_comparisons_hold_for_every_row(provider: OfflineProvider) -> None:
    t = table(
        "projects",
        Column("start_date", "date"),
        Column("end_date", "date"),
        Column("min_price", "decimal", precision=8, scale=2),
        Column("max_price", "decimal", precision=8, scale=2),
        Column("order_date", "date", nullable=False),
        Column("shipped_date", "date"),
        Column("created_at", "datetime", nullable=False),
        Column("updated_at", "datetime"),
        comparisons=(
            ColumnComparison("end_date", ">=", "start_date"),
            ColumnComparison("max_price", ">", "min_price"),
        ),
    )
    df = fill(provider, t, n=5000)
    assert df[["start_date", "end_date", "min_price", "max_price"]].notna().all().all()
    assert (df["end_date"] >= df["start_date"]).all()
    assert (df["max_price"] > df["min_price"]).all()
    shipped = df.dropna(subset=["shipped_date"])
    assert (shipped["shipped_date"] >= shipped["order_date"]).all()
    updated = df.dropna(subset=["updated_at"])
    assert (updated["updated_at"] >= updated["created_at"]).all()


def test_comparison_with_a_context_column(provider: OfflineProvider) -> None:
    t = table(
        "leases",
        Column("starts_on", "date", nullable=False),
        Column("ends_on", "date", nullable=False),
        comparisons=(ColumnComparison("starts_on", "<", "ends_on"),),
    )
    ends = [dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(300)]
    df = fill(provider, t, n=300, columns=("starts_on",), context=pd.DataFrame({"ends_on": ends}))
    assert all(s < e for s, e in zip(df["starts_on"], ends, strict=True))


def test_unique_values_of_many_kinds(provider: OfflineProvider) -> None:
    t = table(
        "things",
        Column("company", "string", nullable=False, unique=True),
        Column("city", "string", nullable=False),
        Column("qty", "integer", nullable=False, unique=True, minimum=1, maximum=6000),
        Column("price", "decimal", precision=8, scale=2, nullable=False, unique=True),
        Column("day", "date", nullable=False, unique=True),
        Column("website", "string", nullable=False, unique=True),
        unique_constraints=(UniqueConstraint(("city",)),),
    )
    df = fill(provider, t, n=5000)
    for name in t.column_names:
        assert not df[name].duplicated().any(), name
    assert df["qty"].between(1, 6000).all()
    assert df["website"].str.startswith("https://www.").all()


def test_codes_are_unique_across_batches(provider: OfflineProvider) -> None:
    t = table("customers", Column("code", "string", length=12, unique=True, nullable=False))
    first = fill(provider, t, n=100)["code"]
    second = fill(provider, t, n=100, row_offset=100)["code"]
    assert first.iloc[0] == "CUST-000001"
    assert not set(first) & set(second)


@pytest.mark.parametrize(
    "column",
    [
        Column("flag", "boolean", unique=True),
        Column("size", "string", choices=("S", "M", "L"), unique=True),
        Column("stars", "integer", minimum=1, maximum=5, unique=True),
        Column("tag", "string", pattern="[ab]{2}", unique=True),
    ],
)
def test_a_unique_column_with_too_small_a_domain_fails(
    provider: OfflineProvider, column: Column
) -> None:
    with pytest.raises(GenerationError) as caught:
        fill(provider, table("things", column), n=10)
    assert caught.value.rule == "unique"
    assert caught.value.column == column.name and caught.value.table == "things"


def test_nulls_only_where_allowed(provider: OfflineProvider) -> None:
    t = table(
        "people",
        Column("nickname", "string"),
        Column("visits", "integer"),
        Column("score", "float"),
        Column("seen_on", "date"),
        Column("seen_at", "datetime", timezone=True),
        Column("email", "string", nullable=False),
        Column("is_vip", "boolean"),
        Column("handle", "string", unique=True),
        Column("start_date", "date"),
        Column("end_date", "date"),
        comparisons=(ColumnComparison("end_date", ">=", "start_date"),),
    )
    df = fill(provider, t, n=4000)
    for name in ("nickname", "visits", "score", "seen_on", "seen_at"):
        share = df[name].isna().mean()
        assert 0.02 < share < 0.09, (name, share)
    for name in ("email", "is_vip", "handle", "start_date", "end_date"):
        assert df[name].notna().all(), name
    assert str(df["visits"].dtype) == "Int64"
    assert str(df["seen_at"].dtype).startswith("datetime64[us, UTC]")


def test_no_nulls_when_share_is_zero() -> None:
    df = fill(OfflineProvider(null_share=0.0, today=TODAY), CONTACTS, n=500)
    assert df.notna().all().all()


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[A-Z]{3}-\d{4}$",
        r"[A-Z]{2}\d{2}[A-Z0-9]{4,10}",
        r"(?:INV|CRN)-[0-9]{6}",
        r"\w+@example\.(com|org)",
        r"[^\s]{3,5}x?",
        r"v\d+\.\d+\.\d+",
    ],
)
def test_pattern_columns_match(provider: OfflineProvider, pattern: str) -> None:
    t = table("things", Column("code", "string", pattern=pattern, nullable=False, length=40))
    values = fill(provider, t, n=1000)["code"]
    assert values.map(lambda v: re.fullmatch(pattern, v) is not None).all()
    assert values.str.len().max() <= 40


def test_pattern_replaces_non_matching_semantic_values(provider: OfflineProvider) -> None:
    t = table("people", Column("phone", "string", pattern=r"\+1 \d{3} \d{7}", nullable=False))
    values = fill(provider, t, n=300)["phone"]
    assert values.str.fullmatch(r"\+1 \d{3} \d{7}").all()


def test_unknown_kind_asks_for_a_registered_generator(provider: OfflineProvider) -> None:
    t = table("shapes", Column("outline", "unknown", sql_type="GEOMETRY"))
    with pytest.raises(GenerationError, match="register_generator") as caught:
        fill(provider, t, n=3)
    assert caught.value.table == "shapes" and caught.value.column == "outline"


@pytest.mark.parametrize(
    ("column", "low", "high"),
    [("is_active", 0.75, 1.0), ("is_deleted", 0.0, 0.1), ("is_primary", 0.2, 0.4)],
)
def test_booleans_have_realistic_shares(
    provider: OfflineProvider, column: str, low: float, high: float
) -> None:
    n, seeds = 2000, range(5)
    t = table("users", Column(column, "boolean", nullable=False))
    # Each seed's share may stray from the true one by sampling noise alone; four standard errors
    # of an n-row share (at its widest, p = 0.5) makes a false alarm rarer than 1 in 10,000.
    tolerance = 4 * math.sqrt(0.25 / n)
    shares = [fill(provider, t, n=n, seed=seed)[column].mean() for seed in seeds]
    assert all(low - tolerance <= share <= high + tolerance for share in shares), shares
    assert len(set(shares)) > 1, "every seed drew the same values"


def test_dates_are_plausible(provider: OfflineProvider) -> None:
    t = table(
        "patients",
        Column("dob", "date", nullable=False),
        Column("created_at", "datetime", nullable=False),
        Column("appointment_time", "time", nullable=False),
    )
    df = fill(provider, t, n=2000)
    ages = [(TODAY - d).days / 365.25 for d in df["dob"]]
    assert 18 <= min(ages) and max(ages) <= 91
    created = df["created_at"]
    assert created.min() >= pd.Timestamp(TODAY) - pd.Timedelta(days=3 * 366)
    assert created.max() <= pd.Timestamp(TODAY) + pd.Timedelta(days=1)
    assert all(isinstance(t, dt.time) for t in df["appointment_time"])


def test_product_names_and_icd10_codes_look_real(provider: OfflineProvider) -> None:
    t = table(
        "products",
        Column("name", "string", nullable=False),
        Column("icd10_code", "string", nullable=False),
    )
    df = fill(provider, t, n=500)
    assert df["name"].str.count(" ").min() >= 1
    assert df["icd10_code"].str.fullmatch(r"[A-Z]\d{2}(\.\d{1,3})?").all()
    assert "I10" in set(df["icd10_code"]) or "E11.9" in set(df["icd10_code"])


def test_several_locales(provider: OfflineProvider) -> None:
    mixed = OfflineProvider(seed=2, locale=["en_US", "de_DE"], today=TODAY)
    t = table(
        "people",
        Column("full_name", "string"),
        Column("city", "string"),
        Column("country", "string"),
    )
    df = fill(mixed, t, n=2000).dropna()
    assert set(df["country"]) == {"United States", "Germany"}
    alone = table("people", Column("country", "string", nullable=False))
    assert fill(mixed, alone, n=500)["country"].nunique() > 5


def test_uuid_values_are_canonical(provider: OfflineProvider) -> None:
    t = table("things", Column("id_token", "uuid", nullable=False, unique=True))
    values = fill(provider, t, n=1000)["id_token"]
    pattern = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert values.str.fullmatch(pattern).all()


def test_a_date_bound_on_a_timestamp_holds_and_unique_stamps_are_cheap() -> None:
    from syda import SyntheticDataGenerator

    # A year of hourly-many unique timestamps under a date-only max (through that day), and
    # listing a year of free seconds is avoided.
    schema = {
        "id": "integer",
        "ts": {"type": "datetime", "unique": True, "min": "2024-01-01", "max": "2024-12-31"},
    }
    df = SyntheticDataGenerator(seed=1).generate_data(schema, sample_size=8760)
    stamps = pd.to_datetime(df["ts"])
    assert stamps.is_unique
    assert stamps.min() >= pd.Timestamp("2024-01-01")
    assert stamps.max() < pd.Timestamp("2025-01-01")


def test_events_kept_before_today_do_not_pile_up_on_its_last_second() -> None:
    from syda import SyntheticDataGenerator

    # An update after a recent order is kept at or before the reference day, but spread over
    # the time left, not clipped: a person would notice hundreds of rows changed at 23:59:59.
    gen = SyntheticDataGenerator(seed=3, reference_date=dt.date(2026, 1, 1))
    schema = {"id": "integer", "order_date": "date", "updated_at": "datetime"}
    df = gen.generate_data(schema, sample_size=5000)
    updated = pd.to_datetime(df["updated_at"])
    assert (updated >= pd.to_datetime(df["order_date"])).all()
    assert updated.max() < pd.Timestamp("2026-01-02")
    assert updated.value_counts().max() <= 3
