"""Reflecting real databases into the schema IR, and filling what was reflected.

The same portable schema (composite keys, unique constraints and unique indexes, CHECKs, names
that need quoting) is created on SQLite, PostgreSQL and MariaDB and read back; dialect features
(PostgreSQL enums, domains and schemas, MySQL enums) get their own tests. The last test is the
acceptance path of a new user: an empty sample database, reflected, generated, written back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import ConfigurationError, OutputError, SchemaError, SyntheticDataGenerator
from syda.database import count_rows, reflect_database, write_database
from tests.sample_schemas import sakila


def portable_metadata() -> sa.MetaData:
    md = sa.MetaData()
    sa.Table(
        "user",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user name", sa.String(40), nullable=False, comment="Login name"),
        sa.Column("email", sa.String(80)),
        sa.Column("age", sa.Integer),
        sa.CheckConstraint("age >= 18", name="ck_age"),
        sa.Index("ux_user_email", "email", unique=True),
        comment="People who order",
    )
    sa.Table(
        "order",
        md,
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id"), primary_key=True),
        sa.Column("order no", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(12), nullable=False),
        sa.UniqueConstraint("user_id", "code", name="uq_order_code"),
    )
    sa.Table(
        "LineItem",
        md,
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("order no", sa.Integer, primary_key=True),
        sa.Column("Line", sa.Integer, primary_key=True),
        sa.Column("price", sa.Numeric(8, 2), sa.CheckConstraint("price > 0"), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id", "order no"], ["order.user_id", "order.order no"], name="fk_item_order"
        ),
    )
    return md


def test_reflects_keys_uniques_checks_and_quoted_names(any_database: Engine) -> None:
    portable_metadata().create_all(any_database)
    schema = reflect_database(any_database)
    assert sorted(schema.keys) == ["LineItem", "order", "user"]
    user, order, item = (schema.table(k) for k in ("user", "order", "LineItem"))
    assert user.column("user name").nullable is False
    assert user.column("user name").length == 40
    assert user.column("email").unique  # from the unique index
    assert user.column("age").minimum == 18  # from the CHECK
    assert order.primary_key == ("user_id", "order no")
    assert [uc.columns for uc in order.unique_constraints] == [("user_id", "code")]
    assert item.primary_key == ("user_id", "order no", "Line")
    (fk,) = item.foreign_keys
    assert (fk.columns, fk.ref_table, fk.ref_columns) == (
        ("user_id", "order no"),
        "order",
        ("user_id", "order no"),
    )
    assert item.column("price").kind == "decimal"
    assert item.column("price").minimum is not None
    if any_database.dialect.name != "sqlite":  # SQLite keeps no comments
        assert user.description == "People who order"
        assert user.column("user name").comment == "Login name"

    frames = SyntheticDataGenerator(seed=0).generate_related_data(schema, default_sample_size=8)
    report = write_database(schema, frames, any_database)
    assert report.tables == {"user": 8, "order": 8, "LineItem": 8}


@pytest.mark.postgres
def test_postgres_enums_domains_and_other_schemas(postgres_engine: Engine) -> None:
    with postgres_engine.begin() as conn:
        conn.exec_driver_sql('CREATE SCHEMA "Sales"')
        conn.exec_driver_sql("""CREATE TYPE "Sales".mood AS ENUM ('happy', 'sad')""")
        conn.exec_driver_sql(
            """CREATE DOMAIN "Sales".sku AS varchar(8) NOT NULL """
            """CHECK (VALUE ~ '^[A-Z]{3}[0-9]{1,5}$') CHECK (length(VALUE) > 3)"""
        )
        conn.exec_driver_sql(
            """CREATE DOMAIN "Sales".qty AS integer CHECK (VALUE BETWEEN 1 AND 50)"""
        )
        conn.exec_driver_sql(
            """CREATE TABLE "Sales"."order" (id serial PRIMARY KEY,
               "the mood" "Sales".mood NOT NULL, sku "Sales".sku, amount "Sales".qty NOT NULL)"""
        )
    try:
        schema = reflect_database(postgres_engine, schema="Sales")
        order = schema.table("order")
        assert order.schema == "Sales"
        mood = order.column("the mood")
        assert (mood.choices, mood.sql_type) == (("happy", "sad"), "mood")
        sku = order.column("sku")
        assert (sku.kind, sku.length, sku.nullable, sku.sql_type) == ("string", 8, False, "sku")
        assert len([c for c in order.checks if '"sku"' in c.sqltext or "sku" in c.sqltext]) == 2
        amount = order.column("amount")
        assert (amount.kind, amount.minimum, amount.maximum) == ("integer", 1, 50)

        frames = SyntheticDataGenerator(seed=0).generate_related_data(
            schema, custom_generators={"order": {"sku": lambda row, col: f"ABC{row['id']}"}}
        )
        write_database(schema, frames, postgres_engine, db_schema="Sales")
        assert count_rows(schema, postgres_engine, db_schema="Sales") == {"order": 10}
    finally:
        with postgres_engine.begin() as conn:
            conn.exec_driver_sql('DROP SCHEMA "Sales" CASCADE')


def test_mariadb_enums(mariadb_engine: Engine) -> None:
    with mariadb_engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE `Ticket` (id INT PRIMARY KEY, "
            "`status` ENUM('open', 'closed') NOT NULL, "
            "points INT CHECK (points BETWEEN 0 AND 10))"
        )
    ticket = reflect_database(mariadb_engine).table("Ticket")
    assert ticket.column("status").choices == ("open", "closed")
    assert (ticket.column("points").minimum, ticket.column("points").maximum) == (0, 10)


def test_tables_brings_along_the_parents(sqlite_engine: Engine) -> None:
    portable_metadata().create_all(sqlite_engine)
    assert sorted(reflect_database(sqlite_engine, tables=["order"]).keys) == ["order", "user"]
    with pytest.raises(SchemaError, match=r"no table\(s\) 'orders'"):
        reflect_database(sqlite_engine, tables=["orders"])


@pytest.mark.postgres  # the psycopg driver talks to a closed port
def test_empty_databases_are_schema_errors_unreachable_ones_output_errors(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    with pytest.raises(SchemaError, match="has no tables"):
        reflect_database(sqlite_engine)
    with pytest.raises(OutputError, match=r"reflecting postgresql\+psycopg://u:\*\*\*@"):
        reflect_database("postgresql+psycopg://u:pw@127.0.0.1:1/none?connect_timeout=1")
    with pytest.raises(OutputError, match="no such database file"):
        reflect_database(f"sqlite:///{tmp_path / 'missing.db'}")
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(ConfigurationError, match="not a database URL"):
        reflect_database("not a url")


def test_a_reflected_sample_database_is_filled_and_enforced(any_database: Engine) -> None:
    # What a new user does: point syda at an empty database made from a public sample schema.
    fresh = sa.MetaData()
    for table in sakila.Base.metadata.tables.values():
        table.to_metadata(fresh)
    if any_database.dialect.name == "mysql":  # MySQL knows no DEFERRABLE
        for table in fresh.tables.values():
            for fkc in table.foreign_key_constraints:
                fkc.deferrable = fkc.initially = None
    fresh.create_all(any_database)
    schema = reflect_database(any_database)
    frames = SyntheticDataGenerator(seed=0).generate_related_data(schema, default_sample_size=20)
    report = write_database(schema, frames, any_database)
    assert set(report.tables.values()) == {20}
    assert set(count_rows(schema, any_database).values()) == {20}
