"""Every published sample schema (tests/published/), loaded from its real DDL, fills.

Each schema x dialect file is loaded once into a fresh database of its dialect, reflected with
syda as ``syda generate --db URL`` does, and filled with 20 rows a table straight into that
database, so the database judges every constraint; the row counts must then be exact. The
cases that fail today are strict xfails naming the current error: each turns into a failure
the day it is fixed, to be removed from :data:`FAILS_TODAY` (issue 10).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.database import reflect_database
from syda.errors import OutputError, SchemaError
from tests.support import published

ROWS = 20

# What stops each case today: syda's exception and the first line of its message. A case that
# starts to pass, or fails with another exception, fails the run.
FAILS_TODAY: dict[str, tuple[type[Exception], str]] = {
    "listmonk-postgresql": (
        SchemaError,
        "lists.tags has type 'ARRAY', which syda cannot generate (also campaigns.tags, "
        "roles.permissions)",
    ),
    "pagila-postgresql": (
        SchemaError,
        "film.special_features has type 'ARRAY'; film.fulltext has type 'TSVECTOR'",
    ),
    "sakila-mysql": (
        SchemaError,
        "film.release_year has type 'YEAR', which syda cannot generate",
    ),
    "writefreely-mysql": (
        OutputError,
        "collections: (1264, \"Out of range value for column 'privacy'\"): TINYINT's range "
        "(-128..127) is not read from the type",
    ),
}


def _param(schema: published.PublishedSchema) -> object:
    marks = [getattr(pytest.mark, schema.server)] if schema.server else []
    return pytest.param(schema, id=schema.id, marks=marks)


@pytest.fixture(scope="module", params=[_param(s) for s in published.SCHEMAS])
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[published.PublishedSchema, Engine]]:
    """One fresh database per published file, loaded from the file as published."""
    schema: published.PublishedSchema = request.param
    # The server fixtures skip (or, where CI requires the server, fail) when it is absent.
    url = request.getfixturevalue(f"{schema.server}_url") if schema.server else None
    with published.loaded(schema, tmp_path_factory.mktemp(schema.id), url) as engine:
        yield schema, engine


def test_every_folder_is_listed_with_its_provenance() -> None:
    folders = {p.name for p in published.ROOT.iterdir() if p.is_dir()}
    assert {s.name for s in published.SCHEMAS} == folders
    for folder in folders:
        provenance = (published.ROOT / folder / "PROVENANCE.md").read_text()
        assert "## Licence" in provenance and "## What was changed" in provenance
        assert "https://github.com/" in provenance


def test_files_hold_no_data() -> None:
    for schema in published.SCHEMAS:
        statements = _top_level_statements(schema)
        inserts = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "COPY "))]
        assert inserts == [], f"{schema.id} holds data: {inserts[0][:80]!r}"


def _top_level_statements(schema: published.PublishedSchema) -> list[str]:
    text = schema.path.read_text()
    if schema.dialect == "mysql":
        return published.mysql_statements(text)
    # Outside MySQL a data statement starts a line; trigger bodies indent theirs or follow BEGIN.
    return [line for line in text.splitlines() if line[:1].strip()]


def test_syda_reflects_every_table(loaded: tuple[published.PublishedSchema, Engine]) -> None:
    _, engine = loaded
    schema = reflect_database(engine)
    assert {t.name for t in schema} == set(sa.inspect(engine).get_table_names())


def test_fills_with_the_database_as_judge(
    request: pytest.FixtureRequest, loaded: tuple[published.PublishedSchema, Engine]
) -> None:
    published_schema, engine = loaded
    if published_schema.id in FAILS_TODAY:
        error, reason = FAILS_TODAY[published_schema.id]
        request.applymarker(pytest.mark.xfail(strict=True, raises=error, reason=reason))
    schema = reflect_database(engine)
    frames = SyntheticDataGenerator(seed=1).generate_related_data(
        schema, default_sample_size=ROWS, db_url=engine
    )
    with engine.connect() as connection:
        counts = {
            t.key: connection.execute(
                sa.select(sa.func.count()).select_from(sa.table(t.name))
            ).scalar_one()
            for t in schema
        }
    assert counts == {key: len(frame) for key, frame in frames.items()}
    assert set(counts.values()) == {ROWS}
