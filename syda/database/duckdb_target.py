"""DuckDB files as a source and a target: tables read from DuckDB's catalog, its limits named.

``duckdb:///file.duckdb`` URLs are served by the ``duckdb-engine`` SQLAlchemy dialect (the
``syda[duckdb]`` extra). Its reflection is PostgreSQL's, which asks DuckDB for catalog tables it
does not have (``pg_collation``, ``regclass``), so it cannot read a table. DuckDB describes its
tables itself: ``duckdb_columns()`` (types, NOT NULL, defaults, generated columns, comments),
``duckdb_constraints()`` (primary, unique, foreign keys and CHECKs with their expressions) and
``duckdb_indexes()`` (unique indexes). :func:`reflect_metadata` builds the ``Table`` objects from
them, so the rest of syda reads a DuckDB file like any database; on every other database it is
``MetaData.reflect``.

DuckDB checks a foreign key as each statement ends, against the rows of earlier statements, and
never lets a transaction delete a row that another row pointed at when it began (its documented
foreign key limitations). So rows are inserted one statement per row
(:func:`~syda.database.inserts.insert_rows`), and :func:`refuse_deletes` stops a ``replace``
that DuckDB would refuse halfway, before anything is written.

Types map by DuckDB's names (``DECIMAL(8,2)``, ``TIMESTAMP WITH TIME ZONE``, ``ENUM('a', 'b')``,
``VARCHAR[]``); a type with no generic SQLAlchemy equivalent (``STRUCT``, ``MAP``) keeps its name,
for the "register a generator" error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeEngine, UserDefinedType

from syda.errors import OutputError

__all__ = ["duckdb_type", "for_duckdb", "foreign_keys", "reflect_metadata", "refuse_deletes"]

_WHERE = "database_name = current_database() AND schema_name = :schema"
_TABLES = sa.text(
    f"SELECT table_name, comment FROM duckdb_tables() WHERE {_WHERE} "
    "AND NOT internal AND NOT temporary ORDER BY table_name"
)
_COLUMNS = sa.text(
    "SELECT table_name, column_name, data_type, is_nullable, column_default, comment, "
    "numeric_precision, numeric_scale, is_generated, generation_expression "
    f"FROM duckdb_columns() WHERE {_WHERE} ORDER BY table_name, column_index"
)
_CONSTRAINTS = sa.text(
    "SELECT table_name, constraint_type, constraint_name, constraint_column_names, expression, "
    f"referenced_table, referenced_column_names FROM duckdb_constraints() WHERE {_WHERE} "
    "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK') "
    "ORDER BY constraint_index"
)
_INDEXES = sa.text(
    f"SELECT table_name, index_name, expressions FROM duckdb_indexes() WHERE {_WHERE} "
    "AND is_unique AND NOT is_primary"
)
_IDENTIFIER = re.compile(r'"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)')


class _Named(UserDefinedType[Any]):
    """A DuckDB type syda has no generic type for, kept by its name."""

    cache_ok = True

    def __init__(self, name: str) -> None:
        self.name = name

    def get_col_spec(self, **_: Any) -> str:
        return self.name


_TYPES: tuple[tuple[str, Callable[[], TypeEngine[Any]]], ...] = (
    ("INTEGER INT INT4 SIGNED UINTEGER", sa.Integer),
    ("BIGINT INT8 LONG UBIGINT HUGEINT UHUGEINT", sa.BigInteger),
    ("SMALLINT INT2 SHORT USMALLINT TINYINT UTINYINT", sa.SmallInteger),
    ("DOUBLE FLOAT8 FLOAT FLOAT4 REAL", sa.Float),
    ("VARCHAR TEXT STRING CHAR BPCHAR", sa.String),
    ("BOOLEAN BOOL LOGICAL", sa.Boolean),
    ("DATE", sa.Date),
    ("TIMESTAMP DATETIME TIMESTAMP_S TIMESTAMP_MS TIMESTAMP_NS", sa.DateTime),
    ("TIMESTAMPTZ", lambda: sa.DateTime(timezone=True)),
    ("TIME", sa.Time),
    ("UUID", sa.Uuid),
    ("BLOB BYTEA BINARY VARBINARY", sa.LargeBinary),
    ("JSON", sa.JSON),
    ("INTERVAL", sa.Interval),
)
_SIMPLE = {name: made for names, made in _TYPES for name in names.split()}
_SIMPLE["TIMESTAMP WITH TIME ZONE"] = _SIMPLE["TIMESTAMPTZ"]
"""DuckDB type names (as ``duckdb_columns()`` writes them) and their SQLAlchemy types."""


def reflect_metadata(
    conn: sa.Connection, metadata: sa.MetaData, schema: str | None, only: Sequence[str] | None
) -> None:
    """Reflect the tables of ``schema`` (``only`` these, and what their keys point at).

    DuckDB's catalog on DuckDB, ``MetaData.reflect`` elsewhere.
    """
    if conn.dialect.name != "duckdb":
        metadata.reflect(conn, schema=schema, only=list(only) if only is not None else None)
        return
    namespace = schema or str(conn.execute(sa.text("SELECT current_schema()")).scalar_one())
    params = {"schema": namespace}
    comments: dict[str, str | None] = dict(conn.execute(_TABLES, params).all())
    constraints = conn.execute(_CONSTRAINTS, params).all()
    wanted = _with_parents(list(comments) if only is None else list(only), constraints)
    columns: dict[str, list[sa.Column[Any]]] = {}
    for row in conn.execute(_COLUMNS, params):
        if row[0] in wanted:
            columns.setdefault(str(row[0]), []).append(_column(*row[1:]))
    items: dict[str, list[Any]] = {name: [] for name in wanted}
    for table, kind, name, cols, expression, ref_table, ref_cols in constraints:
        if table in items:
            items[table].append(
                _constraint(kind, name, list(cols), expression, ref_table, list(ref_cols), schema)
            )
    for table, name, expressions in conn.execute(_INDEXES, params):
        index_columns = _plain_columns(str(expressions))
        if table in items and index_columns:
            items[table].append(sa.Index(name, *index_columns, unique=True))
    for name in wanted:
        if name in columns and name not in metadata.tables:
            sa.Table(
                name,
                metadata,
                *columns[name],
                *items[name],
                schema=schema,
                comment=comments.get(name),
            )


def foreign_keys(
    conn: sa.Connection, schema: str | None
) -> dict[tuple[str | None, str], list[dict[str, Any]]]:
    """Every foreign key of ``schema``'s tables, shaped as ``get_multi_foreign_keys`` returns."""
    namespace = schema or str(conn.execute(sa.text("SELECT current_schema()")).scalar_one())
    found: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
    for table, kind, name, cols, _, ref_table, ref_cols in conn.execute(
        _CONSTRAINTS, {"schema": namespace}
    ):
        if kind == "FOREIGN KEY":
            found.setdefault((schema, str(table)), []).append(
                {
                    "name": name,
                    "constrained_columns": list(cols),
                    "referred_schema": schema,
                    "referred_table": ref_table,
                    "referred_columns": list(ref_cols),
                }
            )
    return found


