"""Generation options that used to crash: row counts, cardinalities, seeds and exit codes.

Each bad input goes through the API and the ``syda`` command (in-process), and must come back
as a syda error naming the bad value, never a traceback: a ``PlanError`` or
``ConfigurationError`` from the API, exit 2 and one ``syda: error:`` line from the CLI. Where
both reach the planner's one check, the messages are the same text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import syda.errors
from syda import ConfigurationError, PlanError, SydaError, SyntheticDataGenerator
from syda.cli import main
from syda.cli.app import ERROR_EXIT_CODES

ROOT = Path(__file__).resolve().parent.parent

SCHEMA: dict[str, Any] = {
    "patients": {
        "id": {"type": "integer", "primary_key": True},
        "full_name": "full_name",
    },
    "visits": {
        "id": {"type": "integer", "primary_key": True},
        "patient_id": {"references": "patients.id"},
        "visit_date": "date",
    },
}


@pytest.fixture
def schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.yaml"
    path.write_text(yaml.safe_dump(SCHEMA), encoding="utf-8")
    return path


@pytest.fixture
def gen() -> SyntheticDataGenerator:
    return SyntheticDataGenerator(seed=1)


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    """The message of the CLI's single error line (and nothing else on stderr)."""
    assert err.startswith("syda: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.removeprefix("syda: error: ").rstrip("\n")


# -- cardinality: one check for the API and the CLI ---------------------------------------------

BAD_CARDINALITY = [
    ("visits.id", "3-1", "'id' is not a foreign-key column of visits"),
    ("visits.visit_date", "2", "'visit_date' is not a foreign-key column of visits"),
    ("patients.id", "2", "of patients (it has none)"),
    ("visits.", "2", "'' is not a foreign-key column of visits"),
    ("visits", "2", "cardinality key 'visits' is not TABLE.FK_COLUMN"),
    ("nope.patient_id", "2", "unknown table 'nope'; the schema has patients, visits"),
    ("visits.patient_id", "3-1", "'3-1': the range is reversed (3 > 1)"),
    ("visits.patient_id", "99999999999999999999999", "a count of children must be from 0"),
    ("visits.patient_id", "1-99999999999999999999999", "a count of children must be from 0"),
    ("visits.patient_id", "-1", "'-1': use N, 'MIN-MAX', '~MEAN'"),
    ("visits.patient_id", "~nan", "'~nan': use N"),
    ("visits.patient_id", "~inf", "'~inf': use N"),
    ("visits.patient_id", "~-2", "'~-2': use N"),
    ("visits.patient_id", "2.5", "'2.5': use N"),
    ("visits.patient_id", "²", "'²': use N"),
    ("visits.patient_id", "2-", "'2-': use N"),
    ("visits.patient_id", "", "'': use N"),
    ("visits.patient_id", "9" * 500, "use N"),
]


@pytest.mark.parametrize(("key", "spec", "message"), BAD_CARDINALITY)
def test_a_bad_cardinality_is_refused_alike_by_api_and_cli(
    capsys: pytest.CaptureFixture[str],
    gen: SyntheticDataGenerator,
    schema_file: Path,
    key: str,
    spec: str,
    message: str,
) -> None:
    with pytest.raises(PlanError) as refused:
        gen.plan(SCHEMA, cardinality={key: spec})
    assert message in str(refused.value)
    assert len(str(refused.value)) < 300  # a 500-digit spec is quoted cut short
    code, out, err = cli(capsys, "inspect", schema_file, "--cardinality", f"{key}={spec}")
    assert (code, out) == (2, "")
    assert one_error_line(err) == str(refused.value)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"mean": float("nan")}, "the mean must be a finite number"),
        ({"mean": float("inf")}, "the mean must be a finite number"),
        ({"mean": -1.0}, "the mean must be a finite number from 0"),
        ({"mean": 1e30}, "the mean must be a finite number from 0"),
        ({"mean": True}, "use N"),
        ({"mean": "3"}, "use N"),
        ({"mean": 3, "sd": 1}, "use N"),
        ((3, 1), "the range is reversed (3 > 1)"),
        ([3, 1], "the range is reversed"),
        ((1.5, 2), "use N"),
        ((1, True), "use N"),
        ((1, 2, 3), "use N"),
        (-1, "a count of children must be from 0"),
        (2**70, "a count of children must be from 0"),
        (True, "use N"),
        (2.0, "use N"),
        (None, "use N"),
    ],
)
def test_a_bad_cardinality_value_is_a_plan_error_naming_it(
    gen: SyntheticDataGenerator, spec: Any, message: str
) -> None:
    with pytest.raises(PlanError, match=re.escape(message)) as refused:
        gen.plan(SCHEMA, cardinality={"visits.patient_id": spec})
    assert f"cardinality visits.patient_id={spec!r}" in str(refused.value)


