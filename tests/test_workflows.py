"""Workflow definitions: the built-ins, validation, YAML round trips, what endpoint names imply."""

from __future__ import annotations

from pathlib import Path

import pytest

from syda.errors import ConfigurationError
from syda.workflows import (
    BUILTIN_WORKFLOWS,
    ECOMMERCE_WORKFLOW,
    SyntheticGenerator,
    WorkflowDefinition,
    WorkflowError,
    create_microservices_workflow,
    create_simple_workflow,
    validate_workflow,
)
from syda.workflows.endpoints import http_method, mean_response_ms


def _shop(**changes: object) -> WorkflowDefinition:
    fields: dict[str, object] = {
        "name": "shop",
        "entry_points": {"/api/login": 0.6, "/api/browse": 0.4},
        "transitions": {
            "/api/login": {"/api/profile": 0.8, "/api/browse": 0.2},
            "/api/profile": {"/api/browse": 0.7, "/api/logout": 0.3},
            "/api/browse": {"/api/browse": 0.5, "/api/logout": 0.5},
        },
        "exit_points": {"/api/logout"},
    }
    fields.update(changes)
    return WorkflowDefinition(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(BUILTIN_WORKFLOWS))
def test_builtin_workflows_are_valid(name: str) -> None:
    workflow = BUILTIN_WORKFLOWS[name]()
    assert workflow.name == name
    assert validate_workflow(workflow) == []


def test_ecommerce_workflow_has_the_documented_shape() -> None:
    w = SyntheticGenerator.ECOMMERCE_WORKFLOW
    assert w is ECOMMERCE_WORKFLOW
    assert w.entry_points == {"/api/login": 0.6, "/api/products": 0.3, "/api/search": 0.1}
    # The document's ground-truth example reads this edge.
    assert w.transitions["/api/login"]["/api/users/{id}/profile"] == 0.6
    # Half of the carts are abandoned.
    assert w.transitions["/api/cart"]["/api/checkout"] == 0.5
    assert "/api/logout" in w.exit_points
    assert create_simple_workflow().endpoints == ["/api/login", "/api/data", "/api/logout"]
    assert any("payment" in e for e in create_microservices_workflow().endpoints)


def test_a_valid_workflow_has_no_problems() -> None:
    assert validate_workflow(_shop()) == []
    assert SyntheticGenerator.validate_workflow(_shop()) == []


def test_probabilities_that_do_not_sum_to_one_are_reported() -> None:
    problems = validate_workflow(
        _shop(
            entry_points={"/api/login": 0.5, "/api/browse": 0.4},
            transitions={
                "/api/login": {"/api/profile": 0.8, "/api/browse": 0.3},
                "/api/profile": {"/api/browse": 0.7, "/api/logout": 0.3},
                "/api/browse": {"/api/logout": 1.0},
            },
        )
    )
    assert "entry points sum to 0.9, not 1.0" in problems
    assert "transitions from '/api/login' sum to 1.1, not 1.0" in problems
    assert len(problems) == 2


def test_negative_probabilities_and_bad_shares_are_reported() -> None:
    problems = validate_workflow(
        _shop(
            entry_points={"/api/login": 1.2, "/api/browse": -0.2},
            user_type_distribution={"free": 0.5},
            exit_probability=1.5,
        )
    )
    assert any("'/api/browse' has probability -0.2" in p for p in problems)
    assert "user type distribution sum to 0.5, not 1.0" in problems
    assert "exit_probability is 1.5, not in [0, 1]" in problems


def test_dead_ends_unreachable_states_and_undefined_exits_are_reported() -> None:
    problems = validate_workflow(
        _shop(
            transitions={
                "/api/login": {"/api/profile": 0.8, "/api/browse": 0.2},
                "/api/profile": {"/api/browse": 0.7, "/api/settings": 0.3},
                "/api/browse": {"/api/logout": 1.0},
                "/api/admin": {"/api/logout": 1.0},
            },
            exit_points={"/api/logout", "/api/bye"},
        )
    )
    assert problems == [
        "'/api/settings' has no transitions and is not an exit point: sessions stop there "
        "(a dead end)",
        "'/api/admin' is never reached from the entry points (unreachable state)",
        "exit point '/api/bye' is not an endpoint of the workflow (no entry point or "
        "transition leads there)",
    ]


def test_a_loop_with_no_way_out_is_reported() -> None:
    problems = validate_workflow(
        _shop(
            transitions={
                "/api/login": {"/api/profile": 0.5, "/api/a": 0.5},
                "/api/profile": {"/api/logout": 1.0},
                "/api/a": {"/api/b": 1.0},
                "/api/b": {"/api/a": 1.0},
            },
            entry_points={"/api/login": 1.0},
        )
    )
    assert problems == [
        "no exit point can be reached from '/api/a': sessions there loop until max_length",
        "no exit point can be reached from '/api/b': sessions there loop until max_length",
    ]


