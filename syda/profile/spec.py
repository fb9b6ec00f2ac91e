"""The profile's vocabulary: how one column's values are drawn, and a table's few patterns.

Every key name here is part of the public contract (README, "Making data make sense"); the
profile is written by people, inferred by syda, and later by an LLM or learned from data, so it
is a pydantic model that refuses unknown keys and says where each bad key sits.

Design notes:

* A column spec is one flat model of optional keys rather than a union of sampler kinds: the
  keys combine (``distribution`` with ``min``/``max``, ``round``, ``scale_by``, ``null_share``),
  which a union by kind would have to repeat in every member. Only ``distribution`` is a union,
  tagged by ``kind``, because its parameters do differ by kind.
* Values that may be dates or numbers (``min``, ``max``, series ``start``) stay as written
  (number, ISO string, date); the drawer converts them for the column's type, where the type
  is known.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "PROFILE_VERSION",
    "Bound",
    "ColumnProfile",
    "Conditioned",
    "Correlation",
    "Cycle",
    "Distribution",
    "ExactlyOne",
    "Exponential",
    "Gap",
    "Lognormal",
    "Normal",
    "Poisson",
    "Profile",
    "Seasonality",
    "SeriesAxis",
    "Stages",
    "TableProfile",
    "Triangular",
    "Uniform",
    "Zipf",
    "merge_column",
]

PROFILE_VERSION: Literal[1] = 1

Bound = float | int | date | datetime | str
"""A number, a date or timestamp, or an ISO string of one."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# -- distributions (a union tagged by ``kind``) ---------------------------------------------------
class Lognormal(_Spec):
    """Right-skewed positive amounts (prices, deal sizes, durations): ``median`` and ``sigma``."""

    kind: Literal["lognormal"]
    median: float | None = Field(default=None, gt=0)
    mean: float | None = Field(default=None, gt=0)
    sigma: float = Field(default=0.5, gt=0, validation_alias=AliasChoices("sigma", "sd"))


class Normal(_Spec):
    """Symmetric values around ``mean`` with spread ``sd``."""

    kind: Literal["normal"]
    mean: float
    sd: float = Field(gt=0, validation_alias=AliasChoices("sd", "sigma", "std"))


class Uniform(_Spec):
    """Every value between ``low`` and ``high`` (default: the column's ``min``/``max``) alike."""

    kind: Literal["uniform"]
    low: float | None = None
    high: float | None = None


class Exponential(_Spec):
    """Waiting times and gaps: many short, a few long, average ``mean``."""

    kind: Literal["exponential"]
    mean: float = Field(gt=0, validation_alias=AliasChoices("mean", "scale"))


class Poisson(_Spec):
    """Small counts (items per order, visits per day) with average ``mean``."""

    kind: Literal["poisson"]
    mean: float = Field(ge=0, validation_alias=AliasChoices("mean", "lam", "lambda"))


class Zipf(_Spec):
    """A long tail of ranks 1, 2, 3...: exponent ``a`` (> 1; larger means a shorter tail)."""

    kind: Literal["zipf"]
    a: float = Field(default=2.0, gt=1, validation_alias=AliasChoices("a", "s"))


class Triangular(_Spec):
    """Between ``low`` and ``high`` (default: ``min``/``max``), most often near ``mode``."""

    kind: Literal["triangular"]
    low: float | None = None
    mode: float
    high: float | None = None


Distribution = Annotated[
    Lognormal | Normal | Uniform | Exponential | Poisson | Zipf | Triangular,
    Field(discriminator="kind"),
]


def _kind_shorthand(value: Any) -> Any:
    """``distribution: lognormal`` reads as ``{kind: lognormal}`` (every other key defaulted)."""
    return {"kind": value.strip()} if isinstance(value, str) else value


