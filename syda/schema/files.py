"""Schema files: a YAML or JSON file read into the dict that :mod:`from_dict` understands.

Both parsers silently keep the last of two equal keys in a mapping, which would hide a column
written twice; here every duplicate key is reported instead, so a schema file means exactly what
it says.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from syda.errors import SchemaError

__all__ = ["read_schema_file"]


def read_schema_file(path: str | Path) -> tuple[Mapping[str, Any], list[str]]:
    """Parse a ``.yaml``/``.yml`` or ``.json`` schema file.

    Args:
        path: The file; its suffix decides the format.

    Returns:
        The top-level mapping, and a problem for every key given twice in one mapping (for the
        caller to report together with the schema's other problems).

    Raises:
        SchemaError: If the suffix is unknown, or the file cannot be read, parsed, or does not
            hold a mapping.
    """
    file = Path(path)
    duplicates: list[str] = []
    suffix = file.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise SchemaError([f"{file}: unknown schema file type; use .yaml, .yml or .json"])
    try:
        text = file.read_text(encoding="utf-8")
        if suffix == ".json":
            data = json.loads(text, object_pairs_hook=lambda pairs: _pairs(pairs, duplicates))
        else:
            data = yaml.load(text, Loader=_loader(duplicates))  # a SafeLoader subclass
    except OSError as error:
        raise SchemaError([f"cannot read schema file {file}: {error.strerror or error}"]) from None
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise SchemaError([f"cannot parse schema file {file}: {error}"]) from None
    if not isinstance(data, Mapping):
        raise SchemaError([f"{file}: the file must hold a mapping, not {type(data).__name__}"])
    return data, [f"{file}: {d}" for d in dict.fromkeys(duplicates)]


def _loader(duplicates: list[str]) -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
            duplicates.extend(f"{k!r} is given twice" for k in keys if keys.count(k) > 1)
            return super().construct_mapping(node, deep=deep)

    return Loader


def _pairs(pairs: list[tuple[str, Any]], duplicates: list[str]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    duplicates.extend(f"{k!r} is given twice" for k in keys if keys.count(k) > 1)
    return dict(pairs)
