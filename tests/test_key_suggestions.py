"""Every key-taking parameter checks its keys, and a misspelt one names the key it meant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from syda import ConfigurationError, PlanError, SyntheticDataGenerator
from syda.cli import main

CRM = {
    "Customer": {"id": {"type": "integer", "primary_key": True}, "name": "string"},
    "Contact": {
        "id": {"type": "integer", "primary_key": True},
        "customer_id": {"references": "Customer.id"},
        "email": "email",
    },
}

YAML = """
Customer:
  id: {type: integer, primary_key: true}
  name: {type: string, nullable: false}
Contact:
  id: {type: integer, primary_key: true}
  customer_id: {references: Customer.id}
  note: {type: text, nullable: false}
"""


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def crm_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "crm.yaml"
    path.write_text(YAML, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"cardinality": {"Contact.customer": "2-4"}},
            "'customer' is not a foreign-key column of Contact (its foreign-key columns are "
            "customer_id); did you mean 'Contact.customer_id'?",
        ),
        (
            {"cardinality": {"Contcat.customer_id": "2-4"}},
            "unknown table 'Contcat'; the schema has Contact, Customer; "
            "did you mean 'Contact.customer_id'?",
        ),
        (
            {"prompts": {"Custmer": "mid-size European firms"}},
            "prompts names table 'Custmer', which is not in the schema (tables: Customer, "
            "Contact); did you mean 'Customer'?",
        ),
        ({"prompts": {"Customer": 3}}, "the prompt of Customer must be text, got 3"),
        (
            {"sample_sizes": {"Custmer": 3, "contact": 2}},
            "did you mean 'Customer' for 'Custmer', 'Contact' for 'contact'?",
        ),
        (
            {"custom_generators": {"Custmer": {"name": lambda row, col: "x"}}},
            "custom_generators names table 'Custmer', which is not in the schema; "
            "did you mean 'Customer'?",
        ),
        (
            {"custom_generators": {"Customer": {"nme": lambda row, col: "x"}}},
            "custom_generators names Customer.nme, which is not a column of Customer; "
            "did you mean 'name'?",
        ),
    ],
)
def test_a_misspelt_key_is_an_error_that_names_the_right_one(
    kwargs: dict[str, Any], expected: str
) -> None:
    gen = SyntheticDataGenerator(seed=0)
    with pytest.raises(PlanError) as caught:
        gen.generate_related_data(CRM, **kwargs)
    assert expected in str(caught.value)
    assert gen.last_report is None  # refused before anything was generated


def test_a_misspelt_column_generator_key_names_the_right_one() -> None:
    gen = SyntheticDataGenerator(seed=0)
    with pytest.raises(ConfigurationError, match=r"Customer\.nme, which is not a column; did"):
        gen.generate_related_data(CRM, column_generators={"Customer": {"nme": lambda ctx: []}})
    with pytest.raises(ConfigurationError, match=r"'Custmer'.*did you mean 'Customer'\?"):
        gen.generate_related_data(CRM, column_generators={"Custmer": {"name": lambda ctx: []}})


def test_the_cli_names_the_table_a_misspelt_prompt_meant(
    capsys: pytest.CaptureFixture[str], crm_yaml: Path
) -> None:
    code, _, err = run(capsys, "inspect", crm_yaml, "--prompt", "Custmer=mid-size firms")
    assert code == 2
    assert "--prompt Custmer=...: the schema has no table 'Custmer'" in err
    assert "did you mean Customer=...?" in err
    # A prompt that only contains '=' is still a prompt for every table.
    code, _, err = run(capsys, "inspect", crm_yaml, "--prompt", "tone=formal")
    assert code == 0, err
    code, _, err = run(capsys, "inspect", crm_yaml, "--cardinality", "Contact.customer=2-4")
    assert code == 2
    assert "did you mean 'Contact.customer_id'?" in err


def test_a_misspelt_table_of_a_profile_file_names_the_right_one(
    capsys: pytest.CaptureFixture[str], crm_yaml: Path, tmp_path: Path
) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("Custmer:\n  nme: {values: [a, b]}\nCustomer:\n  nme: {values: [a]}\n")
    code, _, err = run(capsys, "inspect", crm_yaml, "--profile", profile)
    assert code == 2
    assert "table 'Custmer' is not in the schema (tables: Customer, Contact); did you mean" in err
    assert "Customer has no column 'nme' (columns: id, name); did you mean 'name'?" in err


def test_compile_prompt_names_the_table_it_probably_meant() -> None:
    gen = SyntheticDataGenerator(seed=0)
    with pytest.raises(PlanError, match=r"unknown table 'Contcat'.*did you mean 'Contact'\?"):
        gen.compile_prompt(CRM, "Contcat")
