"""IR -> MetaData -> IR gives the same tables, and real databases enforce what the IR says."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.schema import sort_tables_and_constraints

from syda.schema import Schema, from_metadata, load_schema, to_metadata

SHOP: dict[str, Any] = {
    "departments": {
        "columns": {
            "id": "integer",
            "name": {"type": "varchar(40)", "unique": True},
            "head_id": {"references": "employees", "nullable": True},
        },
        "description": "Where people work",
    },
    "employees": {
        "id": "integer",
        "department_id": {"references": "departments.id"},
        "boss_id": {"references": "employees", "nullable": True},
        "email": {"type": "email", "unique": True, "pattern": "^[a-z.]+@example\\.com$"},
        "salary": {"type": "decimal(10,2)", "min": 1000, "max": 9000},
        "level": {"type": "integer", "enum": [1, 2, 3]},
        "grade": {"enum": ["junior", "senior"]},
        "hired": {"type": "date", "min": "2000-01-01"},
        "left": {"type": "date", "nullable": True},
        "seen_at": {"type": "timestamp", "min": "2020-01-01T12:00:00", "nullable": True},
        "rating": {"type": "float", "nullable": True},
        "active": "boolean",
        "badge": "uuid",
        "profile": {"type": "json", "nullable": True},
        "photo": {"type": "bytes", "nullable": True},
        "starts_at": {"type": "time", "nullable": True},
        "bio": {"type": "text", "description": "Free text", "default": ""},
        "shoe_size": {"type": "shoe_size", "nullable": True},
    },
    "assignments": {
        "columns": {
            "employee_id": {"references": "employees"},
            "project": "varchar(20)",
            "week": "integer",
            "hours": "integer",
        },
        "primary_key": ["employee_id", "project", "week"],
        "unique": [["project", "week", "hours"]],
        "checks": ["hours BETWEEN 1 AND 40", "week > 0", {"sql": "project <> 'x'", "name": "ck_p"}],
    },
    "reviews": {
        "columns": {
            "employee_id": "integer",
            "project": "varchar(20)",
            "week": "integer",
            "opened": "date",
            "closed": {"type": "date", "nullable": True},
        },
        "foreign_keys": [
            {
                "columns": ["employee_id", "project", "week"],
                "references": "assignments",
                "deferrable": True,
                "initially_deferred": True,
            }
        ],
        "checks": ["closed >= opened"],
    },
}


def without_sql_types(schema: Schema) -> Schema:
    """The declared type text depends on the source, not on what the column means."""
    return Schema(
        tuple(
            replace(t, columns=tuple(replace(c, sql_type=None) for c in t.columns)) for t in schema
        )
    )


def test_dict_schema_round_trip() -> None:
    schema = load_schema(SHOP)
    again = from_metadata(to_metadata(schema))
    assert without_sql_types(again) == without_sql_types(schema)
    employees = again.table("employees")
    assert employees.column("shoe_size").kind == "unknown"
    assert employees.column("email").semantic == "email"
    assert employees.column("bio").has_default
    assert again.table("departments").description == "Where people work"


class Mood(enum.Enum):
    HAPPY = "happy"
    SAD = "sad"


class Base(DeclarativeBase):
    pass


class Author(Base):
    """Someone who writes."""

    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), unique=True, comment="Pen name")
    mood: Mapped[Mood]
    born: Mapped[dt.date] = mapped_column(sa.CheckConstraint("born >= '1900-01-01'"))
    favourite_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("books.id", use_alter=True, name="fk_favourite")
    )


class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("authors.id"))
    title: Mapped[str] = mapped_column(sa.String(80))
    price: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2), sa.CheckConstraint("price > 0"))
    pages: Mapped[int] = mapped_column(sa.CheckConstraint("pages BETWEEN 1 AND 2000"))
    __table_args__ = (sa.UniqueConstraint("author_id", "title"),)


def test_models_round_trip() -> None:
    schema = load_schema([Author, Book])
    metadata = to_metadata(schema)
    assert list(metadata.tables) == ["authors", "books"]
    again = from_metadata(metadata)
    assert again.keys == ("Author", "Book")
    assert without_sql_types(again) == without_sql_types(schema)


def test_cycle_is_left_over_for_a_second_pass() -> None:
    metadata = to_metadata(load_schema(SHOP))
    ordered = sort_tables_and_constraints(metadata.tables.values())
    leftover = ordered[-1][1]
    assert {fkc.table.name for fkc in leftover} == {"departments", "employees"}


VALID = {
    "departments": [{"id": 1, "name": "Ops", "head_id": None}],
    "employees": [
        {
            "id": 1,
            "department_id": 1,
            "boss_id": None,
            "email": "ann@example.com",
            "salary": Decimal("1500.00"),
            "level": 2,
            "grade": "senior",
            "hired": dt.date(2001, 5, 1),
            "left": None,
            "seen_at": dt.datetime(2020, 1, 1, 13, 0),
            "rating": 4.5,
            "active": True,
            "badge": __import__("uuid").UUID(int=1),
            "profile": {"a": 1},
            "photo": b"\x00",
            "starts_at": dt.time(9, 0),
            "bio": "Hi",
            "shoe_size": "42",
        }
    ],
    "assignments": [{"employee_id": 1, "project": "p", "week": 1, "hours": 8}],
    "reviews": [
        {
            "employee_id": 1,
            "project": "p",
            "week": 1,
            "opened": dt.date(2020, 1, 1),
            "closed": dt.date(2020, 1, 2),
        }
    ],
}

INVALID = [
    ("employees", {"salary": Decimal("999.99")}),
    ("employees", {"salary": Decimal("9000.01")}),
    ("employees", {"level": 4}),
    ("employees", {"grade": "chief"}),
    ("employees", {"hired": dt.date(1999, 12, 31)}),
    ("employees", {"seen_at": dt.datetime(2020, 1, 1, 11, 59)}),
    ("employees", {"department_id": 99}),
    ("employees", {"email": "ann@example.com", "id": 2}),
    ("assignments", {"hours": 41}),
    ("assignments", {"week": 0}),
    ("assignments", {"project": "x"}),
    ("reviews", {"closed": dt.date(2019, 12, 31)}),
    ("reviews", {"week": 2}),
]


@pytest.mark.parametrize(("table", "change"), INVALID)
def test_database_enforces_the_schema(database: Engine, table: str, change: dict[str, Any]) -> None:
    metadata = to_metadata(load_schema(SHOP))
    metadata.create_all(database)
    with database.begin() as connection:
        for name, rows in VALID.items():
            connection.execute(metadata.tables[name].insert(), rows)
    bad = {**VALID[table][0], **change}
    if table == "employees" and "id" not in change:
        bad["id"] = 2
        bad["email"] = "bob@example.com"
    if table == "assignments":
        bad["week"] = change.get("week", 2)
    with pytest.raises(sa.exc.IntegrityError), database.begin() as connection:
        connection.execute(metadata.tables[table].insert(), [bad])


def test_reflected_tables_keep_the_facts(sqlite_engine: Engine) -> None:
    schema = load_schema(SHOP)
    to_metadata(schema).create_all(sqlite_engine)
    reflected = sa.MetaData()
    reflected.reflect(sqlite_engine)
    again = from_metadata(reflected)
    facts = ("kind", "nullable", "length", "precision", "scale", "minimum", "maximum", "choices")
    for table in schema:
        other = again.table(table.name)
        assert other.primary_key == table.primary_key
        assert set(other.unique_sets) == set(table.unique_sets)
        assert set(other.comparisons) == set(table.comparisons)
        for column in table.columns:
            if column.kind in ("unknown", "uuid", "json", "time", "binary", "datetime"):
                continue  # SQLite reflects these as its own storage types
            for fact in facts:
                assert getattr(other.column(column.name), fact) == getattr(column, fact), (
                    table.key,
                    column.name,
                    fact,
                )
