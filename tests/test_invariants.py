"""DESIGN.md invariants not covered elsewhere, through the public API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from syda import FillRequest, OfflineProvider, OutputError, SyntheticDataGenerator

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from crm_models import MODELS


class RecordingProvider:
    """Wraps the offline provider and remembers what each table was asked for."""

    name = "recording"

    def __init__(self) -> None:
        self.inner = OfflineProvider(seed=0)
        self.asked: dict[str, set[str]] = {}

    def fill(self, request: FillRequest) -> Any:
        self.asked.setdefault(request.table.key, set()).update(request.columns)
        return self.inner.fill(request)


def test_provider_is_asked_only_for_the_columns_it_must_fill() -> None:
    provider = RecordingProvider()
    gen = SyntheticDataGenerator(provider=provider)
    gen.generate_related_data(
        models=MODELS,
        sample_sizes={"Customer": 5},
        custom_generators={"Customer": {"status": lambda row, col: "Active"}},
    )
    assert provider.asked["Customer"] == {"name", "industry", "website", "country", "created_at"}
    assert provider.asked["OrderItem"] == {"quantity", "unit_price", "discount_pct"}
    keys = {"id", "customer_id", "order_id", "product_id", "line_no"}
    assert all(not (cols & keys) for cols in provider.asked.values())


def test_a_failed_write_leaves_the_output_directory_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "crm"
    out.mkdir()
    (out / "customers.csv").write_text("old\n")
    gen = SyntheticDataGenerator()
    with pytest.raises(OutputError):
        gen.generate_related_data(models=MODELS, output_dir=out, output_format="xlsx")
    assert sorted(p.name for p in out.iterdir()) == ["customers.csv"]
    assert (out / "customers.csv").read_text() == "old\n"


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_every_output_format_reads_back(tmp_path: Path, fmt: str) -> None:
    gen = SyntheticDataGenerator()
    frames = gen.generate_related_data(
        models=MODELS, sample_sizes={"Customer": 8}, output_dir=tmp_path, output_format=fmt
    )
    read = {"csv": pd.read_csv, "json": pd.read_json, "parquet": pd.read_parquet}[fmt]
    back = read(tmp_path / f"contacts.{fmt}")
    assert len(back) == len(frames["Contact"])
    assert list(back["email"]) == list(frames["Contact"]["email"])
