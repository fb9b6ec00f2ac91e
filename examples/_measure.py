"""Shared by the realism examples: print what was declared next to what was measured.

Each example's ``main()`` returns its measurements, so ``tests/test_examples.py`` holds every
example to what it claims.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measured:
    """One declared property and its measurement on the generated rows."""

    name: str
    declared: float
    measured: float
    tolerance: float

    @property
    def holds(self) -> bool:
        return abs(self.measured - self.declared) <= self.tolerance


def report(title: str, rows: list[Measured]) -> list[Measured]:
    """Print the measurements as a small table and return them."""
    print(title)
    width = max(len(r.name) for r in rows)
    for r in rows:
        mark = "ok" if r.holds else "OFF"
        numbers = f"declared {r.declared:>10.3f}  measured {r.measured:>10.3f}"
        print(f"  {r.name:<{width}}  {numbers}  {mark}")
    return rows
