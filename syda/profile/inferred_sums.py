"""The arithmetic a careful person writes between a line, its product and its document.

The rules are data (:mod:`syda.profile.infer_rules`, ``QUANTITY`` to ``HEADER_TOTALS``):

* a **line** is a table with a quantity column. Its unit price is its product's, copied:
  ``from_parent: product.unit_price`` (the product's price of the same name, else its list or
  retail price, else a price; never a cost), through a parent's parent where the line points
  at an offer of the product (TPC-H: ``lineitem -> partsupp -> part``);
* its **amount** is the quantity times that price, less the line's discount when the amount
  is net: ``expr: l_quantity * partsupp.part.p_retailprice``;
* a **document's total** is the sum of its lines' amounts:
  ``aggregate: sum(lineitem.l_extendedprice)``, or ``sum(InvoiceLine.UnitPrice *
  InvoiceLine.Quantity)`` where the lines keep no amount;
* a price the lines copy is never NULL on the product (``null_share: 0``): a line without a
  price would break its NOT NULL, or have no amount.

Like every inferred spec, none is written where the schema or the user says how the column is
drawn, and none the column's constraints reject.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlglot import exp

from syda.generators.infer import name_tokens
from syda.generators.values_measure import in_percent
from syda.profile import infer_rules as rules
from syda.profile.aggregate import aggregate_problems
from syda.profile.lineage import Link, index_of, links
from syda.schema.ir import Column, Schema, Table

__all__ = ["Line", "line_of", "sum_specs"]

_NUMBERS = frozenset({"integer", "float", "decimal"})
_AMOUNTS = frozenset({"float", "decimal"})
_DERIVED = ("aggregate", "expr", "from_parent", "template")
Free = Callable[[str], bool]
"""Whether a rule may write the column's spec (a value column nobody declared a source for)."""


@dataclass(frozen=True)
class Line:
    """What a line table holds: its quantity, and where its price and amount come from."""

    table: Table
    quantity: Column
    price: Column | None
    """The line's own unit price column (``unit_price``, ``priceEach``), if any."""
    source: tuple[Link, Column] | None
    """The product's price the line is sold at, and the parent it is read through."""
    amount: tuple[Column, rules.LineAmount] | None
    discount: Column | None
    extended: tuple[tuple[Column, Column], ...] = ()
    """(``ext_X``, ``X``): amounts that are the quantity times another column of the line."""

    def price_sql(self) -> str | None:
        """The unit price as SQL over the row: its own column, else the product's."""
        if self.price is not None:
            return _ident(self.price.name)
        if self.source is not None:
            link, column = self.source
            return _ref(link.alias, column.name)
        return None


def line_of(schema: Schema, table: Table) -> Line | None:
    """The table read as a line (``None`` when it has no quantity column)."""
    memo = index_of(schema).memo
    key = ("line", table.key)
    if key not in memo:
        memo[key] = _read_line(schema, table)
    found: Line | None = memo[key]
    return found


def _read_line(schema: Schema, table: Table) -> Line | None:
    keys = _key_columns(table)
    values = [c for c in table.columns if c.name not in keys and not c.generated]
    quantity = next((c for c in values if c.kind in _NUMBERS and _is_quantity(c)), None)
    if quantity is None:
        return None
    extended = tuple(
        (c, each) for c in values if (each := _per_unit(c, values, quantity)) is not None
    )
    taken = {c.name for c, _ in extended}
    amount = next(((c, r) for c in values if c.name not in taken for r in _amount_rule(c)), None)
    price = next((c for c in values if _is_price(c) and c is not quantity), None)
    discount = next((c for c in values if c.kind in _NUMBERS and _is_share(c)), None)
    target = price or (amount[0] if amount else None)
    source = _source(schema, table, price, target) if target is not None else None
    return Line(table, quantity, price, source, amount, discount, extended)


