"""Workflow traces, example 4: a workflow of your own, validated, then generated.

Run: ``python examples/workflow_custom.py``. An API gateway: most sessions log in and work
with resources, a tenth are monitoring probes (/health, then /metrics, which may end the
session or lead back to /health). From the Markov-workflow-traces document.
"""

from __future__ import annotations

from _measure import Measured, report

from syda.workflows import SyntheticGenerator, WorkflowDefinition, estimate_transitions

my_workflow = WorkflowDefinition(
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


def main() -> list[Measured]:
    # Validate workflow
    errors = SyntheticGenerator.validate_workflow(my_workflow)
    if errors:
        print("Errors:", errors)
    else:
        print("Workflow is valid!")

    # Generate data
    gen = SyntheticGenerator(seed=42)
    dataset = gen.generate_dataset(num_users=50, workflow=my_workflow)
    print(f"{dataset.num_sessions} sessions, {dataset.total_calls} calls")

    sessions = dataset.sessions
    probes = sum(s.endpoint_sequence[0] == "/health" for s in sessions) / len(sessions)
    learned = estimate_transitions(dataset).as_dict()
    methods = {c.endpoint: c.method for s in sessions for c in s.calls}
    return report(
        "custom workflow",
        [
            Measured("validation problems", 0, len(errors), 0),
            # 150-odd sessions: a share within a few hundredths.
            Measured("share of monitoring sessions", 0.10, probes, 0.08),
            Measured(
                "resources -> resource",
                0.9,
                learned["/api/v1/resources"]["/api/v1/resources/{id}"],
                0.1,
            ),
            Measured("login is a POST", 1, methods["/api/v1/login"] == "POST", 0),
        ],
    )


if __name__ == "__main__":
    main()
