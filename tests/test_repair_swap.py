"""A UNIQUE set of a foreign key and a skewed drawn column holds without flattening the column.

roundcube's ``dictionary`` has ``UNIQUE (user_id, language)``: users with several rows need as
many languages while most rows draw the common one, so re-asking alone ran out of rounds.
"""

from __future__ import annotations

import pytest

from syda import SyntheticDataGenerator
from syda.errors import GenerationError

LANGUAGES = ["en", "es", "fr", "de", "it", "zh", "pt", "el", "nl", "ko"]
WEIGHTS = [65, 12, 7, 4, 3, 2, 2, 2, 2, 1]


def _schema(unique: bool) -> dict[str, object]:
    dictionary: dict[str, object] = {
        "columns": {
            "user_id": {"references": "users.id"},
            "language": {"type": "varchar(16)"},
        },
    }
    if unique:
        dictionary["unique"] = [["user_id", "language"]]
    return {
        "users": {"id": {"type": "integer", "primary_key": True}, "name": "string"},
        "dictionary": dictionary,
    }


def _profile() -> dict[str, object]:
    spec = {"values": dict(zip(LANGUAGES, WEIGHTS, strict=True))}
    return {"tables": {"dictionary": {"columns": {"language": spec}}}}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pairs_are_unique_and_the_common_value_stays_common(seed: int) -> None:
    frames = SyntheticDataGenerator(seed=seed).generate_related_data(
        _schema(unique=True),
        sample_sizes={"users": 150, "dictionary": 300},
        cardinality={"dictionary.user_id": "0-8"},
        profile=_profile(),
    )
    rows = frames["dictionary"]
    assert len(rows) == 300
    assert not rows.duplicated(["user_id", "language"]).any()
    assert set(rows["language"]) <= set(LANGUAGES)
    # Values only move between rows or repeat drawn ones: English is still the common one.
    shares = rows["language"].value_counts(normalize=True)
    assert shares.index[0] == "en"
    assert shares["en"] > 0.3


def test_without_the_unique_set_the_draw_is_untouched() -> None:
    frames = SyntheticDataGenerator(seed=0).generate_related_data(
        _schema(unique=False),
        sample_sizes={"users": 150, "dictionary": 300},
        cardinality={"dictionary.user_id": "0-8"},
        profile=_profile(),
    )
    assert frames["dictionary"].duplicated(["user_id", "language"]).any()
    assert frames["dictionary"]["language"].value_counts(normalize=True)["en"] > 0.55


def test_a_parent_with_more_rows_than_values_is_still_an_error() -> None:
    profile = {"tables": {"dictionary": {"columns": {"language": {"values": ["en", "fr"]}}}}}
    with pytest.raises(GenerationError, match=r"\(user_id, language\) unique"):
        SyntheticDataGenerator(seed=0).generate_related_data(
            _schema(unique=True),
            sample_sizes={"users": 2, "dictionary": 6},
            profile=profile,
        )
