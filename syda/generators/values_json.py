"""JSON documents, ``hstore`` maps and arrays whose contents follow the column's name.

A ``settings`` column holds ``{"theme": "dark", "language": "de", "notifications": true}``, a
``metadata`` column where a row came from and who made it, ``attributes`` a product's colour and
size, ``tags`` a list of tags; a column nothing is known about gets the small objects of
:func:`syda.generators.values_text.json_value`. ``hstore`` maps are the same objects with text
values.

An array holds zero to four elements (one or two mostly); a two-dimensional one a small
rectangle. Elements come from a vocabulary named by the array (``tags``, ``permissions``,
``special_features``...), from the element type's allowed values (an array of an enum), or are
drawn by the provider as a column of their own (an array of a domain keeps its CHECKs, of
``email`` addresses is emails), each row's elements distinct where the values allow.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from syda.generators.infer import name_tokens
from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator, ObjArray, map_unique
from syda.generators.values_text import json_value
from syda.schema.dbtypes import singular
from syda.schema.ir import Column

__all__ = ["GENERATORS"]

_OBJECTS: tuple[tuple[frozenset[str], tuple[tuple[str, tuple[Any, ...]], ...]], ...] = (
    (frozenset({"settings", "setting", "preferences", "prefs", "config", "configuration",
                "options"}),
     (("theme", ("light", "dark", "system")), ("language", ("en", "de", "fr", "es", "pt", "ja")),
      ("notifications", (True, True, False)), ("timezone", ("UTC", "Europe/Berlin",
      "America/New_York", "Asia/Tokyo", "Australia/Sydney")), ("page_size", (10, 20, 25, 50)))),
    (frozenset({"metadata", "meta", "extra", "context", "info", "details", "properties", "props",
                "data", "payload", "params", "extras"}),
     (("source", ("web", "api", "import", "mobile", "email")), ("version", (1, 1, 2, 3)),
      ("created_by", ("system", "admin", "import", "api")), ("locale", ("en_US", "de_DE",
      "fr_FR", "es_ES")), ("campaign", ("spring_sale", "newsletter", "onboarding", "referral")))),
    (frozenset({"attributes", "attrs", "specs", "specifications", "characteristics"}),
     (("color", ("black", "white", "red", "blue", "green", "grey")), ("size", ("S", "M", "L",
      "XL")), ("material", ("cotton", "leather", "steel", "wood", "plastic", "glass")),
      ("weight_kg", (0.2, 0.5, 1.2, 2.0, 3.5)))),
    (frozenset({"stats", "statistics", "counts", "counters", "metrics", "totals"}),
     (("views", (12, 48, 150, 920, 3400)), ("clicks", (0, 3, 17, 85, 240)), ("shares", (0, 1, 4,
      12)), ("likes", (0, 2, 9, 31, 140)))),
    (frozenset({"address", "location", "shipping", "billing"}),
     (("city", ("Berlin", "Lisbon", "Toronto", "Osaka", "Denver", "Lyon")), ("country", ("DE",
      "PT", "CA", "JP", "US", "FR")), ("postal_code", ("10115", "1100-148", "M5V 2T6", "530-0001",
      "80202", "69002")))),
)  # fmt: skip
_LISTS: tuple[tuple[frozenset[str], tuple[Any, ...]], ...] = (
    (frozenset({"feature", "features"}),
     ("Trailers", "Commentaries", "Deleted Scenes", "Behind the Scenes")),
    (frozenset({"permission", "permissions", "scope", "scopes", "grant", "grants", "privilege",
                "privileges", "right", "rights"}),
     ("read", "write", "delete", "export", "import", "manage_users", "billing", "reports",
      "settings")),
    (frozenset({"role", "roles", "group", "groups"}),
     ("admin", "editor", "viewer", "owner", "member", "guest", "moderator")),
    (frozenset({"category", "categories", "genre", "genres", "section", "sections"}),
     ("Electronics", "Books", "Home", "Garden", "Toys", "Sports", "Fashion", "Beauty", "Grocery")),
    (frozenset({"skill", "skills", "competencies"}),
     ("Python", "SQL", "Project Management", "Design", "Negotiation", "Excel", "Marketing",
      "Java", "Public Speaking")),
    (frozenset({"color", "colors", "colour", "colours"}),
     ("red", "blue", "green", "black", "white", "yellow", "grey")),
    (frozenset({"size", "sizes"}), ("XS", "S", "M", "L", "XL", "XXL")),
    (frozenset({"language", "languages", "locale", "locales"}),
     ("en", "de", "fr", "es", "it", "pt", "ja", "zh")),
    (frozenset({"day", "days", "weekday", "weekdays"}),
     ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")),
    (frozenset({"tag", "tags", "label", "labels", "keyword", "keywords", "topic", "topics",
                "interest", "interests", "hashtags", "flag", "flags"}),
     ("new", "sale", "featured", "popular", "limited", "seasonal", "eco", "premium",
      "bestseller", "gift", "bundle", "clearance")),
)  # fmt: skip
_HEADERS = ("X-Campaign", "Reply-To", "X-Priority", "List-Unsubscribe-Post", "X-Mailer")
_COUNTS = (0, 1, 2, 3, 4)
_COUNT_WEIGHTS = (0.1, 0.35, 0.3, 0.15, 0.1)
_DISTINCT_LIMIT = 64
# Elements a JSON list cannot hold as they are: kept as the text the database reads them from.
_AS_TEXT = frozenset({"date", "datetime", "time", "uuid", "binary"})


def _template(name: str) -> tuple[tuple[str, tuple[Any, ...]], ...] | None:
    tokens = set(name_tokens(name))
    return next((keys for names, keys in _OBJECTS if tokens & names), None)


def _vocabulary(name: str) -> tuple[Any, ...] | None:
    tokens = name_tokens(name)
    for token in reversed(tokens):  # the last word says what the items are
        for names, values in _LISTS:
            if token in names:
                return values
    return None


def _objects(b: Batch, keys: tuple[tuple[str, tuple[Any, ...]], ...], text: bool) -> ObjArray:
    """``b.n`` objects with most of ``keys``, a few hundred distinct ones shared between rows."""
    k = min(b.n, 256)
    picks = b.rng.integers(0, 10_000, (k, len(keys)))
    keep = b.rng.random((k, len(keys))) < 0.8
    keep[:, 0] = True
    objects = np.empty(k, dtype=object)
    for i in range(k):  # builds the k distinct objects, independent of the row count
        objects[i] = {
            key: _as_text(options[picks[i, j] % len(options)]) if text
            else options[picks[i, j] % len(options)]
            for j, (key, options) in enumerate(keys)
            if keep[i, j]
        }  # fmt: skip
    out: ObjArray = objects[b.rng.integers(0, k, b.n)]
    return out


def _as_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _counts(b: Batch, most: int) -> AnyArray:
    counts: AnyArray = b.rng.choice(np.array(_COUNTS), b.n, p=_COUNT_WEIGHTS)
    return np.minimum(counts, most)


def _distinct(b: Batch, options: tuple[Any, ...], counts: AnyArray) -> list[list[Any]]:
    """Per row, ``counts[i]`` distinct options (options early in the list a little likelier)."""
    values = np.empty(len(options), dtype=object)
    values[:] = list(options)
    width = int(counts.max()) if len(counts) else 0
    if width == 0:
        return [[] for _ in range(b.n)]
    if len(options) > _DISTINCT_LIMIT:
        picks = b.rng.integers(0, len(options), (b.n, width))
    else:
        bias = np.linspace(0.0, 0.5, len(options))
        picks = np.argsort(b.rng.random((b.n, len(options))) + bias, axis=1)[:, :width]
    taken = np.arange(width) < counts[:, None]
    flat = values[picks[taken]]
    return [part.tolist() for part in np.split(flat, np.cumsum(counts)[:-1])]


def _element(spec: ColumnSpec) -> Column:
    db_type = spec.column.db_type
    if db_type is not None and db_type.element is not None:
        return db_type.element
    return Column(name=singular(spec.name), kind="string", nullable=False)


def _drawn(b: Batch, element: Column, k: int) -> AnyArray:
    if k == 0:
        return np.empty(0, dtype=object)
    if b.draw_other is not None:
        drawn = b.draw_other(element, k)
        return np.asarray(drawn.tolist() if hasattr(drawn, "tolist") else drawn, dtype=object)
    pool = b.pools.words
    words: AnyArray = pool[b.rng.integers(0, len(pool), k)]
    return words


def _elements(b: Batch, spec: ColumnSpec, element: Column, counts: AnyArray) -> list[list[Any]]:
    plain = element.kind in ("string", "text") and element.pattern is None
    options = element.choices or (_vocabulary(spec.name) if plain else None)
    if options is not None and element.length is not None:
        options = tuple(o for o in options if len(str(o)) <= element.length) or None
    if options is not None:
        return _distinct(b, tuple(options), np.minimum(counts, len(options)))
    flat = _drawn(b, element, int(counts.sum()))
    if element.kind == "json":  # documents are not hashable: one by one
        flat = np.array([json.dumps(v) for v in flat] + [None], dtype=object)[:-1]
    elif element.kind in _AS_TEXT:
        flat = map_unique(flat, _json_text)
    return [part.tolist() for part in np.split(flat, np.cumsum(counts)[:-1])]


def _json_text(value: Any) -> Any:
    """A date, time or UUID element as the text the database reads it from."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return "\\x" + bytes(value).hex()
    return str(value)


