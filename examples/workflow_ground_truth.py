"""Workflow traces, ground-truth validation: does a learned Markov chain match the truth?

Run: ``python examples/workflow_ground_truth.py``. The data is drawn from known
probabilities, so a model learned from it can be checked edge by edge; here the "model" is
:func:`~syda.workflows.estimate_transitions` (counting consecutive calls), checked the way the
Markov-workflow-traces document does: no transition more than 10% off.
"""

from __future__ import annotations

from _measure import Measured, report

from syda.workflows import SyntheticGenerator, estimate_transitions


def validate_learning(workflow, learned_probs):
    errors = []
    for from_ep, transitions in workflow.transitions.items():
        for to_ep, true_prob in transitions.items():
            learned_prob = learned_probs.get(from_ep, {}).get(to_ep, 0)
            error = abs(true_prob - learned_prob)
            if error > 0.10:  # More than 10% error
                errors.append(
                    {
                        "transition": f"{from_ep} → {to_ep}",
                        "true": true_prob,
                        "learned": learned_prob,
                        "error": error,
                    }
                )
    return errors


def main() -> list[Measured]:
    # 1. Generate data with known probabilities
    gen = SyntheticGenerator(seed=42)
    workflow = gen.ECOMMERCE_WORKFLOW
    dataset = gen.generate_dataset(num_users=1000)

    # 2. Train your model (here: count the transitions)
    estimate = estimate_transitions(dataset)
    learned_probs = estimate.as_dict()

    true_prob = workflow.transitions["/api/login"]["/api/users/{id}/profile"]
    learned_prob = learned_probs.get("/api/login", {}).get("/api/users/{id}/profile", 0)
    print(f"True probability: {true_prob:.1%}")
    print(f"Learned probability: {learned_prob:.1%}")
    print(f"Error: {abs(true_prob - learned_prob):.1%}")

    # 3. Compare with ground truth
    errors = validate_learning(workflow, learned_probs)
    if errors:
        print("Learning errors:")
        for err in errors:
            print(f"  {err['transition']}: {err['error']:.1%} error")
    else:
        print("✓ Model learned correctly!")
    print(f"Largest error over every edge: {estimate.distance:.3f}")

    return report(
        "ground truth",
        [
            Measured("transitions off by more than 10%", 0, len(errors), 0),
            Measured("login -> profile", true_prob, learned_prob, 0.03),
            # About 3,300 sessions: every edge within a few hundredths.
            Measured("largest error", 0, estimate.distance, 0.06),
        ],
    )


if __name__ == "__main__":
    main()
