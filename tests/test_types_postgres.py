"""Every PostgreSQL type family is generated, and the database accepts every value.

One table per family is created in a database of this module's own (``hstore``, ``citext`` and
``ltree`` are extensions, installed there only), reflected, filled with ``generate_related_data(...,
db_url=engine)`` and then read back with SQL: the row count is exact and the values look right
(lower bound below the upper one, arrays of a few distinct tags, a tsvector made of the row's
title...). A type nobody can generate is named, with every other such column, in one
SchemaError.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.cli import main
from syda.database import reflect_database
from syda.errors import SchemaError
from tests.support import databases

pytestmark = pytest.mark.postgres

ROWS = 200


@contextmanager
def fresh_database(url: str) -> Iterator[Engine]:
    """A new database on the server, with the hstore, citext and ltree extensions; dropped after."""
    name = f"types_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = sa.create_engine(
        sa.make_url(url).set(database=name),
        connect_args={"connect_timeout": databases.CONNECT_TIMEOUT_SECONDS},
    )
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE EXTENSION hstore")
            connection.exec_driver_sql("CREATE EXTENSION citext")
            connection.exec_driver_sql("CREATE EXTENSION ltree")
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="module")
def engine(postgres_url: str) -> Iterator[Engine]:
    """A database of this module's own: each test creates its own tables in it."""
    with fresh_database(postgres_url) as engine:
        yield engine


def fill(engine: Engine, ddl: str, table: str, rows: int = ROWS) -> None:
    """Create the table, fill it through syda with the database as judge, read it back."""
    with engine.begin() as connection:
        for statement in ddl.split(";\n"):
            if statement.strip():
                connection.exec_driver_sql(statement)
    schema = reflect_database(engine, tables=[table])
    frames = SyntheticDataGenerator(seed=7).generate_related_data(
        schema, default_sample_size=rows, db_url=engine
    )
    assert len(frames[table]) == rows
    with engine.connect() as connection:
        assert connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == rows
    # What syda reads back of its own rows passes its own validation.
    assert main(["validate", "--db", engine.url.render_as_string(hide_password=False), "-q"]) == 0


def query(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(sa.text(sql)).all())


def scalar(engine: Engine, sql: str) -> Any:
    with engine.connect() as connection:
        return connection.execute(sa.text(sql)).scalar()


def test_arrays_of_any_element(engine: Engine) -> None:
    fill(
        engine,
        """
        CREATE TYPE mood AS ENUM ('sad', 'calm', 'happy');
        CREATE DOMAIN score AS integer CHECK (VALUE > 0) CHECK (VALUE <= 100);
        CREATE DOMAIN sku AS varchar(8) CHECK (VALUE ~ '^[A-Z]{3}[0-9]{2}$');
        CREATE TABLE arrays (
            id serial PRIMARY KEY,
            tags text[] NOT NULL,
            special_features text[],
            moods mood[],
            scores score[],
            skus sku[],
            grid integer[][],
            days date[],
            ids uuid[],
            emails varchar(80)[],
            docs jsonb[], stops point[], spans int4range[], stamps timestamptz[]
        )""",
        "arrays",
    )
    rows = query(engine, "SELECT tags, special_features, emails FROM arrays")
    tags = [r[0] for r in rows]
    assert all(len(t) <= 4 and len(set(t)) == len(t) for t in tags)  # a few distinct tags
    assert sum(bool(t) for t in tags) > ROWS * 0.8  # most rows have some
    features = {f for r in rows if r[1] for f in r[1]}
    assert features <= {"Trailers", "Commentaries", "Deleted Scenes", "Behind the Scenes"}
    moods = {m for (m,) in query(engine, "SELECT DISTINCT unnest(moods)::text FROM arrays")}
    assert moods == {"sad", "calm", "happy"}
    # Each element keeps its domain's CHECKs (both of them) and pattern.
    scores = [s for (s,) in query(engine, "SELECT unnest(scores)::integer FROM arrays")]
    assert scores and all(0 < s <= 100 for s in scores)
    skus = [s for (s,) in query(engine, "SELECT unnest(skus)::text FROM arrays")]
    assert skus and all(re.fullmatch(r"[A-Z]{3}[0-9]{2}", s) for s in skus)
    assert all("@" in e for r in rows if r[2] for e in r[2])
    # A two-dimensional array gets rectangles, days are dates, ids UUIDs.
    assert scalar(engine, "SELECT count(*) FROM arrays WHERE array_ndims(grid) = 2") > ROWS / 2
    assert scalar(engine, "SELECT max(d) FROM arrays, unnest(days) d") is not None
    # Elements of any type: JSON documents, points, ranges, timestamps.
    assert scalar(engine, "SELECT bool_and(jsonb_typeof(d) = 'object') FROM arrays, unnest(docs) d")
    assert scalar(engine, "SELECT bool_and(lower(r) < upper(r)) FROM arrays, unnest(spans) r")
    assert scalar(engine, "SELECT count(*) FROM arrays, unnest(stops) p") > ROWS / 2
    assert scalar(engine, "SELECT max(t) FROM arrays, unnest(stamps) t") is not None


