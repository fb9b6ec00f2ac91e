"""Filling one table: keys, foreign keys, custom generators, the provider, self-references.

``fill_table`` is the per-table half of the engine. It reads parent rows from ``pools``: the rows
generated in this run, preceded (in append mode) by the key columns of rows already in the
target database, so new children may point at old parents and new keys never collide with old.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd

from syda.appended import rows_before, taken_values
from syda.batches import Asker
from syda.errors import GenerationError, PlanError
from syda.fill_pairs import pair_values
from syda.fill_paths import follow_key, key_order
from syda.generators import keys
from syda.plan import ForeignKeyPlan, TablePlan
from syda.plan_roles import role_parents
from syda.profile import ProfileProvider
from syda.profile.passes import apply_table_passes
from syda.profile.series import axis_values
from syda.providers.base import FillRequest
from syda.providers.offline import OfflineProvider
from syda.repair import MAX_REASKS, as_series, key_index, provide, provider_table
from syda.report import TableReport
from syda.schema.ir import Table
from syda.self_keys import distinct_self_positions, usable_parents

__all__ = ["fill_deferred", "fill_table", "prompt_for"]


def prompt_for(prompts: Mapping[str, str] | None, table: Table) -> str | None:
    """The user's prompt for ``table``, by key or SQL name."""
    if not prompts:
        return None
    return prompts.get(table.key) or prompts.get(table.name)


def _row_count(
    tp: TablePlan,
    frames: Mapping[str, pd.DataFrame],
    rng: np.random.Generator,
    existing: pd.DataFrame | None = None,
) -> tuple[int, dict[int, Any]]:
    """Rows of the table, and parent positions already fixed by a cardinality."""
    for fkp in tp.foreign_keys:
        if fkp.cardinality is None:
            continue
        n_parents = len(frames[fkp.fk.ref_table])
        if tp.rows is None:
            counts = fkp.cardinality.counts(rng, n_parents)
        else:
            counts = fkp.cardinality.fit_total(rng, n_parents, tp.rows)
        positions = np.repeat(np.arange(n_parents, dtype=np.int64), counts)
        fixed = {fkp.index: positions}
        if fkp.mode == "combination":
            # "5-10 tracks per playlist": each parent's block needs distinct partners.
            (other,) = (i for i in fkp.group if i != fkp.index)
            n_other = len(frames[tp.table.foreign_keys[other].ref_table])
            fixed[other] = keys.distinct_partners(rng, counts, n_other)
        return len(positions), fixed
    assert tp.rows is not None  # the planner gives every table without a cardinality a count
    return tp.rows, _covered(tp, frames, rng, tp.rows, existing)


def _covered(
    tp: TablePlan,
    frames: Mapping[str, pd.DataFrame],
    rng: np.random.Generator,
    n: int,
    existing: pd.DataFrame | None,
) -> dict[int, Any]:
    """Parent positions of a document's lines: every document reached before any gets two."""
    fkp = next((f for f in tp.foreign_keys if f.covers), None)
    if fkp is None or (fkp.mode == "combination" and existing is not None and len(existing)):
        return {}  # appended combinations must avoid the existing ones: the usual draw does
    parent = frames[fkp.fk.ref_table]
    if not len(parent) or usable_parents(parent, fkp.fk.ref_columns) is not None:
        return {}
    # The documents an existing line points at have one (append mode): reach the others first.
    first = ~_referenced(parent, fkp, existing)
    partner = _partner(tp, fkp)
    most = len(frames[tp.table.foreign_keys[partner].ref_table]) if partner is not None else None
    counts = keys.covering_counts(rng, len(parent), n, first=first, most=most)
    fixed = {fkp.index: np.repeat(np.arange(len(parent), dtype=np.int64), counts)}
    if fkp.mode == "combination" and most is not None and partner is not None:
        if int(counts.max(initial=0)) > most:
            return {}  # more lines than products: the combination draw refuses it as before
        fixed[partner] = keys.distinct_partners(rng, counts, most)
    return fixed


