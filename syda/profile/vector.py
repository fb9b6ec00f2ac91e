"""Vectorised user functions: ``column_generators={"Deal": {"amount": fn}}``, ``fn(ctx) -> array``.

Where a per-row ``custom_generators`` function is called once per row and sees only the keys and
the custom columns before it, a column generator is called once per batch with a
:class:`ColumnContext`: the random generator, the row count, the columns it declares it reads
(``@depends_on("deal_type", "account.segment")``), and each row's parent rows. It returns a
whole column, so it runs at numpy speed and may read any column, also ones declared later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from syda.profile.context import DrawContext

__all__ = ["ColumnContext", "VectorGenerator", "call_generator", "dependencies", "depends_on"]

VectorGenerator = Callable[["ColumnContext"], Any]
F = TypeVar("F", bound=Callable[..., Any])
_ATTRIBUTE = "__syda_depends_on__"


def depends_on(*columns: str) -> Callable[[F], F]:
    """Declare the columns (``col`` or ``parent.col``) a column generator reads.

    Example:
        >>> @depends_on("deal_type")
        ... def amount(ctx):
        ...     base = np.where(ctx["deal_type"] == "Renewal", 38_000, 45_000)
        ...     return base * ctx.rng.lognormal(0, 0.3, ctx.n)
    """

    def mark(fn: F) -> F:
        setattr(fn, _ATTRIBUTE, tuple(columns))
        return fn

    return mark


def dependencies(fn: VectorGenerator) -> tuple[str, ...]:
    """The columns ``fn`` declared with :func:`depends_on` (none by default)."""
    found = getattr(fn, _ATTRIBUTE, ())
    return tuple(found) if isinstance(found, (tuple, list)) else ()


class ColumnContext:
    """What a column generator sees for one batch of rows.

    Attributes:
        rng: The batch's random generator: draw from it, and the same seed gives the same data.
        n: Rows in the batch; return exactly this many values.
        table: The table's key.
        column: The column being generated.
        parents: Each parent's rows aligned with the batch, by alias (``"account"``).
    """

    def __init__(self, draw: DrawContext, declared: tuple[str, ...]) -> None:
        self._draw = draw
        self._declared = declared
        self.rng: np.random.Generator = draw.rng
        self.n = draw.n
        self.table = draw.table.key
        self.column = draw.column.name
        self.parents: Mapping[str, pd.DataFrame] = _parents(draw)

    def __getitem__(self, ref: str) -> np.ndarray[Any, Any]:
        """The values of a declared column (``col`` or ``parent.col``), one per row.

        Raises:
            KeyError: If ``ref`` was not declared with :func:`depends_on` or is not known.
        """
        if ref not in self._declared:
            raise KeyError(
                f"{ref!r} is not declared: decorate the generator with @depends_on({ref!r})"
            )
        return self._draw.value(ref).to_numpy()


def _parents(draw: DrawContext) -> dict[str, pd.DataFrame]:
    from syda.profile.context import parent_aliases

    out: dict[str, pd.DataFrame] = {}
    for alias, index in parent_aliases(draw.table).items():
        if index in draw.parents and "." not in alias:
            out.setdefault(alias, draw.parents[index])
    return out


def call_generator(fn: VectorGenerator, draw: DrawContext, who: str, rule: str) -> pd.Series[Any]:
    """``fn`` called once for the batch, its values checked and typed for the column.

    Column generators and the generators of registered kinds are called this one way.

    Raises:
        GenerationError: If ``fn`` raises, or returns another number of values than rows.
    """
    from syda.errors import GenerationError
    from syda.profile.convert import to_column

    try:
        values = fn(ColumnContext(draw, dependencies(fn)))
    except Exception as exc:
        raise GenerationError(
            f"{who} raised {type(exc).__name__}: {exc}",
            table=draw.table.key,
            column=draw.column.name,
            rule=rule,
        ) from exc
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
    if len(series) != draw.n:
        raise GenerationError(
            f"{who} returned {len(series)} values for {draw.n} rows",
            table=draw.table.key,
            column=draw.column.name,
            rule=rule,
        )
    return to_column(series, draw.column)
