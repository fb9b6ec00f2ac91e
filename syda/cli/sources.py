"""What ``SOURCE`` means on the command line, and how it becomes a schema.

A source is one of:

* a YAML/JSON schema file (``schema.yaml``);
* a Python file of SQLAlchemy models (``path/to/models.py``), or an importable module
  (``myapp.models``), optionally with the attribute to use (``myapp.models:Base``);
* a database (``--db URL``, or its URL as SOURCE), reflected.

From a module, syda takes ``MODELS`` if it is defined, else the models and tables named in
``__all__``, else every declarative model class and ``Table`` in the module, else the tables of a
``MetaData`` found there.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlalchemy as sa

from syda.cli.pyfiles import exec_file
from syda.cli.urls import is_database_url
from syda.errors import SchemaError
from syda.schema import load_schema
from syda.schema.ir import Schema

__all__ = ["LoadedSource", "load_source", "models_from_module"]

_SCHEMA_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class LoadedSource:
    """A source read from the command line.

    Attributes:
        label: How to name the source in messages (a path, a module, a URL without password).
        obj: What to hand to the library (model classes, a ``MetaData``, a file path, or a
            reflected ``Schema``).
        schema: The schema IR read from ``obj``.
    """

    label: str
    obj: Any
    schema: Schema


def load_source(source: str | None, db_url: str | None, db_schema: str | None) -> LoadedSource:
    """Read ``SOURCE`` (or, without one, reflect the database at ``db_url``).

    Raises:
        SchemaError: If neither a source nor a database is given, or the source cannot be
            imported or read, or has schema problems.
        ConfigurationError: If ``db_url`` is not a database URL.
        OutputError: If the database cannot be reached or read.
    """
    if source is None:
        if db_url is None:
            raise SchemaError(["give a SOURCE (models file or module, YAML/JSON schema) or --db"])
        return reflect(db_url, db_schema)
    if is_database_url(source):
        return reflect(source, db_schema)
    if source.lower().endswith(_SCHEMA_SUFFIXES):
        return LoadedSource(source, source, load_schema(source))
    obj = import_models(source)
    return LoadedSource(source, obj, load_schema(obj))


def reflect(db_url: str, db_schema: str | None) -> LoadedSource:
    """Reflect the tables of a database into a schema.

    Raises:
        SchemaError: If the database has no tables (in ``db_schema``).
        ConfigurationError: If ``db_url`` is not a database URL.
        OutputError: If the database cannot be reached or read.
    """
    from syda.database import reflect_database
    from syda.database.connect import describe

    schema = reflect_database(db_url, db_schema=db_schema)
    return LoadedSource(describe(db_url), schema, schema)


def import_models(source: str) -> Any:
    """Import a models file or module and return what to read a schema from.

    Raises:
        SchemaError: If the file or module cannot be imported or holds no models.
    """
    module_name, _, attr = source.partition(":")
    # ``C:\\models.py`` is a path, not ``module:attribute``.
    if len(module_name) == 1 and attr[:1] in ("\\", "/"):
        module_name, attr = source, ""
    try:
        module = _import(module_name)
    except SchemaError:
        raise
    except Exception as exc:  # the user's module may raise anything while importing
        message = f"cannot import {module_name}: {type(exc).__name__}: {exc}"
        raise SchemaError([message]) from exc
    if attr:
        if not hasattr(module, attr):
            raise SchemaError([f"{module_name} has no attribute {attr!r}"])
        value = getattr(module, attr)
        metadata = getattr(value, "metadata", None)
        return metadata if isinstance(metadata, sa.MetaData) else value
    return models_from_module(module, label=module_name)


def _import(name: str) -> ModuleType:
    is_path = name.endswith(".py") or os.sep in name or "/" in name
    if not is_path:
        # As ``python -m`` does: modules of the current project are importable.
        if "" not in sys.path and os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        return importlib.import_module(name)
    path = Path(name).resolve()
    if not path.is_file():
        raise SchemaError([f"{name}: no such file"])
    module = exec_file(path, "_syda_models")
    if module is None:
        raise SchemaError([f"{name}: not a Python file syda can import"])
    return module


def _is_model(value: object) -> bool:
    return isinstance(value, type) and isinstance(getattr(value, "__table__", None), sa.Table)


def _schema_objects(values: Iterable[object]) -> list[Any]:
    """The models and tables among ``values``, each table once, in the order met."""
    found: list[Any] = []
    tables: set[sa.Table] = set()
    for value in values:
        if _is_model(value):
            table = value.__table__  # type: ignore[attr-defined]
            if table not in tables and value not in found:
                found.append(value)
                tables.add(table)
    for value in values:
        if isinstance(value, sa.Table) and value not in tables:
            found.append(value)
            tables.add(value)
    return found


def models_from_module(module: ModuleType, *, label: str) -> Any:
    """Pick the models of a module: ``MODELS``, else ``__all__``, else everything found.

    Raises:
        SchemaError: If the module holds no models, tables or ``MetaData`` with tables.
    """
    declared = getattr(module, "MODELS", None)
    if declared is not None:
        return declared
    names = getattr(module, "__all__", None)
    if names is not None:
        found = _schema_objects(getattr(module, n, None) for n in names)
        if found:
            return found
    found = _schema_objects(vars(module).values())
    if found:
        return found
    for value in vars(module).values():
        metadata = value if isinstance(value, sa.MetaData) else getattr(value, "metadata", None)
        if isinstance(metadata, sa.MetaData) and metadata.tables:
            return metadata
    raise SchemaError(
        [
            f"{label} defines no SQLAlchemy models, tables or MetaData: "
            "define MODELS = [...] in it, or name one with MODULE:ATTRIBUTE"
        ]
    )
