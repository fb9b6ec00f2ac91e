"""Vocabularies chosen by the column's own name: published code lists and fixed formats.

Some column names carry a closed vocabulary wherever they appear: TPC-H's ``l_shipinstruct``
or ``o_orderpriority`` hold the values its specification lists (clause 4.2.2.13), a model's
``product_scale`` holds ratios such as ``1:18``, a US ``state_region`` one of the census
regions. Each entry is a whole column name (tokens joined by ``_``) and its values, most common
first; :data:`syda.generators.kinds.KINDS` recognises the names, and
:mod:`syda.generators.values_lookup` draws the values.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["ADDRESS_LINE2_UNITS", "BY_STATE", "NAMED_VOCABULARIES", "WEEKDAYS"]

_TPCH_CONTAINERS = tuple(
    f"{size} {kind}"
    for size in ("SM", "LG", "MED", "JUMBO", "WRAP")
    for kind in ("CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM")
)
# TPC-H has ten clerks per 10,000 orders at scale factor 0.01; a thousand cover any test size.
_TPCH_CLERKS = tuple(f"Clerk#{i:09d}" for i in range(1, 1001))
_SCALES = ("1:18", "1:24", "1:12", "1:10", "1:32", "1:43", "1:50", "1:64", "1:72", "1:700")
_MARITAL = ("Married", "Single", "Divorced", "Widowed", "Unknown")
# TPC-DS's schooling levels (its customer_demographics distribution), plain enough for any.
_EDUCATION = ("Secondary", "College", "4 yr Degree", "2 yr Degree", "Primary", "Advanced Degree",
              "Unknown")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS = WEEKDAYS
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_CENSUS_REGIONS = ("South", "West", "Midwest", "Northeast")

NAMED_VOCABULARIES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # TPC-H (the spec's value lists; the one-letter flags weighted as the spec's data has them)
        "l_shipinstruct": ("DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"),
        "o_orderpriority": ("1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"),
        "o_orderstatus": ("F", "O", "P"),
        "l_returnflag": ("N", "R", "A"),
        "l_linestatus": ("O", "F"),
        "p_container": _TPCH_CONTAINERS,
        "r_name": ("AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"),
        "o_clerk": _TPCH_CLERKS,
        # people: a CHAR(1) column holds each value's first letter (M, S, D, W, U)
        "marital_status": _MARITAL, "marital": _MARITAL, "civil_status": _MARITAL,
        "education_status": _EDUCATION, "education_level": _EDUCATION, "education": _EDUCATION,
        "highest_education": _EDUCATION,
        # calendars: a day's or a month's name (a date beside them says which, infer_calendar)
        "day_name": _WEEKDAYS, "weekday_name": _WEEKDAYS, "dow_name": _WEEKDAYS,
        "month_name": _MONTHS,
        # scale models and regions of US states
        "product_scale": _SCALES,
        "model_scale": _SCALES,
        "scale_ratio": _SCALES,
        "state_region": _CENSUS_REGIONS,
        "census_region": _CENSUS_REGIONS,
    }
)  # fmt: skip

# The four census regions of the US Census Bureau, by state abbreviation (DC is South).
_REGION_OF_STATE: Mapping[str, str] = MappingProxyType(
    {
        abbr: region
        for region, states in (
            ("Northeast", "CT ME MA NH RI VT NJ NY PA"),
            ("Midwest", "IL IN MI OH WI IA KS MN MO NE ND SD"),
            ("South", "DE DC FL GA MD NC SC VA WV AL KY MS TN AR LA OK TX"),
            ("West", "AZ CO ID MT NV NM UT WY AK CA HI OR WA"),
        )
        for abbr in states.split()
    }
)
BY_STATE: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"state_region": _REGION_OF_STATE, "census_region": _REGION_OF_STATE}
)
"""Named vocabularies whose value follows the row's US state (its abbreviation)."""

# The second line of an address names a unit within the building (most addresses have none).
ADDRESS_LINE2_UNITS = ("Suite", "Apt.", "Unit", "Floor", "Building", "Room")
