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


@dataclass
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
        """A small text table of the report, for logs and the command line."""
        head = ("table", "rows", "calls", "re-asks", "tokens in", "tokens out", "cost $", "seconds")
        lines = ["{:<20}{:>9}{:>7}{:>9}{:>11}{:>11}{:>9}{:>9}".format(*head)]
        for t in (*self.tables.values(), None):
            name, rows, calls, reasks, tin, tout, cost, secs = (
                (
                    t.table,
                    t.rows,
                    t.provider_calls,
                    t.reasks,
                    t.input_tokens,
                    t.output_tokens,
                    t.cost_usd,
                    t.seconds,
                )
                if t is not None
                else (
                    "total",
                    self.rows,
                    sum(x.provider_calls for x in self.tables.values()),
                    sum(x.reasks for x in self.tables.values()),
                    self.input_tokens,
                    self.output_tokens,
                    self.cost_usd,
                    self.seconds,
                )
            )
            money = "n/a" if cost is None else f"{cost:.4f}"
            lines.append(
                f"{name:<20}{rows:>9}{calls:>7}{reasks:>9}{tin:>11}{tout:>11}{money:>9}{secs:>9.2f}"
            )
        lines.append(f"provider: {self.provider}; validation {self.validation_seconds:.2f}s")
        return "\n".join(lines)
