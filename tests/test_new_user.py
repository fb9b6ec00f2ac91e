"""What a new user tripped over (issue 10, part 9), each tried as they tried it."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import syda
from syda import ConfigurationError, SyntheticDataGenerator
from syda.cli import main

ROOT = Path(__file__).resolve().parent.parent

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


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE team (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)")
    return path


# -- the import path of the README syda started from ------------------------------------------


def test_the_structured_import_path_still_works() -> None:
    from syda.structured import ModelConfig
    from syda.structured import SyntheticDataGenerator as Old

    assert Old is SyntheticDataGenerator
    assert ModelConfig is syda.ModelConfig
    frame = Old(seed=1).generate_data({"email": "email"}, sample_size=3)
    assert isinstance(frame, pd.DataFrame) and len(frame) == 3


# -- the run report -----------------------------------------------------------------------------


def test_last_report_prints_as_a_table() -> None:
    gen = SyntheticDataGenerator(seed=0)
    gen.generate_related_data(CRM, sample_sizes={"Customer": 4, "Contact": 9})
    report = gen.last_report
    assert report is not None
    for text in (str(report), repr(report)):
        assert "TableReport(" not in text and "seconds=" not in text
        lines = text.splitlines()
        header = next(line for line in lines if line.startswith("table "))
        assert header.split()[:3] == ["table", "rows", "calls"]
        rows = {line.split()[0]: line.split()[1] for line in lines if line.split()}
        assert rows["Customer"] == "4" and rows["Contact"] == "9" and rows["total"] == "13"
    assert repr(report).startswith("RunReport (2 tables, 13 rows)")
    assert str(report.tables["Contact"]).startswith("Contact: 9 rows in ")


# -- output checked before generating -----------------------------------------------------------


def test_parquet_without_pyarrow_fails_before_generating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    calls: list[str] = []

    def name(row: dict[str, Any], column: str) -> str:
        calls.append(column)
        return "x"

    gen = SyntheticDataGenerator(seed=0)
    gen.register_generator("string", name, column_name="Customer.name")
    with pytest.raises(syda.OutputError, match=r'pip install "syda\[parquet\]"'):
        gen.generate_related_data(CRM, output_dir=tmp_path / "out", output_format="parquet")
    with pytest.raises(syda.OutputError, match=r"needs pyarrow"):
        gen.generate_data({"name": "string"}, output_path=tmp_path / "one.parquet")
    assert calls == [] and gen.last_report is None
    assert list(tmp_path.iterdir()) == []


# -- the prompt preview asks for the plan's rows ------------------------------------------------


def _asked(out: str) -> dict[str, int]:
    """``Return exactly N rows...`` of each ``Prompt for TABLE`` of a preview."""
    found: dict[str, int] = {}
    table = ""
    for line in out.splitlines():
        if line.startswith("Prompt for "):
            table = line.removeprefix("Prompt for ")
        match = re.match(r"Return exactly (\d+) rows?\b", line.strip())
        if match:
            found[table] = int(match.group(1))
    return found


def test_the_prompt_preview_asks_for_the_rows_of_the_plan(
    capsys: pytest.CaptureFixture[str], crm_yaml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Was: the plan said 10 rows, the preview "Return exactly 20 rows" (a fixed fallback).
    code, out, err = run(capsys, "inspect", crm_yaml, "--prompt-preview")
    assert code == 0, err
    assert "Customer (Customer), 10 rows" in out
    assert _asked(out) == {"Customer": 10, "Contact": 10}
    code, out, err = run(
        capsys, "inspect", crm_yaml, "--rows", "7", "--cardinality", "Contact.customer_id=3",
        "--prompt-preview",
    )  # fmt: skip
    assert code == 0, err
    assert _asked(out) == {"Customer": 7, "Contact": 21}
    # An LLM is asked one batch at a time: the first call asks for a batch, never more.
    monkeypatch.setenv("OPENAI_API_KEY", "test-key-not-real")
    code, out, err = run(
        capsys, "inspect", crm_yaml, "--rows", "3", "--rows", "Contact=5000",
        "--provider", "openai", "--model", "gpt-4o-mini", "--llm-mode", "rows",
        "--prompt-preview",
    )  # fmt: skip
    assert code == 0, err
    asked = _asked(out)
    assert "Customer" not in asked  # a person's name is drawn: nothing for the LLM to write
    assert 1 < asked["Contact"] <= 100


def test_compile_prompt_asks_for_the_rows_it_is_given() -> None:
    gen = SyntheticDataGenerator(seed=0)
    assert "Return exactly 10 rows," in gen.compile_prompt(CRM, "Contact").user
    assert "Return exactly 4 rows," in gen.compile_prompt(CRM, "Contact", rows=4).user


# -- locales ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de", "unknown locale 'de': did you mean de_DE, "),
        ("fr-FR", "unknown locale 'fr-FR': did you mean fr_FR"),
        ("en_us", "unknown locale 'en_us': did you mean en_US"),
        (["en_US", "pt-br"], "unknown locale 'pt-br': did you mean pt_BR"),
        ("klingon", "Faker's locales are language_COUNTRY"),
        (3, "locale must be a Faker locale such as 'en_US'"),
    ],
)
def test_an_unknown_locale_is_refused_at_construction(locale: Any, expected: str) -> None:
    # Was: an AttributeError from the vocabulary pools, at the first table that needed one.
    with pytest.raises(ConfigurationError) as caught:
        SyntheticDataGenerator(locale=locale)
    assert expected in str(caught.value)
    with pytest.raises(ConfigurationError):
        syda.OfflineProvider(locale=locale)


def test_known_locales_still_generate() -> None:
    gen = SyntheticDataGenerator(seed=3, locale=["de_DE", "fr_FR"])
    frame = gen.generate_data({"city": "city"}, sample_size=5)
    assert isinstance(frame, pd.DataFrame) and frame["city"].notna().all()


# -- the wheel is typed -------------------------------------------------------------------------


@pytest.mark.slow
def test_the_wheel_ships_py_typed(tmp_path: Path) -> None:
    # It says "Typing :: Typed"; without the marker file type checkers ignore its annotations.
    done = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("syda-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(archive.read(n).decode() for n in names if n.endswith("/METADATA"))
    assert "syda/py.typed" in names
    assert "syda/prompts/system.j2" in names
    assert "Classifier: Typing :: Typed" in metadata
    assert not any(n.startswith(("tests/", ".venv/")) for n in names)
