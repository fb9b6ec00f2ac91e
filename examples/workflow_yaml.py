"""Workflow traces, example 5: save a workflow to YAML, load it, generate from it.

Run: ``python examples/workflow_yaml.py [DIR]``. Versioned workflow files make a dataset
reproducible from the file and a seed. From the Markov-workflow-traces document.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _measure import Measured, report

from syda.workflows import SyntheticGenerator, WorkflowDefinition


def main(output_dir: str | None = None) -> list[Measured]:
    gen = SyntheticGenerator(seed=42)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(output_dir or scratch)

        # Save workflow to YAML
        workflow = gen.ECOMMERCE_WORKFLOW
        workflow.to_yaml(folder / "workflows" / "ecommerce.yaml")

        # Load workflow from YAML
        loaded = WorkflowDefinition.from_yaml(folder / "workflows" / "ecommerce.yaml")
        print((folder / "workflows" / "ecommerce.yaml").read_text()[:300], "...")

    # Use loaded workflow
    dataset = gen.generate_dataset(num_users=100, workflow=loaded)
    print(f"{dataset.total_calls} calls from the loaded workflow")

    # The same seed and the same workflow, read from the file or not: the same calls.
    same = SyntheticGenerator(seed=7).generate_dataset(num_users=100, workflow=loaded)
    original = SyntheticGenerator(seed=7).generate_dataset(num_users=100, workflow=workflow)
    return report(
        "YAML round trip",
        [
            Measured("loaded equals saved", 1, loaded == workflow, 0),
            Measured(
                "same calls from the file", 1, same.calls_frame().equals(original.calls_frame()), 0
            ),
            Measured("users", 100, dataset.num_unique_users, 0),
        ],
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
