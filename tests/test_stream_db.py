"""Streaming into a database: every chunk of every table in one transaction, FK order.

The 3-table schema of tests/test_stream.py in chunks of 1,000 rows into SQLite and PostgreSQL
(``database``; an unreachable server skips with the reason): the rows are those of the Parquet
output of the same seed and chunk size, ``syda validate --db`` finds nothing, and a chunk that
fails (in syda or in the database) leaves the database as it was.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.cli import main
from syda.database import count_rows
from syda.errors import ConfigurationError, GenerationError, OutputError
from syda.schema import load_schema, to_metadata
from tests.test_stream import CARDINALITY, MODELS, SIZES

pq = pytest.importorskip("pyarrow.parquet")

SCHEMA = load_schema(MODELS)
CRM = Path(__file__).resolve().parents[1] / "examples" / "crm_models.py"


def _stream(**kwargs: Any) -> Any:
    gen = SyntheticDataGenerator(seed=11)
    return gen.generate_to(
        MODELS, sample_sizes=SIZES, cardinality=CARDINALITY, chunk_rows=1_000, **kwargs
    )


def _canon(value: Any) -> Any:
    """One spelling per value, whatever the reader: dates as ISO text, numbers as Decimal."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, Decimal, np.floating)):
        return Decimal(str(value))  # Decimal("3") == Decimal("3.00")
    return value


def _rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [tuple(_canon(v) for v in row) for row in frame.itertuples(index=False)]


def _db_rows(engine: Engine, table: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        frame = pd.read_sql(sa.text(f"SELECT * FROM {table} ORDER BY id"), conn)
    return _rows(frame)


def _cli_target(engine: Engine) -> list[str]:
    """``--db URL`` (and ``--schema``: the fixture's PostgreSQL schema is its search_path)."""
    url = ["--db", engine.url.render_as_string(hide_password=False)]
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            url += ["--schema", str(conn.exec_driver_sql("SELECT current_schema()").scalar())]
    return url


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Any, ...]]]:
    """Rows per table of the Parquet output of the same seed and chunk size."""
    out = tmp_path_factory.mktemp("parquet")
    _stream(out=out)
    return {t.name: _rows(pq.read_table(out / t.name).to_pandas()) for t in SCHEMA}


def test_streamed_rows_are_the_parquet_rows_and_valid(
    database: Engine, parquet: dict[str, list[tuple[Any, ...]]], capsys: pytest.CaptureFixture[str]
) -> None:
    report = _stream(db_url=database, create_tables=True)
    assert report.database is not None and report.paths == {}
    assert report.chunks["Account"] == 3 and report.chunks["Invoice"] == 4  # of 1,000 rows
    counts = count_rows(SCHEMA, database)
    assert counts == report.rows
    assert counts["Account"] == 2_500 and counts["Invoice"] == 4_000
    assert counts["InvoiceLine"] == len(parquet["invoice_lines"])
    for table in SCHEMA:
        assert _db_rows(database, table.name) == parquet[table.name], table.name
    # The database's own tables, reflected (its keys, uniques and CHECKs), find nothing wrong.
    capsys.readouterr()
    assert main(["validate", *_cli_target(database)]) == 0
    shown = capsys.readouterr().out
    assert f"checked 3 tables, {sum(counts.values()):,} rows" in shown
    assert "no violations" in shown


def test_a_failing_chunk_rolls_everything_back(database: Engine) -> None:
    def breaks(row: dict[str, Any], column: str) -> Any:
        if row["id"] > 2_500:  # the third chunk of invoices: accounts and two chunks are in
            raise ValueError("no")
        return "draft"

    with pytest.raises(GenerationError):
        _stream(
            db_url=database, create_tables=True, custom_generators={"Invoice": {"status": breaks}}
        )
    assert sa.inspect(database).get_table_names() == []  # even the tables it created are gone


def test_a_chunk_the_database_refuses_rolls_everything_back(database: Engine) -> None:
    # The database holds a rule the models do not: the third chunk of accounts breaks it.
    metadata = to_metadata(SCHEMA)
    metadata.tables["accounts"].append_constraint(sa.CheckConstraint("id <= 2200"))
    metadata.create_all(database)
    with pytest.raises(OutputError) as err:
        _stream(db_url=database)
    assert "Account" in str(err.value) and "rolled back" in str(err.value)
    assert count_rows(SCHEMA, database) == {"Account": 0, "Invoice": 0, "InvoiceLine": 0}


def test_target_checks_fail_replace_and_append(sqlite_engine: Engine) -> None:
    first = _stream(db_url=sqlite_engine, create_tables=True)
    with pytest.raises(OutputError, match="already has rows"):
        _stream(db_url=sqlite_engine)
    with pytest.raises(ConfigurationError, match="append' cannot stream"):
        _stream(db_url=sqlite_engine, if_exists="append")
    with pytest.raises(ConfigurationError, match="one target"):
        _stream(out="x", db_url=sqlite_engine)
    again = _stream(db_url=sqlite_engine, if_exists="replace")
    assert count_rows(SCHEMA, sqlite_engine) == again.rows == first.rows


def test_missing_tables_are_refused_before_anything_is_made(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with pytest.raises(OutputError, match="create"):
        _stream(db_url=url)
    assert not (tmp_path / "new.db").exists()


def test_cli_streams_into_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    code = main(
        ["generate", str(CRM), "--rows", "Customer=1500", "--rows", "Order=2500",
         "--db", url, "--create-tables", "--chunk-rows", "1000", "--seed", "3"]
    )  # fmt: skip
    assert code == 0
    shown = capsys.readouterr().out
    assert "tables streamed (local" in shown and "crm.db" in shown
    assert main(["validate", str(CRM), "--db", url]) == 0
    assert "no violations" in capsys.readouterr().out
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        orders = conn.exec_driver_sql("SELECT COUNT(*), MIN(id), MAX(id) FROM orders").one()
    engine.dispose()
    assert tuple(orders) == (2_500, 1, 2_500)


def test_cli_refuses_what_cannot_stream_into_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    both = ["generate", str(CRM), "--db", url, "--out", str(tmp_path), "--chunk-rows", "10"]
    assert main(both) != 0
    assert "not both" in capsys.readouterr().err
    assert main(["generate", str(CRM), "--db", url, "--chunk-rows", "10", "--db-defaults"]) != 0
    assert "--db-defaults applies" in capsys.readouterr().err
    assert main(["generate", str(CRM), "--db", url, "--chunk-rows", "10", "--if-exists",
                 "append", "--create-tables"]) != 0  # fmt: skip
    assert "--if-exists append cannot stream" in capsys.readouterr().err
    assert not (tmp_path / "crm.db").exists()


@pytest.mark.slow
def test_dask_workers_make_the_chunks_the_client_writes(
    sqlite_engine: Engine, parquet: dict[str, list[tuple[Any, ...]]]
) -> None:
    pytest.importorskip("dask.distributed")
    report = _stream(db_url=sqlite_engine, create_tables=True, engine="dask", workers=2)
    assert report.engine == "dask"
    for table in SCHEMA:
        assert _db_rows(sqlite_engine, table.name) == parquet[table.name], table.name
