"""LLM amplification: the LLM writes each table's profile once, the streaming engine draws rows.

Uses the contract's test double answering as the stand-in would (see test_profile_mode.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from syda import load_schema
from syda.validation import check_dataset
from tests.providers.test_profile_mode import MODELS, asked, make

pq = pytest.importorskip("pyarrow.parquet")
SIZES = {"Customer": 1_200, "Contact": 1_500, "Product": 30, "Order": 1_500, "OrderItem": 2_000}


@pytest.mark.slow
def test_the_llm_writes_profiles_once_and_the_rows_stream_offline(tmp_path: Path) -> None:
    gen, client = make(mode="profile")
    report = gen.generate_to(MODELS, tmp_path, sample_sizes=SIZES, chunk_rows=1_000)
    calls = asked(client)
    assert calls["rows"] == []  # no row is asked of the LLM
    assert sorted(calls["profile"]) == sorted(SIZES)  # one profile call per table
    schema = load_schema(MODELS)
    frames = {t.key: pq.read_table(tmp_path / t.name).to_pandas() for t in schema}
    assert report.rows == SIZES
    assert check_dataset(schema, frames) == []
    # The rows are drawn from what the LLM wrote: Order.status only takes its vocabulary.
    written = gen.profile(MODELS).tables["Order"].columns["status"].values
    assert written is not None
    assert set(frames["Order"]["status"]) <= {str(v) for v in dict(written)}
