"""Generators of lookup vocabularies and creative titles, chosen by the table's domain.

Genres, media types, languages, regions, segments, shipping modes, buildings, departments, course
titles and job titles come from :mod:`syda.generators.vocab_domains` (distinct rows in lookup
tables, see :func:`~syda.generators.values_draw.lookup_draw`); artists, albums, songs, films,
books and playlists are filled from the templates of :mod:`syda.generators.vocab_titles`. Job
titles follow the row's department when it has one; contacts at customer or supplier
organisations get the roles a vendor deals with (buyers, IT directors), not every occupation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from syda.generators import vocab_domains as vocab
from syda.generators.infer import table_tokens
from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator, ObjArray
from syda.generators.values_draw import fit_rows, lookup_draw, objects
from syda.generators.values_text import uuid
from syda.generators.vocab_codes import ADDRESS_LINE2_UNITS, NAMED_VOCABULARIES
from syda.generators.vocab_titles import TEMPLATES, WORDS

__all__ = ["GENERATORS"]

_UUID_LENGTH = 36
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_B2B_WORDS = ("contact", "lead", "supplier", "vendor", "client", "buyer", "prospect", "partner")
_SHIPPING_METHODS = ("Standard", "Express", "Next Day", "Two-Day", "Ground", "Freight",
                     "Store Pickup", "International")  # fmt: skip
_ALL_TITLES = tuple(dict.fromkeys(t for titles in vocab.JOB_TITLES.values() for t in titles))


def _by_domain(values: Mapping[str, tuple[str, ...]], skew: float = 0.6) -> Generator:
    def generate(b: Batch, spec: ColumnSpec) -> AnyArray:
        return lookup_draw(b, spec, values.get(b.domain or "") or values[""], skew)

    generate.__doc__ = "Values of the vocabulary of the table's domain, distinct in lookups."
    return generate


def _fixed(values: Sequence[str], skew: float = 0.6) -> Generator:
    def generate(b: Batch, spec: ColumnSpec) -> AnyArray:
        return lookup_draw(b, spec, values, skew)

    generate.__doc__ = "Values of a built-in vocabulary, distinct in lookup tables."
    return generate


_SHORT_LISTS = tuple(
    dict.fromkeys(v for values in NAMED_VOCABULARIES.values() if len(values) <= 20 for v in values)
)


def named_vocabulary(b: Batch, spec: ColumnSpec) -> AnyArray:
    """The closed vocabulary the column's name stands for (TPC-H's ``o_orderpriority``).

    A column given this semantic under another name draws from all the short lists together.
    """
    values = NAMED_VOCABULARIES.get("_".join(spec.tokens)) or _SHORT_LISTS
    return lookup_draw(b, spec, values, skew=0.0 if len(values) > 20 else 0.3)


def short_id(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Random lowercase codes (``q7f3k9a2m1x0``) filling the column up to 16 characters.

    A ``CHAR(36)``/``VARCHAR(36)`` id is the canonical size of a UUID, which is what such
    columns hold in practice (ORMs declare UUID keys that way), so it gets UUIDs.
    """
    if spec.column.length == _UUID_LENGTH:
        return uuid(b, spec)
    width = min(spec.column.length or 16, 16)
    alphabet = objects(list("abcdefghijklmnopqrstuvwxyz0123456789"))
    out = alphabet[b.rng.integers(0, len(alphabet), (b.n, width))]
    return objects(["".join(row) for row in out])


