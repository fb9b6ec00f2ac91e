"""Northwind: a food import/export company (a subset of the public Northwind sample database).

Suppliers supply products in categories; customers, identified by five-letter codes such as
``'ALFKI'``, place orders taken by employees (who report to other employees) and shipped by
shippers; each order has lines, one per product, in ``order_details``.
"""

from __future__ import annotations

from sqlalchemy import (
    CHAR,
    REAL,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Numeric,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase

__all__ = [
    "MODELS",
    "Base",
    "Category",
    "Customer",
    "Employee",
    "Order",
    "OrderDetail",
    "Product",
    "Shipper",
    "Supplier",
]


class Base(DeclarativeBase):
    pass


class Category(Base):
    """A product category such as Beverages, Condiments or Seafood."""

    __tablename__ = "categories"

    category_id = Column(SmallInteger, primary_key=True)
    category_name = Column(String(15), nullable=False, comment="Name of the category")
    description = Column(Text, comment="What kind of products the category holds")


class Supplier(Base):
    """A company that supplies products to Northwind."""

    __tablename__ = "suppliers"

    supplier_id = Column(SmallInteger, primary_key=True)
    company_name = Column(String(40), nullable=False, comment="Supplier's company name")
    contact_name = Column(String(30), comment="Name of the contact person")
    contact_title = Column(String(30), comment="Job title of the contact person")
    address = Column(String(60), comment="Street address")
    city = Column(String(15), comment="City")
    region = Column(String(15), comment="State or region")
    postal_code = Column(String(10), comment="Postal code")
    country = Column(String(15), comment="Country")
    phone = Column(String(24), comment="Phone number")
    homepage = Column(Text, comment="Supplier's web page")


class Product(Base):
    """A food product Northwind sells."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("unit_price >= 0", name="ck_products_unit_price"),
        CheckConstraint("units_in_stock >= 0", name="ck_products_units_in_stock"),
        CheckConstraint("units_on_order >= 0", name="ck_products_units_on_order"),
        CheckConstraint("reorder_level >= 0", name="ck_products_reorder_level"),
    )

    product_id = Column(SmallInteger, primary_key=True)
    product_name = Column(String(40), nullable=False, comment="Name of the product")
    supplier_id = Column(
        SmallInteger, ForeignKey("suppliers.supplier_id"), comment="Supplier of the product"
    )
    category_id = Column(
        SmallInteger, ForeignKey("categories.category_id"), comment="Category of the product"
    )
    quantity_per_unit = Column(String(20), comment="Packaging, e.g. '10 boxes x 20 bags'")
    unit_price = Column(Numeric(10, 2), comment="List price of one unit in USD")
    units_in_stock = Column(SmallInteger, comment="Units in the warehouse")
    units_on_order = Column(SmallInteger, comment="Units ordered from the supplier")
    reorder_level = Column(SmallInteger, comment="Stock level that triggers a reorder")
    discontinued = Column(Boolean, nullable=False, comment="Whether the product is discontinued")


class Customer(Base):
    """A customer company, identified by a five-letter code derived from its name."""

    __tablename__ = "customers"

    customer_id = Column(CHAR(5), primary_key=True, comment="Five-letter code, e.g. ALFKI")
    company_name = Column(String(40), nullable=False, comment="Customer's company name")
    contact_name = Column(String(30), comment="Name of the contact person")
    contact_title = Column(String(30), comment="Job title of the contact person")
    address = Column(String(60), comment="Street address")
    city = Column(String(15), comment="City")
    region = Column(String(15), comment="State or region")
    postal_code = Column(String(10), comment="Postal code")
    country = Column(String(15), comment="Country")
    phone = Column(String(24), comment="Phone number")


class Employee(Base):
    """A Northwind employee; employees report to other employees."""

    __tablename__ = "employees"
    __table_args__ = (CheckConstraint("hire_date > birth_date", name="ck_employees_hire_date"),)

    employee_id = Column(SmallInteger, primary_key=True)
    last_name = Column(String(20), nullable=False, comment="Employee's last name")
    first_name = Column(String(10), nullable=False, comment="Employee's first name")
    title = Column(String(30), comment="Job title, e.g. Sales Representative")
    title_of_courtesy = Column(String(25), comment="Mr., Ms., Dr., ...")
    birth_date = Column(Date, comment="Date of birth")
    hire_date = Column(Date, comment="Date the employee was hired")
    city = Column(String(15), comment="City")
    country = Column(String(15), comment="Country")
    home_phone = Column(String(24), comment="Home phone number")
    extension = Column(String(4), comment="Internal phone extension")
    notes = Column(Text, comment="Short biography")
    reports_to = Column(
        SmallInteger,
        ForeignKey("employees.employee_id"),
        comment="Manager of the employee (NULL for the vice president)",
    )


class Shipper(Base):
    """A shipping company that delivers orders."""

    __tablename__ = "shippers"

    shipper_id = Column(SmallInteger, primary_key=True)
    company_name = Column(String(40), nullable=False, comment="Shipper's company name")
    phone = Column(String(24), comment="Phone number")


class Order(Base):
    """A customer's order, taken by an employee and shipped by a shipper."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("shipped_date >= order_date", name="ck_orders_shipped_date"),
        CheckConstraint("required_date >= order_date", name="ck_orders_required_date"),
        CheckConstraint("freight >= 0", name="ck_orders_freight"),
    )

    order_id = Column(SmallInteger, primary_key=True)
    customer_id = Column(
        CHAR(5), ForeignKey("customers.customer_id"), comment="Customer who placed the order"
    )
    employee_id = Column(
        SmallInteger, ForeignKey("employees.employee_id"), comment="Employee who took the order"
    )
    order_date = Column(Date, comment="Date the order was placed")
    required_date = Column(Date, comment="Date the customer needs the goods by")
    shipped_date = Column(Date, comment="Date the order was shipped (NULL until then)")
    ship_via = Column(
        SmallInteger, ForeignKey("shippers.shipper_id"), comment="Shipper delivering the order"
    )
    freight = Column(Numeric(10, 2), comment="Shipping cost in USD")
    ship_name = Column(String(40), comment="Name of the recipient")
    ship_address = Column(String(60), comment="Delivery street address")
    ship_city = Column(String(15), comment="Delivery city")
    ship_postal_code = Column(String(10), comment="Delivery postal code")
    ship_country = Column(String(15), comment="Delivery country")


class OrderDetail(Base):
    """One line of an order: a product, its price, quantity and discount."""

    __tablename__ = "order_details"
    __table_args__ = (
        CheckConstraint("unit_price >= 0", name="ck_order_details_unit_price"),
        CheckConstraint("quantity > 0", name="ck_order_details_quantity"),
        CheckConstraint("discount BETWEEN 0 AND 1", name="ck_order_details_discount"),
    )

    order_id = Column(
        SmallInteger, ForeignKey("orders.order_id"), primary_key=True, comment="The order"
    )
    product_id = Column(
        SmallInteger, ForeignKey("products.product_id"), primary_key=True, comment="The product"
    )
    unit_price = Column(Numeric(10, 2), nullable=False, comment="Price of one unit in USD")
    quantity = Column(SmallInteger, nullable=False, comment="Number of units ordered")
    discount = Column(REAL, nullable=False, comment="Discount as a fraction, e.g. 0.15")


MODELS: list[type[Base]] = [
    Category,
    Supplier,
    Product,
    Customer,
    Employee,
    Shipper,
    Order,
    OrderDetail,
]
