"""An earlier event is drawn where its bounded follower can follow it (syda.profile.windows).

A payment bounded to two months by a CHECK follows its rental: the rentals are drawn in that
window (moved back by the shortest gap), so every payment is after its rental and none piles
up on a bound.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from syda import SyntheticDataGenerator, load_profile
from syda.profile import effective_profile
from syda.schema import from_metadata


def rentals(
    check: str = "payment_date >= '2022-01-01 00:00:00' AND payment_date <= '2022-02-28 23:59:59'",
) -> sa.MetaData:
    md = sa.MetaData()
    sa.Table(
        "rental",
        md,
        sa.Column("rental_id", sa.Integer, primary_key=True),
        sa.Column("rental_date", sa.DateTime, nullable=False),
    )
    sa.Table(
        "payment",
        md,
        sa.Column("payment_id", sa.Integer, primary_key=True),
        sa.Column("rental_id", sa.Integer, sa.ForeignKey("rental.rental_id"), nullable=False),
        sa.Column("payment_date", sa.DateTime, nullable=False),
        sa.CheckConstraint(check),
    )
    return md


def test_the_rental_is_drawn_in_the_window_of_its_bounded_payments() -> None:
    schema = from_metadata(rentals())
    profile = effective_profile(schema)
    assert profile.tables["payment"].columns["payment_date"].after == "rental.rental_date"
    rental = profile.tables["rental"].columns["rental_date"]
    assert (rental.min, rental.max) == ("2022-01-01T00:00:00", "2022-02-28T23:59:59")
    frames = SyntheticDataGenerator(seed=7).generate_related_data(schema, default_sample_size=400)
    joined = frames["payment"].merge(frames["rental"], on="rental_id")
    assert (joined["payment_date"] >= joined["rental_date"]).all()
    paid = pd.to_datetime(frames["payment"]["payment_date"])
    assert paid.between("2022-01-01", "2022-02-28 23:59:59").all()
    # Spread over the window, not pinned to one of its ends.
    assert paid.value_counts().max() <= 3


def test_a_range_written_down_for_the_earlier_event_stands() -> None:
    schema = from_metadata(rentals())
    user = {"rental": {"columns": {"rental_date": {"min": "2021-06-01", "max": "2021-12-31"}}}}
    profile = effective_profile(schema, load_profile(user))
    rental = profile.tables["rental"].columns["rental_date"]
    assert (rental.min, rental.max) == ("2021-06-01", "2021-12-31")


def test_a_window_open_on_one_side_or_reaching_today_leaves_the_earlier_event_alone() -> None:
    for check in ("payment_date >= '2000-01-01'", "payment_date <= '2100-12-31'"):
        profile = effective_profile(from_metadata(rentals(check)))
        rental = profile.tables["rental"].columns["rental_date"]
        assert (rental.min, rental.max) == (None, None), check
    wide = "payment_date BETWEEN '2000-01-01' AND '2100-12-31'"
    rental = effective_profile(from_metadata(rentals(wide))).tables["rental"].columns["rental_date"]
    assert (rental.min, rental.max) == (None, None)
