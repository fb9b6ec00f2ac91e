"""A web application's development database: users, products, their orders and analytics events.

The four ``fake_*`` tables of the dev-bootstrap document, as SQLAlchemy models. Seed them with
``syda seed syda.demos.dev_app --db sqlite:///dev.db`` or, at application start-up,
``seed_database(dev_app.MODELS, url, sample_sizes=dev_app.SAMPLE_SIZES,
only_if_env=("APP_ENV", "dev"))``. Every table name starts with ``fake_`` so the rows are never
mistaken for real ones.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase

__all__ = ["MODELS", "SAMPLE_SIZES", "FakeAnalytics", "FakeOrder", "FakeProduct", "FakeUser"]


class Base(DeclarativeBase):
    pass


# Fictional brands: a demo shop should not sell real companies' goods at made-up prices.
_BRANDS = [
    "Northvale",
    "Kestrel & Co",
    "Lumen Home",
    "Oakridge",
    "Brightline",
    "Vantage Audio",
    "Copperleaf",
    "Everpeak",
    "Harbor Goods",
    "Solstice",
    "Trailhead Gear",
    "Pixelworks",
]
# Share of page views by browser, near the published web-wide figures of 2024.
_BROWSERS = {
    "Chrome": 0.65,
    "Safari": 0.18,
    "Edge": 0.05,
    "Firefox": 0.03,
    "Samsung Internet": 0.03,
    "Opera": 0.02,
}
_PAGES = {
    "/": 0.22,
    "/products": 0.14,
    "/search": 0.1,
    "/products/laptops": 0.06,
    "/products/headphones": 0.05,
    "/products/kitchen": 0.05,
    "/cart": 0.08,
    "/checkout": 0.04,
    "/checkout/confirmation": 0.02,
    "/account": 0.05,
    "/account/orders": 0.04,
    "/blog": 0.05,
    "/pricing": 0.03,
    "/help": 0.04,
    "/contact": 0.03,
}


class FakeUser(Base):
    """A registered user of the application: an employee of a customer company."""

    __tablename__ = "fake_users"
    __table_args__ = (
        CheckConstraint(
            "department IN ('Engineering', 'Marketing', 'Sales', 'HR', 'Finance')",
            name="ck_fake_users_department",
        ),
        CheckConstraint("age BETWEEN 18 AND 70", name="ck_fake_users_age"),
        CheckConstraint("salary > 0", name="ck_fake_users_salary"),
    )

    id = Column(Integer, primary_key=True)
    first_name = Column(String(50), nullable=False, comment="User's first name")
    last_name = Column(String(50), nullable=False, comment="User's last name")
    email = Column(String(120), nullable=False, unique=True, comment="Email address")
    age = Column(Integer, nullable=False, comment="Age in years")
    department = Column(
        String(20),
        nullable=False,
        comment="Department",
        info={
            "syda": {
                "values": {
                    "Engineering": 0.35,
                    "Sales": 0.25,
                    "Marketing": 0.15,
                    "Finance": 0.13,
                    "HR": 0.12,
                }
            }
        },
    )
    salary = Column(
        Integer,
        nullable=False,
        comment="Annual salary in USD",
        info={
            "syda": {
                "distribution": {"kind": "lognormal", "median": 68000, "sigma": 0.3},
                "min": 32000,
                "max": 240000,
                "scale_by": {"department": {"Engineering": 1.3, "Finance": 1.15, "HR": 0.85}},
            }
        },
    )
    created_at = Column(DateTime, nullable=False, comment="Account creation date")
    is_active = Column(
        Boolean,
        nullable=False,
        comment="Account status",
        info={"syda": {"values": {True: 0.88, False: 0.12}}},
    )


class FakeProduct(Base):
    """A product of the online shop's catalogue: consumer electronics and home goods."""

    __tablename__ = "fake_products"
    __table_args__ = (
        CheckConstraint("price > 0", name="ck_fake_products_price"),
        CheckConstraint("cost > 0 AND cost <= price", name="ck_fake_products_cost"),
        CheckConstraint("stock_quantity >= 0", name="ck_fake_products_stock"),
    )

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True, comment="Product name")
    description = Column(Text, comment="Product description")
    category = Column(String(40), nullable=False, comment="Product category")
    brand = Column(
        String(40), nullable=False, comment="Brand name", info={"syda": {"values": _BRANDS}}
    )
    price = Column(Float, nullable=False, comment="Selling price in USD")
    cost = Column(Float, nullable=False, comment="Cost price in USD")
    stock_quantity = Column(Integer, nullable=False, comment="Available inventory")
    weight = Column(
        Float,
        comment="Product weight in kg",
        info={
            "syda": {
                "distribution": {"kind": "lognormal", "median": 1.2, "sigma": 0.9},
                "min": 0.05,
                "max": 60,
                "round": 2,
            }
        },
    )
    dimensions = Column(
        String(40),
        comment="Product dimensions (L x W x H cm)",
        # Sizes grow with the weight, so a 20 kg desk is not a pocket-sized box.
        info={
            "syda": {
                "expr": "CAST(round(12 + 6 * sqrt(weight)) AS INTEGER) || ' x ' || "
                "CAST(round(8 + 4 * sqrt(weight)) AS INTEGER) || ' x ' || "
                "CAST(round(3 + 3 * sqrt(weight)) AS INTEGER) || ' cm'"
            }
        },
    )
    is_featured = Column(
        Boolean,
        nullable=False,
        comment="Featured product flag",
        info={"syda": {"values": {True: 0.1, False: 0.9}}},
    )
    created_at = Column(DateTime, nullable=False, comment="Product creation date")


