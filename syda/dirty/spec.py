"""What defects to inject: the ``dirty=`` document, as pydantic models.

A spec names, per table, the defects of each column and of the rows, each with the share of the
table's rows it hits (an exact count: ``round(share * rows)``), and the tables that also come
from other sources that disagree::

    tables:
      Customer:
        columns:
          name: {typo: 0.05, case: 0.05}
          country: {missing: {share: 0.05, tokens: [null, "", "N/A"]}}
          industry: {missing: {share: 0.05, when: "status = 'Inactive'"}}   # MAR
          first_name: {swap: {share: 0.02, with: last_name}}
        rows: {duplicate: 0.05, near_duplicate: 0.05}
      Order:
        columns: {customer_id: {orphan: 0.05}, order_date: {format: 0.05}}
    conflicts:
      Customer: {sources: [crm, billing], share: 0.6, conflict: 0.4}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from syda.errors import SchemaError

__all__ = [
    "CELL_KINDS",
    "ROW_KINDS",
    "CellDefect",
    "ConflictSpec",
    "DirtySpec",
    "RowDefect",
    "TableDefects",
    "load_dirty_spec",
]

CellKind = Literal[
    "missing",
    "format",
    "typo",
    "whitespace",
    "case",
    "unit",
    "outlier",
    "swap",
    "orphan",
    "cardinality",
]
RowKind = Literal["duplicate", "near_duplicate"]
CELL_KINDS: tuple[str, ...] = CellKind.__args__  # type: ignore[attr-defined]
ROW_KINDS: tuple[str, ...] = RowKind.__args__  # type: ignore[attr-defined]

Share = Field(gt=0, le=1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CellDefect(_Strict):
    """One kind of defect in one column."""

    share: float = Share
    tokens: tuple[str | None, ...] = (None,)
    """``missing``: how a missing value is written (NULL, ``""``, ``"N/A"``...), used in turn."""
    when: str | None = None
    """``missing``: a SQL condition over the row (DuckDB); values go missing only where it
    holds (missing at random, MAR), otherwise anywhere (MCAR)."""
    factor: float = 100.0
    """``unit``: the factor of the wrong unit (100: dollars written as cents)."""
    with_: str | None = Field(default=None, alias="with")
    """``swap``: the column whose value trades places with this one's."""


class RowDefect(_Strict):
    """Rows repeated: exact copies, or copies with a new key and a small change."""

    share: float = Share


class TableDefects(_Strict):
    """The defects of one table: per column, per kind; and of its rows."""

    columns: dict[str, dict[CellKind, CellDefect]] = Field(default_factory=dict)
    rows: dict[RowKind, RowDefect] = Field(default_factory=dict)

    @field_validator("columns", mode="before")
    @classmethod
    def _column_shares(cls, value: Any) -> Any:
        # ``typo: 0.05`` is short for ``typo: {share: 0.05}``.
        if not isinstance(value, dict):
            return value
        return {
            col: {k: _share(v) for k, v in kinds.items()} if isinstance(kinds, dict) else kinds
            for col, kinds in value.items()
        }

    @field_validator("rows", mode="before")
    @classmethod
    def _row_shares(cls, value: Any) -> Any:
        return {k: _share(v) for k, v in value.items()} if isinstance(value, dict) else value


def _share(value: Any) -> Any:
    return {"share": value} if isinstance(value, (int, float)) else value


class ConflictSpec(_Strict):
    """The same entities again, in other systems, where some values disagree."""

    sources: tuple[str, ...] = Field(min_length=1)
    share: float = Field(default=0.5, gt=0, le=1)
    """Share of the table's entities each source holds."""
    conflict: float = Field(default=0.3, ge=0, le=1)
    """Share of a source's rows whose values differ from the truth."""


class DirtySpec(_Strict):
    """Every defect to inject, after the clean data is made and validated."""

    tables: dict[str, TableDefects] = Field(default_factory=dict)
    conflicts: dict[str, ConflictSpec] = Field(default_factory=dict)


def load_dirty_spec(source: DirtySpec | dict[str, Any] | str | Path) -> DirtySpec:
    """Read a spec from a :class:`DirtySpec`, a dict, or a YAML/JSON file.

    Raises:
        SchemaError: If the file cannot be read or the spec is malformed (every problem listed).
    """
    if isinstance(source, DirtySpec):
        return source
    raw: Any = source
    if isinstance(source, (str, Path)):
        try:
            raw = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise SchemaError([f"cannot read the dirty-data spec {source}: {error}"]) from None
    try:
        return DirtySpec.model_validate(raw)
    except ValidationError as error:
        problems = [
            f"dirty-data spec {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()
        ]
        raise SchemaError(problems, subject="the dirty-data spec") from None