def _partner(tp: TablePlan, fkp: ForeignKeyPlan) -> int | None:
    """The key drawn distinct within each of ``fkp``'s parents (an order's products)."""
    if fkp.mode == "combination":
        return next(i for i in fkp.group if i != fkp.index)
    return next((f.index for f in tp.foreign_keys if f.distinct_per == fkp.index), None)


def _positions(
    fkp: ForeignKeyPlan,
    tp: TablePlan,
    frames: Mapping[str, pd.DataFrame],
    n: int,
    rng: np.random.Generator,
    fixed: dict[int, Any] | None = None,
    existing: pd.DataFrame | None = None,
) -> Any:
    fixed = fixed if fixed is not None else {}
    if fkp.index in fixed:
        return fixed[fkp.index]
    parent = frames[fkp.fk.ref_table]
    # A key into a nullable unique column cannot point at a parent whose key is NULL.
    usable = usable_parents(parent, fkp.fk.ref_columns)
    if fkp.mode == "many":
        usable = role_parents(parent, fkp.among, usable)  # a support rep is support staff
    if fkp.mode == "one_to_one":
        # Parents an existing child already points at are taken (append mode).
        taken = _referenced(parent, fkp, existing)
        if usable is not None:
            taken |= ~np.isin(np.arange(len(parent)), usable)
        free = np.flatnonzero(~taken)
        return free[keys.sample_one_to_one(rng, len(free), n)]
    if fkp.mode == "combination":
        fks = [tp.table.foreign_keys[i] for i in fkp.group]
        sizes = [len(frames[fk.ref_table]) for fk in fks]
        if existing is not None and len(existing):
            sizes_left = int(np.prod(sizes)) - len(existing)
            if n > sizes_left:
                raise PlanError(
                    f"{n} new rows asked, but only {max(sizes_left, 0)} combinations are unused"
                )
        for i, pos in zip(
            fkp.group, _new_combinations(rng, frames, fks, sizes, n, existing), strict=True
        ):
            fixed[i] = pos
        return fixed[fkp.index]
    if not len(parent) and _nullable(tp.table, fkp.fk.columns):
        return np.full(n, -1, dtype=np.int64)  # nothing to point at: NULL is the valid answer
    pool = len(parent) if usable is None else len(usable)
    if usable is not None and not len(usable) and _nullable(tp.table, fkp.fk.columns):
        return np.full(n, -1, dtype=np.int64)
    picked = _distinct_per(fkp, fixed, pool, rng)
    if picked is None:
        picked = keys.sample_many(rng, pool, n)
    return picked if usable is None else usable[picked]


def _distinct_per(
    fkp: ForeignKeyPlan, fixed: Mapping[int, Any], pool: int, rng: np.random.Generator
) -> Any:
    """Positions that do not repeat within each parent of another key.

    None when no key asks it, or some parent has more rows than there are partners.
    """
    if fkp.distinct_per is None or fkp.distinct_per not in fixed:
        return None
    groups = np.asarray(fixed[fkp.distinct_per], dtype=np.int64)
    if not len(groups) or not pool or int(np.bincount(np.maximum(groups, 0)).max()) > pool:
        return None
    return keys.distinct_within(rng, groups, pool)


def _sample_key(
    fkp: ForeignKeyPlan,
    tp: TablePlan,
    frames: Mapping[str, pd.DataFrame],
    decided: Mapping[str, Any],
    n: int,
    rng: np.random.Generator,
    fixed: dict[int, Any] | None,
    existing: pd.DataFrame | None,
) -> tuple[Any, dict[str, Any]]:
    """Parent positions for one foreign key, and the child columns it sets.

    ``decided`` holds the row values already set; a key column among them was set by an earlier
    key sharing it, so only parents that agree are chosen and that column is left as it is.
    """
    parent = frames[fkp.fk.ref_table]
    shared = [c for c in fkp.fk.columns if c in decided]
    if shared:
        known = pd.DataFrame({c: decided[c] for c in shared}, index=pd.RangeIndex(n))
        positions = _matching(fkp, tp, parent, known, rng)
    else:
        positions = _positions(fkp, tp, frames, n, rng, fixed, existing)
    values = {
        col: series.array  # .array keeps nullable integers integers
        for col, series in _child_keys(parent, fkp.fk, positions).items()
        if col not in shared
    }
    return positions, values


