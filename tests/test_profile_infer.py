"""Inference writes the specs a careful person would, with no configuration (issue 9).

The schemas carry no CHECK and no spec: dates are ordered by their names alone, a status
decides which dates are set, a primary flag marks one row per parent, year columns hold years
in the past and a DEFAULT is the common value. Each expectation is read on the generated rows,
and each inferred spec is visible in ``gen.profile``.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

from syda import SyntheticDataGenerator, dump_profile
from syda.generator import FIXED_REFERENCE_DATE
from tests.sample_schemas import sakila

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from crm_models import MODELS as CRM

STATUSES = ["New", "Processing", "Shipped", "Delivered", "Cancelled"]
SHOP: dict[str, Any] = {
    "customers": {"id": "integer", "name": "company", "created_at": "date"},
    "orders": {
        "id": "integer",
        "customer_id": {"references": "customers.id"},
        "order_date": "date",
        "required_date": "date",
        "shipped_date": {"type": "date", "nullable": True},
        "delivered_date": {"type": "date", "nullable": True},
        "status": {"type": "varchar(20)", "enum": STATUSES},
        "created_at": "timestamp",
        "updated_at": "timestamp",
    },
    "contacts": {
        "id": "integer",
        "customer_id": {"references": "customers.id"},
        "email": "email",
        "is_primary": "boolean",
    },
}
RENTALS: dict[str, Any] = {
    "customer": {"id": "integer", "email": "email", "create_date": "timestamp"},
    "rental": {
        "id": "integer",
        "customer_id": {"references": "customer.id"},
        "rental_date": "timestamp",
        "return_date": {"type": "timestamp", "nullable": True},
    },
    "payment": {
        "id": "integer",
        "rental_id": {"references": "rental.id"},
        "amount": "decimal(5,2)",
        "payment_date": "timestamp",
    },
}


def _days(later: pd.Series[Any], earlier: pd.Series[Any]) -> pd.Series[Any]:
    return (pd.to_datetime(later) - pd.to_datetime(earlier)).dt.total_seconds() / 86400


@pytest.fixture(scope="module")
def shop() -> dict[str, pd.DataFrame]:
    sizes = {"customers": 300, "orders": 3000, "contacts": 900}
    return SyntheticDataGenerator(seed=5).generate_related_data(SHOP, sample_sizes=sizes)


def test_orders_follow_their_customer_and_each_other(shop: dict[str, pd.DataFrame]) -> None:
    orders = shop["orders"].merge(
        shop["customers"][["id", "created_at"]].rename(columns={"id": "customer_id"}),
        on="customer_id",
        suffixes=("", "_customer"),
    )
    assert (_days(orders.order_date, orders.created_at_customer) >= 0).all()
    shipped = orders.shipped_date.notna()
    assert (_days(orders.shipped_date[shipped], orders.order_date[shipped]) >= 0).all()
    delivered = orders.delivered_date.notna()
    gap = _days(orders.delivered_date[delivered], orders.shipped_date[delivered])
    assert (gap >= 0).all() and 1 <= gap.median() <= 6
    required = _days(orders.required_date, orders.order_date)
    assert required.between(7, 14).all()
    assert (_days(orders.updated_at, orders.created_at) >= 0).all()


def test_a_status_decides_which_dates_are_set(shop: dict[str, pd.DataFrame]) -> None:
    orders = shop["orders"]
    sent = orders.status.isin(["Shipped", "Delivered"])
    assert orders.shipped_date[~sent].isna().all() and orders.shipped_date[sent].notna().all()
    done = orders.status == "Delivered"
    assert orders.delivered_date[~done].isna().all() and orders.delivered_date[done].notna().all()
    assert sent.sum() > 100 and (~sent).sum() > 100


def test_one_primary_contact_per_customer(shop: dict[str, pd.DataFrame]) -> None:
    per = shop["contacts"].groupby("customer_id").is_primary.sum()
    assert (per == 1).all()


def test_the_inferred_specs_are_in_the_profile() -> None:
    profile = SyntheticDataGenerator().profile(SHOP)
    orders = profile.tables["orders"]
    assert orders.columns["shipped_date"].after == "order_date"
    assert orders.columns["shipped_date"].null_unless == "status IN ('Shipped', 'Delivered')"
    assert orders.columns["delivered_date"].after == "shipped_date"
    assert orders.columns["order_date"].after == "customer.created_at"
    assert orders.columns["updated_at"].after == "created_at"
    contacts = profile.tables["contacts"]
    assert contacts.exactly_ones()[0].column == "is_primary"
    assert contacts.exactly_ones()[0].per == "customer_id"
    assert "after: order_date" in dump_profile(profile)


def test_returns_and_payments_follow_the_rental() -> None:
    sizes = {"customer": 200, "rental": 2000, "payment": 2000}
    gen = SyntheticDataGenerator(seed=2)
    data = gen.generate_related_data(RENTALS, sample_sizes=sizes)
    customers = data["customer"].rename(columns={"id": "customer_id"})
    rental = data["rental"].merge(customers, on="customer_id")
    assert (_days(rental.rental_date, rental.create_date) >= 0).all()
    back = rental.return_date.notna()
    kept = _days(rental.return_date[back], rental.rental_date[back])
    assert kept.between(0, 7).all()
    # Returned 3-7 days later, unless that would be after today: a past event stays past.
    today = pd.Timestamp(gen.reference_date) + pd.Timedelta(days=1)
    age = (today - pd.to_datetime(rental.rental_date[back])).dt.total_seconds()
    short = kept < 3
    assert (age[short] < 7 * 86400).all() and short.mean() < 0.05
    paid = data["payment"].merge(data["rental"].rename(columns={"id": "rental_id"}), on="rental_id")
    assert _days(paid.payment_date, paid.rental_date).between(0, 3).all()


def test_a_declared_spec_or_a_constraint_keeps_inference_out() -> None:
    schema = {
        "orders": {
            "id": "integer",
            "order_date": "date",
            "shipped_date": {"type": "date", "nullable": True},
            "closed_date": "date",  # NOT NULL: no null_unless
            "status": {"type": "varchar(10)", "enum": ["Open", "Shipped", "Closed"]},
        }
    }
    columns = SyntheticDataGenerator().profile(schema).tables["orders"].columns
    assert columns["shipped_date"].after == "order_date"
    assert columns["closed_date"].after is None and columns["closed_date"].null_unless is None
    user = {"orders": {"shipped_date": {"min": "2021-01-01", "null_share": 0.1}}}
    columns = SyntheticDataGenerator().profile(schema, user).tables["orders"].columns
    assert columns["shipped_date"].after is None and columns["shipped_date"].gap is None
    assert columns["shipped_date"].null_unless is None


def test_a_check_the_other_way_round_wins_over_the_names() -> None:
    schema = {
        "tasks": {
            "columns": {"id": "integer", "start_date": "date", "end_date": "date"},
            "checks": ["end_date <= start_date"],
        }
    }
    columns = SyntheticDataGenerator().profile(schema).tables["tasks"].columns
    assert columns["end_date"].after is None


def test_year_columns_hold_years_in_the_past() -> None:
    this = FIXED_REFERENCE_DATE.year
    schema = {
        "people": {
            "id": "integer",
            "born": "integer",
            "founded_year": "integer",
            "release_year": {"type": "smallint", "min": 1901, "max": 2155},
            "year": "varchar(4)",
            "year_level": {"type": "integer", "min": 1, "max": 4},
        }
    }
    rows = SyntheticDataGenerator(seed=1).generate_data(schema, sample_size=1000)
    assert rows.born.between(this - 90, this - 18).all()
    assert rows.founded_year.between(this - 150, this - 1).all()
    assert rows.release_year.between(this - 60, this).all()
    assert rows.year.astype(int).between(this - 10, this + 1).all()
    assert rows.year_level.between(1, 4).all()


class _Base(DeclarativeBase):
    pass


class _Member(_Base):
    __tablename__ = "members"
    id = sa.Column(sa.Integer, primary_key=True)
    active = sa.Column(sa.CHAR(1), nullable=False, server_default=sa.text("'Y'"))
    tier = sa.Column(sa.Enum("Free", "Pro", "Team", name="tier"), nullable=False, default="Free")
    newsletter = sa.Column(sa.Boolean, nullable=False, server_default=sa.true())


def test_defaults_are_the_common_value() -> None:
    n = 10_000
    rows = SyntheticDataGenerator(seed=3).generate_data(_Member, sample_size=n)
    tolerance = 4 * math.sqrt(0.8 * 0.2 / n)
    assert set(rows.active) == {"Y", "N"}
    assert abs((rows.active == "Y").mean() - 0.8) < tolerance
    assert abs((rows.tier == "Free").mean() - 0.8) < tolerance
    assert set(rows.tier) == {"Free", "Pro", "Team"}
    assert abs(rows.newsletter.astype(bool).mean() - 0.8) < tolerance


def test_the_crm_demo_reads_as_believable() -> None:
    data = SyntheticDataGenerator(seed=7).generate_related_data(
        models=CRM,
        sample_sizes={"Customer": 100, "Product": 20, "Order": 1200},
        cardinality={"Contact.customer_id": "1-4", "OrderItem.order_id": "1-3"},
    )
    orders = data["Order"].merge(
        data["Customer"][["id", "created_at"]].rename(columns={"id": "customer_id"}),
        on="customer_id",
    )
    known = orders.created_at.notna()  # a customer of unknown age has orders of any date
    assert (_days(orders.order_date[known], orders.created_at[known]) >= 0).all()
    early = orders.status.isin(["New", "Processing", "Cancelled"])
    assert orders.shipped_date[early].isna().all() and orders.shipped_date[~early].notna().all()
    assert (data["Contact"].groupby("customer_id").is_primary.sum() == 1).all()


def test_sakila_payments_follow_their_rental() -> None:
    data = SyntheticDataGenerator(seed=4).generate_related_data(
        models=sakila.MODELS, sample_sizes={"Customer": 50, "Rental": 1000, "Payment": 1000}
    )
    paid = data["Payment"].merge(data["Rental"], on="rental_id", suffixes=("", "_rental"))
    assert _days(paid.payment_date, paid.rental_date).between(0, 3).all()
    rental = data["Rental"].merge(data["Customer"], on="customer_id", suffixes=("", "_customer"))
    assert (_days(rental.rental_date, rental.create_date) >= 0).all()


STAFF: dict[str, Any] = {
    "employees": {
        "emp_no": {"type": "integer", "primary_key": True},
        "birth_date": "date",
        "hire_date": "date",
    },
    "salaries": {
        "emp_no": {"references": "employees.emp_no", "primary_key": True},
        "from_date": {"type": "date", "primary_key": True},
        "to_date": "date",
        "salary": "integer",
    },
}


@pytest.fixture(scope="module")
def staff() -> tuple[SyntheticDataGenerator, dict[str, pd.DataFrame]]:
    gen = SyntheticDataGenerator(seed=9)
    sizes = {"employees": 10_000, "salaries": 10_000}
    return gen, gen.generate_related_data(STAFF, sample_sizes=sizes)


def test_people_are_hired_as_adults(
    staff: tuple[SyntheticDataGenerator, dict[str, pd.DataFrame]],
) -> None:
    gen, data = staff
    people = data["employees"]
    age = _days(people.hire_date, people.birth_date) / 365.25
    # Adults by the calendar (18 years of 365.25 days may be a day short of 18 birthdays).
    assert age.between(18 - 1 / 365, 60).all()
    # Most are hired young (a triangular 18-25-60 age, younger where the reference day caps it).
    assert 24 <= age.median() <= 40
    assert (pd.to_datetime(people.hire_date) <= pd.Timestamp(gen.reference_date)).all()


def test_spells_start_after_the_hire_even_in_a_composite_key(
    staff: tuple[SyntheticDataGenerator, dict[str, pd.DataFrame]],
) -> None:
    _, data = staff
    people = data["employees"][["emp_no", "hire_date"]]
    spells = data["salaries"].merge(people, on="emp_no")
    assert len(spells) == 10_000
    assert (_days(spells.from_date, spells.hire_date) >= 0).all()
    assert (_days(spells.to_date, spells.from_date) >= 0).all()
    assert not data["salaries"].duplicated(["emp_no", "from_date"]).any()
    profile = SyntheticDataGenerator().profile(STAFF)
    assert profile.tables["employees"].columns["hire_date"].after == "birth_date"
    gap = profile.tables["employees"].columns["hire_date"].gap
    assert gap is not None and gap.unit == "years"
    assert profile.tables["salaries"].columns["from_date"].after == "emp.hire_date"


def test_the_table_s_own_status_vocabulary_implies_its_shipped_date() -> None:
    schema: dict[str, Any] = {
        "orders": {
            "id": "integer",
            "order_date": "date",
            "shipped_date": {"type": "date", "nullable": True},
            "status": "varchar(15)",
        }
    }
    profile = SyntheticDataGenerator().profile(schema)
    unless = profile.tables["orders"].columns["shipped_date"].null_unless
    assert unless is not None and unless.startswith("status IN (")
    orders = SyntheticDataGenerator(seed=3).generate_related_data(
        schema, sample_sizes={"orders": 10_000}
    )["orders"]
    waiting = orders.status.isin(["Pending", "Processing", "Cancelled"])
    assert waiting.sum() > 1000 and orders.shipped_date[waiting].isna().all()
    assert orders.shipped_date[orders.status.isin(["Shipped", "Delivered"])].notna().all()


def test_stays_leaves_and_posts_follow_their_start() -> None:
    schema: dict[str, Any] = {
        "admissions": {
            "id": "integer",
            "admitted_at": "timestamp",
            "discharged_at": {"type": "timestamp", "nullable": True},
            "status": {"type": "varchar(12)", "enum": ["admitted", "discharged"]},
        },
        "employees": {
            "id": "integer",
            "hire_date": "date",
            "termination_date": {"type": "date", "nullable": True},
        },
        "posts": {
            "id": "integer",
            "created_at": "timestamp",
            "published_at": {"type": "timestamp", "nullable": True},
            "status": {"type": "varchar(10)", "enum": ["draft", "published"]},
        },
    }
    sizes = {"admissions": 2000, "employees": 2000, "posts": 2000}
    data = SyntheticDataGenerator(seed=4).generate_related_data(schema, sample_sizes=sizes)
    stays = data["admissions"]
    out = stays.status == "discharged"
    assert stays.discharged_at[~out].isna().all() and out.sum() > 500
    assert (_days(stays.discharged_at[out], stays.admitted_at[out]) >= 0).all()
    staff = data["employees"]
    left = staff.termination_date.notna()
    assert (_days(staff.termination_date[left], staff.hire_date[left]) >= 0).all()
    posts = data["posts"]
    live = posts.status == "published"
    assert posts.published_at[~live].isna().all() and live.sum() > 500
    assert (_days(posts.published_at[live], posts.created_at[live]) >= 0).all()
    # Without a creation date of its own, a post is still published after its author joined.
    blog = {"authors": {"id": "integer", "created_at": "timestamp"},
            "notes": {"id": "integer", "author_id": {"references": "authors.id"},
                      "published_at": "timestamp"}}  # fmt: skip
    notes = SyntheticDataGenerator().profile(blog).tables["notes"]
    assert notes.columns["published_at"].after == "author.created_at"


def test_a_loan_falls_due_weeks_after_it_is_made() -> None:
    schema: dict[str, Any] = {
        "loans": {"id": "integer", "loaned_at": "date", "due_date": "date"},
        "tasks": {"id": "integer", "title": "varchar(40)", "due_date": "date"},
    }
    gen = SyntheticDataGenerator(seed=6)
    loans = gen.generate_related_data(schema, sample_sizes={"loans": 2000, "tasks": 5})["loans"]
    assert _days(loans.due_date, loans.loaned_at).between(14, 30).all()
    # A due date with nothing to follow stays free.
    assert gen.profile(schema).tables["tasks"].columns["due_date"].after is None


def test_end_dates_without_a_status_are_null_where_the_end_is_still_to_come() -> None:
    schema = {
        "employees": {
            "id": "integer",
            "hire_date": "date",
            "termination_date": {"type": "date", "nullable": True},
        },
        "loans": {
            "id": "integer",
            "employee_id": {"references": "employees.id"},
            "loaned_at": "datetime",
            "returned_at": {"type": "datetime", "nullable": True},
        },
    }
    out = SyntheticDataGenerator(seed=1).generate_related_data(
        schema, sample_sizes={"employees": 4000, "loans": 4000}
    )
    still_employed = out["employees"]["termination_date"].isna().mean()
    outstanding = out["loans"]["returned_at"].isna().mean()
    n = 4000
    assert abs(still_employed - 0.85) < 4 * (0.85 * 0.15 / n) ** 0.5
    assert abs(outstanding - 0.15) < 4 * (0.15 * 0.85 / n) ** 0.5
    left = out["employees"].dropna()
    assert (left["termination_date"] >= left["hire_date"]).all()
