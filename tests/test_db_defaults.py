"""Column DEFAULTs: honoured as the common value, or left to the database (issue 10, part 6).

``rental_rate DECIMAL(4,2) DEFAULT 4.99`` holds 4.99 on most rows of a real table; a now()-like
DEFAULT stamps the moment of the write, never later than the reference day; with
``db_defaults=True`` (``--db-defaults``) the database fills those columns itself.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from syda import ConfigurationError, SchemaError, SyntheticDataGenerator
from syda.cli import main
from syda.database import reflect_database
from syda.generator import FIXED_REFERENCE_DATE

ROWS = 400

JSON_TYPE = {"sqlite": "JSON", "postgresql": "JSONB", "mysql": "JSON"}


def _run(engine: Engine, ddl: str) -> None:
    with engine.begin() as connection:
        for statement in ddl.split(";"):
            if statement.strip():
                connection.exec_driver_sql(statement)


def _fill(engine: Engine, rows: int = ROWS, **options: Any) -> dict[str, pd.DataFrame]:
    return SyntheticDataGenerator(seed=4).generate_related_data(
        reflect_database(engine), default_sample_size=rows, db_url=engine, **options
    )


def _read(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.exec_driver_sql(sql).fetchall()]


def _rental(engine: Engine) -> None:
    json = JSON_TYPE[engine.dialect.name]
    _run(
        engine,
        "CREATE TABLE rental_plan (id INTEGER PRIMARY KEY, "
        "rental_duration INT NOT NULL DEFAULT 3, "
        "rental_rate DECIMAL(4, 2) NOT NULL DEFAULT 4.99, "
        "channel VARCHAR(20) NOT NULL DEFAULT 'store', "
        "note VARCHAR(40) NOT NULL DEFAULT '', "
        f"attribs {json} NOT NULL DEFAULT ('{{}}'), "
        "created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
        "expires_at TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP, "
        "due_at TIMESTAMP NULL)",
    )


def test_a_constant_default_is_the_common_value(any_database: Engine) -> None:
    _rental(any_database)

    frame = _fill(any_database)["rental_plan"]

    shares = {
        "rental_duration": (frame["rental_duration"] == 3).mean(),
        "rental_rate": (frame["rental_rate"].astype(float) == 4.99).mean(),
        "channel": (frame["channel"] == "store").mean(),
        # MariaDB's JSON is text with a json_valid CHECK: the DEFAULT is the text '{}'.
        "attribs": frame["attribs"].map(lambda v: v in ({}, "{}")).mean(),
    }
    assert all(share >= 0.72 for share in shares.values()), shares
    # The rest are drawn as usual (MariaDB's json_valid CHECK, not known to be JSON, aside).
    assert all(shares[c] <= 0.95 for c in ("rental_duration", "rental_rate", "channel")), shares
    # An empty DEFAULT means "not given": generated rows give one.
    assert (frame["note"] == "").mean() < 0.05
    stored = _read(any_database, "SELECT count(*) FROM rental_plan WHERE rental_rate = 4.99")
    assert stored[0][0] == (frame["rental_rate"].astype(float) == 4.99).sum()


def test_a_now_default_is_never_after_the_reference_day(any_database: Engine) -> None:
    _rental(any_database)

    frame = _fill(any_database)["rental_plan"]

    end = pd.Timestamp(FIXED_REFERENCE_DATE) + pd.Timedelta(days=1)
    assert pd.to_datetime(frame["expires_at"]).max() < end
    assert pd.to_datetime(frame["created_at"]).max() < end
    # Without the DEFAULT, a column that names a future is drawn ahead of the reference day.
    assert pd.to_datetime(frame["due_at"]).max() > end


def test_the_profile_shows_and_checks_default_share(sqlite_engine: Engine) -> None:
    _rental(sqlite_engine)
    schema = reflect_database(sqlite_engine)
    gen = SyntheticDataGenerator(seed=4)

    columns = gen.profile(schema).tables["rental_plan"].columns

    assert columns["rental_rate"].default_share == 0.8
    assert columns["note"].default_share is None
    with pytest.raises(SchemaError, match=r"due_at: default_share needs a DEFAULT"):
        gen.profile(schema, {"rental_plan": {"due_at": {"default_share": 0.5}}})
    frame = gen.generate_related_data(
        schema,
        default_sample_size=200,
        profile={"rental_plan": {"rental_duration": {"default_share": 0}}},
    )["rental_plan"]
    assert (frame["rental_duration"] == 3).mean() < 0.5


def test_db_defaults_leaves_the_columns_to_the_database(any_database: Engine) -> None:
    _rental(any_database)
    _run(
        any_database,
        "CREATE TABLE ticket (id INTEGER PRIMARY KEY, code VARCHAR(12) NOT NULL UNIQUE "
        "DEFAULT 'T-0', priority INT NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 5), "
        "status VARCHAR(12) NOT NULL DEFAULT 'open')",
    )

    frames = _fill(any_database, 30, db_defaults=True)

    assert "created_at" not in frames["rental_plan"] and "channel" not in frames["rental_plan"]
    stored = _read(any_database, "SELECT DISTINCT channel, rental_rate FROM rental_plan")
    assert [(channel, float(rate)) for channel, rate in stored] == [("store", 4.99)]
    assert _read(any_database, "SELECT count(*) FROM rental_plan WHERE created_at IS NULL") == [
        (0,)
    ]
    # A unique column, and one a CHECK reads, are still generated; the rest is the database's.
    assert list(frames["ticket"].columns) == ["id", "code", "priority"]
    assert _read(any_database, "SELECT count(DISTINCT code), min(status) FROM ticket") == [
        (30, "open")
    ]


def test_db_defaults_needs_a_database(sqlite_engine: Engine, tmp_path: Any) -> None:
    _rental(sqlite_engine)
    schema = reflect_database(sqlite_engine)
    with pytest.raises(ConfigurationError, match=r"db_defaults=True .* give db_url"):
        SyntheticDataGenerator().generate_related_data(
            schema, output_dir=tmp_path, db_defaults=True
        )


def test_the_command_line_leaves_defaults_to_the_database(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _rental(sqlite_engine)
    url = sqlite_engine.url.render_as_string(hide_password=False)

    assert main(["generate", "--db", url, "--rows", "12", "--db-defaults", "--quiet"]) == 0

    assert _read(sqlite_engine, "SELECT count(*), count(DISTINCT rental_duration) FROM "
                 "rental_plan") == [(12, 1)]  # fmt: skip
    assert main(["generate", "--out", "x", "--db", url, "--db-defaults"]) == 2
    assert "--db-defaults apply to a --db target" in capsys.readouterr().err
