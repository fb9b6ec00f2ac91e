"""The rules one column imposes on its values, resolved once from the IR.

:func:`column_rules` turns a :class:`~syda.schema.ir.Column` into :class:`ColumnRules`: bounds in
the column's own Python type (ordinal days become dates), the allowed values coerced to that type
and a fully anchored pattern. Both validation paths read these same objects:
:func:`field_annotation` turns them into a pydantic type for the row model, and the vectorized
frame checks compare whole columns against them. That is what keeps the two paths agreeing.

Value semantics (chosen for LLM JSON and for pandas columns alike):

* integer: ints, and floats without a fractional part (a JSON ``3.0``, or a pandas int column
  upcast to float by a NULL); never bools or strings.
* float: ints and finite floats; never bools or strings.
* decimal: ints, floats (converted through their shortest ``repr``, so ``12.5`` fits scale 1) and
  numeric strings; total and fractional digits are checked against precision and scale.
* string/text: str only; boolean: bool only.
* date/datetime/time: objects of the type or ISO strings; never numbers (pydantic would otherwise
  read them as Unix timestamps). A datetime at midnight is accepted as a date.
* uuid: UUID objects or their string forms; json: any JSON value; binary: bytes (or str, UTF-8).
* ``minimum``/``maximum`` apply to numbers, dates and datetimes (IR bounds of dates are ordinal
  days, fractional days being the time of day); they are not defined for other kinds.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BeforeValidator, Field, JsonValue, TypeAdapter
from pydantic_core import PydanticCustomError, to_jsonable_python

from syda.schema.ir import Column, ColumnKind

__all__ = ["ColumnRules", "column_rules", "field_annotation"]

_PY_TYPES: dict[ColumnKind, Any] = {
    "integer": int,
    "float": float,
    "decimal": Decimal,
    "string": str,
    "text": str,
    "boolean": bool,
    "date": dt.date,
    "datetime": dt.datetime,
    "time": dt.time,
    "uuid": UUID,
    "json": JsonValue,
    "binary": bytes,
    "unknown": Any,
}

# Kinds whose values are checked strictly by pydantic (no str -> int, 1 -> True, ...).
_STRICT_KINDS = frozenset({"integer", "float", "string", "text", "boolean"})

# A leading global-flag group such as ``(?i)`` must stay first once the pattern is wrapped.
_GLOBAL_FLAGS = re.compile(r"\A\(\?[aiLmsux]+\)")


@dataclass(frozen=True)
class ColumnRules:
    """Everything a value of one column is checked against, in the column's Python types.

    Attributes:
        name: The column name.
        kind: The logical type.
        nullable: Whether NULL (None) is allowed.
        max_length: Maximum length in characters (or bytes for binary).
        max_digits: Total digits of a decimal.
        decimal_places: Digits after the point of a decimal.
        lower: Inclusive lower bound, in the column's type.
        upper: Inclusive upper bound, in the column's type.
        choices: Allowed values, coerced to the column's type, in their declared order.
        pattern: The anchored regular expression values must match (Python ``re`` syntax).
        schema_pattern: The same, anchored JSON-Schema style (``^(?:...)$``).
    """

    name: str
    kind: ColumnKind
    nullable: bool
    max_length: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    lower: Any = None
    upper: Any = None
    choices: tuple[Any, ...] | None = None
    pattern: re.Pattern[str] | None = None
    schema_pattern: str | None = None


def column_rules(column: Column) -> ColumnRules:
    """Resolve the rules of ``column`` from its IR facts.

    Raises:
        re.error: If the column's pattern is not a valid regular expression.
    """
    kind = column.kind
    pattern: re.Pattern[str] | None = None
    schema_pattern: str | None = None
    if column.pattern is not None and kind in ("string", "text"):
        flags_match = _GLOBAL_FLAGS.match(column.pattern)
        flags = flags_match.group(0) if flags_match else ""
        body = column.pattern[len(flags) :]
        pattern = re.compile(rf"{flags}\A(?:{body})\Z")
        schema_pattern = f"^(?:{column.pattern})$"
    lower, upper = _bounds(kind, column.minimum, column.maximum)
    is_text = kind in ("string", "text", "binary")
    return ColumnRules(
        name=column.name,
        kind=kind,
        nullable=column.nullable,
        max_length=column.length if is_text else None,
        max_digits=column.precision if kind == "decimal" else None,
        decimal_places=column.scale if kind == "decimal" else None,
        lower=lower,
        upper=upper,
        choices=_coerce_choices(kind, column.choices),
        pattern=pattern,
        schema_pattern=schema_pattern,
    )


def _from_ordinal(days: float) -> dt.datetime:
    whole = math.floor(days)
    # Fractional days carry float error of a few microseconds (23:59:59 read back as
    # 23:59:58.999995): bounds are read to the millisecond.
    millis = round((days - whole) * 86_400_000)
    return dt.datetime.fromordinal(whole) + dt.timedelta(milliseconds=millis)


def _bounds(kind: ColumnKind, minimum: float | None, maximum: float | None) -> tuple[Any, Any]:
    def one(value: float | None, is_lower: bool) -> Any:
        if value is None or math.isnan(value):
            return None
        if kind == "integer":
            # An integer column bounded by 0.5 really starts at 1.
            return math.ceil(value) if is_lower else math.floor(value)
        if kind == "float":
            return float(value)
        if kind == "decimal":
            return Decimal(repr(float(value)))
        if kind in ("date", "datetime"):
            day = math.ceil(value) if is_lower else math.floor(value)
            if not 1 <= day <= dt.date.max.toordinal():
                return None
            if kind == "date":
                return dt.date.fromordinal(day)
            return _from_ordinal(value)
        return None

    return one(minimum, True), one(maximum, False)


def _coerce_choices(kind: ColumnKind, choices: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """Convert the declared choices to the column's type (``"1"`` for an integer column -> 1)."""
    if choices is None:
        return None
    if kind in ("json", "unknown"):
        return tuple(choices)
    adapter: TypeAdapter[Any] = TypeAdapter(_PY_TYPES[kind])
    coerced: list[Any] = []
    for choice in choices:
        try:
            value = adapter.validate_python(choice)
        except ValueError:
            # A choice of the wrong type can never be produced; keep it so prompts still show it.
            value = choice
        if value not in coerced:
            coerced.append(value)
    return tuple(coerced)