def test_json_documents_follow_the_name(engine: Engine) -> None:
    fill(
        engine,
        """CREATE TABLE documents (
            id serial PRIMARY KEY, settings jsonb NOT NULL, metadata json, labels jsonb,
            attributes jsonb, headers jsonb NOT NULL DEFAULT '[]'
        )""",
        "documents",
    )
    kinds = query(
        engine,
        "SELECT DISTINCT jsonb_typeof(settings), json_typeof(metadata), jsonb_typeof(labels), "
        "jsonb_typeof(attributes), jsonb_typeof(headers) FROM documents "
        "WHERE metadata IS NOT NULL AND labels IS NOT NULL AND attributes IS NOT NULL",
    )
    assert set(kinds) == {("object", "object", "array", "object", "array")}
    assert scalar(engine, "SELECT count(*) FROM documents WHERE settings ? 'theme'") == ROWS
    keys = {r[0] for r in query(engine, "SELECT jsonb_object_keys(attributes) FROM documents")}
    assert {"color", "size"} <= keys


def test_text_search_vectors_are_built_from_the_row(engine: Engine) -> None:
    fill(
        engine,
        """CREATE TABLE articles (
            id serial PRIMARY KEY, title varchar(120) NOT NULL, description text,
            document tsvector NOT NULL, query tsquery
        )""",
        "articles",
    )
    rows = query(engine, "SELECT title, tsvector_to_array(document) FROM articles")
    found = 0
    for title, lexemes in rows:
        words = {w for w in re.findall(r"[^\W\d_]{2,}", title.lower())}
        found += bool(words & set(lexemes))
    assert found == ROWS  # every vector holds words of its own row's title
    # The row can be found by a word of its title, as a full-text index would find it.
    hit = scalar(
        engine,
        "SELECT count(*) FROM articles WHERE document @@ to_tsquery('simple', "
        "(SELECT min(w) FROM unnest(tsvector_to_array(document)) w))",
    )
    assert hit == ROWS
    assert scalar(engine, "SELECT count(*) FROM articles WHERE numnode(query) > 0") > 0


def test_network_addresses(engine: Engine) -> None:
    fill(
        engine,
        """CREATE DOMAIN host_address AS inet NOT NULL;
        CREATE TABLE hosts (
            id serial PRIMARY KEY, ip_address inet, network cidr NOT NULL, mac macaddr,
            mac8 macaddr8, gateway host_address
        )""",
        "hosts",
    )
    families = {r[0] for r in query(engine, "SELECT family(ip_address) FROM hosts")}
    assert {4, 6} <= families
    assert scalar(engine, "SELECT count(*) FROM hosts WHERE masklen(network) < 8") == 0
    assert scalar(engine, "SELECT count(DISTINCT mac) FROM hosts") > ROWS * 0.9
    assert scalar(engine, "SELECT count(*) FROM hosts WHERE gateway IS NULL") == 0


