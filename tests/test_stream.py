"""The streaming engine: chunks of 1,000 rows, locally and on a 2-worker LocalCluster.

Through the public API (``generate_to``) and the CLI: the outputs are the same bytes on both
engines, and the rows read back keep every foreign key, unique and CHECK of the schema.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import DeclarativeBase

from syda import SyntheticDataGenerator
from syda.cli import main
from syda.errors import GenerationError, PlanError
from syda.schema import load_schema
from syda.validation.frames import check_dataset
from tests.support.digest import tree_digest

pq = pytest.importorskip("pyarrow.parquet")


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False, unique=True)
    email = Column(String(100), nullable=False, unique=True)
    opened_on = Column(Date, nullable=False)


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'sent', 'paid')", name="ck_invoice_status"),
        CheckConstraint("tax_rate BETWEEN 0 AND 30", name="ck_invoice_tax_rate"),
    )
    id = Column(Integer, primary_key=True)
    account_id = Column(Integer, ForeignKey("accounts.id"), nullable=False)
    issued_on = Column(Date, nullable=False)
    status = Column(String(10), nullable=False)
    tax_rate = Column(Numeric(4, 2), nullable=False)


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="ck_line_quantity"),)
    id = Column(Integer, primary_key=True)
    invoice_id = Column(Integer, ForeignKey("invoices.id"), nullable=False)
    quantity = Column(Integer, nullable=False)
    amount = Column(Numeric(10, 2), nullable=False)


MODELS = [Account, Invoice, InvoiceLine]
SIZES = {"Account": 2_500, "Invoice": 4_000}
CARDINALITY = {"InvoiceLine.invoice_id": "1-3"}


def _stream(out: Path, **kwargs: Any) -> Any:
    gen = SyntheticDataGenerator(seed=11)
    return gen.generate_to(
        MODELS, out, sample_sizes=SIZES, cardinality=CARDINALITY, chunk_rows=1_000, **kwargs
    )


def _read(root: Path) -> dict[str, pd.DataFrame]:
    schema = load_schema(MODELS)
    return {t.key: pq.read_table(root / t.name).to_pandas() for t in schema}


@pytest.fixture(scope="module")
def local_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local")
    _stream(out)
    return out


def test_one_process_writes_what_the_forked_processes_write(
    local_out: Path, tmp_path: Path
) -> None:
    # local_out ran on the default two forked processes; one process must give the same bytes.
    report = _stream(tmp_path, workers=1)
    assert report.engine == "local"
    assert report.rows["Account"] == 2_500
    assert tree_digest(tmp_path) == tree_digest(local_out)


@pytest.mark.slow
def test_dask_local_cluster_writes_the_same_bytes(local_out: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    report = _stream(tmp_path, engine="dask", workers=2)
    assert report.engine == "dask"
    assert tree_digest(tmp_path) == tree_digest(local_out)


def test_rows_read_back_keep_every_key_unique_and_check(local_out: Path) -> None:
    frames = _read(local_out)
    assert check_dataset(load_schema(MODELS), frames) == []
    accounts, invoices, lines = frames["Account"], frames["Invoice"], frames["InvoiceLine"]
    assert len(accounts) == 2_500 and len(invoices) == 4_000
    assert accounts["id"].tolist() == list(range(1, 2_501))
    # Unique across chunks, not just within one (three chunks of accounts).
    assert accounts["email"].is_unique and accounts["name"].is_unique
    assert set(invoices["account_id"]) <= set(accounts["id"])
    per_invoice = lines.groupby("invoice_id").size()
    assert len(per_invoice) == 4_000 and per_invoice.between(1, 3).all()
    assert lines["id"].is_unique and set(lines["invoice_id"]) <= set(invoices["id"])
    # The inferred "issued after the account opened" reads each parent's date from the store.
    joined = invoices.merge(accounts, left_on="account_id", right_on="id")
    assert (joined["issued_on"] >= joined["opened_on"]).all()


def test_chunks_are_row_groups_and_tables_directories(local_out: Path) -> None:
    parts = sorted((local_out / "accounts").glob("*.parquet"))
    assert [p.name for p in parts] == [f"part-00000{i}.parquet" for i in range(3)]
    assert [pq.ParquetFile(p).metadata.num_rows for p in parts] == [1_000, 1_000, 500]
    assert all(pq.ParquetFile(p).metadata.num_row_groups == 1 for p in parts)
    # Nothing of the run's staging or its parent store is left behind.
    assert sorted(p.name for p in local_out.iterdir()) == ["accounts", "invoice_lines", "invoices"]


def test_only_text_that_repeats_gets_a_parquet_dictionary(local_out: Path) -> None:
    def encodings(table: str, column: str) -> set[str]:
        meta = pq.ParquetFile(next((local_out / table).glob("*.parquet"))).metadata
        names = [meta.schema.column(i).name for i in range(meta.num_columns)]
        return set(meta.row_group(0).column(names.index(column)).encodings)

    assert "RLE_DICTIONARY" in encodings("invoices", "status")  # three values, repeating
    for unique in ("name", "email"):  # UNIQUE: a dictionary would repeat every value once
        assert not {"RLE_DICTIONARY", "PLAIN_DICTIONARY"} & encodings("accounts", unique)
    assert not {"RLE_DICTIONARY", "PLAIN_DICTIONARY"} & encodings("invoices", "account_id")


def test_other_chunk_size_is_still_valid_and_seeded(tmp_path: Path, local_out: Path) -> None:
    _stream(tmp_path / "a")
    assert tree_digest(tmp_path / "a") == tree_digest(local_out)  # same seed, same bytes
    gen = SyntheticDataGenerator(seed=11)
    gen.generate_to(MODELS, tmp_path / "b", sample_sizes=SIZES, cardinality=CARDINALITY,
                    chunk_rows=700)  # fmt: skip
    frames = _read(tmp_path / "b")
    assert check_dataset(load_schema(MODELS), frames) == []
    assert len(list((tmp_path / "b" / "accounts").iterdir())) == 4


def test_csv_and_json_lines_hold_the_same_rows(tmp_path: Path, local_out: Path) -> None:
    _stream(tmp_path / "csv", format="csv")
    _stream(tmp_path / "jsonl", format="jsonl")
    parquet = _read(local_out)["Invoice"]
    csv = pd.concat(
        pd.read_csv(p) for p in sorted((tmp_path / "csv" / "invoices").glob("*.csv"))
    ).reset_index(drop=True)
    jsonl = pd.concat(
        pd.read_json(p, lines=True) for p in sorted((tmp_path / "jsonl" / "invoices").iterdir())
    ).reset_index(drop=True)
    assert csv["id"].tolist() == jsonl["id"].tolist() == parquet["id"].tolist()
    assert csv["status"].tolist() == parquet["status"].tolist()
    assert csv["issued_on"].tolist() == [d.isoformat() for d in parquet["issued_on"]]


def test_failed_run_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "old.txt").write_text("kept")

    def breaks(row: dict[str, Any], column: str) -> Any:
        if row["id"] > 1_500:  # in the second chunk: the first is already written
            raise ValueError("no")
        return "draft"

    with pytest.raises(GenerationError):
        _stream(tmp_path, custom_generators={"Invoice": {"status": breaks}})
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["accounts", "old.txt"]


class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    manager_id = Column(Integer, ForeignKey("employees.id"))
    badge = Column(Integer, nullable=False, unique=True)
    hired_on = Column(Date, nullable=False, unique=True)


def test_what_cannot_stream_is_named(tmp_path: Path) -> None:
    gen = SyntheticDataGenerator(seed=1)
    with pytest.raises(PlanError) as err:
        gen.generate_to([Employee], tmp_path, sample_sizes={"Employee": 10}, chunk_rows=5)
    message = str(err.value)
    assert "manager_id" not in message  # a self-reference streams (tests/test_stream_coverage.py)
    assert "unique (hired_on) cannot be made across chunks" in message
    assert "badge" not in message  # an integer: a bijection of the row numbers
    assert not any(tmp_path.iterdir())


def test_cli_streams_with_chunk_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = Path(__file__).resolve().parents[1] / "examples" / "crm_models.py"
    code = main(
        ["generate", str(source), "--rows", "Customer=1500", "--rows", "Order=2500",
         "--out", str(tmp_path), "--format", "parquet", "--chunk-rows", "1000", "--seed", "3"]
    )  # fmt: skip
    assert code == 0
    shown = capsys.readouterr().out
    assert "tables streamed (local" in shown
    orders = pq.read_table(tmp_path / "orders").to_pandas()
    assert len(orders) == 2_500 and orders["id"].is_unique
    assert len(list((tmp_path / "orders").glob("part-*.parquet"))) == 3


class Person(Base):
    __tablename__ = "people"
    id = Column(Integer, primary_key=True)
    full_name = Column(String(80), nullable=False)


class Passport(Base):
    __tablename__ = "passports"
    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("people.id"), nullable=False, unique=True)


def test_one_to_one_keys_stay_distinct_across_chunks(tmp_path: Path) -> None:
    gen = SyntheticDataGenerator(seed=5)
    sizes = {"Person": 2_500, "Passport": 2_400}
    gen.generate_to([Person, Passport], tmp_path, sample_sizes=sizes, chunk_rows=1_000)
    passports = pq.read_table(tmp_path / "passports").to_pandas()
    assert len(passports) == 2_400 and passports["person_id"].is_unique
    assert passports["person_id"].between(1, 2_500).all()
    with pytest.raises(PlanError, match="need distinct parents"):
        gen.generate_to([Person, Passport], tmp_path, sample_sizes={"Person": 5, "Passport": 6})


def test_whole_table_key_checks_catch_a_chunk_off_its_range() -> None:
    # Bounded whole-table checks: a few integers a chunk, against what construction promises.
    from syda.stream import stream_plan
    from syda.stream.run import check_keys

    plan = SyntheticDataGenerator(seed=1).plan(MODELS, sample_sizes=SIZES, cardinality=CARDINALITY)
    splan = stream_plan(plan, seed=1, chunk_rows=1_000, today=date(2025, 1, 1))
    good = [
        (1_000, {"id": (1, 1_000)}),
        (1_000, {"id": (1_001, 2_000)}),
        (500, {"id": (2_001, 2_500)}),
    ]
    check_keys(splan, "Account", good)
    with pytest.raises(GenerationError, match=r"chunk 1 holds keys 1000\.\.1999, not 1001\.\.2000"):
        check_keys(splan, "Account", [good[0], (1_000, {"id": (1_000, 1_999)}), good[2]])
    invoices = [
        (1_000, {"id": (1 + 1_000 * i, 1_000 * (i + 1)), "account_id": (1, 2_500 + (i == 3))})
        for i in range(4)
    ]
    with pytest.raises(GenerationError, match=r"chunk 3 points at Account rows 1\.\.2501, outside"):
        check_keys(splan, "Invoice", invoices)


class Badge(Base):
    __tablename__ = "badges"
    __table_args__ = (CheckConstraint("number BETWEEN 1000 AND 9999", name="ck_badge_number"),)
    id = Column(Integer, primary_key=True)
    number = Column(Integer, nullable=False, unique=True)


def test_unique_integers_are_a_bijection_onto_their_range(tmp_path: Path) -> None:
    gen = SyntheticDataGenerator(seed=2)
    gen.generate_to([Badge], tmp_path, sample_sizes={"Badge": 8_000}, chunk_rows=1_000)
    numbers = pq.read_table(tmp_path / "badges").to_pandas()["number"]
    assert numbers.is_unique and numbers.between(1_000, 9_999).all()
    assert numbers.head(5).tolist() != sorted(numbers.head(5).tolist())  # scattered, not 1000..
    with pytest.raises(PlanError, match="at most 9,000 rows"):
        gen.generate_to([Badge], tmp_path, sample_sizes={"Badge": 9_001}, chunk_rows=1_000)


class Member(Base):
    __tablename__ = "members"
    id = Column(Integer, primary_key=True)
    handle = Column(String(16), nullable=False, unique=True)
    email = Column(String(30), nullable=False, unique=True)


def test_chunk_marks_cut_values_to_fit_narrow_columns(tmp_path: Path) -> None:
    gen = SyntheticDataGenerator(seed=4)
    gen.generate_to([Member], tmp_path, sample_sizes={"Member": 1_200}, chunk_rows=100)
    members = pq.read_table(tmp_path / "members").to_pandas()
    assert members["handle"].is_unique and members["email"].is_unique
    assert members["handle"].str.len().max() == 16 and members["email"].str.len().max() == 30
    # The mark of chunk 11: after a space in text, before the @ of an address (domain kept).
    last = members.iloc[-100:]
    assert last["handle"].str.endswith(" 11").all()
    assert last["email"].str.contains(r"^[^@]+\.11@[a-z]+\.[a-z]+$").all()
    with pytest.raises(GenerationError, match="cut to the column's length"):
        narrow = {"handle": {"type": "string", "max_length": 6, "unique": True}}
        gen.generate_to({"Narrow": narrow}, tmp_path / "narrow", sample_sizes={"Narrow": 1_200},
                        chunk_rows=100)  # fmt: skip


def test_parent_parts_unmapped_early_give_the_same_bytes(
    tmp_path: Path, local_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One parent part mapped at a time: every child chunk re-opens the parts it reads.
    monkeypatch.setattr("syda.stream.store.OPEN_PARTS", 1)
    _stream(tmp_path)
    assert tree_digest(tmp_path) == tree_digest(local_out)


def test_parts_are_written_as_the_in_memory_files_are(tmp_path: Path) -> None:
    """A CSV part quotes a bare CR and guards formulas; a JSON Lines part refuses an object."""
    from syda.stream.files import write_part

    frame = pd.DataFrame({"id": [1, 2], "note": ["line one\rline two", "=SUM(A1)"]})
    part = write_part(frame, tmp_path / "notes", 0, "csv")
    back = pd.read_csv(part)
    assert back["id"].tolist() == [1, 2]  # the CR did not end the row
    assert back["note"].tolist() == ["line one\rline two", "'=SUM(A1)"]
    odd = pd.DataFrame({"id": [1], "thing": [object()]})
    with pytest.raises(TypeError, match="cannot write a object value as JSON"):
        write_part(odd, tmp_path / "odd", 0, "jsonl")


def test_a_chunk_with_no_rows_still_reads_its_parents_columns(tmp_path: Path) -> None:
    # 3,000 orders in three chunks and one order line: two of the line table's chunks are
    # empty, and its unit_price (from_parent: product.price) must still find the column.
    from examples import crm_models

    sizes = {"Customer": 20, "Contact": 1, "Product": 2, "Order": 3000, "OrderItem": 1}
    report = SyntheticDataGenerator(seed=0).generate_to(
        crm_models.MODELS, tmp_path / "out", sample_sizes=sizes, chunk_rows=1000, workers=1
    )
    assert report.rows["OrderItem"] == 1 and report.chunks["OrderItem"] == 3
    items = pd.read_parquet(tmp_path / "out" / "order_items")
    products = pd.read_parquet(tmp_path / "out" / "products").set_index("id")
    assert (items["unit_price"].to_numpy() == products.loc[items["product_id"], "price"]).all()


def test_streamed_contacts_mail_from_their_company_as_in_memory(tmp_path: Path) -> None:
    # The offline engine gives a contact its company's domain from the parent's website, a
    # text column no spec names: the stream must keep it for the children's chunks.
    from examples import crm_models

    sizes = {"Customer": 300, "Contact": 1_200, "Product": 2, "Order": 1, "OrderItem": 1}
    gen = SyntheticDataGenerator(seed=2)
    gen.generate_to(crm_models.MODELS, tmp_path, sample_sizes=sizes, chunk_rows=400, workers=1)
    streamed = _company_mail_share(
        pd.read_parquet(tmp_path / "contacts"), pd.read_parquet(tmp_path / "customers")
    )
    frames = gen.generate_related_data(crm_models.MODELS, sample_sizes=sizes)
    in_memory = _company_mail_share(frames["Contact"], frames["Customer"])
    assert in_memory > 0.6 and abs(streamed - in_memory) < 0.1, (streamed, in_memory)


def _company_mail_share(contacts: pd.DataFrame, customers: pd.DataFrame) -> float:
    joined = contacts.merge(customers, left_on="customer_id", right_on="id")
    host = joined["website"].str.replace(r"^https?://(www\.)?", "", regex=True).str.rstrip("/")
    return float((joined["email"].str.split("@").str[1] == host).mean())


def test_codes_keep_their_shape_and_lines_cover_their_orders(tmp_path: Path) -> None:
    # Ten chunks of products: unique SKUs stay codes (their last digits a bijection of the
    # row), not "ZJK-61185 3"; and every order gets a line before any gets two, its products
    # distinct, as in memory.
    from examples import crm_models

    sizes = {"Customer": 50, "Contact": 1, "Product": 1_000, "Order": 900, "OrderItem": 2_000}
    SyntheticDataGenerator(seed=4).generate_to(
        crm_models.MODELS, tmp_path, sample_sizes=sizes, chunk_rows=100, workers=1
    )
    products = pd.read_parquet(tmp_path / "products")
    assert products["sku"].is_unique
    assert products["sku"].str.fullmatch(r"[A-Z]{3}-\d{5}").all(), products["sku"].head()
    # One permutation of the catalogue over every chunk: as many names as in memory.
    in_memory = SyntheticDataGenerator(seed=4).generate_related_data(
        crm_models.MODELS, sample_sizes={**sizes, "Order": 1, "OrderItem": 1}
    )["Product"]
    assert products["name"].nunique() == in_memory["name"].nunique() > 100
    items = pd.read_parquet(tmp_path / "order_items")
    orders = pd.read_parquet(tmp_path / "orders")
    assert set(items["order_id"]) == set(orders["id"])
    assert not items.duplicated(["order_id", "product_id"]).any()


def test_streams_from_inside_a_running_event_loop(tmp_path: Path) -> None:
    # A notebook runs an event loop: one process makes the chunks in it, and gets the bytes
    # a plain script gets.
    import asyncio

    sizes = {"customers": 30, "orders": 60}
    plain = SyntheticDataGenerator(seed=5).generate_to(
        SCHEMA_TWO, tmp_path / "plain", sample_sizes=sizes, chunk_rows=20, workers=1
    )

    async def in_loop() -> Any:
        return SyntheticDataGenerator(seed=5).generate_to(
            SCHEMA_TWO, tmp_path / "loop", sample_sizes=sizes, chunk_rows=20, workers=1
        )

    looped = asyncio.run(in_loop())
    assert looped.rows == plain.rows
    assert tree_digest(tmp_path / "loop") == tree_digest(tmp_path / "plain")


SCHEMA_TWO = {
    "customers": {
        "id": {"type": "integer", "primary_key": True},
        "name": "company",
        "email": {"type": "string", "unique": True, "semantic": "email"},
    },
    "orders": {
        "id": {"type": "integer", "primary_key": True},
        "customer_id": {"references": "customers.id"},
        "placed": "date",
        "sku": {"type": "string", "unique": True, "semantic": "sku"},
    },
}


def test_only_an_organisations_own_address_gives_mail_its_domain() -> None:
    from syda.generators.values import is_organisation_column

    assert all(map(is_organisation_column, ["website", "home_page_url", "domain", "Homepage"]))
    assert not any(map(is_organisation_column, ["avatar_url", "logo_url", "image_url", "name"]))