def test_every_bad_cardinality_key_is_listed_at_once(gen: SyntheticDataGenerator) -> None:
    with pytest.raises(PlanError) as refused:
        gen.plan(SCHEMA, cardinality={"visits.id": 2, "visits.patient_id": "4-2", 3: 1})
    text = str(refused.value)
    assert "'id' is not a foreign-key column" in text
    assert "reversed (4 > 2)" in text
    assert "cardinality key 3 is not TABLE.FK_COLUMN" in text
    with pytest.raises(PlanError, match="cardinality must be a mapping"):
        gen.plan(SCHEMA, cardinality=["visits.patient_id"])  # type: ignore[arg-type]


def test_two_keys_for_one_foreign_key_are_refused() -> None:
    schema = {
        "sites": {
            "columns": {"region": "integer", "code": "integer", "name": "city"},
            "primary_key": ["region", "code"],
        },
        "rooms": {
            "columns": {"id": "integer", "region": "integer", "code": "integer"},
            "primary_key": ["id"],
            "foreign_keys": [
                {
                    "columns": ["region", "code"],
                    "references": "sites",
                    "ref_columns": ["region", "code"],
                    "name": "fk_site",
                }
            ],
        },
    }
    gen = SyntheticDataGenerator(seed=1)
    by_name = gen.generate_related_data(
        schema, sample_sizes={"sites": 4}, cardinality={"rooms.fk_site": "2"}
    )
    assert len(by_name["rooms"]) == 8
    with pytest.raises(PlanError, match=r"'rooms\.region' and 'rooms\.fk_site' name the same"):
        gen.plan(schema, cardinality={"rooms.region": 2, "rooms.fk_site": 3})


def test_a_cardinality_on_a_custom_filled_key_is_refused(gen: SyntheticDataGenerator) -> None:
    with pytest.raises(PlanError, match="a custom generator fills it") as refused:
        gen.plan(
            SCHEMA,
            cardinality={"visits.patient_id": 2},
            custom_generators={"visits": {"patient_id": lambda row, col: 1}},
        )
    assert refused.value.table == "visits"


@pytest.mark.parametrize("spec", ["3", "3-3", "3 to 3", (3, 3), [3, 3], 3, np.int64(3)])
def test_every_written_form_of_an_exact_count_gives_it(
    gen: SyntheticDataGenerator, spec: Any
) -> None:
    frames = gen.generate_related_data(
        SCHEMA, sample_sizes={"patients": 5}, cardinality={"visits.patient_id": spec}
    )
    assert frames["visits"].groupby("patient_id").size().tolist() == [3] * 5


