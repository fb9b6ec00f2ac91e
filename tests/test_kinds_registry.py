"""Semantic kinds a user registers: recognised like the built-ins, filled by their generator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import syda
from syda import ConfigurationError, SyntheticDataGenerator, depends_on


@pytest.fixture
def ticker() -> Iterator[None]:
    @depends_on("exchange")
    def tickers(ctx: Any) -> Any:
        letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        codes = ["".join(row) for row in letters[ctx.rng.integers(0, 26, (ctx.n, 4))]]
        return [f"{x}:{c}" for x, c in zip(ctx["exchange"], codes, strict=True)]

    syda.register_kind("ticker", tickers, exact=("symbol",), tokens=("ticker",))
    try:
        yield
    finally:
        syda.unregister_kind("ticker")


def test_a_registered_kind_is_recognised_by_name_and_filled_by_its_generator(
    ticker: None,
) -> None:
    schema = {
        "stocks": {
            "id": "integer",
            "exchange": {"type": "varchar(6)", "values": ["NYSE", "NASDAQ"]},
            "stock_ticker": "varchar(12)",
            "symbol": "varchar(12)",
        }
    }
    gen = SyntheticDataGenerator(seed=1)
    df = gen.generate_related_data(schema, sample_sizes={"stocks": 200})["stocks"]
    for column in ("stock_ticker", "symbol"):
        prefix = df[column].str.split(":").str[0]
        assert (prefix == df["exchange"]).all()
        assert df[column].str.fullmatch(r"(NYSE|NASDAQ):[A-Z]{4}").all()
    columns = gen.profile(schema).tables["stocks"].columns
    assert columns["stock_ticker"].semantic == "ticker"


def test_a_registered_kind_is_a_type_name_and_goes_away_when_unregistered(ticker: None) -> None:
    schema = {"id": "integer", "exchange": {"type": "string", "values": ["LSE"]}, "t": "ticker"}
    df = SyntheticDataGenerator(seed=2).generate_data(schema, sample_size=20)
    assert df["t"].str.startswith("LSE:").all()
    syda.unregister_kind("ticker")
    with pytest.raises(syda.SchemaError):
        SyntheticDataGenerator(seed=2).generate_data(schema, sample_size=20)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Bad Name", len), "lowercase letters"),
        (("ok", "not callable"), "not callable"),
    ],
)
def test_bad_registrations_are_configuration_errors(args: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        syda.register_kind(*args)
    with pytest.raises(ConfigurationError, match="not a logical type"):
        syda.register_kind("ok", len, kind="blob")  # type: ignore[arg-type]
