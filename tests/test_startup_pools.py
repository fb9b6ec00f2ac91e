"""The first table builds only the vocabularies it uses, and the disk cache never changes values.

Each test uses seeds no other test uses, so the pools it inspects are built by it alone, and a
temporary cache directory (``SYDA_CACHE_DIR``), so it starts cold.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from syda import SyntheticDataGenerator
from syda.generators.pools import Pools, get_pools

PEOPLE = {
    "id": "integer",
    "full_name": "string",
    "email": "string",
    "city": "string",
    "company_name": "string",
    "job_title": "string",
}
USERS = {"id": "integer", "first_name": "string", "email": "string"}
PRICES = {"id": "integer", "price": "float", "ordered_on": "date", "quantity": "integer"}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache directory, and pools forgotten before and after the test."""
    monkeypatch.setenv("SYDA_CACHE_DIR", str(tmp_path / "cache"))
    get_pools.cache_clear()
    yield tmp_path / "cache"
    get_pools.cache_clear()


def _generate(seed: int, schema: dict[str, str], name: str, rows: int = 200) -> pd.DataFrame:
    frame = SyntheticDataGenerator(seed=seed).generate_data(
        schema, sample_size=rows, table_name=name
    )
    assert isinstance(frame, pd.DataFrame)
    return frame


def _pools(seed: int) -> Pools:
    return get_pools(("en_US",), seed)


def _forget() -> None:
    """What a new process starts from: no pools in memory (the disk cache stays)."""
    get_pools.cache_clear()


def test_a_table_of_prices_and_dates_builds_no_vocabulary(cache: Path) -> None:
    frame = _generate(7301, PRICES, "orders")
    assert len(frame) == 200
    assert _pools(7301).built == frozenset()
    assert not cache.exists()  # nothing was sampled, so nothing was written


def test_a_table_of_people_builds_names_but_no_addresses(cache: Path) -> None:
    frame = _generate(7302, USERS, "users")
    assert frame["first_name"].notna().any()
    built = _pools(7302).built
    assert "names" in built
    assert {"addresses", "companies", "paragraphs"}.isdisjoint(built)


def test_cold_warm_and_uncached_runs_give_identical_data(cache: Path, tmp_path: Path) -> None:
    cold = _generate(7303, PEOPLE, "contacts")
    sampled = set(_pools(7303).sampled)
    assert {"names", "addresses", "companies"} <= sampled
    assert {p.name.split("-")[0] for p in (cache / "pools").iterdir()} == sampled

    _forget()
    warm = _generate(7303, PEOPLE, "contacts")
    assert _pools(7303).sampled == []  # every vocabulary came from the cache
    assert _pools(7303).built == sampled
    pd.testing.assert_frame_equal(warm, cold)
    assert warm.to_csv(index=False) == cold.to_csv(index=False)

    _forget()
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory would go")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SYDA_CACHE_DIR", str(blocked))  # unwritable, like a read-only home
        uncached = _generate(7303, PEOPLE, "contacts")
    assert set(_pools(7303).sampled) == sampled
    assert uncached.to_csv(index=False) == cold.to_csv(index=False)


@pytest.mark.parametrize(
    "content",
    ['{"key": ', "not json at all", '{"key": {}, "data": {}}', "[1, 2, 3]", ""],
    ids=["truncated", "garbage", "other-key", "wrong-type", "empty"],
)
def test_an_unusable_cache_file_is_ignored_and_replaced(cache: Path, content: str) -> None:
    cold = _generate(7304, USERS, "users", rows=50)
    files = sorted((cache / "pools").iterdir())
    for path in files:
        path.write_text(content, encoding="utf-8")

    _forget()
    again = _generate(7304, USERS, "users", rows=50)
    assert again.to_csv(index=False) == cold.to_csv(index=False)
    assert set(_pools(7304).sampled) == {p.name.split("-")[0] for p in files}
    assert all(p.read_text(encoding="utf-8") != content for p in files)  # rewritten whole


def test_a_cache_file_of_the_right_key_but_wrong_shape_is_resampled(cache: Path) -> None:
    cold = _generate(7305, {"id": "integer", "city": "string"}, "places", rows=50)
    (path,) = (cache / "pools").glob("addresses-*.json")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"latitude": [', '"latitude": [1.5, '), encoding="utf-8")

    _forget()
    again = _generate(7305, {"id": "integer", "city": "string"}, "places", rows=50)
    assert _pools(7305).sampled == ["addresses"]
    assert again.to_csv(index=False) == cold.to_csv(index=False)


def test_a_vocabulary_does_not_depend_on_the_ones_built_before_it(cache: Path) -> None:
    _generate(7306, {"id": "integer", "city": "string"}, "places", rows=20)
    assert _pools(7306).built == {"addresses"}
    after_others = _generate(7306, USERS, "users", rows=50)
    _forget()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SYDA_CACHE_DIR", str(cache.parent / "other-cache"))
        alone = _generate(7306, USERS, "users", rows=50)
    assert alone.to_csv(index=False) == after_others.to_csv(index=False)
