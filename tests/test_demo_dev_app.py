"""The ready demo schema of a web application's dev database reads as believable data.

The four ``fake_*`` tables of the dev-bootstrap document (:mod:`syda.demos.dev_app`), generated
with no options, and what a person looking at them would expect; and the FastAPI and Flask
start-up examples that seed them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from syda import SyntheticDataGenerator
from syda.demos import dev_app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "dev_bootstrap"
SIZES = {"FakeUser": 400, "FakeProduct": 120, "FakeOrder": 800, "FakeAnalytics": 1200}


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    gen = SyntheticDataGenerator(seed=11)
    return gen.generate_related_data(dev_app.MODELS, sample_sizes=SIZES)


def test_the_tables_have_the_documents_columns(frames: dict[str, pd.DataFrame]) -> None:
    assert {k: len(v) for k, v in frames.items()} == SIZES
    assert list(frames["FakeUser"].columns) == [
        "id",
        "first_name",
        "last_name",
        "email",
        "age",
        "department",
        "salary",
        "created_at",
        "is_active",
    ]
    assert "shipping_address" in frames["FakeOrder"] and "country" in frames["FakeAnalytics"]


def test_users(frames: dict[str, pd.DataFrame]) -> None:
    users = frames["FakeUser"]
    assert users["email"].is_unique and users["email"].str.contains("@").all()
    shares = users["department"].value_counts(normalize=True)
    assert shares.index[0] == "Engineering" and abs(shares["Engineering"] - 0.35) < 0.07
    median = users.groupby("department")["salary"].median()
    assert median["Engineering"] > median["Marketing"] > median["HR"]
    assert users["salary"].between(32_000, 240_000).all()
    assert users["age"].between(18, 70).all()
    assert 0.8 < users["is_active"].mean() < 0.95


def test_products(frames: dict[str, pd.DataFrame]) -> None:
    products = frames["FakeProduct"]
    assert products["name"].is_unique
    assert (products["cost"] <= products["price"]).all() and (products["cost"] > 0).all()
    assert products["brand"].isin(dev_app._BRANDS).all()
    weight = products["weight"].dropna()
    assert weight.between(0.05, 60).all() and 0.5 < weight.median() < 3
    # Dimensions grow with the weight: the heaviest tenth is bigger than the lightest tenth.
    sized = products.dropna(subset=["weight", "dimensions"])
    length = sized["dimensions"].str.extract(r"^(\d+) x \d+ x \d+ cm$")[0].astype(int)
    heavy = sized["weight"] >= sized["weight"].quantile(0.9)
    light = sized["weight"] <= sized["weight"].quantile(0.1)
    assert length[heavy].min() > length[light].max()
    assert 0.03 < products["is_featured"].mean() < 0.2


def test_orders(frames: dict[str, pd.DataFrame]) -> None:
    orders, users = frames["FakeOrder"], frames["FakeUser"].set_index("id")
    assert np.allclose(orders["total_amount"], (orders["quantity"] * orders["unit_price"]).round(2))
    assert (orders["quantity"] > 0).all() and (orders["unit_price"] > 0).all()
    joined = users.loc[orders["user_id"], "created_at"].to_numpy()
    assert (orders["order_date"].to_numpy() >= joined).all()  # no order before its user exists
    assert orders["status"].value_counts().index[0] == "delivered"


def test_analytics(frames: dict[str, pd.DataFrame]) -> None:
    events, users = frames["FakeAnalytics"], frames["FakeUser"].set_index("id")
    assert (events["event_date"].to_numpy() >= users.loc[events["user_id"], "created_at"]).all()
    assert events["page_path"].str.startswith("/").all()
    assert events["browser"].value_counts().index[0] == "Chrome"
    assert events["bounce_rate"].between(0, 1).all()
    assert events["page_views"].between(1, 80).all()
    assert 60 < events["session_duration"].median() < 400
    # Longer sessions see more pages and bounce less.
    ranks = events[["page_views", "session_duration", "bounce_rate"]].rank()
    assert ranks["page_views"].corr(ranks["session_duration"]) > 0.5
    assert ranks["bounce_rate"].corr(ranks["page_views"]) < -0.4
    assert events["country"].str.fullmatch(r"[A-Z]{2}").all()
    assert 0.01 < events["conversion"].mean() < 0.08
    device = events["device_type"].value_counts(normalize=True)
    assert device.index[0] == "desktop" and device["tablet"] < 0.15


@pytest.fixture
def example(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    monkeypatch.setenv("APP_ENV", "dev")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dev.db'}")
    monkeypatch.setattr(dev_app, "SAMPLE_SIZES", {k: 5 for k in dev_app.SAMPLE_SIZES})
    monkeypatch.syspath_prepend(str(EXAMPLES))
    name: str = request.param
    sys.modules.pop(name, None)
    yield name
    sys.modules.pop(name, None)


@pytest.mark.parametrize("example", ["fastapi_app"], indirect=True)
def test_fastapi_seeds_at_startup_and_keeps_the_rows(example: str) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    module = importlib.import_module(example)
    with TestClient(module.app) as client:
        body = client.get("/dev/fake-data-status").json()
        assert body["seeded_at_startup"]["outcome"] == "seeded"
        assert body["tables"]["FakeOrder"]["rows"] == 5
        assert "order_date" in body["tables"]["FakeOrder"]["date_ranges"]
    with TestClient(module.app) as client:  # a restart keeps the data
        body = client.get("/dev/fake-data-status").json()
        assert body["seeded_at_startup"]["outcome"] == "kept"
        reset = client.delete("/dev/reset-fake-data").json()
        assert reset["outcome"] == "seeded" and reset["reason"].startswith("dropped, recreated")


@pytest.mark.parametrize("example", ["flask_app"], indirect=True)
def test_flask_seeds_when_created(example: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("flask")
    module = importlib.import_module(example)
    app = module.create_app()
    assert app.config["SEED_OUTCOME"] == "seeded"
    body = app.test_client().get("/dev/fake-data-status").get_json()
    assert body["tables"] == {k: 5 for k in dev_app.SAMPLE_SIZES}
    assert module.create_app().config["SEED_OUTCOME"] == "kept"
    monkeypatch.setenv("APP_ENV", "production")
    assert module.create_app().config["SEED_OUTCOME"] == "skipped"
    assert app.test_client().get("/dev/fake-data-status").status_code == 404
