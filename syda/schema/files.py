"""Schema files: a YAML or JSON file read into the dict that :mod:`from_dict` understands.

Both parsers silently keep the last of two equal keys in a mapping, which would hide a column
written twice; here every duplicate key is reported instead, so a schema file means exactly what
it says. Reading is bounded (see :mod:`syda.schema.limits`): the size is checked before parsing,
the text must be UTF-8, and YAML nesting and alias expansion are counted while the document is
composed, before any Python object is built from it.

One YAML trap is mended while composing: in a flow mapping the comma ends an entry, so
``{type: decimal(10,2)}`` parses as ``{"type": "decimal(10", "2)": null}``. An unquoted value
whose parentheses are left open, followed by a key that closes them and has no value, can only
be that mistake, so the entries are joined back into the text that was written (see
:func:`_mend_flow_commas`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from syda.errors import SchemaError
from syda.schema.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, shown

__all__ = ["read_schema_file"]


def read_schema_file(path: str | Path) -> tuple[Mapping[str, Any], list[str]]:
    """Parse a ``.yaml``/``.yml`` or ``.json`` schema file.

    Args:
        path: The file; its suffix decides the format.

    Returns:
        The top-level mapping, and a problem for every key given twice in one mapping (for the
        caller to report together with the schema's other problems).

    Raises:
        SchemaError: If the suffix is unknown; the file cannot be read, is larger than
            :data:`~syda.schema.limits.MAX_FILE_BYTES` or not UTF-8; it cannot be parsed, nests
            too deep or its YAML aliases expand past the limits; or it does not hold a mapping.
    """
    file = Path(path)
    duplicates: list[str] = []
    suffix = file.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise SchemaError([f"{file}: unknown schema file type; use .yaml, .yml or .json"])
    text = _read_text(file)
    try:
        if suffix == ".json":
            data = json.loads(text, object_pairs_hook=lambda pairs: _pairs(pairs, duplicates))
        else:
            loader = _Loader(text, file, duplicates)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
    except RecursionError:
        raise SchemaError([f"{file}: nested deeper than {MAX_DEPTH} levels (the limit)"]) from None
    # ValueError: an integer of over 4300 digits, or a YAML date such as 2020-13-45.
    except (yaml.YAMLError, json.JSONDecodeError, ValueError, OverflowError) as error:
        raise SchemaError([f"cannot parse schema file {file}: {error}"]) from None
    if not isinstance(data, Mapping):
        kind = type(data).__name__
        raise SchemaError([f"{file}: the file must hold a mapping, not {kind}"])
    return data, [f"{file}: {d}" for d in dict.fromkeys(duplicates)]


def _read_text(file: Path) -> str:
    try:
        with file.open("rb") as handle:
            # Read one byte past the limit, so a huge file (or a device) is never read whole.
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SchemaError([f"cannot read schema file {file}: {error.strerror or error}"]) from None
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise SchemaError([f"{file}: larger than {limit} MiB, the limit for a schema file"])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = raw[error.start]
        raise SchemaError(
            [f"{file}: not UTF-8 text (byte 0x{byte:02x} at offset {error.start})"]
        ) from None


class _Loader(yaml.SafeLoader):
    """A SafeLoader that reports duplicate keys and bounds nesting and alias expansion.

    Each composed node records its size with every alias expanded and its height, so an alias
    costs one lookup to check: a document whose aliases would expand past the limit is refused
    with a few hundred nodes composed, and none constructed.
    """

    def __init__(self, text: str, file: Path, duplicates: list[str]) -> None:
        super().__init__(text)
        self.file, self.duplicates, self.text = file, duplicates, text
        self.depth = 0
        self.sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, height)

    def _refuse(self, mark: Any, problem: str) -> SchemaError:
        return SchemaError([f"{self.file}: line {mark.line + 1}: {problem}"])

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        alias = isinstance(event, yaml.AliasEvent)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:  # the root is at depth 1 here, at 0 in the limit
                raise self._refuse(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if node is None:  # not reached: the parser gives a node after every node event
            return None
        if alias:
            known = self.sizes.get(id(node))
            if known is None:
                raise self._refuse(event.start_mark, "an alias refers to a node that holds it")
            if self.depth + known[1] > MAX_DEPTH + 1:
                raise self._refuse(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
            return node
        if isinstance(node, yaml.MappingNode) and node.flow_style:
            _mend_flow_commas(node, self.text)
        size, height = self._measure(node)
        if size > MAX_NODES:
            raise self._refuse(
                event.start_mark,
                f"this holds more than {MAX_NODES:,} values (the limit; aliases count expanded)",
            )
        self.sizes[id(node)] = (size, height)
        return node

    def _measure(self, node: yaml.Node) -> tuple[int, int]:
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            return 1, 1
        measured = [self.sizes[id(child)] for child in children]
        return 1 + sum(s for s, _ in measured), 1 + max((h for _, h in measured), default=0)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        self.duplicates.extend(_twice(keys))
        return super().construct_mapping(node, deep=deep)


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"


def _plain(node: yaml.Node, tag: str) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.tag == tag


def _open_parens(text: str) -> int:
    return text.count("(") - text.count(")")


def _splits_value(value: yaml.Node, key: yaml.Node, empty: yaml.Node, text: str) -> bool:
    """Whether ``key: empty`` is the rest of ``value`` that a comma cut off in a flow mapping."""
    if not (_plain(value, _STR) and _plain(key, _STR) and _plain(empty, _NULL)):
        return False
    if empty.value != "" or _open_parens(value.value) <= 0 or ")" not in key.value:
        return False
    between = text[value.end_mark.index : key.start_mark.index]
    written = text[value.start_mark.index : key.end_mark.index]
    return between.strip() == "," and "\n" not in written


def _mend_flow_commas(node: yaml.MappingNode, text: str) -> None:
    """Join ``{type: decimal(10, 2)}``'s ``"decimal(10"`` and ``"2)": null`` back together.

    The value node keeps its identity (its composed size is already recorded) and takes the
    text exactly as written, spaces included; the entries it absorbed are dropped.
    """
    pairs = list(node.value)
    mended: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in pairs:
        if mended:
            _, last = mended[-1]
            if _splits_value(last, key, value, text):
                last.value = text[last.start_mark.index : key.end_mark.index]
                last.end_mark = key.end_mark
                continue
        mended.append((key, value))
    node.value = mended


def _twice(keys: list[Any]) -> list[str]:
    try:
        counts = Counter(keys)
    except TypeError:  # an unhashable key (a YAML list or mapping), which the parser refuses
        return []
    return [f"{shown(k)} is given twice" for k, n in counts.items() if n > 1]


def _pairs(pairs: list[tuple[str, Any]], duplicates: list[str]) -> dict[str, Any]:
    duplicates.extend(_twice([k for k, _ in pairs]))
    return dict(pairs)
