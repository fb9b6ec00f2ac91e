"""Dict schemas, and the YAML/JSON files that hold them, become the schema IR."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from syda.errors import SchemaError
from syda.schema import ColumnComparison, ForeignKey, UniqueConstraint, from_dict, load_schema

README_SCHEMA = {
    "patient_id": "number",
    "diagnosis_code": "icd10_code",
    "email": "email",
    "visit_date": "date",
    "notes": "text",
}


def problems_of(data: Any, **kwargs: Any) -> tuple[str, ...]:
    with pytest.raises(SchemaError) as caught:
        load_schema(data, **kwargs)
    return caught.value.problems


def test_readme_example() -> None:
    schema = load_schema(README_SCHEMA)
    (table,) = schema.tables
    assert (table.key, table.name, table.primary_key) == ("table", "table", ())
    assert [(c.name, c.kind, c.semantic) for c in table.columns] == [
        ("patient_id", "integer", None),
        ("diagnosis_code", "string", "icd10_code"),
        ("email", "string", "email"),
        ("visit_date", "date", None),
        ("notes", "text", None),
    ]
    assert table.column("diagnosis_code").sql_type == "icd10_code"
    assert not any(c.nullable for c in table.columns)
    assert load_schema(README_SCHEMA, name="patients").keys == ("patients",)


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        ("int", {"kind": "integer"}),
        ("BIGINT", {"kind": "integer"}),
        ("int(11)", {"kind": "integer"}),
        ("double precision", {"kind": "float"}),
        ("real", {"kind": "float"}),
        ("money", {"kind": "decimal"}),
        ("decimal(10,2)", {"kind": "decimal", "precision": 10, "scale": 2}),
        ("numeric(8)", {"kind": "decimal", "precision": 8, "scale": None}),
        ("varchar(50)", {"kind": "string", "length": 50}),
        ("character varying(20)", {"kind": "string", "length": 20}),
        ("str", {"kind": "string", "length": None}),
        ("char(3)", {"kind": "string", "length": 3}),
        ("text", {"kind": "text"}),
        ("bool", {"kind": "boolean"}),
        ("timestamp", {"kind": "datetime", "timezone": False}),
        ("timestamptz", {"kind": "datetime", "timezone": True}),
        ("time", {"kind": "time"}),
        ("uuid", {"kind": "uuid"}),
        ("jsonb", {"kind": "json"}),
        ("bytes", {"kind": "binary"}),
        ("email", {"kind": "string", "semantic": "email"}),
        ("Price", {"kind": "decimal", "semantic": "price"}),
        ("description", {"kind": "text", "semantic": "description"}),
        ("credit_score", {"kind": "unknown", "semantic": "credit_score"}),
        ("geometry(4326)", {"kind": "unknown", "semantic": "geometry"}),
    ],
)
def test_type_names(type_name: str, expected: dict[str, Any]) -> None:
    column = from_dict({"value": type_name}).tables[0].column("value")
    assert {key: getattr(column, key) for key in expected} == expected
    assert column.sql_type == type_name


def test_column_spec_dict() -> None:
    table = from_dict(
        {
            "code": {
                "type": "string",
                "description": "Three capital letters",
                "nullable": True,
                "unique": True,
                "length": 3,
                "pattern": "^[A-Z]{3}$",
            },
            "level": {"type": "integer", "enum": [1, 2, 3], "default": 1},
            "status": {"enum": ["new", "done"]},
            "score": {"type": "float", "min": 0, "max": 10.5},
            "amount": {"type": "decimal", "precision": 12, "scale": 4, "max_length": None},
            "since": {"type": "date", "min": "2020-01-01", "max": date(2020, 12, 31)},
            "mail": {"type": "string", "semantic": "email", "comment": "Work address"},
        },
        name="codes",
    ).tables[0]
    code = table.column("code")
    assert (code.comment, code.nullable, code.unique, code.length, code.pattern) == (
        "Three capital letters",
        True,
        True,
        3,
        "^[A-Z]{3}$",
    )
    assert table.column("level").choices == (1, 2, 3)
    assert table.column("level").has_default
    assert (table.column("status").kind, table.column("status").choices) == (
        "string",
        ("new", "done"),
    )
    assert (table.column("score").minimum, table.column("score").maximum) == (0, 10.5)
    amount = table.column("amount")
    assert (amount.precision, amount.scale, amount.length) == (12, 4, None)
    since = table.column("since")
    assert (since.minimum, since.maximum) == (
        date(2020, 1, 1).toordinal(),
        date(2020, 12, 31).toordinal(),
    )
    assert (table.column("mail").semantic, table.column("mail").comment) == (
        "email",
        "Work address",
    )
    assert table.primary_key == ()


def test_integer_id_is_the_primary_key_unless_another_is_declared() -> None:
    table = from_dict({"id": "integer", "name": "string"}).tables[0]
    assert table.primary_key == ("id",)
    assert table.column("id").autoincrement and table.column("id").unique
    assert from_dict({"id": "uuid", "name": "string"}).tables[0].primary_key == ()
    declared = from_dict({"id": "integer", "code": {"type": "string", "primary_key": True}})
    assert declared.tables[0].primary_key == ("code",)
    assert not declared.tables[0].column("code").autoincrement


CRM = {
    "customers": {
        "description": "Companies that buy from us",
        "columns": {
            "id": "integer",
            "name": {"type": "varchar(100)", "unique": True},
            "tier": {"enum": ["gold", "silver"]},
        },
    },
    "contacts": {
        "id": "integer",
        "customer_id": {"references": "customers.id"},
        "email": {"type": "email", "unique": True},
        "manager_id": {"references": "contacts", "nullable": True},
    },
    "orders": {
        "columns": {
            "region": "char(2)",
            "number": "integer",
            "customer_id": {"type": "integer", "references": {"table": "customers"}},
            "placed": "date",
            "shipped": {"type": "date", "nullable": True},
        },
        "primary_key": ["region", "number"],
        "checks": ["shipped >= placed"],
    },
    "order_lines": {
        "columns": {
            "region": "char(2)",
            "number": "integer",
            "line": "integer",
            "qty": {"type": "integer", "min": 1},
            "sku": "string",
        },
        "primary_key": ["region", "number", "line"],
        "unique": [["region", "number", "sku"], ["sku", "line"], "line"],
        "foreign_keys": [
            {
                "columns": ["region", "number"],
                "references": "orders",
                "deferrable": True,
                "initially_deferred": True,
                "name": "fk_line_order",
            }
        ],
        "checks": [{"sql": "qty <= 100", "name": "ck_qty"}],
    },
}


def test_multi_table_dict_with_references() -> None:
    schema = load_schema(CRM)
    assert schema.keys == ("customers", "contacts", "orders", "order_lines")
    customers, contacts, orders, lines = schema.tables
    assert customers.description == "Companies that buy from us"
    assert customers.column("tier").choices == ("gold", "silver")
    assert contacts.foreign_keys == (
        ForeignKey(("customer_id",), "customers", ("id",)),
        ForeignKey(("manager_id",), "contacts", ("id",)),
    )
    # a reference without a type takes the parent column's type
    assert contacts.column("customer_id").kind == "integer"
    assert not contacts.column("customer_id").nullable
    assert contacts.column("manager_id").nullable
    assert not contacts.column("customer_id").autoincrement
    assert orders.foreign_keys == (ForeignKey(("customer_id",), "customers", ("id",)),)
    assert orders.comparisons == (ColumnComparison("shipped", ">=", "placed"),)
    assert orders.primary_key == ("region", "number")
    assert orders.column("region").length == 2
    assert lines.foreign_keys == (
        ForeignKey(
            ("region", "number"),
            "orders",
            ("region", "number"),
            name="fk_line_order",
            deferrable=True,
            initially_deferred=True,
        ),
    )
    assert lines.unique_constraints == (
        UniqueConstraint(("region", "number", "sku")),
        UniqueConstraint(("sku", "line")),
    )
    assert lines.column("line").unique
    assert (lines.column("qty").minimum, lines.column("qty").maximum) == (1, 100)
    assert lines.checks[0].name == "ck_qty"


def test_long_form_single_table_and_explicit_multi_table() -> None:
    single = load_schema({"columns": {"a": "integer"}, "description": "One"}, name="t")
    assert (single.keys, single.tables[0].description) == (("t",), "One")
    # a column spec dict: one table with two columns, not two tables
    columns = load_schema({"kind": {"type": "string"}, "size": {"type": "integer"}})
    assert columns.tables[0].column_names == ("kind", "size")
    explicit = load_schema({"kind": {"columns": {"type": "string"}}})
    assert explicit.keys == ("kind",)
    assert explicit.tables[0].column("type").kind == "string"


def test_ambiguous_dicts_explain_how_to_write_them() -> None:
    (problem,) = problems_of({"name": "string", "address": {"street": "string"}})
    assert "one table or several" in problem
    assert "'columns'" in problem
    (problem,) = problems_of({"name": {"type": "string", "nulable": False}, "age": "integer"})
    assert "'name'" in problem and "nulable" in problem
    assert problems_of({}) == ("the schema is empty",)


def test_every_problem_is_listed_at_once() -> None:
    problems = problems_of(
        {
            "customers": {"id": "integer", "name": "varchar(50"},
            "orders": {
                "columns": {
                    "id": "integer",
                    "customer_id": {"references": "customer.id"},
                    "product_id": {"type": "integer", "references": "customers.code"},
                    "qty": {"type": "integer", "min": 10, "max": 1},
                    "status": {"type": "string", "enum": "new"},
                    "code": {"type": "string", "pattern": "[A-Z"},
                    "flag": {"type": "boolean", "nullable": "no"},
                    "note": {"type": "text", "colour": "red"},
                    "ref": {"type": "integer", "references": "customers"},
                },
                "foreign_keys": [{"columns": ["id", "qty"], "references": "customers"}],
                "unique": [["missing", "id"]],
            },
        }
    )
    expected = [
        "customers.name: cannot read the type 'varchar(50'",
        "no table 'customer'",
        "customers has no column 'code'",
        "minimum 10 is greater than maximum 1",
        "enum must be a non-empty list",
        "not a valid regular expression",
        "orders.flag: nullable must be bool",
        "unknown column keys colour",
        "2 column(s) cannot refer to 1",
        "names missing columns 'missing'",
    ]
    for fragment in expected:
        assert any(fragment in p for p in problems), (fragment, problems)
    assert len(problems) == len(expected)


def test_external_references_need_a_column() -> None:
    schema = load_schema(
        {"department_id": {"type": "integer", "references": "departments.id"}},
        external_references=True,
    )
    assert schema.tables[0].foreign_keys == (
        ForeignKey(("department_id",), "departments", ("id",)),
    )
    (problem,) = problems_of(
        {"department_id": {"type": "integer", "references": "departments"}},
        external_references=True,
    )
    assert "name the referenced column" in problem


def test_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(
        """
