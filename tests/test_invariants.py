"""DESIGN.md invariants not covered elsewhere, through the public API."""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Column, String, Uuid
from sqlalchemy.orm import DeclarativeBase

from syda import (
    BatchResult,
    FillRequest,
    OfflineProvider,
    OutputError,
    Provider,
    SyntheticDataGenerator,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from crm_models import MODELS


class RecordingProvider(Provider):
    """Wraps the offline provider and remembers what each table was asked for."""

    name = "recording"

    def __init__(self) -> None:
        self.inner = OfflineProvider(seed=0)
        self.asked: dict[str, set[str]] = {}

    async def fill_batch(self, request: FillRequest) -> BatchResult:
        self.asked.setdefault(request.table.key, set()).update(request.columns)
        return await self.inner.fill_batch(request)


class Base(DeclarativeBase):
    pass


class Device(Base):
    """A table keyed by a UUID: syda makes the keys, whatever their type."""

    __tablename__ = "device"
    id = Column(Uuid, primary_key=True)
    label = Column(String(30), nullable=False)


def test_provider_is_asked_only_for_the_columns_it_must_fill() -> None:
    """The suite's one test of DESIGN.md invariant 6, at the provider contract every provider
    implements (the cassette tests check the same on the wire for the LLM providers)."""
    provider = RecordingProvider()
    gen = SyntheticDataGenerator(provider=provider)
    gen.generate_related_data(
        models=[*MODELS, Device],
        sample_sizes={"Customer": 5, "Device": 5},
        custom_generators={"Customer": {"status": lambda row, col: "Active"}},
    )
    assert provider.asked == {
        "Customer": {"name", "industry", "website", "country", "created_at"},
        # is_primary: one per customer (exactly_one); order and shipped dates: ordered after the
        # customer's creation and the order (after), inferred specs the profile draws.
        "Contact": {"first_name", "last_name", "email", "phone", "position"},
        # price: scaled by its category (scale_by, inferred), a spec the profile draws.
        "Product": {"sku", "name", "category", "description"},
        # status (a CHECK ... IN list) is drawn locally from its weighted values: the profile.
        "Order": {"updated_at"},
        # unit_price: the product's price, copied (from_parent), an inferred spec too.
        "OrderItem": {"quantity", "discount_pct"},
        "Device": {"label"},
    }


def test_a_disk_that_fills_up_mid_write_leaves_the_output_directory_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "crm"
    out.mkdir()
    old = {"customers.csv": "old customers\n", "orders.csv": "old orders\n"}
    for name, text in old.items():
        (out / name).write_text(text)
    written: list[Path] = []
    real_to_csv = pd.DataFrame.to_csv

    def disk_full_after_one_file(df: pd.DataFrame, path: Any, *args: Any, **kwargs: Any) -> Any:
        # The first table is written whole; the second gets half its bytes, then ENOSPC.
        written.append(Path(path))
        if len(written) == 1:
            return real_to_csv(df, path, *args, **kwargs)
        Path(path).write_text(real_to_csv(df, None, *args, **kwargs)[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full_after_one_file)
    monkeypatch.setattr("syda.sinks.write_csv", lambda df, path: False)  # pandas writes them all
    with pytest.raises(OutputError, match="No space left"):
        SyntheticDataGenerator().generate_related_data(
            models=MODELS, sample_sizes={"Customer": 5}, output_dir=out
        )
    monkeypatch.undo()

    assert len(written) == 2 and {path.parent for path in written} == {out}
    assert sorted(p.name for p in out.iterdir()) == sorted(old), "a partial or temp file is left"
    assert {name: (out / name).read_text() for name in old} == old


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
