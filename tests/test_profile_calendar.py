"""Dates' parts, codes and first events that inference writes specs for (issue 9).

A calendar dimension's parts agree with its date (``d_year`` is ``year(d_date)``), a month or a
day of the month is in range anywhere, a GMT offset is a real zone's, an integer status one of a
few codes, marital and education statuses come from their vocabularies, logins, uploads and a
run's close follow the row's creation or start, and an epoch DEFAULT is no common value.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from syda import SyntheticDataGenerator

CALENDAR: dict[str, Any] = {
    "date_dim": {
        "d_date_sk": "integer",
        "d_date": "date",
        "d_year": "integer",
        "d_moy": "integer",
        "d_dom": "integer",
        "d_dow": "integer",
        "d_qoy": "integer",
        "d_month_seq": "integer",
        "d_day_name": "char(9)",
        "d_quarter_name": "char(6)",
    },
    "customer": {
        "c_customer_sk": "integer",
        "c_salutation": "char(10)",
        "c_birth_day": "integer",
        "c_birth_month": "integer",
        "c_birth_year": "integer",
        "c_marital_status": "char(1)",
    },
    "person": {
        "id": "integer",
        "marital_status": "varchar(12)",
        "education_status": "varchar(20)",
        "gmt_offset": "decimal(5,2)",
        "tz_offset": "integer",
        "contract_months": "integer",
    },
}


@pytest.fixture(scope="module")
def calendar() -> dict[str, pd.DataFrame]:
    gen = SyntheticDataGenerator(seed=9)
    return gen.generate_related_data(CALENDAR, default_sample_size=200)


def test_a_calendar_day_s_parts_are_its_date_s(calendar: dict[str, pd.DataFrame]) -> None:
    days = calendar["date_dim"].dropna(subset=["d_date"])
    dates = pd.to_datetime(days["d_date"])
    assert (days["d_year"] == dates.dt.year).all()
    assert (days["d_moy"] == dates.dt.month).all()
    assert (days["d_dom"] == dates.dt.day).all()
    assert (days["d_qoy"] == dates.dt.quarter).all()
    assert (days["d_dow"] == (dates.dt.day_of_week + 1) % 7).all()  # 0 is Sunday
    assert (days["d_day_name"] == dates.dt.day_name()).all()
    quarters = dates.dt.year.astype(str) + "Q" + dates.dt.quarter.astype(str)
    assert (days["d_quarter_name"] == quarters).all()
    # a month's sequence number is no month of the year
    assert not days["d_month_seq"].between(1, 12).all()


def test_the_profile_says_how_each_part_is_drawn() -> None:
    profile = SyntheticDataGenerator().profile(CALENDAR)
    days = profile.tables["date_dim"].columns
    assert days["d_year"].expr == "year(d_date)"
    assert days["d_day_name"].expr == "dayname(d_date)"
    born = profile.tables["customer"].columns["c_birth_month"]
    assert (born.min, born.max, born.expr) == (1, 12, None)


def test_parts_without_their_date_are_in_range(calendar: dict[str, pd.DataFrame]) -> None:
    customers = calendar["customer"]
    assert customers["c_birth_month"].dropna().between(1, 12).all()
    assert customers["c_birth_day"].dropna().between(1, 31).all()
    assert customers["c_birth_month"].nunique() >= 10
    assert set(customers["c_salutation"].dropna()) <= {"Mr.", "Mrs.", "Ms.", "Dr.", "Miss"}
    assert set(customers["c_marital_status"].dropna()) <= set("MSDWU")
    assert customers["c_marital_status"].nunique() >= 4
    # a duration in months is no month of the year
    assert calendar["person"]["contract_months"].max() > 12


def test_statuses_offsets_and_vocabularies(calendar: dict[str, pd.DataFrame]) -> None:
    people = calendar["person"]
    assert set(people["marital_status"]) <= {"Married", "Single", "Divorced", "Widowed", "Unknown"}
    schooling = {"Primary", "Secondary", "College", "2 yr Degree", "4 yr Degree", "Advanced Degree"}
    assert set(people["education_status"]) <= schooling | {"Unknown"}
    offsets = people["gmt_offset"].astype(float)
    assert offsets.between(-12, 14).all()
    assert ((offsets * 4) % 1 == 0).all()  # whole, half or three-quarter hours
    assert offsets.nunique() >= 8
    assert people["tz_offset"].between(-12, 14).all()


EVENTS: dict[str, Any] = {
    "users": {
        "user_id": "integer",
        "created": "datetime",
        "last_login": {"type": "datetime", "nullable": True},
        "failed_login": {"type": "datetime", "nullable": True},
    },
    "images": {
        "id": "integer",
        "date_creation": {"type": "datetime", "nullable": True},
        "date_available": {"type": "datetime", "default": "1970-01-01 00:00:00"},
    },
    "user_infos": {
        "user_id": "integer",
        "registration_date": "datetime",
        "last_visit": {"type": "datetime", "nullable": True},
    },
    "executions": {
        "id": "integer",
        "start_time": "timestamp",
        "close_time": {"type": "timestamp", "nullable": True},
        "status": "integer",
    },
}


@pytest.fixture(scope="module")
def events() -> dict[str, pd.DataFrame]:
    return SyntheticDataGenerator(seed=6).generate_related_data(EVENTS, default_sample_size=150)


@pytest.mark.parametrize(
    ("table", "earlier", "later"),
    [
        ("users", "created", "last_login"),
        ("users", "created", "failed_login"),
        ("images", "date_creation", "date_available"),
        ("user_infos", "registration_date", "last_visit"),
        ("executions", "start_time", "close_time"),
    ],
)
def test_later_events_follow_the_row_s_first(
    events: dict[str, pd.DataFrame], table: str, earlier: str, later: str
) -> None:
    rows = events[table].dropna(subset=[earlier, later])
    assert len(rows) >= 30
    assert (pd.to_datetime(rows[later]) >= pd.to_datetime(rows[earlier])).all()


def test_an_epoch_default_is_a_placeholder_not_the_common_value(
    events: dict[str, pd.DataFrame],
) -> None:
    available = pd.to_datetime(events["images"]["date_available"])
    assert (available.dt.year > 1970).all()
    spec = SyntheticDataGenerator().profile(EVENTS).tables["images"].columns["date_available"]
    assert spec.default_share is None


def test_an_integer_status_is_a_small_code(events: dict[str, pd.DataFrame]) -> None:
    status = events["executions"]["status"]
    assert status.between(1, 7).all()
    assert status.value_counts().idxmax() == 1


def test_what_is_no_code_no_login_and_no_part() -> None:
    schema: dict[str, Any] = {
        "access_log": {"id": "integer", "created_at": "datetime", "login_time": "datetime"},
        "host_state": {
            "id": "integer",
            "last_state_change": "integer",
            "history_length": "integer",
        },
    }
    profile = SyntheticDataGenerator().profile(schema)
    assert profile.tables["access_log"].columns["login_time"].after is None
    state = profile.tables["host_state"].columns
    assert state["last_state_change"].values is None
    assert state["history_length"].min == 1