# -- dates, times and their order ---------------------------------------------------------------
class Seasonality(_Spec):
    """Relative weights of months (12), weekdays (7, Monday first) and hours of the day (24)."""

    month: list[float] | None = Field(default=None, min_length=12, max_length=12)
    weekday: list[float] | None = Field(default=None, min_length=7, max_length=7)
    hour: list[float] | None = Field(default=None, min_length=24, max_length=24)

    @model_validator(mode="after")
    def _positive(self) -> Seasonality:
        for name in ("month", "weekday", "hour"):
            weights = getattr(self, name)
            if weights is not None and (min(weights) < 0 or sum(weights) <= 0):
                raise ValueError(f"{name} weights must be >= 0 with a positive sum")
        return self


class Gap(_Spec):
    """How long after the earlier event a later one happens."""

    distribution: Distribution
    unit: Literal["seconds", "minutes", "hours", "days", "weeks", "years"] = "days"
    """A year is 365.25 days (an age at hire: ``years``, uniform 18-60)."""

    _shorthand = field_validator("distribution", mode="before")(_kind_shorthand)


class Correlation(_Spec):
    """A numeric column that rises (``r`` > 0) or falls with another numeric column."""

    column: str
    r: float = Field(ge=-1, le=1)


class Conditioned(_Spec):
    """Different specs for the rows of each value of another column (or a parent's)."""

    column: str
    cases: dict[Any, ColumnProfile]


class Cycle(_Spec):
    """A periodic swing of a series column: relative ``amplitude``, and when it peaks."""

    amplitude: float = Field(ge=0)
    peak: float = 0
    """Daily: the hour (0-23); weekly: the weekday (0 = Monday); yearly: the month (1-12)."""


class ColumnProfile(_Spec):
    """How one column's values are drawn. Every key is optional; unset keys are inferred."""

    semantic: str | None = None
    """What the values mean (``email``, ``company``...): drawn by the provider as that kind."""
    values: dict[Any, float] | list[Any] | None = None
    """Weighted categories ``{value: weight}``, or a list of equally likely values."""
    weights: list[float] | None = None
    """Weights for the column's own allowed values (an enum or a CHECK ... IN list), in order."""
    distribution: Distribution | None = None
    min: Bound | None = None
    max: Bound | None = None
    outliers: float | None = Field(default=None, ge=0, lt=1)
    round: int | None = Field(default=None, ge=0, le=12)
    seasonality: Seasonality | None = None
    trend: float | None = Field(default=None, gt=-1)
    """Yearly growth: of the volume of events for dates, of the level for a series column."""
    after: str | None = None
    """The column (``created_at``) or parent column (``customer.created_at``) this one follows."""
    gap: Gap | None = None
    expr: str | None = None
    """A SQL expression over the row's columns and its parents' (``customer.segment``)."""
    aggregate: str | None = None
    """A parent column from its children: ``sum(order_items.quantity * order_items.price)``."""
    null_share: float | None = Field(default=None, ge=0, le=1)
    default_share: float | None = Field(default=None, ge=0, le=1)
    """Share of rows that keep the column's DEFAULT (the others are drawn as usual)."""
    null_unless: str | None = None
    null_when: str | None = None
    by: Conditioned | None = None
    scale_by: dict[str, dict[str, float]] | None = None
    correlate: Correlation | None = None
    template: str | None = None
    """Codes from other columns and a sequence within a group: ``{major.code}{seq:03d}``."""
    from_parent: str | None = None
    """A parent's column copied to the child: ``account.region``."""
    level: float | None = None
    """The base level of a series column (before trend, cycles and noise)."""
    daily: Cycle | None = None
    weekly: Cycle | None = None
    yearly: Cycle | None = None
    noise: float | None = Field(default=None, ge=0)
    """Relative spread of a series column around its curve."""
    ar1: float | None = Field(default=None, gt=-1, lt=1)
    """How much of one step's deviation carries into the next (0: none)."""

    _shorthand = field_validator("distribution", mode="before")(_kind_shorthand)

    @model_validator(mode="after")
    def _one_source(self) -> ColumnProfile:
        sources = [k for k in ("expr", "aggregate", "template", "from_parent") if getattr(self, k)]
        if len(sources) > 1:
            raise ValueError(f"{' and '.join(sources)} both say where the values come from")
        if self.values is not None and not self.values:
            raise ValueError("values is empty")
        if isinstance(self.values, dict) and any(w < 0 for w in self.values.values()):
            raise ValueError("values weights must be >= 0")
        if isinstance(self.values, dict) and sum(self.values.values()) <= 0:
            raise ValueError("values weights must have a positive sum")
        if self.weights is not None and (
            min(self.weights, default=0) < 0 or sum(self.weights) <= 0
        ):
            raise ValueError("weights must be >= 0 with a positive sum")
        if self.null_unless and self.null_when:
            raise ValueError("null_unless and null_when both decide the NULLs; keep one")
        if self.gap is not None and self.after is None:
            raise ValueError("gap needs after: the column this one follows")
        return self

    def declared(self) -> dict[str, Any]:
        """The keys that are set, as plain data (what the profile YAML shows)."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=False)


Conditioned.model_rebuild()


def merge_column(base: ColumnProfile, top: ColumnProfile) -> ColumnProfile:
    """``base`` with every key ``top`` sets replaced by ``top``'s value."""
    return base.model_copy(update={k: getattr(top, k) for k in top.model_fields_set})


