"""Key values: primary-key sequences and foreign keys sampled from parent rows.

Referential integrity is guaranteed by construction here, never checked into existence later:
every foreign key value is a whole key tuple copied from an existing parent row, so composite
keys can never mix columns of different parents. Samplers work on row *positions* of the parent
frame (numpy integer arrays) and copy the key columns once, which keeps them fast at millions of
rows.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, SupportsIndex

import numpy as np
import pandas as pd

from syda.errors import PlanError
from syda.schema.limits import shown

__all__ = [
    "MAX_COUNT",
    "Cardinality",
    "CardinalitySpec",
    "covering_counts",
    "distinct_combinations",
    "distinct_partners",
    "distinct_within",
    "group_sequence",
    "grouped_self_positions",
    "matching_positions",
    "parse_cardinality",
    "sample_many",
    "sample_one_to_one",
    "self_reference_positions",
    "take_parent_keys",
    "whole_number",
]

IntArray = np.ndarray[Any, np.dtype[np.int64]]

CardinalitySpec = (
    str | tuple[int, int] | int | dict[str, float] | Callable[[np.random.Generator, int], Any]
)
"""How many children each parent gets: ``"2-4"``, ``(2, 4)``, ``3``, ``{"mean": 3}`` (Poisson),
or a function ``(rng, n_parents) -> counts``."""

# ASCII digits only: str.isdigit() also takes "²", which int() refuses. A count alone is a
# range of one; at most 100 digits, so int() never meets a thousand-digit string.
_RANGE = re.compile(r"\s*([0-9]{1,100})\s*(?:(?:-|\.\.|to)\s*([0-9]{1,100})\s*)?")
_MEAN = re.compile(r"\s*~\s*([0-9]{1,100}(?:\.[0-9]*)?|\.[0-9]+)\s*")

MAX_COUNT = 2**62
"""Most children one parent can be given: counts are int64 and numpy's Poisson takes means
below about 9.2e18. The planner's memory rule (:mod:`syda.plan`) refuses far less than this."""