def _integer_input(value: Any) -> Any:
    # Strict int rejects 3.0, which is what JSON and NULL-upcast pandas columns often hold.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _temporal_input(value: Any) -> Any:
    # Lax pydantic reads numbers as Unix timestamps; a number in a date column is a mistake.
    if isinstance(value, (int, float)):
        raise PydanticCustomError("temporal_type", "Input should be an ISO date/time string")
    return value


def _naive_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _datetime_bounds(lower: dt.datetime | None, upper: dt.datetime | None) -> Any:
    # Bounds are naive; an aware value is compared in UTC (``ge=`` would raise TypeError).
    def check(value: dt.datetime) -> dt.datetime:
        naive = _naive_utc(value)
        if lower is not None and naive < lower:
            raise PydanticCustomError(
                "greater_than_equal", "Input should be at or after {ge}", {"ge": str(lower)}
            )
        if upper is not None and naive > upper:
            raise PydanticCustomError(
                "less_than_equal", "Input should be at or before {le}", {"le": str(upper)}
            )
        return value

    return AfterValidator(check)


def _full_match(pattern: re.Pattern[str], shown: str) -> Any:
    match = pattern.match

    def check(value: str) -> str:
        if match(value) is None:
            raise PydanticCustomError(
                "string_pattern_mismatch",
                "String should match the pattern {pattern}",
                {"pattern": shown},
            )
        return value

    return AfterValidator(check)


