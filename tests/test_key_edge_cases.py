"""Keys in the shapes real schemas take: shared columns, grouped self-references, local keys."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pandas as pd
import pytest
from sqlalchemy import Column, ForeignKeyConstraint, Integer, String, Uuid
from sqlalchemy.orm import DeclarativeBase

from syda import (
    PlanError,
    SchemaError,
    SyntheticDataGenerator,
)


class Base(DeclarativeBase):
    pass


class Tenant(Base):
    __tablename__ = "tenant"
    id = Column(Integer, primary_key=True)
    name = Column(String(40), nullable=False)


class Customer(Base):
    __tablename__ = "customer"
    tenant_id = Column(Integer, primary_key=True)
    id = Column(Integer, primary_key=True)
    name = Column(String(40), nullable=False)
    __table_args__ = (ForeignKeyConstraint(["tenant_id"], ["tenant.id"]),)


class Product(Base):
    __tablename__ = "product"
    tenant_id = Column(Integer, primary_key=True)
    id = Column(Integer, primary_key=True)
    __table_args__ = (ForeignKeyConstraint(["tenant_id"], ["tenant.id"]),)


class Sale(Base):
    """Multi-tenant: both keys share tenant_id, so a sale never mixes two tenants."""

    __tablename__ = "sale"
    id = Column(Integer, primary_key=True)
    tenant_id = Column(Integer, nullable=False)
    customer_id = Column(Integer, nullable=False)
    product_id = Column(Integer, nullable=False)
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customer.tenant_id", "customer.id"]),
        ForeignKeyConstraint(["tenant_id", "product_id"], ["product.tenant_id", "product.id"]),
    )


class Staff(Base):
    """A manager is always in the same tenant: (tenant_id, manager_id) -> (tenant_id, id)."""

    __tablename__ = "staff"
    tenant_id = Column(Integer, primary_key=True)
    id = Column(Integer, primary_key=True)
    manager_id = Column(Integer)
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenant.id"]),
        ForeignKeyConstraint(["tenant_id", "manager_id"], ["staff.tenant_id", "staff.id"]),
    )


class Device(Base):
    __tablename__ = "device"
    id = Column(Uuid, primary_key=True)
    label = Column(String(30), nullable=False)


def pairs(frame: pd.DataFrame, *cols: str) -> set[tuple[Any, ...]]:
    return set(frame[list(cols)].dropna().itertuples(index=False, name=None))


def test_foreign_keys_that_share_a_column_agree_on_it() -> None:
    sizes = {"Tenant": 3, "Sale": 200}
    gen = SyntheticDataGenerator(seed=1)
    results = gen.generate_related_data(
        models=[Tenant, Customer, Product, Sale],
        sample_sizes=sizes,
        # Every tenant has customers and products, as in real multi-tenant data.
        cardinality={"Customer.tenant_id": "2-6", "Product.tenant_id": "1-5"},
    )
    sales = results["Sale"]
    assert pairs(sales, "tenant_id", "customer_id") <= pairs(results["Customer"], "tenant_id", "id")
    assert pairs(sales, "tenant_id", "product_id") <= pairs(results["Product"], "tenant_id", "id")


def test_a_grouped_self_reference_stays_in_its_group() -> None:
    results = SyntheticDataGenerator(seed=2).generate_related_data(
        models=[Tenant, Staff], sample_sizes={"Tenant": 3, "Staff": 60}
    )
    staff = results["Staff"]
    assert not staff.duplicated(["tenant_id", "id"]).any()
    managed = staff.dropna(subset=["manager_id"])
    assert pairs(managed, "tenant_id", "manager_id") <= pairs(staff, "tenant_id", "id")
    # The first row of each tenant is its root; every other row points at an earlier row of it.
    position = {key: i for i, key in enumerate(zip(staff["tenant_id"], staff["id"], strict=True))}
    roots = staff[staff["manager_id"].isna()]
    assert len(roots) == staff["tenant_id"].nunique()
    assert list(roots.index) == [
        staff.index[staff["tenant_id"] == t][0] for t in roots["tenant_id"]
    ]
    for row, (tenant, manager) in enumerate(
        zip(staff["tenant_id"], staff["manager_id"], strict=True)
    ):
        if not pd.isna(manager):
            assert position[(tenant, manager)] < row, f"row {row} points at a later row"


def test_uuid_keys_are_made_locally_and_unique() -> None:
    # Which columns the provider is asked for is tested once, in test_invariants.py.
    df = SyntheticDataGenerator(seed=4).generate_data(schema=Device, sample_size=25)
    assert isinstance(df, pd.DataFrame)
    assert df["id"].is_unique and df["id"].notna().all()
    ids = [str(value) for value in df["id"]]
    assert ids == [str(UUID(value)) for value in ids], "not canonical UUIDs"


def test_a_nullable_key_into_an_empty_parent_is_null() -> None:
    schema = {
        "team": {"id": {"type": "integer", "primary_key": True}, "name": "string"},
        "player": {
            "id": {"type": "integer", "primary_key": True},
            "team_id": {"references": "team.id", "nullable": True},
        },
    }
    results = SyntheticDataGenerator().generate_related_data(
        schema, sample_sizes={"team": 0, "player": 5}
    )
    assert results["player"]["team_id"].isna().all()


@pytest.mark.parametrize("nullable", [True, False])
def test_a_one_to_one_self_reference_is_unique(nullable: bool) -> None:
    schema = {
        "version": {
            "id": {"type": "integer", "primary_key": True},
            "previous_id": {"references": "version.id", "unique": True, "nullable": nullable},
        }
    }
    results = SyntheticDataGenerator().generate_related_data(schema, sample_sizes={"version": 6})
    previous = results["version"]["previous_id"].dropna()
    assert previous.is_unique
    assert len(previous) >= 5


def test_a_cardinality_on_a_cycle_closing_key_is_a_plan_error() -> None:
    schema = {
        "dept": {
            "id": {"type": "integer", "primary_key": True},
            "head_id": {"references": "emp.id", "nullable": True},
        },
        "emp": {
            "id": {"type": "integer", "primary_key": True},
            "dept_id": {"references": "dept.id"},
        },
    }
    with pytest.raises(PlanError, match="closes a cycle"):
        SyntheticDataGenerator().generate_related_data(schema, cardinality={"dept.head_id": "1"})


def test_a_generator_for_part_of_a_composite_key_is_refused() -> None:
    with pytest.raises(SchemaError, match="rest of foreign key"):
        SyntheticDataGenerator().generate_related_data(
            models=[Tenant, Customer, Product, Sale],
            custom_generators={"Sale": {"customer_id": lambda r, c: 1}},
        )


@pytest.mark.parametrize(("length", "rows"), [(1, 36), (2, 1296), (3, 5000)])
def test_short_unique_codes_fill_their_whole_domain(length: int, rows: int) -> None:
    schema = {"code": {"type": "string", "length": length, "unique": True}}
    df = SyntheticDataGenerator().generate_data(schema=schema, sample_size=rows)
    assert isinstance(df, pd.DataFrame)
    assert df["code"].is_unique
    assert df["code"].str.len().max() <= length
