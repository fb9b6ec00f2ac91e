"""Keys in the shapes real schemas take: shared columns, grouped self-references, local keys."""

from __future__ import annotations

import math
from typing import Any
from uuid import UUID

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Column, ForeignKeyConstraint, Integer, String, Uuid
from sqlalchemy.orm import DeclarativeBase

from syda import (
    PlanError,
    SchemaError,
    SyntheticDataGenerator,
)
from syda.generators.keys import (
    distinct_combinations,
    distinct_partners,
    group_sequence,
    grouped_self_positions,
    matching_positions,
    parse_cardinality,
    self_reference_positions,
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


# --- the samplers of syda.generators.keys, called directly ---------------------------------------


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.mark.parametrize("total", [20, 40], ids=["all-at-the-low-end", "all-at-the-high-end"])
def test_a_total_at_either_end_of_the_range_is_reached(total: int) -> None:
    counts = parse_cardinality("2-4").fit_total(rng(), 10, total)
    assert counts.sum() == total and counts.min() >= 2 and counts.max() <= 4


def test_a_mean_below_one_may_leave_parents_without_children() -> None:
    counts = parse_cardinality({"mean": 0.3}).fit_total(rng(), 10, 3)
    assert counts.sum() == 3 and counts.min() == 0


def test_a_function_giving_no_children_spreads_the_total_evenly() -> None:
    card = parse_cardinality(lambda r, n: np.zeros(n))
    assert card.fit_total(rng(), 4, 8).tolist() == [2, 2, 2, 2]
    assert card.fit_total(rng(), 0, 0).tolist() == []


def test_a_function_giving_huge_counts_is_cut_to_the_total() -> None:
    # Three counts of 2**62 overflow an int64 sum unless each is clipped to the total first.
    counts = parse_cardinality(lambda r, n: np.full(n, 2**62)).fit_total(rng(), 3, 8)
    assert counts.sum() == 8 and counts.max() <= 8


@pytest.mark.parametrize("n_other", [1, 3])
def test_distinct_partners_may_use_every_partner_in_one_block(n_other: int) -> None:
    counts = np.array([n_other, 0, n_other], dtype=np.int64)
    picked = distinct_partners(rng(), counts, n_other)
    assert picked.dtype == np.int64
    assert sorted(picked[:n_other]) == sorted(picked[n_other:]) == list(range(n_other))


def test_distinct_partners_of_no_rows_and_no_partners_are_empty() -> None:
    picked = distinct_partners(rng(), np.zeros(2, dtype=np.int64), 0)
    assert picked.dtype == np.int64 and picked.shape == (0,)
    with pytest.raises(PlanError, match="needs 1 distinct partners but only 0"):
        distinct_partners(rng(), np.ones(2, dtype=np.int64), 0)


def test_matching_positions_pick_every_parent_of_the_group_and_minus_one_without() -> None:
    parents = pd.DataFrame({"tenant": ["a", "b", "a", "b", "a"]})
    children = pd.DataFrame({"tenant": ["a"] * 500 + ["b"] * 500 + ["z"]})
    picked = matching_positions(rng(), parents, children)
    assert set(picked[:500]) == {0, 2, 4} and set(picked[500:1000]) == {1, 3}
    assert picked[1000] == -1


@pytest.mark.parametrize("nullable", [True, False])
def test_grouped_self_positions_point_at_earlier_rows_of_the_same_group(nullable: bool) -> None:
    groups = pd.DataFrame({"org": ["x", "y", "x", "y", "x", "y", "x"]})
    pos = grouped_self_positions(rng(), groups, nullable=nullable)
    roots = [0, 1]  # the first row of each group
    assert pos[roots].tolist() == ([-1, -1] if nullable else roots)
    for row in range(2, len(groups)):
        assert pos[row] < row and groups["org"][pos[row]] == groups["org"][row]


def test_grouped_self_positions_draw_each_target_uniformly_over_the_earlier_rows() -> None:
    # Row k of a group points at one of its k earlier rows, each equally likely, so it points
    # into the first half of them with probability ceil(k/2)/k (5 sigma over n rows).
    n = 10_000
    pos = grouped_self_positions(rng(), pd.DataFrame({"g": [1] * n}), nullable=True)
    rank = np.arange(1, n)
    expected = float(np.mean(np.ceil(rank / 2) / rank))
    share = float(np.mean(pos[1:] < rank / 2))
    assert abs(share - expected) <= 5 * math.sqrt(0.25 / n)


def test_combinations_too_many_to_enumerate_are_drawn_distinct_and_in_range() -> None:
    # 10**8 combinations is past the enumeration limit: tuples are drawn and redrawn.
    cols = distinct_combinations(rng(), [10_000, 10_000], 5_000)
    assert [c.dtype for c in cols] == [np.int64, np.int64]
    assert len(set(zip(*(c.tolist() for c in cols), strict=True))) == 5_000
    assert all(0 <= c.min() and c.max() < 10_000 for c in cols)
    assert all(c.min() == 0 or c.max() > 9_000 for c in cols)  # spread over the whole range
    assert [c.shape for c in distinct_combinations(rng(), [3, 4], 0)] == [(0,), (0,)]


def test_line_numbers_count_from_one_within_each_group_including_a_null_group() -> None:
    frame = pd.DataFrame({"order": [2, 1, 2, None, 1, None, 2]})
    assert group_sequence(frame, ["order"]).tolist() == [1, 1, 2, 1, 2, 2, 3]


@pytest.mark.parametrize(("nullable", "one_to_one"), [(True, True), (True, False), (False, False)])
def test_self_references_point_at_earlier_rows(nullable: bool, one_to_one: bool) -> None:
    n = 2_000
    pos = self_reference_positions(rng(), n, nullable=nullable, one_to_one=one_to_one)
    assert pos.dtype == np.int64 and pos.shape == (n,)
    assert pos[0] == (-1 if nullable else 0)
    assert (pos[1:] < np.arange(1, n)).all()
    if one_to_one:
        assert pos[1:].tolist() == list(range(n - 1))  # a chain
    else:
        assert len(set(pos[1:].tolist())) > n // 4  # a tree, not one shared parent
    if one_to_one or not nullable:
        assert (pos[1:] >= 0).all()  # only a nullable tree has more roots than the first row


# -- the samplers' edges, as the last mutation pass asked ---------------------------------------
def test_sample_many_edges_and_types() -> None:
    from syda.generators.keys import sample_many

    rng = np.random.default_rng(0)
    empty = sample_many(rng, 5, 0)
    assert empty.dtype == np.int64 and empty.shape == (0,)
    one = sample_many(rng, 1, 4)  # a single parent takes every child
    assert one.dtype == np.int64 and one.tolist() == [0, 0, 0, 0]
    with pytest.raises(PlanError, match="the parent table has no rows to point at"):
        sample_many(rng, 0, 3)


def test_sample_one_to_one_is_distinct_and_says_why_it_cannot_be() -> None:
    from syda.generators.keys import sample_one_to_one

    rng = np.random.default_rng(1)
    picked = sample_one_to_one(rng, 50, 50)
    assert sorted(picked.tolist()) == list(range(50)) and picked.dtype == np.int64
    with pytest.raises(PlanError, match=r"3 rows need distinct parents .* only 2 rows"):
        sample_one_to_one(rng, 2, 3)


def test_distinct_combinations_edges_on_both_paths() -> None:
    from syda.generators.keys import distinct_combinations

    rng = np.random.default_rng(2)
    with pytest.raises(PlanError, match=r"only 2 x 3 = 6 distinct combinations"):
        distinct_combinations(rng, [2, 3], 7)
    assert [a.dtype for a in distinct_combinations(rng, [2, 3], 0)] == [np.int64, np.int64]
    assert [len(a) for a in distinct_combinations(rng, [2, 3], 1)] == [1, 1]
    # Exactly at the enumeration limit, and past it: 1,000,000 draws among 2 x 25,000,001
    # combinations collide a few thousand times, so the redraw runs; every pair stays distinct
    # and inside its parent's range, the first parent's 0 included.
    for sizes in ([2, 25_000_000], [2, 25_000_001]):
        a, b = distinct_combinations(rng, sizes, 1_000_000)
        assert a.dtype == np.int64 and b.dtype == np.int64
        assert set(np.unique(a)) == {0, 1}
        assert b.min() >= 0 and b.max() < sizes[1]
        assert not pd.DataFrame({"a": a, "b": b}).duplicated().any()


def test_take_parent_keys_gives_null_for_minus_one_and_keeps_integers() -> None:
    from syda.generators.keys import take_parent_keys

    parent = pd.DataFrame({"id": [10, 20, 30], "code": ["a", "b", "c"]})
    out = take_parent_keys(parent, ["id", "code"], np.array([2, -1, 0, 1]))
    assert out["id"].tolist()[0] == 30 and pd.isna(out["id"].iloc[1]) and out["id"].iloc[2] == 10
    assert str(out["id"].dtype) == "Int64"
    assert [out["code"].iloc[i] for i in (0, 2, 3)] == ["c", "a", "b"]
    assert pd.isna(out["code"].iloc[1])
    empty = take_parent_keys(parent.iloc[:0], ["id", "code"], np.array([-1, -1]))
    assert empty["id"].dtype == object and empty["id"].isna().all() and len(empty["code"]) == 2


def test_cardinality_counts_of_a_function_a_mean_and_a_range() -> None:
    from syda.generators.keys import Cardinality

    rng = np.random.default_rng(3)
    seen: list[Any] = []

    def busy(r: np.random.Generator, n_parents: int) -> Any:
        seen.append(r)
        return r.integers(0, 3, n_parents)

    counts = Cardinality(fn=busy).counts(rng, 40)
    assert seen == [rng] and counts.dtype == np.int64 and counts.shape == (40,)
    for bad in (lambda r, n: [1] * (n + 1), lambda r, n: [-1] * n):
        with pytest.raises(PlanError, match="must return 40 non-negative counts"):
            Cardinality(fn=bad).counts(rng, 40)
    poisson = Cardinality(mean=5.0).counts(rng, 10_000)
    assert poisson.dtype == np.int64 and abs(poisson.mean() - 5.0) < 4 * math.sqrt(5 / 10_000)
    assert Cardinality(low=2, high=4).counts(rng, 50).dtype == np.int64


def test_parse_cardinality_bounds_and_messages() -> None:
    from syda.generators.keys import MAX_COUNT, parse_cardinality

    assert parse_cardinality("~0").mean == 0  # no children on average is a valid mean
    assert parse_cardinality({"mean": MAX_COUNT}).mean == MAX_COUNT
    assert parse_cardinality((0, MAX_COUNT)).high == MAX_COUNT
    with pytest.raises(PlanError) as unnamed:
        parse_cardinality("x")
    assert str(unnamed.value).startswith("cardinality 'x': use N")
    with pytest.raises(PlanError) as named:
        parse_cardinality("x", "Order.customer_id")
    assert str(named.value).startswith("cardinality Order.customer_id='x': use N")


def test_self_references_point_at_earlier_rows_with_a_few_null_roots() -> None:
    from syda.generators.keys import self_reference_positions

    rng = np.random.default_rng(4)
    assert self_reference_positions(rng, 0, nullable=True, one_to_one=False).dtype == np.int64
    for n in (1, 2):
        first = self_reference_positions(rng, n, nullable=True, one_to_one=False)
        assert first[0] == -1 and len(first) == n
    roots_seen = 0
    for seed in range(40):
        pos = self_reference_positions(
            np.random.default_rng(seed), 1000, nullable=True, one_to_one=False
        )
        assert pos.dtype == np.int64
        rest = pos[1:]
        assert ((rest == -1) | ((rest >= 0) & (rest < np.arange(1, 1000)))).all()
        roots_seen += int((rest == -1).sum())
    # About 3 roots per 1,000 rows (min(0.1, 3 / n)): 120 expected over 40 runs, sd about 11.
    assert abs(roots_seen - 120) < 45


def test_group_sequences_number_rows_in_their_order_within_each_group() -> None:
    from syda.generators.keys import group_sequence

    frame = pd.DataFrame({"order": [2, 1, 2, None, 1, None]})
    seq = group_sequence(frame, ["order"])
    assert seq.dtype == np.int64
    assert seq.tolist() == [1, 1, 2, 1, 2, 2]
