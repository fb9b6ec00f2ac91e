"""Fuzzing the dict and YAML/JSON schema loaders: whatever goes in, only a syda error comes out.

Random documents (nested dicts and lists of odd scalars: NaN, huge integers, control
characters, non-string keys) and mutations of a valid schema go through ``syda.load_schema``,
as a dict and as a file. Derandomized, so CI runs the same examples every time.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import syda

SETTINGS = settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

NAMES = st.sampled_from(
    ["id", "name", "t", "", " ", "a.b", "x\x00", "é", "\ud800", "yes", "columns", "references"]
)
SPEC_KEYS = st.sampled_from(
    "type description nullable unique primary_key enum min max length max_length pattern "
    "precision scale timezone semantic default references columns column table sql name "
    "foreign_keys checks deferrable".split()
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([10**400, -(10**30), 2**63, 0, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    NAMES,
    st.sampled_from(
        [
            "integer",
            "varchar(50)",
            "decimal(10,2)",
            "decimal(999,2)",
            "date",
            "email",
            "varchar(99999999999)",
            "a{5000}",
            "(((",
            "2020-13-45",
            "p.id",
            "p",
            "users.id",
        ]
    ),
)
KEYS = st.one_of(
    NAMES, SPEC_KEYS, st.text(max_size=6), st.integers(-3, 3), st.none(), st.booleans()
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=25,
)

EXTREMES = st.sampled_from(
    [math.nan, math.inf, 10**400, 2**64, -(2**63), 1e308, 0, -1, "", "\x00", [], {}, None, True]
)
VALUES = st.one_of(EXTREMES, SCALARS, DOCUMENTS)
SPECS = st.one_of(
    SCALARS,
    st.fixed_dictionaries(
        {},
        optional={
            key: VALUES
            for key in (
                "type",
                "min",
                "max",
                "length",
                "enum",
                "pattern",
                "precision",
                "scale",
                "references",
                "nullable",
                "primary_key",
                "unique",
            )
        },
    ),
    st.dictionaries(st.one_of(SPEC_KEYS, KEYS), VALUES, max_size=4),
)
COLUMNS = st.dictionaries(KEYS, SPECS, min_size=1, max_size=4)
REFERENCES = st.one_of(
    SCALARS, st.dictionaries(st.sampled_from(["table", "column", "columns", "x"]), SCALARS)
)
LONG_TABLES = st.fixed_dictionaries(
    {"columns": COLUMNS},
    optional={
        "primary_key": st.one_of(NAMES, st.lists(NAMES, max_size=3), SCALARS),
        "unique": st.lists(st.one_of(NAMES, st.lists(NAMES, max_size=3)), max_size=2),
        "foreign_keys": st.lists(
            st.dictionaries(
                st.sampled_from(["columns", "references", "ref_columns", "deferrable", "name"]),
                REFERENCES,
            ),
            max_size=2,
        ),
        "checks": st.lists(st.one_of(st.text(max_size=10), SCALARS), max_size=2),
        "name": SCALARS,
        "description": SCALARS,
    },
)
# Shaped like schemas (tables of columns of specs), so the fuzz reaches the readers of every
# value instead of stopping at the first "neither a column spec nor a table".
SCHEMAS = st.dictionaries(KEYS, st.one_of(COLUMNS, LONG_TABLES), min_size=1, max_size=3)

VALID: dict[str, Any] = {
    "users": {
        "columns": {
            "id": {"type": "integer", "primary_key": True},
            "email": {"type": "email", "unique": True},
            "age": {"type": "integer", "min": 18, "max": 99},
        },
        "checks": ["age >= 18"],
    },
    "orders": {
        "id": "integer",
        "user_id": {"references": "users.id"},
        "amount": {"type": "decimal(10,2)", "min": 0},
        "placed": {"type": "date", "min": "2020-01-01"},
    },
}


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (the keys and indexes leading to it)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.extend(paths(item, (*prefix, i)))
    return found


def replaced(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A copy of ``document`` with the value at ``path`` replaced by ``new``."""
    if not path:
        return new
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[path[0]] = replaced(document[path[0]], path[1:], new)
    return copy


@st.composite
def mutations(draw: st.DrawFn) -> Any:
    """The valid schema with one to three values swapped for random ones."""
    document: Any = VALID
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(document)))
        document = replaced(document, path, draw(DOCUMENTS))
    return document


def load(source: object) -> None:
    try:
        syda.load_schema(source)
    except syda.SydaError as error:
        assert len(str(error)) < 20_000


def test_the_valid_schema_loads() -> None:
    """The mutations start from a schema that is accepted, so refusals come from the changes."""
    assert syda.load_schema(VALID).keys == ("users", "orders")


@SETTINGS
@given(st.one_of(DOCUMENTS, SCHEMAS, mutations()))
def test_the_dict_loader_raises_only_syda_errors(document: Any) -> None:
    load(document)


@SETTINGS
@given(st.one_of(DOCUMENTS, SCHEMAS, mutations()), st.sampled_from([".yaml", ".json"]))
def test_the_file_loaders_raise_only_syda_errors(
    tmp_path: Path, document: Any, suffix: str
) -> None:
    path = tmp_path / f"schema{suffix}"
    if suffix == ".json":
        try:
            text = json.dumps(document)
        except (TypeError, ValueError):  # keys json cannot write (None keys are fine)
            return
    else:
        text = yaml.safe_dump(document, allow_unicode=True)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    load(path)


@SETTINGS
@given(st.binary(max_size=200), st.sampled_from([".yaml", ".json"]))
def test_arbitrary_bytes_raise_only_syda_errors(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"schema{suffix}"
    path.write_bytes(b"users:\n  id: integer\n" + data if suffix == ".yaml" else data)
    load(path)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_non_finite_number_anywhere_is_refused(value: float) -> None:
    document = replaced(VALID, ("orders", "amount", "min"), value)
    with pytest.raises(syda.SchemaError, match=r"orders\.amount\.min"):
        syda.load_schema(document)
