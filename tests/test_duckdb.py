"""DuckDB files as a source and a target (``duckdb:///file.duckdb``, the ``syda[duckdb]`` extra).

A file made with DuckDB itself is reflected from DuckDB's catalog, filled by ``syda generate``
with no options (DuckDB enforcing every key and CHECK), validated, appended to; models are
written into a new file with ``--create-tables``; a replace DuckDB would refuse halfway is
refused up front; a missing extra says how to install it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from syda import OutputError, SyntheticDataGenerator
from syda.cli import main
from syda.database import connect as connect_module
from syda.database import count_rows, reflect_database, write_database

SHOP = """
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE customer (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL CHECK (length(name) > 1),
    email VARCHAR UNIQUE,
    mood mood,
    joined TIMESTAMP WITH TIME ZONE,
    score DECIMAL(5, 2) CHECK (score BETWEEN 0 AND 100)
);
COMMENT ON TABLE customer IS 'People who buy';
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customer (id),
    line INTEGER NOT NULL,
    status VARCHAR CHECK (status IN ('open', 'shipped')),
    placed DATE NOT NULL,
    shipped DATE,
    total DOUBLE GENERATED ALWAYS AS (line * 2.5),
    UNIQUE (customer_id, line),
    CHECK (shipped >= placed)
);
CREATE TABLE category (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES category (id),
    code VARCHAR NOT NULL);
CREATE UNIQUE INDEX category_code ON category (code);
"""


@pytest.fixture
def shop(tmp_path: Path) -> str:
    path = tmp_path / "shop.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute(SHOP)
    return f"duckdb:///{path}"


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()
                for t in ("customer", "orders", "category")
            }
    finally:
        engine.dispose()


def test_reflects_keys_checks_types_and_comments(shop: str) -> None:
    schema = reflect_database(shop)
    assert schema.keys == ("category", "customer", "orders")
    customer = schema.table("customer")
    assert customer.description == "People who buy"
    assert customer.primary_key == ("id",)
    assert customer.column("email").unique
    assert customer.column("mood").choices == ("sad", "ok", "happy")
    assert customer.column("joined").timezone
    score = customer.column("score")
    assert (score.kind, score.precision, score.scale, score.minimum, score.maximum) == (
        "decimal",
        5,
        2,
        0,
        100,
    )
    orders = schema.table("orders")
    assert [(fk.columns, fk.ref_table) for fk in orders.foreign_keys] == [
        (("customer_id",), "customer")
    ]
    assert [u.columns for u in orders.unique_constraints] == [("customer_id", "line")]
    assert orders.column("status").choices == ("open", "shipped")
    assert orders.column("total").generated
    assert {c.dialect for c in orders.checks} == {"duckdb"}
    category = schema.table("category")
    assert category.column("code").unique
    assert [fk.ref_table for fk in category.foreign_keys] == ["category"]


def test_generate_validate_and_append_with_duckdb_as_the_judge(shop: str) -> None:
    assert main(["generate", "--db", shop, "--rows", "40", "-q"]) == 0
    assert counts(shop) == {"customer": 40, "orders": 40, "category": 40}
    assert main(["validate", "--db", shop, "-q"]) == 0
    assert main(["generate", "--db", shop, "--rows", "15", "--if-exists", "append", "-q"]) == 0
    assert counts(shop) == {"customer": 55, "orders": 55, "category": 55}
    assert main(["validate", "--db", shop, "-q"]) == 0


def test_models_go_into_a_new_file_in_one_transaction(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'crm.duckdb'}"
    models = str(Path(__file__).resolve().parents[1] / "examples" / "crm_models.py")
    assert main(["generate", models, "--db", url, "--create-tables", "--rows", "25", "-q"]) == 0
    assert main(["validate", models, "--db", url, "-q"]) == 0
    schema = reflect_database(url)
    assert set(count_rows(schema, url).values()) == {25}


def test_a_failed_write_leaves_the_file_as_it_was(shop: str) -> None:
    schema = reflect_database(shop)
    frames = SyntheticDataGenerator(seed=1).generate_related_data(schema, default_sample_size=5)
    frames["orders"].loc[0, "customer_id"] = 999  # no such customer: DuckDB refuses the row
    with pytest.raises(OutputError, match="orders"):
        write_database(schema, frames, shop)
    assert counts(shop) == {"customer": 0, "orders": 0, "category": 0}


def test_replace_duckdb_would_refuse_halfway_is_refused_up_front(shop: str) -> None:
    assert main(["generate", "--db", shop, "--rows", "10", "-q"]) == 0
    with pytest.raises(OutputError, match="DuckDB never deletes such rows"):
        SyntheticDataGenerator(seed=2).generate_related_data(
            reflect_database(shop), default_sample_size=5, db_url=shop, if_exists="replace"
        )
    assert counts(shop) == {"customer": 10, "orders": 10, "category": 10}


def test_replace_works_where_no_key_points_between_the_tables(tmp_path: Path) -> None:
    path = tmp_path / "flat.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE TABLE tag (id INTEGER PRIMARY KEY, label VARCHAR NOT NULL)")
    url = f"duckdb:///{path}"
    for rows in ("30", "12"):
        assert main(["generate", "--db", url, "--rows", rows, "--if-exists", "replace", "-q"]) == 0
    assert count_rows(reflect_database(url), url) == {"tag": 12}


def test_a_missing_file_is_not_created_by_reading(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    with pytest.raises(OutputError, match="no such database file"):
        reflect_database(f"duckdb:///{missing}")
    assert not missing.exists()


def test_a_missing_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_dialect(url: object, **_: object) -> sa.Engine:
        raise sa.exc.NoSuchModuleError("Can't load plugin: sqlalchemy.dialects:duckdb")

    path = tmp_path / "x.duckdb"
    duckdb.connect(str(path)).close()
    monkeypatch.setattr(connect_module.sa, "create_engine", no_dialect)
    with pytest.raises(OutputError, match=r"pip install 'syda\[duckdb\]'"):
        reflect_database(f"duckdb:///{path}")
