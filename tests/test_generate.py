"""The public API end to end on the offline provider: the invariants of DESIGN.md."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase

from syda import GenerationError, PlanError, SchemaError, SyntheticDataGenerator

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from crm_models import MODELS, Contact, Customer, Order, Product

if TYPE_CHECKING:
    from tests.conftest import CrmDataset


class Base(DeclarativeBase):
    pass


class Department(Base):
    """Organizational department that groups employees by business function."""

    __tablename__ = "departments"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True, comment="Official department name")


class Employee(Base):
    """Company employee."""

    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    first_name = Column(String(50), nullable=False)
    last_name = Column(String(50), nullable=False)
    email = Column(String(100), nullable=False, unique=True)
    department_id = Column(Integer, ForeignKey("departments.id"), nullable=False)
    reports_to = Column(Integer, ForeignKey("employees.id"), comment="Manager")


class Student(Base):
    __tablename__ = "students"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)


class Course(Base):
    __tablename__ = "courses"
    id = Column(Integer, primary_key=True)
    title = Column(String(80), nullable=False)


class Enrollment(Base):
    """Association table: which student takes which course."""

    __tablename__ = "enrollments"
    student_id = Column(Integer, ForeignKey("students.id"), primary_key=True)
    course_id = Column(Integer, ForeignKey("courses.id"), primary_key=True)


def fk_ok(child: pd.DataFrame, fk: str, parent: pd.DataFrame, pk: str = "id") -> bool:
    values = child[fk].dropna()
    return bool(values.isin(parent[pk]).all())


@pytest.fixture
def gen() -> SyntheticDataGenerator:
    return SyntheticDataGenerator(seed=3)


def test_dict_schema_to_csv_returns_the_path(gen: SyntheticDataGenerator, tmp_path: Path) -> None:
    schema = {
        "patient_id": "number",
        "diagnosis_code": "icd10_code",
        "email": "email",
        "visit_date": "date",
        "notes": "text",
    }
    out = gen.generate_data(
        schema=schema, prompt="patient visits", sample_size=50, output_path=tmp_path / "v.csv"
    )
    assert out == str(tmp_path / "v.csv")
    df = pd.read_csv(out)
    assert list(df.columns) == list(schema)
    assert len(df) == 50
    assert df["email"].str.contains("@").all()


def test_model_returns_a_dataframe_with_every_column(gen: SyntheticDataGenerator) -> None:
    df = gen.generate_data(schema=Customer, prompt="B2B SaaS customers", sample_size=500)
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 500
    assert list(df.columns) == [c.name for c in Customer.__table__.columns]
    assert df["id"].is_unique and df["name"].is_unique
    assert set(df["status"]) <= {"Active", "Inactive", "Prospect"}


def test_foreign_key_without_parent_data_names_the_key(gen: SyntheticDataGenerator) -> None:
    with pytest.raises(SchemaError, match="department_id"):
        gen.generate_data(schema=Employee, sample_size=5)


def test_two_step_flow_with_a_registered_foreign_key_generator(
    gen: SyntheticDataGenerator,
) -> None:
    departments = gen.generate_data(schema=Department, sample_size=5)
    assert isinstance(departments, pd.DataFrame)
    ids = departments["id"].tolist()
    rnd = random.Random(0)
    gen.register_generator(
        "foreign_key", lambda row, col: rnd.choice(ids), column_name="department_id"
    )
    employees = gen.generate_data(schema=Employee, sample_size=40)
    assert isinstance(employees, pd.DataFrame)
    assert set(employees["department_id"]) <= set(ids)
    # The self-reference needs no generator: it points at earlier rows of the same table.
    assert fk_ok(employees, "reports_to", employees)


def test_related_data_in_any_order_keeps_every_foreign_key(crm_dataset: CrmDataset) -> None:
    # crm_dataset is generated from the models listed children first.
    results = crm_dataset.frames
    assert {k: len(v) for k, v in results.items()} == dict(crm_dataset.sizes)
    assert fk_ok(results["Contact"], "customer_id", results["Customer"])
    assert fk_ok(results["Order"], "customer_id", results["Customer"])
    assert fk_ok(results["OrderItem"], "order_id", results["Order"])
    assert fk_ok(results["OrderItem"], "product_id", results["Product"])
    assert sorted(p.name for p in crm_dataset.output_dir.iterdir()) == [
        "contacts.csv",
        "customers.csv",
        "order_items.csv",
        "orders.csv",
        "products.csv",
    ]
    # (order_id, line_no) is unique: lines are numbered within each order.
    items = results["OrderItem"]
    assert not items.duplicated(["order_id", "line_no"]).any()
    orders = results["Order"].dropna(subset=["shipped_date"])
    assert (pd.to_datetime(orders["shipped_date"]) >= pd.to_datetime(orders["order_date"])).all()


def test_custom_generators_are_scoped_to_their_table(gen: SyntheticDataGenerator) -> None:
    results = gen.generate_related_data(
        models=MODELS,
        sample_sizes={"Customer": 20, "Order": 40},
        custom_generators={"Customer": {"status": lambda row, col: "Prospect"}},
    )
    assert set(results["Customer"]["status"]) == {"Prospect"}
    assert "Prospect" not in set(results["Order"]["status"])


def test_custom_generator_sees_keys_of_its_row(gen: SyntheticDataGenerator) -> None:
    results = gen.generate_related_data(
        models=[Customer, Contact],
        sample_sizes={"Customer": 5, "Contact": 12},
        custom_generators={
            "Contact": {"position": lambda row, col: f"rep of {row['customer_id']}"}
        },
    )
    contacts = results["Contact"]
    assert (contacts["position"] == "rep of " + contacts["customer_id"].astype(str)).all()


@pytest.mark.slow
def test_100k_unique_emails() -> None:
    gen = SyntheticDataGenerator(seed=11)
    df = gen.generate_data(
        schema=Contact.__table__,
        sample_size=100_000,
        custom_generators={"customer_id": lambda r, c: 1},
    )
    assert isinstance(df, pd.DataFrame)
    assert df["email"].is_unique
    assert df["email"].str.len().max() <= 100
    assert df["email"].str.fullmatch(r"[a-z0-9._]+@[a-z0-9.\-]+\.[a-z]+").all()


def test_unknown_dict_type_needs_a_generator(gen: SyntheticDataGenerator) -> None:
    schema = {"id": "integer", "reading": "geiger_counter_reading"}
    with pytest.raises(SchemaError, match="geiger_counter_reading"):
        gen.generate_data(schema=schema, sample_size=3)
    gen.register_generator("geiger_counter_reading", lambda row, col: row["id"] * 0.5)
    df = gen.generate_data(schema=schema, sample_size=3)
    assert isinstance(df, pd.DataFrame)
    assert df["reading"].tolist() == [0.5, 1.0, 1.5]


def test_custom_values_that_break_the_schema_raise_generation_error(
    gen: SyntheticDataGenerator,
) -> None:
    with pytest.raises(GenerationError) as info:
        gen.generate_data(
            schema=Department, sample_size=3, custom_generators={"name": lambda r, c: "x" * 500}
        )
    assert info.value.table == "Department"
    assert info.value.column == "name"
    assert {v.rule for v in info.value.violations} >= {"length"}


def test_unknown_sample_size_key_is_a_plan_error(gen: SyntheticDataGenerator) -> None:
    with pytest.raises(PlanError, match="Custmer"):
        gen.generate_related_data(models=MODELS, sample_sizes={"Custmer": 3})


def test_report_counts_rows(crm_dataset: CrmDataset) -> None:
    report = crm_dataset.report
    assert {key: table.rows for key, table in report.tables.items()} == dict(crm_dataset.sizes)
    assert report.rows == sum(crm_dataset.sizes.values())


def test_order_lines_carry_their_products_price(crm_dataset: CrmDataset) -> None:
    results = crm_dataset.frames
    items = results["OrderItem"].merge(results["Product"], left_on="product_id", right_on="id")
    assert len(items) == len(results["OrderItem"])
    assert (items["unit_price"].astype(float) == items["price"].astype(float)).all()


def test_seeded_dates_do_not_depend_on_the_day() -> None:
    from datetime import date

    a = SyntheticDataGenerator(seed=5).generate_data(
        schema=Order.__table__, sample_size=20, custom_generators={"customer_id": lambda r, c: 1}
    )
    b = SyntheticDataGenerator(seed=5, reference_date=date(2026, 1, 1)).generate_data(
        schema=Order.__table__, sample_size=20, custom_generators={"customer_id": lambda r, c: 1}
    )
    assert isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)
    pd.testing.assert_frame_equal(a, b)
    assert pd.to_datetime(a["order_date"]).max() <= pd.Timestamp("2026-01-01")


def test_several_dict_tables_from_a_yaml_file(gen: SyntheticDataGenerator, tmp_path: Path) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text(
        """
