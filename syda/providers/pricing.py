"""Estimated cost of LLM usage, from a price table the user can override.

Prices are US dollars per million tokens (input, output) as published by the vendors; they change,
so the table is a default, not a promise: pass ``ModelConfig(prices={...})`` for your own.
"""

from __future__ import annotations

from collections.abc import Mapping

from syda.providers.base import Usage

__all__ = ["PRICES", "estimate_cost"]

PRICES: Mapping[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "claude-3-5-haiku-latest": (0.80, 4.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-sonnet-4-5": (3.00, 15.00),
    "claude-3-7-sonnet-latest": (3.00, 15.00),
}


def estimate_cost(
    model: str, usage: Usage, prices: Mapping[str, tuple[float, float]] | None = None
) -> float | None:
    """Dollars for ``usage`` on ``model``; None when the model has no known price.

    A dated model name (``gpt-4o-mini-2024-07-18``) falls back to its undated family.
    """
    table = {**PRICES, **(prices or {})}
    price = table.get(model)
    if price is None:
        family = [name for name in table if model.startswith(name)]
        price = table[max(family, key=len)] if family else None
    if price is None:
        return None
    return (usage.input_tokens * price[0] + usage.output_tokens * price[1]) / 1_000_000