@dataclass(frozen=True)
class Cardinality:
    """Children per parent: a range drawn uniformly, a Poisson mean, or a user function."""

    low: int = 0
    high: int = 0
    mean: float | None = None
    fn: Callable[[np.random.Generator, int], Any] | None = None

    def counts(self, rng: np.random.Generator, n_parents: int) -> IntArray:
        """Draw the number of children of each of ``n_parents`` parents."""
        if self.fn is not None:
            counts = np.asarray(self.fn(rng, n_parents), dtype=np.int64)
            if counts.shape != (n_parents,) or (counts < 0).any():
                raise PlanError(
                    f"a cardinality function must return {n_parents} non-negative counts"
                )
            return counts
        if self.mean is not None:
            return rng.poisson(self.mean, size=n_parents).astype(np.int64)
        return rng.integers(self.low, self.high + 1, size=n_parents, dtype=np.int64)

    def fit_total(self, rng: np.random.Generator, n_parents: int, total: int) -> IntArray:
        """Draw counts per parent that add up to exactly ``total`` while staying in range.

        Raises:
            PlanError: If no assignment within the range can reach ``total``.
        """
        counts = self.counts(rng, n_parents)
        if self.fn is not None or self.mean is not None:
            low, high = 0, max(int(counts.max(initial=0)), math.ceil(total / max(n_parents, 1)))
        else:
            low, high = self.low, self.high
        if not n_parents * low <= total <= n_parents * high:
            raise PlanError(
                f"{total} rows cannot be spread over {n_parents} parents with {low}-{high} each"
            )
        # No parent can take more than the total; clipping there also keeps the sum in int64.
        high = min(high, total)
        counts = np.clip(counts, low, high)
        if abs(total - (drawn := int(counts.sum()))) > n_parents:
            # Drawn far from the total (a wide range such as 1-1000000 for 100 rows): scale
            # first, or the single-row moves below would need a pass for every missing row.
            even = np.full(n_parents, total // n_parents)
            scaled = np.floor(counts * (total / drawn)) if drawn else even
            counts = np.clip(scaled.astype(np.int64), low, high)
        # Move single rows between random parents until the sum matches; each pass fixes
        # many rows at once, so this ends after a handful of vectorised steps.
        while (diff := total - int(counts.sum())) != 0:
            room = (counts < high) if diff > 0 else (counts > low)
            candidates = np.flatnonzero(room)
            pick = rng.choice(candidates, size=min(abs(diff), candidates.size), replace=False)
            counts[pick] += 1 if diff > 0 else -1
        return counts


def parse_cardinality(spec: CardinalitySpec, key: str = "") -> Cardinality:
    """Read a user's cardinality spec; the one check of every spec, API and CLI alike.

    Args:
        spec: ``3``, ``"3"``, ``"2-4"`` (also ``"2..4"``, ``"2 to 4"``), ``(2, 4)``,
            ``"~2.5"`` or ``{"mean": 2.5}`` (Poisson), or ``fn(rng, n_parents) -> counts``.
        key: The ``"Table.fk_column"`` the spec is for, named in the error message.

    Raises:
        PlanError: If the spec is not one of the accepted forms, or its numbers are negative,
            reversed, not finite, or too large to count.
    """
    if callable(spec):
        return Cardinality(fn=spec)
    where = f"cardinality {key}={shown(spec)}" if key else f"cardinality {shown(spec)}"
    low_high = _low_high(spec)
    if low_high is None:
        mean = _mean(spec)
        if mean is None:
            raise PlanError(
                f"{where}: use N, 'MIN-MAX', '~MEAN', (MIN, MAX), {{'mean': M}} or a function"
            )
        if not (math.isfinite(mean) and 0 <= mean <= MAX_COUNT):
            raise PlanError(f"{where}: the mean must be a finite number from 0 to {MAX_COUNT:,}")
        return Cardinality(mean=mean)
    low, high = low_high
    if low < 0 or high > MAX_COUNT:
        raise PlanError(f"{where}: a count of children must be from 0 to {MAX_COUNT:,}")
    if high < low:
        raise PlanError(
            f"{where}: the range is reversed ({low} > {high}); write MIN-MAX, MIN <= MAX"
        )
    return Cardinality(low=low, high=high)


def whole_number(value: object) -> int | None:
    """``value`` as an int if it is a whole number (Python's or numpy's), else None.

    A bool, a float (even ``3.0``) or a string is not one: a count written that way is a
    mistake to report, not a value to convert.
    """
    if isinstance(value, bool) or not isinstance(value, SupportsIndex):
        return None
    return operator.index(value)


def _low_high(spec: object) -> tuple[int, int] | None:
    if (n := whole_number(spec)) is not None:
        return n, n
    if isinstance(spec, (tuple, list)) and len(spec) == 2:
        low, high = whole_number(spec[0]), whole_number(spec[1])
        return (low, high) if low is not None and high is not None else None
    if isinstance(spec, str) and (m := _RANGE.fullmatch(spec)):
        low_text, high_text = m.group(1), m.group(2) or m.group(1)
        return int(low_text), int(high_text)
    return None


def _mean(spec: object) -> float | None:
    if isinstance(spec, str) and (m := _MEAN.fullmatch(spec)):
        return float(m.group(1))
    if isinstance(spec, dict) and set(spec) == {"mean"}:
        mean = spec["mean"]
        if isinstance(mean, (int, float, np.integer, np.floating)) and not isinstance(mean, bool):
            return float(mean)
    return None


def sample_many(rng: np.random.Generator, n_parents: int, n: int) -> IntArray:
    """Positions of parents for ``n`` children, with realistic skew (some parents are busier).

    Raises:
        PlanError: If there is no parent row to point at.
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n_parents == 0:
        raise PlanError("the parent table has no rows to point at")
    # Gamma-distributed popularity: a few customers place many orders, most place a few.
    weights = rng.gamma(1.5, size=n_parents)
    return rng.choice(n_parents, size=n, p=weights / weights.sum()).astype(np.int64)


def covering_counts(
    rng: np.random.Generator,
    n_parents: int,
    n: int,
    *,
    first: np.ndarray[Any, np.dtype[np.bool_]] | None = None,
    most: int | None = None,
) -> IntArray:
    """Children per parent for ``n`` children that reach every parent before any gets two.

    A document's lines: every invoice has one line when there are lines enough, and the rest
    are spread with the skew of :func:`sample_many` (a few invoices are long). Fewer children
    than parents go one each to distinct parents. ``first`` marks the parents to reach first
    (those without a child yet, in append mode); ``most`` caps a parent's children (its lines
    name distinct products) wherever ``n`` leaves room for the cap.
    """
    counts = np.zeros(n_parents, dtype=np.int64)
    if n == 0 or n_parents == 0:
        return counts
    pending = np.arange(n_parents) if first is None else np.flatnonzero(first)
    reached = rng.permutation(pending)[:n]
    counts[reached] = 1
    rest = n - len(reached)
    if rest:
        counts += np.bincount(sample_many(rng, n_parents, rest), minlength=n_parents)
    if most is not None and n <= most * n_parents:
        counts = _capped(rng, counts, most)
    return counts


def _capped(rng: np.random.Generator, counts: IntArray, most: int) -> IntArray:
    """``counts`` with no parent above ``most``: the excess moves to random parents with room."""
    total = int(counts.sum())
    counts = np.minimum(counts, most)
    # Each pass gives one more row to parents with room, until the total is back.
    while (missing := total - int(counts.sum())) > 0:
        room = np.flatnonzero(counts < most)
        pick = rng.choice(room, size=min(missing, room.size), replace=False)
        counts[pick] += 1
    return counts


def distinct_within(
    rng: np.random.Generator, groups: IntArray, n_other: int, rounds: int = 8
) -> IntArray:
    """Partner positions for rows grouped by ``groups``, distinct within each group.

    An order lists each product once: each row draws a product with the popularity skew of
    :func:`sample_many`, a row repeating one of its group is drawn again, and a group still
    repeating after ``rounds`` draws takes distinct partners from :func:`distinct_partners`.

    Raises:
        PlanError: If a group has more rows than there are partners.
    """
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n_other == 0:
        raise PlanError("the parent table has no rows to point at")
    weights = rng.gamma(1.5, size=n_other)
    weights /= weights.sum()
    picked = rng.choice(n_other, size=n, p=weights).astype(np.int64)
    for _ in range(rounds):
        repeat = pd.DataFrame({"g": groups, "p": picked}).duplicated().to_numpy()
        if not repeat.any():
            return picked
        picked[repeat] = rng.choice(n_other, size=int(repeat.sum()), p=weights)
    repeat = pd.DataFrame({"g": groups, "p": picked}).duplicated().to_numpy()
    if repeat.any():
        again = np.isin(groups, np.unique(groups[repeat]))
        sub = groups[again]
        codes, uniq = pd.factorize(sub)
        order = np.argsort(codes, kind="stable")
        block = np.bincount(codes, minlength=len(uniq)).astype(np.int64)
        redrawn = np.empty(len(sub), dtype=np.int64)
        redrawn[order] = distinct_partners(rng, block, n_other)
        picked[again] = redrawn
    return picked


def sample_one_to_one(rng: np.random.Generator, n_parents: int, n: int) -> IntArray:
    """Distinct parent positions for a one-to-one foreign key (each parent used at most once).

    Raises:
        PlanError: If more children are asked for than there are parents.
    """
    if n > n_parents:
        raise PlanError(
            f"{n} rows need distinct parents (one-to-one) but the parent has only {n_parents} rows"
        )
    return rng.choice(n_parents, size=n, replace=False).astype(np.int64)


def distinct_combinations(
    rng: np.random.Generator, parent_sizes: Sequence[int], n: int
) -> list[IntArray]:
    """Parent positions for several foreign keys whose combination must be unique.

    Used for association tables and any table whose foreign keys together form a primary key or
    UNIQUE constraint. Returns one position array per foreign key.

    Raises:
        PlanError: If ``n`` exceeds the number of distinct combinations.
    """
    total = math.prod(parent_sizes)
    if n > total:
        sizes = " x ".join(str(s) for s in parent_sizes)
        raise PlanError(
            f"{n} rows asked for, but only {sizes} = {total} distinct combinations exist"
        )
    if n == 0:
        return [np.zeros(0, dtype=np.int64) for _ in parent_sizes]
    if total <= 50_000_000:
        flat = rng.choice(total, size=n, replace=False).astype(np.int64)
        return [np.asarray(a, dtype=np.int64) for a in np.unravel_index(flat, tuple(parent_sizes))]
    # Too many combinations to enumerate: draw tuples and redraw the duplicates; with at least
    # 50M combinations and n <= total, collisions are rare and this converges quickly.
    cols = [rng.integers(0, s, size=n, dtype=np.int64) for s in parent_sizes]
    while True:
        dup = pd.DataFrame({i: c for i, c in enumerate(cols)}).duplicated().to_numpy()
        if not dup.any():
            return cols
        for i, s in enumerate(parent_sizes):
            cols[i][dup] = rng.integers(0, s, size=int(dup.sum()), dtype=np.int64)


def distinct_partners(rng: np.random.Generator, counts: IntArray, n_other: int) -> IntArray:
    """For blocks of ``counts[i]`` rows, partner positions that are distinct within each block.

    Each block reads a run of a random permutation from its own random start, so no block can
    repeat a partner while blocks still differ from one another.

    Raises:
        PlanError: If a block needs more distinct partners than exist.
    """
    if counts.size and int(counts.max()) > n_other:
        raise PlanError(
            f"a parent needs {int(counts.max())} distinct partners but only {n_other} exist"
        )
    if n_other == 0:
        return np.zeros(0, dtype=np.int64)
    perm = rng.permutation(n_other).astype(np.int64)
    starts = rng.integers(0, n_other, size=counts.size, dtype=np.int64)
    block_start = np.repeat(np.cumsum(counts) - counts, counts)
    within = np.arange(int(counts.sum()), dtype=np.int64) - block_start
    picked: IntArray = perm[(np.repeat(starts, counts) + within) % n_other]
    return picked


def self_reference_positions(
    rng: np.random.Generator, n: int, *, nullable: bool, one_to_one: bool
) -> IntArray:
    """Positions of the referenced row for a self-referencing foreign key; ``-1`` means NULL.

    Every row points at an *earlier* row, so the references form a forest and the rows can be
    inserted in order. Roots are NULL when the key is nullable; otherwise the first row points
    at itself (the only way a NOT NULL self-reference can start).
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    idx = np.arange(n, dtype=np.int64)
    if one_to_one and not nullable:
        # Referenced at most once and never NULL: only pointing at itself is always possible.
        return idx
    if one_to_one:
        # Each row can be referenced once: a chain (every row follows the previous one).
        pos = idx - 1
    else:
        # Uniform over earlier rows gives a random recursive tree (depth about ln n).
        pos = np.floor(rng.random(n) * idx).astype(np.int64)
        if nullable:
            # A handful of roots, like top managers or top-level categories.
            roots = rng.random(n) < min(0.1, 3.0 / n)
            pos[roots] = -1
    pos[0] = -1 if nullable else 0
    return pos