customers:
  columns:
    id: integer
    email: {type: email, unique: true}
    joined: {type: date, min: 2020-01-01}
orders:
  id: integer
  customer_id: {references: customers}
  total: decimal(10,2)
""",
        encoding="utf-8",
    )
    schema = load_schema(path)
    assert schema.keys == ("customers", "orders")
    assert schema.table("orders").foreign_keys == (
        ForeignKey(("customer_id",), "customers", ("id",)),
    )
    assert schema.table("customers").column("joined").minimum == date(2020, 1, 1).toordinal()
    single = tmp_path / "visits.yml"
    single.write_text("patient_id: number\nemail: email\n", encoding="utf-8")
    assert load_schema(str(single)).keys == ("visits",)
    assert load_schema(single, name="v").keys == ("v",)


def test_json_file(tmp_path: Path) -> None:
    path = tmp_path / "patients.json"
    path.write_text(json.dumps(README_SCHEMA), encoding="utf-8")
    assert load_schema(path).tables[0].column("email").semantic == "email"


def test_file_problems(tmp_path: Path) -> None:
    duplicated = tmp_path / "dup.yaml"
    duplicated.write_text("a: integer\nb: text\na: string\n", encoding="utf-8")
    (problem,) = problems_of(duplicated)
    assert "'a' is given twice" in problem
    duplicated_json = tmp_path / "dup.json"
    duplicated_json.write_text('{"a": "integer", "a": "text"}', encoding="utf-8")
    assert "'a' is given twice" in problems_of(duplicated_json)[0]
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [integer\n", encoding="utf-8")
    assert "cannot parse" in problems_of(broken)[0]
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    assert "must hold a mapping" in problems_of(listed)[0]
    assert "unknown schema file type" in problems_of(tmp_path / "schema.toml")[0]
    assert "cannot read schema file" in problems_of(tmp_path / "missing.yaml")[0]


def test_unsupported_input() -> None:
    assert "cannot read a schema from int" in problems_of(42)[0]


def test_crossed_date_bounds_are_shown_as_dates() -> None:
    (problem,) = problems_of({"day": {"type": "date", "min": "2025-01-01", "max": "2024-01-01"}})
    assert "minimum 2025-01-01 is greater than maximum 2024-01-01" in problem
