"""SQLite's type affinities and untyped columns; database types in models, generated in memory.

SQLite maps any declared type name to an affinity by its rules (``VARCHAR2(10)`` is text,
``FLOATING POINT`` an integer, ``BLOBBY`` binary), and a column may have no type at all: its name
then says what it holds. Models (no database) with dialect types are generated the same way as a
reflected database's, and a key follows its type there too.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.database import reflect_database
from syda.errors import PlanError
from syda.schema import from_sqlalchemy


def test_affinities_and_untyped_columns(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE things (id INTEGER PRIMARY KEY, code VARCHAR2(10) NOT NULL, "
            'amount MONEY, items "long integer", picture BLOBBY, email, created_at, note)'
        )
    schema = reflect_database(sqlite_engine)
    kinds = {c.name: c.kind for c in schema.table("things").columns}
    assert kinds == {
        "id": "integer",
        "code": "text",
        "amount": "decimal",
        "items": "integer",
        "picture": "binary",
        "email": "text",
        "created_at": "datetime",
        "note": "text",
    }
    SyntheticDataGenerator(seed=2).generate_related_data(
        schema, default_sample_size=50, db_url=sqlite_engine
    )
    with sqlite_engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT length(code), typeof(items), typeof(picture), email, created_at FROM things"
            )
        ).all()
    assert len(rows) == 50
    assert all(r[0] is None or r[0] <= 10 for r in rows)
    assert {r[1] for r in rows} <= {"integer", "null"}
    assert {r[2] for r in rows} <= {"blob", "null"}
    assert all(r[3] is None or "@" in r[3] for r in rows)
    stamps = [dt.datetime.fromisoformat(r[4]) for r in rows if r[4] is not None]
    assert stamps and all(s.year > 2000 for s in stamps)


class Mood(enum.Enum):
    sad = "sad"
    happy = "happy"


def test_dialect_types_in_models_are_generated() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "posts",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tags", postgresql.ARRAY(sa.String(20)), nullable=False),
        sa.Column("moods", postgresql.ARRAY(sa.Enum(Mood))),
        sa.Column("client", postgresql.INET, nullable=False),
        sa.Column("took", sa.Interval),
        sa.Column("window", postgresql.TSTZRANGE, nullable=False),
        sa.Column("search", postgresql.TSVECTOR),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("props", postgresql.HSTORE),
        sa.Column("release_year", mysql.YEAR, nullable=False),
        sa.Column("channels", mysql.SET("email", "sms", "push"), nullable=False),
    )
    frame = SyntheticDataGenerator(seed=4).generate_related_data(metadata, default_sample_size=100)[
        "posts"
    ]
    assert all(isinstance(t, list) and len(t) <= 4 for t in frame["tags"])
    assert {m for ms in frame["moods"].dropna() for m in ms} == {"sad", "happy"}
    assert frame["client"].str.fullmatch(r"[0-9a-f.:]+").all()
    took = frame["took"].dropna()
    assert took.str.fullmatch(r"(\d+ days? )?\d{2}:\d{2}:\d{2}").all()
    assert frame["window"].str.fullmatch(r"\[[^,]+,[^,]*\)").all()
    assert frame["release_year"].between(1901, 2155).all()
    members = {m for value in frame["channels"] for m in value.split(",")}
    assert members == {"email", "sms", "push"}
    props: list[Any] = [p for p in frame["props"] if p is not None]
    assert props and all(isinstance(p, dict) and all(isinstance(v, str) for v in p.values())
                         for p in props)  # fmt: skip


def test_a_key_follows_its_type_in_models() -> None:
    metadata = sa.MetaData()
    sa.Table("flags", metadata, sa.Column("id", mysql.TINYINT(unsigned=True), primary_key=True))
    sa.Table("small", metadata, sa.Column("id", sa.SmallInteger, primary_key=True))
    schema = from_sqlalchemy(metadata)
    assert schema.table("flags").column("id").type_range == (0, 255)
    generator = SyntheticDataGenerator(seed=1)
    assert len(generator.generate_related_data(schema, sample_sizes={"flags": 255})["flags"]) == 255
    with pytest.raises(PlanError) as caught:
        generator.generate_related_data(schema, sample_sizes={"flags": 300, "small": 40_000})
    text = str(caught.value)
    assert "flags.id" in text and "at most 255 rows, not 300" in text
    assert "small.id" in text and "at most 32,767 rows, not 40,000" in text


def test_a_default_count_is_held_to_what_a_key_numbers() -> None:
    metadata = sa.MetaData()
    sa.Table("flags", metadata, sa.Column("id", mysql.TINYINT(unsigned=True), primary_key=True))
    sa.Table(
        "uses",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("flag_id", sa.ForeignKey("flags.id"), nullable=False),
    )
    schema = from_sqlalchemy(metadata)
    generator = SyntheticDataGenerator(seed=1)
    plan = generator.plan(schema, default_sample_size=300)
    assert plan.tables["flags"].rows == 255 and plan.tables["uses"].rows == 300
    assert "flags" in plan.tables["flags"].rows_note and "at most 255" in (
        plan.tables["flags"].rows_note or ""
    )
    frames = generator.generate_related_data(schema, default_sample_size=300)
    assert len(frames["flags"]) == 255 and frames["flags"]["id"].is_unique
    assert frames["uses"]["flag_id"].isin(frames["flags"]["id"]).all()


def test_database_types_of_models_write_into_sqlite(sqlite_engine: Engine) -> None:
    metadata = sa.MetaData()
    table = sa.Table(
        "jobs",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("took", sa.Interval, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("settings", sa.JSON),
        sa.Column("level", sa.SmallInteger, nullable=False),
    )
    metadata.create_all(sqlite_engine)
    SyntheticDataGenerator(seed=5).generate_related_data(
        metadata, default_sample_size=40, db_url=sqlite_engine
    )
    with sqlite_engine.connect() as connection:
        rows = connection.execute(sa.select(table)).all()
    assert len(rows) == 40
    assert all(isinstance(r.took, dt.timedelta) and r.took > dt.timedelta(0) for r in rows)
    assert all(isinstance(r.tags, list) for r in rows)
    assert all(r.settings is None or "theme" in r.settings for r in rows)
    assert all(-32768 <= r.level <= 32767 for r in rows)
