"""``generate_related_data(db_url=...)``: one transaction, and the fail/append/replace modes."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from syda import OutputError, SyntheticDataGenerator

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from crm_models import MODELS

SIZES = {"Customer": 10, "Contact": 20, "Product": 8, "Order": 25, "OrderItem": 60}
TABLES = ["customers", "contacts", "products", "orders", "order_items"]


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def fk_violations(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA foreign_key_check").fetchall()


@pytest.fixture
def db(crm_sqlite: Path, crm_dataset: Any) -> tuple[Path, str]:
    """The session's CRM database (generated with SIZES), this test's own copy."""
    assert dict(crm_dataset.sizes) == SIZES
    return crm_sqlite, f"sqlite:///{crm_sqlite}"


def test_rows_land_in_the_database(db: tuple[Path, str]) -> None:
    path, _ = db
    assert counts(path) == {
        "customers": 10,
        "contacts": 20,
        "products": 8,
        "orders": 25,
        "order_items": 60,
    }
    assert fk_violations(path) == []


def test_a_non_empty_database_fails_before_anything_is_generated(db: tuple[Path, str]) -> None:
    path, url = db
    before = counts(path)
    gen = SyntheticDataGenerator(seed=2)
    with pytest.raises(OutputError, match=r"already has rows.*if_exists=.append."):
        gen.generate_related_data(models=MODELS, sample_sizes=SIZES, db_url=url)
    assert gen.last_report is None
    assert counts(path) == before


def test_append_continues_keys_and_may_point_at_old_parents(db: tuple[Path, str]) -> None:
    path, url = db
    SyntheticDataGenerator(seed=2).generate_related_data(
        models=MODELS, sample_sizes=SIZES, db_url=url, if_exists="append"
    )
    assert counts(path) == {t: 2 * n for t, n in zip(TABLES, SIZES.values(), strict=True)}
    assert fk_violations(path) == []
    with sqlite3.connect(path) as db_:
        new_contacts_of_old_customers = db_.execute(
            "SELECT count(*) FROM contacts WHERE id > 20 AND customer_id <= 10"
        ).fetchone()[0]
        emails = db_.execute("SELECT count(DISTINCT email), count(*) FROM contacts").fetchone()
    assert new_contacts_of_old_customers > 0
    assert emails[0] == emails[1]


def test_replace_swaps_the_rows_in_one_go(db: tuple[Path, str]) -> None:
    path, url = db
    SyntheticDataGenerator(seed=3).generate_related_data(
        models=MODELS,
        sample_sizes={**SIZES, "Customer": 4},
        db_url=url,
        if_exists="replace",
    )
    assert counts(path)["customers"] == 4
    assert fk_violations(path) == []


def test_a_failed_write_leaves_the_database_as_it_was(db: tuple[Path, str]) -> None:
    path, url = db
    before = counts(path)
    # A rule the database has and syda was not told about makes the database itself refuse
    # the last table of the write, after the deletes and the first inserts went through.
    with sqlite3.connect(path) as db_:
        db_.execute(
            "CREATE TRIGGER no_singles BEFORE INSERT ON order_items WHEN NEW.quantity = 1 "
            "BEGIN SELECT RAISE(ABORT, 'single items are not sold'); END"
        )
    gen = SyntheticDataGenerator(seed=4)
    with pytest.raises(OutputError):
        gen.generate_related_data(
            models=MODELS,
            sample_sizes=SIZES,
            db_url=url,
            if_exists="replace",
            custom_generators={"OrderItem": {"quantity": lambda r, c: 1}},
        )
    assert counts(path) == before
