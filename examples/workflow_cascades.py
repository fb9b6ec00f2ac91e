"""Workflow traces, example 3: cascade failures in 20% of the sessions, labelled.

Run: ``python examples/workflow_cascades.py``. From the middle of an affected session on,
calls are 3-10x slower, time out (504 after 30 s) or get a 503, and some are retried; each of
those calls is labelled, so a failure detector can be scored. From the
Markov-workflow-traces document.
"""

from __future__ import annotations

from _measure import Measured, report

from syda.workflows import SyntheticGenerator


def main() -> list[Measured]:
    gen = SyntheticGenerator(seed=42)

    # Generate dataset with 20% cascade failures
    dataset = gen.generate_dataset(
        num_users=100,
        cascade_failure_rate=0.20,  # 20% of sessions have failures
        show_progress=True,
    )

    # Analyze failure patterns
    failed_sessions = [s for s in dataset.sessions if any(c.status_code != 200 for c in s.calls)]
    print(f"Sessions with errors: {len(failed_sessions)}")
    injected = [s for s in dataset.sessions if s.has_cascade]
    print(f"Sessions with an injected cascade: {len(injected)} of {len(dataset.sessions)}")

    episode = [c for s in injected for c in s.calls if c.cascade and not c.is_retry]
    slowed = sum(c.cascade_effect == "slow" for c in episode) / len(episode)
    timeouts = [c for c in episode if c.status_code == 504]
    normal = [c for s in dataset.sessions for c in s.calls if not c.cascade]
    normal_errors = sum(c.status_code != 200 for c in normal) / len(normal)
    return report(
        "cascade failures",
        [
            Measured(
                "share of sessions with a cascade",
                0.20,
                len(injected) / dataset.num_sessions,
                0.005,
            ),
            Measured("share of episode calls slowed", 0.60, slowed, 0.08),
            Measured("timeout response ms", 30_000, min(c.response_time_ms for c in timeouts), 0),
            Measured("errors outside the episodes", 0.05, normal_errors, 0.015),
        ],
    )


if __name__ == "__main__":
    main()
