"""A foreign key named for a role points at parents whose title holds that role.

Chinook's ``Customer.SupportRepId`` references ``Employee``: sampled among every employee, a
customer's support rep is a Controller or a QA Engineer. The key's name says the role
(``support_rep``, ``sales_rep_employee_number``, ``account_manager_id``, ``assigned_agent``),
and the parent's job title column says each row's. So the planner reads the role from the
key's name (:data:`ROLES`), and the fill (:mod:`syda.fill`) samples only the parent rows whose
title holds one of the role's words, falling back to every row when none does (a parent table
of other people keeps its keys valid).

``syda inspect`` shows the rule as the key's source: ``many -> Employee (Title: support, sales)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from syda.generators.infer import name_tokens
from syda.schema.ir import Schema, Table

if TYPE_CHECKING:
    from syda.plan import ForeignKeyPlan, TablePlan

__all__ = ["ROLES", "TITLE_WORDS", "Among", "role_parents", "with_role_parents"]

ROLES: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = (
    (frozenset({"support"}), ("support", "sales")),
    (frozenset({"sales", "salesman", "salesperson", "seller", "salesrep"}), ("sales", "account")),
    (frozenset({"account", "accounts"}), ("account", "sales")),
    (frozenset({"agent", "assignee", "assigned", "helpdesk"}), ("agent", "support", "service")),
    (frozenset({"recruiter"}), ("recruiter", "talent")),
    (frozenset({"engineer", "developer"}), ("engineer", "developer")),
    (frozenset({"accountant", "bookkeeper"}), ("accountant", "finance", "bookkeeper")),
)
"""Words of a key's name, in the order they are tried, and the title words of the role (whole
words, or their plural: an Account Executive sells, an Accountant does not)."""

TITLE_WORDS = frozenset({"jobtitle", "position", "role", "job", "designation"})
"""Name words of the parent column that holds each row's role (a job title); a bare ``title``
counts only where it is drawn as a job title (a book's title holds no role)."""


@dataclass(frozen=True)
class Among:
    """Parents to sample from: rows whose ``column`` holds one of ``words`` (any case)."""

    column: str
    words: tuple[str, ...]


def with_role_parents(schema: Schema, plans: Mapping[str, TablePlan]) -> dict[str, TablePlan]:
    """``plans`` with ``among`` set on every many-to-one key named for a parent's role."""
    out = dict(plans)
    for key, tp in plans.items():
        changed = [_with_role(schema, plans, tp, fkp) for fkp in tp.foreign_keys]
        if any(new is not old for new, old in zip(changed, tp.foreign_keys, strict=True)):
            sources = dict(tp.sources)
            for fkp in changed:
                if fkp.among is not None:
                    for col in fkp.fk.columns:
                        how = f"{sources[col].detail} ({_shown(fkp.among)})"
                        sources[col] = replace(sources[col], detail=how)
            out[key] = replace(tp, foreign_keys=tuple(changed), sources=sources)
    return out


def role_parents(parent: pd.DataFrame, among: Among | None, usable: Any) -> Any:
    """``usable`` (parent positions, None: every row) narrowed to the rows holding the role.

    Every usable row when none holds it, or the title is not in the frame.
    """
    if among is None or among.column not in parent.columns or not len(parent):
        return usable
    titles = parent[among.column].astype("string")
    words = "|".join(re.escape(w) for w in among.words)
    held = titles.str.contains(rf"\b(?:{words})s?\b", case=False, regex=True)
    fits = held.fillna(False).to_numpy(dtype=bool)
    if usable is not None:
        fits &= np.isin(np.arange(len(parent)), usable)
    return np.flatnonzero(fits).astype(np.int64) if fits.any() else usable


def _with_role(
    schema: Schema, plans: Mapping[str, TablePlan], tp: TablePlan, fkp: ForeignKeyPlan
) -> ForeignKeyPlan:
    if fkp.mode != "many" or fkp.path is not None or fkp.among is not None:
        return fkp
    parent_plan = plans.get(fkp.fk.ref_table)
    if parent_plan is None or fkp.fk.ref_table not in schema:
        return fkp
    words = _role_words(tp.table, fkp, schema.table(fkp.fk.ref_table))
    title = _title_column(parent_plan) if words else None
    return fkp if title is None or words is None else replace(fkp, among=Among(title, words))


def _role_words(table: Table, fkp: ForeignKeyPlan, parent: Table) -> tuple[str, ...] | None:
    """The title words of the role the key's name says, or None (an ``employee_id``)."""
    tokens = {t for c in fkp.fk.columns for t in name_tokens(c)}
    tokens -= set(name_tokens(parent.name))
    return next((words for names, words in ROLES if tokens & names), None)


def _title_column(parent_plan: TablePlan) -> str | None:
    """The parent's job title column: drawn as one, or named as one."""
    drawn = parent_plan.profile.columns
    for col in parent_plan.table.columns:
        spec = drawn.get(col.name)
        if col.kind in ("string", "text") and (
            (spec is not None and spec.semantic == "job_title")
            or set(name_tokens(col.name)) & TITLE_WORDS
        ):
            return col.name
    return None


def _shown(among: Among) -> str:
    return f"{among.column}: {', '.join(among.words)}"
