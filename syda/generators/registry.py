"""Custom column generators registered by the user, and the rule that picks one for a column.

Lookup order for a column ``c`` of table ``T`` (most specific first):

1. ``custom_generators={"T": {"c": fn}}`` passed to one call: scoped to that table only, so a
   ``status`` generator for ``Customer`` never fills ``Order.status``;
2. ``register_generator(type_name, fn, column_name="T.c")``: a column of one table;
3. ``register_generator(type_name, fn, column_name="c")``: that column name in any table;
4. ``register_generator(type_name, fn)``: every column of that type, where the type is the
   column's semantic type, its logical kind, its declared SQL type, or ``"foreign_key"``.

A generator is called once per row as ``fn(row, column_name)`` where ``row`` holds the values
already decided for that row (keys, foreign keys and earlier custom columns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from syda.errors import ConfigurationError
from syda.schema.ir import Column, Table

__all__ = ["ColumnGenerator", "GeneratorRegistry", "Registration"]

ColumnGenerator = Callable[[dict[str, Any], str], Any]
Fn = TypeVar("Fn", bound=Callable[..., Any])


@dataclass(frozen=True)
class Registration(Generic[Fn]):
    """One registered generator."""

    type_name: str
    fn: Fn
    column_name: str | None = None


class GeneratorRegistry(Generic[Fn]):
    """The generators of one kind registered on one :class:`~syda.SyntheticDataGenerator`.

    Per-row generators (``fn(row, column)``) and vectorised ones (``fn(ctx)``) each have a
    registry; both are looked up by the same rule.
    """

    def __init__(self) -> None:
        self._items: list[Registration[Fn]] = []

    def register(self, type_name: str, fn: Fn, column_name: str | None = None) -> None:
        """Add a generator; a later registration for the same target replaces the earlier one.

        Raises:
            ConfigurationError: If ``fn`` is not callable or ``type_name`` is empty.
        """
        if not callable(fn):
            raise ConfigurationError(f"generator for {type_name!r} is not callable: {fn!r}")
        if not type_name or not type_name.strip():
            raise ConfigurationError("register_generator needs a non-empty type_name")
        key = (type_name.strip().lower(), column_name)
        self._items = [r for r in self._items if (r.type_name, r.column_name) != key]
        self._items.append(Registration(key[0], fn, column_name))

    def find(
        self,
        table: Table,
        column: Column,
        *,
        types: Iterable[str],
        scoped: Mapping[str, Mapping[str, Fn]] | None = None,
    ) -> Fn | None:
        """Return the generator for ``column`` of ``table`` per the lookup order, or None.

        ``types`` are the type names the column answers to (semantic, kind, SQL type,
        ``"foreign_key"``); ``scoped`` are the per-call ``custom_generators``.
        """
        if scoped:
            for key in (table.key, table.name):
                if key in scoped and column.name in scoped[key]:
                    return scoped[key][column.name]
        qualified = {f"{table.key}.{column.name}", f"{table.name}.{column.name}"}
        wanted = {t.lower() for t in types if t}
        levels: tuple[Callable[[Registration[Fn]], bool], ...] = (
            lambda r: r.column_name in qualified,
            lambda r: r.column_name == column.name,
            lambda r: r.column_name is None and r.type_name in wanted,
        )
        for match in levels:
            # The newest registration wins within one level, as a user re-registering expects.
            for reg in reversed(self._items):
                if match(reg):
                    return cast("Fn", reg.fn)
        return None

    def __len__(self) -> int:
        return len(self._items)
