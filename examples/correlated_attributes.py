"""Correlated attributes: an enrollment's grade and attendance follow its status.

Run: ``python examples/correlated_attributes.py`` (offline, no key). Pattern 6 of the
realistic-data principles: dropped students attend little and fail, students in progress have
no grade yet, completed ones attend well and get varied grades. One ``by`` per column says it.
"""

from __future__ import annotations

from _measure import Measured, report

from syda import SyntheticDataGenerator

STATUS = {"Completed": 0.80, "In Progress": 0.17, "Dropped": 0.03}
SCHEMA = {
    "enrollments": {
        "id": "integer",
        "status": {"type": "varchar(12)", "values": STATUS},
        "attendance_rate": {
            "type": "decimal(3,2)",
            "distribution": {"kind": "uniform", "low": 0.8, "high": 1.0},
            "by": {
                "column": "status",
                "cases": {"Dropped": {"distribution": {"kind": "uniform", "low": 0, "high": 0.5}}},
            },
        },
        "grade_point": {
            "type": "decimal(3,2)",
            "nullable": True,
            "distribution": {"kind": "uniform", "low": 2.0, "high": 4.0},
            "null_when": "status = 'In Progress'",
            "by": {"column": "status", "cases": {"Dropped": {"values": [0.0]}}},
        },
        "letter_grade": {
            "type": "varchar(2)",
            "expr": "CASE WHEN status = 'In Progress' THEN 'IP' WHEN status = 'Dropped' THEN 'F' "
            "WHEN grade_point >= 3.7 THEN 'A' WHEN grade_point >= 3.0 THEN 'B' "
            "WHEN grade_point >= 2.5 THEN 'C' ELSE 'D' END",
        },
    }
}


def main(rows: int = 20_000) -> list[Measured]:
    df = SyntheticDataGenerator(seed=5).generate_data(SCHEMA, sample_size=rows)
    dropped = df[df["status"] == "Dropped"]
    progress = df[df["status"] == "In Progress"]
    done = df[df["status"] == "Completed"]
    graded_f = float((dropped["letter_grade"] == "F").mean())
    ungraded = float(progress["grade_point"].isna().mean())
    return report(
        f"correlated attributes, {rows:,} enrollments",
        [
            Measured("dropped: highest attendance", 0.5, dropped["attendance_rate"].max(), 0.01),
            Measured("dropped: share graded F", 1, graded_f, 0),
            Measured("in progress: share without a grade", 1, ungraded, 0),
            Measured("completed: lowest attendance", 0.8, done["attendance_rate"].min(), 0.01),
            Measured("completed: mean grade point", 3.0, done["grade_point"].mean(), 0.03),
        ],
    )


if __name__ == "__main__":
    main()