def _nullable(table: Table, columns: Sequence[str], shared: Sequence[str] = ()) -> bool:
    """Whether a key may be NULL.

    Under MATCH SIMPLE one NULL column makes the key NULL, so only columns no other key set decide.
    """
    return all(table.column(c).nullable for c in columns if c not in shared)


def _parent_rows(parent: pd.DataFrame, positions: Any) -> pd.DataFrame:
    """The parent row of every child row (all NULL where the key is NULL), for the provider."""
    if not len(parent):
        return pd.DataFrame(index=pd.RangeIndex(len(positions)), columns=parent.columns)
    null = np.asarray(positions) < 0
    rows: pd.DataFrame = parent.iloc[np.maximum(positions, 0)].reset_index(drop=True)
    if null.any():
        rows = rows.astype(object)
        rows.iloc[np.flatnonzero(null)] = None
    return rows


def _matching(
    fkp: ForeignKeyPlan,
    tp: TablePlan,
    parent: pd.DataFrame,
    child: pd.DataFrame,
    rng: np.random.Generator,
) -> Any:
    """Parents that agree with the columns an earlier foreign key already set on each row."""
    fk = fkp.fk
    if fkp.mode != "many" or fkp.cardinality is not None:
        raise PlanError(
            f"foreign key ({', '.join(fk.columns)}) shares columns with another foreign key; "
            f"only a plain many-to-one key can (not a {fkp.mode} key or one with a cardinality)",
            table=tp.table.key,
        )
    ref = dict(zip(fk.columns, fk.ref_columns, strict=True))
    parent_keys = parent[[ref[c] for c in child.columns]]
    positions = keys.matching_positions(rng, parent_keys, child)
    if (positions < 0).any() and not _nullable(tp.table, fk.columns, list(child.columns)):
        raise PlanError(
            f"{int((positions < 0).sum())} rows have no parent in {fk.ref_table} with the same "
            f"{', '.join(child.columns)}: add parent rows, or make the key nullable",
            table=tp.table.key,
        )
    return positions


def _child_keys(parent: pd.DataFrame, fk: Any, positions: Any) -> dict[str, pd.Series[Any]]:
    """The child's key columns, copied as whole tuples from the parent rows at ``positions``."""
    taken = keys.take_parent_keys(parent, fk.ref_columns, positions)
    return {child: taken[ref] for child, ref in zip(fk.columns, fk.ref_columns, strict=True)}


