"""Workflow traces, example 1: training data from the built-in e-commerce workflow.

Run: ``python examples/workflow_ecommerce.py [DIR]``. 500 users with 4 +- 2 sessions each over
30 days of API calls, saved as Parquet with the ground truth beside them (into DIR, or a
temporary directory). From the Markov-workflow-traces document, adapted to syda's API.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _measure import Measured, report

from syda.workflows import SyntheticGenerator


def main(output_dir: str | None = None) -> list[Measured]:
    # Create generator with seed for reproducibility
    gen = SyntheticGenerator(seed=42)

    dataset = gen.generate_dataset(
        num_users=500,
        sessions_per_user=(4, 2),  # Average 4 sessions per user
        date_range_days=30,
        show_progress=True,
    )
    print(f"Generated {dataset.total_calls} API calls")
    print(f"Unique users: {dataset.num_unique_users}")

    with tempfile.TemporaryDirectory() as scratch:
        target = Path(output_dir or scratch) / "synthetic" / "train.parquet"
        written = dataset.save_to_parquet(target)
        for name, path in written.items():
            print(f"  {name}: {path}")

    sessions = dataset.sessions_frame()
    calls = dataset.calls_frame()
    per_user = sessions.groupby("user_id").size().mean()
    success = float((calls["status_code"] == 200).mean())
    return report(
        "e-commerce traces",
        [
            Measured("unique users", 500, dataset.num_unique_users, 0),
            # Never fewer than one session: the mean sits a little above 4.
            Measured("sessions per user", 4, float(per_user), 0.35),
            Measured("success share", 0.95, success, 0.01),
            Measured("files written", 4, len(written), 0),
        ],
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
