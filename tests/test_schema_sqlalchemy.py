"""SQLAlchemy models, tables and reflected databases become the schema IR."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declarative_base, mapped_column

from syda.errors import SchemaError
from syda.schema import (
    ColumnComparison,
    ForeignKey,
    UniqueConstraint,
    from_metadata,
    from_sqlalchemy,
    load_schema,
)


class Status(enum.Enum):
    ACTIVE = "active"
    INACTIVE = "inactive"


def make_base() -> type[DeclarativeBase]:
    class Base(DeclarativeBase):
        """The project's declarative base: never a model's description."""

    return Base


def test_readme_models_with_legacy_declarative_base() -> None:
    Base: Any = declarative_base()

    class Department(Base):  # type: ignore[misc,valid-type]
        """Organizational department that groups employees by business function.
        Departments are the primary organizational units within the company structure.
        """

        __tablename__ = "departments"
        id = sa.Column(sa.Integer, primary_key=True)
        name = sa.Column(
            sa.String(100), nullable=False, unique=True, comment="Official department name"
        )
        budget = sa.Column(sa.Float, comment="Annual budget allocation in USD")

    class Employee(Base):  # type: ignore[misc,valid-type]
        __tablename__ = "employees"
        id = sa.Column(sa.Integer, primary_key=True)
        email = sa.Column(sa.String(100), nullable=False, unique=True)
        department_id = sa.Column(sa.Integer, sa.ForeignKey("departments.id"))

    schema = load_schema([Employee, Department])
    assert schema.keys == ("Employee", "Department")
    department = schema.table("Department")
    assert department.name == "departments"
    assert department.description == (
        "Organizational department that groups employees by business function.\n"
        "Departments are the primary organizational units within the company structure."
    )
    assert schema.table("Employee").description is None
    name = department.column("name")
    assert (name.kind, name.length, name.nullable, name.unique) == ("string", 100, False, True)
    assert name.comment == "Official department name"
    assert name.sql_type == "VARCHAR(100)"
    ident = department.column("id")
    assert (ident.kind, ident.nullable, ident.unique, ident.autoincrement) == (
        "integer",
        False,
        True,
        True,
    )
    assert department.column("budget").kind == "float"
    assert schema.table("Employee").foreign_keys == (
        ForeignKey(("department_id",), "Department", ("id",)),
    )
    assert department.unique_sets == (("id",), ("name",))


def test_declarative_2_0_models_types_and_defaults() -> None:
    Base = make_base()

    class Thing(Base):
        """A thing.

        Detail,
            indented.
        """

        __tablename__ = "things"
        __table_args__ = ({"comment": "Things we sell"},)
        id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
        label: Mapped[str] = mapped_column(sa.Unicode(30), info={"note": 1}, doc="The label")
        body: Mapped[str | None] = mapped_column(sa.Text)
        small: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
        price: Mapped[float] = mapped_column(sa.Numeric(10, 2))
        ratio: Mapped[float] = mapped_column(sa.Numeric(5, 2, asdecimal=False))
        real: Mapped[float] = mapped_column(sa.REAL)
        double: Mapped[float] = mapped_column(sa.Double)
        flag: Mapped[bool] = mapped_column(server_default=sa.true())
        day: Mapped[dt.date]
        at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
        stamp: Mapped[dt.datetime] = mapped_column(sa.TIMESTAMP)
        clock: Mapped[dt.time]
        key: Mapped[Any] = mapped_column(sa.Uuid)
        data: Mapped[Any] = mapped_column(sa.JSON)
        blob: Mapped[bytes] = mapped_column(sa.LargeBinary(64))
        span: Mapped[dt.timedelta] = mapped_column(sa.Interval)
        tags: Mapped[Any] = mapped_column(postgresql.ARRAY(sa.Integer))
        address: Mapped[Any] = mapped_column(postgresql.INET)
        email: Mapped[str] = mapped_column(postgresql.CITEXT)
        extra: Mapped[Any] = mapped_column(postgresql.JSONB)
        status: Mapped[Status]
        stored: Mapped[Status] = mapped_column(
            sa.Enum(Status, values_callable=lambda e: [m.value for m in e])
        )
        size: Mapped[str] = mapped_column(sa.Enum("S", "M", "L", name="size"))
        total: Mapped[int] = mapped_column(sa.Computed("small * 2"))

    table = load_schema(Thing).tables[0]
    assert table.key == "Thing"
    assert table.description == "A thing.\n\nDetail,\n    indented.\n\nThings we sell"
    kinds = {c.name: c.kind for c in table.columns}
    assert kinds == {
        "id": "integer",
        "label": "string",
        "body": "text",
        "small": "integer",
        "price": "decimal",
        "ratio": "float",
        "real": "float",
        "double": "float",
        "flag": "boolean",
        "day": "date",
        "at": "datetime",
        "stamp": "datetime",
        "clock": "time",
        "key": "uuid",
        "data": "json",
        "blob": "binary",
        "span": "string",
        "tags": "json",
        "address": "string",
        "email": "text",
        "extra": "json",
        "status": "string",
        "stored": "string",
        "size": "string",
        "total": "integer",
    }
    col = table.column
    assert col("id").autoincrement and col("id").sql_type == "BIGINT"
    assert (col("label").length, col("label").comment, dict(col("label").info)) == (
        30,
        "The label",
        {"note": 1},
    )
    assert (col("price").precision, col("price").scale) == (10, 2)
    assert col("at").timezone and not col("stamp").timezone
    assert col("blob").length == 64
    assert col("address").sql_type == "INET"
    assert col("span").sql_type
    # Database types keep their family: values are drawn in the type's own syntax.
    families = {name: col(name).db_type for name in ("span", "tags", "address")}
    assert {name: t.name if t else None for name, t in families.items()} == {
        "span": "interval",
        "tags": "array",
        "address": "inet",
    }
    element = col("tags").db_type.element  # type: ignore[union-attr]
    assert (element.name, element.kind) == ("tag", "integer")
    assert (col("small").minimum, col("small").maximum) == (-32768, 32767)
    assert col("small").has_default and col("flag").has_default and not col("day").has_default
    # SQLAlchemy stores a Python enum's member names unless values_callable says otherwise.
    assert col("status").choices == ("ACTIVE", "INACTIVE")
    assert col("stored").choices == ("active", "inactive")
    assert col("size").choices == ("S", "M", "L")
    assert col("total").generated and "total" not in table.column_names
    assert col("body").nullable and not col("day").nullable


def test_composite_keys_self_reference_and_cycle() -> None:
    Base = make_base()

    class Warehouse(Base):
        __tablename__ = "warehouses"
        region: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
        code: Mapped[int] = mapped_column(primary_key=True)
        manager_id: Mapped[int | None] = mapped_column(
            sa.ForeignKey("employees.id", use_alter=True, name="fk_manager")
        )

    class Employee(Base):
        __tablename__ = "employees"
        id: Mapped[int] = mapped_column(primary_key=True)
        boss_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employees.id"))
        region: Mapped[str] = mapped_column(sa.String(2))
        code: Mapped[int]
        __table_args__ = (
            sa.ForeignKeyConstraint(
                ["region", "code"],
                ["warehouses.region", "warehouses.code"],
                deferrable=True,
                initially="DEFERRED",
            ),
        )

    schema = from_sqlalchemy([Warehouse, Employee])
    warehouse, employee = schema.tables
    assert warehouse.primary_key == ("region", "code")
    assert not warehouse.column("code").autoincrement
    assert not any(c.unique for c in warehouse.columns)
    assert warehouse.foreign_keys == (
        ForeignKey(("manager_id",), "Employee", ("id",), name="fk_manager"),
    )
    assert employee.foreign_keys == (
        ForeignKey(("boss_id",), "Employee", ("id",)),
        ForeignKey(
            ("region", "code"),
            "Warehouse",
            ("region", "code"),
            deferrable=True,
            initially_deferred=True,
        ),
    )


def test_unique_constraints_and_indexes_are_listed_once() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "accounts",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(80), unique=True),
        sa.Column("handle", sa.String(20)),
        sa.Column("tenant", sa.Integer),
        sa.Column("number", sa.Integer),
        sa.Column("slug", sa.String(20), index=True, unique=True),
        sa.UniqueConstraint("handle", name="uq_handle"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("tenant", "number", name="uq_tenant_number"),
        sa.UniqueConstraint("id"),
        sa.Index("ix_tenant_number", "tenant", "number", unique=True),
        sa.Index("ix_number_tenant", "number", "tenant", unique=True),
        sa.Index("ix_lower_email", sa.func.lower(sa.column("email")), unique=True),
        sa.Index("ix_plain", "handle"),
    )
    table = from_metadata(metadata).tables[0]
    assert table.key == "accounts"
    assert [c.name for c in table.columns if c.unique] == ["id", "email", "handle", "slug"]
    assert table.unique_constraints == (
        UniqueConstraint(("tenant", "number"), "uq_tenant_number"),
        UniqueConstraint(("number", "tenant"), "ix_number_tenant"),
    )
    assert table.unique_sets == (
        ("id",),
        ("tenant", "number"),
        ("number", "tenant"),
        ("email",),
        ("handle",),
        ("slug",),
    )


def test_checks_from_columns_and_tables_are_folded() -> None:
    Base = make_base()

    class Booking(Base):
        __tablename__ = "bookings"
        id: Mapped[int] = mapped_column(primary_key=True)
        status: Mapped[str] = mapped_column(
            sa.String(10), sa.CheckConstraint("status IN ('open', 'closed')", name="ck_status")
        )
        guests: Mapped[int] = mapped_column(sa.CheckConstraint("guests BETWEEN 1 AND 8"))
        start: Mapped[dt.date]
        stop: Mapped[dt.date]
        note: Mapped[str] = mapped_column(sa.Text)
        __table_args__ = (
            sa.CheckConstraint("stop >= start"),
            sa.CheckConstraint(sa.column("guests") <= 6),
            sa.CheckConstraint("length(trim(note)) > 0", name="ck_note"),
        )

    table = load_schema(Booking).tables[0]
    assert table.column("status").choices == ("open", "closed")
    assert (table.column("guests").minimum, table.column("guests").maximum) == (1, 6)
    assert table.comparisons == (ColumnComparison("stop", ">=", "start"),)
    checks = {c.sqltext: (c.name, c.understood) for c in table.checks}
    assert checks == {
        "status IN ('open', 'closed')": ("ck_status", True),
        "guests BETWEEN 1 AND 8": (None, True),
        "stop >= start": (None, True),
        "guests <= 6": (None, True),
        "length(trim(note)) > 0": ("ck_note", False),
    }


def test_identity_and_key_that_is_also_a_foreign_key() -> None:
    Base = make_base()

    class Person(Base):
        __tablename__ = "people"
        id: Mapped[int] = mapped_column(sa.Identity(always=True), primary_key=True)

    class Profile(Base):
        __tablename__ = "profiles"
        id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), primary_key=True)

    person, profile = load_schema([Person, Profile]).tables
    ident = person.column("id")
    assert ident.autoincrement and ident.has_default and not ident.generated
    assert not profile.column("id").autoincrement
    assert profile.column("id").unique


def test_info_overrides_and_their_problems() -> None:
    Base = make_base()

    class Contact(Base):
        __tablename__ = "contacts"
        id: Mapped[int] = mapped_column(primary_key=True)
        mail: Mapped[str] = mapped_column(info={"syda": {"semantic": "email", "pattern": ".+@.+"}})
        score: Mapped[int] = mapped_column(info={"syda": {"minimum": 0, "maximum": 10}})

    table = load_schema(Contact).tables[0]
    assert (table.column("mail").semantic, table.column("mail").pattern) == ("email", ".+@.+")
    assert (table.column("score").minimum, table.column("score").maximum) == (0, 10)

    class Broken(Base):
        __tablename__ = "broken"
        id: Mapped[int] = mapped_column(primary_key=True)
        a: Mapped[str] = mapped_column(info={"syda": {"kind": "colour"}})
        b: Mapped[str] = mapped_column(info={"syda": {"semantik": "email"}})

    with pytest.raises(SchemaError) as caught:
        load_schema(Broken)
    assert len(caught.value.problems) == 2


def test_missing_parents_are_all_reported_at_once() -> None:
    Base = make_base()

    class Customer(Base):
        __tablename__ = "customers"
        id: Mapped[int] = mapped_column(primary_key=True)

    class Product(Base):
        __tablename__ = "products"
        id: Mapped[int] = mapped_column(primary_key=True)

    class OrderLine(Base):
        __tablename__ = "order_lines"
        id: Mapped[int] = mapped_column(primary_key=True)
        customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"))
        product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
        warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))

    with pytest.raises(SchemaError) as caught:
        from_sqlalchemy([OrderLine, "not a model"])
    problems = caught.value.problems
    assert len(problems) == 4
    assert any("add Customer" in p for p in problems)
    assert any("add Product" in p for p in problems)
    assert any("warehouses" in p for p in problems)
    assert any("'not a model'" in p for p in problems)

    kept = from_sqlalchemy([OrderLine, Customer], external_references=True).tables[0]
    assert [(fk.ref_table, fk.ref_columns) for fk in kept.foreign_keys] == [
        ("Customer", ("id",)),
        ("Product", ("id",)),
        ("warehouses", ("id",)),
    ]


def test_tables_with_the_same_name_in_two_database_schemas() -> None:
    metadata = sa.MetaData()
    sales = sa.Table(
        "items", metadata, sa.Column("id", sa.Integer, primary_key=True), schema="sales"
    )
    stock = sa.Table(
        "items",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sale_id", sa.ForeignKey("sales.items.id")),
        schema="stock",
    )
    schema = load_schema([sales, stock])
    assert schema.keys == ("sales.items", "stock.items")
    assert schema.tables[1].foreign_keys[0].ref_table == "sales.items"
    assert schema.tables[1].schema == "stock"


def test_same_table_given_as_model_and_table_is_read_once() -> None:
    Base = make_base()

    class Tag(Base):
        __tablename__ = "tags"
        id: Mapped[int] = mapped_column(primary_key=True)

    assert load_schema([Tag.__table__, Tag, Base.metadata]).keys == ("Tag",)


def test_sqlite_reflection(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as connection:
        for ddl in (
            "CREATE TABLE parents (id INTEGER PRIMARY KEY, a INT NOT NULL, b INT NOT NULL,"
            " UNIQUE (a, b))",
            "CREATE TABLE children (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " price NUMERIC(10, 2) CHECK (price >= 0),"
            " status VARCHAR(8) NOT NULL CHECK (status IN ('new', 'done')),"
            " parent_id INT REFERENCES parents (id), a INT, b INT, starts DATE, ends DATE,"
            " CONSTRAINT ck_dates CHECK (ends >= starts),"
            " FOREIGN KEY (a, b) REFERENCES parents (a, b) DEFERRABLE INITIALLY DEFERRED)",
            "CREATE UNIQUE INDEX ux_children ON children (status, price)",
        ):
            connection.exec_driver_sql(ddl)
    metadata = sa.MetaData()
    metadata.reflect(sqlite_engine)
    schema = from_metadata(metadata)
    parents, children = schema.table("parents"), schema.table("children")
    assert parents.unique_constraints == (UniqueConstraint(("a", "b")),)
    assert children.column("price").minimum == 0
    assert (children.column("price").precision, children.column("price").scale) == (10, 2)
    assert children.column("status").choices == ("new", "done")
    assert children.comparisons == (ColumnComparison("ends", ">=", "starts"),)
    assert {c.name for c in children.checks} == {None, "ck_dates"}
    assert all(c.understood for c in children.checks)
    assert children.unique_constraints == (UniqueConstraint(("status", "price"), "ux_children"),)
    assert children.foreign_keys == (
        ForeignKey(("parent_id",), "parents", ("id",)),
        ForeignKey(("a", "b"), "parents", ("a", "b"), deferrable=True, initially_deferred=True),
    )


@pytest.mark.postgres
def test_postgresql_reflection(postgres_engine: Engine) -> None:
    with postgres_engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE items (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " price NUMERIC(10, 2) CHECK (price > 0),"
            " status VARCHAR(8) NOT NULL CHECK (status IN ('new', 'done')),"
            " qty INT CHECK (qty BETWEEN 1 AND 5), sku VARCHAR(12) CHECK (sku LIKE 'SKU-%%'),"
            " code TEXT CHECK (code ~ '^[A-Z]{3}$'), starts DATE CHECK (starts >= '2000-01-01'),"
            " ends DATE, note TEXT CHECK (length(note) <= 50), address INET,"
            " doubled NUMERIC GENERATED ALWAYS AS (price * 2) STORED,"
            " CHECK (ends >= starts))"
        )
    metadata = sa.MetaData()
    metadata.reflect(postgres_engine)
    table = from_metadata(metadata).tables[0]
    col = table.column
    assert all(check.understood for check in table.checks), table.checks
    assert col("id").autoincrement and col("id").has_default
    assert col("price").minimum == 0.01
    assert col("status").choices == ("new", "done")
    assert (col("qty").minimum, col("qty").maximum) == (1, 5)
    assert col("sku").pattern == "SKU\\-.*"
    assert col("code").pattern == "[A-Z]{3}"
    assert col("starts").minimum == dt.date(2000, 1, 1).toordinal()
    assert col("note").length == 50
    assert (col("address").kind, col("address").sql_type) == ("string", "INET")
    assert col("doubled").generated
    assert table.comparisons == (ColumnComparison("ends", ">=", "starts"),)


class _Upper(sa.types.TypeDecorator[str]):
    """A decorator whose impl is an instance: SQLAlchemy accepts it, ``as_generic()`` asserts."""

    impl = sa.String(40)
    cache_ok = True


def test_type_decorator_with_an_impl_instance_reads_as_its_impl() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "tags",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", _Upper, nullable=False),
        sa.Column("label", _Upper(12)),
    )
    table = load_schema(metadata).table("tags")
    assert table.column("name").kind == "string"
    assert table.column("name").length == 40
    assert table.column("label").kind == "string"
