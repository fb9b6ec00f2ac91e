"""What the streaming engine makes beyond integer keys: self-references, codes, composite keys.

A Chinook/Northwind-shaped schema in chunks of 50 rows: an employee tree (``reports_to``),
customers keyed by a ``CHAR(5)`` code with a length CHECK, devices keyed by a UUID, tokens by
16 bytes, and an association table whose primary key is two foreign keys, drawn jointly and,
with a cardinality, per playlist. The Parquet read back goes into SQLite with every key,
UNIQUE and CHECK enforced (and through syda's own whole-dataset validation); the local and
Dask engines write the same bytes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy import (
    CHAR,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase

from syda import SyntheticDataGenerator
from syda.errors import PlanError
from syda.schema import load_schema
from syda.validation.frames import check_dataset
from tests.support.digest import tree_digest

pq = pytest.importorskip("pyarrow.parquet")


class Base(DeclarativeBase):
    pass


class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    name = Column(String(60), nullable=False)
    reports_to = Column(Integer, ForeignKey("employees.id"))


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (CheckConstraint("length(customer_id) = 5", name="ck_customer_code"),)
    customer_id = Column(CHAR(5), primary_key=True)
    company = Column(String(80), nullable=False)
    support_rep_id = Column(Integer, ForeignKey("employees.id"))


class Device(Base):
    __tablename__ = "devices"
    id = Column(Uuid(as_uuid=False), primary_key=True)
    customer_id = Column(CHAR(5), ForeignKey("customers.customer_id"), nullable=False)
    label = Column(String(40), nullable=False)


class Token(Base):
    __tablename__ = "tokens"
    token = Column(LargeBinary(16), primary_key=True)
    device_id = Column(Uuid(as_uuid=False), ForeignKey("devices.id"), nullable=False)


class Track(Base):
    __tablename__ = "tracks"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)


class Playlist(Base):
    __tablename__ = "playlists"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)


class PlaylistTrack(Base):
    __tablename__ = "playlist_track"
    playlist_id = Column(Integer, ForeignKey("playlists.id"), primary_key=True)
    track_id = Column(Integer, ForeignKey("tracks.id"), primary_key=True)


MODELS = [Employee, Customer, Device, Token, Track, Playlist, PlaylistTrack]
SIZES = {
    "Employee": 300,
    "Customer": 240,
    "Device": 260,
    "Token": 180,
    "Track": 60,
    "Playlist": 20,
    "PlaylistTrack": 500,
}


def _stream(out: Path, models: list[Any] = MODELS, **kwargs: Any) -> Any:
    options = {"sample_sizes": SIZES, "chunk_rows": 50, "workers": 1, **kwargs}
    return SyntheticDataGenerator(seed=5).generate_to(models, out, **options)


def _read(root: Path, models: list[Any] = MODELS) -> dict[str, pd.DataFrame]:
    return {t.key: pq.read_table(root / t.name).to_pandas() for t in load_schema(models)}


def _into_sqlite(root: Path, db: Path, models: list[Any] = MODELS) -> sqlite3.Connection:
    """The Parquet rows inserted, parents first, into SQLite tables with every constraint."""
    engine = sa.create_engine(f"sqlite:///{db}")
    Base.metadata.create_all(engine, tables=[m.__table__ for m in models])
    engine.dispose()
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA foreign_keys = ON")
    for model in models:  # listed parents first
        table = pq.read_table(root / model.__tablename__)
        rows = list(zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True))
        marks = ", ".join("?" * len(table.column_names))
        connection.executemany(f"INSERT INTO {model.__tablename__} VALUES ({marks})", rows)
    connection.commit()
    return connection


@pytest.fixture(scope="module")
def local_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("coverage")
    report = _stream(out)
    assert report.rows == SIZES
    assert report.chunks["Employee"] == 6 and report.chunks["PlaylistTrack"] == 10
    return out


def test_every_key_unique_and_check_holds_in_sqlite(local_out: Path, tmp_path: Path) -> None:
    connection = _into_sqlite(local_out, tmp_path / "coverage.db")
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    counts = {
        m.__name__: connection.execute(f"SELECT count(*) FROM {m.__tablename__}").fetchone()[0]
        for m in MODELS
    }
    assert counts == SIZES
    assert check_dataset(load_schema(MODELS), _read(local_out)) == []


def test_a_self_reference_is_a_tree_of_earlier_rows(local_out: Path) -> None:
    employees = _read(local_out)["Employee"]
    managed = employees[employees["reports_to"].notna()]
    # Every row points at an earlier row, across chunk borders too: the references are a forest.
    assert (managed["reports_to"] < managed["id"]).all()
    assert (managed["reports_to"] < managed["id"] - 50).any()
    assert pd.isna(employees["reports_to"].iloc[0])
    # A handful of roots, as in memory (min(10%, 3 / rows) of the rows, and the first).
    roots = int(employees["reports_to"].isna().sum())
    assert 1 <= roots <= 12
    # A believable tree: some managers with several reports, no single hub.
    reports = managed["reports_to"].value_counts()
    assert reports.max() > 3 and reports.max() < 60


def test_codes_uuids_and_bytes_are_keys_made_from_positions(local_out: Path) -> None:
    frames = _read(local_out)
    codes = frames["Customer"]["customer_id"]
    assert codes.is_unique and codes.str.fullmatch("[A-Z]{5}").all()
    assert not codes.is_monotonic_increasing  # scattered by the bijection, not AAAAA, AAAAB
    uuids = frames["Device"]["id"]
    assert uuids.is_unique
    version4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert uuids.str.fullmatch(version4).all()
    tokens = frames["Token"]["token"]
    assert tokens.is_unique and all(isinstance(t, bytes) and len(t) == 16 for t in tokens)
    assert all(0 not in t for t in tokens)
    # Children computed their parents' keys from the parent positions they drew.
    assert set(frames["Device"]["customer_id"]) <= set(codes)
    assert set(frames["Token"]["device_id"]) <= set(uuids)
    assert frames["Device"]["customer_id"].nunique() > 100


def test_an_association_table_takes_distinct_parent_pairs(local_out: Path) -> None:
    pairs = _read(local_out)["PlaylistTrack"]
    assert not pairs.duplicated().any()
    assert pairs["playlist_id"].between(1, 20).all() and pairs["track_id"].between(1, 60).all()
    assert pairs["playlist_id"].nunique() == 20  # 500 of 1,200 pairs reach every playlist


@pytest.mark.slow
def test_dask_writes_the_same_bytes(local_out: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    report = _stream(tmp_path, engine="dask", workers=2)
    assert report.engine == "dask"
    assert tree_digest(tmp_path) == tree_digest(local_out)


def test_chunk_order_and_processes_do_not_change_the_bytes(local_out: Path, tmp_path: Path) -> None:
    _stream(tmp_path, workers=2)  # chunks of one level interleaved over two processes
    assert tree_digest(tmp_path) == tree_digest(local_out)


PAIRS = [Track, Playlist, PlaylistTrack]


def test_a_cardinality_gives_each_parent_distinct_partners(tmp_path: Path) -> None:
    report = _stream(
        tmp_path,
        PAIRS,
        sample_sizes={"Track": 30, "Playlist": 120},
        cardinality={"PlaylistTrack.playlist_id": "5-30"},
    )
    pairs = _read(tmp_path, PAIRS)["PlaylistTrack"]
    assert report.chunks["PlaylistTrack"] > 2
    assert not pairs.duplicated().any()
    per_playlist = pairs.groupby("playlist_id").size()
    assert per_playlist.between(5, 30).all() and len(per_playlist) == 120
    assert per_playlist.max() == pairs.groupby("playlist_id")["track_id"].nunique().max()
    connection = _into_sqlite(tmp_path, tmp_path / "pairs.db", PAIRS)
    assert connection.execute("SELECT count(*) FROM playlist_track").fetchone()[0] == len(pairs)


def test_more_pairs_than_exist_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match=r"unique \(playlist_id, track_id\).*20 x 60 = 1200 exist"):
        _stream(tmp_path, PAIRS, sample_sizes={"Track": 60, "Playlist": 20, "PlaylistTrack": 1_300})
    with pytest.raises(PlanError, match=r"up to 40 rows a parent need distinct Track rows"):
        _stream(
            tmp_path,
            PAIRS,
            sample_sizes={"Track": 30, "Playlist": 10},
            cardinality={"PlaylistTrack.playlist_id": "5-40"},
        )
    assert not any(tmp_path.iterdir())


class Code(Base):
    __tablename__ = "codes"
    code = Column(CHAR(2), primary_key=True)


def test_a_code_too_narrow_for_the_rows_is_refused_by_name(tmp_path: Path) -> None:
    # CHAR(2): 26 x 26 letters, 36 x 36 with digits; 2,000 rows cannot each have their own.
    with pytest.raises(PlanError, match=r"primary key code has 1296 values of its width"):
        _stream(tmp_path, [Code], sample_sizes={"Code": 2_000})
    report = _stream(tmp_path, [Code], sample_sizes={"Code": 1_000})
    codes = _read(tmp_path, [Code])["Code"]["code"]
    assert report.rows == {"Code": 1_000} and codes.is_unique
    assert codes.str.fullmatch("[A-Z0-9]{2}").all()


class Mailbox(Base):
    __tablename__ = "mailboxes"
    __table_args__ = (sa.UniqueConstraint("user_id", "name", name="uq_mailbox_name"),)
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("tracks.id"), nullable=False)
    name = Column(String(30), nullable=False)


def test_a_unique_set_holding_a_key_is_cut_by_that_key(tmp_path: Path) -> None:
    # UNIQUE (user_id, name): cut by user_id, every user's mailboxes are in one chunk, whose
    # repair loop keeps their names apart, as in memory.
    models = [Track, Mailbox]
    report = _stream(tmp_path, models, sample_sizes={"Track": 120, "Mailbox": 400})
    assert report.rows == {"Track": 120, "Mailbox": 400} and report.chunks["Mailbox"] > 3
    boxes = _read(tmp_path, models)["Mailbox"]
    assert not boxes.duplicated(["user_id", "name"]).any()
    parts = sorted((tmp_path / "mailboxes").glob("*.parquet"))
    owners = [set(pq.read_table(p).column("user_id").to_pylist()) for p in parts]
    assert all(a.isdisjoint(b) for i, a in enumerate(owners) for b in owners[i + 1 :])
    connection = _into_sqlite(tmp_path, tmp_path / "boxes.db", models)
    assert connection.execute("SELECT count(*) FROM mailboxes").fetchone()[0] == 400


class Reading(Base):
    __tablename__ = "readings"
    id = Column(Integer, primary_key=True)
    celsius = Column(Integer, nullable=False)
    fahrenheit = Column(sa.Float, sa.Computed("celsius * 9.0 / 5 + 32"))


def test_a_column_the_database_computes_is_left_to_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'readings.db'}"
    engine = sa.create_engine(url)
    Reading.__table__.create(engine)  # the table as the models declare it, expression and all
    engine.dispose()
    report = SyntheticDataGenerator(seed=2).generate_to(
        [Reading], db_url=url, sample_sizes={"Reading": 120}, chunk_rows=50
    )
    assert report.rows == {"Reading": 120}
    with sa.create_engine(url).connect() as connection:
        rows = connection.exec_driver_sql("SELECT celsius, fahrenheit FROM readings").fetchall()
    assert len(rows) == 120 and all(f == c * 9.0 / 5 + 32 for c, f in rows)


class Login(Base):
    __tablename__ = "logins"
    __table_args__ = (
        sa.UniqueConstraint("username", "mail_host", name="uq_login"),
        sa.UniqueConstraint("tenant", "seat", name="uq_seat"),
        CheckConstraint("seat BETWEEN 1 AND 5000", name="ck_seat"),
    )
    id = Column(Integer, primary_key=True)
    username = Column(String(40), nullable=False)
    mail_host = Column(String(40), nullable=False)
    tenant = Column(sa.Boolean, nullable=False)
    seat = Column(Integer, nullable=False)


def test_a_unique_set_of_values_is_told_apart_by_one_column(tmp_path: Path) -> None:
    # No key to cut by: the text column of one set takes the chunk mark; the other set's
    # integer takes a bijection of the row numbers onto its CHECK's range.
    report = _stream(tmp_path, [Login], sample_sizes={"Login": 300})
    assert report.chunks["Login"] == 6
    logins = _read(tmp_path, [Login])["Login"]
    assert not logins.duplicated(["username", "mail_host"]).any()
    assert logins["username"].str.fullmatch(r".+ [0-5]").all()
    assert logins["seat"].is_unique and logins["seat"].between(1, 5000).all()
    assert logins["mail_host"].nunique() < 300  # the other column keeps its own values
    connection = _into_sqlite(tmp_path, tmp_path / "logins.db", [Login])
    assert connection.execute("SELECT count(*) FROM logins").fetchone()[0] == 300


class Edge(Base):
    __tablename__ = "edges"
    __table_args__ = (sa.UniqueConstraint("from_node", "to_node", name="uq_edge"),)
    id = Column(Integer, primary_key=True)
    host_id = Column(LargeBinary(20), nullable=False, unique=True)
    public_id = Column(Uuid(as_uuid=False), nullable=False, unique=True)
    from_node = Column(LargeBinary(20), nullable=False)
    to_node = Column(LargeBinary(20), nullable=False)


def test_unique_bytes_and_uuids_that_are_not_keys_come_from_a_bijection(tmp_path: Path) -> None:
    report = _stream(tmp_path, [Edge], sample_sizes={"Edge": 250})
    assert report.chunks["Edge"] == 5
    edges = _read(tmp_path, [Edge])["Edge"]
    assert edges["host_id"].is_unique and edges["public_id"].is_unique
    assert not edges.duplicated(["from_node", "to_node"]).any()
    # The bijection's bytes fill the column's width (from_node marks the pair; to_node is drawn).
    assert {len(v) for c in ("host_id", "from_node") for v in edges[c]} == {20}
    connection = _into_sqlite(tmp_path, tmp_path / "edges.db", [Edge])
    assert connection.execute("SELECT count(DISTINCT host_id) FROM edges").fetchone()[0] == 250


class Client(Base):
    __tablename__ = "clients"
    client_id = Column(Integer, primary_key=True)
    name = Column(String(60), nullable=False)


class Rental(Base):
    __tablename__ = "rentals"
    rental_id = Column(Integer, primary_key=True)
    client_id = Column(Integer, ForeignKey("clients.client_id"), nullable=False)


class Charge(Base):
    __tablename__ = "charges"
    charge_id = Column(Integer, primary_key=True)
    client_id = Column(Integer, ForeignKey("clients.client_id"), nullable=False)
    rental_id = Column(Integer, ForeignKey("rentals.rental_id"), nullable=False)


def test_a_key_following_another_is_copied_from_the_row_it_chose(tmp_path: Path) -> None:
    # A charge's client is its rental's client: copied from the rental row the chunk read.
    models = [Client, Rental, Charge]
    sizes = {"Client": 80, "Rental": 300, "Charge": 400}
    report = _stream(tmp_path, models, sample_sizes=sizes)
    assert report.rows == sizes and report.chunks["Charge"] == 8
    frames = _read(tmp_path, models)
    joined = frames["Charge"].merge(frames["Rental"], on="rental_id", suffixes=("", "_rental"))
    assert len(joined) == 400 and (joined["client_id"] == joined["client_id_rental"]).all()
    connection = _into_sqlite(tmp_path, tmp_path / "charges.db", models)
    assert connection.execute("SELECT count(*) FROM charges").fetchone()[0] == 400


class Folder(Base):
    __tablename__ = "folders"
    __table_args__ = (sa.UniqueConstraint("name", "parent_id", name="uq_folder_sibling"),)
    id = Column(Integer, primary_key=True)
    name = Column(String(30), nullable=False)
    parent_id = Column(Integer, ForeignKey("folders.id"))


def test_a_self_reference_inside_a_unique_set_keeps_siblings_apart(tmp_path: Path) -> None:
    # UNIQUE (name, parent_id): the name's chunk mark tells chunks apart; within a chunk the
    # rows repeating a sibling's (name, parent), frequent among three names, are re-pointed at
    # other earlier rows (or become roots).
    names = {"Folder": {"columns": {"name": {"values": ["docs", "src", "tests"]}}}}
    report = _stream(tmp_path, [Folder], sample_sizes={"Folder": 300}, profile=names)
    assert report.chunks["Folder"] == 6
    folders = _read(tmp_path, [Folder])["Folder"]
    children = folders[folders["parent_id"].notna()]
    assert not children.duplicated(["name", "parent_id"]).any()
    assert (children["parent_id"] < children["id"]).all()
    connection = _into_sqlite(tmp_path, tmp_path / "folders.db", [Folder])
    assert connection.execute("SELECT count(*) FROM folders").fetchone()[0] == 300


class Grant(Base):
    __tablename__ = "grants"
    __table_args__ = (
        CheckConstraint("permission IN ('READ', 'UPDATE', 'DELETE', 'ADMINISTER')", name="ck_perm"),
    )
    user_id = Column(Integer, ForeignKey("tracks.id"), primary_key=True)
    permission = Column(String(10), primary_key=True)


def test_a_key_and_a_vocabulary_take_distinct_tuples(tmp_path: Path) -> None:
    # (user_id, permission IN 4 values): 40 users x 4 = 160 tuples, numbered in mixed radix.
    models = [Track, Grant]
    report = _stream(tmp_path, models, sample_sizes={"Track": 40, "Grant": 150})
    grants = _read(tmp_path, models)["Grant"]
    assert report.chunks["Grant"] == 3 and not grants.duplicated().any()
    assert set(grants["permission"]) == {"READ", "UPDATE", "DELETE", "ADMINISTER"}
    connection = _into_sqlite(tmp_path, tmp_path / "grants.db", models)
    assert connection.execute("SELECT count(*) FROM grants").fetchone()[0] == 150
    with pytest.raises(PlanError, match=r"200 rows need distinct \(user_id, permission\)"):
        _stream(tmp_path / "more", models, sample_sizes={"Track": 40, "Grant": 200})


class Shop(Base):
    __tablename__ = "shops"
    id = Column(Integer, primary_key=True)
    manager_id = Column(
        Integer, ForeignKey("clerks.id", use_alter=True, name="fk_shop_manager"), nullable=False
    )


class Clerk(Base):
    __tablename__ = "clerks"
    id = Column(Integer, primary_key=True)
    shop_id = Column(Integer, ForeignKey("shops.id"), nullable=False)
    name = Column(String(60), nullable=False)


def test_a_cycle_of_not_null_keys_streams_into_a_database(tmp_path: Path) -> None:
    # shops.manager_id -> clerks and clerks.shop_id -> shops: the key closing the cycle is a
    # position of the table made later; the database writer defers its check to COMMIT.
    models = [Shop, Clerk]
    url = f"sqlite:///{tmp_path / 'shops.db'}"
    engine = sa.create_engine(url)
    Base.metadata.create_all(engine, tables=[m.__table__ for m in models])
    engine.dispose()
    sizes = {"Shop": 120, "Clerk": 200}
    report = SyntheticDataGenerator(seed=4).generate_to(
        models, db_url=url, sample_sizes=sizes, chunk_rows=50
    )
    assert report.rows == sizes and report.chunks["Shop"] == 3
    connection = sqlite3.connect(tmp_path / "shops.db")
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    managers = connection.execute("SELECT count(DISTINCT manager_id) FROM shops").fetchone()[0]
    assert managers > 50  # drawn over every clerk, not piled on the first chunk's
    # To files too, every key inside its parent (syda's dataset validation).
    _stream(tmp_path / "files", models, sample_sizes=sizes)
    assert check_dataset(load_schema(models), _read(tmp_path / "files", models)) == []


class Supplier(Base):
    __tablename__ = "suppliers"
    id = Column(Integer, primary_key=True)


class PartSupp(Base):
    __tablename__ = "partsupp"
    part_id = Column(Integer, ForeignKey("tracks.id"), primary_key=True)
    supplier_id = Column(Integer, ForeignKey("suppliers.id"), primary_key=True)
    cost = Column(sa.Numeric(8, 2), nullable=False)


class LineItem(Base):
    __tablename__ = "lineitems"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["part_id", "supplier_id"], ["partsupp.part_id", "partsupp.supplier_id"]
        ),
    )
    id = Column(Integer, primary_key=True)
    part_id = Column(Integer, nullable=False)
    supplier_id = Column(Integer, nullable=False)
    quantity = Column(Integer, nullable=False)


def test_a_key_into_a_composite_key_copies_the_parent_tuple_from_its_store(tmp_path: Path) -> None:
    # lineitem (part_id, supplier_id) -> partsupp: the chunk reads the tuple of the partsupp
    # row it drew from partsupp's store (its key columns are kept there).
    models = [Track, Supplier, PartSupp, LineItem]
    sizes = {"Track": 40, "Supplier": 10, "PartSupp": 150, "LineItem": 400}
    report = _stream(tmp_path, models, sample_sizes=sizes)
    assert report.rows == sizes and report.chunks["LineItem"] == 8
    frames = _read(tmp_path, models)
    pairs = set(frames["PartSupp"][["part_id", "supplier_id"]].itertuples(index=False))
    lines = set(frames["LineItem"][["part_id", "supplier_id"]].itertuples(index=False))
    assert lines <= pairs and len(lines) > 100
    connection = _into_sqlite(tmp_path, tmp_path / "lines.db", models)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


class Bill(Base):
    __tablename__ = "bills"
    id = Column(Integer, primary_key=True)
    total = Column(sa.Numeric(10, 2), nullable=False)


class BillLine(Base):
    __tablename__ = "bill_lines"
    id = Column(Integer, primary_key=True)
    bill_id = Column(Integer, ForeignKey("bills.id"), nullable=False)
    quantity = Column(Integer, nullable=False)
    unit_price = Column(sa.Numeric(8, 2), nullable=False)


def test_an_aggregate_is_refused_with_how_to_stream_without_it(tmp_path: Path) -> None:
    models = [Bill, BillLine]
    total = {"Bill": {"columns": {"total": {"aggregate": "sum(bill_lines.unit_price)"}}}}
    with pytest.raises(PlanError, match=r"column total aggregates its children") as err:
        _stream(tmp_path, models, sample_sizes={"Bill": 60, "BillLine": 120}, profile=total)
    assert "{Bill: {columns: {total: {aggregate: null}}}}" in str(err.value)
    drawn = {"Bill": {"columns": {"total": {"aggregate": None, "min": 5, "max": 900}}}}
    report = _stream(tmp_path, models, sample_sizes={"Bill": 60, "BillLine": 120}, profile=drawn)
    assert report.rows == {"Bill": 60, "BillLine": 120}


class Template(Base):
    __tablename__ = "templates"
    __table_args__ = (
        sa.Index(
            "uq_one_default", "is_default", unique=True, sqlite_where=sa.text("is_default = 1")
        ),
        sa.Index(
            "uq_role_name", "kind", "name", unique=True, sqlite_where=sa.text("name IS NOT NULL")
        ),
    )
    id = Column(Integer, primary_key=True)
    kind = Column(String(10), nullable=False)
    name = Column(String(40))
    is_default = Column(sa.Boolean, nullable=False)


def test_partial_unique_indexes_hold_across_chunks(tmp_path: Path) -> None:
    # One default template in the table (the first row), and (kind, name) told apart by the
    # name's chunk mark where the name is set.
    report = _stream(tmp_path, [Template], sample_sizes={"Template": 200})
    assert report.chunks["Template"] == 4
    templates = _read(tmp_path, [Template])["Template"]
    assert templates["is_default"].tolist() == [True] + [False] * 199
    named = templates[templates["name"].notna()]
    assert not named.duplicated(["kind", "name"]).any()
    connection = _into_sqlite(tmp_path, tmp_path / "templates.db", [Template])
    assert connection.execute("SELECT count(*) FROM templates").fetchone()[0] == 200
