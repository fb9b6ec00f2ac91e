"""Web hosts and company domains of many distinct values at once.

An email's domain comes from the row's website (or its parent's), a website from the row's
company name: at scale a chunk of 100,000 contacts holds tens of thousands of distinct parent
websites, and a chunk of customers as many distinct company names. Parsing them one Python call
each was a tenth of the streaming engine's value columns; here ASCII text (all the engine makes)
goes through Arrow's string kernels, and anything else (other scripts, whose case rules Arrow
and Python need not share; values that are not text) through the same rules one value at a
time, with the same result.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from syda.generators.pools import company_domain, company_slug

ObjArray = np.ndarray[Any, np.dtype[np.object_]]

# A company name made unique ends in " <digits>" (see company_domain): the last space is that
# one, as digits hold none. Arrow's "$" is the end of the text (Python's would allow a "\n").
_NUMBER = r" [0-9]+$"


def host(value: Any) -> Any:
    """The lower-case host of ``value`` without ``www.`` (None for no text or no host)."""
    if not isinstance(value, str) or not value:
        return None
    name = value.split("@")[-1].split("://")[-1].split("/")[0].split(":")[0].lower()
    return name.removeprefix("www.") or None


def hosts(values: ObjArray) -> ObjArray:
    """:func:`host` of every value."""
    text = _ascii(values)
    if text is None:
        return _objects([host(v) for v in values])
    import pyarrow.compute as pc

    # After the last "@", then after the last "://", up to the first "/" or ":" (a path, a
    # port): each step only where some value needs it (regular expressions cost most).
    found = text
    if pc.any(pc.match_substring(found, "@")).as_py():
        found = pc.replace_substring_regex(found, r"(?s)^.*@", "")
    if pc.any(pc.match_substring(found, "://")).as_py():
        found = pc.replace_substring_regex(found, r"(?s)^.*://", "")
    if pc.any(pc.match_substring_regex(found, "[/:]")).as_py():
        found = pc.replace_substring_regex(found, r"(?s)[/:].*$", "")
    found = pc.ascii_lower(found)
    found = pc.if_else(pc.starts_with(found, "www."), pc.utf8_slice_codeunits(found, 4), found)
    out = found.to_numpy(zero_copy_only=False).astype(object)
    out[out == ""] = None
    return out  # type: ignore[no-any-return]


def company_domains(names: ObjArray, tld: str) -> ObjArray:
    """:func:`syda.generators.pools.company_domain` of every name (None for an empty one)."""
    text = _ascii(names)
    if text is None:
        return _objects([company_domain(c, tld) if c else None for c in names])
    import pyarrow.compute as pc

    numbered = pc.match_substring_regex(text, _NUMBER)
    number = pc.if_else(numbered, pc.replace_substring_regex(text, r"(?s)^.* ", ""), "")
    # The part slugged: the name before its number, or the whole name.
    base = pc.replace_substring_regex(text, _NUMBER, "")
    codes, bases = pd.factorize(base.to_numpy(zero_copy_only=False).astype(object))
    slugs = _objects([company_slug(b) for b in bases])[codes]
    slugs = slugs + number.to_numpy(zero_copy_only=False).astype(object)
    slugs[slugs == ""] = "company"
    out = slugs + ("." + tld)
    out[names == ""] = None
    return out  # type: ignore[no-any-return]


def _ascii(values: ObjArray) -> Any:
    """``values`` as an Arrow string array if every one is ASCII text (and pyarrow is there)."""
    if len(values) == 0 or pd.api.types.infer_dtype(values, skipna=False) != "string":
        return None
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pyarrow is an extra: without it, one value at a time
        return None
    text = pa.array(values, type=pa.string())
    return text if pc.all(pc.string_is_ascii(text)).as_py() else None


def _objects(values: list[Any]) -> ObjArray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
