"""Hostile schema documents: every one is refused with a SchemaError naming where it went wrong.

Each case was a crash (or a hang) before: an alias bomb, deep nesting, a huge file, bad bytes,
NaN bounds, NUL or empty names, non-string keys, malformed references. The limits themselves
bound time and memory; these tests check the refusal, its message and the CLI's exit code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import syda
from syda.cli import main
from syda.schema.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

EXIT_USAGE = 2
VALID = "users:\n  id: integer\n  email: email\n"


def bomb(levels: int = 9) -> str:
    """The "billion laughs" document: each level aliases the previous one nine times."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n" + VALID


def problems_of(source: object) -> tuple[str, ...]:
    with pytest.raises(syda.SchemaError) as info:
        syda.load_schema(source)
    message = str(info.value)
    assert len(message) < 20_000, "an error text must stay bounded"
    return info.value.problems


def cli(capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path) -> tuple[int, str]:
    code = main(["generate", str(path), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    assert "unexpected" not in err
    return code, err


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bomb.yaml", bomb(), f"more than {MAX_NODES:,} values"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, f"nested deeper than {MAX_DEPTH} levels"),
        ("deep.yaml", "[" * 100_000 + "]" * 100_000, f"nested deeper than {MAX_DEPTH} levels"),
        ("deep_block.yaml", "".join("  " * i + "a:\n" for i in range(200)) + VALID, "deeper"),
        ("loop.yaml", "a: &a [1, *a]\n" + VALID, "an alias refers to a node that holds it"),
    ],
)
def test_the_cli_refuses_documents_past_the_limits(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    code, err = cli(capsys, path, tmp_path)
    assert code == EXIT_USAGE
    assert str(path) in err and expected in err
    assert not (tmp_path / "out").exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "huge.yaml"
    # A valid schema padded with a 50 MB comment: parsing it would succeed, slowly.
    path.write_text(VALID + "#" + " " * (50 * 1024 * 1024))
    code, err = cli(capsys, path, tmp_path)
    assert code == EXIT_USAGE
    assert f"larger than {MAX_FILE_BYTES // 2**20} MiB" in err
    # Just under the limit, the same schema is read.
    path.write_text(VALID + "#" + " " * (MAX_FILE_BYTES - len(VALID) - 2))
    assert syda.load_schema(path).keys == ("users",)


def test_an_alias_bomb_is_refused_through_the_generator(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yml"
    path.write_text(bomb())
    with pytest.raises(syda.SchemaError, match="aliases count expanded"):
        syda.SyntheticDataGenerator().generate_related_data(str(path))


def test_a_few_aliases_are_still_fine(tmp_path: Path) -> None:
    path = tmp_path / "shared.yaml"
    path.write_text("a:\n  id: integer\n  email: &e {type: email, unique: true}\nb:\n  x: *e\n")
    schema = syda.load_schema(path)
    assert [c.unique for c in schema.table("b").columns] == [True]


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        (".yaml", b"users:\n  id: integer\n  name: \xff\xfe\n"),
        (".json", b'{"users": {"n\xff": 1}}'),
    ],
)
def test_bytes_that_are_not_utf8_name_the_file_and_offset(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str, data: bytes
) -> None:
    path = tmp_path / f"latin{suffix}"
    path.write_bytes(data)
    offset = data.index(b"\xff")
    assert problems_of(path) == (f"{path}: not UTF-8 text (byte 0xff at offset {offset})",)
    assert cli(capsys, path, tmp_path)[0] == EXIT_USAGE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("t:\n  id: integer\n  n: " + "9" * 5000 + "\n", "cannot parse schema file"),
        ("t:\n  id: integer\n  d: {type: date, min: 2020-13-45}\n", "cannot parse schema file"),
        ("t:\n  id: integer\n  x: {type: float, max: .inf}\n", "t.x.max: inf is not finite"),
        ("t:\n  id: integer\n  x: {type: float, min: .nan}\n", "t.x.min: nan is not a number"),
        ("t:\n  id: integer\n  yes: text\n", "the key True is not a string"),
        ("t:\n  id: integer\n  1: text\n", "the key 1 is not a string"),
        ("t:\n  id: integer\n  ~: text\n", "the key None is not a string"),
    ],
)
def test_yaml_values_no_schema_can_hold_are_refused_with_their_path(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text)
    assert any(expected in p for p in problems_of(path)), problems_of(path)


def test_json_nan_and_huge_numbers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"t": {"id": "integer", "x": {"type": "float", "min": NaN, "max": 1e999}}}')
    assert set(problems_of(path)) == {"t.x.min: nan is not a number", "t.x.max: inf is not finite"}
    path.write_text('{"t": {"id": "integer", "x": ' + "1" * 5000 + "}}")
    assert "cannot parse schema file" in problems_of(path)[0]


NUMBERS: list[tuple[dict[str, Any], str]] = [
    ({"type": "float", "min": float("nan")}, "t.x.min: nan is not a number"),
    ({"type": "float", "max": float("inf")}, "t.x.max: inf is not finite"),
    ({"type": "float", "min": -1e308, "max": 1e308}, "is not a number between ±1e+300"),
    ({"type": "integer", "max": 10**400}, "<an integer of 1329 bits> is not a number"),
    ({"type": "integer", "min": 0, "max": 2**70}, "is not a number between ±9.2e+18"),
    ({"type": "decimal(400,0)"}, "precision must be between 1 and 300"),
    ({"type": "string", "length": 10**12}, "length must be between 1 and 10,485,760"),
    ({"type": "string", "max_length": float("nan")}, "t.x.max_length: nan is not a number"),
    ({"type": "varchar(99999999999999999999)"}, "cannot read the type"),
    ({"enum": [10**30, 1]}, "does not fit in 64 bits"),
    ({"enum": [[1], [2]]}, "an enum value is a string, number or boolean"),
    ({"type": "string", "pattern": "a{100000}"}, "repeats more than 1000 times"),
    ({"type": "string", "pattern": "((a)[b"}, "not a valid regular expression"),
    ({"type": "string", "pattern": "(" * 600 + ")" * 600}, "longer than 1000 characters"),
    ({"type": "a" + " " * 5000 + "!"}, "cannot read the type"),
]


