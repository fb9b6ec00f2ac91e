"""Appending to a database: new keys are drawn to avoid the ones already there (issue 10).

Each case creates its table in a real database, fills it, then appends to it; the database's own
PRIMARY KEY and UNIQUE constraints are the judge of the second run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syda import SyntheticDataGenerator
from syda.database import read_tables, reflect_database
from syda.errors import PlanError
from tests.support import databases, published

ROWS = 20

# Natural keys of every shape: text, CHAR (which PostgreSQL reads back padded), composite.
NATURAL_KEYS = {
    "text": "create table t(code varchar(10) primary key, name varchar(40), n int, unique(name))",
    "char": "create table t(code char(4) primary key, name varchar(40) not null)",
    "composite char": (
        "create table t(a char(64) not null, b char(64) not null, n int, primary key(a, b))"
    ),
    "composite text": (
        "create table t(country varchar(20) not null, city varchar(40) not null, "
        "n int, primary key(country, city), unique(n))"
    ),
}


def _create(engine: Engine, *statements: str) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def _fill(engine: Engine, mode: str, rows: int = ROWS, **options: object) -> None:
    SyntheticDataGenerator(seed=0).generate_related_data(
        reflect_database(engine),
        default_sample_size=rows,
        db_url=engine,
        if_exists=mode,
        **options,  # type: ignore[arg-type]
    )


def _stored(engine: Engine, table: str) -> pd.DataFrame:
    return read_tables(reflect_database(engine), engine)[table]


@pytest.mark.parametrize("ddl", NATURAL_KEYS.values(), ids=NATURAL_KEYS.keys())
def test_an_append_draws_keys_the_existing_rows_do_not_hold(any_database: Engine, ddl: str) -> None:
    _create(any_database, ddl)
    _fill(any_database, "fail")
    _fill(any_database, "append")  # the database refuses a repeated key
    rows = _stored(any_database, "t")
    assert len(rows) == 2 * ROWS
    key = reflect_database(any_database).table("t").primary_key
    stripped = rows[list(key)].apply(lambda c: c.str.rstrip(" "))
    assert not stripped.duplicated().any()


def test_the_cli_appends_to_a_natural_text_key(tmp_path: Path) -> None:
    # The case as a user met it: a second run of the same command (the same seed) appended.
    engine = databases.sqlite_engine(tmp_path / "t.db")
    _create(engine, "create table t(code varchar(10) primary key, name text)")
    url = published.url_of(engine)
    for extra in ((), ("--if-exists", "append"), ("--if-exists", "append")):
        run = published.run_cli("generate", "--db", url, "--rows", ROWS, "-q", *extra)
        assert run.code == 0, run.err
    codes = _stored(engine, "t")["code"]
    assert len(codes) == 3 * ROWS and codes.is_unique
    # Codes number on from the existing rows instead of getting a suffix.
    assert codes.str.len().max() <= 10 and not codes.str.contains(" ").any()
    assert published.run_cli("validate", "--db", url, "-q").code == 0
    engine.dispose()


LINK = (
    "create table u(id integer primary key)",
    "create table r(user_id int not null references u(id), role varchar(1) not null "
    "check(role in ('a','b','c')), primary key(user_id, role))",
)


def test_a_key_over_a_foreign_key_and_a_vocabulary_takes_distinct_pairs(
    any_database: Engine,
) -> None:
    _create(any_database, *LINK)
    _fill(any_database, "fail", rows=150)  # 150 users x 3 roles: room for 450
    _fill(any_database, "append", sample_sizes={"u": 0, "r": 299})
    rows = _stored(any_database, "r")
    assert len(rows) == 449 and not rows.duplicated().any()
    assert set(rows["role"]) == {"a", "b", "c"}


def test_too_few_pairs_is_a_plan_error_before_anything_is_drawn(sqlite_engine: Engine) -> None:
    _create(sqlite_engine, *LINK)
    with pytest.raises(PlanError) as raised:
        _fill(sqlite_engine, "fail", sample_sizes={"u": 10, "r": 31})
    assert raised.value.table == "r"
    assert "31 rows need distinct (user_id, role), but only 10 u rows x 3 role values = 30" in str(
        raised.value
    )
    with sqlite_engine.connect() as connection:
        assert connection.execute(sa.text("select count(*) from u")).scalar_one() == 0


def test_an_append_past_the_pairs_left_says_how_many_are_left(sqlite_engine: Engine) -> None:
    _create(sqlite_engine, *LINK)
    _fill(sqlite_engine, "fail", sample_sizes={"u": 10, "r": 25})
    with pytest.raises(PlanError, match="the existing rows leave only 5 of the 10 u rows x 3"):
        _fill(sqlite_engine, "append", sample_sizes={"u": 0, "r": 6})
    _fill(sqlite_engine, "append", sample_sizes={"u": 0, "r": 5})
    assert len(_stored(sqlite_engine, "r")) == 30


def test_a_cardinality_gives_each_parent_distinct_values(sqlite_engine: Engine) -> None:
    _create(sqlite_engine, *LINK)
    _fill(sqlite_engine, "fail", sample_sizes={"u": 10, "r": 30}, cardinality={"r.user_id": 3})
    rows = _stored(sqlite_engine, "r")
    assert (rows.groupby("user_id")["role"].nunique() == 3).all() and len(rows) == 30
    with pytest.raises(PlanError, match=r"a parent has 4 rows but .*only 3 distinct"):
        _fill(sqlite_engine, "replace", sample_sizes={"u": 10}, cardinality={"r.user_id": 4})


def test_a_boolean_in_a_key_with_a_foreign_key_takes_both_values_at_most(
    sqlite_engine: Engine,
) -> None:
    _create(
        sqlite_engine,
        "create table u(id integer primary key)",
        "create table a(user_id int not null references u(id), is_home boolean not null, "
        "street varchar(40), unique(user_id, is_home))",
    )
    _fill(sqlite_engine, "fail", sample_sizes={"u": 100, "a": 190})
    rows = _stored(sqlite_engine, "a")
    assert len(rows) == 190 and rows.groupby("user_id").size().max() <= 2
    assert not rows[["user_id", "is_home"]].duplicated().any()


TIED = (
    "create table entity(id integer primary key)",
    "create table users(id integer primary key, entity_id int not null references entity(id))",
    "create table {name}(entity_id int not null references entity(id), user_id int not null "
    "references users(id), role varchar(8) not null check(role in ('read','update','delete')), "
    "primary key(entity_id, user_id, role))",
)


@pytest.mark.parametrize("name", ["membership", "user_permission"])
def test_a_key_holding_a_key_tied_to_another_is_distinct_over_the_rest(
    sqlite_engine: Engine, name: str
) -> None:
    # In "membership" entity_id follows the user's (two paths to entity agree), so only
    # (user_id, role) is drawn distinct; a permission's grantee is anyone (Guacamole's tables).
    _create(sqlite_engine, *(s.format(name=name) for s in TIED))
    _fill(sqlite_engine, "fail", sample_sizes={"entity": 100, "users": 100, name: 290})
    rows = _stored(sqlite_engine, name)
    users = _stored(sqlite_engine, "users").set_index("id")["entity_id"]
    own = rows["entity_id"].eq(rows["user_id"].map(users))
    assert len(rows) == 290 and not rows.duplicated().any()
    assert own.all() if name == "membership" else own.mean() < 0.1


def test_an_append_draws_binary_keys_again(any_database: Engine) -> None:
    # writefreely's accesstokens.token: a byte string takes no suffix, it is drawn again; and
    # icingadb's BINARY(20) ids, which MariaDB pads with zero bytes.
    binary = {"postgresql": "bytea", "sqlite": "blob"}.get(any_database.dialect.name, "binary(20)")
    _create(any_database, f"create table t(token {binary} primary key, n int)")
    _fill(any_database, "fail")
    _fill(any_database, "append")
    tokens = _stored(any_database, "t")["token"].map(bytes)
    assert len(tokens) == 2 * ROWS and tokens.is_unique


def test_an_append_counts_the_keys_a_full_key_type_holds(
    sqlite_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    # piwigo's TINYINT site ids, as a CHECK bounds them in SQLite: 12 of 15 ids are taken.
    _create(
        sqlite_engine,
        "create table site(id integer primary key check (id between 1 and 15), name text)",
        "create table album(id integer primary key, site_id int not null references site(id))",
    )
    _fill(sqlite_engine, "fail", rows=12)
    with pytest.raises(PlanError, match=r"numbers 3 more rows after the 12 in the table, not 4"):
        _fill(sqlite_engine, "append", sample_sizes={"site": 4, "album": 4})
    with caplog.at_level("WARNING", logger="syda"):
        _fill(sqlite_engine, "append", rows=12)  # no count asked by name: what is left
    assert "site: 3 new rows, not 12: id INTEGER (1..15) numbers 3 more rows" in caplog.text
    assert sorted(_stored(sqlite_engine, "site")["id"]) == list(range(1, 16))
    _fill(sqlite_engine, "append", rows=12)  # a full key: no new site, new albums use the old
    assert len(_stored(sqlite_engine, "site")) == 15
    assert len(_stored(sqlite_engine, "album")) == 36


def test_an_append_to_a_history_numbers_the_next_version(any_database: Engine) -> None:
    # OpenStreetMap's relations: two drawn integers as the key. After a first run most small
    # (relation_id, version) tuples are taken; a new row of a taken one is its next version.
    _create(
        any_database,
        "create table relations(relation_id bigint not null, version bigint not null, "
        "visible boolean not null, primary key (relation_id, version))",
    )
    _fill(any_database, "fail", rows=200)
    first = _stored(any_database, "relations")
    _fill(any_database, "append", rows=200)
    rows = _stored(any_database, "relations")
    assert len(rows) == 400 and not rows.duplicated(["relation_id", "version"]).any()
    kept = first.merge(rows, on=["relation_id", "version"], how="left", indicator=True)
    assert (kept["_merge"] == "both").all()  # the first run's rows are as they were
    # Versions stay believable: low versions most common, none far beyond the drawn ones.
    versions = rows["version"]
    assert versions.median() <= 4 and versions.max() <= first["version"].max() + 20
