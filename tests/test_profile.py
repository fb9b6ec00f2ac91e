"""The profile: specs carried by every input, layered, checked, drawn; weights, expressions, NULLs.

Statistical checks run on 10,000+ rows with tolerances of four standard errors
(``4 * sqrt(p (1 - p) / n)``), so they hold for any seed yet fail when a weight is ignored.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from syda import SyntheticDataGenerator
from syda.errors import GenerationError, SchemaError
from syda.profile import Profile, dump_profile, load_profile

N = 12_000
DEAL_TYPES = {"New Business": 0.45, "Renewal": 0.30, "Upsell": 0.15, "Cross-sell": 0.10}


def tolerance(p: float, n: int = N) -> float:
    return 4 * math.sqrt(p * (1 - p) / n)


def crm(**deal_columns: Any) -> dict[str, Any]:
    return {
        "accounts": {
            "id": "integer",
            "name": "company",
            "segment": {"type": "string", "values": {"Enterprise": 0.25, "SMB": 0.75}},
            "region": {"type": "varchar(10)", "enum": ["EMEA", "AMER", "APAC"]},
        },
        "deals": {
            "id": "integer",
            "account_id": {"references": "accounts.id"},
            "deal_type": {"type": "string", "values": DEAL_TYPES},
            "quantity": "integer",
            "unit_price": "price",
            **deal_columns,
        },
    }


def generate(schema: Any, rows: int = N, **kwargs: Any) -> dict[str, pd.DataFrame]:
    gen = SyntheticDataGenerator(seed=kwargs.pop("seed", 7))
    return gen.generate_related_data(
        schema, sample_sizes={"accounts": 200, "deals": rows}, **kwargs
    )


# -- weights ---------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2])
def test_declared_weights_hold_within_sampling_error(seed: int) -> None:
    shares = generate(crm(), seed=seed)["deals"]["deal_type"].value_counts(normalize=True)
    for value, weight in DEAL_TYPES.items():
        assert abs(shares[value] - weight) < tolerance(weight), (value, shares[value])


def test_weights_give_the_allowed_values_of_a_check_their_shares() -> None:
    schema = crm(
        status={"type": "varchar(6)", "enum": ["open", "won", "lost"], "weights": [6, 3, 1]}
    )
    shares = generate(schema)["deals"]["status"].value_counts(normalize=True)
    for value, weight in {"open": 0.6, "won": 0.3, "lost": 0.1}.items():
        assert abs(shares[value] - weight) < tolerance(weight)


def test_a_list_of_values_is_equally_likely_and_numbers_keep_their_type() -> None:
    schema = crm(priority={"type": "integer", "values": [1, 2, 3, 4]})
    priority = generate(schema)["deals"]["priority"]
    assert set(priority.unique()) == {1, 2, 3, 4}
    assert pd.api.types.is_integer_dtype(priority)
    assert (priority.value_counts(normalize=True) - 0.25).abs().max() < tolerance(0.25)


# -- expressions over the row and its parents ------------------------------------------------
def test_expr_is_exact_and_reads_columns_the_provider_filled() -> None:
    schema = crm(total={"type": "decimal(12,2)", "expr": "quantity * unit_price"})
    deals = generate(schema)["deals"]
    expected = (deals["quantity"] * deals["unit_price"]).round(2)
    assert (deals["total"] == expected).all()
    assert deals["total"].gt(0).all()


def test_expr_reads_a_parent_through_the_foreign_key_with_case_when() -> None:
    schema = crm(
        tier={
            "type": "varchar(10)",
            "expr": "CASE WHEN account.segment = 'Enterprise' THEN 'gold' ELSE 'standard' END",
        }
    )
    out = generate(schema)
    deals = out["deals"].merge(out["accounts"], left_on="account_id", right_on="id")
    assert ((deals["segment"] == "Enterprise") == (deals["tier"] == "gold")).all()


def test_from_parent_copies_the_parents_value_exactly() -> None:
    out = generate(crm(region={"type": "varchar(10)", "from_parent": "account.region"}))
    deals = out["deals"].merge(
        out["accounts"], left_on="account_id", right_on="id", suffixes=("", "_account")
    )
    assert (deals["region"] == deals["region_account"]).all()


# -- NULLs -----------------------------------------------------------------------------------
def test_null_unless_is_exact_and_null_share_is_a_share() -> None:
    schema = crm(
        stage={"type": "string", "values": {"Open": 0.5, "Closed Won": 0.3, "Closed Lost": 0.2}},
        close_date={
            "type": "date",
            "nullable": True,
            "null_unless": "stage IN ('Closed Won', 'Closed Lost')",
        },
        lost_reason={
            "type": "varchar(40)",
            "nullable": True,
            "values": ["Price", "Timing", "Competitor"],
            "null_unless": "stage = 'Closed Lost'",
        },
        notes={"type": "text", "nullable": True, "null_share": 0.3},
    )
    deals = generate(schema)["deals"]
    closed = deals["stage"].str.startswith("Closed")
    assert (deals["close_date"].isna() == ~closed).all()
    assert (deals["lost_reason"].notna() == (deals["stage"] == "Closed Lost")).all()
    assert abs(deals["notes"].isna().mean() - 0.3) < tolerance(0.3)


def test_null_when_and_nothing_else_is_null() -> None:
    schema = crm(
        discount={"type": "float", "nullable": True, "null_when": "quantity < 2"},
    )
    deals = generate(schema)["deals"]
    assert (deals["discount"].isna() == (deals["quantity"] < 2)).all()


# -- conditioning ------------------------------------------------------------------------------
def test_by_draws_each_case_from_its_own_spec() -> None:
    schema = crm(
        channel={
            "type": "string",
            "values": {"web": 1.0},
            "by": {
                "column": "deal_type",
                "cases": {"Renewal": {"values": {"account manager": 1.0}}},
            },
        }
    )
    deals = generate(schema)["deals"]
    renewal = deals["deal_type"] == "Renewal"
    assert (deals.loc[renewal, "channel"] == "account manager").all()
    assert (deals.loc[~renewal, "channel"] == "web").all()


# -- every input carries specs ----------------------------------------------------------------
class Base(DeclarativeBase):
    pass


class Ticket(Base):
    """A support ticket."""

    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    priority: Mapped[str] = mapped_column(
        sa.String(10), info={"syda": {"values": {"low": 0.7, "high": 0.3}}}
    )
    escalated_on: Mapped[str | None] = mapped_column(
        sa.Date, nullable=True, info={"syda": {"null_unless": "priority = 'high'"}}
    )


def test_sqlalchemy_models_carry_specs_in_column_info() -> None:
    df = SyntheticDataGenerator(seed=3).generate_data(Ticket, sample_size=N)
    assert abs((df["priority"] == "high").mean() - 0.3) < tolerance(0.3)
    assert (df["escalated_on"].notna() == (df["priority"] == "high")).all()


def test_a_profile_overlays_the_schema_and_names_tables_by_key_or_sql_name() -> None:
    profile = {"tickets": {"priority": {"values": {"low": 0.1, "high": 0.9}}}}
    df = SyntheticDataGenerator(seed=3).generate_data(Ticket, sample_size=N, profile=profile)
    assert abs((df["priority"] == "high").mean() - 0.9) < tolerance(0.9)


def test_generate_data_takes_a_column_profile_for_its_one_table() -> None:
    df = SyntheticDataGenerator(seed=3).generate_data(
        {"id": "integer", "plan": "string"},
        sample_size=N,
        profile={"plan": {"values": {"free": 0.8, "pro": 0.2}}},
    )
    assert abs((df["plan"] == "pro").mean() - 0.2) < tolerance(0.2)


# -- the effective profile: visible, editable, round trip ---------------------------------------
def test_the_effective_profile_shows_inferred_and_declared_specs() -> None:
    profile = SyntheticDataGenerator(seed=1).profile(crm())
    deals = profile.tables["deals"].columns
    assert deals["deal_type"].values == DEAL_TYPES
    assert deals["unit_price"].semantic == "price"
    # Keys are made by construction, so the profile has no spec for them.
    assert "id" not in deals and "account_id" not in deals
    # Allowed values show their default weights, so they can be edited.
    region = profile.tables["accounts"].columns["region"].values
    assert isinstance(region, dict) and set(region) == {"EMEA", "AMER", "APAC"}
    assert math.isclose(sum(region.values()), 1, abs_tol=1e-3)


def test_a_written_profile_applied_back_gives_the_same_data() -> None:
    gen = SyntheticDataGenerator(seed=5)
    schema = crm(total={"type": "decimal(12,2)", "expr": "quantity * unit_price"})
    text = dump_profile(gen.profile(schema))
    before = gen.generate_related_data(schema, sample_sizes={"accounts": 20, "deals": 300})
    after = gen.generate_related_data(
        schema, sample_sizes={"accounts": 20, "deals": 300}, profile=load_profile_text(text)
    )
    for key in before:
        pd.testing.assert_frame_equal(before[key], after[key])


def test_an_edited_profile_changes_only_what_was_edited() -> None:
    gen = SyntheticDataGenerator(seed=5)
    profile = gen.profile(crm())
    edited = profile.model_dump()
    edited["tables"]["deals"]["columns"]["deal_type"]["values"] = {"Renewal": 1.0}
    out = gen.generate_related_data(
        crm(), sample_sizes={"accounts": 20, "deals": 300}, profile=edited
    )
    assert (out["deals"]["deal_type"] == "Renewal").all()


def load_profile_text(text: str) -> Profile:
    import yaml

    return load_profile(yaml.safe_load(text))


# -- clear errors -------------------------------------------------------------------------------
def test_every_bad_key_is_listed_in_one_error() -> None:
    with pytest.raises(SchemaError) as info:
        load_profile(
            {
                "deals": {
                    "deal_type": {"valuez": ["a"]},
                    "amount": {"distribution": {"kind": "lognormal", "median": -1}},
                    "kind": {"distribution": {"kind": "gamma"}},
                }
            }
        )
    text = str(info.value)
    assert "deals.deal_type.valuez: unknown key" in text
    assert "deals.amount.distribution.median" in text
    assert "unknown distribution kind 'gamma'" in text
    assert len(info.value.problems) == 3


def test_specs_that_cannot_hold_are_schema_errors() -> None:
    schema = crm(
        status={"type": "varchar(4)", "enum": ["open", "won"], "values": {"open": 1, "closed": 1}},
        code={"type": "varchar(3)", "values": ["ABCD"]},
        note={"type": "text", "null_share": 0.2},  # NOT NULL by default in dict schemas
        tier={"type": "string", "expr": "account.nope"},
        ghost={"type": "string", "null_unless": "missing = 1", "nullable": True},
    )
    with pytest.raises(SchemaError) as info:
        SyntheticDataGenerator(seed=1).profile(schema)
    text = str(info.value)
    assert "'closed' is not one of the column's allowed values" in text
    assert "'ABCD' is longer than the column's 3 characters" in text
    assert "deals.note: the column is NOT NULL, so it cannot have null_share" in text
    assert "parent accounts has no column 'nope'" in text
    assert "deals has no column 'missing'" in text


def test_a_profile_naming_unknown_tables_or_columns_is_refused() -> None:
    with pytest.raises(SchemaError) as info:
        SyntheticDataGenerator(seed=1).profile(
            crm(), profile={"dealz": {"x": {"null_share": 0.1}}, "deals": {"y": {}}}
        )
    assert "table 'dealz' is not in the schema" in str(info.value)
    assert "deals has no column 'y'" in str(info.value)


def test_a_spec_on_a_key_column_is_refused() -> None:
    schema = crm()
    schema["deals"]["account_id"] = {"references": "accounts.id", "values": [1, 2]}
    with pytest.raises(SchemaError, match="key column is filled by construction"):
        SyntheticDataGenerator(seed=1).profile(schema)


def test_dict_column_with_a_distribution_is_a_column_not_a_table() -> None:
    gen = SyntheticDataGenerator(seed=1)
    schema = {"orders": {"id": "integer", "amount": {"type": "float", "values": [1.5, 2.5]}}}
    df = gen.generate_related_data(schema, sample_sizes={"orders": 50})["orders"]
    assert set(df["amount"]) <= {1.5, 2.5}
    assert np.isin(df["amount"], [1.5, 2.5]).all()


# -- vectorised user functions -------------------------------------------------------------------
def test_a_column_generator_reads_declared_columns_and_parents_once_per_batch() -> None:
    from syda import ConfigurationError, depends_on

    calls: list[int] = []

    @depends_on("deal_type", "account.segment")
    def amount(ctx: Any) -> Any:
        calls.append(ctx.n)
        base = np.where(ctx["deal_type"] == "Renewal", 38_000.0, 45_000.0)
        factor = np.where(ctx["account.segment"] == "Enterprise", 3.0, 1.0)
        assert len(ctx.parents["account"]) == ctx.n
        return base * factor

    schema = crm(amount="float")
    out = generate(schema, column_generators={"deals": {"amount": amount}})
    deals = out["deals"].merge(out["accounts"], left_on="account_id", right_on="id")
    expected = np.where(deals["deal_type"] == "Renewal", 38_000.0, 45_000.0) * np.where(
        deals["segment"] == "Enterprise", 3.0, 1.0
    )
    assert (deals["amount"].to_numpy() == expected).all()
    assert calls == [N]  # one call for the whole batch, not one per row

    def undeclared(ctx: Any) -> Any:
        return ctx["deal_type"]

    with pytest.raises(Exception, match="is not declared"):
        generate(schema, rows=10, column_generators={"deals": {"amount": undeclared}})
    with pytest.raises(ConfigurationError, match="filled by foreign_key"):
        generate(schema, rows=10, column_generators={"deals": {"account_id": amount}})


def test_weighted_values_a_check_refuses_are_a_schema_error() -> None:
    schema = {
        "orders": {
            "columns": {
                "id": "integer",
                "status": {"type": "varchar(10)", "values": {"open": 0.9, "void": 0.1}},
                "code": {"type": "varchar(10)", "values": ["A-1", "B-2"]},
            },
            "checks": ["status <> 'void'", "code LIKE 'A%' OR code LIKE 'B%'"],
        }
    }
    with pytest.raises(SchemaError) as info:
        SyntheticDataGenerator(seed=1).profile(schema)
    assert "orders.status: values: 'void' breaks CHECK (status <> 'void')" in str(info.value)
    assert len(info.value.problems) == 1  # the codes pass their CHECK


def test_a_registered_column_generator_fills_every_column_of_its_type() -> None:
    gen = SyntheticDataGenerator(seed=4)
    gen.register_column_generator("price", lambda ctx: np.full(ctx.n, 9.99))
    gen.register_column_generator(
        "float", lambda ctx: np.arange(ctx.n) / 10, column_name="deals.rate"
    )
    schema = crm(rate="float")
    deals = gen.generate_related_data(schema, sample_sizes={"accounts": 5, "deals": 50})["deals"]
    assert (deals["unit_price"] == 9.99).all()
    assert deals["rate"].tolist() == [i / 10 for i in range(50)]
    # The call's own column_generators come first.
    out = gen.generate_related_data(
        schema,
        sample_sizes={"accounts": 5, "deals": 50},
        column_generators={"deals": {"unit_price": lambda ctx: np.full(ctx.n, 1.0)}},
    )
    assert (out["deals"]["unit_price"] == 1.0).all()


def test_each_bad_reference_is_listed_once() -> None:
    schema = crm(
        total={"type": "decimal(12,2)", "expr": "quantty * unit_price"},
        region={"type": "string", "from_parent": "account.regoin"},
        closed_on={"type": "date", "nullable": True, "null_unless": "stag = 'won'"},
        shipped_on={"type": "date", "after": "ordered_on"},
    )
    with pytest.raises(SchemaError) as info:
        SyntheticDataGenerator(seed=1).profile(schema)
    problems = info.value.problems
    assert len(problems) == 4, problems
    assert "deals.total: expr: deals has no column 'quantty'" in problems
    assert "deals.region: from_parent: parent accounts has no column 'regoin'" in problems
    assert "deals.closed_on: null_unless: deals has no column 'stag'" in problems
    assert "deals.shipped_on: after: deals has no column 'ordered_on'" in problems


def test_an_expression_missing_an_operator_is_refused_not_read_as_an_alias() -> None:
    # SQL would read "quantity unit_price" as "quantity AS unit_price": a total equal to quantity.
    schema = crm(total={"type": "decimal(12,2)", "expr": "quantity unit_price"})
    with pytest.raises(SchemaError, match="an operator is missing or doubled before 'unit_price'"):
        SyntheticDataGenerator(seed=1).profile(schema)


def test_weighted_values_the_column_type_cannot_hold_are_refused() -> None:
    schema = crm(seats={"type": "integer", "values": {"a": 1, "3": 1}})
    with pytest.raises(SchemaError) as info:
        SyntheticDataGenerator(seed=1).profile(schema)
    assert info.value.problems == ("deals.seats: values: 'a' is not a valid integer",)


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ({"type": "integer", "expr": "deal_type"}, r"expr gives '[A-Za-z -]+', not a value of"),
        ({"type": "date", "nullable": True, "expr": "quantity"}, r"expr gives \d+, not a value"),
        ({"type": "integer", "from_parent": "account.segment"}, "from_parent gives '"),
    ],
)
def test_an_expression_of_the_wrong_type_is_an_error_not_nulls(
    column: dict[str, Any], expected: str
) -> None:
    with pytest.raises(GenerationError, match=expected):
        generate(crm(odd=column), rows=50)


def test_keys_that_would_be_ignored_and_by_cases_that_cannot_occur_are_refused() -> None:
    schema = crm(
        priority={"type": "integer", "values": [1, 2], "expr": "7"},
        channel={
            "type": "string",
            "by": {"column": "deal_type", "cases": {"Renewal": {"values": ["phone"]}}},
        },
        source={
            "type": "string",
            "values": ["web"],
            "by": {"column": "deal_type", "cases": {"Renewl": {"values": ["event"]}}},
        },
    )
    with pytest.raises(SchemaError) as info:
        SyntheticDataGenerator(seed=1).profile(schema)
    text = str(info.value)
    assert "deals.priority: expr draws this column, so values would be ignored" in text
    assert "deals.channel: by: the rows of other deal_type values need a spec too" in text
    assert "deals.source: by: deal_type never holds 'Renewl'" in text


def test_by_cases_covering_every_value_need_no_other_spec_and_replace_the_base_draw() -> None:
    every = {k: {"values": [k.lower()]} for k in DEAL_TYPES}
    schema = crm(
        label={"type": "string", "by": {"column": "deal_type", "cases": every}},
        score={
            "type": "float",
            "distribution": {"kind": "uniform", "low": 1, "high": 2},
            "by": {"column": "deal_type", "cases": {"Upsell": {"values": [0.0]}}},
        },
    )
    deals = generate(schema, rows=500)["deals"]
    assert (deals["label"] == deals["deal_type"].str.lower()).all()
    upsell = deals["deal_type"] == "Upsell"
    assert (deals.loc[upsell, "score"] == 0).all()
    assert deals.loc[~upsell, "score"].between(1, 2).all()


def test_a_null_rule_that_is_not_a_condition_is_named() -> None:
    from syda.errors import GenerationError

    schema = crm(closed_on={"type": "date", "nullable": True, "null_unless": "deal_type"})
    with pytest.raises(GenerationError, match="'deal_type' is not a condition"):
        generate(schema, rows=20)


def test_a_null_rule_over_a_column_with_nulls_treats_null_as_false() -> None:
    schema = crm(
        stage={"type": "string", "nullable": True, "values": ["a", "b"], "null_share": 0.5},
        closed_on={"type": "date", "nullable": True, "null_unless": "stage = 'a'"},
    )
    deals = generate(schema, rows=2000)["deals"]
    assert deals["stage"].isna().any()
    assert ((deals["stage"] == "a") == deals["closed_on"].notna()).all()


def test_a_unique_column_with_fewer_values_than_rows_is_refused_before_drawing() -> None:
    from syda.errors import PlanError

    schema = {
        "codes": {"id": "integer", "code": {"type": "string", "unique": True, "values": ["A", "B"]}}
    }
    gen = SyntheticDataGenerator(seed=1)
    with pytest.raises(PlanError, match="code is unique but drawn from 2 values for 3 rows"):
        gen.generate_related_data(schema, sample_sizes={"codes": 3})
    two = gen.generate_related_data(schema, sample_sizes={"codes": 2})["codes"]
    assert sorted(two["code"]) == ["A", "B"]
