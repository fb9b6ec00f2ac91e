"""Writing tables to CSV, JSON and Parquet files, atomically (syda.sinks)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pandas as pd
import pytest

from syda.errors import OutputError
from syda.sinks import SUPPORTED_FORMATS, write_dataset, write_frame

TOKEN = UUID("12345678-1234-5678-1234-567812345678")


class Unprintable:
    """A value whose serialization fails, to break a write halfway."""

    def __str__(self) -> str:
        raise RuntimeError("boom")

    __repr__ = __str__


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["Ann", "Bób", None],
            "price": [1.5, 2.25, None],
            "when": pd.to_datetime(
                ["2024-01-01 10:00:00.123456", "2024-02-29", None], format="ISO8601"
            ),
        }
    )


def read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, parse_dates=["when"])
    if path.suffix == ".json":
        back = pd.read_json(path, orient="records", dtype=False)
        return back.assign(when=pd.to_datetime(back["when"]))
    return pd.read_parquet(path)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith((".tmp", ".bak")))


@pytest.mark.parametrize("fmt", SUPPORTED_FORMATS)
def test_each_format_round_trips(tmp_path: Path, fmt: str) -> None:
    path = write_frame(frame(), tmp_path / "deep" / "dir" / f"people.{fmt}")
    assert path == tmp_path / "deep" / "dir" / f"people.{fmt}"
    back = read(path)
    expected = frame()
    assert back["id"].tolist() == expected["id"].tolist()
    assert back["name"].iloc[:2].tolist() == ["Ann", "Bób"] and pd.isna(back["name"].iloc[2])
    assert back["price"].iloc[:2].tolist() == [1.5, 2.25] and pd.isna(back["price"].iloc[2])
    assert back["when"].iloc[0] == pd.Timestamp("2024-01-01 10:00:00.123456")
    assert pd.isna(back["when"].iloc[2])
    assert leftovers(path.parent) == []


def test_explicit_format_wins_over_the_suffix(tmp_path: Path) -> None:
    path = write_frame(frame(), tmp_path / "people.txt", format="JSON")
    assert json.loads(path.read_text())[0]["name"] == "Ann"


def test_json_is_one_array_of_records_with_iso_dates_and_exact_values(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "price": [Decimal("12.50"), None],
            "born": [dt.date(2000, 1, 31), None],
            "at": [dt.time(8, 15), None],
            "seen": [dt.datetime(2024, 5, 1, 10, 30, 0, 5), None],
            "token": [TOKEN, None],
            "doc": [{"a": [1, 2]}, None],
            "blob": [b"\x00\xff", None],
        }
    )
    rows = json.loads(write_frame(df, tmp_path / "x.json").read_text())
    assert rows[0] == {
        "price": "12.50",
        "born": "2000-01-31",
        "at": "08:15:00",
        "seen": "2024-05-01T10:30:00.000005",
        "token": str(TOKEN),
        "doc": {"a": [1, 2]},
        "blob": base64.b64encode(b"\x00\xff").decode(),
    }
    assert rows[1] == dict.fromkeys(rows[0])


def test_csv_writes_json_and_bytes_as_text(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {"doc": [{"a": 1}], "blob": [b"hi"], "token": [TOKEN], "d": [Decimal("1.10")]}
    )
    text = write_frame(df, tmp_path / "x.csv").read_text()
    assert text.splitlines() == ["doc,blob,token,d", f'"{{""a"": 1}}",aGk=,{TOKEN},1.10']


def test_text_stays_readable_and_nested_values_are_written(tmp_path: Path) -> None:
    # Non-ASCII text is written as UTF-8, not as \u escapes; a date inside a JSON value is text.
    df = pd.DataFrame({"name": ["Bób Ærø"], "doc": [{"city": "Zürich", "on": dt.date(2024, 1, 2)}]})
    csv_text = write_frame(df, tmp_path / "x.csv").read_text(encoding="utf-8")
    json_text = write_frame(df, tmp_path / "x.json").read_text(encoding="utf-8")
    for text in (csv_text, json_text):
        assert "Bób Ærø" in text and "Zürich" in text and "\\u" not in text
    assert '""on"": ""2024-01-02""' in csv_text


def test_parquet_does_not_store_the_index(tmp_path: Path) -> None:
    df = frame().set_axis([10, 11, 12])
    back = pd.read_parquet(write_frame(df, tmp_path / "x.parquet"))
    assert list(back.columns) == list(df.columns)
    assert list(back.index) == [0, 1, 2]


def test_a_value_json_cannot_hold_is_named(tmp_path: Path) -> None:
    df = pd.DataFrame({"thing": [object()]})
    with pytest.raises(OutputError, match="cannot write a object value as JSON"):
        write_frame(df, tmp_path / "x.json")


def test_a_failed_rename_names_the_target_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: Any, dst: Any) -> None:
        raise OSError("read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError, match=r"cannot replace .*people\.csv: read-only"):
        write_frame(frame(), tmp_path / "people.csv")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_parquet_keeps_decimals_and_dates(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {"d": [Decimal("1.10"), None], "born": [dt.date(2000, 1, 2), None], "token": [TOKEN, None]}
    )
    back = pd.read_parquet(write_frame(df, tmp_path / "x.parquet"))
    assert back["d"].iloc[0] == Decimal("1.10")
    assert back["born"].iloc[0] == dt.date(2000, 1, 2)
    assert back["token"].iloc[0] == str(TOKEN)


@pytest.mark.parametrize("name", ["people.xlsx", "people"])
def test_unknown_format_names_the_supported_ones(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError, match="csv, json, parquet"):
        write_frame(frame(), tmp_path / name)
    with pytest.raises(OutputError, match="format 'xml'"):
        write_frame(frame(), tmp_path / "people.csv", format="xml")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", SUPPORTED_FORMATS)
def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"people.{fmt}"
    write_frame(frame(), target)
    before = target.read_bytes()
    broken = frame().assign(name=["x", Unprintable(), "z"])
    with pytest.raises(OutputError, match=f"cannot write {fmt.upper()}") as caught:
        write_frame(broken, target)
    assert caught.value.__cause__ is not None
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_parquet_without_pyarrow_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(OutputError, match=r'pip install "syda\[parquet\]"'):
        write_frame(frame(), tmp_path / "people.parquet")
    assert list(tmp_path.iterdir()) == []


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    path = write_frame(frame(), tmp_path / "people.csv")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_write_dataset_writes_one_file_per_table(tmp_path: Path) -> None:
    frames = {"Customer": frame(), "sales.orders": frame().head(1)}
    paths = write_dataset(frames, tmp_path / "out", "json", names={"Customer": "customers"})
    assert paths == {
        "Customer": tmp_path / "out" / "customers.json",
        "sales.orders": tmp_path / "out" / "sales.orders.json",
    }
    assert len(json.loads(paths["sales.orders"].read_text())) == 1
    assert leftovers(tmp_path / "out") == []


def test_write_dataset_is_all_or_nothing(tmp_path: Path) -> None:
    first = write_dataset({"a": frame(), "b": frame()}, tmp_path)
    before = {key: path.read_bytes() for key, path in first.items()}
    frames: dict[str, Any] = {
        "a": frame().head(1),
        "b": frame().assign(name=[Unprintable()] * 3),
        "c": frame(),
    }
    with pytest.raises(OutputError) as caught:
        write_dataset(frames, tmp_path)
    assert caught.value.table == "b"
    assert {key: path.read_bytes() for key, path in first.items()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_write_dataset_rolls_back_when_a_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write_dataset({"a": frame(), "b": frame()}, tmp_path)
    before = {key: path.read_bytes() for key, path in first.items()}
    real_replace = os.replace

    def flaky_replace(src: Any, dst: Any) -> None:
        if Path(dst).name == "b.csv" and str(src).endswith(".tmp"):
            raise OSError("disk on fire")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises(OutputError, match="disk on fire"):
        write_dataset({"a": frame().head(1), "b": frame().head(1), "c": frame()}, tmp_path)
    monkeypatch.undo()
    assert {key: path.read_bytes() for key, path in first.items()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_write_dataset_refuses_two_tables_in_one_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="two tables"):
        write_dataset({"a": frame(), "b": frame()}, tmp_path, names={"b": "a"})
    with pytest.raises(OutputError, match="csv, json, parquet"):
        write_dataset({"a": frame()}, tmp_path, "xml")
    assert list(tmp_path.iterdir()) == []


def test_table_keys_never_name_a_file_outside_the_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    frames = {"sales/orders": pd.DataFrame({"a": [1]}), "..\\up": pd.DataFrame({"b": [2]})}
    written = write_dataset(frames, out)
    assert sorted(p.name for p in written.values()) == [".._up.csv", "sales_orders.csv"]
    assert sorted(p.name for p in out.iterdir()) == [".._up.csv", "sales_orders.csv"]
    assert list(tmp_path.iterdir()) == [out]
    for key in ("", " ", ".", "..", " .. "):
        with pytest.raises(OutputError, match="cannot name a file after the table") as caught:
            write_dataset({key: pd.DataFrame({"a": [1]})}, tmp_path / "bad")
        assert caught.value.table == key
    assert not (tmp_path / "bad").exists() or not any((tmp_path / "bad").iterdir())


def test_two_tables_on_one_file_name_are_refused_naming_the_second(tmp_path: Path) -> None:
    frames = {"a/b": pd.DataFrame({"x": [1]}), "a_b": pd.DataFrame({"y": [2]})}
    with pytest.raises(OutputError, match="two tables would be written to") as caught:
        write_dataset(frames, tmp_path)
    assert caught.value.table == "a_b"
    assert list(tmp_path.iterdir()) == []


def test_a_rewritten_file_keeps_its_permissions_and_a_dataset_guards_by_default(
    tmp_path: Path,
) -> None:
    target = tmp_path / "t.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    write_dataset({"t": pd.DataFrame({"v": ["=1+1"]})}, tmp_path)
    assert target.stat().st_mode & 0o7777 == 0o640
    assert target.read_text() == "v\n'=1+1\n"
