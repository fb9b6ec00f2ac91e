"""Every published schema (tests/published/), loaded from its real DDL, fills (issue 10).

The acceptance, as a new user tries it: each schema x dialect file is loaded into an empty
database of its dialect, then

* ``syda generate --db URL --rows 200`` (the CLI, in this process, with no other option)
  succeeds, every constraint enforced by the database; each table then holds exactly 200 rows,
  and ``syda validate --db URL`` finds nothing;
* a second ``syda generate --db URL --rows 200 --if-exists append`` succeeds too: 400 rows a
  table (but where a key type is full: piwigo's 127 TINYINT site ids take no new site, and the
  run warns so), validation still clean;
* the same through the API (``generate_related_data(..., db_url=engine, if_exists="replace")``):
  200 rows a table, as the returned frames say, validation clean.

One server per dialect and one load per file (a module-scoped fixture, which also runs the first
CLI generation and records what it did); the tests after it measure what they add, so their
order does not matter. A case that fails
today is a strict xfail naming the current error in :data:`FAILS_TODAY`: it turns into a failure
the day it is fixed (or fails differently), and its entry is then removed (or updated).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.database import reflect_database
from syda.schema.triggers import filled_by_triggers
from tests.support import published
from tests.support.published import CliRun

ROWS = 200


# The suffix of a FAILS_TODAY key whose case fails only at the second, --if-exists append run.
APPEND = " append"

# What stops each case today: syda's exception and its message (or what it means). Keyed by
# the file's id: the generation itself fails (CLI and API alike); keyed by "id append": the
# first run passes and the append run fails. A case that starts to pass, or fails with another
# exception, fails the run.
FAILS_TODAY: dict[str, tuple[type[Exception], str]] = {}


def _param(schema: published.PublishedSchema) -> object:
    marks = [getattr(pytest.mark, schema.server)] if schema.server else []
    return pytest.param(schema, id=schema.id, marks=marks)


PARAMS = [_param(s) for s in published.SCHEMAS]


def _server_url(request: pytest.FixtureRequest, schema: published.PublishedSchema) -> str | None:
    # The server fixtures skip (or, where CI requires the server, fail) when it is absent.
    return request.getfixturevalue(f"{schema.server}_url") if schema.server else None


def _expect_known_failure(request: pytest.FixtureRequest, schema_id: str, *, append: bool) -> None:
    """Mark the test a strict xfail if FAILS_TODAY names its case."""
    keys = [schema_id, f"{schema_id}{APPEND}"] if append else [schema_id]
    for key in keys:
        if key in FAILS_TODAY:
            error, reason = FAILS_TODAY[key]
            request.applymarker(pytest.mark.xfail(strict=True, raises=error, reason=reason))
            return


def _raise_if_failed(run: CliRun) -> None:
    error = run.error()
    if error is not None:
        raise error


@dataclass(frozen=True)
class FirstRun:
    """A freshly loaded database after ``syda generate --db URL --rows 200``."""

    schema: published.PublishedSchema
    engine: Engine
    url: str
    generate: CliRun
    counts: dict[str, int]  # right after the run (empty if it failed)
    validate: CliRun | None  # ``syda validate`` right after the run (None if it failed)


@pytest.fixture(scope="module", params=PARAMS)
def first_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FirstRun]:
    """Each published file in a database of its own, filled once by the CLI."""
    schema: published.PublishedSchema = request.param
    server_url = _server_url(request, schema)
    with published.loaded(schema, tmp_path_factory.mktemp(schema.id), server_url) as engine:
        url = published.url_of(engine)
        run = published.run_cli("generate", "--db", url, "--rows", ROWS, "-q")
        counts: dict[str, int] = {}
        validate = None
        if run.code == 0:
            counts = published.count_rows(engine)
            validate = published.run_cli("validate", "--db", url, "-q")
        yield FirstRun(schema, engine, url, run, counts, validate)


def test_every_folder_is_listed_with_its_provenance() -> None:
    folders = {p.name for p in published.ROOT.iterdir() if p.is_dir()}
    assert {s.name for s in published.SCHEMAS} == folders
    for folder in folders:
        provenance = (published.ROOT / folder / "PROVENANCE.md").read_text()
        assert "## Licence" in provenance and "## What was changed" in provenance
        assert "https://github.com/" in provenance


def test_the_corpus_covers_the_acceptance() -> None:
    # Issue 10: at least 12 published schemas, at least 3 of them MySQL/MariaDB.
    names = {s.name for s in published.SCHEMAS}
    mysql = {s.name for s in published.SCHEMAS if s.dialect == "mysql"}
    assert len(names) >= 12 and len(mysql) >= 3
    assert {"sakila", "chinook", "northwind", "tpch", "tpcds", "employees"} <= names


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


def _planned(engine: Engine) -> dict[str, int]:
    """Rows per table: ROWS everywhere but a lookup table held to its vocabulary's size (a dozen
    media types), which its plan says."""
    schema = reflect_database(engine)
    plan = SyntheticDataGenerator(seed=0).plan(schema, default_sample_size=ROWS)
    rows = {key: tp.rows for key, tp in plan.tables.items()}
    assert all(n == ROWS or plan.tables[key].rows_note for key, n in rows.items())
    for key, fill in filled_by_triggers(schema).items():
        # A copy of each source row (film_text); what a trigger derives is counted apart.
        rows[key] = rows[fill.source] if fill.copies else None
    return {key: n for key, n in rows.items() if n is not None}


def _assert_counts(engine: Engine, grown: dict[str, int], planned: dict[str, int]) -> None:
    """``grown`` rows per table are the planned ones, and what triggers derived.

    A table a trigger derives rows into (rosariosis' student_mp_stats: a row per student and
    marking period graded) holds what the trigger made: syda wrote none of it, and each source
    row fired the trigger once, each time adding at most one row.
    """
    grown = dict(grown)
    for key, fill in filled_by_triggers(reflect_database(engine)).items():
        if not fill.copies:
            made = grown.pop(key)
            assert 0 <= made <= grown[fill.source], (key, made)
    assert grown == planned


_HELD = re.compile(r"syda: warning: (\S+): ([\d,]+) new rows, not ")


def _held_to_a_range(engine: Engine) -> set[str]:
    schema = reflect_database(engine)
    plan = SyntheticDataGenerator(seed=0).plan(schema, default_sample_size=ROWS)
    return {key for key, tp in plan.tables.items() if "numbers at most" in tp.rows_note}


def test_every_known_failure_names_a_published_file() -> None:
    ids = {s.id for s in published.SCHEMAS}
    assert {key.removesuffix(APPEND) for key in FAILS_TODAY} <= ids


def test_syda_reflects_every_table(first_run: FirstRun) -> None:
    schema = reflect_database(first_run.engine)
    # A partition is no table of its own: its partitioned table names it.
    partitions = {p for t in schema if t.partitioning for p in t.partitioning.partitions}
    assert not {t.name for t in schema} & partitions
    tables = set(sa.inspect(first_run.engine).get_table_names())
    assert {t.name for t in schema} | partitions == tables


def test_cli_fills_with_the_database_as_judge(
    request: pytest.FixtureRequest, first_run: FirstRun
) -> None:
    _expect_known_failure(request, first_run.schema.id, append=False)
    _raise_if_failed(first_run.generate)
    _assert_counts(first_run.engine, first_run.counts, _planned(first_run.engine))
    assert first_run.validate is not None
    assert first_run.validate.code == 0, first_run.validate.out


def test_cli_appends_a_second_run(request: pytest.FixtureRequest, first_run: FirstRun) -> None:
    _expect_known_failure(request, first_run.schema.id, append=True)
    _raise_if_failed(first_run.generate)  # nothing to append to
    before = published.count_rows(first_run.engine)
    run = published.run_cli(
        "generate", "--db", first_run.url, "--rows", ROWS, "--if-exists", "append", "-q"
    )
    _raise_if_failed(run)
    after = published.count_rows(first_run.engine)
    planned = _planned(first_run.engine)
    # A key type the first run filled (piwigo's TINYINT site ids) numbers fewer new rows, and
    # the run warns how many; only a table held to its key's range can be such a table.
    held = {key: int(n.replace(",", "")) for key, n in _HELD.findall(run.err)}
    assert set(held) <= _held_to_a_range(first_run.engine)
    grown = {key: after[key] - before[key] for key in after}
    _assert_counts(first_run.engine, grown, {**planned, **held})
    validate = published.run_cli("validate", "--db", first_run.url, "-q")
    assert validate.code == 0, validate.out


def test_api_fills_with_the_database_as_judge(
    request: pytest.FixtureRequest, first_run: FirstRun
) -> None:
    """The same through the API; ``replace`` empties what the CLI tests left, if anything."""
    _expect_known_failure(request, first_run.schema.id, append=False)
    schema = reflect_database(first_run.engine)
    frames = SyntheticDataGenerator(seed=0).generate_related_data(
        schema, default_sample_size=ROWS, db_url=first_run.engine, if_exists="replace"
    )
    counts = published.count_rows(first_run.engine)
    made = {key: len(frame) for key, frame in frames.items()}
    # A table a trigger fills (sakila's film_text, one copy of each film; rosariosis'
    # student_mp_stats, derived from the grades) is the trigger's.
    for key, fill in filled_by_triggers(schema).items():
        assert made[key] == 0
        made[key] = made[fill.source] if fill.copies else counts[key]
    assert counts == made
    _assert_counts(first_run.engine, counts, _planned(first_run.engine))
    validate = published.run_cli("validate", "--db", first_run.url, "-q")
    assert validate.code == 0, validate.out