def sum_specs(schema: Schema, table: Table, free: Free) -> dict[str, dict[str, Any]]:
    """The specs the line, amount, total and price rules write for ``table``."""
    out: dict[str, dict[str, Any]] = {}
    line = line_of(schema, table)
    if line is not None:
        if line.price is not None and line.source is not None and free(line.price.name):
            link, column = line.source
            out[line.price.name] = {"from_parent": f"{link.alias}.{column.name}"}
        text = _amount_sql(line)
        if line.amount is not None and text is not None and free(line.amount[0].name):
            out[line.amount[0].name] = {"expr": text}
        for column, each in line.extended:
            if free(column.name):
                out[column.name] = {"expr": _rounded(column, _times(line, each))}
    else:
        out.update(_totals(schema, table, free))
    for name in _read_prices(schema, table):
        if free(name) and table.column(name).nullable:
            out.setdefault(name, {})["null_share"] = 0.0
    return out


# -- a line -----------------------------------------------------------------------------------
def _is_quantity(col: Column) -> bool:
    tokens = _tokens(col.name)
    return bool(tokens & rules.QUANTITY) and not tokens & rules.NOT_QUANTITY


def _is_price(col: Column) -> bool:
    tokens = _tokens(col.name)
    return col.kind in _AMOUNTS and bool(tokens & rules.PRICE) and not tokens & rules.NOT_PRICE


def _is_share(col: Column) -> bool:
    tokens = _tokens(col.name)
    return bool(tokens & rules.DISCOUNT) and not tokens & rules.NOT_SHARE


def _per_unit(col: Column, values: list[Column], quantity: Column) -> Column | None:
    """The line's ``X`` that an ``ext_X`` column multiplies by the quantity, if any."""
    tokens = _tokens(col.name)
    if col.kind not in _AMOUNTS or col.unique or not tokens & rules.EXTENDED:
        return None
    rest = tokens - rules.EXTENDED
    return next(
        (
            c
            for c in values
            if c is not col and c is not quantity and c.kind in _NUMBERS and _tokens(c.name) == rest
        ),
        None,
    )


def _times(line: Line, each: Column) -> str:
    return f"{_ident(line.quantity.name)} * {_ident(each.name)}"


def _rounded(column: Column, text: str) -> str:
    return text if column.kind == "decimal" else f"round({text}, 2)"


def _amount_rule(col: Column) -> list[rules.LineAmount]:
    if col.kind not in _AMOUNTS or col.unique:
        return []
    tokens = _tokens(col.name)
    if tokens & (rules.AMOUNT_EXCLUDES | rules.QUANTITY):
        return []
    return [r for r in rules.LINE_AMOUNTS if tokens & r.words][:1]


def _source(
    schema: Schema, table: Table, own: Column | None, target: Column
) -> tuple[Link, Column] | None:
    """The nearest parent's price a line is sold at: same name, else list price, else a price."""
    for link in links(schema, table):
        if link.nullable and not target.nullable:
            continue  # some lines would have no price for a NOT NULL column
        prices = _prices(schema, link.table)
        if not prices:
            continue
        same = [c for c in prices if own is not None and c.name.lower() == own.name.lower()]
        listed = [c for c in prices if _tokens(c.name) & rules.LIST_PRICE]
        return link, (same or listed or prices)[0]
    return None


def _prices(schema: Schema, table: Table) -> list[Column]:
    """The prices a table sells at; none on a line's document (an order with a total)."""
    memo = index_of(schema).memo
    key = ("prices", table.key)
    if key not in memo:
        document = any(_is_total(table, c) for c in table.columns)
        memo[key] = (
            [] if document else [c for c in table.columns if _is_price(c) and not _derived(c)]
        )
    found: list[Column] = memo[key]
    return found


def _derived(col: Column) -> bool:
    """A column the schema fills from others (an aggregate, an expression): not copied."""
    own = col.info.get("syda") if isinstance(col.info, Mapping) else None
    return isinstance(own, Mapping) and any(own.get(k) for k in _DERIVED)


def _amount_sql(line: Line) -> str | None:
    price = line.price_sql()
    if line.amount is None or price is None:
        return None
    column, rule = line.amount
    text = f"{_ident(line.quantity.name)} * {price}"
    if rule.discounted and line.discount is not None:
        share = _ident(line.discount.name)
        share = f"{share} / 100" if in_percent(line.discount) else share
        text = f"{text} * (1 - {share})"
    return _rounded(column, text)


