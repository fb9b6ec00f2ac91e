"""The ``syda`` command line: generate, inspect, validate, seed and status, as a user runs them."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from syda import SyntheticDataGenerator
from syda.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAKILA = ROOT / "tests" / "sample_schemas" / "sakila.py"
COMPANY = ROOT / "tests" / "sample_schemas" / "company.py"

MODELS = '''
"""A shop: customers and their orders (no MODELS, no __all__: syda finds the classes)."""
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Customer(Base):
    """A customer of the shop."""

    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)
    email = Column(String(120), nullable=False, unique=True)


class Order(Base):
    """An order placed by a customer."""

    __tablename__ = "orders"
    __table_args__ = (CheckConstraint("total >= 0", name="ck_orders_total"),)
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    ordered_on = Column(Date, nullable=False)
    total = Column(Numeric(10, 2), nullable=False)
'''

YAML = """
patients:
  id: {type: integer, primary_key: true}
  full_name: full_name
  email: {type: email, unique: true}
  born: date
  active: boolean
  notes: {type: json, nullable: true}
  score: {type: "decimal(5,2)", min: 0, max: 100}
visits:
  id: {type: integer, primary_key: true}
  patient_id: {references: patients.id}
  diagnosis_code: icd10_code
  visit_date: date
  visited_at: {type: datetime, nullable: true}
  code: {type: string, pattern: "^[A-Z]{3}-[0-9]{4}$"}
