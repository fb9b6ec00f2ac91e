"""The SQLAlchemy adapter: declarative models, ``Table`` objects and ``MetaData`` become the IR.

Read once, here, and never again downstream (the sqlacodegen way): model docstrings, table and
column comments, types (mapped to a logical kind through the generic SQLAlchemy types, then the
type's ``impl``, then ``as_generic()``), keys, unique constraints and indexes, foreign keys and
CHECK constraints (folded into column facts by :mod:`syda.schema.checks`).

Rules worth knowing:

* Table keys are the model class name for declarative classes, else the table name, or
  ``"schema.name"`` when two given tables share a name.
* A column that is unique on its own (a one-column primary key, ``unique=True``, a one-column
  ``UniqueConstraint`` or unique ``Index``) gets ``Column.unique``; only multi-column sets become
  ``Table.unique_constraints``. So ``Table.unique_sets`` lists every set exactly once.
* ``Enum`` columns are strings whose choices are ``Enum.enums``: the strings SQLAlchemy stores,
  which are the member *names* of a Python enum unless ``values_callable`` says otherwise.
* ``Computed`` columns are ``generated`` (the database fills them). ``Identity`` columns are keys
  syda numbers itself (``autoincrement``), since other tables must be able to refer to them; a
  ``GENERATED ALWAYS`` identity that is no key is ``generated`` too (see
  :func:`~syda.schema.column_db.leave_identities_to_database`).
* Primary-key columns are never nullable, whatever the source says. Partial and expression
  unique indexes are :class:`~syda.schema.ir.UniqueIndex` rules, not unique column sets.
* ``Column.info["syda"]`` may override what the type cannot say: a mapping with any of ``kind``,
  ``semantic``, ``pattern``, ``minimum``, ``maximum``, ``choices``, ``generated``,
  ``has_default``; ``Table.info["syda"]["key"]`` sets a table's key. :mod:`to_sqlalchemy` writes
  both, so a schema survives the trip through ``MetaData``.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Iterable, Mapping
from typing import Any, cast, get_args

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import DOMAIN
from sqlalchemy.types import TypeEngine

from syda.errors import SchemaError
from syda.profile.spec import ColumnProfile
from syda.schema.checks import fold_checks
from syda.schema.column_db import database_facts, leave_identities_to_database
from syda.schema.dbtypes import integer_range, read_type
from syda.schema.ir import Column, ColumnKind, ForeignKey, Schema, Table, UniqueConstraint
from syda.schema.unique_indexes import is_plain_unique, unique_indexes
from syda.schema.validate import schema_problems

__all__ = ["DERIVED_CHECK", "SYDA_INFO_KEY", "from_metadata", "from_sqlalchemy"]

SYDA_INFO_KEY = "syda"
"""The ``info`` key of a column (overrides) or a check (marks it as derived) that syda reads."""
DERIVED_CHECK = "derived"
"""``CheckConstraint.info["syda"]`` of checks written from column facts; they are not re-read."""

_OVERRIDES = frozenset(
    {"kind", "semantic", "pattern", "minimum", "maximum", "choices", "generated", "has_default"}
)
# Profile keys (how values are drawn) are read by :mod:`syda.profile`, not folded into facts.
_PROFILE_KEYS = frozenset(ColumnProfile.model_fields)
_KINDS = frozenset(get_args(ColumnKind))


@dataclasses.dataclass
class _Entry:
    table: sa.Table
    model: type | None


def from_sqlalchemy(source: object, *, external_references: bool = False) -> Schema:
    """Read SQLAlchemy models and tables into a :class:`Schema`.

    Args:
        source: A declarative model class (2.0 ``DeclarativeBase`` or legacy
            ``declarative_base()``), a ``Table``, a ``MetaData`` (e.g. filled by
            ``MetaData.reflect(engine)``), or a list/tuple mixing these. Tables keep this order.
        external_references: Keep foreign keys to tables that are not given (their parents come
            from elsewhere) instead of reporting them as problems.

    Returns:
        The schema, checked as :func:`~syda.schema.validate.validate_schema` does.

    Raises:
        SchemaError: Listing every problem: inputs that are not SQLAlchemy objects, foreign keys
            to tables that are not given, checks that leave a column no valid value, ...
    """
    problems: list[str] = []
    entries = _collect(source, problems)
    keys = _keys(entries, problems)
    schema = Schema(tuple(_read_table(e, keys, problems, external_references) for e in entries))
    schema = leave_identities_to_database(schema)
    problems.extend(schema_problems(schema, external_references=external_references))
    if problems:
        raise SchemaError(list(dict.fromkeys(problems)))
    return schema


def from_metadata(metadata: sa.MetaData, *, external_references: bool = False) -> Schema:
    """Read every table of ``metadata``, in the order they were added.

    Raises:
        SchemaError: Listing every problem found.
    """
    return from_sqlalchemy(metadata, external_references=external_references)


def _collect(source: object, problems: list[str]) -> list[_Entry]:
    entries: dict[sa.Table, _Entry] = {}

    def add(table: sa.Table, model: type | None) -> None:
        known = entries.get(table)
        if known is None:
            entries[table] = _Entry(table, model)
        elif known.model is None:
            known.model = model  # the model names the table better than its Table object

    def visit(item: object) -> None:
        if isinstance(item, sa.MetaData):
            for table in item.tables.values():
                add(table, None)
        elif isinstance(item, sa.Table):
            add(item, None)
        elif isinstance(item, type) and _is_mapped(item):
            local = getattr(sa.inspect(item), "local_table", None)
            if isinstance(local, sa.Table):
                add(local, item)
            else:
                problems.append(f"{item.__name__} is not mapped to a table")
        elif isinstance(item, (list, tuple, set, frozenset)):
            for inner in item:
                visit(inner)
        else:
            problems.append(
                f"cannot read {item!r} as a schema: expected a declarative model class, "
                "a Table or a MetaData"
            )

    visit(source)
    return list(entries.values())


def _is_mapped(cls: type) -> bool:
    mapper: Any = sa.inspect(cls, raiseerr=False)
    return mapper is not None


def _keys(entries: list[_Entry], problems: list[str]) -> dict[sa.Table, str]:
    names = [e.table.name for e in entries if e.model is None]
    keys: dict[sa.Table, str] = {}
    for entry in entries:
        table = entry.table
        own = table.info.get(SYDA_INFO_KEY)
        if entry.model is not None:
            key = entry.model.__name__
        elif isinstance(own, Mapping) and isinstance(own.get("key"), str):
            key = own["key"]
        elif names.count(table.name) > 1 and table.schema:
            key = f"{table.schema}.{table.name}"
        else:
            key = table.name
        if key in keys.values():
            problems.append(f"two tables would both be called {key!r}; give them distinct names")
        keys[table] = key
    return keys


def _read_table(
    entry: _Entry, keys: Mapping[sa.Table, str], problems: list[str], external: bool
) -> Table:
    table, key = entry.table, keys[entry.table]
    primary_key = tuple(c.name for c in table.primary_key.columns)
    unique_sets = _unique_sets(table, primary_key)
    single = {s[0] for s in unique_sets if len(s) == 1}
    if len(primary_key) == 1:
        single.add(primary_key[0])
    columns = [
        _read_column(col, key, primary_key, col.name in single, problems) for col in table.columns
    ]
    checks = [
        (_check_text(ck), ck.name if isinstance(ck.name, str) else None) for ck in _checks(table)
    ]
    folded = fold_checks(columns, checks)
    return Table(
        key=key,
        name=table.name,
        columns=folded.columns,
        primary_key=primary_key,
        foreign_keys=tuple(_foreign_keys(entry, key, keys, problems, external)),
        unique_constraints=tuple(
            UniqueConstraint(cols, name) for cols, name in unique_sets.items() if len(cols) > 1
        ),
        checks=folded.checks,
        comparisons=folded.comparisons,
        description=_description(entry),
        schema=table.schema,
        info=dict(table.info),
        unique_indexes=unique_indexes(table),
    )


def _ordered(items: Iterable[Any]) -> list[Any]:
    # ``Table.constraints`` is a set; SQLAlchemy numbers schema items as they are created,
    # which gives back the order the user wrote them in.
    return sorted(items, key=lambda item: (getattr(item, "_creation_order", 0), str(item.name)))


def _unique_sets(
    table: sa.Table, primary_key: tuple[str, ...]
) -> dict[tuple[str, ...], str | None]:
    found: dict[tuple[str, ...], str | None] = {}
    candidates: list[tuple[tuple[str, ...], Any]] = []
    for uc in _ordered(c for c in table.constraints if isinstance(c, sa.UniqueConstraint)):
        candidates.append((tuple(c.name for c in uc.columns), uc.name))
    for index in _ordered(table.indexes):
        # A unique index over expressions (``lower(email)``) or a partial one (``WHERE ...``)
        # makes no column set unique: it is a UniqueIndex rule (see unique_indexes).
        if is_plain_unique(index):
            candidates.append((tuple(c.name for c in index.columns), index.name))
    for cols, name in candidates:
        if cols and cols != primary_key and cols not in found:
            found[cols] = name if isinstance(name, str) else None
    return found


def _read_column(
    col: sa.Column[Any], table: str, primary_key: tuple[str, ...], unique: bool, problems: list[str]
) -> Column:
    kind, facts = _read_type(col.type, col.name)
    facts.update(_overrides(col.info.get(SYDA_INFO_KEY), f"{table}.{col.name}", problems))
    if isinstance(facts.get("choices"), list):
        facts["choices"] = tuple(facts["choices"])
    facts.setdefault("generated", col.computed is not None)
    defaults = (col.default, col.server_default, col.identity)
    facts.setdefault("has_default", any(x is not None for x in defaults))
    facts.setdefault("default", _default_value(col))
    facts.update(database_facts(col, _kind_of(col.type)[1]))
    comment = col.comment or (col.doc if isinstance(col.doc, str) else None)
    return Column(
        name=col.name,
        kind=facts.pop("kind", kind),
        # A primary key is never NULL, whatever the source says (SQLite lets its columns be).
        nullable=bool(col.nullable) and col.name not in primary_key,
        comment=comment,
        sql_type=_type_string(col.type),
        unique=unique,
        autoincrement=_is_autoincrement(col, kind, primary_key),
        info=dict(col.info),
        **facts,
    )


def _read_type(type_: TypeEngine[Any], name: str) -> tuple[ColumnKind, dict[str, Any]]:
    """The logical kind of a column of ``type_`` called ``name``, and the facts its type says."""
    special = read_type(type_, name, lambda item: _read_type(item, name))
    if special is not None:
        return special
    kind, generic = _kind_of(type_)
    facts: dict[str, Any] = {}
    if isinstance(generic, sa.Enum):
        facts["choices"] = tuple(generic.enums)
    if isinstance(generic, (sa.String, sa.types._Binary)) and generic.length:
        facts["length"] = generic.length
    if kind == "decimal" and isinstance(generic, sa.Numeric):
        facts.update(precision=generic.precision, scale=generic.scale)
    if isinstance(generic, (sa.DateTime, sa.Time)):
        facts["timezone"] = bool(generic.timezone)
    if kind in ("integer", "float", "decimal"):
        facts.update(integer_range(type_))
    return kind, facts


def _is_autoincrement(col: sa.Column[Any], kind: str, primary_key: tuple[str, ...]) -> bool:
    if kind != "integer" or primary_key != (col.name,) or col.autoincrement is False:
        return False
    # SQLAlchemy's "auto" skips a key that is also a foreign key (joined inheritance).
    return col.autoincrement is True or col.identity is not None or not col.foreign_keys


def _overrides(raw: object, where: str, problems: list[str]) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: info[{SYDA_INFO_KEY!r}] must be a mapping, not {raw!r}")
        return {}
    unknown = sorted(set(raw) - _OVERRIDES - _PROFILE_KEYS)
    if unknown:
        problems.append(
            f"{where}: info[{SYDA_INFO_KEY!r}] has unknown keys {', '.join(map(str, unknown))} "
            f"(known: {', '.join(sorted(_OVERRIDES | _PROFILE_KEYS))})"
        )
    if "kind" in raw and raw["kind"] not in _KINDS:
        problems.append(f"{where}: unknown kind {raw['kind']!r} in info[{SYDA_INFO_KEY!r}]")
        return {}
    return {k: v for k, v in raw.items() if k in _OVERRIDES}


def _kind_of(type_: TypeEngine[Any]) -> tuple[ColumnKind, TypeEngine[Any]]:
    """The logical kind of a type, and the (possibly more generic) type that told it."""
    candidates = [type_]
    if isinstance(type_, sa.TypeDecorator):
        candidates.append(type_.impl_instance)
    for candidate in list(candidates):
        if isinstance(candidate, sa.TypeDecorator):
            continue  # its impl tells; as_generic() rebuilds the decorator and may assert
        try:
            candidates.append(candidate.as_generic())
        except (NotImplementedError, TypeError):
            pass  # a dialect type with no generic equivalent (postgresql.INET, ...)
    for candidate in candidates:
        if isinstance(candidate, (sa.Interval, sa.ARRAY, sa.types.NullType)):
            return "unknown", candidate  # Interval's impl is DateTime, which would mislead
        kind = _generic_kind(candidate)
        if kind is not None:
            return kind, candidate
    return "unknown", type_


def _generic_kind(type_: TypeEngine[Any]) -> ColumnKind | None:
    # Order matters: Enum and Text are Strings, Float is a Numeric, Boolean is not an Integer.
    table: list[tuple[type | tuple[type, ...], ColumnKind]] = [
        (sa.Enum, "string"),
        (sa.Boolean, "boolean"),
        (sa.Text, "text"),
        (sa.String, "string"),
        (sa.Integer, "integer"),
        (sa.Float, "float"),
        (sa.DateTime, "datetime"),
        (sa.Date, "date"),
        (sa.Time, "time"),
        (sa.Uuid, "uuid"),
        (sa.JSON, "json"),
        ((sa.LargeBinary, sa.BINARY, sa.VARBINARY), "binary"),
    ]
    for cls, kind in table:
        if isinstance(type_, cls):
            return kind
    if isinstance(type_, sa.Numeric):
        return "decimal" if type_.asdecimal else "float"
    return None


def _type_string(type_: TypeEngine[Any]) -> str:
    if isinstance(type_, sa.ARRAY):  # ``text[]``, ``mood[]``: not the generic ``ARRAY``
        item = type_.item_type
        named = getattr(item, "name", None) if isinstance(item, (sa.Enum, DOMAIN)) else None
        return (named or _type_string(item)) + "[]" * int(type_.dimensions or 1)
    if isinstance(type_, postgresql.BIT):
        varying = " VARYING" if type_.varying else ""
        return f"BIT{varying}({type_.length})" if type_.length else f"BIT{varying}"
    try:
        return str(type_)
    except (exc.SQLAlchemyError, NotImplementedError, TypeError, AttributeError):
        # Some types only compile on their own dialect; their class name is still useful.
        return type(type_).__name__.upper()


def _checks(table: sa.Table) -> list[sa.CheckConstraint]:
    found = [c for c in table.constraints if isinstance(c, sa.CheckConstraint)]
    for col in table.columns:
        found.extend(c for c in col.constraints if isinstance(c, sa.CheckConstraint))
    return [
        ck
        for ck in _ordered(set(found))
        # A type's own check (Enum, Boolean) says what the type already says; a derived check
        # was written by to_metadata from facts that info["syda"] carries.
        if not getattr(ck, "_type_bound", False) and ck.info.get(SYDA_INFO_KEY) != DERIVED_CHECK
    ]


def _check_text(check: sa.CheckConstraint) -> str:
    sqltext = check.sqltext
    if isinstance(sqltext, sa.TextClause):
        return sqltext.text
    try:
        compiled = sqltext.compile(compile_kwargs={"literal_binds": True, "include_table": False})
    except (exc.SQLAlchemyError, NotImplementedError):
        return str(sqltext)
    return str(compiled)


def _foreign_keys(
    entry: _Entry, key: str, keys: Mapping[sa.Table, str], problems: list[str], external: bool
) -> Iterable[ForeignKey]:
    positions = {col.name: i for i, col in enumerate(entry.table.columns)}
    # In column order: a column's ForeignKey and a table-level constraint interleave naturally.
    constraints = sorted(
        _ordered(entry.table.foreign_key_constraints),
        key=lambda fkc: min(positions.get(el.parent.name, 0) for el in fkc.elements),
    )
    for fkc in constraints:
        columns = tuple(el.parent.name for el in fkc.elements)
        where = f"{key}: foreign key ({', '.join(columns)})"
        try:
            target: sa.Table | None = fkc.referred_table
            ref_columns = tuple(el.column.name for el in fkc.elements)
        except (exc.NoReferencedTableError, exc.NoReferencedColumnError) as error:
            target, ref_columns = None, ()
            spec = fkc.elements[0].target_fullname.split(".")
            ref_key = ".".join(spec[:-1])
            if not external or isinstance(error, exc.NoReferencedColumnError):
                problems.append(f"{where} cannot be resolved: {error}")
                continue
            ref_columns = tuple(el.target_fullname.split(".")[-1] for el in fkc.elements)
        if target is not None:
            if target in keys:
                ref_key = keys[target]
            elif external:
                ref_key = _model_name(entry.model, target) or target.name
            else:
                problems.append(
                    f"{where} references {target.name!r}, which is not among the given tables; "
                    f"add {_model_name(entry.model, target) or target.name} to the schema"
                )
                continue
        yield ForeignKey(
            columns=columns,
            ref_table=ref_key,
            ref_columns=ref_columns,
            name=fkc.name if isinstance(fkc.name, str) else None,
            deferrable=bool(fkc.deferrable),
            initially_deferred=(fkc.initially or "").upper() == "DEFERRED",
        )


def _model_name(model: type | None, table: sa.Table) -> str | None:
    """The class mapped to ``table`` in ``model``'s registry, to name it the way users do."""
    registry = getattr(model, "registry", None)
    for mapper in getattr(registry, "mappers", ()):
        if mapper.local_table is table:
            return cast(str, mapper.class_.__name__)
    return None


