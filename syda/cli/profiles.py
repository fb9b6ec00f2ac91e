"""``--profile FILE``: a profile file read and checked against the schema before anything runs.

The library's :func:`~syda.profile.load_profile` stops at the first layer that fails (a bad key
means the file never reaches the table and column names), so a user fixing a file would meet
its problems one run at a time. Here the names the file uses are checked against the schema
from the raw document too, and every problem is raised together: bad keys, wrong types,
unknown tables and columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from syda.errors import SchemaError
from syda.profile import Profile, load_profile
from syda.profile.spec import TableProfile
from syda.schema.files import read_schema_file
from syda.schema.ir import Schema
from syda.schema.limits import capped, shown, shown_names
from syda.suggest import did_you_mean

__all__ = ["ProfileFileError", "read_profile_file"]

_SUFFIXES = (".yaml", ".yml", ".json")
_TABLE_KEYS = frozenset(TableProfile.model_fields) - {"columns"}


class ProfileFileError(SchemaError):
    """The problems of one profile file (exit code 2, like a schema error)."""

    def __init__(self, problems: list[str], path: str) -> None:
        super().__init__(problems)
        self.subject = path
        """What the problems are in, for the message's first line."""


def read_profile_file(path: str, schema: Schema) -> Profile:
    """Read ``--profile FILE`` and check the tables and columns it names against ``schema``.

    Raises:
        ProfileFileError: Listing every problem of the file (unreadable, unknown keys, wrong
            types, tables or columns the schema lacks).
    """
    file = Path(path)
    if not path.lower().endswith(_SUFFIXES):
        raise ProfileFileError([f"--profile {path}: use a .yaml, .yml or .json file"], path)
    if not file.is_file():
        raise ProfileFileError([f"--profile {path}: no such file"], path)
    try:
        data, problems = read_schema_file(file)
    except SchemaError as error:
        raise ProfileFileError(list(error.problems), path) from None
    problems = [*problems, *_name_problems(data, schema, path)]
    try:
        profile = load_profile(file)
    except SchemaError as error:
        problems = [*error.problems, *problems]
    if problems:
        raise ProfileFileError(capped(list(dict.fromkeys(problems))), path)
    return profile


def _tables(data: Mapping[str, Any]) -> Mapping[Any, Any]:
    """The ``{table: ...}`` part of a profile in either form (as :func:`load_profile` reads it)."""
    if "tables" in data or "version" in data:
        tables = data.get("tables")
        return tables if isinstance(tables, Mapping) else {}
    return data


def _columns(value: object) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        return {}
    if set(value) & (_TABLE_KEYS | {"columns"}):
        columns = value.get("columns")
        return columns if isinstance(columns, Mapping) else {}
    return value


def _name_problems(data: Mapping[str, Any], schema: Schema, where: str) -> list[str]:
    problems: list[str] = []
    known = shown_names([t.key for t in schema], bare=True)
    for name, value in _tables(data).items():
        try:
            table = schema.table(name) if isinstance(name, str) else None
        except KeyError:
            table = None
        if table is None:
            hint = did_you_mean(name, [*schema.keys, *(t.name for t in schema)])
            problems.append(
                f"{where}: table {shown(name)} is not in the schema (tables: {known}){hint}"
            )
            continue
        names = [c.name for c in table.columns]
        for column in _columns(value):
            if not (isinstance(column, str) and table.has_column(column)):
                columns = shown_names(names, bare=True)
                problems.append(
                    f"{where}: {table.key} has no column {shown(column)} (columns: {columns})"
                    + did_you_mean(column, names)
                )
    return problems
