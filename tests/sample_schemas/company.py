"""Company: a nullable cycle between departments and employees.

Every employee works in a department (``employee.department_id`` NOT NULL) and a department may
have a head, who is an employee (``department.head_employee_id`` NULL). The head's foreign key
uses ``use_alter`` so that SQLAlchemy can create the two tables.
"""

from __future__ import annotations

import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
)
from sqlalchemy.orm import DeclarativeBase

__all__ = ["MODELS", "Base", "Department", "Employee", "EmploymentType"]


class Base(DeclarativeBase):
    pass


class EmploymentType(enum.Enum):
    """The kind of contract an employee has (stored by member name, as SQLAlchemy does)."""

    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    CONTRACTOR = "contractor"


class Department(Base):
    """A department of the company, optionally headed by one of the employees."""

    __tablename__ = "department"
    __table_args__ = (CheckConstraint("budget >= 0", name="ck_department_budget"),)

    id = Column(Integer, primary_key=True)
    name = Column(String(60), nullable=False, unique=True, comment="Name of the department")
    budget = Column(Numeric(12, 2), comment="Yearly budget in EUR")
    head_employee_id = Column(
        Integer,
        ForeignKey("employee.id", name="fk_department_head", use_alter=True),
        comment="Employee who heads the department (NULL while vacant)",
    )


class Employee(Base):
    """A person employed by the company, working in one department."""

    __tablename__ = "employee"
    __table_args__ = (CheckConstraint("salary > 0", name="ck_employee_salary"),)

    id = Column(Integer, primary_key=True)
    department_id = Column(
        Integer, ForeignKey("department.id"), nullable=False, comment="Department worked in"
    )
    first_name = Column(String(50), nullable=False, comment="Employee's first name")
    last_name = Column(String(50), nullable=False, comment="Employee's last name")
    email = Column(String(120), nullable=False, unique=True, comment="Work email address")
    hired_on = Column(Date, nullable=False, comment="Date the employee was hired")
    salary = Column(Numeric(10, 2), nullable=False, comment="Yearly gross salary in EUR")
    employment_type: Column[EmploymentType] = Column(
        Enum(EmploymentType, name="employment_type"),
        nullable=False,
        comment="Kind of contract",
    )
    is_active = Column(Boolean, nullable=False, comment="Whether the employee still works here")


MODELS: list[type[Base]] = [Department, Employee]