def test_the_documents_custom_workflow_is_valid() -> None:
    # Example 4 of the document: /metrics is an exit point that also leads back to /health.
    workflow = WorkflowDefinition(
        name="api_gateway",
        entry_points={"/health": 0.10, "/api/v1/login": 0.90},
        transitions={
            "/health": {"/metrics": 1.0},
            "/api/v1/login": {"/api/v1/users/me": 0.8, "/api/v1/logout": 0.2},
            "/api/v1/users/me": {"/api/v1/resources": 0.6, "/api/v1/logout": 0.4},
            "/api/v1/resources": {"/api/v1/resources/{id}": 0.9, "/api/v1/logout": 0.1},
            "/api/v1/resources/{id}": {"/api/v1/resources": 0.5, "/api/v1/logout": 0.5},
            "/metrics": {"/health": 1.0},
        },
        exit_points={"/api/v1/logout", "/metrics"},
    )
    assert validate_workflow(workflow) == []
    # Without a chance to leave at /metrics, the monitoring loop has no way out.
    workflow.exit_probability = 0.0
    assert [p for p in validate_workflow(workflow) if "loop" in p] == [
        "no exit point can be reached from '/health': sessions there loop until max_length",
        "no exit point can be reached from '/metrics': sessions there loop until max_length",
    ]


def test_generation_refuses_a_workflow_that_is_not_a_chain() -> None:
    broken = _shop(entry_points={"/api/login": 0.5})
    with pytest.raises(WorkflowError) as caught:
        SyntheticGenerator(seed=1).generate_dataset(num_users=2, workflow=broken)
    assert caught.value.problems == ["entry points sum to 0.5, not 1.0"]
    assert isinstance(caught.value, ConfigurationError)


def test_yaml_round_trip_keeps_every_field(tmp_path: Path) -> None:
    workflow = create_microservices_workflow()
    workflow.user_type_distribution = {"premium": 0.3, "free": 0.5, "guest": 0.2}
    path = workflow.to_yaml(tmp_path / "workflows" / "micro.yaml")
    assert path.exists()
    loaded = WorkflowDefinition.from_yaml(path)
    assert loaded == workflow
    text = path.read_text()
    assert text.startswith("name: microservices\n")
    assert "/payment-service/payment: 480.0" in text


def test_a_hand_written_yaml_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(
        "name: mini\n"
        "entry_points: {/a: 1}\n"
        "transitions:\n"
        "  /a: {/b: 0.5, /a: 0.5}\n"
        "exit_points: [/b]\n"
    )
    loaded = WorkflowDefinition.from_yaml(path)
    assert loaded.transitions == {"/a": {"/b": 0.5, "/a": 0.5}}
    assert loaded.exit_points == {"/b"}
    assert loaded.user_type_distribution == {"free": 0.6, "premium": 0.3, "trial": 0.1}
    assert validate_workflow(loaded) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: x\ntransitions: {}\n", "missing field 'entry_points'"),
        ("name: x\nentry_points: {/a: 1}\ntransitions: {}\nexits: []\n", "unknown field 'exits'"),
        ("name: x\nentry_points: [1, 2]\ntransitions: {}\n", "malformed workflow"),
        ("- just a list\n", "expected a mapping"),
        ("name: [unclosed\n", "not YAML"),
    ],
)
def test_a_broken_yaml_file_says_what_is_wrong(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(WorkflowError, match=r"broken\.yaml") as caught:
        WorkflowDefinition.from_yaml(path)
    assert any(problem in p for p in caught.value.problems)


@pytest.mark.parametrize(
    ("endpoint", "method"),
    [
        ("/api/login", "POST"),
        ("/api/cart/add", "POST"),
        ("/api/cart/remove", "POST"),
        ("/api/payment", "POST"),
        ("/api/checkout", "POST"),
        ("/api/users/{id}/update", "PUT"),
        ("/api/users/{id}/settings", "PUT"),
        ("/api/items/{id}/delete", "DELETE"),
        ("/api/address", "GET"),  # "address" is not "add"
        ("/api/products/{id}", "GET"),
        ("/api/logout", "GET"),
    ],
)
def test_methods_follow_the_endpoint_names(endpoint: str, method: str) -> None:
    assert http_method(endpoint) == method


def test_response_times_follow_the_endpoint_kind() -> None:
    payment, logout = mean_response_ms("/api/payment"), mean_response_ms("/api/logout")
    assert payment > mean_response_ms("/api/search") > mean_response_ms("/api/users/{id}")
    assert logout < 50 < payment
    assert mean_response_ms("/health") < 10
    # A listing is slower than one of its items; the workflow's own numbers win.
    assert mean_response_ms("/api/products") > mean_response_ms("/api/products/{id}")
    assert mean_response_ms("/api/payment", {"/api/payment": 900}) == 900