def _groups(keys: pd.DataFrame) -> tuple[IntArray, IntArray, IntArray, IntArray, Any]:
    """Group ids of rows with equal key values, and where each group's rows sit in order."""
    raw_codes, uniques = pd.MultiIndex.from_frame(keys.astype(object)).factorize()
    codes: IntArray = np.asarray(raw_codes, dtype=np.int64)
    order = np.argsort(codes, kind="stable").astype(np.int64)
    sizes = np.bincount(codes[codes >= 0], minlength=len(uniques)).astype(np.int64)
    starts = (np.cumsum(sizes) - sizes).astype(np.int64)
    return codes, order, sizes, starts, uniques


def matching_positions(
    rng: np.random.Generator, parent_keys: pd.DataFrame, child_keys: pd.DataFrame
) -> IntArray:
    """For each child row, a random parent row whose key columns equal the child's (-1: none).

    Used when two foreign keys share a column (``(tenant_id, customer_id)`` and
    ``(tenant_id, product_id)``): the second may only pick parents of the tenant the first chose.
    Both frames must have the same columns, in the same order.
    """
    _, order, sizes, starts, uniques = _groups(parent_keys)
    wanted = uniques.get_indexer(pd.MultiIndex.from_frame(child_keys.astype(object)))
    out = np.full(len(child_keys), -1, dtype=np.int64)
    ok = wanted >= 0
    group = wanted[ok]
    offset = np.floor(rng.random(int(ok.sum())) * sizes[group]).astype(np.int64)
    out[ok] = order[starts[group] + offset]
    return out