# -- table patterns -------------------------------------------------------------------------------
class Stages(_Spec):
    """A funnel: rows reach later stages less often; each reached stage has a later date."""

    column: str
    order: list[str] = Field(min_length=2)
    reach: list[float]
    """Share of rows reaching each stage, from 1 (every row) down, one per stage."""
    dates: list[str | None] | None = None
    """The date column of each stage (None where a stage has none); NULL where unreached."""
    gap: Gap | None = None
    outcome: dict[str, float] | None = None
    """Rows that stop at a stage may end in one of these final values instead (``Closed Lost``)."""

    @model_validator(mode="after")
    def _shape(self) -> Stages:
        if len(self.reach) != len(self.order):
            raise ValueError(f"reach has {len(self.reach)} shares for {len(self.order)} stages")
        if any(not 0 <= r <= 1 for r in self.reach) or any(
            a < b for a, b in zip(self.reach, self.reach[1:], strict=False)
        ):
            raise ValueError("reach shares must lie in [0, 1] and never grow from stage to stage")
        if self.dates is not None and len(self.dates) != len(self.order):
            raise ValueError(f"dates names {len(self.dates)} columns for {len(self.order)} stages")
        return self


class SeriesAxis(_Spec):
    """The regular time axis of a series table: from ``start`` to ``end``, one row ``every``."""

    start: Bound
    end: Bound
    every: str = Field(pattern=r"^\s*\d+\s*(s|min|m|h|d|w)\s*$")
    """A step such as ``15min``, ``1h``, ``1d`` or ``1w``."""


class ExactlyOne(_Spec):
    """One row flagged per parent (``is_primary`` per ``customer_id``); the others are not."""

    column: str
    per: str | list[str]


class TableProfile(_Spec):
    """A table's column specs and its table-level patterns."""

    columns: dict[str, ColumnProfile] = Field(default_factory=dict)
    stages: Stages | None = None
    series: dict[str, SeriesAxis] | None = Field(default=None, min_length=1, max_length=1)
    """``{timestamp_column: axis}``: the table is a regular series; its row count follows."""
    exactly_one: ExactlyOne | list[ExactlyOne] | None = None

    def exactly_ones(self) -> list[ExactlyOne]:
        """``exactly_one`` as a list."""
        if self.exactly_one is None:
            return []
        return self.exactly_one if isinstance(self.exactly_one, list) else [self.exactly_one]


class Profile(_Spec):
    """How every column of a schema is drawn: ``{table key: TableProfile}``, versioned."""

    version: Literal[1] = PROFILE_VERSION
    tables: dict[str, TableProfile] = Field(default_factory=dict)
