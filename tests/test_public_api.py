"""The public API is declared once, in ``syda/__init__.py``, and nothing else leaks out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import syda

ROOT = Path(__file__).resolve().parents[1]


def test_all_is_sorted_and_complete() -> None:
    assert list(syda.__all__) == sorted(syda.__all__)
    # Most names are imported on first use (PEP 562): every one must resolve, and then the
    # namespace holds nothing else.
    for name in syda.__all__:
        getattr(syda, name)
    public = {name for name in vars(syda) if not name.startswith("_")}
    # Submodules are attributes of a package once imported; they are not API.
    modules = {name for name in public if type(getattr(syda, name)).__name__ == "module"}
    assert public - modules == set(syda.__all__) - {"__version__"}


def test_errors_form_one_tree() -> None:
    for name in (
        "SchemaError",
        "PlanError",
        "GenerationError",
        "ConfigurationError",
        "OutputError",
    ):
        assert issubclass(getattr(syda, name), syda.SydaError)


def test_the_library_never_prints() -> None:
    # The command line is the one place that talks to a terminal; the library only logs.
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "syda").rglob("*.py")
        if "print(" in path.read_text() and "cli" not in path.relative_to(ROOT).parts
    ]
    assert offenders == []


@pytest.mark.slow
def test_crm_example_runs_offline(tmp_path: Path) -> None:
    # As `make demo` runs it: a plain script, no key, no network (its exit code is its own
    # integrity verdict), then the files are read back rather than its printed summary.
    out = tmp_path / "crm"
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "crm.py"), "--output-dir", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    files = {path.stem: pd.read_csv(path) for path in out.glob("*.csv")}
    assert sorted(files) == ["contacts", "customers", "order_items", "orders", "products"]
    assert len(files["customers"]) == 50
    assert files["contacts"]["customer_id"].isin(files["customers"]["id"]).all()
    assert files["order_items"]["order_id"].isin(files["orders"]["id"]).all()