async def fill_table(
    tp: TablePlan,
    frames: Mapping[str, pd.DataFrame],
    ask: Asker,
    rng: np.random.Generator,
    prompt: str | None,
    report: TableReport,
    existing: pd.DataFrame | None,
    key_maker: OfflineProvider,
    today: date | None = None,
    max_reasks: int = MAX_REASKS,
) -> pd.DataFrame:
    """Generate the rows of one table (its deferred foreign keys are left empty).

    Args:
        tp: The table's plan.
        frames: Parent pools by table key (existing rows first, then this run's).
        ask: Asks the run's provider for rows of value columns (:func:`syda.batches.asker`).
        rng: The table's random generator.
        prompt: The user's prompt for the table.
        report: Updated with calls, re-asks and tokens.
        existing: Key and unique columns of rows already in the target (append mode).
        key_maker: The offline engine, which draws non-integer primary keys (codes, UUIDs)
            whatever provider fills the values: keys are the key code's, never a provider's.
        today: The reference date of relative dates in the table's profile.
        max_reasks: The provider's re-ask budget.

    Raises:
        PlanError: If a count cannot be met (too few parents or combinations).
        GenerationError: If the provider or a custom generator cannot produce valid rows.
    """
    table = tp.table
    n, fixed = _row_count(tp, frames, rng, existing)
    data: dict[str, Any] = {}
    for col, src in tp.sources.items():
        if src.kind == "sequence":
            data[col] = _first_free(existing, col) + np.arange(n, dtype=np.int64)
        elif src.kind == "series":
            assert tp.profile.series is not None
            data[col] = axis_values(tp.profile.series[col], table.column(col), n).array
    local = tuple(c for c, src in tp.sources.items() if src.kind == "key")
    if local:
        made = key_maker.fill(
            FillRequest(
                table=provider_table(table),
                columns=local,
                n=n,
                rng=rng,
                row_offset=rows_before(existing),
                taken=taken_values(existing, local),
            )
        )
        for col in local:
            values = as_series(made[col], n, table, col)
            if existing is not None and col in existing and values.isin(existing[col]).any():
                raise GenerationError(
                    "new key values collide with existing rows; use replace, or a sequence",
                    table=table.key,
                    column=col,
                    rule="primary_key",
                )
            data[col] = values.array

    data.update(pair_values(tp, frames, fixed, n, rng, existing))
    parents: dict[int, pd.DataFrame] = {}
    chosen_at: dict[int, Any] = {}
    for fkp in key_order(tp.foreign_keys):
        if fkp.deferred or fkp.mode == "self":
            continue
        if fkp.path is None:
            positions, chosen = _sample_key(fkp, tp, frames, data, n, rng, fixed, existing)
        else:
            free = lambda f=fkp: _sample_key(f, tp, frames, data, n, rng, fixed, existing)  # noqa: E731
            positions, chosen = follow_key(fkp, tp.table, frames, data, chosen_at, rng, free)
        data.update(chosen)
        chosen_at[fkp.index] = positions
        parents[fkp.index] = _parent_rows(frames[fkp.fk.ref_table], positions)

    for col, src in tp.sources.items():
        if src.kind == "sequence_in_group":
            group = [
                c for us in table.unique_sets if col in us for c in us if c != col and c in data
            ]
            data[col] = (
                keys.group_sequence(pd.DataFrame(data), group) if group else np.arange(1, n + 1)
            ) + _group_offset(existing, pd.DataFrame(data), group, col)

    if tp.custom:
        data.update(_run_custom(tp, data, n))

    frame = pd.DataFrame(data, index=pd.RangeIndex(n))
    if tp.provider_columns:
        if (
            tp.profile.columns
            or tp.profile.stages is not None
            or tp.profile.exactly_one
            or tp.vector
        ):
            # Columns with a spec are drawn from it; the provider fills the rest around them.
            drawer = ProfileProvider(
                ask, tp.profile, tp.parent_tables, today or date.today(), tp.vector, frames
            )
            ask = drawer.fill
        await provide(tp, frame, ask, rng, prompt, parents, report, existing, max_reasks)

    for fkp in tp.foreign_keys:
        if fkp.mode == "self" and not fkp.deferred:
            shared = [c for c in fkp.fk.columns if c in data]
            nullable = _nullable(table, fkp.fk.columns, shared)
            if shared:
                # (org_id, manager_no) -> (org_id, emp_no): a manager of the same organisation.
                pos = keys.grouped_self_positions(rng, frame[shared], nullable=nullable)
            else:
                one_to_one = set(fkp.fk.columns) in [set(s) for s in table.unique_sets]
                pos = keys.self_reference_positions(
                    rng, n, nullable=nullable, one_to_one=one_to_one
                )
                pos = distinct_self_positions(rng, table, frame, fkp.fk, pos, nullable=nullable)
            for col, values in _child_keys(frame, fkp.fk, pos).items():
                if col not in shared:
                    frame[col] = values.array

    # Cross-row patterns (exactly_one flags, templates' sequences) need every row of the table.
    apply_table_passes(table, tp.profile, frame, parents, rng)

    # Deferred keys are filled in the second pass; hold their place so column order is stable.
    for col in table.column_names:
        if col not in frame:
            frame[col] = pd.Series([None] * n, dtype=object)
    return frame[list(table.column_names)]


