"""Ground truth: the learned chain matches the one the data was drawn from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from syda.workflows import (
    ECOMMERCE_WORKFLOW,
    SyntheticGenerator,
    TraceDataset,
    WorkflowError,
    create_simple_workflow,
    estimate_transitions,
    ground_truth_frame,
)
from syda.workflows.truth import END, START


@pytest.fixture(scope="module")
def large() -> TraceDataset:
    # 100,000 sessions of the e-commerce workflow (about 1.3 million calls).
    return SyntheticGenerator(seed=2026).generate_dataset(num_users=100_000, sessions_per_user=1)


def test_100k_sessions_give_every_edge_within_a_hundredth(large: TraceDataset) -> None:
    assert large.num_sessions == 100_000
    estimate = estimate_transitions(large)
    edges = estimate.edges
    truth = ground_truth_frame(ECOMMERCE_WORKFLOW)
    assert len(edges) == len(truth)  # no edge the workflow does not have
    assert estimate.distance <= 0.01
    # And sampling explains the errors: none is beyond five standard errors.
    assert (edges["error"] <= 5 * edges["std_error"] + 1e-9).all()
    assert set(edges["kind"]) == {"entry", "transition", "exit"}
    assert estimate.matrix.loc["/api/login", "/api/users/{id}/profile"] == pytest.approx(
        0.6, abs=0.01
    )
    rows = estimate.matrix.sum(axis=1)
    assert np.allclose(rows, 1.0)
    assert estimate.truth.loc["/api/cart", "/api/checkout"] == 0.5


def test_the_documents_comparison_with_the_learned_dict(large: TraceDataset) -> None:
    learned = estimate_transitions(large).as_dict()
    errors = [
        (source, target)
        for source, row in ECOMMERCE_WORKFLOW.transitions.items()
        for target, p in row.items()
        if abs(learned.get(source, {}).get(target, 0) - p) > 0.01
    ]
    assert errors == []


def test_a_small_sample_is_off_by_more(large: TraceDataset) -> None:
    # The check can fail: a few hundred sessions miss the truth by several hundredths.
    small = SyntheticGenerator(seed=1).generate_dataset(num_users=100, sessions_per_user=2)
    assert estimate_transitions(small).distance > 0.03


def test_a_wrong_truth_is_caught(large: TraceDataset) -> None:
    wrong = create_simple_workflow()
    estimate = estimate_transitions(large, workflow=wrong)
    assert estimate.distance > 0.5
    # Edges the data shows but the claimed workflow lacks are listed with truth 0.
    unexpected = estimate.edges[estimate.edges["true_probability"] == 0]
    assert len(unexpected) > 10


def test_retries_are_not_steps_of_the_chain() -> None:
    dataset = SyntheticGenerator(seed=9).generate_dataset(
        num_users=20_000, sessions_per_user=1, workflow=create_simple_workflow(),
        cascade_failure_rate=1.0,
    )  # fmt: skip
    assert dataset.calls_frame()["is_retry"].mean() > 0.1
    assert estimate_transitions(dataset).distance < 0.02


def test_ground_truth_frame_lists_every_edge() -> None:
    truth = ground_truth_frame(create_simple_workflow())
    assert truth.values.tolist() == [
        ["entry", START, "/api/login", 1.0],
        ["transition", "/api/login", "/api/data", 1.0],
        ["transition", "/api/data", "/api/data", 0.4],
        ["transition", "/api/data", "/api/logout", 0.6],
        ["exit", "/api/logout", END, 1.0],
    ]
    shop = ground_truth_frame(ECOMMERCE_WORKFLOW)
    confirmed = shop[(shop["kind"] == "exit") & (shop["from_endpoint"].str.contains("confirm"))]
    assert confirmed["probability"].tolist() == [ECOMMERCE_WORKFLOW.exit_probability]


def test_estimate_from_files_read_back(tmp_path: Path) -> None:
    dataset = SyntheticGenerator(seed=3).generate_dataset(
        num_users=2000, workflow=create_simple_workflow(), cascade_failure_rate=0.3
    )
    written = dataset.save(tmp_path, "csv")
    calls = pd.read_csv(written["calls"])
    from_files = estimate_transitions(calls, workflow=create_simple_workflow())
    direct = estimate_transitions(dataset)
    pd.testing.assert_frame_equal(from_files.matrix, direct.matrix)
    with pytest.raises(WorkflowError, match="needs workflow="):
        estimate_transitions(calls)
