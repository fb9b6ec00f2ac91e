"""Schemas: every input (models, tables, dicts, YAML/JSON files) becomes one frozen IR.

:func:`load_schema` takes whatever the user has and hands it to the adapter for that kind of
input; each adapter ends with :func:`validate_schema`, so every ``Schema`` that leaves this
package has keys that exist and foreign keys whose two sides match.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa

from syda.errors import SchemaError
from syda.schema.checks import parse_check
from syda.schema.from_dict import from_dict, from_file
from syda.schema.from_sqlalchemy import from_metadata, from_sqlalchemy
from syda.schema.ir import (
    Check,
    Column,
    ColumnComparison,
    ColumnKind,
    ForeignKey,
    Schema,
    Table,
    UniqueConstraint,
)
from syda.schema.to_sqlalchemy import to_metadata
from syda.schema.validate import validate_schema

__all__ = [
    "Check",
    "Column",
    "ColumnComparison",
    "ColumnKind",
    "ForeignKey",
    "Schema",
    "Table",
    "UniqueConstraint",
    "from_dict",
    "from_file",
    "from_metadata",
    "from_sqlalchemy",
    "load_schema",
    "parse_check",
    "to_metadata",
    "validate_schema",
]


def load_schema(
    source: object, *, name: str | None = None, external_references: bool = False
) -> Schema:
    """Read any supported schema input into a :class:`Schema`.

    Args:
        source: A declarative model class, a ``Table``, a ``MetaData``, a list/tuple mixing
            model classes and tables, a dict (one table or several, see
            :mod:`syda.schema.from_dict`), a path (``str`` or ``Path``) to a ``.yaml``/``.yml``/
            ``.json`` file, or a ``Schema`` (checked and returned).
        name: The table key of a single-table dict (default ``"table"``) or file (default: the
            file's stem). Ignored for other inputs, whose tables name themselves.
        external_references: Keep foreign keys to tables that are not part of ``source`` (their
            parent rows come from elsewhere) instead of reporting them as problems.

    Returns:
        The schema, tables in the order given.

    Raises:
        SchemaError: If the input is not a schema syda can read, or has problems (all listed).
    """
    if isinstance(source, Schema):
        return validate_schema(source, external_references=external_references)
    if isinstance(source, (str, os.PathLike)):
        return from_file(Path(source), name=name, external_references=external_references)
    if isinstance(source, Mapping):
        return from_dict(source, name=name or "table", external_references=external_references)
    if isinstance(source, (sa.MetaData, sa.Table, type, list, tuple)):
        return from_sqlalchemy(source, external_references=external_references)
    raise SchemaError(
        [
            f"cannot read a schema from {type(source).__name__}: pass SQLAlchemy models or "
            "tables, a MetaData, a dict, or the path of a YAML/JSON file"
        ]
    )
