"""Every published schema (tests/published/) through the streaming engine, into its real DDL.

One file of each schema (SQLite where published, else MariaDB, else PostgreSQL) is loaded
into an empty database of its dialect (as in
``test_published_schemas``), and ``generate_to(..., db_url=...)`` streams 120 rows a table in
chunks of 50 into it, in one transaction: the database itself enforces every key, UNIQUE and
CHECK the file declares, on every row. A schema either streams (each table then holds the rows
the report says, and ``syda validate --db`` finds nothing), or is refused before any row is
made with a :class:`~syda.errors.PlanError` naming what cannot stream yet; :data:`REFUSED_TODAY`
lists those, with a phrase of the refusal each. A refused schema that starts to stream, or a
streaming one that is refused, fails the run, so the list only shrinks with the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.database import reflect_database
from syda.errors import PlanError
from syda.schema.triggers import filled_by_triggers
from syda.stream.run import StreamReport
from tests.support import published

ROWS = 120
CHUNK_ROWS = 50

_AGGREGATE = "aggregates its children"

REFUSED_TODAY: dict[str, tuple[str, ...]] = {
    # Invoice.Total, o_totalprice: a parent's column summed from its children's rows.
    "chinook-sqlite": ("Invoice: column Total " + _AGGREGATE,),
    "tpch-postgresql": ("orders: column o_totalprice " + _AGGREGATE,),
    # Keys sharing (school_id, syear) with other keys, and keys matching another key's parent.
    "rosariosis-mysql": ("course_periods: foreign key (marking_period_id) picks",),
}


# One file per schema: the streaming engine's keys and uniques do not depend on the dialect
# (test_published_schemas fills every file, every dialect), and loading each published DDL
# into a fresh server is most of this module's time. SQLite first, then MariaDB, then
# PostgreSQL (the quickest to load first).
_DIALECT_ORDER = ("sqlite", "mysql", "postgresql")


def _one_per_schema(schemas: list[published.PublishedSchema]) -> list[published.PublishedSchema]:
    chosen: dict[str, published.PublishedSchema] = {}
    for schema in sorted(schemas, key=lambda s: _DIALECT_ORDER.index(s.id.rsplit("-", 1)[1])):
        chosen.setdefault(schema.id.rsplit("-", 1)[0], schema)
    return [s for s in schemas if s in chosen.values()]


STREAMED = _one_per_schema(list(published.SCHEMAS))


def _param(schema: published.PublishedSchema) -> object:
    marks = [getattr(pytest.mark, schema.server)] if schema.server else []
    return pytest.param(schema, id=schema.id, marks=marks)


@dataclass(frozen=True)
class Streamed:
    """A published file loaded into a fresh database, and what streaming into it did."""

    schema: published.PublishedSchema
    engine: Engine
    report: StreamReport | None
    refusal: PlanError | None


@pytest.fixture(params=[_param(s) for s in STREAMED])
def streamed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Streamed]:
    schema: published.PublishedSchema = request.param
    server = request.getfixturevalue(f"{schema.server}_url") if schema.server else None
    with published.loaded(schema, tmp_path, server) as engine:
        gen = SyntheticDataGenerator(seed=3)
        try:
            report = gen.generate_to(
                reflect_database(engine),
                db_url=published.url_of(engine),
                default_sample_size=ROWS,
                chunk_rows=CHUNK_ROWS,
                workers=1,
            )
        except PlanError as exc:
            yield Streamed(schema, engine, None, exc)
        else:
            yield Streamed(schema, engine, report, None)


def test_each_published_schema_streams_valid_rows_or_names_what_cannot(
    streamed: Streamed,
) -> None:
    expected = REFUSED_TODAY.get(streamed.schema.id)
    if expected is not None:
        assert streamed.refusal is not None, f"{streamed.schema.id} streams now: unlist it"
        assert all(phrase in str(streamed.refusal) for phrase in expected), streamed.refusal
        assert all(n == 0 for n in published.count_rows(streamed.engine).values())
        return
    assert streamed.refusal is None, str(streamed.refusal)
    assert streamed.report is not None
    counts = published.count_rows(streamed.engine)
    triggered = filled_by_triggers(reflect_database(streamed.engine))
    written = {k: n for k, n in streamed.report.rows.items() if k not in triggered}
    assert written == {k: counts[k] for k in written}
    assert sum(written.values()) > 0 and max(streamed.report.chunks.values()) > 1
    url = published.url_of(streamed.engine)
    validate = published.run_cli("validate", "--db", url, "-q")
    assert validate.code == 0, validate.out + validate.err


def test_chinook_streams_once_its_inferred_total_has_a_spec_of_its_own(tmp_path: Path) -> None:
    # The refusal's advice, taken: Invoice.Total drawn rather than summed, and the rest of
    # Chinook (Employee.ReportsTo, PlaylistTrack's composite key) streams into its own DDL.
    schema = next(s for s in published.SCHEMAS if s.id == "chinook-sqlite")
    with published.loaded(schema, tmp_path) as engine:
        report = SyntheticDataGenerator(seed=3).generate_to(
            reflect_database(engine),
            db_url=published.url_of(engine),
            default_sample_size=ROWS,
            chunk_rows=CHUNK_ROWS,
            workers=1,
            profile={"Invoice": {"columns": {"Total": {"aggregate": None}}}},
        )
        counts = published.count_rows(engine)
        validate = published.run_cli("validate", "--db", published.url_of(engine), "-q")
        with engine.connect() as conn:
            reps = (
                conn.execute(
                    sa.text(
                        'SELECT DISTINCT e."Title" FROM "Customer" c JOIN "Employee" e '
                        'ON c."SupportRepId" = e."EmployeeId"'
                    )
                )
                .scalars()
                .all()
            )
    assert report.rows == counts and report.chunks["Employee"] > 1
    assert validate.code == 0, validate.out + validate.err
    # Read from the rows: a customer's support rep is support or sales staff, as in memory
    # (streamed, it was any employee: SEO Specialists, Paralegals, the CMO).
    assert reps and all(re.search(r"\b(support|sales)\b", t, re.I) for t in reps), reps
