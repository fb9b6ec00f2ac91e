"""Reading and writing profiles: YAML or JSON files, mappings, and one error for every bad key.

A profile file is what ``syda profile`` writes and ``--profile`` reads; it is read with the same
bounded, duplicate-reporting reader as schema files, so a key written twice is an error rather
than a silently dropped spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from syda.errors import SchemaError
from syda.profile.spec import ColumnProfile, Profile, TableProfile
from syda.schema.files import read_schema_file
from syda.schema.limits import capped, shown

__all__ = [
    "dump_profile",
    "load_profile",
    "parse_column_profile",
    "parse_table_profile",
    "problems_of",
]

ProfileSource = Profile | Mapping[str, Any] | str | Path


def load_profile(source: ProfileSource) -> Profile:
    """Read a profile from a :class:`Profile`, a mapping, or a ``.yaml``/``.json`` file.

    A mapping or file holds ``{"version": 1, "tables": {table: {"columns": {...}}}}``; the short
    form ``{table: {column: spec}}`` (without ``version``/``tables``) is read the same way.

    Raises:
        SchemaError: Listing every bad key and value, each with its place in the profile.
    """
    if isinstance(source, Profile):
        return source
    problems: list[str] = []
    where = "profile"
    if isinstance(source, (str, Path)):
        data, problems = read_schema_file(source)
        where = str(source)
    else:
        data = source
    if not isinstance(data, Mapping):
        raise SchemaError([f"{where}: a profile is a mapping, not {type(data).__name__}"])
    if problems:
        raise SchemaError(capped(problems))
    try:
        return Profile.model_validate(_long_form(data))
    except ValidationError as error:
        raise SchemaError(capped(problems_of(error, where))) from None


def parse_column_profile(raw: Mapping[str, Any], where: str, problems: list[str]) -> ColumnProfile:
    """A column spec a schema carries (dict keys, ``info["syda"]``); bad keys join ``problems``."""
    try:
        return ColumnProfile.model_validate(dict(raw))
    except ValidationError as error:
        problems.extend(problems_of(error, where))
        return ColumnProfile()


def parse_table_profile(raw: Mapping[str, Any], where: str, problems: list[str]) -> TableProfile:
    """Table-level specs carried by a schema (``stages``, ``series``, ``exactly_one``)."""
    try:
        return TableProfile.model_validate(dict(raw))
    except ValidationError as error:
        problems.extend(problems_of(error, where))
        return TableProfile()


def dump_profile(profile: Profile) -> str:
    """The profile as YAML a person can edit and commit (only the keys that are set)."""
    data = profile.model_dump(mode="json", exclude_none=True)
    for table in data["tables"].values():
        if not table.get("columns"):
            table.pop("columns", None)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def problems_of(error: ValidationError, where: str) -> list[str]:
    """One line per pydantic error: where it is (``Deal.amount.distribution``) and what is wrong."""
    lines = []
    for item in error.errors():
        path = _path(item["loc"])
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        elif path.endswith(".values") and item["type"] in ("dict_type", "list_type"):
            message = "a mapping {value: weight}, or a list of equally likely values"
        elif item["type"] == "string_pattern_mismatch" and path.endswith(".every"):
            message = f"a step such as 15min, 1h, 1d or 1w, not {shown(item.get('input'))}"
        elif item["type"] == "union_tag_invalid":
            message = (
                "unknown distribution kind "
                f"{shown(item.get('input', {}).get('kind'))}; known: "
                "exponential, lognormal, normal, poisson, triangular, uniform, zipf"
            )
        elif item["type"].startswith("value_error"):
            message = message.removeprefix("Value error, ")
        lines.append(f"{where}: {path}: {message}" if path else f"{where}: {message}")
    return list(dict.fromkeys(lines))


def _long_form(data: Mapping[str, Any]) -> Mapping[str, Any]:
    if "tables" in data or "version" in data:
        return data
    # {table: {column: spec}} or {table: {"columns": {...}, "stages": ...}}
    tables = {}
    for key, value in data.items():
        if isinstance(value, Mapping) and not set(value) & set(TableProfile.model_fields):
            value = {"columns": value}
        tables[key] = value
    return {"tables": tables}


def _path(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as the user wrote it: ``deals.amount.distribution``."""
    parts = [p for p in loc if not _is_union_tag(p)]
    if len(parts) >= 2 and parts[0] == "tables":
        parts = parts[1:]
        if len(parts) >= 2 and parts[1] == "columns":
            parts = [parts[0], *parts[2:]]
    return ".".join(_part(p) for p in parts)


def _part(part: object) -> str:
    return str(part) if not isinstance(part, int) else f"[{part}]"


def _is_union_tag(part: object) -> bool:
    # pydantic puts the chosen member of a tagged union in the path ("lognormal"), and the
    # member types of a plain union ("dict[any,float]"): neither is a key the user wrote.
    return isinstance(part, str) and (
        part in ("lognormal", "normal", "uniform", "exponential", "poisson", "zipf", "triangular")
        or "[" in part
        or part in ("list", "function-after[_shape(), Stages]")
    )
