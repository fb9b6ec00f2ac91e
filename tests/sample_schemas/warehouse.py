"""Warehouse: composite primary and foreign keys, and a one-to-one foreign key.

A warehouse is identified by its region and its number within the region; a storage bin by its
warehouse and its number within the warehouse (so ``bin`` has a composite foreign key to
``warehouse`` that is part of its primary key); a stock line puts a SKU in a bin (a composite
foreign key to ``bin``), at most once per bin. Separately, every user has at most one profile
(``user_profile.user_id`` is UNIQUE).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase

__all__ = ["MODELS", "Base", "Bin", "Stock", "User", "UserProfile", "Warehouse"]


class Base(DeclarativeBase):
    pass


class Warehouse(Base):
    """A distribution warehouse, numbered within its sales region."""

    __tablename__ = "warehouse"

    region_code = Column(String(3), primary_key=True, comment="Sales region code, e.g. EU1")
    warehouse_no = Column(SmallInteger, primary_key=True, comment="Number within the region")
    name = Column(String(60), nullable=False, comment="Name of the warehouse")
    climate: Column[str] = Column(
        Enum("ambient", "chilled", "frozen", name="climate_zone"),
        nullable=False,
        comment="Temperature zone the warehouse is built for",
    )
    capacity_m3 = Column(Numeric(10, 1), comment="Storage capacity in cubic metres")
    opened_on = Column(Date, comment="Date the warehouse opened")


class Bin(Base):
    """A storage bin (a shelf position) inside a warehouse."""

    __tablename__ = "bin"
    __table_args__ = (
        ForeignKeyConstraint(
            ["region_code", "warehouse_no"],
            ["warehouse.region_code", "warehouse.warehouse_no"],
            name="fk_bin_warehouse",
        ),
        CheckConstraint("shelf_level BETWEEN 1 AND 8", name="ck_bin_shelf_level"),
        CheckConstraint("max_weight_kg > 0", name="ck_bin_max_weight"),
    )

    region_code = Column(String(3), primary_key=True, comment="Region of the warehouse")
    warehouse_no = Column(SmallInteger, primary_key=True, comment="Warehouse within the region")
    bin_no = Column(Integer, primary_key=True, comment="Bin number within the warehouse")
    aisle = Column(String(4), nullable=False, comment="Aisle label, e.g. A12")
    shelf_level = Column(SmallInteger, nullable=False, comment="Shelf level, 1 is the floor")
    max_weight_kg = Column(Numeric(7, 2), nullable=False, comment="Maximum load in kilograms")


class Stock(Base):
    """How many units of one SKU lie in one bin."""

    __tablename__ = "stock"
    __table_args__ = (
        ForeignKeyConstraint(
            ["region_code", "warehouse_no", "bin_no"],
            ["bin.region_code", "bin.warehouse_no", "bin.bin_no"],
            name="fk_stock_bin",
        ),
        UniqueConstraint("region_code", "warehouse_no", "bin_no", "sku", name="uq_stock_bin_sku"),
        CheckConstraint("quantity >= 0", name="ck_stock_quantity"),
    )

    id = Column(Integer, primary_key=True)
    region_code = Column(String(3), nullable=False, comment="Region of the bin")
    warehouse_no = Column(SmallInteger, nullable=False, comment="Warehouse of the bin")
    bin_no = Column(Integer, nullable=False, comment="The bin")
    sku = Column(String(12), nullable=False, comment="Stock keeping unit code of the product")
    quantity = Column(Integer, nullable=False, comment="Units in the bin")
    last_counted_at = Column(DateTime, comment="When the bin was last counted")


class User(Base):
    """An account of the warehouse management web application."""

    __tablename__ = "user"

    id = Column(Integer, primary_key=True)
    username = Column(String(30), nullable=False, unique=True, comment="Login name")
    email = Column(String(120), nullable=False, unique=True, comment="Email address")
    created_at = Column(DateTime, nullable=False, comment="When the account was created")


class UserProfile(Base):
    """The optional profile of a user: at most one per user."""

    __tablename__ = "user_profile"

    id = Column(Integer, primary_key=True)
    user_id = Column(
        Integer,
        ForeignKey("user.id"),
        nullable=False,
        unique=True,
        comment="The user this profile belongs to",
    )
    display_name = Column(String(60), nullable=False, comment="Name shown to other users")
    bio = Column(Text, comment="A few sentences about the user")
    birthday = Column(Date, comment="Date of birth")
    newsletter = Column(Boolean, nullable=False, comment="Whether the user gets the newsletter")


MODELS: list[type[Base]] = [Warehouse, Bin, Stock, User, UserProfile]