patients:
  id: {type: integer, primary_key: true}
  full_name: full_name
  email: {type: email, unique: true}
visits:
  id: {type: integer, primary_key: true}
  patient_id: {references: patients.id}
  diagnosis_code: icd10_code
  visit_date: date
  notes: {type: text, nullable: true}
"""
    )
    results = gen.generate_related_data(path, sample_sizes={"patients": 20, "visits": 80})
    assert len(results["patients"]) == 20 and len(results["visits"]) == 80
    assert fk_ok(results["visits"], "patient_id", results["patients"])
    assert results["visits"]["diagnosis_code"].str.match(r"^[A-Z]\d\d").all()


def test_cardinality_on_an_association_table(gen: SyntheticDataGenerator) -> None:
    results = gen.generate_related_data(
        models=[Student, Course, Enrollment],
        sample_sizes={"Student": 30, "Course": 6},
        cardinality={"Enrollment.student_id": "2-4"},
    )
    enrollments = results["Enrollment"]
    assert not enrollments.duplicated().any()
    assert enrollments.groupby("student_id").size().between(2, 4).all()
    with pytest.raises(PlanError, match="distinct partners"):
        gen.generate_related_data(
            models=[Student, Course, Enrollment],
            sample_sizes={"Student": 3, "Course": 2},
            cardinality={"Enrollment.student_id": "3-4"},
        )


def test_us_addresses_agree_within_each_row(gen: SyntheticDataGenerator) -> None:
    from faker import Faker

    from syda.generators.pools_vocab import US_STATES

    ranges = Faker("en_US").provider("faker.providers.address").states_postcode
    schema = {
        "street": "street_address",
        "city": "city",
        "state": {"type": "state", "length": 20},
        "state_code": {"type": "state", "length": 2},
        "zip": "postal_code",
    }
    df = gen.generate_data(schema=schema, sample_size=500)
    assert isinstance(df, pd.DataFrame)
    names = dict(US_STATES)
    assert (df["state_code"].map(names) == df["state"]).all()
    low = df["state_code"].map(lambda s: ranges[s][0])
    high = df["state_code"].map(lambda s: ranges[s][1])
    assert df["zip"].astype(int).between(low, high).all()


def test_a_product_and_its_category_agree(gen: SyntheticDataGenerator) -> None:
    # The CRM's products are "software licences, support plans, consulting" (its docstring).
    df = gen.generate_data(schema=Product, sample_size=300)
    assert isinstance(df, pd.DataFrame)
    rows = df.dropna(subset=["category"])
    plans = rows[rows["name"].str.contains(r"\b(?:Support Plan|Maintenance Plan)$")]
    assert len(plans) > 0
    assert (plans["category"] == "Support Plans").all()
    retail = {"products": {"name": {"type": "string"}, "category": {"type": "string"}}}
    goods = gen.generate_data(schema=retail, sample_size=300)
    assert isinstance(goods, pd.DataFrame)
    furniture = goods[goods["name"].str.contains(r"\b(?:Sofa|Bookcase|Nightstand)$")]
    assert len(furniture) > 0
    assert (furniture["category"] == "Furniture").all()
