"""PostgreSQL partitioned and inherited tables, filled with the database as the judge.

A partitioned table is generated once, through its parent: its rows fall inside the partitions'
bounds (range, list, hash, sub-partitions, several columns) and follow the foreign keys declared
on the partitions. Inheritance children are tables of their own whose keys continue after their
family's, and ``syda validate`` reads a parent's own rows (``ONLY``). The published pagila file
(a payment partitioned by month, its keys declared on the partitions) is the real-world case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SchemaError, SyntheticDataGenerator
from syda.cli import main
from syda.database import reflect_database
from tests.support import published

pytestmark = pytest.mark.postgres

RENTALS = """
CREATE TABLE customer (customer_id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE rental (
    rental_id serial PRIMARY KEY,
    rental_date timestamptz NOT NULL,
    customer_id int NOT NULL REFERENCES customer
);
CREATE TABLE payment (
    payment_id serial NOT NULL,
    customer_id int NOT NULL,
    rental_id int NOT NULL,
    amount numeric(5, 2) NOT NULL,
    payment_date timestamptz NOT NULL,
    PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);
CREATE TABLE payment_m1 PARTITION OF payment
    FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00');
CREATE TABLE payment_m2 PARTITION OF payment
    FOR VALUES FROM ('2022-02-01 00:00:00+00') TO ('2022-03-01 00:00:00+00');
ALTER TABLE payment_m1 ADD FOREIGN KEY (customer_id) REFERENCES customer;
ALTER TABLE payment_m1 ADD FOREIGN KEY (rental_id) REFERENCES rental;
ALTER TABLE payment_m2 ADD FOREIGN KEY (customer_id) REFERENCES customer;
ALTER TABLE payment_m2 ADD FOREIGN KEY (rental_id) REFERENCES rental;
"""


def run(engine: Engine, ddl: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(ddl)


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql)).scalar_one()


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def db_schema(engine: Engine) -> str:
    return str(scalar(engine, "SELECT current_schema()"))


def test_a_partitioned_table_is_one_table_with_its_partitions_bounds_and_keys(
    postgres_engine: Engine,
) -> None:
    run(postgres_engine, RENTALS)
    schema = reflect_database(postgres_engine)
    assert sorted(schema.keys) == ["customer", "payment", "rental"]
    payment = schema.table("payment")
    assert payment.partitioning is not None
    assert payment.partitioning.key == "RANGE (payment_date)"
    assert payment.partitioning.partitions == ("payment_m1", "payment_m2")
    assert {(fk.columns, fk.ref_table) for fk in payment.foreign_keys} == {
        (("customer_id",), "customer"),
        (("rental_id",), "rental"),
    }
    # January 1st to the last second of February, inclusive.
    day = payment.column("payment_date")
    assert (day.minimum, round(day.maximum * 86400)) == (738156.0, 738215 * 86400 - 1)


def test_inspect_shows_partitions_and_inheritance(
    postgres_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    run(postgres_engine, RENTALS + FAMILY)
    assert (
        main(["inspect", "--db", url_of(postgres_engine), "--schema", db_schema(postgres_engine)])
        == 0
    )
    out = capsys.readouterr().out
    assert "PARTITION BY RANGE (payment_date) into payment_m1, payment_m2" in out
    assert "INHERITS (city): keys continue after theirs" in out


def test_payments_route_to_their_partitions_and_follow_their_rental(
    postgres_engine: Engine,
) -> None:
    run(postgres_engine, RENTALS)
    schema = reflect_database(postgres_engine)
    SyntheticDataGenerator(seed=1).generate_related_data(
        schema, default_sample_size=300, db_url=postgres_engine
    )
    assert scalar(postgres_engine, "SELECT count(*) FROM payment") == 300
    by_partition = dict(
        rows(postgres_engine, "SELECT tableoid::regclass::text, count(*) FROM payment GROUP BY 1")
    )
    assert set(by_partition) == {"payment_m1", "payment_m2"}
    # The partitions' keys hold through the parent: a payment's customer is its rental's, and
    # it is paid once rented.
    assert rows(
        postgres_engine,
        "SELECT count(*) FILTER (WHERE p.customer_id <> r.customer_id), "
        "count(*) FILTER (WHERE p.payment_date < r.rental_date) "
        "FROM payment p JOIN rental r USING (rental_id)",
    ) == [(0, 0)]
    assert (
        main(["validate", "--db", url_of(postgres_engine), "--schema", db_schema(postgres_engine)])
        == 0
    )


def test_list_hash_sub_partitions_and_several_key_columns(postgres_engine: Engine) -> None:
    run(
        postgres_engine,
        """
        CREATE TABLE region (code text PRIMARY KEY);
        CREATE TABLE sale (
            id int NOT NULL, region text REFERENCES region, channel text, amount int NOT NULL,
            sold_on date NOT NULL
        ) PARTITION BY LIST (channel);
        CREATE TABLE sale_web PARTITION OF sale FOR VALUES IN ('web', 'app');
        CREATE TABLE sale_shop PARTITION OF sale FOR VALUES IN ('shop')
            PARTITION BY RANGE (sold_on);
        CREATE TABLE sale_shop_2023 PARTITION OF sale_shop
            FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
        CREATE TABLE sale_shop_2024 PARTITION OF sale_shop
            FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE event (id int NOT NULL, kind text) PARTITION BY HASH (id);
        CREATE TABLE event_0 PARTITION OF event FOR VALUES WITH (MODULUS 2, REMAINDER 0);
        CREATE TABLE event_1 PARTITION OF event FOR VALUES WITH (MODULUS 2, REMAINDER 1);
        CREATE TABLE reading (sensor int NOT NULL, seq int NOT NULL, value real)
            PARTITION BY RANGE (sensor, seq);
        CREATE TABLE reading_a PARTITION OF reading FOR VALUES FROM (1, 0) TO (1, 500);
        CREATE TABLE reading_b PARTITION OF reading FOR VALUES FROM (1, 500) TO (1, 1000);
        """,
    )
    schema = reflect_database(postgres_engine)
    assert sorted(schema.keys) == ["event", "reading", "region", "sale"]
    sale = schema.table("sale")
    # The partitions that take the same rows are taken together: web and app, any date.
    assert set(sale.column("channel").choices or ()) == {"web", "app"}
    assert not sale.column("channel").nullable
    assert sale.partitioning is not None
    assert set(sale.partitioning.partitions) == {"sale_web", "sale_shop_2023", "sale_shop_2024"}
    reading = schema.table("reading")
    assert (reading.column("sensor").minimum, reading.column("sensor").maximum) == (1, 1)
    assert (reading.column("seq").minimum, reading.column("seq").maximum) == (0, 999)
    SyntheticDataGenerator(seed=2).generate_related_data(
        schema, default_sample_size=50, db_url=postgres_engine
    )
    assert rows(
        postgres_engine,
        "SELECT (SELECT count(*) FROM sale), (SELECT count(*) FROM event), "
        "(SELECT count(*) FROM reading)",
    ) == [(50, 50, 50)]


def test_a_default_partition_takes_every_row(postgres_engine: Engine) -> None:
    run(
        postgres_engine,
        """
        CREATE TABLE ticket (id int NOT NULL, status text) PARTITION BY LIST (status);
        CREATE TABLE ticket_open PARTITION OF ticket FOR VALUES IN ('open');
        CREATE TABLE ticket_rest PARTITION OF ticket DEFAULT;
        """,
    )
    status = reflect_database(postgres_engine).table("ticket").column("status")
    assert (status.choices, status.nullable) == (None, True)


def test_a_table_asked_for_alone_brings_the_parents_of_its_partitions(
    postgres_engine: Engine,
) -> None:
    run(postgres_engine, RENTALS)
    schema = reflect_database(postgres_engine, tables=["payment"])
    assert sorted(schema.keys) == ["customer", "payment", "rental"]


def test_partitions_that_cannot_take_rows_are_named(postgres_engine: Engine) -> None:
    run(
        postgres_engine,
        """
        CREATE TABLE log (id int PRIMARY KEY) PARTITION BY RANGE (id);
        CREATE TABLE audit (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
        CREATE TABLE audit_2024 PARTITION OF audit
            FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE note (id int PRIMARY KEY, audit_id int, audit_at date,
            FOREIGN KEY (audit_id, audit_at) REFERENCES audit_2024 (id, at));
        """,
    )
    with pytest.raises(SchemaError) as error:
        reflect_database(postgres_engine)
    text = str(error.value)
    assert "log is partitioned (RANGE (id)) but has no partition" in text
    assert "note.audit_id, audit_at references audit_2024, a partition of audit" in text


FAMILY = """
CREATE TABLE country (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE city (id int PRIMARY KEY, name text NOT NULL, country_id int REFERENCES country);
CREATE TABLE capital (since date) INHERITS (city);
CREATE TABLE port (depth int) INHERITS (city);
"""


def test_inheritance_children_keep_the_family_keys_apart(postgres_engine: Engine) -> None:
    run(postgres_engine, FAMILY)
    schema = reflect_database(postgres_engine)
    capital = schema.table("capital")
    assert capital.inherits == ("city",)
    assert capital.primary_key == ("id",)
    assert [(fk.columns, fk.ref_table) for fk in capital.foreign_keys] == [
        (("country_id",), "country")
    ]
    generator = SyntheticDataGenerator(seed=3)
    generator.generate_related_data(schema, default_sample_size=40, db_url=postgres_engine)
    # SELECT FROM city reads the children's rows too: 120 cities, every id once.
    assert rows(postgres_engine, "SELECT count(*), count(DISTINCT id) FROM city") == [(120, 120)]
    assert scalar(postgres_engine, "SELECT count(*) FROM ONLY city") == 40
    url, namespace = url_of(postgres_engine), db_schema(postgres_engine)
    assert main(["validate", "--db", url, "--schema", namespace]) == 0
    # Appending continues after every key of the family, and replacing the parent leaves
    # nothing of the children behind it.
    generator.generate_related_data(
        schema, default_sample_size=10, db_url=postgres_engine, if_exists="append"
    )
    assert rows(postgres_engine, "SELECT count(*), count(DISTINCT id) FROM city") == [(150, 150)]
    assert main(["validate", "--db", url, "--schema", namespace]) == 0
    generator.generate_related_data(
        schema, default_sample_size=5, db_url=postgres_engine, if_exists="replace"
    )
    assert rows(postgres_engine, "SELECT count(*), count(DISTINCT id) FROM city") == [(15, 15)]


def test_replacing_a_parent_keeps_the_rows_of_children_left_out(
    postgres_engine: Engine,
) -> None:
    run(postgres_engine, FAMILY + "INSERT INTO port (id, name, depth) VALUES (1000, 'Old', 9);")
    schema = reflect_database(postgres_engine, tables=["city"])
    assert sorted(schema.keys) == ["city", "country"]
    SyntheticDataGenerator(seed=4).generate_related_data(
        schema, default_sample_size=5, db_url=postgres_engine, if_exists="replace"
    )
    assert scalar(postgres_engine, "SELECT count(*) FROM port") == 1
    assert scalar(postgres_engine, "SELECT count(*) FROM ONLY city") == 5


@pytest.fixture(scope="module")
def pagila(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    source = {s.id: s for s in published.SCHEMAS}["pagila-postgresql"]
    with published.loaded(source, tmp_path_factory.mktemp("pagila")) as engine:
        yield engine


def test_pagila_payment_is_filled_through_its_parent(pagila: Engine) -> None:
    schema = reflect_database(pagila)
    assert not [k for k in schema.keys if k.startswith("payment_p")]
    payment = schema.table("payment")
    assert payment.partitioning is not None
    assert len(payment.partitioning.partitions) == 7
    assert {fk.ref_table for fk in payment.foreign_keys} == {"customer", "rental", "staff"}
    generator = SyntheticDataGenerator(seed=5)
    # film.special_features (text[]) and film.fulltext (tsvector, set by a trigger) are not
    # generated by syda yet: NULL and an empty vector stand in.
    generator.register_generator("ARRAY", lambda row, column: None)
    generator.register_generator("TSVECTOR", lambda row, column: "")
    generator.generate_related_data(schema, default_sample_size=200, db_url=pagila)
    assert rows(
        pagila,
        "SELECT count(*), count(*) FILTER (WHERE p.customer_id <> r.customer_id), "
        "count(*) FILTER (WHERE p.payment_date < r.rental_date) "
        "FROM payment p JOIN rental r USING (rental_id)",
    ) == [(200, 0, 0)]
    assert main(["validate", "--db", url_of(pagila)]) == 0


def test_no_partition_bound_is_invented_where_the_catalog_has_none(tmp_path: Path) -> None:
    # SQLite has no partitions: reflection there is untouched.
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    run(engine, "CREATE TABLE t (id INTEGER PRIMARY KEY, at TIMESTAMP NOT NULL)")
    table = reflect_database(engine).table("t")
    assert (table.partitioning, table.inherits, table.checks) == (None, (), ())