def _run_custom(tp: TablePlan, data: Mapping[str, Any], n: int) -> dict[str, list[Any]]:
    # User generators take one row at a time by contract (fn(row, column_name)); each sees the
    # keys and the custom columns before it.
    frame = pd.DataFrame(dict(data), index=pd.RangeIndex(n))
    rows = cast("list[dict[str, Any]]", frame.to_dict("records"))
    if not data:
        rows = [{} for _ in range(n)]
    out: dict[str, list[Any]] = {}
    for col in (c for c in tp.sources if c in tp.custom):
        fn = tp.custom[col]
        values = []
        for row in rows:
            try:
                value = fn(row, col)
            except Exception as exc:
                raise GenerationError(
                    f"custom generator raised {type(exc).__name__}: {exc}",
                    table=tp.table.key,
                    column=col,
                    rule="custom_generator",
                ) from exc
            row[col] = value
            values.append(value)
        out[col] = values
    return out


def fill_deferred(
    tp: TablePlan,
    fkp: ForeignKeyPlan,
    frame: pd.DataFrame,
    frames: Mapping[str, pd.DataFrame],
    rng: np.random.Generator,
    existing: pd.DataFrame | None = None,
) -> None:
    """Fill a foreign key that closes a cycle, once every table has its rows."""
    # Its own columns are still NULL placeholders; columns another key set are not.
    decided = {c: frame[c] for c in frame.columns if frame[c].notna().any()}
    _, chosen = _sample_key(fkp, tp, frames, decided, len(frame), rng, None, existing)
    for col, values in chosen.items():
        frame[col] = values


def _first_free(existing: pd.DataFrame | None, column: str) -> int:
    """Where a key sequence starts: 1, or after the largest existing key."""
    if existing is None or column not in existing or not len(existing):
        return 1
    top = pd.to_numeric(existing[column], errors="coerce").max()
    return 1 if pd.isna(top) else int(top) + 1


def _group_offset(
    existing: pd.DataFrame | None, data: pd.DataFrame, group: list[str], column: str
) -> Any:
    """Line numbers continue after the existing ones of the same parent (append mode)."""
    if existing is None or not len(existing) or not group or column not in existing:
        return 0
    top = existing.groupby(group)[column].max().rename("_top").reset_index()
    merged = data[group].merge(top, on=group, how="left")
    return merged["_top"].fillna(0).astype(np.int64).to_numpy()


def _referenced(
    parent: pd.DataFrame, fkp: ForeignKeyPlan, existing: pd.DataFrame | None
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Which parent rows an existing child row already points at."""
    if existing is None or not len(existing) or not set(fkp.fk.columns) <= set(existing):
        return np.zeros(len(parent), dtype=bool)
    used = key_index(existing.dropna(subset=list(fkp.fk.columns)), list(fkp.fk.columns))
    mine = key_index(parent, list(fkp.fk.ref_columns))
    return cast("np.ndarray[Any, np.dtype[np.bool_]]", np.asarray(mine.isin(used)))


def _new_combinations(
    rng: np.random.Generator,
    frames: Mapping[str, pd.DataFrame],
    fks: list[Any],
    sizes: list[int],
    n: int,
    existing: pd.DataFrame | None,
) -> list[Any]:
    """Distinct parent combinations, none of which an existing row already uses."""
    if existing is None or not len(existing):
        return keys.distinct_combinations(rng, sizes, n)
    cols = [c for fk in fks for c in fk.columns]
    used = key_index(existing, cols)
    extra = len(existing)
    while True:
        positions = keys.distinct_combinations(rng, sizes, min(n + extra, int(np.prod(sizes))))
        picked = pd.concat(
            [
                _keys_frame(frames[fk.ref_table], fk, pos)
                for fk, pos in zip(fks, positions, strict=True)
            ],
            axis=1,
        )
        fresh = ~np.asarray(key_index(picked, cols).isin(used))
        if fresh.sum() >= n:
            keep = np.flatnonzero(fresh)[:n]
            return [pos[keep] for pos in positions]
        extra *= 2


def _keys_frame(parent: pd.DataFrame, fk: Any, positions: Any) -> pd.DataFrame:
    return pd.DataFrame({c: v.to_numpy() for c, v in _child_keys(parent, fk, positions).items()})
