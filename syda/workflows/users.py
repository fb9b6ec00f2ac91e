"""Who the sessions belong to: made-up ids, a users DataFrame, or a table made with syda.

With a users table (given, or generated from a schema), ``sessions.user_id`` is a foreign key
into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from syda.workflows.definition import WorkflowError
from syda.workflows.endpoints import CompiledWorkflow

__all__ = ["Users", "choose_users"]

USER_TYPE_COLUMN = "user_type"
"""A users table with this column gives each user's type (otherwise it is drawn)."""

Array = np.ndarray[Any, np.dtype[Any]]


@dataclass(frozen=True)
class Users:
    """The users the sessions are drawn for."""

    ids: Array
    types: Array
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def choose_users(
    cw: CompiledWorkflow,
    rng: np.random.Generator,
    num_users: int | None,
    users: pd.DataFrame | None = None,
    user_key: str | None = None,
    schema: Any = None,
    users_table: str = "users",
) -> Users:
    """The users of a dataset.

    Args:
        cw: The workflow (its user-type shares).
        rng: The random stream (also seeds the schema's generator).
        num_users: How many users; with ``users``, that many of its rows (default all).
        users: A users table; its ``user_key`` column becomes ``user_id``.
        user_key: The key column of ``users`` (default: its primary key from ``schema``, or
            ``id``, or ``user_id``).
        schema: A schema (models, dict, YAML file) with a ``users_table`` to generate first.
        users_table: The table of ``schema`` the sessions point at.

    Raises:
        WorkflowError: If the users table or its key cannot be found, or is too small.
    """
    tables: dict[str, pd.DataFrame] = {}
    if schema is not None and users is None:
        tables, users, user_key = _generate(schema, users_table, num_users or 1000, rng)
    if users is None:
        n = 1000 if num_users is None else num_users
        width = max(6, len(str(n)))
        ids = np.array([f"user_{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
        return Users(ids, _draw_types(cw, n, rng))
    key = user_key or next((c for c in ("id", "user_id") if c in users.columns), None)
    if key is None or key not in users.columns:
        raise WorkflowError([f"the users table has no key column {key or 'id'!r} (user_key=)"])
    if num_users is not None and num_users > len(users):
        raise WorkflowError([f"num_users={num_users} but the users table has {len(users)} rows"])
    rows = np.arange(len(users))
    if num_users is not None and num_users < len(users):
        rows = np.sort(rng.choice(len(users), num_users, replace=False))
    ids = users[key].to_numpy()[rows]
    if USER_TYPE_COLUMN in users.columns:
        types = users[USER_TYPE_COLUMN].astype(str).to_numpy(dtype=object)[rows]
    else:
        types = _draw_types(cw, len(rows), rng)
    return Users(ids, types, tables)


def _draw_types(cw: CompiledWorkflow, n: int, rng: np.random.Generator) -> Array:
    codes = (cw.user_type_cdf <= rng.random(n)[:, None]).sum(axis=1)
    types: Array = np.array(cw.user_types, dtype=object)[codes]
    return types


def _generate(
    schema: Any, table: str, n: int, rng: np.random.Generator
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, str]:
    """The users table and the tables it points at, made with syda (``n`` users)."""
    from syda import Schema, SyntheticDataGenerator, load_schema

    loaded = load_schema(schema)
    try:
        users = loaded.table(table)
    except KeyError:
        raise WorkflowError(
            [f"the schema has no table {table!r} (users_table=); it has {', '.join(loaded.keys)}"]
        ) from None
    if len(users.primary_key) != 1:
        raise WorkflowError([f"table {table!r} needs a one-column primary key for user_id"])
    # Only what the users need: a table that points at users is not the sessions' business.
    needed, todo = {users.key}, [users]
    while todo:
        for fk in todo.pop().foreign_keys:
            parent = loaded.table(fk.ref_table)
            if parent.key not in needed:
                needed.add(parent.key)
                todo.append(parent)
    subset = Schema(tuple(t for t in loaded.tables if t.key in needed))
    generator = SyntheticDataGenerator(seed=int(rng.integers(2**31)))
    frames = generator.generate_related_data(schema=subset, sample_sizes={users.key: n})
    # By table name, as syda generate names its files (a model's key is its class, "User").
    tables = {t.name: frames[t.key] for t in subset}
    clash = sorted(set(tables) & {"calls", "sessions", "ground_truth"})
    if clash:
        raise WorkflowError([f"a users table named {clash[0]!r} would replace the traces' own"])
    return tables, frames[users.key], users.primary_key[0]
