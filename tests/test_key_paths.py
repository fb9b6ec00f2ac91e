"""Keys along two paths agree: a payment's customer is its rental's customer."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from syda import SyntheticDataGenerator
from tests.sample_schemas import sakila

RENTALS: dict[str, Any] = {
    "customer": {"id": "integer", "name": "varchar(40)"},
    "rental": {"id": "integer", "customer_id": {"references": "customer"}},
    "payment": {
        "id": "integer",
        "customer_id": {"references": "customer"},
        "rental_id": {"references": "rental"},
        "amount": {"type": "integer", "min": 1, "max": 9},
    },
}


def joined(frames: dict[str, pd.DataFrame], child: str, parent: str, key: str) -> pd.DataFrame:
    return frames[child].merge(frames[parent], left_on=key, right_on="id", suffixes=("", "_p"))


def test_the_key_to_a_is_copied_from_the_chosen_b_row() -> None:
    gen = SyntheticDataGenerator(seed=1)
    sizes = {"customer": 30, "rental": 200, "payment": 500}
    frames = gen.generate_related_data(schema=RENTALS, sample_sizes=sizes)
    rows = joined(frames, "payment", "rental", "rental_id")
    assert len(rows) == 500
    assert (rows.customer_id == rows.customer_id_p).all()
    # Still a sample, not one customer: the rentals spread over the customers.
    assert rows.customer_id.nunique() > 10
    source = gen.plan(schema=RENTALS).tables["payment"].sources["customer_id"]
    assert source.detail == "copied from rental.customer_id"


def test_a_null_on_the_path_is_null_where_allowed_and_sampled_where_not() -> None:
    schema = {
        **RENTALS,
        "rental": {"id": "integer", "customer_id": {"references": "customer", "nullable": True}},
        "payment": {**RENTALS["payment"], "note_id": "integer"},
    }
    nullable = {**schema, "payment": {**schema["payment"]}}
    nullable["payment"]["customer_id"] = {"references": "customer", "nullable": True}

    def every_third_null(row: dict[str, Any], _column: str) -> int | None:
        return None if row["id"] % 3 == 0 else 1 + row["id"] % 5

    custom = {"rental": {"customer_id": every_third_null}}
    sizes = {"customer": 5, "rental": 60, "payment": 300}
    for spec, null_allowed in ((schema, False), (nullable, True)):
        frames = SyntheticDataGenerator(seed=2).generate_related_data(
            schema=spec, sample_sizes=sizes, custom_generators=custom
        )
        rows = joined(frames, "payment", "rental", "rental_id")
        known = rows.customer_id_p.notna()
        assert known.sum() > 0 and (~known).sum() > 0
        assert (rows.customer_id[known] == rows.customer_id_p[known]).all()
        assert rows.customer_id[~known].isna().all() == null_allowed
        assert rows.customer_id[~known].notna().all() == (not null_allowed)


def test_composite_keys_follow_as_whole_tuples() -> None:
    schema = {
        "tenant": {"id": "integer"},
        "account": {
            "columns": {"tenant_id": {"references": "tenant"}, "no": "integer"},
            "primary_key": ["tenant_id", "no"],
        },
        "contract": {
            "columns": {"tenant_id": "integer", "no": "integer", "account_no": "integer"},
            "primary_key": ["tenant_id", "no"],
            "foreign_keys": [{"columns": ["tenant_id", "account_no"], "references": "account"}],
        },
        "invoice": {
            "columns": {
                "id": "integer",
                "tenant_id": "integer",
                "account_no": "integer",
                "contract_no": "integer",
            },
            "foreign_keys": [
                {"columns": ["tenant_id", "account_no"], "references": "account"},
                {"columns": ["tenant_id", "contract_no"], "references": "contract"},
            ],
        },
    }
    sizes = {"tenant": 4, "account": 40, "contract": 120, "invoice": 400}
    frames = SyntheticDataGenerator(seed=3).generate_related_data(schema=schema, sample_sizes=sizes)
    rows = frames["invoice"].merge(
        frames["contract"],
        left_on=["tenant_id", "contract_no"],
        right_on=["tenant_id", "no"],
        suffixes=("", "_c"),
    )
    assert len(rows) == 400
    assert (rows.account_no == rows.account_no_c).all()
    assert rows.account_no.nunique() > 5


def test_a_cardinality_on_the_key_to_a_picks_b_among_a_s_children() -> None:
    gen = SyntheticDataGenerator(seed=4)
    card = {"rental.customer_id": "1-4", "payment.customer_id": "2-3"}
    frames = gen.generate_related_data(
        schema=RENTALS, sample_sizes={"customer": 20}, cardinality=card
    )
    counts = frames["payment"].customer_id.value_counts()
    assert counts.between(2, 3).all() and len(counts) == 20
    rows = joined(frames, "payment", "rental", "rental_id")
    assert len(rows) == len(frames["payment"])
    assert (rows.customer_id == rows.customer_id_p).all()
    plan = gen.plan(schema=RENTALS, sample_sizes={"customer": 20}, cardinality=card)
    source = plan.tables["payment"].sources["rental_id"]
    assert source.detail == "many -> rental with the same customer_id"


def test_a_customer_without_rentals_pays_for_another_s_or_none(
    caplog: pytest.LogCaptureFixture,
) -> None:
    card = {"rental.customer_id": "0-1", "payment.customer_id": 2}
    gen = SyntheticDataGenerator(seed=5)
    # Agreement is inferred, not a constraint: it gives way (with a warning), never fails.
    with caplog.at_level(logging.WARNING, logger="syda"):
        frames = gen.generate_related_data(
            schema=RENTALS, sample_sizes={"customer": 30}, cardinality=card
        )
    renters = set(frames["rental"].customer_id)
    rows = joined(frames, "payment", "rental", "rental_id")
    assert len(rows) == 60
    agree = rows.customer_id == rows.customer_id_p
    assert agree.eq(rows.customer_id.isin(renters)).all() and agree.any() and not agree.all()
    warned = [r.getMessage() for r in caplog.records if "no rental row has" in r.getMessage()]
    assert warned == [
        f"payment: {int((~agree).sum())} of 60 rows have a customer_id that no rental row has, "
        "so their rental_id points at a rental row of another customer_id; add rental rows "
        "(e.g. a cardinality on rental.customer_id) for every row to agree"
    ]
    nullable = {**RENTALS, "payment": {**RENTALS["payment"]}}
    nullable["payment"]["rental_id"] = {"references": "rental", "nullable": True}
    frames = gen.generate_related_data(
        schema=nullable, sample_sizes={"customer": 30}, cardinality=card
    )
    renters = set(frames["rental"].customer_id)
    pay = frames["payment"]
    assert pay.rental_id.isna().any() and pay.rental_id.notna().any()
    assert pay.rental_id.isna().eq(~pay.customer_id.isin(renters)).all()


def test_other_actors_and_owned_attributes_are_not_tied() -> None:
    blog = {
        "user": {"id": "integer"},
        "post": {"id": "integer", "user_id": {"references": "user"}},
        "comment": {
            "id": "integer",
            "user_id": {"references": "user"},
            "post_id": {"references": "post"},
        },
    }
    plan = SyntheticDataGenerator().plan(schema=blog)
    assert not any(f.path for f in plan.tables["comment"].foreign_keys)
    plan = SyntheticDataGenerator().plan(sakila.MODELS)
    tied = {
        (key, f.fk.columns) for key, tp in plan.tables.items() for f in tp.foreign_keys if f.path
    }
    # Customers do not live at their store's address; payments follow their rental.
    assert tied == {("Payment", ("customer_id",)), ("Payment", ("staff_id",))}


def test_sakila_payments_are_charged_to_the_renting_customer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sakila.db'}"
    sizes = {"Rental": 150, "Payment": 300}
    for mode in ("fail", "append"):
        SyntheticDataGenerator(seed=6).generate_related_data(
            sakila.MODELS,
            sample_sizes=sizes,
            default_sample_size=15,
            db_url=url,
            if_exists=mode,  # type: ignore[arg-type]
            create_tables=mode == "fail",
        )
    with sqlite3.connect(tmp_path / "sakila.db") as db:
        total, agree, old_rentals = db.execute(
            "SELECT count(*), sum(p.customer_id = r.customer_id), sum(p.payment_id > 300 "
            "AND r.rental_id <= 150) FROM payment p JOIN rental r USING (rental_id)"
        ).fetchone()
    assert total == 600 and agree == 600
    assert old_rentals > 0  # appended payments of rentals already in the database agree too


def test_a_purchase_s_seller_is_its_listing_s_and_the_buyer_stays_free() -> None:
    market: dict[str, Any] = {
        "users": {"id": "integer"},
        "listings": {"id": "integer", "seller_id": {"references": "users"}},
        "purchases": {
            "id": "integer",
            "buyer_id": {"references": "users"},
            "seller_id": {"references": "users"},
            "listing_id": {"references": "listings"},
        },
    }
    sizes = {"users": 40, "listings": 100, "purchases": 600}
    frames = SyntheticDataGenerator(seed=3).generate_related_data(market, sample_sizes=sizes)
    rows = joined(frames, "purchases", "listings", "listing_id")
    assert (rows.seller_id == rows.seller_id_p).all()
    # The buyer is no copy of the seller: it is drawn over all the users.
    assert (rows.buyer_id != rows.seller_id).mean() > 0.8 and rows.buyer_id.nunique() > 30