def test_a_poisson_mean_reads_the_same_from_the_cli_text_and_the_api_dict(
    capsys: pytest.CaptureFixture[str], schema_file: Path, tmp_path: Path
) -> None:
    api = SyntheticDataGenerator(seed=1).generate_related_data(
        SCHEMA, sample_sizes={"patients": 20}, cardinality={"visits.patient_id": {"mean": 2.5}}
    )
    text = SyntheticDataGenerator(seed=1).generate_related_data(
        SCHEMA, sample_sizes={"patients": 20}, cardinality={"visits.patient_id": "~2.5"}
    )
    assert api["visits"].equals(text["visits"])
    args = ["--rows", "patients=20", "--cardinality", "visits.patient_id=~2.5", "--seed", "1"]
    code, _, err = cli(capsys, "generate", schema_file, *args, "--out", tmp_path / "o", "-q")
    assert code == 0, err
    lines = (tmp_path / "o" / "visits.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) - 1 == len(api["visits"])


def test_a_wide_range_with_a_total_is_spread_at_once(gen: SyntheticDataGenerator) -> None:
    # Drawn far above the total, the counts are scaled down first instead of one row a pass.
    frames = gen.generate_related_data(
        SCHEMA,
        sample_sizes={"patients": 10, "visits": 100},
        cardinality={"visits.patient_id": (1, 10**18)},
    )
    per_patient = frames["visits"].groupby("patient_id").size()
    assert len(frames["visits"]) == 100 and len(per_patient) == 10 and per_patient.min() >= 1


# -- row counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1.5, 2.0, True, "5", None, -1, [3]])
def test_a_row_count_that_is_not_a_whole_number_is_a_plan_error(
    gen: SyntheticDataGenerator, rows: Any
) -> None:
    shown = repr(rows)
    with pytest.raises(PlanError, match="of patients must be a non-negative whole"):
        gen.plan(SCHEMA, sample_sizes={"patients": rows})
    with pytest.raises(PlanError, match=re.escape(f"got {shown}")):
        gen.generate_data(SCHEMA["patients"], sample_size=rows)
    with pytest.raises(PlanError, match="the default row count must be a non-neg"):
        gen.plan(SCHEMA, default_sample_size=rows)


def test_sample_sizes_must_be_a_mapping_of_known_tables(gen: SyntheticDataGenerator) -> None:
    with pytest.raises(PlanError, match="sample sizes must be a mapping"):
        gen.plan(SCHEMA, sample_sizes=5)  # type: ignore[arg-type]
    with pytest.raises(PlanError, match=r"unknown table\(s\) 'nope', 7; the schema has"):
        gen.plan(SCHEMA, sample_sizes={"nope": 1, 7: 1})  # type: ignore[dict-item]


def test_numpy_integers_are_row_counts(gen: SyntheticDataGenerator) -> None:
    frames = gen.generate_related_data(SCHEMA, sample_sizes={"patients": np.int64(3)})
    assert len(frames["patients"]) == 3
    assert len(gen.generate_data(SCHEMA["patients"], sample_size=np.int32(4))) == 4


@pytest.mark.parametrize("rows", [10**12, 10**30])
def test_absurd_sizes_are_refused_before_anything_is_allocated(
    gen: SyntheticDataGenerator, rows: int
) -> None:
    with pytest.raises(PlanError) as refused:
        gen.generate_related_data(SCHEMA, sample_sizes={"visits": rows})
    assert refused.value.table == "visits"
    text = str(refused.value)
    assert f"{rows:,} rows x 3 columns" in text and "of this machine" in text
    assert "in memory" in text
    with pytest.raises(PlanError, match=re.escape(f"{rows:,} rows x 2 columns")):
        gen.generate_data(SCHEMA["patients"], sample_size=rows)
    with pytest.raises(PlanError, match=re.escape(f"{rows:,} rows")):
        gen.plan(SCHEMA, default_sample_size=rows)


@pytest.mark.parametrize(
    "spec", ["1000-10000000", (1000, 10**7), {"mean": 10**7}, "~10000000", "10000000"]
)
def test_a_cardinality_that_makes_a_child_table_huge_is_refused(
    gen: SyntheticDataGenerator, spec: Any
) -> None:
    with pytest.raises(PlanError) as refused:
        gen.generate_related_data(
            SCHEMA, sample_sizes={"patients": 10**6}, cardinality={"visits.patient_id": spec}
        )
    assert refused.value.table == "visits"
    assert "1,000,000 patients rows x 10,000,000" in str(refused.value)
    assert "from the cardinality" in str(refused.value)


def test_a_large_run_that_fits_is_planned(gen: SyntheticDataGenerator) -> None:
    plan = gen.plan(SCHEMA, sample_sizes={"patients": 10**6, "visits": 10**6})
    assert plan.tables["visits"].rows == 10**6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rows", "-5"], "--rows needs a non-negative whole number, got '-5'"),
        (["--rows", "²"], "--rows needs a non-negative whole number, got '²'"),
        (["--rows", "1e6"], "--rows needs a non-negative whole number, got '1e6'"),
        (["--rows", "patients=abc"], "--rows patients= needs a non-negative whole number"),
        (["--rows", "patients=1.5"], "got '1.5'"),
        (["--rows", "=5"], "the table name is missing before '='"),
        (["--rows", "9" * 500], "--rows needs a non-negative whole number, got '999"),
        (["--rows", "t=99999999999999999999999"], "unknown table(s) 't'; the schema has"),
        (
            ["--rows", "patients=99999999999999999999999"],
            "patients: 99,999,999,999,999,999,999,999",
        ),
        (["--rows", "1000000000000"], "visits: 1,000,000,000,000 rows x 3 columns"),
        (["--cardinality", "visits.patient_id"], "--cardinality is written TABLE.FK_COLUMN=SPEC"),
    ],
)
def test_bad_rows_on_the_command_line_are_usage_errors(
    capsys: pytest.CaptureFixture[str],
    schema_file: Path,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    for command in (["inspect"], ["generate", "--out", str(tmp_path / "out")]):
        code, out, err = cli(capsys, command[0], schema_file, *args, *command[1:])
        assert (code, out) == (2, ""), err
        text = one_error_line(err)
        assert message in text and len(text) < 400
    assert not (tmp_path / "out").exists()


# -- seeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [-1, 1.5, 2.0, "3", True, [1], -(2**80)])
def test_a_seed_is_a_non_negative_whole_number(seed: Any) -> None:
    with pytest.raises(ConfigurationError) as refused:
        SyntheticDataGenerator(seed=seed)
    assert str(refused.value) == (f"seed must be a non-negative whole number or None, got {seed!r}")


def test_any_non_negative_whole_number_seeds_the_same_data() -> None:
    def draw(seed: Any) -> Any:
        return SyntheticDataGenerator(seed=seed).generate_data(SCHEMA["patients"], sample_size=5)

    # Pools are built once per seed (about a second each), so the seeds are few.
    assert draw(np.int64(1)).equals(draw(1))
    assert draw(2**200).equals(draw(2**200))
    assert not draw(2**200).equals(draw(1))
    assert SyntheticDataGenerator(seed=None).seed is None


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ("-1", "--seed must be a non-negative whole number or 'none', got -1"),
        ("1.5", "--seed needs a whole number or 'none', got '1.5'"),
        ("1e3", "--seed needs a whole number or 'none', got '1e3'"),
        ("seven", "--seed needs a whole number or 'none', got 'seven'"),
        ("9" * 5000, "--seed needs a whole number or 'none', got '999"),
    ],
)
def test_a_bad_seed_on_the_command_line_is_exit_2(
    capsys: pytest.CaptureFixture[str], schema_file: Path, seed: str, message: str
) -> None:
    code, out, err = cli(capsys, "inspect", schema_file, "--seed", seed)
    assert (code, out) == (2, "")
    text = one_error_line(err)
    assert text.startswith(message) and len(text) < 200