@pytest.mark.parametrize(("spec", "expected"), NUMBERS)
def test_values_out_of_range_are_refused_where_they_are(
    spec: dict[str, Any], expected: str
) -> None:
    problems = problems_of({"t": {"id": "integer", "x": spec}})
    assert any(expected in p for p in problems), problems


NAMES: list[tuple[object, str]] = [
    ({"t\x00": {"id": "integer"}}, "table key 't\\x00' contains a control character"),
    ({"t": {"id": "integer", "a\nb": "text"}}, "t: column name 'a\\nb' contains a control"),
    ({"t": {"id": "integer", "\ud800": "text"}}, "t: column name '\\ud800' contains a control"),
    ({"t": {"id": "integer", "x": {"enum": ["\ud800"]}}}, "t.x.enum[0]: '\\ud800' is not valid"),
    ({"t": {"id": "integer", "": "text"}}, "t: column name '' is empty"),
    ({"  ": {"id": "integer"}}, "table key '  ' is empty"),
    ({"t": {"id": "integer", "x" * 300: "text"}}, "is longer than 255 characters"),
    ({"t": {"columns": {"id": "integer"}, "name": "bad\x00"}}, "table name 'bad\\x00'"),
    ({"t": {"columns": {"id": "integer"}, "name": 7}}, "t: name must be str, not 7"),
    ({1: {"id": "integer"}}, "the schema: the key 1 is not a string"),
    ({"t": {"id": "integer", None: "text"}}, "t: the key None is not a string"),
    ({"t": {"id": "integer", True: "text"}}, "t: the key True is not a string"),
]


@pytest.mark.parametrize(("data", "expected"), NAMES)
def test_bad_names_and_keys_are_refused(data: object, expected: str) -> None:
    problems = problems_of(data)
    assert any(expected in p for p in problems), problems


REFERENCES: list[tuple[object, str]] = [
    ({"": {"columns": {"x": {"references": []}}}}, "table key '' is empty"),
    ({"t": {"columns": {"x": {"references": []}}}}, "write 'table', 'table.column'"),
    ({"p": {"id": "integer"}, "c": {"p_id": {"references": "p.\x00"}}}, "contains a control"),
    ({"p": {"id": "integer"}, "c": {"p_id": {"references": {"table": ""}}}}, "is empty"),
    (
        {"p": {"id": "integer"}, "c": {"p_id": {"references": {"table": "p", "colum": "id"}}}},
        "colum",
    ),
    ({"p": {"id": "integer"}, "c": {"p_id": {"references": {"table": "p", "column": 5}}}}, "not 5"),
    (
        {"p": {"id": "integer"}, "c": {"columns": {"p": "integer"}, "foreign_keys": [7]}},
        "each entry needs 'columns' and 'references', not 7",
    ),
    (
        {
            "p": {"id": "integer"},
            "c": {
                "columns": {"p": "integer"},
                "foreign_keys": [{"columns": "p", "references": "p", "deferrable": "no"}],
            },
        },
        "must be bool, not 'no'",
    ),
    (
        {"c": {"columns": {"p": "integer"}, "primary_key": [f"c{i}" for i in range(40)]}},
        "a list of up to 32 names",
    ),
]


@pytest.mark.parametrize(("data", "expected"), REFERENCES)
def test_malformed_references_are_refused(data: object, expected: str) -> None:
    problems = problems_of(data)
    assert any(expected in p for p in problems), problems


def test_error_texts_stay_short_whatever_the_input_holds() -> None:
    huge = "x" * 1_000_000
    shared: list[Any] = ["lol"] * 9
    for _ in range(8):  # a dict-built alias bomb: shared lists, 9**9 leaves when expanded
        shared = [shared] * 9
    cases: list[object] = [
        {"t": {"id": "integer", "x": {"type": huge}}},
        {"t": {"id": "integer", "x": {"enum": huge}}},
        {"t": {"id": "integer", "x": {"references": {"table": huge}}}},
        {"t": {"id": "integer", "x": shared}},
        {f"t{i}": {"id": "integer", "x": {"references": "nowhere"}} for i in range(5000)},
    ]
    for case in cases:
        problems_of(case)  # asserts the message is short


def test_a_huge_or_self_containing_dict_is_refused() -> None:
    columns = {f"c{i}": "text" for i in range(MAX_NODES // 2 + 1)}
    assert problems_of({"t": columns}) == (
        f"the schema holds more than {MAX_NODES:,} values (the limit)",
    )
    loop: dict[str, Any] = {"id": "integer"}
    loop["x"] = loop
    assert "or contains itself" in problems_of({"t": loop})[0]


def test_json_with_every_problem_exits_with_the_schema_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"t\u0000": {"id": "integer", "x": {"type": "float"}}}))
    code, err = cli(capsys, path, tmp_path)
    assert code == EXIT_USAGE and "contains a control character" in err