def test_intervals_money_and_bits(engine: Engine) -> None:
    fill(
        engine,
        """CREATE TABLE plans (
            id serial PRIMARY KEY, duration interval NOT NULL, retention_period interval,
            timeout interval, price money NOT NULL, flags bit(5) NOT NULL, mask varbit(10)
        )""",
        "plans",
    )
    assert scalar(engine, "SELECT count(*) FROM plans WHERE duration <= interval '0'") == 0
    assert scalar(engine, "SELECT min(retention_period) FROM plans") >= dt.timedelta(days=1)
    assert scalar(engine, "SELECT max(timeout) FROM plans").total_seconds() <= 3600
    assert scalar(engine, "SELECT count(*) FROM plans WHERE price <= 0::money") == 0
    assert scalar(engine, "SELECT count(*) FROM plans WHERE length(flags) <> 5") == 0
    assert scalar(engine, "SELECT max(length(mask)) FROM plans") <= 10


def test_uuid_bytea_and_xml(engine: Engine) -> None:
    fill(
        engine,
        "CREATE TABLE files (id uuid PRIMARY KEY, content bytea NOT NULL, manifest xml)",
        "files",
    )
    assert scalar(engine, "SELECT count(DISTINCT id) FROM files") == ROWS
    assert scalar(engine, "SELECT min(octet_length(content)) FROM files") > 0
    assert scalar(engine, "SELECT bool_and(xml_is_well_formed_document(manifest::text)) FROM files")


def test_ranges_hold_their_lower_bound_below_the_upper(engine: Engine) -> None:
    fill(
        engine,
        """CREATE TABLE bookings (
            id serial PRIMARY KEY, seats int4range NOT NULL, big int8range, price numrange,
            stay daterange NOT NULL, slot tsrange, during tstzrange NOT NULL,
            free_seats int4multirange, holidays datemultirange
        )""",
        "bookings",
    )
    for column in ("seats", "big", "price", "stay", "slot", "during"):
        assert (
            scalar(
                engine,
                f"SELECT count(*) FROM bookings WHERE isempty({column}) "
                f"OR lower({column}) > upper({column})",
            )
            == 0
        ), column
    latest = dt.date.today() + dt.timedelta(days=60)
    assert scalar(engine, "SELECT max(upper(stay)) FROM bookings") <= latest
    most = "SELECT max((SELECT count(*) FROM unnest(free_seats))) FROM bookings"
    assert scalar(engine, most) >= 2


def test_geometric_shapes(engine: Engine) -> None:
    fill(
        engine,
        """CREATE TABLE shapes (
            id serial PRIMARY KEY, location point NOT NULL, edge line, segment lseg,
            bounds box, route path, area polygon, zone circle
        )""",
        "shapes",
    )
    assert scalar(engine, "SELECT count(*) FROM shapes WHERE radius(zone) <= 0") == 0
    assert scalar(engine, "SELECT count(*) FROM shapes WHERE area(bounds) <= 0") == 0
    assert scalar(engine, "SELECT min(npoints(area)) FROM shapes") >= 3
    assert scalar(engine, "SELECT max(abs(location[0])) FROM shapes") <= 90


def test_hstore_and_citext(engine: Engine) -> None:
    fill(
        engine,
        """CREATE TABLE profiles (
            id serial PRIMARY KEY, email citext UNIQUE NOT NULL, attributes hstore NOT NULL
        )""",
        "profiles",
    )
    assert scalar(engine, "SELECT count(*) FROM profiles WHERE email LIKE '%@%.%'") == ROWS
    assert scalar(engine, "SELECT count(*) FROM profiles WHERE attributes ? 'color'") > ROWS / 2


def test_domains_over_database_types(engine: Engine) -> None:
    fill(
        engine,
        """CREATE DOMAIN tag_list AS text[] NOT NULL CHECK (cardinality(VALUE) <= 2);
        CREATE DOMAIN price AS money CHECK (VALUE > 0::money);
        CREATE DOMAIN window_days AS daterange NOT NULL;
        CREATE DOMAIN label AS varchar(12) CHECK (VALUE ~ '^[a-z]+$');
        CREATE TABLE listings (
            id serial PRIMARY KEY, tags tag_list, price price, open window_days, labels label[],
            scores integer[] CHECK (array_length(scores, 1) >= 1)
        )""",
        "listings",
    )
    assert scalar(engine, "SELECT count(*) FROM listings WHERE tags IS NULL") == 0
    assert scalar(engine, "SELECT max(cardinality(tags)) FROM listings") == 2
    assert scalar(engine, "SELECT count(*) FROM listings WHERE open IS NULL") == 0
    labels = [x for (x,) in query(engine, "SELECT unnest(labels)::text FROM listings")]
    assert labels and all(re.fullmatch(r"[a-z]{1,12}", x) for x in labels)


