"""Sessions and datasets as a person reading them would expect: timing, codes, params, users."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from syda.workflows import (
    ECOMMERCE_WORKFLOW,
    SyntheticGenerator,
    TraceDataset,
    WorkflowError,
    create_simple_workflow,
)

START = datetime(2026, 3, 2, 9, 30)


@pytest.fixture(scope="module")
def dataset() -> TraceDataset:
    # About 3,000 sessions: enough for shares within a percent or two, fast to make.
    return SyntheticGenerator(seed=7).generate_dataset(num_users=1000, date_range_days=30)


@pytest.fixture(scope="module")
def calls(dataset: TraceDataset) -> pd.DataFrame:
    return dataset.calls_frame()


def test_a_session_walks_the_workflow() -> None:
    session = SyntheticGenerator(seed=1).generate_session(ECOMMERCE_WORKFLOW, "user_123", START)
    assert session.user_id == "user_123"
    assert session.start_time == START
    sequence = session.endpoint_sequence
    assert sequence == [c.endpoint for c in session.calls]
    assert sequence[0] in ECOMMERCE_WORKFLOW.entry_points
    for here, there in pairwise(sequence):
        assert ECOMMERCE_WORKFLOW.transitions[here][there] > 0
    # It ends where a session may end: at logout, or after an order is confirmed.
    assert sequence[-1] in ECOMMERCE_WORKFLOW.exit_points
    assert session.calls[0].timestamp == START
    assert [c.position for c in session.calls] == list(range(len(session)))


def test_the_same_seed_gives_the_same_session() -> None:
    one = SyntheticGenerator(seed=42).generate_session(ECOMMERCE_WORKFLOW, "user1", START)
    two = SyntheticGenerator(seed=42).generate_session(ECOMMERCE_WORKFLOW, "user1", START)
    other = SyntheticGenerator(seed=43).generate_session(ECOMMERCE_WORKFLOW, "user1", START)
    assert one.endpoint_sequence == two.endpoint_sequence
    assert one.calls == two.calls
    assert one.calls != other.calls


def test_the_same_seed_gives_the_same_dataset(dataset: TraceDataset, calls: pd.DataFrame) -> None:
    again = SyntheticGenerator(seed=7).generate_dataset(num_users=1000, date_range_days=30)
    assert again.calls_frame().equals(calls)
    assert again.sessions_frame().equals(dataset.sessions_frame())
    other = SyntheticGenerator(seed=8).generate_dataset(num_users=1000, date_range_days=30)
    assert not other.calls_frame().head(100).equals(calls.head(100))


def test_dataset_counts(dataset: TraceDataset, calls: pd.DataFrame) -> None:
    assert dataset.num_unique_users == 1000
    assert dataset.total_calls == len(calls) == sum(len(s.calls) for s in dataset.sessions)
    assert len(dataset.sessions) == dataset.num_sessions
    per_user = dataset.sessions_frame().groupby("user_id").size()
    # (3, 2): a rounded normal draw, at least one session each.
    assert per_user.min() >= 1
    assert 3.0 < per_user.mean() < 3.4


def test_timestamps_follow_the_calls(dataset: TraceDataset, calls: pd.DataFrame) -> None:
    assert calls["timestamp"].min() >= datetime(2026, 1, 1)
    sessions = dataset.sessions_frame()
    assert sessions["start_time"].max() < datetime(2026, 1, 31)
    gap = calls.groupby("session_id")["timestamp"].diff().dt.total_seconds()
    previous = calls.groupby("session_id")["response_time_ms"].shift() / 1000
    pause = (gap - previous).dropna()
    # 1-5 s between clicks, 10-30 s when reading a page, never overlapping a response.
    assert pause.min() >= 0.999
    assert pause.max() <= 30.001
    assert 0.6 < pause.between(1, 5).mean() < 0.9
    assert pause.between(10, 30).mean() > 0.1
    # More traffic in the afternoon than in the small hours.
    hours = sessions["start_time"].dt.hour
    assert (hours == 14).sum() > 5 * (hours == 3).sum()


def test_status_codes_are_mostly_success(calls: pd.DataFrame) -> None:
    shares = calls["status_code"].value_counts(normalize=True)
    assert set(shares.index) == {200, 400, 500}
    assert shares[200] == pytest.approx(0.95, abs=0.005)
    assert shares[400] > shares[500]


def test_methods_and_response_times_by_endpoint(calls: pd.DataFrame) -> None:
    methods = calls.groupby("endpoint", observed=True)["method"].agg(lambda m: set(m))
    assert methods["/api/login"] == {"POST"}
    assert methods["/api/payment"] == {"POST"}
    assert methods["/api/users/{id}/update"] == {"PUT"}
    assert methods["/api/products"] == {"GET"}
    mean = calls.groupby("endpoint", observed=True)["response_time_ms"].mean()
    # The workflow's avg_response_times, within a few percent (a 20% normal spread).
    assert mean["/api/payment"] == pytest.approx(450, rel=0.05)
    assert mean["/api/logout"] == pytest.approx(30, rel=0.05)
    assert mean["/api/login"] == pytest.approx(120, rel=0.05)
    assert calls["response_time_ms"].min() > 0


def test_request_parameters(calls: pd.DataFrame) -> None:
    params = calls["params"].map(json.loads)
    search = params[calls["endpoint"] == "/api/search"]
    assert all(set(p) == {"q", "sort"} for p in search)
    assert search.map(lambda p: p["q"]).nunique() > 5
    browse = params[calls["endpoint"] == "/api/products"]
    assert all(set(p) == {"category", "page"} for p in browse)
    pages = browse.map(lambda p: int(p["page"]))
    assert (pages == 1).mean() > 0.4
    profile = calls["endpoint"] == "/api/users/{id}/profile"
    # The user's own id is in the path of their profile.
    assert (params[profile].map(lambda p: p["id"]) == calls.loc[profile, "user_id"]).all()
    product = params[calls["endpoint"] == "/api/products/{id}"].map(lambda p: int(p["id"]))
    assert product.between(1, 5000).all()
    # Popular products are viewed far more than the rest.
    assert (product <= 500).mean() > 0.4
    assert (params[calls["endpoint"] == "/api/cart"] == {}).all()


def test_user_types_follow_the_workflow(dataset: TraceDataset) -> None:
    sessions = dataset.sessions_frame()
    types = sessions.drop_duplicates("user_id")["user_type"].value_counts(normalize=True)
    assert types["free"] == pytest.approx(0.6, abs=0.04)
    assert types["premium"] == pytest.approx(0.3, abs=0.04)
    assert types["trial"] == pytest.approx(0.1, abs=0.03)
    # A user keeps one type over all their sessions.
    assert sessions.groupby("user_id")["user_type"].nunique().max() == 1


def test_inject_cascade_from_mid_session() -> None:
    gen = SyntheticGenerator(seed=3)
    # Several sessions, so every effect shows up.
    sessions = [gen.generate_session(ECOMMERCE_WORKFLOW, f"u{i}", START) for i in range(40)]
    failed = [gen.inject_cascade(s) for s in sessions]
    for normal, broken in zip(sessions, failed, strict=True):
        assert not normal.has_cascade and broken.has_cascade
        start = broken.cascade_start
        assert start is not None
        assert len(normal) // 3 <= start <= len(normal) // 2
        # Before the episode nothing changes; from it on every call is labelled.
        assert broken.calls[:start] == normal.calls[:start]
        assert all(c.cascade for c in broken.calls[start:])
        originals = [c.endpoint for c in broken.calls if not c.is_retry]
        assert originals == normal.endpoint_sequence
        for before, retry in zip(broken.calls, broken.calls[1:], strict=False):
            if retry.is_retry:
                assert retry.endpoint == before.endpoint and before.cascade_effect != "none"
    episode = [c for s in failed for c in s.calls if c.cascade]
    effects = {c.cascade_effect for c in episode}
    assert effects == {"none", "slow", "timeout", "unavailable"}
    for c in episode:
        if c.cascade_effect == "timeout":
            assert (c.status_code, c.response_time_ms) == (504, 30000.0)
        if c.cascade_effect == "unavailable":
            assert c.status_code == 503
    assert any(c.is_retry for c in episode)


def test_cascade_failure_rate_is_the_share_of_sessions() -> None:
    dataset = SyntheticGenerator(seed=5).generate_dataset(
        num_users=300, cascade_failure_rate=0.2, workflow=create_simple_workflow()
    )
    sessions = dataset.sessions_frame()
    assert sessions["cascade"].sum() == round(0.2 * len(sessions))
    calls = dataset.calls_frame()
    labelled = calls.groupby("session_id")["cascade"].any()
    assert (labelled == sessions.set_index("session_id")["cascade"]).all()
    episode = calls[calls["cascade"]]
    shares = episode.loc[~episode["is_retry"], "cascade_effect"].value_counts(normalize=True)
    assert shares["slow"] == pytest.approx(0.6, abs=0.06)
    assert shares["timeout"] == pytest.approx(0.2, abs=0.05)
    assert shares["unavailable"] == pytest.approx(0.15, abs=0.05)
    failed = [s for s in dataset.sessions if any(c.status_code != 200 for c in s.calls)]
    assert len(failed) > sessions["cascade"].sum() * 0.8
    # Outside the episodes the calls are as usual.
    assert not calls.loc[~calls["cascade"], "status_code"].isin([503, 504]).any()


def test_sessions_frame(dataset: TraceDataset, calls: pd.DataFrame) -> None:
    sessions = dataset.sessions_frame()
    assert list(sessions.columns) == [
        "session_id", "user_id", "user_type", "workflow", "start_time", "end_time",
        "num_calls", "num_errors", "truncated", "cascade", "cascade_start",
    ]  # fmt: skip
    assert sessions["session_id"].is_unique
    assert (sessions["end_time"] > sessions["start_time"]).all()
    assert sessions["num_calls"].sum() == len(calls)
    errors = calls.assign(e=calls["status_code"] != 200).groupby("session_id")["e"].sum()
    assert (sessions.set_index("session_id")["num_errors"] == errors).all()
    assert sessions["cascade_start"].isna().all()
    # Each user's sessions come in the order they happen.
    assert sessions.groupby("user_id")["start_time"].is_monotonic_increasing.all()


def test_max_length_cuts_long_sessions() -> None:
    loop = create_simple_workflow()
    loop.transitions["/api/data"] = {"/api/data": 0.95, "/api/logout": 0.05}
    dataset = SyntheticGenerator(seed=2).generate_dataset(
        num_users=50, workflow=loop, max_length=10
    )
    sessions = dataset.sessions_frame()
    assert sessions["num_calls"].max() == 10
    assert (sessions["truncated"] == (sessions["num_calls"] == 10)).mean() > 0.9
    assert sessions["truncated"].any()


def test_save_to_parquet_writes_the_ground_truth_beside_the_data(
    tmp_path: Path, dataset: TraceDataset
) -> None:
    written = dataset.save_to_parquet(tmp_path / "synthetic" / "train.parquet")
    assert sorted(p.name for p in (tmp_path / "synthetic").iterdir()) == [
        "train.parquet",
        "train_ground_truth.parquet",
        "train_sessions.parquet",
        "train_workflow.yaml",
    ]
    assert set(written) == {"calls", "sessions", "ground_truth", "workflow"}
    back = pd.read_parquet(tmp_path / "synthetic" / "train.parquet")
    assert len(back) == dataset.total_calls
    assert back["endpoint"].astype(str).tolist() == dataset.calls_frame()["endpoint"].tolist()
    truth = pd.read_parquet(tmp_path / "synthetic" / "train_ground_truth.parquet")
    edge = truth[
        (truth["from_endpoint"] == "/api/login")
        & (truth["to_endpoint"] == "/api/users/{id}/profile")
    ]
    assert edge["probability"].tolist() == [0.6]


def test_sessions_point_at_a_users_dataframe() -> None:
    users = pd.DataFrame(
        {"id": [10, 20, 30, 40], "user_type": ["free", "free", "premium", "guest"]}
    )
    dataset = SyntheticGenerator(seed=1).generate_dataset(users=users, sessions_per_user=2)
    sessions = dataset.sessions_frame()
    assert sorted(sessions["user_id"].unique()) == [10, 20, 30, 40]
    assert len(sessions) == 8
    types = sessions.drop_duplicates("user_id").set_index("user_id")["user_type"]
    assert types.to_dict() == {10: "free", 20: "free", 30: "premium", 40: "guest"}
    some = SyntheticGenerator(seed=1).generate_dataset(users=users, num_users=2)
    assert some.num_unique_users == 2
    with pytest.raises(WorkflowError, match="num_users=5 but the users table has 4 rows"):
        SyntheticGenerator(seed=1).generate_dataset(users=users, num_users=5)


def test_sessions_point_at_a_users_table_generated_from_a_schema(tmp_path: Path) -> None:
    schema = {
        "companies": {
            "columns": {"id": {"type": "integer", "primary_key": True}, "name": "company"}
        },
        "users": {
            "columns": {
                "id": {"type": "integer", "primary_key": True},
                "company_id": {"type": "integer", "references": "companies.id"},
                "email": "email",
                "user_type": {"type": "varchar(10)", "values": ["free", "premium"]},
            }
        },
        # Points at users: not needed for the sessions, so not made.
        "orders": {
            "columns": {
                "id": {"type": "integer", "primary_key": True},
                "user_id": {"type": "integer", "references": "users.id"},
            }
        },
    }
    dataset = SyntheticGenerator(seed=4).generate_dataset(num_users=25, schema=schema)
    assert sorted(dataset.tables) == ["companies", "users"]
    users = dataset.tables["users"]
    assert len(users) == 25
    assert users["company_id"].isin(dataset.tables["companies"]["id"]).all()
    sessions = dataset.sessions_frame()
    assert sessions["user_id"].isin(users["id"]).all()
    assert dataset.num_unique_users == 25
    assert set(sessions["user_type"]) <= {"free", "premium"}
    written = dataset.save(tmp_path / "out", "csv")
    assert set(written) == {"calls", "sessions", "ground_truth", "companies", "users", "workflow"}
    back = pd.read_csv(written["sessions"])
    assert back["user_id"].isin(pd.read_csv(written["users"])["id"]).all()
    with pytest.raises(WorkflowError, match="no table 'accounts'"):
        SyntheticGenerator(seed=4).generate_dataset(schema=schema, users_table="accounts")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sessions_per_user": (0.5, 1)}, "the mean must be 1 or more"),
        ({"sessions_per_user": "many"}, r"sessions_per_user \(--sessions\) must be"),
        ({"date_range_days": 0}, r"date_range_days \(--days\) is 0"),
        ({"cascade_failure_rate": 1.5}, r"cascade_failure_rate \(--cascade-rate\) is 1.5"),
        ({"num_users": -1}, r"num_users \(--users\) is -1"),
        ({"num_users": 2.5}, r"num_users \(--users\) is 2.5"),
        ({"max_length": 0}, r"^generate_dataset: max_length \(--max-length\) is 0"),
    ],
)
def test_bad_options_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(WorkflowError, match=message):
        SyntheticGenerator(seed=1).generate_dataset(**options)  # type: ignore[arg-type]


def test_progress_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="syda"):
        SyntheticGenerator(seed=1).generate_dataset(num_users=5, show_progress=True)
    done = [r for r in caplog.records if getattr(r, "syda_progress", False)]
    assert done and done[-1].getMessage() == "users: 5 of 5"


def test_timezone_aware_start_times_are_read_as_utc() -> None:
    from datetime import timezone

    aware = datetime(2026, 3, 2, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    session = SyntheticGenerator(seed=1).generate_session(ECOMMERCE_WORKFLOW, "u", aware)
    assert session.start_time == START


def test_an_empty_dataset() -> None:
    dataset = SyntheticGenerator(seed=1).generate_dataset(num_users=0)
    assert dataset.total_calls == 0 and dataset.sessions == []
    assert dataset.calls_frame().empty and dataset.sessions_frame().empty
    # The truth is the workflow's, data or not.
    assert (dataset.ground_truth()["kind"] == "entry").sum() == 3


def test_inject_cascade_into_a_session_of_a_dataset(dataset: TraceDataset) -> None:
    session = max(dataset.sessions[:50], key=len)
    failed = SyntheticGenerator(seed=1).inject_cascade(session)
    assert (failed.session_id, failed.user_id) == (session.session_id, session.user_id)
    assert failed.start_time == session.start_time
    assert failed.has_cascade and not session.has_cascade
    assert [c.endpoint for c in failed.calls if not c.is_retry] == session.endpoint_sequence
    # The dataset itself is untouched.
    assert not dataset.sessions_frame()["cascade"].any()


def test_save_as_json(tmp_path: Path, dataset: TraceDataset) -> None:
    written = dataset.save(tmp_path, "json")
    rows = json.loads(written["calls"].read_text())
    assert len(rows) == dataset.total_calls
    assert set(rows[0]) >= {"endpoint", "method", "timestamp", "response_time_ms", "params"}


def test_the_dataset_keeps_the_truth_it_was_drawn_from() -> None:
    workflow = create_simple_workflow()
    dataset = SyntheticGenerator(seed=1).generate_dataset(num_users=5, workflow=workflow)
    workflow.transitions["/api/data"] = {"/api/logout": 1.0}
    truth = dataset.ground_truth()
    stay = truth[(truth["from_endpoint"] == "/api/data") & (truth["to_endpoint"] == "/api/data")]
    assert stay["probability"].tolist() == [0.4]


def test_a_users_table_named_as_a_trace_frame_is_refused() -> None:
    """A parent of users called sessions would silently replace the sessions frame."""
    schema = {
        "sessions": {"columns": {"id": {"type": "integer", "primary_key": True}}},
        "users": {
            "columns": {
                "id": {"type": "integer", "primary_key": True},
                "session_id": {"type": "integer", "references": "sessions.id"},
            }
        },
    }
    with pytest.raises(WorkflowError, match="a users table named 'sessions' would replace"):
        SyntheticGenerator(seed=1).generate_dataset(num_users=3, schema=schema)