def _with_parents(names: list[str], constraints: Sequence[Any]) -> list[str]:
    parents: dict[str, set[str]] = {}
    for table, kind, *_, ref_table, _ in constraints:
        if kind == "FOREIGN KEY":
            parents.setdefault(table, set()).add(ref_table)
    wanted = list(dict.fromkeys(names))
    for name in wanted:  # grows while it is read: parents of parents too
        wanted.extend(p for p in sorted(parents.get(name, ())) if p not in wanted)
    return wanted


def _column(
    name: str,
    data_type: str,
    nullable: bool,
    default: str | None,
    comment: str | None,
    precision: int | None,
    scale: int | None,
    generated: bool,
    expression: str | None,
) -> sa.Column[Any]:
    extra: list[Any] = [sa.Computed(expression)] if generated and expression else []
    return sa.Column(
        name,
        duckdb_type(data_type, precision, scale),
        *extra,
        nullable=nullable,
        server_default=sa.text(default) if default and not generated else None,
        comment=comment,
    )


def duckdb_type(data_type: str, precision: int | None = None, scale: int | None = None) -> Any:
    """The SQLAlchemy type of a DuckDB type name."""
    text = data_type.strip()
    upper = text.upper()
    if upper.endswith("[]"):
        return sa.ARRAY(duckdb_type(text[:-2]))
    if upper.startswith(("DECIMAL", "NUMERIC")):
        return sa.Numeric(precision, scale)
    if upper.startswith("ENUM("):
        labels = [v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", text)]
        return sa.Enum(*labels, native_enum=False, create_constraint=False)
    made = _SIMPLE.get(re.sub(r"\(.*\)$", "", upper).strip())
    return made() if made is not None else _Named(text)


def _constraint(
    kind: str,
    name: str | None,
    columns: list[str],
    expression: str | None,
    ref_table: str | None,
    ref_columns: list[str],
    schema: str | None,
) -> Any:
    if kind == "PRIMARY KEY":
        return sa.PrimaryKeyConstraint(*columns, name=name)
    if kind == "UNIQUE":
        return sa.UniqueConstraint(*columns, name=name)
    if kind == "CHECK":
        return sa.CheckConstraint(str(expression), name=name)
    prefix = f"{schema}.{ref_table}" if schema else str(ref_table)
    return sa.ForeignKeyConstraint(columns, [f"{prefix}.{c}" for c in ref_columns], name=name)


def _plain_columns(expressions: str) -> list[str]:
    """The columns of a unique index written ``[a, "b c"]``; empty if one is an expression."""
    parts = [p.strip() for p in expressions.strip().strip("[]").split(",") if p.strip()]
    names = []
    for part in parts:
        match = _IDENTIFIER.fullmatch(part)
        if match is None:
            return []
        names.append(match.group(1).replace('""', '"') if match.group(1) else match.group(2))
    return names


def refuse_deletes(conn: sa.Connection, emptied: Sequence[sa.Table]) -> None:
    """Refuse to empty, in one DuckDB transaction, rows that rows of ``emptied`` point at.

    Raises:
        OutputError: If a table of ``emptied`` has rows and a foreign key into one of them.
    """
    if conn.dialect.name != "duckdb":
        return
    inside = set(emptied)
    for child in emptied:
        targets = [f.referred_table for f in child.foreign_key_constraints]
        parents = sorted({t.name for t in targets if t in inside})
        if not parents:
            continue
        if conn.execute(sa.select(sa.func.count()).select_from(child)).scalar_one():
            raise OutputError(
                f"cannot replace the rows of {', '.join(parents)} in DuckDB: rows of "
                f"{child.name} point at them, and DuckDB never deletes such rows inside one "
                "transaction (its foreign key limitations). Empty the tables first (children "
                "first, one statement each), then use append",
                table=child.name,
            )


def for_duckdb(metadata: sa.MetaData) -> None:
    """Tables syda creates, in the DDL DuckDB reads.

    The dialect writes PostgreSQL's ``SERIAL`` for an integer key, a type DuckDB lacks (syda
    numbers keys itself), and DuckDB has neither deferrable constraints nor ALTER TABLE ... ADD
    FOREIGN KEY, so every key is written inline.
    """
    for table in metadata.tables.values():
        for column in table.columns:
            column.autoincrement = False
        for fkc in table.foreign_key_constraints:
            fkc.deferrable = fkc.initially = None
            fkc.use_alter = False
