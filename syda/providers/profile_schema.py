"""The JSON Schema of an LLM's profile reply, and its translation into the profile's own shape.

The profile (:mod:`syda.profile.spec`) keeps vocabularies and factors as mappings
(``values: {Enterprise: 0.2, SMB: 0.8}``), which strict structured outputs cannot describe: every
object there must list its properties. So the reply uses a wire form that can be described, and
:func:`from_wire` turns it back into the profile's shape, to be validated by the profile's pydantic
models and checks like any profile a person writes:

* ``columns`` is a list of ``{"column": name, ...keys}`` objects, not a mapping;
* ``values`` is ``[{"value": v, "weight": w}]``, ``scale_by`` ``[{"column", "factors": [{"value",
  "factor"}]}]``, ``by.cases`` ``[{"value", "spec"}]`` and ``stages.outcome`` ``[{"value",
  "share"}]``;
* every key is present; ``null`` means "not set" (the key keeps its inferred value).

It uses only the keywords :data:`~syda.providers.reply_schema.STRICT_KEYWORDS` lists, so OpenAI
strict structured outputs and Anthropic's tool ``input_schema`` both take it. The vocabulary is a
subset of the profile's: series (``level``, ``daily``...) and ``aggregate`` stay with people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from syda.profile.spec import Gap
from syda.schema.ir import Table
from syda.semantics import SEMANTIC_KINDS

__all__ = ["PROFILE_KEYS", "from_wire", "profile_reply_schema", "profile_schema_name"]

_NUMBER = {"type": "number"}
_STRING = {"type": "string"}
_SCALAR = {"anyOf": [_STRING, _NUMBER, {"type": "boolean"}]}
_NULL = {"type": "null"}
_KINDS = ["lognormal", "normal", "uniform", "exponential", "poisson", "zipf", "triangular"]
_PARAMS = ("median", "mean", "sigma", "sd", "low", "high", "mode", "a")
_UNITS = list(Gap.model_fields["unit"].annotation.__args__)  # type: ignore[union-attr]


def _nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"anyOf": [dict(schema), _NULL]}


def _object(properties: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": dict(properties),
        "required": list(properties),
        "additionalProperties": False,
    }


def _array(items: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": dict(items)}


_DISTRIBUTION = _object(
    {"kind": {"type": "string", "enum": _KINDS}, **{p: _nullable(_NUMBER) for p in _PARAMS}}
)
_GAP = _object({"distribution": _DISTRIBUTION, "unit": {"type": "string", "enum": _UNITS}})


def _spec(semantics: Sequence[str], *, with_by: bool) -> dict[str, Any]:
    """The keys of one column's spec (a ``by`` case has all of them but ``by``)."""
    weighted = _object({"value": _SCALAR, "weight": _NUMBER})
    factors = _object({"value": _STRING, "factor": _NUMBER})
    # A case's semantic is plain text (checked on reading): the list of kinds is sent once.
    semantic = {"type": "string", "enum": list(semantics)} if semantics else _STRING
    keys: dict[str, Any] = {
        "semantic": _nullable(semantic),
        "values": _nullable(_array(weighted)),
        "distribution": _nullable(_DISTRIBUTION),
        "min": {"anyOf": [_NUMBER, _STRING, _NULL]},
        "max": {"anyOf": [_NUMBER, _STRING, _NULL]},
        "round": _nullable({"type": "integer"}),
        "outliers": _nullable(_NUMBER),
        "null_share": _nullable(_NUMBER),
        "null_unless": _nullable(_STRING),
        "null_when": _nullable(_STRING),
        "seasonality": _nullable(
            _object({k: _nullable(_array(_NUMBER)) for k in ("month", "weekday", "hour")})
        ),
        "trend": _nullable(_NUMBER),
        "after": _nullable(_STRING),
        "gap": _nullable(_GAP),
        "expr": _nullable(_STRING),
        "template": _nullable(_STRING),
        "from_parent": _nullable(_STRING),
        "correlate": _nullable(_object({"column": _STRING, "r": _NUMBER})),
        "scale_by": _nullable(_array(_object({"column": _STRING, "factors": _array(factors)}))),
    }
    if with_by:
        case = _object({"value": _SCALAR, "spec": _object(_spec((), with_by=False))})
        keys["by"] = _nullable(_object({"column": _STRING, "cases": _array(case)}))
    return keys


PROFILE_KEYS: tuple[str, ...] = ("column", *_spec((), with_by=True))
"""The keys of one column object of the reply, in order."""


def profile_schema_name(table: Table) -> str:
    """A schema name vendors accept (``^[A-Za-z0-9_-]{1,64}$``) for ``table``'s profile."""
    from syda.providers.reply_schema import reply_schema_name

    return f"{reply_schema_name(table)[:56]}_profile"


