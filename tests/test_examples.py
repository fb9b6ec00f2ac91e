"""Every realism example runs on the offline default and measures what it declares.

Each ``examples/<pattern>.py`` has a ``main()`` that generates its rows, prints the declared and
measured properties, and returns them; the examples are docs, and this keeps them true.
(``examples/crm.py``, the README's demo, runs as a subprocess in ``test_public_api.py``.)
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
REALISM = sorted(p.stem for p in EXAMPLES.glob("*.py") if not p.stem.startswith(("_", "crm")))


@pytest.fixture
def examples_path() -> Iterator[None]:
    sys.path.insert(0, str(EXAMPLES))
    try:
        yield
    finally:
        sys.path.remove(str(EXAMPLES))


def test_there_is_an_example_per_realism_pattern() -> None:
    # The patterns of ../shared/seeds/realistic-data-principles.md the profile controls.
    patterns = {
        "weights",
        "seasonality",
        "correlations",
        "funnel",
        "conditional_nulls",
        "business_rules",
        "correlated_attributes",
        "semantic_codes",
        "hierarchy",
        "time_series",
    }
    assert patterns <= set(REALISM)


@pytest.mark.parametrize("name", REALISM)
def test_example_measures_what_it_declares(
    name: str, examples_path: None, capsys: pytest.CaptureFixture[str]
) -> None:
    module = importlib.import_module(name)
    measured = module.main()
    out = capsys.readouterr().out
    assert measured, "an example returns its measurements"
    off = [m for m in measured if not m.holds]
    assert not off, f"{name}: declared vs measured disagree: {off}\n{out}"
    for m in measured:
        assert m.name in out  # and prints them