def _description(entry: _Entry) -> str | None:
    parts: list[str] = []
    model = entry.model
    if model is not None:
        # Only the class's own docstring: never one inherited from Base, nor the signature
        # that dataclasses writes for undocumented MappedAsDataclass models.
        doc = model.__dict__.get("__doc__")
        if isinstance(doc, str) and doc.strip():
            inherited = any(doc == getattr(base, "__doc__", None) for base in model.__mro__[1:])
            generated = dataclasses.is_dataclass(model) and doc.startswith(f"{model.__name__}(")
            if not inherited and not generated:
                parts.append(inspect.cleandoc(doc))
    comment = entry.table.comment
    if comment and comment.strip() and comment.strip() not in parts:
        parts.append(comment.strip())
    return "\n\n".join(parts) or None


_LITERAL = re.compile(
    r"^\(*\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|(true|false))\s*\)*(?:::[\w ]+)?$", re.I
)


def _default_value(col: sa.Column[Any]) -> Any:
    """A column DEFAULT that is a plain literal (``'Y'``, ``0``, ``true``), else None.

    Read from the Python-side scalar default or the server default's SQL text (what reflection
    gives, quoted and maybe cast: ``'Y'::bpchar``); functions such as ``now()`` are no value.
    """
    default = col.default
    if default is not None and getattr(default, "is_scalar", False):
        value = getattr(default, "arg", None)
        return value if isinstance(value, (str, int, float, bool)) else None
    server = col.server_default
    text = getattr(server, "arg", None)
    if text is None:
        return None
    if isinstance(text, str):
        return text  # a plain string server default is the literal itself
    if isinstance(text, (sa.sql.elements.True_, sa.sql.elements.False_)):
        return isinstance(text, sa.sql.elements.True_)
    match = _LITERAL.match(str(getattr(text, "text", "")).strip())
    if match is None:
        return None
    quoted, number, boolean = match.groups()
    if quoted is not None:
        return quoted.replace("''", "'")
    if number is not None:
        return float(number) if "." in number else int(number)
    return boolean.lower() == "true"