def _membership(choices: tuple[Any, ...]) -> Any:
    try:
        allowed: frozenset[Any] | tuple[Any, ...] = frozenset(choices)
    except TypeError:  # unhashable (JSON objects): fall back to a linear scan
        allowed = choices
    shown = ", ".join(repr(c) for c in choices)

    def check(value: Any) -> Any:
        if value not in allowed:
            raise PydanticCustomError(
                "choices", "Input should be one of: {allowed}", {"allowed": shown}
            )
        return value

    return AfterValidator(check)


def _not_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", "Input should not be null")
    return value


def field_annotation(rules: ColumnRules) -> Any:
    """Return the pydantic type (an ``Annotated``) that validates one value of the column.

    The result carries every per-value rule: type, nullability, length, digits, bounds, allowed
    values and pattern. Patterns are matched with Python's ``re``, anchored at both ends, whatever
    the ``regex_engine`` of the model (pydantic's default Rust engine has another syntax).
    """
    kind = rules.kind
    constraints: dict[str, Any] = {}
    validators: list[Any] = []
    if rules.max_length is not None:
        constraints["max_length"] = rules.max_length
    if rules.max_digits is not None:
        constraints["max_digits"] = rules.max_digits
    if rules.decimal_places is not None:
        constraints["decimal_places"] = rules.decimal_places
    if kind in ("integer", "float", "decimal", "date"):
        if rules.lower is not None:
            constraints["ge"] = rules.lower
        if rules.upper is not None:
            constraints["le"] = rules.upper
    elif kind == "datetime" and (rules.lower is not None or rules.upper is not None):
        validators.append(_datetime_bounds(rules.lower, rules.upper))
    if rules.pattern is not None:
        # Checked by our own validator so that the error quotes the pattern as declared.
        validators.append(_full_match(rules.pattern, rules.schema_pattern or ""))
        constraints["json_schema_extra"] = {"pattern": rules.schema_pattern}
    if kind in _STRICT_KINDS:
        constraints["strict"] = True
    if kind == "float":
        constraints["allow_inf_nan"] = False

    base: Any = _PY_TYPES[kind]
    choices = rules.choices
    literal_ok = choices is not None and (
        (kind in ("string", "text") and all(isinstance(c, str) for c in choices))
        or (kind == "integer" and all(type(c) is int for c in choices))
    )
    if literal_ok and choices is not None:
        # A Literal is checked in Rust and shows as an ``enum`` in the JSON Schema.
        base = Literal[choices]
        constraints.pop("strict", None)  # not applicable to literals; the type is in the literal
        constraints.pop("max_length", None)
        validators.clear()  # the literal already decides; a pattern adds nothing
        constraints.pop("json_schema_extra", None)
    elif choices is not None:
        validators.append(_membership(choices))
        extra = constraints.get("json_schema_extra", {})
        constraints["json_schema_extra"] = {**extra, "enum": [_jsonable(c) for c in choices]}

    # pydantic runs "before" validators last-declared first.
    before: list[Any] = []
    if kind == "integer":
        if literal_ok:
            # Literal[1, 2] accepts True; a strict int check in front of it does not.
            before.append(BeforeValidator(_strict_int))
        before.append(BeforeValidator(_integer_input))
    elif kind in ("date", "datetime", "time"):
        before.append(BeforeValidator(_temporal_input))

    value_type: Any = Annotated[(base, Field(**constraints), *validators, *before)]
    if rules.nullable:
        return value_type | None
    if kind in ("json", "unknown"):
        # JsonValue and Any both admit None; NOT NULL must still reject it.
        return Annotated[value_type, AfterValidator(_not_null)]
    return value_type


def _strict_int(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def _jsonable(value: Any) -> Any:
    # The JSON form pydantic itself reads and writes (JSON values as they are, ISO dates, bytes
    # as UTF-8 text), never a Python repr such as "{'a': 1}" or "b'ab'" that no reply can match.
    return to_jsonable_python(value, fallback=str)