def test_byte_domains_of_an_exact_length(engine: Engine) -> None:
    # Icinga DB's ids: SHA-1 digests as a domain over bytea, a key that others reference.
    fill(
        engine,
        """CREATE DOMAIN bytea20 AS bytea CONSTRAINT exactly_20_bytes_long
            CHECK (VALUE IS NULL OR octet_length(VALUE) = 20);
        CREATE DOMAIN bytea4 AS bytea CHECK (VALUE IS NULL OR octet_length(VALUE) = 4);
        CREATE TABLE sites (id bytea20 PRIMARY KEY, name text NOT NULL);
        CREATE TABLE nodes (
            id bytea20 PRIMARY KEY, site_id bytea20 REFERENCES sites (id), address bytea4,
            token bytea NOT NULL CHECK (length(token) = 32 OR octet_length(token) = 48),
            salt bytea CHECK (length(salt) BETWEEN 8 AND 12)
        )""",
        "nodes",
    )
    lengths = query(
        engine,
        "SELECT DISTINCT octet_length(id), octet_length(site_id), octet_length(address) FROM nodes",
    )
    assert {(a, b, c) for a, b, c in lengths if b is not None and c is not None} == {(20, 20, 4)}
    tokens = query(engine, "SELECT octet_length(token), count(*) FROM nodes GROUP BY 1")
    assert {n for n, _ in tokens} == {32, 48}  # each way of meeting the check, in turn
    assert min(count for _, count in tokens) >= ROWS // 4
    salts = {n for (n,) in query(engine, "SELECT DISTINCT octet_length(salt) FROM nodes")}
    assert salts - {None} and salts - {None} <= set(range(8, 13))
    assert scalar(engine, "SELECT count(DISTINCT id) FROM nodes") == ROWS


def test_the_cli_fills_and_appends_to_a_database_of_such_types(postgres_url: str) -> None:
    with fresh_database(postgres_url) as engine:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "CREATE TABLE events (id serial PRIMARY KEY, tags varchar(100)[], "
                "client inet NOT NULL, took interval, during tstzrange, doc tsvector, "
                "extra hstore, place point)"
            )
        url = engine.url.render_as_string(hide_password=False)
        assert main(["generate", "--db", url, "--rows", "30", "-q"]) == 0
        assert main(["generate", "--db", url, "--rows", "30", "--if-exists", "append", "-q"]) == 0
        assert scalar(engine, "SELECT count(DISTINCT id) FROM events") == 60


def test_log_positions_paths_snapshots_and_label_trees(engine: Engine) -> None:
    fill(
        engine,
        """CREATE TABLE replication (
            id serial PRIMARY KEY, position pg_lsn NOT NULL, selector jsonpath,
            seen txid_snapshot, taken pg_snapshot, category ltree NOT NULL
        )""",
        "replication",
    )
    assert scalar(engine, "SELECT count(DISTINCT position) FROM replication") > ROWS * 0.9
    assert scalar(engine, "SELECT min(nlevel(category)) FROM replication") >= 2
    assert scalar(engine, "SELECT count(*) FROM replication WHERE category <@ 'Top'") == ROWS


def test_types_nobody_can_generate_are_named_in_one_error(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TYPE pair AS (a integer, b text)")
        connection.exec_driver_sql(
            "CREATE TABLE odd (id serial PRIMARY KEY, item pair, rel regclass, fine inet)"
        )
    schema = reflect_database(engine, tables=["odd"])
    with pytest.raises(SchemaError) as caught:
        SyntheticDataGenerator(seed=1).generate_related_data(schema, default_sample_size=5)
    text = str(caught.value)
    for column, type_name in (("item", "pair"), ("rel", "REGCLASS")):
        assert f"odd.{column} has type {type_name!r}" in text
    assert "register_generator" in text
    assert "fine" not in text
