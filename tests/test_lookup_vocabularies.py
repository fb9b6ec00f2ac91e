"""Lookup tables with real vocabularies and distinct values (issue 9).

Large vocabularies where reality is large (200+ music genres, world languages, film genres,
departments), each row of a closed one listed once, and a lookup table held to its vocabulary's
size when its count was not asked for by name; values of one row that belong together (a state,
its abbreviation and its census region) drawn together.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from faker.providers.address.en_US import Provider as Address
from faker.providers.person import Provider as Person

from syda import SyntheticDataGenerator
from syda.cli import main
from syda.errors import PlanError
from syda.generators.vocab_lists import MUSIC_GENRES

Frames = dict[str, pd.DataFrame]

MEDIA = {
    "media_type": {"media_type_id": {"type": "integer", "primary_key": True}, "name": "string"},
    "track": {
        "track_id": {"type": "integer", "primary_key": True},
        "name": "string",
        "media_type_id": {"type": "integer", "references": "media_type.media_type_id"},
    },
}
# Faker's en_US abbreviations also list DC (between DE and FL); without it they pair up.
STATE_OF = dict(zip(Address.states, [a for a in Address.states_abbr if a != "DC"], strict=True))


def related(schema: dict[str, Any], rows: int, **kwargs: Any) -> Frames:
    return SyntheticDataGenerator(seed=3).generate_related_data(
        schema, default_sample_size=rows, **kwargs
    )


def test_a_closed_vocabulary_holds_a_lookup_table_to_its_size() -> None:
    frames = related(MEDIA, 200)
    media = frames["media_type"]
    # a dozen media types, each once, not 200 rows of repeats
    assert 10 <= len(media) <= 20
    assert media["name"].dropna().is_unique
    assert media["name"].dropna().str.fullmatch(r".*\b(audio|video) file").all()
    tracks = frames["track"]
    assert len(tracks) == 200
    # the tracks' keys spread over those rows
    assert set(tracks["media_type_id"].dropna()) <= set(media["media_type_id"])
    assert tracks["media_type_id"].nunique() >= 0.8 * len(media)


def test_the_plan_says_why_a_lookup_table_has_fewer_rows(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="syda"):
        plan = SyntheticDataGenerator(seed=3).plan(MEDIA, default_sample_size=200)
    media = plan.tables["media_type"]
    assert media.rows is not None and media.rows < 200
    assert re.match(
        rf"{media.rows} rows, not 200: name lists each of the .* media types", media.rows_note
    )
    assert media.rows_note in caplog.text
    assert plan.tables["track"].rows == 200 and not plan.tables["track"].rows_note


def test_inspect_shows_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = tmp_path / "media.yaml"
    schema.write_text(
        "media_type:\n  media_type_id: {type: integer, primary_key: true}\n  name: string\n"
    )
    assert main(["inspect", str(schema), "--rows", "500"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"media_type +media_type +\d\d\n", out)
    assert "rows, not 500: name lists each of the" in out


def test_a_count_asked_by_name_is_kept() -> None:
    frames = related(MEDIA, 50, sample_sizes={"media_type": 40})
    media = frames["media_type"]["name"].dropna()
    assert len(frames["media_type"]) == 40
    # the vocabulary runs out, so names repeat (the column is not unique)
    assert media.nunique() < len(media) and media.value_counts().max() <= 4


def test_a_small_table_keeps_its_count() -> None:
    assert len(related(MEDIA, 5)["media_type"]) == 5


def test_a_unique_name_asked_beyond_its_vocabulary_is_a_plan_error() -> None:
    schema = {"departments": {"dept_no": {"type": "char(4)", "primary_key": True},
                              "dept_name": {"type": "varchar(40)", "unique": True}}}  # fmt: skip
    with pytest.raises(PlanError) as raised:
        related(schema, 10, sample_sizes={"departments": 500})
    assert re.match(
        r"departments\.dept_name: unique, but syda knows only \d+ departments for 500 rows: "
        r"ask for at most \d+ rows",
        str(raised.value),
    )
    # by default the table holds every department once, none with a number suffix
    names = related(schema, 500)["departments"]["dept_name"]
    assert names.is_unique and not names.str.contains(r"\s\d+$").any()
    assert 50 <= len(names) < 500


@pytest.mark.parametrize(
    ("table", "column"), [("genre", "name"), ("language", "name"), ("playlist", "name")]
)
def test_large_vocabularies_fill_150_distinct_rows(table: str, column: str) -> None:
    schema = {table: {f"{table}_id": {"type": "integer", "primary_key": True},
                      column: {"type": "varchar(120)", "nullable": False}}}  # fmt: skip
    values = related(schema, 150)[table][column]
    assert len(values) == 150 and values.is_unique
    assert not values.str.contains(r"\s\d+$").any()


def test_world_languages_are_real_languages() -> None:
    schema = {"language": {"language_id": {"type": "integer", "primary_key": True},
                           "name": {"type": "char(20)", "nullable": False}}}  # fmt: skip
    names = related(schema, 150)["language"]["name"]
    assert names.isin(set(Person.language_names) | {"Mandarin", "Cantonese", "Filipino",
                                                     "Punjabi"}).all()  # fmt: skip


def test_a_small_lookup_table_lists_the_common_values() -> None:
    schema = {"language": {"language_id": {"type": "integer", "primary_key": True},
                           "name": {"type": "varchar(20)", "nullable": False}},
              "genre": {"genre_id": {"type": "integer", "primary_key": True},
                        "name": {"type": "varchar(120)", "nullable": False}}}  # fmt: skip
    for seed in range(5):
        frames = SyntheticDataGenerator(seed=seed).generate_related_data(
            schema, default_sample_size=6
        )
        spoken = {"English", "Spanish", "French", "German", "Italian", "Japanese", "Mandarin",
                  "Portuguese", "Russian", "Arabic", "Hindi", "Korean", "Dutch", "Swedish",
                  "Polish", "Turkish", "Greek", "Danish", "Norwegian", "Finnish", "Czech",
                  "Hebrew", "Thai", "Vietnamese", "Cantonese", "Bengali", "Urdu", "Persian",
                  "Indonesian", "Hungarian", "Romanian", "Ukrainian", "Malay", "Tamil",
                  "Swahili", "Catalan", "Irish", "Icelandic", "Filipino", "Punjabi"}  # fmt: skip
        assert frames["language"]["name"].isin(spoken).all()
        # a small music store's shelves (the common tier of the list), not six subgenres
        assert frames["genre"]["name"].isin(MUSIC_GENRES[: MUSIC_GENRES.common]).all()


def test_a_state_table_lists_each_state_with_its_abbreviation_and_region() -> None:
    required = {"type": "varchar(100)", "nullable": False}
    schema = {"us_states": {"state_id": {"type": "integer", "primary_key": True},
                            "state_name": required,
                            "state_abbr": {"type": "varchar(2)", "nullable": False},
                            "state_region": required}}  # fmt: skip
    states = related(schema, 150)["us_states"]
    assert len(states) == 50 and states["state_name"].is_unique
    assert (states["state_name"].map(STATE_OF) == states["state_abbr"]).all()
    regions = dict(zip(states["state_abbr"], states["state_region"], strict=True))
    assert (regions["CA"], regions["TX"], regions["NY"], regions["OH"]) == (
        "West",
        "South",
        "Northeast",
        "Midwest",
    )


def test_a_lookup_table_takes_the_domain_of_its_neighbours() -> None:
    schema = {
        "category": {"category_id": {"type": "integer", "primary_key": True},
                     "name": {"type": "varchar(25)", "nullable": False}},
        "film": {"film_id": {"type": "integer", "primary_key": True}, "title": "varchar(255)"},
        "film_category": {
            "film_id": {"type": "integer", "primary_key": True, "references": "film.film_id"},
            "category_id": {"type": "integer", "primary_key": True,
                            "references": "category.category_id"},
        },
    }  # fmt: skip
    generator = SyntheticDataGenerator(seed=3)
    assert generator.profile(schema).tables["category"].columns["name"].semantic == "film_category"
    categories = generator.generate_related_data(schema, default_sample_size=150)["category"]
    assert 16 <= len(categories) < 150 and categories["name"].is_unique
    assert not categories["name"].isin({"Electronics", "Automotive", "Pet Supplies"}).any()
    assert {"Action", "Comedy", "Horror", "Documentary"} <= set(categories["name"])


def test_migration_versions_are_numbered_and_row_versions_are_small() -> None:
    schema = {
        "schema_migrations": {"version": "integer", "migrated": "datetime"},
        "orders": {"id": {"type": "integer", "primary_key": True}, "version": "integer"},
    }
    frames = related(schema, 80)
    assert list(frames["schema_migrations"]["version"]) == list(range(1, 81))
    revisions = frames["orders"]["version"]
    assert revisions.between(1, 50).all() and revisions.median() <= 3


def test_nation_names_are_countries() -> None:
    schema = {"nation": {"n_nationkey": {"type": "integer", "primary_key": True},
                         "n_name": {"type": "char(25)", "nullable": False}}}  # fmt: skip
    names = related(schema, 25)["nation"]["n_name"]
    countries = {*Address.countries, "United States", "United Kingdom"}
    assert names.is_unique and names.isin(countries).all()


def test_a_lookup_table_names_every_row_even_where_null_is_allowed() -> None:
    schema = {"genre": {"genre_id": {"type": "integer", "primary_key": True},
                        "name": {"type": "varchar(120)", "nullable": True},
                        "note": {"type": "text", "nullable": True}}}  # fmt: skip
    generator = SyntheticDataGenerator(seed=3)
    columns = generator.profile(schema).tables["genre"].columns
    assert columns["name"].null_share == 0.0 and columns["note"].null_share is None
    genres = generator.generate_related_data(schema, default_sample_size=400)["genre"]
    assert genres["name"].notna().all() and genres["note"].isna().any()


def test_a_vocabulary_column_that_does_not_name_the_row_repeats_its_common_values() -> None:
    # a small table of users is not a list of languages or countries: most speak English
    schema = {"users": {"user_id": {"type": "integer", "primary_key": True},
                        "username": "username", "language": "varchar(5)",
                        "country": "varchar(60)"}}  # fmt: skip
    users = related(schema, 200)["users"]
    assert len(users) == 200
    assert users["language"].value_counts().idxmax() == "en"
    assert users["country"].nunique() < 100
