"""Regressions found in review of the hardening work (issue 7), each through the public API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from syda.database import database_status, reflect_database
from syda.validation import failing_rows


def test_a_sqlite_check_with_double_quoted_strings_loads_and_is_evaluated(tmp_path: Path) -> None:
    # SQLite reads a double-quoted word that names no column as a string: such a CHECK is valid
    # there (and common in older schemas), so reflecting the database must not refuse it.
    path = tmp_path / "legacy.db"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, "
            'status TEXT NOT NULL CHECK (status IN ("active", "inactive")))'
        )
        conn.execute('CREATE TABLE u (id INTEGER PRIMARY KEY, k TEXT CHECK ("u"."k" <> "x"))')
    url = f"sqlite:///{path}"
    assert database_status(None, url) == {"t": 0, "u": 0}
    assert [c.sqltext for c in reflect_database(url).table("u").checks] == ['"u"."k" <> \'x\'']
    table = reflect_database(url).table("t")
    rows = pd.DataFrame({"id": [1, 2, 3], "status": ["active", "gone", "inactive"]})
    broken = failing_rows(table, rows, table.checks)
    assert len(broken) == 1 and broken[0][1].tolist() == [False, True, False]
