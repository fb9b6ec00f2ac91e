"""Sakila: a DVD rental store (a subset of the public Sakila sample database).

Films are in a language and in categories and have actors; stores keep an inventory of films,
customers rent inventory items and pay for rentals. The schema keeps Sakila's real NOT NULL
cycle: every store has a manager (``store.manager_staff_id``) and every staff member works at a
store (``staff.store_id``). Both foreign keys of the cycle are DEFERRABLE INITIALLY DEFERRED,
so the rows can be inserted in one transaction, and ``use_alter`` so that SQLAlchemy can create
the two tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CHAR,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase

__all__ = [
    "MODELS",
    "Actor",
    "Address",
    "Base",
    "Category",
    "City",
    "Country",
    "Customer",
    "Film",
    "FilmActor",
    "FilmCategory",
    "Inventory",
    "Language",
    "Payment",
    "Rental",
    "Staff",
    "Store",
]

FILM_RATINGS = ("G", "PG", "PG-13", "R", "NC-17")
"""The MPAA ratings a film may have."""


class Base(DeclarativeBase):
    pass


def _last_update() -> Column[Any]:
    return Column(
        DateTime,
        nullable=False,
        server_default=func.now(),
        comment="When the row was last changed",
    )


class Language(Base):
    """A language films are spoken in (English, Italian, Japanese, ...)."""

    __tablename__ = "language"

    language_id = Column(SmallInteger, primary_key=True)
    name = Column(CHAR(20), nullable=False, comment="Name of the language")
    last_update = _last_update()


class Film(Base):
    """A film title the stores rent out on DVD."""

    __tablename__ = "film"
    __table_args__ = (
        CheckConstraint("rental_rate >= 0", name="ck_film_rental_rate"),
        CheckConstraint("replacement_cost >= 0", name="ck_film_replacement_cost"),
        CheckConstraint("rental_duration > 0", name="ck_film_rental_duration"),
        CheckConstraint("release_year BETWEEN 1901 AND 2155", name="ck_film_release_year"),
        CheckConstraint(
            "rating IN ('G', 'PG', 'PG-13', 'R', 'NC-17')",
            name="ck_film_rating",
        ),
    )

    film_id = Column(Integer, primary_key=True)
    title = Column(String(255), nullable=False, comment="Title of the film")
    description = Column(Text, comment="Short plot summary")
    release_year = Column(SmallInteger, comment="Year the film was released")
    language_id = Column(
        SmallInteger,
        ForeignKey("language.language_id"),
        nullable=False,
        comment="Language of the film",
    )
    original_language_id = Column(
        SmallInteger,
        ForeignKey("language.language_id"),
        comment="Original language, when the film is dubbed",
    )
    rental_duration = Column(
        SmallInteger, nullable=False, comment="Length of the rental period in days"
    )
    rental_rate = Column(
        Numeric(4, 2), nullable=False, comment="Cost to rent the film for the rental period"
    )
    length = Column(SmallInteger, comment="Duration of the film in minutes")
    replacement_cost = Column(
        Numeric(5, 2), nullable=False, comment="Amount charged if the DVD is not returned"
    )
    rating = Column(String(5), comment="MPAA rating: G, PG, PG-13, R, NC-17")
    last_update = _last_update()


class Actor(Base):
    """An actor who appears in films."""

    __tablename__ = "actor"

    actor_id = Column(Integer, primary_key=True)
    first_name = Column(String(45), nullable=False, comment="Actor's first name")
    last_name = Column(String(45), nullable=False, comment="Actor's last name")
    last_update = _last_update()


class FilmActor(Base):
    """Association table: which actors appear in which films."""

    __tablename__ = "film_actor"

    actor_id = Column(Integer, ForeignKey("actor.actor_id"), primary_key=True, comment="Actor")
    film_id = Column(Integer, ForeignKey("film.film_id"), primary_key=True, comment="Film")
    last_update = _last_update()


class Category(Base):
    """A film category such as Action, Comedy or Documentary."""

    __tablename__ = "category"

    category_id = Column(SmallInteger, primary_key=True)
    name = Column(String(25), nullable=False, comment="Name of the category")
    last_update = _last_update()


class FilmCategory(Base):
    """Association table: the categories of each film."""

    __tablename__ = "film_category"

    film_id = Column(Integer, ForeignKey("film.film_id"), primary_key=True, comment="Film")
    category_id = Column(
        SmallInteger, ForeignKey("category.category_id"), primary_key=True, comment="Category"
    )
    last_update = _last_update()


class Country(Base):
    """A country where stores, staff or customers have addresses."""

    __tablename__ = "country"

    country_id = Column(SmallInteger, primary_key=True)
    country = Column(String(50), nullable=False, comment="Name of the country")
    last_update = _last_update()


class City(Base):
    """A city in a country."""

    __tablename__ = "city"

    city_id = Column(Integer, primary_key=True)
    city = Column(String(50), nullable=False, comment="Name of the city")
    country_id = Column(
        SmallInteger,
        ForeignKey("country.country_id"),
        nullable=False,
        comment="Country the city is in",
    )
    last_update = _last_update()


class Address(Base):
    """A postal address of a store, a staff member or a customer."""

    __tablename__ = "address"

    address_id = Column(Integer, primary_key=True)
    address = Column(String(50), nullable=False, comment="First line of the street address")
    address2 = Column(String(50), comment="Optional second line of the address")
    district = Column(String(20), nullable=False, comment="Region, state or province")
    city_id = Column(Integer, ForeignKey("city.city_id"), nullable=False, comment="City")
    postal_code = Column(String(10), comment="Postal code")
    phone = Column(String(20), nullable=False, comment="Telephone number")
    last_update = _last_update()


class Store(Base):
    """A rental store; each store is run by exactly one manager, a member of the staff."""

    __tablename__ = "store"

    store_id = Column(Integer, primary_key=True)
    manager_staff_id = Column(
        Integer,
        ForeignKey(
            "staff.staff_id",
            name="fk_store_manager_staff",
            use_alter=True,
            deferrable=True,
            initially="DEFERRED",
        ),
        nullable=False,
        unique=True,
        comment="Staff member who manages the store",
    )
    address_id = Column(
        Integer, ForeignKey("address.address_id"), nullable=False, comment="Store's address"
    )
    last_update = _last_update()


class Staff(Base):
    """A staff member who works at one store."""

    __tablename__ = "staff"

    staff_id = Column(Integer, primary_key=True)
    first_name = Column(String(45), nullable=False, comment="Staff member's first name")
    last_name = Column(String(45), nullable=False, comment="Staff member's last name")
    address_id = Column(
        Integer, ForeignKey("address.address_id"), nullable=False, comment="Home address"
    )
    email = Column(String(50), comment="Work email address")
    store_id = Column(
        Integer,
        ForeignKey(
            "store.store_id",
            name="fk_staff_store",
            use_alter=True,
            deferrable=True,
            initially="DEFERRED",
        ),
        nullable=False,
        comment="Store the staff member works at",
    )
    active = Column(Boolean, nullable=False, comment="Whether the staff member still works here")
    username = Column(String(16), nullable=False, comment="Login name for the rental system")
    password = Column(String(40), comment="SHA-1 hash of the password")
    last_update = _last_update()


class Customer(Base):
    """A customer registered at one store."""

    __tablename__ = "customer"

    customer_id = Column(Integer, primary_key=True)
    store_id = Column(
        Integer, ForeignKey("store.store_id"), nullable=False, comment="Customer's home store"
    )
    first_name = Column(String(45), nullable=False, comment="Customer's first name")
    last_name = Column(String(45), nullable=False, comment="Customer's last name")
    email = Column(String(50), comment="Customer's email address")
    address_id = Column(
        Integer, ForeignKey("address.address_id"), nullable=False, comment="Customer's address"
    )
    active = Column(Boolean, nullable=False, comment="Whether the customer account is active")
    create_date = Column(DateTime, nullable=False, comment="When the customer registered")
    last_update = _last_update()


class Inventory(Base):
    """One physical DVD copy of a film held by a store."""

    __tablename__ = "inventory"

    inventory_id = Column(Integer, primary_key=True)
    film_id = Column(Integer, ForeignKey("film.film_id"), nullable=False, comment="Film on the DVD")
    store_id = Column(
        Integer, ForeignKey("store.store_id"), nullable=False, comment="Store holding the copy"
    )
    last_update = _last_update()


class Rental(Base):
    """A customer renting one inventory item, and returning it (or not yet)."""

    __tablename__ = "rental"
    __table_args__ = (
        Index(
            "rental_date_inventory_customer",
            "rental_date",
            "inventory_id",
            "customer_id",
            unique=True,
        ),
        CheckConstraint("return_date >= rental_date", name="ck_rental_return_after_rental"),
    )

    rental_id = Column(Integer, primary_key=True)
    rental_date = Column(DateTime, nullable=False, comment="When the item was rented")
    inventory_id = Column(
        Integer, ForeignKey("inventory.inventory_id"), nullable=False, comment="Rented DVD"
    )
    customer_id = Column(
        Integer, ForeignKey("customer.customer_id"), nullable=False, comment="Renting customer"
    )
    return_date = Column(DateTime, comment="When the item was returned (NULL while rented)")
    staff_id = Column(
        Integer, ForeignKey("staff.staff_id"), nullable=False, comment="Staff who handled it"
    )
    last_update = _last_update()


class Payment(Base):
    """A payment by a customer, usually for a rental."""

    __tablename__ = "payment"
    __table_args__ = (CheckConstraint("amount >= 0", name="ck_payment_amount"),)

    payment_id = Column(Integer, primary_key=True)
    customer_id = Column(
        Integer, ForeignKey("customer.customer_id"), nullable=False, comment="Paying customer"
    )
    staff_id = Column(
        Integer, ForeignKey("staff.staff_id"), nullable=False, comment="Staff who took it"
    )
    rental_id = Column(Integer, ForeignKey("rental.rental_id"), comment="Rental paid for")
    amount = Column(Numeric(5, 2), nullable=False, comment="Amount paid in USD")
    payment_date = Column(DateTime, nullable=False, comment="When the payment was made")
    last_update = _last_update()


MODELS: list[type[Base]] = [
    Language,
    Film,
    Actor,
    FilmActor,
    Category,
    FilmCategory,
    Country,
    City,
    Address,
    Store,
    Staff,
    Customer,
    Inventory,
    Rental,
    Payment,
]