def profile_reply_schema(columns: Sequence[str], *, table_keys: bool = True) -> dict[str, Any]:
    """The JSON Schema of a profile reply for ``columns`` (names, in order).

    Args:
        columns: The columns to profile; each column object's ``column`` is one of them.
        table_keys: Whether the reply holds ``stages`` and ``exactly_one`` (only one call of a
            wide table asks for them).

    Raises:
        ValueError: If ``columns`` is empty or names a column twice.
    """
    if not columns or len(set(columns)) != len(columns):
        raise ValueError(f"a profile reply needs distinct columns, got {list(columns)}")
    column = _object(
        {
            "column": {"type": "string", "enum": list(columns)},
            **_spec(sorted(SEMANTIC_KINDS), with_by=True),
        }
    )
    top: dict[str, Any] = {"columns": _array(column)}
    if table_keys:
        outcome = _object({"value": _STRING, "share": _NUMBER})
        top["stages"] = _nullable(
            _object(
                {
                    "column": _STRING,
                    "order": _array(_STRING),
                    "reach": _array(_NUMBER),
                    "dates": _nullable(_array({"anyOf": [_STRING, _NULL]})),
                    "gap": _nullable(_GAP),
                    "outcome": _nullable(_array(outcome)),
                }
            )
        )
        top["exactly_one"] = _nullable(_array(_object({"column": _STRING, "per": _array(_STRING)})))
    return _object(top)


def from_wire(data: Any) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """A reply in the wire form, as the profile's shapes.

    Returns:
        ``(columns, table_keys, problems)``: ``{column: spec mapping}`` with unset keys left
        out, the table keys that are set (``stages``, ``exactly_one``) and what could not be
        read (not an object, a column object without a name, a column given twice). Each spec
        still has to be validated by :class:`~syda.profile.spec.ColumnProfile`; a list that is
        not in the wire form (a ``values`` item without its ``weight``) is left as a text that
        names the form, so the validation's problem says what was expected.
    """
    if not isinstance(data, Mapping):
        return {}, {}, [f"the reply is not a JSON object but {type(data).__name__}"]
    raw = data.get("columns")
    if not isinstance(raw, list):
        return {}, {}, ["the reply has no 'columns' list"]
    columns: dict[str, Any] = {}
    problems: list[str] = []
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("column"), str):
            problems.append(f"a column object without a 'column' name: {str(item)[:80]}")
            continue
        name = item["column"]
        if name in columns:
            problems.append(f"{name}: given twice; give one object per column")
            continue
        columns[name] = _spec_of({k: v for k, v in item.items() if k != "column"})
    table: dict[str, Any] = {}
    stages = data.get("stages")
    if isinstance(stages, Mapping):
        stages = _dropped(stages)
        if isinstance(stages.get("outcome"), list):
            stages["outcome"] = _pairs(stages["outcome"], "value", "share")
        table["stages"] = stages
    elif stages is not None:
        table["stages"] = stages  # validation says what is wrong with it
    flags = data.get("exactly_one")
    if flags is not None:
        table["exactly_one"] = flags
    return columns, table, problems


def _spec_of(item: Mapping[str, Any]) -> Any:
    spec = _dropped(item)
    if isinstance(spec.get("values"), list):
        spec["values"] = _pairs(spec["values"], "value", "weight", add=True)
    if isinstance(spec.get("scale_by"), list):
        spec["scale_by"] = {
            str(s.get("column")): _pairs(s.get("factors"), "value", "factor")
            for s in spec["scale_by"]
            if isinstance(s, Mapping)
        }
    by = spec.get("by")
    if isinstance(by, Mapping) and isinstance(by.get("cases"), list):
        cases = {
            c.get("value"): _spec_of(c["spec"]) if isinstance(c.get("spec"), Mapping) else c
            for c in by["cases"]
            if isinstance(c, Mapping)
        }
        spec["by"] = {**_dropped(by), "cases": cases}
    return spec


def _dropped(item: Mapping[str, Any]) -> dict[str, Any]:
    """The keys that are set; nested objects (a distribution, a gap) lose their nulls too."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if value is None:
            continue
        if isinstance(value, Mapping) and key not in ("cases",):
            value = _dropped(value)
        out[key] = value
    return out


def _pairs(items: Any, key: str, number: str, add: bool = False) -> Any:
    """``[{key: k, number: n}]`` as ``{k: n}``; anything else as a text validation refuses."""
    if not isinstance(items, list) or not all(
        isinstance(i, Mapping) and key in i and number in i for i in items
    ):
        # Never the list itself: a list of objects would read as a list of "equal" values.
        return f'not [{{"{key}": ..., "{number}": ...}}]: {str(items)[:60]}'

    out: dict[Any, Any] = {}
    for item in items:
        k, n = item[key], item[number]
        # A value listed twice: its weights add up (the model said it twice as often).
        both = add and k in out and isinstance(out[k], int | float) and isinstance(n, int | float)
        out[k] = out[k] + n if both else n
    return out
