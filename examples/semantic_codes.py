#!/usr/bin/env python
"""Course codes made from the major's code, the year level and a sequence: ``CS203``.

``template: "{major.code}{year_level}{seq:02d}"`` reads the parent major's code through the
foreign key, and ``seq`` numbers the courses sharing the same major and year, so every code is
unique by construction. Runs offline and prints what it measured.

    python examples/semantic_codes.py
"""

from __future__ import annotations

from _measure import Measured, report

from syda import SyntheticDataGenerator

SCHEMA = {
    "majors": {
        "columns": {
            "id": "integer",
            "code": {"type": "varchar(4)", "unique": True, "values": ["CS", "MATH", "BIO", "ECON"]},
            "name": "text",
        }
    },
    "courses": {
        "columns": {
            "id": "integer",
            "major_id": {"references": "majors.id"},
            "year_level": {"type": "integer", "values": {"1": 0.4, "2": 0.3, "3": 0.2, "4": 0.1}},
            "code": {
                "type": "varchar(8)",
                "unique": True,
                "template": "{major.code}{year_level}{seq:02d}",
            },
            "title": "text",
        }
    },
}


def main() -> list[Measured]:
    data = SyntheticDataGenerator(seed=3).generate_related_data(
        SCHEMA, sample_sizes={"majors": 4, "courses": 300}
    )
    courses = data["courses"].merge(
        data["majors"][["id", "code"]].rename(columns={"id": "major_id", "code": "major"}),
        on="major_id",
    )
    print(courses[["code", "major", "year_level", "title"]].head(8).to_string(index=False))
    prefix = courses["code"].str[:-2] == courses["major"] + courses["year_level"].astype(str)
    return report(
        f"semantic codes, {len(courses)} courses",
        [
            Measured("codes that start with major + year level", 1, float(prefix.mean()), 0),
            Measured("distinct codes / courses", 1, courses["code"].nunique() / len(courses), 0),
        ],
    )


if __name__ == "__main__":
    main()