def _line_sum(line: Line) -> str | None:
    """The sum of a line table's amounts, as an aggregate over it."""
    child = line.table.key
    if line.amount is not None:
        return f"sum({_of(child, line.amount[0].name)})"
    if line.price is None:
        return None  # the price lives on the product, which an aggregate cannot read
    text = f"{_of(child, line.quantity.name)} * {_of(child, line.price.name)}"
    if line.discount is not None:
        share = _of(child, line.discount.name)
        share = f"{share} / 100" if in_percent(line.discount) else share
        text = f"{text} * (1 - {share})"
    return f"sum({text})"


# -- a document and the prices its lines read ---------------------------------------------------
def _totals(schema: Schema, table: Table, free: Free) -> dict[str, dict[str, Any]]:
    lines = [
        line
        for child in index_of(schema).children.get(table.key, [])
        if child.key != table.key
        and sum(fk.ref_table == table.key for fk in child.foreign_keys) == 1
        and (line := line_of(schema, child)) is not None
    ]
    texts = [t for t in map(_line_sum, lines) if t is not None]
    if len(texts) != 1:
        return {}  # no lines, or several kinds of line: which ones make the total is unclear
    out: dict[str, dict[str, Any]] = {}
    keys = _key_columns(table)
    for col in table.columns:
        if col.name in keys or not free(col.name) or not _is_total(table, col):
            continue
        text = texts[0] if col.kind == "decimal" else f"round({texts[0]}, 2)"
        if not aggregate_problems(schema, table, col, text):
            out[col.name] = {"aggregate": text}
    return out


def _is_total(table: Table, col: Column) -> bool:
    tokens = _tokens(col.name)
    if col.kind not in _AMOUNTS or col.unique or not tokens & rules.HEADER_TOTALS:
        return False
    if tokens & (rules.AMOUNT_EXCLUDES | rules.QUANTITY):
        return False
    if any(col.name in (c.left, c.right) for c in table.comparisons):
        return False
    # A document without lines totals 0; a column that must stay above 0 or cannot hold a
    # large sum keeps some other number.
    if col.minimum is not None and col.minimum > 0:
        return False
    if col.maximum is not None and col.maximum < rules.TOTAL_ROOM:
        return False
    if col.kind == "decimal" and col.precision is not None:
        return 10.0 ** (col.precision - (col.scale or 0)) >= rules.TOTAL_ROOM
    return True


def _read_prices(schema: Schema, table: Table) -> list[str]:
    """Columns of ``table`` that the lines below it copy as their price."""
    children = index_of(schema).children
    below = {c.key: c for c in children.get(table.key, [])}
    for child in list(below.values()):
        for grand in children.get(child.key, []):
            below.setdefault(grand.key, grand)
    read: list[str] = []
    for other in below.values():
        line = line_of(schema, other) if other.key != table.key else None
        if line is not None and line.source is not None and line.source[0].table.key == table.key:
            read.append(line.source[1].name)
    return list(dict.fromkeys(read))


# -- names ------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _tokens(name: str) -> frozenset[str]:
    # Every rule reads every column's words, table after table: read each name once.
    return frozenset(name_tokens(name))


def _key_columns(table: Table) -> set[str]:
    keys = set(table.primary_key)
    keys.update(c for fk in table.foreign_keys for c in fk.columns)
    return keys


def _ident(name: str) -> str:
    return exp.column(name).sql(dialect="duckdb")


def _ref(alias: str, name: str) -> str:
    """A parent's column as SQL, each part quoted where it must be (``"order".total``)."""
    hops = alias.split(".")
    if len(hops) == 2:
        return exp.column(name, table=hops[1], db=hops[0]).sql(dialect="duckdb")
    return _of(alias, name)


def _of(table: str, name: str) -> str:
    """``table.name`` as SQL (a table key holding a dot stays one quoted name)."""
    return exp.column(name, table=table).sql(dialect="duckdb")