class FakeOrder(Base):
    """An order a user placed in the online shop: one product in some quantity."""

    __tablename__ = "fake_orders"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'processing', 'shipped', 'delivered', 'cancelled')",
            name="ck_fake_orders_status",
        ),
        CheckConstraint("quantity > 0", name="ck_fake_orders_quantity"),
        CheckConstraint("unit_price > 0", name="ck_fake_orders_unit_price"),
    )

    id = Column(Integer, primary_key=True)
    user_id = Column(
        Integer, ForeignKey("fake_users.id"), nullable=False, comment="User who placed the order"
    )
    product_name = Column(String(100), nullable=False, comment="Product name")
    quantity = Column(Integer, nullable=False, comment="Quantity ordered")
    unit_price = Column(Float, nullable=False, comment="Price per unit in USD")
    total_amount = Column(
        Float,
        nullable=False,
        comment="Total order amount in USD",
        info={"syda": {"expr": "round(quantity * unit_price, 2)"}},
    )
    order_date = Column(
        DateTime, nullable=False, comment="Order date", info={"syda": {"after": "user.created_at"}}
    )
    status = Column(
        String(20),
        nullable=False,
        comment="Order status",
        info={
            "syda": {
                "values": {
                    "delivered": 0.55,
                    "shipped": 0.15,
                    "processing": 0.1,
                    "pending": 0.1,
                    "cancelled": 0.1,
                }
            }
        },
    )
    shipping_address = Column(String(200), nullable=False, comment="Delivery address")


class FakeAnalytics(Base):
    """A web analytics event: one visit of a page by a user, with its session's metrics."""

    __tablename__ = "fake_analytics"
    __table_args__ = (
        CheckConstraint("bounce_rate BETWEEN 0 AND 1", name="ck_fake_analytics_bounce_rate"),
        CheckConstraint("page_views >= 1", name="ck_fake_analytics_page_views"),
        CheckConstraint(
            "device_type IN ('desktop', 'mobile', 'tablet')", name="ck_fake_analytics_device"
        ),
    )

    id = Column(Integer, primary_key=True)
    event_date = Column(
        DateTime,
        nullable=False,
        comment="Event timestamp",
        info={
            "syda": {
                "after": "user.created_at",
                "gap": {
                    "distribution": {"kind": "lognormal", "median": 60, "sigma": 1.0},
                    "unit": "days",
                },
            }
        },
    )
    user_id = Column(
        Integer, ForeignKey("fake_users.id"), nullable=False, comment="User of the session"
    )
    page_path = Column(
        String(200), nullable=False, comment="Page URL path", info={"syda": {"values": _PAGES}}
    )
    session_duration = Column(
        Integer,
        nullable=False,
        comment="Session duration in seconds",
        info={
            "syda": {
                "distribution": {"kind": "lognormal", "median": 150, "sigma": 1.0},
                "min": 1,
                "max": 7200,
            }
        },
    )
    page_views = Column(
        Integer,
        nullable=False,
        comment="Number of page views in the session",
        info={
            "syda": {
                "distribution": {"kind": "lognormal", "median": 3, "sigma": 0.8},
                "min": 1,
                "max": 80,
                "correlate": {"column": "session_duration", "r": 0.7},
            }
        },
    )
    bounce_rate = Column(
        Float,
        nullable=False,
        comment="Bounce rate (0.0-1.0)",
        info={
            "syda": {
                "distribution": {"kind": "normal", "mean": 0.45, "sd": 0.15},
                "min": 0,
                "max": 1,
                "round": 3,
                "correlate": {"column": "page_views", "r": -0.6},
            }
        },
    )
    conversion = Column(
        Boolean,
        nullable=False,
        comment="Whether conversion occurred",
        info={"syda": {"values": {True: 0.04, False: 0.96}}},
    )
    device_type = Column(
        String(10),
        nullable=False,
        comment="Device type",
        info={"syda": {"values": {"desktop": 0.52, "mobile": 0.41, "tablet": 0.07}}},
    )
    browser = Column(
        String(30), nullable=False, comment="Browser name", info={"syda": {"values": _BROWSERS}}
    )
    country = Column(String(2), nullable=False, comment="Country code")


MODELS = [FakeUser, FakeProduct, FakeOrder, FakeAnalytics]
"""The four tables, parents first."""

SAMPLE_SIZES = {"FakeUser": 1000, "FakeProduct": 500, "FakeOrder": 5000, "FakeAnalytics": 10000}
"""The document's row counts, by model name."""