def address_line2(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Mostly none (when nullable); else a unit in the building: ``Suite 200``, ``Apt. 4B``."""
    units = objects(list(ADDRESS_LINE2_UNITS))[b.rng.integers(0, len(ADDRESS_LINE2_UNITS), b.n)]
    numbers = b.rng.integers(1, 40, b.n).astype(str).astype(object)
    suffix = np.where(units == "Suite", "00", np.where(units == "Apt.", "B", ""))
    out: ObjArray = units + " " + numbers + suffix.astype(object)
    if spec.column.nullable:
        out[b.rng.random(b.n) < 0.7] = None
    return out


def language(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Language names in a language table, ISO 639-1 codes (``en``) elsewhere.

    A post's or a user's ``language`` is stored as a code; short or ``*_code`` columns always
    are. ``locale`` columns get ``en-US`` style tags.
    """
    length = spec.column.length
    tokens = set(spec.tokens)
    if "locale" in tokens:
        tags = ("en-US", "es-ES", "fr-FR", "de-DE", "en-GB", "it-IT", "ja-JP", "zh-CN",
                "pt-BR", "ru-RU", "nl-NL", "ko-KR")  # fmt: skip
        return lookup_draw(b, spec, tags, skew=1.0)
    named = "name" in tokens or any(t.startswith("lang") for t in table_tokens(b.table))
    short = (length is not None and length <= 5) or bool(tokens & {"code", "iso", "lang"})
    short = short or not named
    values = [code if short else name for name, code in vocab.LANGUAGES]
    return lookup_draw(b, spec, values, skew=1.0)


def sales_region(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Sales regions (``EMEA`` in short columns, ``North America`` otherwise)."""
    short = spec.column.length is not None and spec.column.length <= 6
    return lookup_draw(b, spec, vocab.SALES_REGIONS["short" if short else ""], skew=0.3)


def market_segment(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Customer segments; TPC-H's ``AUTOMOBILE``, ``BUILDING``... for its ``mktsegment``."""
    tpch = "mkt" in spec.name.lower()
    return lookup_draw(b, spec, vocab.MARKET_SEGMENTS["upper" if tpch else ""], skew=0.0)


def ship_mode(b: Batch, spec: ColumnSpec) -> AnyArray:
    """TPC-H shipping modes (AIR, MAIL, RAIL, SHIP, TRUCK, REG AIR, FOB) for ``*mode`` columns.

    ``*method`` columns get delivery service levels (Standard, Express...).
    """
    method = "method" in spec.tokens
    return lookup_draw(b, spec, _SHIPPING_METHODS if method else vocab.SHIP_MODES, skew=0.3)


def department(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Company departments, or academic ones in a university schema."""
    key = "university" if b.domain == "university" else ""
    return lookup_draw(b, spec, vocab.DEPARTMENTS[key])


def _per_group(
    b: Batch,
    groups: ObjArray,
    choose: Callable[[object], Sequence[str]],
) -> ObjArray:
    """For each distinct value of ``groups``, draw its rows from ``choose(value)``."""
    out = np.empty(b.n, dtype=object)
    keys = np.asarray([str(g) for g in groups], dtype=object)
    for key in dict.fromkeys(keys.tolist()):  # a loop over the few distinct groups
        rows = np.flatnonzero(keys == key)
        options = objects(list(choose(key)))
        out[rows] = options[b.rng.integers(0, len(options), len(rows))]
    return out


def _matching(mapping: Mapping[str, tuple[str, ...]], key: object) -> tuple[str, ...] | None:
    text = str(key).lower()
    for name, values in mapping.items():
        if name.lower() == text or (text and name.lower().startswith(text.split()[0][:4])):
            return values
    return None


def _departments(b: Batch, spec: ColumnSpec) -> ObjArray | None:
    """The row's department, also when it is drawn from declared choices."""
    for name, other in b.specs.items():
        if name != spec.name and other.semantic == "department":
            values = b.known(name)
            if values is not None:
                return np.asarray(values, dtype=object)
    return None


def course_title(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Course titles of the row's department (Calculus I for Mathematics), else of any."""
    every = tuple(t for titles in vocab.COURSES.values() for t in titles)
    found = _departments(b, spec)
    if found is None:
        return lookup_draw(b, spec, every, skew=0.0)
    return _per_group(b, found, lambda d: _matching(vocab.COURSES, d) or every)


def _b2b(b: Batch, spec: ColumnSpec) -> bool:
    words = table_tokens(b.table) + spec.tokens
    return b.domain == "crm" or any(w.startswith(_B2B_WORDS) for w in words)


def job_title(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Job titles: buyer roles for contacts at organisations, else by the row's department."""
    length = spec.column.length
    if _b2b(b, spec):
        return lookup_draw(b, spec, vocab.B2B_ROLES, skew=0.4)
    found = _departments(b, spec)
    if found is None:
        return lookup_draw(b, spec, _ALL_TITLES, skew=0.2)

    def titles(d: object) -> Sequence[str]:
        own = _matching(vocab.JOB_TITLES, d) or _ALL_TITLES
        return [t for t in own if length is None or len(t) <= length] or list(own)

    return _per_group(b, found, titles)


def _words(b: Batch, name: str, k: int) -> ObjArray:
    if name in ("first", "last"):
        pool = b.pools.first_names.names if name == "first" else b.pools.last_names.names
        return pool[b.rng.integers(0, len(pool), k)]
    values = vocab.GENRES[""][:12] if name == "genre" else WORDS[name]
    return objects(values)[b.rng.integers(0, len(values), k)]


def _render(b: Batch, templates: tuple[tuple[str, float], ...], k: int) -> ObjArray:
    weights = np.array([w for _, w in templates])
    which = b.rng.choice(len(templates), size=k, p=weights / weights.sum())
    out = np.empty(k, dtype=object)
    for t, (template, _) in enumerate(templates):
        rows = int((which == t).sum())
        if not rows:
            continue
        parts = _PLACEHOLDER.split(template)  # literal, name, literal, name, ..., literal
        text = np.full(rows, parts[0], dtype=object)
        for i in range(1, len(parts), 2):
            text = text + _words(b, parts[i], rows) + parts[i + 1]
        out[which == t] = text
    return out


def _titles(kind: str) -> Generator:
    def generate(b: Batch, spec: ColumnSpec) -> AnyArray:
        return fit_rows(b, spec, lambda k: _render(b, TEMPLATES[kind], k))

    generate.__doc__ = f"{kind.replace('_', ' ').capitalize()}s made from title templates."
    return generate


GENERATORS: Mapping[str, Generator] = {
    "genre": _by_domain(vocab.GENRES),
    "media_type": _fixed(vocab.MEDIA_TYPES, skew=1.0),
    "language": language,
    "named_vocabulary": named_vocabulary,
    "short_id": short_id,
    "address_line2": address_line2,
    "sales_region": sales_region,
    "market_segment": market_segment,
    "ship_mode": ship_mode,
    "building": _fixed(vocab.BUILDINGS, skew=0.3),
    "department": department,
    "course_title": course_title,
    "job_title": job_title,
    **{kind: _titles(kind) for kind in TEMPLATES},
}
