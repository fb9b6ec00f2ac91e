"""Every MySQL/MariaDB type family is generated, and MariaDB (strict mode) accepts every value.

One table per family, created in a fresh database, reflected, filled with
``generate_related_data(..., db_url=engine)`` and read back with SQL: the row count is exact and
the values look right. Integer keys follow their type: a ``TINYINT UNSIGNED`` key numbers 255
rows, and asking for more is a PlanError before anything is written.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.cli import main
from syda.database import reflect_database
from syda.errors import PlanError

pytestmark = pytest.mark.mariadb

ROWS = 200


def fill(engine: Engine, ddl: str, rows: int = ROWS) -> dict[str, Any]:
    """Create the tables, fill them through syda with the database as judge; the frames."""
    with engine.begin() as connection:
        for statement in ddl.split(";\n"):
            if statement.strip():
                connection.exec_driver_sql(statement)
    schema = reflect_database(engine)
    frames = SyntheticDataGenerator(seed=3).generate_related_data(
        schema, default_sample_size=rows, db_url=engine
    )
    with engine.connect() as connection:
        for table in schema:
            count = connection.execute(sa.text(f"SELECT count(*) FROM `{table.name}`")).scalar()
            assert count == rows == len(frames[table.key])
    # What syda reads back of its own rows passes its own validation.
    assert main(["validate", "--db", engine.url.render_as_string(hide_password=False), "-q"]) == 0
    return frames


def query(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(sa.text(sql)).all())


def scalar(engine: Engine, sql: str) -> Any:
    with engine.connect() as connection:
        return connection.execute(sa.text(sql)).scalar()


def test_enum_set_year_and_json(mariadb_engine: Engine) -> None:
    fill(
        mariadb_engine,
        """CREATE TABLE films (
            id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
            rating ENUM('G', 'PG', 'PG-13', 'R', 'NC-17') NOT NULL,
            special_features SET('Trailers', 'Commentaries', 'Deleted Scenes') NOT NULL,
            release_year YEAR,
            settings JSON NOT NULL
        )""",
    )
    ratings = {r for (r,) in query(mariadb_engine, "SELECT DISTINCT rating FROM films")}
    assert ratings == {"G", "PG", "PG-13", "R", "NC-17"}
    features = [f for (f,) in query(mariadb_engine, "SELECT special_features FROM films")]
    assert all(f for f in features)  # a SET value names one or more members
    assert len(set(features)) > 3
    years = [y for (y,) in query(mariadb_engine, "SELECT release_year FROM films") if y]
    assert years and 1901 <= min(years) and max(years) <= 2155
    documents = [json.loads(s) for (s,) in query(mariadb_engine, "SELECT settings FROM films")]
    assert all(isinstance(d, dict) and "theme" in d for d in documents)


def test_integer_widths_signs_flags_and_bits(mariadb_engine: Engine) -> None:
    fill(
        mariadb_engine,
        """CREATE TABLE counters (
            id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
            privacy TINYINT NOT NULL, level TINYINT UNSIGNED NOT NULL,
            is_active TINYINT(1) NOT NULL, verified BOOLEAN,
            pinned_position TINYINT(1) UNSIGNED,
            stock SMALLINT NOT NULL, views SMALLINT UNSIGNED, reach MEDIUMINT,
            visits MEDIUMINT UNSIGNED, total INT UNSIGNED, file_size BIGINT UNSIGNED,
            balance DECIMAL(8, 2) UNSIGNED, enabled BIT(1), permissions BIT(6)
        )""",
    )
    low, high = query(mariadb_engine, "SELECT min(privacy), max(privacy) FROM counters")[0]
    assert -128 <= low and high <= 127
    assert {v for (v,) in query(mariadb_engine, "SELECT DISTINCT is_active FROM counters")} == {
        0,
        1,
    }
    assert scalar(mariadb_engine, "SELECT max(permissions + 0) FROM counters") < 64
    assert scalar(mariadb_engine, "SELECT min(balance) FROM counters") >= 0
    assert scalar(mariadb_engine, "SELECT max(level) FROM counters") <= 255


def test_spatial_types_as_wkt(mariadb_engine: Engine) -> None:
    fill(
        mariadb_engine,
        """CREATE TABLE places (
            id INT AUTO_INCREMENT PRIMARY KEY, location POINT NOT NULL, shape GEOMETRY,
            route LINESTRING, area POLYGON, stops MULTIPOINT, roads MULTILINESTRING,
            parcels MULTIPOLYGON, mixed GEOMETRYCOLLECTION
        )""",
    )
    kinds = query(
        mariadb_engine,
        "SELECT DISTINCT ST_GeometryType(location), ST_GeometryType(route), "
        "ST_GeometryType(area), ST_GeometryType(parcels) FROM places "
        "WHERE route IS NOT NULL AND area IS NOT NULL AND parcels IS NOT NULL",
    )
    assert kinds == [("POINT", "LINESTRING", "POLYGON", "MULTIPOLYGON")]
    closed = "SELECT min(ST_IsClosed(ST_ExteriorRing(area))) FROM places WHERE area IS NOT NULL"
    assert scalar(mariadb_engine, closed) == 1
    assert scalar(mariadb_engine, "SELECT min(ST_Area(area)) FROM places") > 0
    assert scalar(mariadb_engine, "SELECT max(abs(ST_X(location))) FROM places") <= 90


def test_addresses_uuids_and_binary(mariadb_engine: Engine) -> None:
    fill(
        mariadb_engine,
        """CREATE TABLE devices (
            id UUID PRIMARY KEY, ip_v4 INET4 NOT NULL, ip_v6 INET6, serial BINARY(4),
            token VARBINARY(10) NOT NULL, photo BLOB
        )""",
    )
    v4 = [str(ip) for (ip,) in query(mariadb_engine, "SELECT ip_v4 FROM devices")]
    assert all(re.fullmatch(r"\d+\.\d+\.\d+\.\d+", ip) for ip in v4)
    assert scalar(mariadb_engine, "SELECT max(length(token)) FROM devices") <= 10
    assert scalar(mariadb_engine, "SELECT count(DISTINCT id) FROM devices") == ROWS


def test_a_key_numbers_only_what_its_type_holds(mariadb_engine: Engine) -> None:
    with mariadb_engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE codes (id TINYINT UNSIGNED PRIMARY KEY, label VARCHAR(20))"
        )
        connection.exec_driver_sql(
            "CREATE TABLE uses (id SMALLINT AUTO_INCREMENT PRIMARY KEY, "
            "code_id TINYINT UNSIGNED NOT NULL REFERENCES codes (id))"
        )
    schema = reflect_database(mariadb_engine)
    generator = SyntheticDataGenerator(seed=1)
    with pytest.raises(PlanError) as caught:
        generator.generate_related_data(
            schema, sample_sizes={"codes": 256, "uses": 10}, db_url=mariadb_engine
        )
    assert "codes.id" in str(caught.value) and "at most 255" in str(caught.value)
    assert scalar(mariadb_engine, "SELECT count(*) FROM codes") == 0
    with pytest.raises(PlanError, match=r"uses\.id.*at most 32,767 rows, not 40,000"):
        generator.generate_related_data(schema, sample_sizes={"codes": 5, "uses": 40_000})
    generator.generate_related_data(
        schema, sample_sizes={"codes": 255, "uses": 300}, db_url=mariadb_engine
    )
    assert scalar(mariadb_engine, "SELECT max(id) FROM codes") == 255