def test_a_huge_seed_works_on_the_command_line(
    capsys: pytest.CaptureFixture[str], schema_file: Path, tmp_path: Path
) -> None:
    seed = str(2**200)
    args = ["generate", schema_file, "--rows", "3", "--seed", seed, "-q"]
    assert cli(capsys, *args, "--out", tmp_path / "a")[0] == 0
    assert cli(capsys, *args, "--out", tmp_path / "b")[0] == 0
    first = (tmp_path / "a" / "patients.csv").read_text(encoding="utf-8")
    assert first == (tmp_path / "b" / "patients.csv").read_text(encoding="utf-8")


# -- exit codes --------------------------------------------------------------------------------


def _error_classes() -> list[type[SydaError]]:
    classes = [getattr(syda.errors, name) for name in syda.errors.__all__]
    return [c for c in classes if issubclass(c, SydaError) and c is not SydaError]


def _readme_exit_codes() -> dict[int, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Command line") :]
    section = section[: section.index("\n## ", 1)]
    return {
        int(code): meaning for code, meaning in re.findall(r"^\| (\d+) \| (.+) \|$", section, re.M)
    }


def _raise(exc: BaseException) -> Any:
    def plan(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return plan


@pytest.mark.parametrize("error", _error_classes(), ids=lambda c: c.__name__)
def test_every_syda_error_has_its_documented_exit_code(
    capsys: pytest.CaptureFixture[str],
    schema_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: type[SydaError],
) -> None:
    expected = dict(ERROR_EXIT_CODES)[error]
    assert expected in (2, 3, 4)
    assert f"`{error.__name__}`" in _readme_exit_codes()[expected]
    raised = error(["the problem"]) if error is syda.errors.SchemaError else error("the problem")
    monkeypatch.setattr(SyntheticDataGenerator, "plan", _raise(raised))
    code, out, err = cli(capsys, "inspect", schema_file)
    assert (code, out) == (expected, "")
    assert one_error_line(err) == "the problem"


def test_the_documented_exit_codes_are_the_ones_main_returns() -> None:
    documented = _readme_exit_codes()
    assert sorted(documented) == [0, 1, 2, 3, 4, 130]
    assert {code for _, code in ERROR_EXIT_CODES} <= set(documented)
    assert "unexpected" in documented[3]


def test_an_unexpected_error_shows_its_type_and_a_bounded_message(
    capsys: pytest.CaptureFixture[str], schema_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SyntheticDataGenerator, "plan", _raise(KeyError("k" * 100_000)))
    code, out, err = cli(capsys, "inspect", schema_file)
    assert (code, out) == (3, "")
    text = one_error_line(err)
    assert text.startswith("unexpected KeyError: 'kkk") and "(100,002 characters)" in text
    assert text.endswith("(run with --debug for the traceback)") and len(text) < 320
    monkeypatch.setattr(SyntheticDataGenerator, "plan", _raise(MemoryError()))
    code, _, err = cli(capsys, "inspect", schema_file)
    assert code == 3 and one_error_line(err).startswith("unexpected MemoryError: (no message)")