"""


@pytest.fixture
def models_file(tmp_path: Path) -> Path:
    path = tmp_path / "models.py"
    path.write_text(textwrap.dedent(MODELS), encoding="utf-8")
    return path


@pytest.fixture
def yaml_file(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.yaml"
    path.write_text(YAML, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# -- generate ----------------------------------------------------------------------------------


def summary_rows(out: str) -> dict[str, int]:
    """The rows column of the summary table that ``generate`` prints, by its first column."""
    rows = {}
    for line in out.splitlines():
        cells = line.split()
        if len(cells) >= 2 and cells[1].isdigit():
            rows[cells[0]] = int(cells[1])
    return rows


def test_generate_from_models_file(
    capsys: pytest.CaptureFixture[str], models_file: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "generate", models_file, "--rows", "12", "--out", out_dir)
    assert code == 0, err
    assert len(csv_rows(out_dir / "customers.csv")) == 12
    orders = csv_rows(out_dir / "orders.csv")
    assert len(orders) == 12
    customer_ids = {r["id"] for r in csv_rows(out_dir / "customers.csv")}
    assert {r["customer_id"] for r in orders} <= customer_ids
    # The summary on stdout: rows per table, the total, and where each file went.
    assert summary_rows(out) == {"Customer": 12, "Order": 12, "total": 24}
    assert str(out_dir / "customers.csv") in out and str(out_dir / "orders.csv") in out
    # Progress on stderr: one line per table, in generation order.
    progress = err.splitlines()
    assert [line.split(":")[0] for line in progress] == ["Customer", "Order"]
    assert all(" 12 " in line for line in progress), progress


def test_generate_from_yaml_with_rows_in_both_forms(
    capsys: pytest.CaptureFixture[str], yaml_file: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    code, _, err = run(
        capsys, "generate", yaml_file, "--rows", "7", "--rows", "patients=3", "--out", out_dir
    )
    assert code == 0, err
    assert len(csv_rows(out_dir / "patients.csv")) == 3
    assert len(csv_rows(out_dir / "visits.csv")) == 7


def test_generate_cardinality_and_seed_are_passed_through(
    capsys: pytest.CaptureFixture[str], yaml_file: Path, tmp_path: Path
) -> None:
    args = ["generate", yaml_file, "--rows", "patients=4", "--cardinality", "visits.patient_id=2"]
    assert run(capsys, *args, "--seed", "7", "--out", tmp_path / "cli")[0] == 0
    visits = pd.read_csv(tmp_path / "cli" / "visits.csv")
    assert len(visits) == 8 and set(visits["patient_id"].value_counts()) == {2}

    def library(seed: int, out_dir: Path) -> dict[str, str]:
        SyntheticDataGenerator(seed=seed).generate_related_data(
            yaml_file,
            sample_sizes={"patients": 4},
            cardinality={"visits.patient_id": 2},
            output_dir=out_dir,
        )
        return {path.name: path.read_text() for path in sorted(out_dir.iterdir())}

    # The command line adds nothing of its own: its files are the library's with the same seed.
    cli = {path.name: path.read_text() for path in sorted((tmp_path / "cli").iterdir())}
    assert cli == library(7, tmp_path / "seven")
    assert cli != library(8, tmp_path / "eight")


@pytest.mark.parametrize("fmt", ["parquet", "json"])
def test_generate_other_formats_validate_clean(
    capsys: pytest.CaptureFixture[str], yaml_file: Path, tmp_path: Path, fmt: str
) -> None:
    out_dir = tmp_path / "out"
    code, _, err = run(capsys, "generate", yaml_file, "--format", fmt, "--out", out_dir)
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == [f"patients.{fmt}", f"visits.{fmt}"]
    if fmt == "parquet":
        assert len(pd.read_parquet(out_dir / "visits.parquet")) == 10
    code, out, _ = run(capsys, "validate", yaml_file, "--data", out_dir)
    assert code == 0, out
    assert "no violations" in out


def test_generate_quiet_prints_nothing(
    capsys: pytest.CaptureFixture[str], yaml_file: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "generate", yaml_file, "-q", "--out", tmp_path / "out")
    assert (code, out, err) == (0, "", "")


def test_models_module_by_dotted_name_and_attribute(
    capsys: pytest.CaptureFixture[str],
    models_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = tmp_path / "shopapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copy(models_file, package / "models.py")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    for source in ("shopapp.models", "shopapp.models:Base"):
        code, out, err = run(capsys, "inspect", source)
        assert code == 0, err
        assert "customers" in out and "orders" in out


# -- inspect -----------------------------------------------------------------------------------


def test_inspect_shows_order_cycles_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "inspect", SAKILA, "--rows", "50")
    assert code == 0, err
    assert "Generation order:" in out
    order = [m.group(1) for m in re.finditer(r"^\s+\d+\.\s+(\w+)", out, re.MULTILINE)]
    assert len(order) == 15
    assert order.index("Language") < order.index("Film") < order.index("FilmActor")
    assert order.index("Store") < order.index("Staff")
    # The Store <-> Staff cycle, and the key that breaks it.
    assert "Store.manager_staff_id -> Staff.staff_id" in out
    assert "second pass" in out
    assert "sequence: 1, 2, 3, ..." in out
    assert "foreign_key: many -> Address" in out
    assert "provider" in out


def test_inspect_company_cycle_with_cardinality(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "inspect", COMPANY, "--cardinality", "Employee.department_id=2-4")
    assert code == 0, err
    assert "Department.head_employee_id -> Employee.id" in out
    assert "NULL allowed" in out
    assert "2-4 per Department" in out


def test_inspect_prompt_preview(capsys: pytest.CaptureFixture[str], yaml_file: Path) -> None:
    code, out, err = run(
        capsys,
        "inspect",
        yaml_file,
        "--prompt-preview",
        "--prompt",
        "a small veterinary clinic",
        "--prompt",
        "visits=mostly check-ups",
    )
    assert code == 0, err
    assert "Prompt for visits" in out
    visits = out[out.index("Prompt for visits") :]
    assert "a small veterinary clinic" in visits and "mostly check-ups" in visits
    patients = out[out.index("Prompt for patients") : out.index("Prompt for visits")]
    assert "a small veterinary clinic" in patients and "check-ups" not in patients


# -- validate ----------------------------------------------------------------------------------


def test_validate_clean_and_corrupted_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    assert run(capsys, "generate", COMPANY, "--rows", "15", "--out", data)[0] == 0
    code, out, _ = run(capsys, "validate", COMPANY, "--data", data)
    assert code == 0
    assert "checked 2 tables, 30 rows" in out and "no violations" in out

    rows = csv_rows(data / "employee.csv")
    rows[3]["email"] = rows[1]["email"]  # a duplicate of a UNIQUE column
    rows[5]["department_id"] = "999"  # a foreign key to nowhere
    rows[6]["hired_on"] = "yesterday"  # not a date
    with (data / "employee.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out, _ = run(capsys, "validate", COMPANY, "--data", data)
    assert code == 1
    assert "Employee.email [unique] 1 row" in out
    assert "row 4: id=4, email=" in out
    assert "Employee.department_id [foreign_key]" in out and "999" in out
    assert "Employee.hired_on [type]" in out and "'yesterday'" in out
    assert "3 violations in 1 table" in out


def test_validate_missing_file_is_a_violation(
    capsys: pytest.CaptureFixture[str], yaml_file: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    assert run(capsys, "generate", yaml_file, "--out", data)[0] == 0
    (data / "visits.csv").unlink()
    code, out, _ = run(capsys, "validate", yaml_file, "--data", data)
    assert code == 1
    assert "visits [missing]" in out


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "no_such_models.py", "--out", "x"], "no_such_models.py: no such file"),
        (["generate", "{yaml}"], "needs a target"),
        (["generate", "{yaml}", "--rows", "many", "--out", "x"], "--rows needs a non-negative"),
        (["generate", "{yaml}", "--rows", "nope=3", "--out", "x"], "unknown table(s) 'nope'"),
        (["generate", "{yaml}", "--cardinality", "visits=2", "--out", "x"], "TABLE.FK_COLUMN"),
        (["generate", "{yaml}", "--provider", "nosuch", "--out", "x"], "unknown provider"),
        (["generate", "{yaml}", "--model", "gpt", "--out", "x"], "need an LLM provider"),
        (["generate", "{yaml}", "--nonsense"], "unrecognized arguments: --nonsense"),
        (["inspect", "{broken}"], "cannot parse schema file"),
        (["inspect", "no_such_package.models"], "cannot import no_such_package.models"),
        (["validate", "{yaml}"], "validate needs the rows"),
        (["validate", "{yaml}", "--data", "no_such_dir"], "no such directory"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    yaml_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("patients: [\n")
    monkeypatch.chdir(tmp_path)
    argv = [a.format(yaml=yaml_file, broken=broken) for a in args]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("syda: error: ") and message in err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err


def test_schema_problems_are_listed_and_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "a:\n  id: {type: integer, primary_key: true}\n  b_id: {references: b.id}\n"
        "  x: {type: nonsense_type}\n"
    )
    code, _, err = run(capsys, "inspect", bad)
    assert code == 2 and "Traceback" not in err
    assert err.startswith("syda: error: ")
    code, _, err = run(capsys, "inspect", bad, "--debug")
    assert code == 2 and "Traceback" in err and "SchemaError" in err


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("syda ")
    for command in ("generate", "inspect", "validate", "seed", "status"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        assert "examples:" in out and "exit codes:" in out and "130" in out


def _syda_executable() -> str:
    found = shutil.which("syda", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the syda entry point is not installed (pip install -e .)")
    return found


@pytest.mark.slow
def test_entry_point_in_a_subprocess(yaml_file: Path, tmp_path: Path) -> None:
    # The installed console script, once (the exit codes of bad input are tested in-process).
    syda = _syda_executable()
    done = subprocess.run(
        [syda, "generate", str(yaml_file), "--rows", "5", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert summary_rows(done.stdout) == {"patients": 5, "visits": 5, "total": 10}
    assert len(csv_rows(tmp_path / "out" / "visits.csv")) == 5


# -- databases ---------------------------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    try:
        import syda.database as database
    except ImportError as exc:
        pytest.skip(f"syda.database is not available yet: {exc}")
    needed = ("reflect_database", "read_existing", "seed_database", "database_status")
    missing = [name for name in needed if not hasattr(database, name)]
    if missing:
        pytest.skip(f"syda.database lacks {', '.join(missing)}")
    return f"sqlite:///{tmp_path / 'dev.db'}"


def _table_rows(url: str, table: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(sa.text(f"SELECT * FROM {table}"))]
    finally:
        engine.dispose()


def test_generate_into_a_reflected_database_then_validate(
    capsys: pytest.CaptureFixture[str], models_file: Path, sqlite_url: str
) -> None:
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE customers (id INTEGER PRIMARY KEY, "
                "name VARCHAR(80) NOT NULL, email VARCHAR(120) UNIQUE)"
            )
        )
        connection.execute(
            sa.text(
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id "
                "INTEGER NOT NULL REFERENCES customers(id), "
                "total NUMERIC(10, 2) CHECK (total >= 0))"
            )
        )
    engine.dispose()
    code, out, err = run(capsys, "generate", "--db", sqlite_url, "--rows", "20")
    assert code == 0, err
    assert "sqlite:///" in out
    assert len(_table_rows(sqlite_url, "orders")) == 20
    code, out, err = run(capsys, "validate", "--db", sqlite_url)
    assert code == 0, out + err
    assert "no violations" in out
    # Non-empty tables: the default --if-exists fail refuses, and nothing changes.
    code, _, err = run(capsys, "generate", "--db", sqlite_url, "--rows", "5")
    last = err.splitlines()[-1]
    assert code == 4 and last.startswith("syda: error: ") and "--if-exists append" in last
    assert len(_table_rows(sqlite_url, "orders")) == 20


def test_generate_models_into_a_new_database(
    capsys: pytest.CaptureFixture[str], models_file: Path, sqlite_url: str
) -> None:
    code, _, err = run(capsys, "generate", models_file, "--db", sqlite_url, "--rows", "9")
    assert code == 4 and "pass --create-tables to create them" in err, err
    code, _, err = run(
        capsys, "generate", models_file, "--db", sqlite_url, "--create-tables", "--rows", "9"
    )
    assert code == 0, err
    code, out, err = run(capsys, "validate", models_file, "--db", sqlite_url)
    assert code == 0, out + err
    assert f"18 rows in {sqlite_url}: no violations" in out


def test_seed_twice_keeps_data_reset_changes_it_and_status(
    capsys: pytest.CaptureFixture[str], models_file: Path, sqlite_url: str
) -> None:
    code, out, err = run(capsys, "seed", models_file, "--db", sqlite_url, "--rows", "6")
    assert code == 0, err
    assert out.startswith("table") and "seeded" in out
    first = _table_rows(sqlite_url, "customers")
    assert len(first) == 6

    code, out, err = run(capsys, "seed", models_file, "--db", sqlite_url, "--seed", "5")
    assert code == 0, err
    assert "not seeded" in out
    assert _table_rows(sqlite_url, "customers") == first

    code, out, err = run(
        capsys, "seed", models_file, "--db", sqlite_url, "--reset", "--seed", "5", "--rows", "6"
    )
    assert code == 0, err
    again = _table_rows(sqlite_url, "customers")
    assert len(again) == 6 and again != first

    code, out, err = run(capsys, "status", "--db", sqlite_url)
    assert code == 0, err
    lines = {line.split()[0]: line.split()[1] for line in out.splitlines()[2:-1]}
    assert lines == {"customers": "6", "orders": "6"}


def test_status_shows_absent_tables(
    capsys: pytest.CaptureFixture[str], models_file: Path, sqlite_url: str
) -> None:
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    engine.dispose()
    code, out, err = run(capsys, "status", models_file, "--db", sqlite_url)
    assert code == 0, err
    assert "absent" in out and "1 of 2 tables present" in out


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--db", "{url}"],
        ["validate", "{models}", "--db", "{url}"],
        ["inspect", "--db", "{url}"],
    ],
)
def test_read_only_commands_do_not_create_a_mistyped_database_file(
    capsys: pytest.CaptureFixture[str], models_file: Path, tmp_path: Path, args: list[str]
) -> None:
    path = tmp_path / "mistyped.db"
    argv = [a.format(url=f"sqlite:///{path}", models=models_file) for a in args]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (4, ""), err
    assert err == f"syda: error: no such database file: {path}\n"
    assert not path.exists()


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("not a url", 2, "not a database URL"),
        ("nosuchdialect://u@h/db", 2, "unknown database dialect 'nosuchdialect'"),
        ("postgresql+psycopg2://u:pw@127.0.0.1/db", 4, "pip install psycopg2-binary"),
        pytest.param(
            "postgresql+psycopg://u:pw@127.0.0.1:1/db?connect_timeout=1",
            4,
            "u:***@127.0.0.1:1",
            marks=pytest.mark.postgres,  # the psycopg driver talks to a closed port
        ),
    ],
)
def test_database_problems_have_their_exit_codes(
    capsys: pytest.CaptureFixture[str], url: str, code: int, message: str
) -> None:
    for command in ("status", "inspect"):
        got, out, err = run(capsys, command, "--db", url)
        assert (got, out) == (code, ""), err
        assert err.startswith("syda: error: ") and message in err and err.count("\n") == 1
        assert ":pw@" not in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_as_bars_on_a_terminal(
    yaml_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("rich")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["generate", str(yaml_file), "--rows", "7", "--out", str(tmp_path / "o")]) == 0
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal.getvalue())  # colours, cursor moves
    # One bar per table, through every phase; the last drawing shows each one written.
    last = shown.rsplit("\r", 1)[-1].splitlines()
    assert [line.split()[:2] for line in last] == [["patients", "writing"], ["visits", "writing"]]
    assert all(re.search(r" 7/7 rows [\d,]+ rows/s .*ETA", line) for line in last), last
    for phase in ("generating", "validating"):
        assert re.search(rf"patients +{phase} .* \d/7 rows", shown), phase
