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
import pandas as pd

from syda.generators import vocab_domains as vocab
from syda.generators.infer import table_tokens
from syda.generators.pools_vocab import US_STATES
from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator, ObjArray, map_unique
from syda.generators.values_draw import distinct_rows, fit_rows, listed_once, lookup_draw, objects
from syda.generators.values_places import state_rows
from syda.generators.values_text import uuid
from syda.generators.vocab_codes import ADDRESS_LINE2_UNITS, BY_STATE
from syda.generators.vocab_domains import DOMAIN_KINDS
from syda.generators.vocab_lookup import VOCABULARIES, vocabulary
from syda.generators.vocab_titles import TEMPLATES, WORDS

__all__ = ["GENERATORS"]

_UUID_LENGTH = 36
# The kinds drawn here from their closed vocabulary (categories, countries and states are drawn
# by values_text and values_places, which read the same vocabularies).
_LOOKUP_KINDS = frozenset(
    {"genre", "media_type", "language", "sales_region", "market_segment", "ship_mode",
     "building", "department", "named_vocabulary", *DOMAIN_KINDS}
)  # fmt: skip
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_B2B_WORDS = ("contact", "lead", "supplier", "vendor", "client", "buyer", "prospect", "partner")
_ALL_TITLES = tuple(dict.fromkeys(t for titles in vocab.JOB_TITLES.values() for t in titles))
# How strongly each vocabulary favours its first (most common) entries: long lists strongly,
# so a column of a large table is mostly the common values while still listing rare ones.
_SKEWS: Mapping[str, float] = {
    "media_type": 1.0, "language": 2.0, "genre": 1.2, "department": 1.0, "sales_region": 0.3,
    "market_segment": 0.0, "ship_mode": 0.3, "building": 0.3,
    **dict.fromkeys(DOMAIN_KINDS, 1.0),
}  # fmt: skip
# Playlist names are built from genres that read well in a title ("Jazz Classics").
_TITLE_GENRES = tuple(g for g in vocab.GENRES[""][:80] if not set(g) & set("/&"))


def _closed(semantic: str) -> Generator:
    def generate(b: Batch, spec: ColumnSpec) -> AnyArray:
        values = vocabulary(semantic, spec.column, b.table, b.domain) or ()
        skew = _SKEWS.get(semantic, 0.6)
        if semantic == "named_vocabulary":
            by_state = BY_STATE.get("_".join(spec.tokens))
            if by_state is not None:
                return _of_state(b, by_state, values)
            skew = 0.0 if len(values) > 20 else 0.3
        return lookup_draw(b, spec, values, skew)

    generate.__doc__ = f"Values of the {VOCABULARIES[semantic].what}, distinct in lookup tables."
    return generate


def _of_state(b: Batch, by_state: Mapping[str, str], values: Sequence[str]) -> ObjArray:
    """The value of each row's US state (its census region); others where the state is not one."""
    state_rows(b)
    abbrs: AnyArray = b.places.state_abbr[b.address]
    given = b.sibling("state")
    if given is not None and b.from_context(given[0]):  # a state the engine filled
        names = {name: abbr for abbr, name in US_STATES}
        abbrs = map_unique(given[1], lambda v: names.get(str(v), str(v)))
    drawn = objects(list(values))[b.rng.integers(0, len(values), b.n)]
    found = map_unique(abbrs, lambda a: by_state.get(str(a)))
    return np.where(pd.isna(found), drawn, found)


def short_id(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Random lowercase codes (``q7f3k9a2m1x0``) filling the column up to 16 characters.

    A ``CHAR(36)``/``VARCHAR(36)`` id is the canonical size of a UUID, which is what such
    columns hold in practice (ORMs declare UUID keys that way), so it gets UUIDs; so does a
    fixed ``CHAR(n)`` wider than one (Temporal's ``run_id CHAR(64)``).
    """
    length = spec.column.length
    fixed = (spec.column.sql_type or "").upper().startswith(("CHAR", "NCHAR", "BPCHAR"))
    if length == _UUID_LENGTH or (fixed and length is not None and length > _UUID_LENGTH):
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
    values = _TITLE_GENRES if name == "genre" else WORDS[name]
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
        out = fit_rows(b, spec, lambda k: _render(b, TEMPLATES[kind], k))
        if listed_once(b.table, spec.column):  # a playlist or artist table names each once
            out = distinct_rows(b, spec, out, lambda k: _render(b, TEMPLATES[kind], k))
        return out

    generate.__doc__ = f"{kind.replace('_', ' ').capitalize()}s made from title templates."
    return generate


GENERATORS: Mapping[str, Generator] = {
    **{semantic: _closed(semantic) for semantic in VOCABULARIES if semantic in _LOOKUP_KINDS},
    "short_id": short_id,
    "address_line2": address_line2,
    "course_title": course_title,
    "job_title": job_title,
    **{kind: _titles(kind) for kind in TEMPLATES},
}
