"""What a run took: rows, provider calls, re-asks, tokens, cost and seconds, table by table."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RunReport", "TableReport"]


@dataclass
class TableReport:
    """What generating one table took."""

    table: str
    rows: int = 0
    provider_calls: int = 0
    """Calls to the provider (for an LLM: HTTP calls, retries included; cache hits excluded)."""
    reasks: int = 0
    """Rounds of re-asking for invalid, duplicate or missing rows."""
    seconds: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_calls: int = 0
    cost_usd: float | None = 0.0
    """Estimated cost in US dollars (None when the model has no known price)."""
    fixed_locally: dict[str, int] = field(default_factory=dict)
    """Values of a model's rows fixed locally instead of re-asked, how many by rule
    (``discount_pct at most 50``, ``shipped_date >= order_date``; see
    :mod:`syda.providers.mechanical`)."""

    @property
    def fixed(self) -> int:
        """Values fixed locally, over all rules."""
        return sum(self.fixed_locally.values())

    def __str__(self) -> str:
        cost = "n/a" if self.cost_usd is None else f"${self.cost_usd:.4f}"
        return (
            f"{self.table}: {self.rows:,} rows in {self.seconds:.2f}s, "
            f"{self.provider_calls:,} provider calls, {self.reasks:,} re-asks, "
            f"{self.fixed:,} values fixed locally, "
            f"{self.input_tokens:,}/{self.output_tokens:,} tokens in/out, {cost}"
        )


@dataclass(repr=False)
class RunReport:
    """What a whole run took, table by table."""

    provider: str
    tables: dict[str, TableReport] = field(default_factory=dict)
    validation_seconds: float = 0.0

    @property
    def rows(self) -> int:
        """Rows generated over all tables."""
        return sum(t.rows for t in self.tables.values())

    @property
    def input_tokens(self) -> int:
        """Input (prompt) tokens over all tables."""
        return sum(t.input_tokens for t in self.tables.values())

    @property
    def output_tokens(self) -> int:
        """Output (completion) tokens over all tables."""
        return sum(t.output_tokens for t in self.tables.values())

    @property
    def cost_usd(self) -> float | None:
        """Estimated cost over all tables (None if any table's model has no known price)."""
        costs = [t.cost_usd for t in self.tables.values()]
        return None if any(c is None for c in costs) else sum(c or 0.0 for c in costs)

    @property
    def seconds(self) -> float:
        """Wall time of generation and validation."""
        return sum(t.seconds for t in self.tables.values()) + self.validation_seconds

    def summary(self) -> str:
        """A text table of the report, one line per table and a total, for logs and terminals."""
        head = (
            "table",
            "rows",
            "calls",
            "re-asks",
            "fixed",
            "tokens in",
            "tokens out",
            "cost $",
            "seconds",
        )
        body = [_cells(t.table, t) for t in self.tables.values()]
        total = _cells("total", self)
        widths = [max(len(row[i]) for row in (head, *body, total)) for i in range(len(head))]
        rule = "  ".join("-" * w for w in widths)
        lines = [_line(head, widths), rule, *(_line(row, widths) for row in body)]
        if body:
            lines += [rule, _line(total, widths)]
        if self.fixed_locally:
            by_rule = ", ".join(f"{r} ({n:,})" for r, n in sorted(self.fixed_locally.items()))
            lines.append(f"fixed locally, not re-asked: {by_rule}")
        lines.append(f"provider: {self.provider}; validation {self.validation_seconds:.2f}s")
        return "\n".join(lines)

    @property
    def provider_calls(self) -> int:
        """Calls to the provider over all tables."""
        return sum(t.provider_calls for t in self.tables.values())

    @property
    def reasks(self) -> int:
        """Re-ask rounds over all tables."""
        return sum(t.reasks for t in self.tables.values())

    @property
    def fixed_locally(self) -> dict[str, int]:
        """Values fixed locally over all tables, by rule (each rule named with its table)."""
        tables = self.tables.values()
        return {f"{t.table}.{rule}": n for t in tables for rule, n in t.fixed_locally.items()}

    @property
    def fixed(self) -> int:
        """Values fixed locally over all tables."""
        return sum(t.fixed for t in self.tables.values())

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        # What a REPL or notebook shows for ``gen.last_report``: the table, not the fields.
        return f"RunReport ({len(self.tables)} tables, {self.rows:,} rows)\n{self.summary()}"


def _cells(name: str, what: TableReport | RunReport) -> tuple[str, ...]:
    cost = what.cost_usd
    return (
        name,
        f"{what.rows:,}",
        f"{what.provider_calls:,}",
        f"{what.reasks:,}",
        f"{what.fixed:,}",
        f"{what.input_tokens:,}",
        f"{what.output_tokens:,}",
        "n/a" if cost is None else f"{cost:.4f}",
        f"{what.seconds:.2f}",
    )


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    # The table name to the left, every number to the right.
    first, *rest = cells
    numbers = (cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True))
    return "  ".join([first.ljust(widths[0]), *numbers])
