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
    import pyarrow as pa
    import pyarrow.compute as pc

    base, number = _numbered(text)
    # The part slugged (the name before its number, or the whole name): a few thousand
    # distinct ones in a chunk of 100,000 names, each slugged once.
    encoded = base.dictionary_encode()
    slugs = pa.array([company_slug(b) for b in encoded.dictionary.to_pylist()], type=pa.string())
    slug = pc.take(slugs, encoded.indices)
    out = pc.binary_join_element_wise(slug, number, "." + tld, "").to_numpy(zero_copy_only=False)
    out = out.astype(object, copy=False)
    nameless = pc.and_(pc.equal(slug, ""), pc.equal(number, "")).to_numpy(zero_copy_only=False)
    out[nameless] = "company." + tld
    out[names == ""] = None
    return out  # type: ignore[no-any-return]


def _numbered(text: Any) -> tuple[Any, Any]:
    """Each ASCII name split into the name before its number and the number (``""`` if none).

    A name made unique ends in a space and digits (see ``company_domain``); one split at the
    last space finds it (the regular expressions this replaces cost five times as much).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.split_pattern(text, " ", max_splits=1, reverse=True)
    offsets = parts.offsets.to_numpy()
    flat = parts.values
    head = flat.take(pa.array(offsets[:-1]))
    tail = flat.take(pa.array(offsets[1:] - 1))
    numbered = pc.and_(pc.equal(pc.list_value_length(parts), 2), pc.ascii_is_decimal(tail))
    return pc.if_else(numbered, head, text), pc.if_else(numbered, tail, "")


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