def grouped_self_positions(
    rng: np.random.Generator, group_keys: pd.DataFrame, *, nullable: bool
) -> IntArray:
    """Self-reference within groups: each row points at an earlier row of its own group.

    For ``(org_id, manager_no) -> (org_id, emp_no)`` a manager is always in the same
    organisation. The first row of a group is a root: NULL, or itself when NOT NULL.
    """
    codes, order, _, starts, _ = _groups(group_keys)
    n = len(codes)
    rank = pd.Series(codes).groupby(codes).cumcount().to_numpy().astype(np.int64)
    target = np.floor(rng.random(n) * rank).astype(np.int64)
    pos = order[starts[np.maximum(codes, 0)] + target]
    root = rank == 0
    pos[root] = -1 if nullable else np.flatnonzero(root)
    result: IntArray = pos.astype(np.int64)
    return result


def group_sequence(frame: pd.DataFrame, columns: Sequence[str]) -> IntArray:
    """1, 2, 3... within each group of equal ``columns`` values (line numbers per order)."""
    seq = frame.groupby(list(columns), sort=False, dropna=False).cumcount().to_numpy() + 1
    return seq.astype(np.int64)


def take_parent_keys(
    parent: pd.DataFrame, ref_columns: Sequence[str], positions: IntArray
) -> dict[str, pd.Series[Any]]:
    """Copy whole key tuples of the parent rows at ``positions`` (``-1`` gives NULL)."""
    null = positions < 0
    safe = np.where(null, 0, positions)
    out: dict[str, pd.Series[Any]] = {}
    for col in ref_columns:
        values = parent[col].iloc[safe].reset_index(drop=True) if len(parent) else None
        if values is None:
            out[col] = pd.Series([None] * len(positions), dtype=object)
            continue
        if null.any():
            values = values.astype(_nullable_dtype(values)).mask(pd.Series(null))
        out[col] = values
    return out


def _nullable_dtype(values: pd.Series[Any]) -> Any:
    # Integers must stay integers when some become NULL (not floats like 3.0).
    if pd.api.types.is_integer_dtype(values.dtype):
        return "Int64"
    return values.dtype
