"""Reflection passes on no warning of SQLAlchemy's own about the database it reads (issue 10)."""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy.engine import Engine

from syda.database import count_rows, reflect_database


@pytest.mark.postgres
def test_an_index_sorting_a_domain_column_reflects_without_a_warning(
    postgres_engine: Engine,
) -> None:
    # icingadb's PostgreSQL schema: SQLAlchemy 2.1 warns that its DOMAIN type has no operator
    # classes while it reflects such an index, a note no user of syda can act on.
    with postgres_engine.begin() as connection:
        connection.exec_driver_sql("create domain code as varchar(8)")
        connection.exec_driver_sql("create table h(id int primary key, c code not null)")
        connection.exec_driver_sql("create index h_c on h(c desc)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        schema = reflect_database(postgres_engine)
        counts = count_rows(schema, postgres_engine)  # the writer's own reflection
    assert counts == {"h": 0}
    assert [str(w.message) for w in caught] == []
