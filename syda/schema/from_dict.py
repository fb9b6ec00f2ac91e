"""The dict adapter: schemas written as plain dicts, or as YAML/JSON files, become the IR.

One table is a mapping of column names to column specs::

    {"patient_id": "number", "email": "email", "visit_date": "date", "notes": "text"}

A column spec is a type name or a dict (``type``, ``description``, ``nullable``, ``unique``,
``primary_key``, ``enum``, ``min``, ``max``, ``length``/``max_length``, ``pattern``,
``precision``, ``scale``, ``timezone``, ``semantic``, ``default``, ``references``). A type name is
a logical/SQL-ish name (``integer``, ``varchar(50)``, ``decimal(10,2)``, ...), a semantic type
from :data:`syda.semantics.SEMANTIC_KINDS` (``email``, ``icd10_code``), or any other name, which
becomes kind ``unknown`` with that name as its semantic type (usable once a generator is
registered for it).

The long form of a table adds table-level facts: ``{"description": ..., "columns": {...},
"primary_key": [...], "unique": [[...], ...], "foreign_keys": [...], "checks": [...]}``.

Several tables are a mapping of table keys to tables. The rule that tells the forms apart: a
value is a *column spec* when it is a string or a dict whose keys are all column-spec keys;
anything else that is a dict is a *table*. A dict whose values are all column specs is one table,
one whose values are all tables is several; a mix is a :class:`~syda.errors.SchemaError`. Write
``{"t": {"columns": {...}}}`` to be explicit.

Defaults chosen for dict schemas: columns are NOT NULL unless ``nullable: true`` (a dict schema
describes the data wanted, and missing values should be asked for); with no primary key
declared, an integer column called ``id`` is the primary key; a ``references`` without a column
points at the parent's primary key, and a column with ``references`` but no ``type`` takes the
parent column's type.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from syda.errors import SchemaError
from syda.profile.spec import ColumnProfile, TableProfile
from syda.schema.checks import fold_checks
from syda.schema.dict_values import (
    _as_list,
    _bound,
    _check,
    _first,
    _kind_of_values,
    _names,
    _parse_reference,
    _parse_type,
    _pattern,
    _typed,
)
from syda.schema.files import read_schema_file
from syda.schema.ir import Column, ForeignKey, Schema, Table, UniqueConstraint
from syda.schema.limits import capped, document_problems, name_problem, shown, shown_names
from syda.schema.validate import schema_problems

__all__ = ["from_dict", "from_file"]

# Profile keys (how values are drawn) sit beside the constraint keys; ``min``/``max`` and
# ``semantic`` are constraint keys here, which the drawer reads from the column as well.
PROFILE_COLUMN_KEYS = frozenset(ColumnProfile.model_fields) - {"min", "max", "semantic"}
PROFILE_TABLE_KEYS = frozenset(TableProfile.model_fields) - {"columns"}
COLUMN_KEYS = (
    frozenset(
        "type description comment nullable unique primary_key enum choices min minimum max "
        "maximum length max_length pattern precision scale timezone semantic default "
        "references".split()
    )
    | PROFILE_COLUMN_KEYS
)
TABLE_KEYS = (
    frozenset(
        "columns description comment name schema primary_key unique foreign_keys checks".split()
    )
    | PROFILE_TABLE_KEYS
)
_FK_KEYS = frozenset(
    "columns column references ref_columns name deferrable initially_deferred".split()
)
_TYPED_KEYS: tuple[tuple[str, str, type], ...] = (
    *((key, "comment", str) for key in ("description", "comment")),
    *((key, key, bool) for key in ("nullable", "unique", "primary_key", "timezone")),
    *((key, key, int) for key in ("precision", "scale")),
    *((key, "length", int) for key in ("length", "max_length")),
    ("semantic", "semantic", str),
)


def from_dict(
    data: Mapping[str, Any], *, name: str = "table", external_references: bool = False
) -> Schema:
    """Read a dict schema (one table or several) into a :class:`Schema`.

    Args:
        data: One table (``{column: spec}`` or the long form with ``columns``), or several
            (``{table_key: table}``); see the module docstring for the rule.
        name: The table key of a single-table dict.
        external_references: Keep ``references`` to tables that are not in ``data`` (their
            parents come from elsewhere); they must then name their columns.

    Returns:
        The schema, tables in the order given.

    Raises:
        SchemaError: Listing every problem: unreadable types, bad constraint values, references
            to unknown tables or columns, ambiguous shapes, ...; or at once if ``data`` breaks
            a limit of :mod:`syda.schema.limits` (nesting, size).
    """
    return _read(data, name, external_references, [])


def from_file(
    path: str | Path, *, name: str | None = None, external_references: bool = False
) -> Schema:
    """Read a dict schema from a ``.yaml``/``.yml`` or ``.json`` file.

    Args:
        path: The file; its suffix decides the format.
        name: The table key if the file holds one table (default: the file's stem).
        external_references: As in :func:`from_dict`.

    Raises:
        SchemaError: If the file cannot be read or parsed, or has schema problems (all listed;
            duplicate keys in a mapping are reported too).
    """
    data, duplicates = read_schema_file(path)
    return _read(data, name or Path(path).stem, external_references, duplicates)


def _read(data: Mapping[str, Any], name: str, external: bool, problems: list[str]) -> Schema:
    if not isinstance(data, Mapping):
        raise SchemaError([f"a dict schema is a mapping, not {type(data).__name__}"])
    # Keys that are not strings, NaN, lone surrogates: nothing below can read them safely.
    problems = list(dict.fromkeys(problems)) + document_problems(data)
    if problems:
        raise SchemaError(capped(problems))
    specs = _split_tables(data, name, problems)
    problems.extend(_name_problems(specs))
    if problems:
        raise SchemaError(capped(list(dict.fromkeys(problems))))
    builders = [_TableBuilder(key, spec, problems) for key, spec in specs]
    index: dict[str, _TableBuilder] = {}
    for builder in builders:  # a reference names a table by key or SQL name, the first wins
        index.setdefault(builder.key, builder)
        index.setdefault(builder.name, builder)
    known = shown_names((b.key for b in builders), bare=True)
    for builder in builders:
        builder.resolve_references(index, external, known)
    _inherit_types(builders)
    tables = tuple(builder.build() for builder in builders)
    schema = Schema(tables)
    problems.extend(schema_problems(schema, external_references=external))
    if problems:
        raise SchemaError(capped(list(dict.fromkeys(problems))))
    return schema


def _name_problems(specs: list[tuple[str, Mapping[str, Any]]]) -> list[str]:
    # Checked before the tables are built, so no later message repeats a hostile name.
    found = [name_problem(key, "table key") for key, _ in specs]
    for key, spec in specs:
        columns = spec.get("columns")
        if isinstance(columns, Mapping):
            found.extend(name_problem(c, f"{key}: column name") for c in columns)
    return [p for p in found if p is not None]


def _is_column_spec(value: object) -> bool:
    return isinstance(value, str) or (
        isinstance(value, Mapping) and bool(value) and set(value) <= COLUMN_KEYS
    )


def _is_table(value: object) -> bool:
    if not isinstance(value, Mapping) or not value:
        return False
    if isinstance(value.get("columns"), Mapping):
        return True
    return not _is_column_spec(value) and all(isinstance(v, (str, Mapping)) for v in value.values())


def _split_tables(
    data: Mapping[str, Any], name: str, problems: list[str]
) -> list[tuple[str, Mapping[str, Any]]]:
    if not data:
        problems.append("the schema is empty")
        return []
    if isinstance(data.get("columns"), Mapping) and set(data) <= TABLE_KEYS:
        return [(name, data)]
    columns = [k for k, v in data.items() if _is_column_spec(v)]
    tables = [k for k, v in data.items() if _is_table(v)]
    if len(columns) == len(data):
        return [(name, {"columns": data})]
    if len(tables) == len(data):
        return [
            (str(k), v if isinstance(v.get("columns"), Mapping) else {"columns": v})
            for k, v in data.items()
        ]
    unclear = [k for k in data if k not in columns and k not in tables]
    if unclear and not (columns and tables):
        for key in unclear:
            value = data[key]
            extra = set(value) - COLUMN_KEYS if isinstance(value, Mapping) else set()
            problems.append(
                f"{shown(key)}: {shown(value)} is neither a column spec nor a table"
                + (
                    f" (unknown column keys: {shown_names(sorted(map(str, extra)), bare=True)})"
                    if extra
                    else ""
                )
            )
        return []
    problems.append(
        "cannot tell whether this dict is one table or several: "
        f"{shown_names(columns)} look like columns but "
        f"{shown_names(tables + unclear)} do not. Write one table as "
        "{column: type-or-spec}, several as {table: {column: type-or-spec}}, or use the long "
        "form {'columns': {...}} to be explicit; a column spec dict may only use the keys "
        f"{', '.join(sorted(COLUMN_KEYS))}"
    )
    return []


class _TableBuilder:
    """Collects one table's columns and keys while references to other tables are resolved."""

    def __init__(self, key: str, spec: Mapping[str, Any], problems: list[str]) -> None:
        self.key, self.problems = key, problems
        unknown = set(spec) - TABLE_KEYS
        if unknown:
            problems.append(
                f"{key}: unknown table keys {shown_names(sorted(map(str, unknown)), bare=True)} "
                f"(known: {', '.join(sorted(TABLE_KEYS))})"
            )
        self.spec = spec
        self.name = _typed(spec.get("name"), str, f"{key}: name", problems) or key
        self.columns: dict[str, dict[str, Any]] = {}
        self.raw_fks: list[tuple[tuple[str, ...], object, object, Mapping[str, Any]]] = []
        self.fks: list[ForeignKey] = []
        # column -> the (table key, column) it refers to; None until the reference is resolved
        self.typeless: dict[str, tuple[str, str] | None] = {}
        column_pk: list[str] = []
        for col_name, col_spec in dict(spec["columns"]).items():
            column = self._column(str(col_name), col_spec)
            if column is not None:
                if column.pop("primary_key", False):
                    column_pk.append(column["name"])
                self.columns[column["name"]] = column
        self.primary_key = self._primary_key(column_pk)
        self.uniques = self._uniques()
        for fk in _as_list(spec.get("foreign_keys", []), f"{key}: foreign_keys", problems):
            self._table_fk(fk)

    def _where(self, column: str | None = None) -> str:
        return f"{self.key}.{column}" if column else self.key

    def _column(self, name: str, spec: object) -> dict[str, Any] | None:
        where, problems = self._where(name), self.problems
        if isinstance(spec, str):
            spec = {"type": spec}
        if not isinstance(spec, Mapping):
            problems.append(f"{where}: a column spec is a type name or a dict, not {shown(spec)}")
            return None
        if set(spec) - COLUMN_KEYS:
            bad = shown_names(sorted(map(str, set(spec) - COLUMN_KEYS)), bare=True)
            problems.append(f"{where}: unknown column keys {bad}")
        col: dict[str, Any] = {"name": name, "nullable": False}
        choices = _first(spec, "enum", "choices")
        if choices is not None:
            if isinstance(choices, (list, tuple)) and choices:
                parsed = _choices(tuple(choices), where, problems)
                col.update({"choices": parsed} if parsed else {"kind": "unknown"})
            else:
                problems.append(f"{where}: enum must be a non-empty list, not {shown(choices)}")
        if "type" in spec:
            col.update(_parse_type(spec["type"], where, problems))
        elif "choices" in col:
            col["kind"] = _kind_of_values(col["choices"])
        elif "references" not in spec:
            problems.append(f"{where}: the column has no type")
            col["kind"] = "unknown"
        for key, field, kind in _TYPED_KEYS:
            if spec.get(key) is not None:
                col[field] = _typed(spec[key], kind, f"{where}: {key}", problems)
        if "pattern" in spec:
            col["pattern"] = _pattern(spec["pattern"], where, problems)
        col["has_default"] = "default" in spec
        if isinstance(spec.get("default"), (str, int, float, bool)):
            col["default"] = spec["default"]
        drawn = {k: v for k, v in spec.items() if k in PROFILE_COLUMN_KEYS}
        if drawn:
            col["info"] = {"syda": drawn}
        for keys, field in ((("min", "minimum"), "minimum"), (("max", "maximum"), "maximum")):
            value = _first(spec, *keys)
            if value is not None:
                col[field] = _bound(
                    value, col.get("kind"), f"{where}: {keys[0]}", problems, field == "maximum"
                )
        if "references" in spec:
            self.raw_fks.append(((name,), spec["references"], None, {}))
            if "type" not in spec and "choices" not in col:
                self.typeless[name] = None
        return col

    def _primary_key(self, column_pk: list[str]) -> tuple[str, ...]:
        declared = self.spec.get("primary_key")
        table_pk: tuple[str, ...] = ()
        if declared is not None:
            table_pk = tuple(_names(declared, f"{self.key}: primary_key", self.problems))
        if table_pk and column_pk and set(table_pk) != set(column_pk):
            self.problems.append(
                f"{self.key}: the table's primary_key ({', '.join(table_pk)}) and the columns "
                f"marked primary_key ({', '.join(column_pk)}) disagree"
            )
        pk = table_pk or tuple(column_pk)
        if not pk and self.columns.get("id", {}).get("kind") == "integer":
            pk = ("id",)
        for name in pk:
            col = self.columns.get(name)
            if col is None:
                self.problems.append(
                    f"{self.key}: the primary key names a missing column {shown(name)}"
                )
            elif col.get("nullable"):
                self.problems.append(f"{self.key}.{name}: a primary key column cannot be nullable")
            else:
                col["nullable"] = False
        return tuple(n for n in pk if n in self.columns)

    def _uniques(self) -> list[UniqueConstraint]:
        found: list[UniqueConstraint] = []
        for item in _as_list(self.spec.get("unique", []), f"{self.key}: unique", self.problems):
            names = tuple(_names(item, f"{self.key}: unique", self.problems))
            missing = [n for n in names if n not in self.columns]
            if missing:
                self.problems.append(
                    f"{self.key}: unique ({', '.join(names)}) names missing columns "
                    f"{shown_names(missing)}"
                )
            elif len(names) == 1:
                self.columns[names[0]]["unique"] = True
            elif names and names != self.primary_key and names not in [u.columns for u in found]:
                found.append(UniqueConstraint(names))
        return found

    def _table_fk(self, fk: object) -> None:
        where = f"{self.key}: foreign_keys"
        if not isinstance(fk, Mapping) or "references" not in fk:
            self.problems.append(
                f"{where}: each entry needs 'columns' and 'references', not {shown(fk)}"
            )
            return
        if set(fk) - _FK_KEYS:
            bad = shown_names(sorted(map(str, set(fk) - _FK_KEYS)), bare=True)
            self.problems.append(f"{where}: unknown keys {bad}")
        columns = tuple(_names(_first(fk, "columns", "column"), where, self.problems))
        self.raw_fks.append((columns, fk["references"], fk.get("ref_columns"), fk))

    def resolve_references(
        self, tables: Mapping[str, _TableBuilder], external: bool, known: str
    ) -> None:
        for columns, reference, ref_columns, options in self.raw_fks:
            where = f"{self.key}: ({', '.join(columns)}) references {shown(reference)}"
            parsed = _parse_reference(reference, tables, where, self.problems)
            if parsed is None:
                continue
            target, named = parsed
            if ref_columns is not None:
                named = tuple(_names(ref_columns, where, self.problems))
            parent = tables.get(target)
            if parent is None:
                if not external:
                    self.problems.append(f"{where}: no table {shown(target)} (tables: {known})")
                    continue
                if not named:
                    self.problems.append(
                        f"{where}: name the referenced column(s) of {shown(target)}"
                    )
                    continue
                ref_key = str(target)
            else:
                ref_key = parent.key
                named = named or parent.primary_key
                if not named:
                    self.problems.append(f"{where}: {parent.key} has no primary key to refer to")
                    continue
                missing = [c for c in named if c not in parent.columns]
                if missing:
                    self.problems.append(
                        f"{where}: {parent.key} has no column {shown_names(missing)}"
                    )
                    continue
            if len(named) != len(columns):
                self.problems.append(
                    f"{where}: {len(columns)} column(s) cannot refer to {len(named)} "
                    f"({', '.join(named)})"
                )
                continue
            for col, ref_col in zip(columns, named, strict=True):
                if col in self.typeless:
                    self.typeless[col] = (ref_key, ref_col)
            self.fks.append(
                ForeignKey(
                    columns=columns,
                    ref_table=ref_key,
                    ref_columns=tuple(named),
                    name=_typed(options.get("name"), str, where, self.problems),
                    deferrable=bool(_typed(options.get("deferrable"), bool, where, self.problems)),
                    initially_deferred=bool(
                        _typed(options.get("initially_deferred"), bool, where, self.problems)
                    ),
                )
            )

    def build(self) -> Table:
        for name, target in self.typeless.items():
            if target is not None:  # an unresolved reference is reported already
                self.problems.append(
                    f"{self.key}.{name}: the column has no type and its reference does not give one"
                )
            self.columns[name]["kind"] = "unknown"
        if len(self.primary_key) == 1:
            pk = self.columns[self.primary_key[0]]
            pk["unique"] = True
            fk_columns = {c for fk in self.fks for c in fk.columns}
            pk["autoincrement"] = pk["kind"] == "integer" and pk["name"] not in fk_columns
        # A value left None was invalid and is reported; the Column default stands in for it.
        columns = [
            Column(**{k: v for k, v in c.items() if v is not None}) for c in self.columns.values()
        ]
        checks = [
            _check(item, self.key, self.problems)
            for item in _as_list(self.spec.get("checks", []), f"{self.key}: checks", self.problems)
        ]
        folded = fold_checks(columns, [c for c in checks if c is not None])
        return Table(
            key=self.key,
            name=self.name,
            columns=folded.columns,
            primary_key=self.primary_key,
            foreign_keys=tuple(self.fks),
            unique_constraints=tuple(self.uniques),
            checks=folded.checks,
            comparisons=folded.comparisons,
            description=_typed(
                _first(self.spec, "description", "comment"), str, self.key, self.problems
            ),
            schema=_typed(self.spec.get("schema"), str, f"{self.key}: schema", self.problems),
            info=_table_info(self.spec),
        )


def _table_info(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    drawn = {k: v for k, v in spec.items() if k in PROFILE_TABLE_KEYS}
    return {"syda": drawn} if drawn else {}


def _inherit_types(builders: list[_TableBuilder]) -> None:
    # A typeless FK column takes the type of the column it refers to, following chains of
    # typeless columns; every column on a chain is settled at once, so the work stays linear.
    by_key = {b.key: b for b in builders}
    for builder in builders:
        for name in list(builder.typeless):
            chain: list[tuple[_TableBuilder, str]] = []
            seen: set[tuple[int, str]] = set()
            current: tuple[_TableBuilder, str] | None = (builder, name)
            while current is not None and current[1] in current[0].typeless:
                if (id(current[0]), current[1]) in seen:  # a cycle of typeless columns
                    current = None
                    break
                chain.append(current)
                seen.add((id(current[0]), current[1]))
                target = current[0].typeless[current[1]]
                parent = by_key.get(target[0]) if target else None
                current = (parent, target[1]) if parent is not None and target else None
            if current is None:  # unresolved, external or a cycle: reported by build()
                continue
            source = current[0].columns[current[1]]
            for table, column in chain:
                for field in ("kind", "length", "precision", "scale", "timezone", "sql_type"):
                    if field in source:
                        table.columns[column].setdefault(field, source[field])
                del table.typeless[column]


def _choices(values: tuple[Any, ...], where: str, problems: list[str]) -> tuple[Any, ...] | None:
    # Values are drawn into numpy/pandas columns: scalars only, integers within 64 bits.
    for value in values:
        if isinstance(value, (Mapping, list, tuple, set)):
            problems.append(
                f"{where}: an enum value is a string, number or boolean, not {shown(value)}"
            )
            return None
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            problems.append(f"{where}: the enum value {shown(value)} does not fit in 64 bits")
            return None
    return values
