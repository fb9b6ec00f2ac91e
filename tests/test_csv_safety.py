"""CSV files are safe to open in a spreadsheet: no generated cell is evaluated as a formula.

The OWASP CSV-injection guidance: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading ``'``; plain numbers are left alone; ``csv_raw`` opts out. JSON
and Parquet are written as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from syda import SyntheticDataGenerator, load_schema
from syda.cli import main
from syda.sinks import write_dataset, write_frame
from tests.sample_schemas import sakila

HOSTILE = ("=1+1", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1")
"""Values a spreadsheet would run as formulas (the last one in some spreadsheets)."""

HIDDEN = (' =HYPERLINK("http://x.example")', "'=1+1", '"@SUM(A1)', "\r=2", "\uff1d1+1")
"""The same behind leading spaces or quote marks, a carriage return, a full-width '='."""

HARMLESS = ("-5", "+1.5", "-2e3", ".5", "Smith-Jones", "a=b", "jane@example.com", "", "one\rtwo")
"""Text a spreadsheet reads as a number or as text: written as it is."""


SCHEMA = {
    "notes": {
        "columns": {
            "id": {"type": "integer", "primary_key": True},
            "body": {"type": "string"},
            "amount": {"type": "integer"},
            "ratio": {"type": "float"},
        }
    }
}


def _cycling(values: tuple[str, ...]) -> Callable[[object, object], str]:
    seen = {"n": 0}

    def generate(_row: object, _column: object) -> str:
        value = values[seen["n"] % len(values)]
        seen["n"] += 1
        return value

    return generate


def _generate(tmp_path: Path, values: tuple[str, ...], **kwargs: object) -> pd.DataFrame:
    gen = SyntheticDataGenerator(seed=0)
    frames = gen.generate_related_data(
        SCHEMA,
        sample_sizes={"notes": len(values)},
        custom_generators={
            "notes": {
                "body": _cycling(values),
                "amount": lambda _r, _c: -7,
                "ratio": lambda _r, _c: -0.25,
            }
        },
        output_dir=tmp_path,
        output_format="csv",
        **kwargs,  # type: ignore[arg-type]
    )
    assert list(frames["notes"]["body"]) == list(values)  # the frames are never changed
    return pd.read_csv(tmp_path / "notes.csv", keep_default_na=False, dtype={"body": str})


@pytest.mark.parametrize("values", [HOSTILE, HIDDEN], ids=["hostile", "hidden"])
def test_formula_cells_are_neutralised_and_read_back_as_text(
    tmp_path: Path, values: tuple[str, ...]
) -> None:
    back = _generate(tmp_path, values)
    assert list(back["body"]) == ["'" + v for v in values]
    # Numeric columns are numbers, never formulas: untouched, negative ones included.
    assert list(back["amount"]) == [-7] * len(values)
    assert list(back["ratio"]) == [-0.25] * len(values)


def test_plain_numbers_and_ordinary_text_are_written_as_they_are(tmp_path: Path) -> None:
    back = _generate(tmp_path, HARMLESS)
    assert list(back["body"]) == list(HARMLESS)


def test_csv_raw_writes_every_cell_verbatim(tmp_path: Path) -> None:
    back = _generate(tmp_path, HOSTILE, csv_raw=True)
    assert list(back["body"]) == list(HOSTILE)


def test_the_single_table_call_and_the_sinks_guard_too(tmp_path: Path) -> None:
    df = pd.DataFrame({"=cmd": list(HOSTILE), "n": range(len(HOSTILE))})
    gen = SyntheticDataGenerator(seed=0)
    path = gen.generate_data(
        {"id": "integer", "body": "string"},
        sample_size=2,
        custom_generators={"body": lambda _r, _c: "@SUM(1+1)"},
        output_path=tmp_path / "one.csv",
    )
    assert list(pd.read_csv(path)["body"]) == ["'@SUM(1+1)"] * 2
    back = pd.read_csv(write_frame(df, tmp_path / "x.csv"), keep_default_na=False)
    # A column name is a cell too.
    assert list(back.columns) == ["'=cmd", "n"]
    assert list(back["'=cmd"]) == ["'" + v for v in HOSTILE]
    raw = write_dataset({"t": df}, tmp_path / "raw", csv_raw=True)["t"]
    assert list(pd.read_csv(raw, keep_default_na=False)["=cmd"]) == list(HOSTILE)


def test_json_and_parquet_keep_the_values(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    df = pd.DataFrame({"body": list(HOSTILE)})
    written = write_dataset({"j": df}, tmp_path, format="json")["j"]
    assert [r["body"] for r in json.loads(written.read_text())] == list(HOSTILE)
    parquet = write_dataset({"p": df}, tmp_path, format="parquet")["p"]
    assert list(pd.read_parquet(parquet)["body"]) == list(HOSTILE)


def _enum_yaml(tmp_path: Path) -> Path:
    # The offline provider draws a column's allowed values: hostile ones reach the CLI's files.
    path = tmp_path / "notes.yaml"
    listed = json.dumps(list(HOSTILE))
    path.write_text(
        "notes:\n  columns:\n    id: {type: integer, primary_key: true}\n"
        f"    body: {{type: string, enum: {listed}}}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("raw", [False, True], ids=["guarded", "csv-raw"])
def test_the_cli_guards_unless_asked_for_raw_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bool
) -> None:
    out = tmp_path / "out"
    argv = ["generate", str(_enum_yaml(tmp_path)), "--rows", "60", "--out", str(out)]
    assert main([*argv, *(["--csv-raw"] if raw else [])]) == 0, capsys.readouterr().err
    body = pd.read_csv(out / "notes.csv", keep_default_na=False)["body"]
    expected = set(HOSTILE) if raw else {"'" + v for v in HOSTILE}
    assert set(body) <= expected and len(set(body)) >= 3


def test_csv_raw_needs_csv_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = str(_enum_yaml(tmp_path))
    code = main(["generate", source, "--out", str(tmp_path), "--format", "json", "--csv-raw"])
    assert code == 2
    assert "--csv-raw applies to CSV files" in capsys.readouterr().err


def test_offline_phones_need_no_guard() -> None:
    gen = SyntheticDataGenerator(seed=0)
    schema = {
        "people": {
            "columns": {
                "id": {"type": "integer", "primary_key": True},
                "phone": {"type": "phone", "max_length": 14},
                "fax": {"type": "string", "max_length": 20},
                "mobile": {"type": "string"},
            }
        }
    }
    people = gen.generate_related_data(schema, default_sample_size=400)["people"]
    for column, limit in (("phone", 14), ("fax", 20), ("mobile", None)):
        values = people[column].dropna().astype(str)
        assert len(values) > 300
        assert not values.str.match(r"[\s\"']*[=+\-@]").any(), values[values.str[0] == "+"]
        # Realistic: digits and phone punctuation only, never cut mid-number.
        assert values.str.fullmatch(r"[0-9 ()+.\-]+").all()
        assert values.str.count(r"\d").min() >= 7
        if limit is not None:
            assert values.str.len().max() <= limit


def test_syda_validate_reads_guarded_cells_as_they_were_generated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The guard is for spreadsheets: syda's own reader takes the ' off again, so a file syda
    # wrote validates clean against its enum (an "'=1+1" would be no allowed value, and one
    # character over a length limit).
    values = (*HOSTILE, *HIDDEN, *HARMLESS[:-2], "'\tx", "'")
    path = tmp_path / "notes.yaml"
    path.write_text(
        "notes:\n  columns:\n    id: {type: integer, primary_key: true}\n"
        f"    body: {{type: string, enum: {json.dumps(list(values))}}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["generate", str(path), "--rows", "200", "--out", str(out), "-q"]) == 0
    assert main(["validate", str(path), "--data", str(out)]) == 0, capsys.readouterr().out


def test_write_frame_guards_object_and_string_columns_and_opts_out(tmp_path: Path) -> None:
    # Text reaches the sink as pandas' string dtype or as plain objects (custom generators,
    # mixed values): both are guarded; csv_raw writes both as they are.
    df = pd.DataFrame(
        {
            "text": pd.Series(["=1+1", "ok"], dtype="string"),
            "mixed": pd.Series(["@SUM(1+1)", 7], dtype=object),
            3: ["-2+3", "fine"],  # a column named by a number, as a frame may have
        }
    )
    guarded = pd.read_csv(write_frame(df, tmp_path / "g.csv"), dtype=str, keep_default_na=False)
    assert guarded.to_dict("list") == {
        "text": ["'=1+1", "ok"],
        "mixed": ["'@SUM(1+1)", "7"],
        "3": ["'-2+3", "fine"],
    }
    raw = pd.read_csv(
        write_frame(df, tmp_path / "r.csv", csv_raw=True), dtype=str, keep_default_na=False
    )
    assert raw.to_dict("list") == {
        "text": ["=1+1", "ok"],
        "mixed": ["@SUM(1+1)", "7"],
        "3": ["-2+3", "fine"],
    }


def test_a_published_schema_written_to_csv_reads_back_as_generated(tmp_path: Path) -> None:
    # Sakila (the film-rental schema): offline values never need the spreadsheet guard, so the
    # CSV files hold exactly the generated text, phones look like phones, and rentals end after
    # they start.
    frames = SyntheticDataGenerator(seed=3).generate_related_data(
        sakila.MODELS, default_sample_size=40, output_dir=tmp_path, output_format="csv"
    )
    for table in load_schema(sakila.MODELS):
        text = pd.read_csv(tmp_path / f"{table.name}.csv", dtype=str, keep_default_na=False)
        assert len(text) == len(frames[table.key])
        for column in text.columns:
            assert not text[column].str.startswith("'").any(), (table.key, column)
    phones = frames["Address"]["phone"].dropna().astype(str)
    assert phones.str.fullmatch(r"[\d().\- x]{7,20}").all(), phones.head().tolist()
    rental = frames["Rental"].dropna(subset=["return_date"])
    assert (rental["return_date"] > rental["rental_date"]).all()
