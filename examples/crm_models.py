"""The CRM schema used by the demo, the tests and the benchmarks: five related tables."""

from __future__ import annotations

import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Customer(Base):
    """Organization that buys from us: a business account in the CRM.

    Customers place orders and have contacts.
    """

    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True, comment="Customer organization name")
    industry = Column(String(50), comment="Customer's primary industry")
    website = Column(String(100), comment="Customer's website URL")
    status = Column(String(20), nullable=False, comment="Active, Inactive, Prospect")
    country = Column(String(60), comment="Country of the customer's headquarters")
    created_at = Column(
        Date, default=datetime.date.today, comment="Date when customer was added to CRM"
    )


class Contact(Base):
    """Individual person at a customer organization whom we talk to."""

    __tablename__ = "contacts"

    id = Column(Integer, primary_key=True)
    customer_id = Column(
        Integer,
        ForeignKey("customers.id"),
        nullable=False,
        comment="Customer this contact belongs to",
    )
    first_name = Column(String(50), nullable=False, comment="Contact's first name")
    last_name = Column(String(50), nullable=False, comment="Contact's last name")
    email = Column(String(100), nullable=False, unique=True, comment="Contact's email address")
    phone = Column(String(30), comment="Contact's phone number")
    position = Column(String(100), comment="Job title or position")
    is_primary = Column(Boolean, default=False, comment="Whether this is the primary contact")


class Product(Base):
    """Product or service we sell: software licences, support plans, consulting."""

    __tablename__ = "products"
    __table_args__ = (CheckConstraint("price >= 0", name="ck_products_price"),)

    id = Column(Integer, primary_key=True)
    sku = Column(String(20), nullable=False, unique=True, comment="Stock keeping unit")
    name = Column(String(100), nullable=False, comment="Product name")
    category = Column(String(50), comment="Product category")
    price = Column(Numeric(10, 2), nullable=False, comment="List price in USD")
    description = Column(Text, comment="Detailed product description")


class Order(Base):
    """Order placed by a customer for one or more products."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(
            "status IN ('New', 'Processing', 'Shipped', 'Delivered', 'Cancelled')",
            name="ck_orders_status",
        ),
        CheckConstraint("shipped_date >= order_date", name="ck_orders_shipped_after_order"),
    )

    id = Column(Integer, primary_key=True)
    customer_id = Column(
        Integer, ForeignKey("customers.id"), nullable=False, comment="Customer who placed the order"
    )
    order_date = Column(Date, nullable=False, comment="Date when order was placed")
    shipped_date = Column(Date, comment="Date when the order left the warehouse")
    status = Column(String(20), nullable=False, comment="Order status")
    updated_at = Column(DateTime, comment="Last time the order was changed")


class OrderItem(Base):
    """One line of an order: a product in some quantity at the price of the day."""

    __tablename__ = "order_items"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no", name="uq_order_items_line"),
        CheckConstraint("quantity > 0", name="ck_order_items_quantity"),
        CheckConstraint("discount_pct BETWEEN 0 AND 50", name="ck_order_items_discount"),
    )

    id = Column(Integer, primary_key=True)
    order_id = Column(
        Integer, ForeignKey("orders.id"), nullable=False, comment="Order this item belongs to"
    )
    line_no = Column(Integer, nullable=False, comment="Line number within the order")
    product_id = Column(
        Integer, ForeignKey("products.id"), nullable=False, comment="Product being ordered"
    )
    quantity = Column(Integer, nullable=False, comment="Quantity of product ordered")
    unit_price = Column(Numeric(10, 2), nullable=False, comment="Price per unit at time of order")
    discount_pct = Column(Numeric(5, 2), nullable=False, comment="Discount in percent")


MODELS = [Customer, Contact, Product, Order, OrderItem]
