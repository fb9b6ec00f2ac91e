"""Labelled dirty data on the CRM schema: exact counts, a manifest of each defect, clean data kept.

A pipeline's tests need data with known defects; these check that every declared defect is
there as often as declared, that the manifest's clean value is the clean data's and its dirty
value the dirty data's, and that a database never gets rows its constraints would refuse.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from syda import SyntheticDataGenerator, load_schema
from syda.cli import main
from syda.dirty import SOURCE_COLUMN, make_dirty
from syda.errors import OutputError, SchemaError

SIZES = {"Customer": 200, "Contact": 300, "Product": 40, "Order": 300, "OrderItem": 600}
SHARE = 0.05
CELLS = {
    "Customer": {
        "name": {"typo": SHARE, "whitespace": SHARE, "case": SHARE},
        "industry": {"missing": {"share": SHARE, "tokens": [None, "", "N/A"]}},
        "country": {"missing": {"share": SHARE, "when": "status = 'Inactive'"}},
        "created_at": {"format": SHARE},
    },
    "Contact": {
        "first_name": {"swap": {"share": SHARE, "with": "last_name"}},
        "phone": {"format": SHARE},
        "customer_id": {"orphan": SHARE},
    },
    "OrderItem": {
        "quantity": {"outlier": SHARE},
        "unit_price": {"unit": {"share": SHARE, "factor": 100}},
        "order_id": {"cardinality": SHARE},
    },
}
SPEC: dict[str, Any] = {
    "tables": {
        **{t: {"columns": c} for t, c in CELLS.items()},
        "Order": {"rows": {"duplicate": SHARE, "near_duplicate": SHARE}},
    },
    "conflicts": {"Customer": {"sources": ["crm", "billing"], "share": 0.6, "conflict": 0.4}},
}


@pytest.fixture(scope="module")
def crm() -> tuple[Any, dict[str, pd.DataFrame]]:
    from examples import crm_models

    clean = SyntheticDataGenerator(seed=4).generate_related_data(
        crm_models.MODELS, sample_sizes=SIZES
    )
    return crm_models, clean


@pytest.fixture(scope="module")
def dirty(crm: tuple[Any, dict[str, pd.DataFrame]]) -> Any:
    models, clean = crm
    return make_dirty(load_schema(models.MODELS), clean, SPEC, seed=4)


def test_every_kind_is_there_exactly_as_often_as_declared(dirty: Any) -> None:
    counts = dirty.counts()
    for table, columns in CELLS.items():
        for kinds in columns.values():
            for kind in kinds:
                share = SHARE
                per_column = sum(1 for c in columns.values() if kind in c)
                assert counts[(table, kind)] == round(share * SIZES[table]) * per_column, kind
    assert counts[("Order", "duplicate")] == counts[("Order", "near_duplicate")] == 15
    assert len(dirty.frames["Order"]) == 300 + 30


def test_the_manifest_holds_the_clean_and_the_dirty_value(dirty: Any) -> None:
    cells = dirty.manifest[dirty.manifest["column"].notna()]
    cells = cells[~cells["table"].str.contains("@")]
    cells = cells[~cells["kind"].isin(["near_duplicate"])]
    assert len(cells) > 200
    for entry in cells.itertuples():
        clean = dirty.clean[entry.table].at[entry.row, entry.column]
        now = dirty.frames[entry.table].at[entry.row, entry.column]
        assert _same(clean, entry.clean), entry
        assert _same(now, entry.dirty), entry
        assert not _same(entry.clean, entry.dirty), entry


def test_the_manifest_keeps_an_integer_column_s_values_whole(crm: Any) -> None:
    """A manifest of numbers only: key 33 stays 33 beside prices (as float64 it read 33.0)."""
    models, clean = crm
    columns = {"order_id": {"cardinality": 0.05}, "unit_price": {"unit": 0.05}}
    manifest = make_dirty(load_schema(models.MODELS), clean, {"tables": {"OrderItem": {
        "columns": columns}}}, seed=4).manifest  # fmt: skip
    moved = manifest[manifest["kind"] == "cardinality"]
    whole = [isinstance(v, (int, np.integer)) for v in [*moved["clean"], *moved["dirty"]]]
    assert len(moved) == 30 and all(whole), moved.head()
    assert moved["row"].dtype == "int64"


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None or (isinstance(a, float) and pd.isna(a)):
        return (a is None or pd.isna(a)) and (b is None or pd.isna(b))
    return bool(a == b)


def test_defects_look_like_real_ones(dirty: Any) -> None:
    m = dirty.manifest
    missing = m[(m["kind"] == "missing") & (m["column"] == "industry")]
    assert set(missing["dirty"].map(repr)) == {"None", "''", "'N/A'"}
    mar = m[(m["kind"] == "missing") & (m["column"] == "country")]
    status = dirty.clean["Customer"].loc[mar["row"], "status"]
    assert (status == "Inactive").all()  # missing at random: only where the condition holds
    dates = m[(m["kind"] == "format") & (m["column"] == "created_at")]["dirty"]
    iso = r"\d{4}-\d{2}-\d{2}.*"
    assert dates.map(lambda v: isinstance(v, str) and not re.fullmatch(iso, v)).all()
    parents = set(dirty.clean["Customer"]["id"])
    orphans = m[m["kind"] == "orphan"]
    assert not set(orphans["dirty"]) & parents
    crowded = m[m["kind"] == "cardinality"]["dirty"]
    assert crowded.nunique() == 1  # one parent gets all the moved children
    units = m[m["kind"] == "unit"]
    scaled = (units["clean"].astype(float) * 100).round(6)
    assert (units["dirty"].astype(float).round(6) == scaled).all()


def test_the_clean_data_is_the_same_with_or_without_defects(
    crm: tuple[Any, dict[str, pd.DataFrame]], dirty: Any
) -> None:
    models, clean = crm
    again = SyntheticDataGenerator(seed=4)
    frames = again.generate_related_data(models.MODELS, sample_sizes=SIZES, dirty=SPEC)
    assert again.last_dirty is not None
    for key, frame in clean.items():
        pd.testing.assert_frame_equal(again.last_dirty.clean[key], frame)
        pd.testing.assert_frame_equal(frames[key], dirty.frames[key])
    pd.testing.assert_frame_equal(again.last_dirty.manifest, dirty.manifest)


def test_sources_hold_the_same_entities_with_some_values_differing(dirty: Any) -> None:
    truth = dirty.clean["Customer"].set_index("id")
    for source in ("crm", "billing"):
        frame = dirty.sources[f"Customer@{source}"]
        assert len(frame) == 120 and (frame[SOURCE_COLUMN] == source).all()
        differs = dirty.manifest[dirty.manifest["table"] == f"Customer@{source}"]
        assert 40 <= differs["row"].nunique() <= 48  # 40% of 120, a few without a value
        assert differs["detail"].value_counts().index[0] == "name variant"
        for entry in differs.itertuples():
            assert truth.at[int(entry.key), entry.column] == entry.clean


def test_a_spec_that_does_not_fit_is_one_schema_error(crm: Any) -> None:
    models, clean = crm
    bad = {
        "tables": {
            "Customer": {"columns": {"nmae": {"typo": 0.1}, "status": {"orphan": 0.1}}},
            "OrderItem": {"columns": {"quantity": {"typo": 0.1}}},
            "Nope": {"rows": {"duplicate": 0.1}},
        }
    }
    with pytest.raises(SchemaError) as caught:
        make_dirty(load_schema(models.MODELS), clean, bad)
    text = "\n".join(caught.value.problems)
    for part in ("no column 'nmae'", "orphan needs a foreign-key column", "typo", "'Nope'"):
        assert part in text
    # The problems are the spec's, and the message says so (the schema itself is fine).
    assert str(caught.value).startswith("4 problems in the dirty-data spec:\n")
    assert "OrderItem.quantity: typo needs a column that holds text, not integer" in text
    with pytest.raises(SchemaError, match=r"only .* rows can take one"):
        make_dirty(load_schema(models.MODELS), clean, {"tables": {"Customer": {"columns": {
            "country": {"missing": {"share": 0.9, "when": "status = 'Inactive'"}}}}}})  # fmt: skip


def test_a_database_never_gets_rows_its_constraints_refuse(crm: Any, tmp_path: Path) -> None:
    models, _ = crm
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    gen = SyntheticDataGenerator(seed=4)
    orphans = {"tables": {"Contact": {"columns": {"customer_id": {"orphan": 0.1}}}}}
    with pytest.raises(OutputError, match=r"breaks \d+ constraints .*Contact.customer_id"):
        gen.generate_related_data(
            models.MODELS, db_url=url, create_tables=True, dirty=orphans, default_sample_size=20
        )
    with pytest.raises(OutputError, match="other sources"):
        gen.generate_related_data(models.MODELS, db_url=url, create_tables=True, dirty=SPEC)
    # Defects the constraints allow do go in: stray spaces in a nullable text column.
    spaces = {"tables": {"Contact": {"columns": {"position": {"whitespace": 0.2}}}}}
    frames = gen.generate_related_data(
        models.MODELS, db_url=url, create_tables=True, dirty=spaces, default_sample_size=20
    )
    assert frames["Contact"]["position"].str.contains(r"^\s|\s$|  |\t", regex=True).sum() == 4


def test_cli_writes_the_manifest_and_the_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "dirty.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    out = tmp_path / "out"
    argv = ["generate", "examples/crm_models.py", "--rows", "40", "--dirty", str(spec)]
    assert main([*argv, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "defects injected" in printed and "duplicate 2" in printed
    manifest = pd.read_csv(out / "_defects.csv")
    assert set(manifest["kind"]) >= {"typo", "orphan", "conflict", "swap"}
    assert (out / "customers@billing.csv").exists()
    assert main([*argv, "--db", f"sqlite:///{tmp_path / 'x.db'}", "--create-tables"]) == 4