def array(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Lists of zero to four elements (a ``[][]`` array: small rectangles of them)."""
    element = _element(spec)
    db_type = spec.column.db_type
    out = np.empty(b.n, dtype=object)
    if db_type is not None and db_type.dimensions > 1:
        rows, cols = b.rng.integers(1, 4, b.n), b.rng.integers(1, 4, b.n)
        flat = _elements(b, spec, element, rows * cols)
        out[:] = [
            np.asarray(v, dtype=object).reshape(r, c).tolist()
            for v, r, c in zip(flat, rows.tolist(), cols.tolist(), strict=True)
        ]
        return out
    out[:] = _elements(b, spec, element, _counts(b, 4))
    return out


def json_document(b: Batch, spec: ColumnSpec) -> AnyArray:
    """JSON objects (or lists) whose keys follow the column's name."""
    name = spec.name
    tokens = set(name_tokens(name))
    if "headers" in tokens:
        counts = _counts(b, 2)
        out = np.empty(b.n, dtype=object)
        out[:] = [[{h: "1"} for h in row] for row in _distinct(b, _HEADERS, counts)]
        return out
    vocabulary = _vocabulary(name)
    if vocabulary is not None and _template(name) is None:
        out = np.empty(b.n, dtype=object)
        out[:] = _distinct(b, vocabulary, _counts(b, 4))
        return out
    keys = _template(name)
    if keys is None:
        return json_value(b, spec)
    return _objects(b, keys, text=False)


def hstore(b: Batch, spec: ColumnSpec) -> AnyArray:
    """``hstore`` maps: text keys to text values, by the column's name."""
    keys = _template(spec.name) or _template("metadata")
    assert keys is not None
    return _objects(b, keys, text=True)


GENERATORS: Mapping[str, Generator] = {
    "json": json_document,
    "array": array,
    "hstore": hstore,
}
