"""Generators for vocabularies, free text, codes and identifiers.

Vocabulary columns (job titles, departments, categories, statuses, product names) draw from
pools restricted to the column's length, so a ``VARCHAR(20)`` gets short values rather than cut
ones. Codes are numbered from the batch's ``row_offset`` (``CUST-000123``), which keeps them
unique across batches. Identifiers (UUIDs, IP addresses, SKUs, SSNs) are assembled from random
digits or bytes as whole matrices of characters.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from syda.generators import pools_vocab as vocab
from syda.generators.infer import table_tokens
from syda.generators.pools import WeightedPool
from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator, ObjArray
from syda.generators.values_blurbs import product_description
from syda.generators.values_draw import lookup_draw
from syda.generators.values_pattern import PatternSampler
from syda.generators.vocab_lookup import vocabulary

__all__ = ["GENERATORS", "code_prefix", "default_statuses", "sampler"]

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8).astype(np.uint32)
_SKIP_PREFIX = frozenset({"code", "id", "number", "num", "no", "ref", "reference", "the"})


@functools.lru_cache(maxsize=256)
def sampler(pattern: str) -> PatternSampler:
    """A cached :class:`PatternSampler` for ``pattern``.

    Raises:
        ValueError: If the pattern uses syntax the sampler cannot draw from.
    """
    return PatternSampler(pattern)


def _weighted(values: ObjArray, b: Batch, skew: float = 0.0) -> ObjArray:
    """Draw from ``values``; ``skew`` > 0 makes earlier entries more common (1/rank**skew)."""
    if skew == 0.0:
        return values[b.rng.integers(0, len(values), b.n)]
    weights = 1.0 / np.arange(1, len(values) + 1) ** skew
    return WeightedPool(values, np.cumsum(weights / weights.sum())).sample(b.rng, b.n)


def _fitted(values: tuple[str, ...] | ObjArray, length: int | None) -> ObjArray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    if length is None:
        return arr
    fits = arr[np.fromiter((len(v) <= length for v in arr), dtype=bool, count=len(arr))]
    if len(fits):
        return fits  # type: ignore[no-any-return]
    return np.asarray(list(dict.fromkeys(v[:length] for v in arr)), dtype=object)


def _pool(name: str, skew: float = 0.0) -> Generator:
    def generate(b: Batch, spec: ColumnSpec) -> AnyArray:
        return _weighted(b.pools.fit(name, spec.column.length), b, skew)

    generate.__doc__ = f"Values from the {name.replace('_', ' ')} pool that fit the column."
    return generate


def _vocabulary(values: tuple[str, ...], skew: float = 0.6) -> Generator:
    def generate(b: Batch, spec: ColumnSpec) -> AnyArray:
        return _weighted(_fitted(values, spec.column.length), b, skew)

    generate.__doc__ = "Values from a built-in vocabulary, the first entries more common."
    return generate


def default_statuses(spec: ColumnSpec, table_words: list[str]) -> tuple[str, ...]:
    """The status vocabulary for a table without declared choices (orders, tickets, users...)."""
    for words in ([table_words[-1]] if table_words else [], table_words):
        for key, statuses in vocab.STATUSES.items():
            if key and any(w.startswith(key) for w in words):
                return statuses
    return vocab.STATUSES[""]


def status(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Statuses typical of the table (orders: Delivered, Shipped...), the first more common."""
    values = default_statuses(spec, table_tokens(b.table))
    return _weighted(_fitted(values, spec.column.length), b, skew=1.0)


def category(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Product categories, or plan/tier names for ``type``/``tier``/``plan`` columns.

    Beside a product name the category is that product's own, so the two agree.
    """
    tiers = {"type", "tier", "plan", "level", "kind"} & set(spec.tokens)
    if not tiers and _has_products(b):
        return b.catalogue[1][b.product]  # type: ignore[no-any-return]
    if tiers:
        return _weighted(_fitted(vocab.TIERS, spec.column.length), b, skew=0.7)
    values = vocabulary("category", spec.column, b.table, b.domain) or ()
    return lookup_draw(b, spec, values, skew=0.7)


def product_name(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Catalogue product names of the table's domain; a category column of the row agrees.

    Software licences and support plans for a software vendor, foods for a food wholesaler,
    retail goods otherwise.
    """
    return b.catalogue[0][b.product]  # type: ignore[no-any-return]


def _has_products(b: Batch) -> bool:
    return any(s.semantic == "product_name" and s.choices is None for s in b.specs.values())


def text(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Paragraphs of a few sentences, or single sentences when the column is short."""
    length = spec.column.length
    name = "paragraphs" if length is None or length >= 200 else "sentences"
    return _weighted(b.pools.fit(name, length), b)


def description(b: Batch, spec: ColumnSpec) -> AnyArray:
    """One or two sentences (or shorter phrases when the column is narrow)."""
    length = spec.column.length
    one = _weighted(b.pools.fit("sentences", length), b)
    if length is not None and length < 120:
        return one
    two = one + " " + _weighted(b.pools.sentences, b)
    return np.where(b.rng.random(b.n) < 0.5, one, two)


def string(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Short capitalised phrases of two words for columns nothing more is known about."""
    length = spec.column.length
    if length is not None and length < 6:
        return sampler(f"[A-Z0-9]{{{length}}}").sample(b.rng, b.n)
    words = b.pools.fit("words", length)
    first = _weighted(words, b)
    capital = np.array([w.capitalize() for w in words], dtype=object)
    return capital[b.rng.integers(0, len(words), b.n)] + " " + first  # type: ignore[no-any-return]


def code_prefix(spec: ColumnSpec, table_words: list[str]) -> str:
    """Prefix of generated codes, from the column's own word or else the table's.

    ``product_code`` gives ``PROD``; a plain ``code`` in ``customers`` gives ``CUST``.
    """
    own = [t for t in spec.tokens if t not in _SKIP_PREFIX]
    word = own[-1] if own else next((w for w in table_words if w not in _SKIP_PREFIX), "ID")
    return word[:4].upper()


def code(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Numbered codes such as ``CUST-000123``, counted from the batch's row offset."""
    numbers = b.request.row_offset + np.arange(1, b.n + 1)
    width = max(6, len(str(int(numbers[-1])))) if b.n else 6
    prefix = code_prefix(spec, table_tokens(b.table)) + "-"
    length = spec.column.length
    if length is not None and len(prefix) + width > length:
        prefix = prefix[: max(0, length - width - 1)]
        prefix = prefix + "-" if prefix else ""
        if width > length:
            return sampler(f"[A-Z0-9]{{{length}}}").sample(b.rng, b.n)
    return prefix + np.strings.zfill(numbers.astype(str), width).astype(object)


def sku(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Stock keeping units like ``KTC-40213``."""
    return sampler(r"[A-Z]{3}-\d{5}").sample(b.rng, b.n)


def icd10_code(b: Batch, spec: ColumnSpec) -> AnyArray:
    """ICD-10 codes: mostly common real ones (I10, E11.9), the rest structurally valid."""
    common = _weighted(np.asarray(vocab.ICD10_CODES, dtype=object), b, skew=0.5)
    built = sampler(r"[A-TV-Z]\d{2}(\.\d{1,2})?").sample(b.rng, b.n)
    return np.where(b.rng.random(b.n) < 0.7, common, built)


def uuid(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Random (version 4) UUIDs as canonical lowercase strings."""
    raw = b.rng.integers(0, 256, (b.n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    digits = np.empty((b.n, 32), dtype=np.uint32)
    digits[:, 0::2] = _HEX[raw >> 4]
    digits[:, 1::2] = _HEX[raw & 0x0F]
    dash = np.full((b.n, 1), ord("-"), dtype=np.uint32)
    parts = [digits[:, 0:8], dash, digits[:, 8:12], dash, digits[:, 12:16], dash,
             digits[:, 16:20], dash, digits[:, 20:32]]  # fmt: skip
    matrix = np.ascontiguousarray(np.hstack(parts))
    return matrix.view("<U36").ravel().astype(object)


def ip_address(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Public-looking IPv4 addresses."""
    octets = b.rng.integers(0, 256, (b.n, 4))
    octets[:, 0] = b.rng.choice(np.r_[11:127, 128:224], b.n)
    s = b.pools.number_strings
    return s[octets[:, 0]] + "." + s[octets[:, 1]] + "." + s[octets[:, 2]] + "." + s[octets[:, 3]]  # type: ignore[no-any-return]


def ssn(b: Batch, spec: ColumnSpec) -> AnyArray:
    """US social security numbers (``123-45-6789`` shape, no 000/9xx area)."""
    return sampler(r"[1-8]\d{2}-\d{2}-\d{4}").sample(b.rng, b.n)


def currency(b: Batch, spec: ColumnSpec) -> AnyArray:
    """ISO currency codes, the major ones most common."""
    return _weighted(_fitted(vocab.CURRENCIES, spec.column.length), b, skew=1.5)


def json_value(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Small JSON objects (dicts) such as ``{"source": "web", "score": 42}``.

    A few hundred distinct objects are built per batch and shared between rows; rows with equal
    values hold the same dict object, so treat them as read-only.
    """
    k = min(b.n, 256)
    picks = b.rng.integers(0, 10_000, (k, len(vocab.JSON_KEYS) + 1))
    objects = np.empty(k, dtype=object)
    for i in range(k):  # builds the k distinct objects, independent of the row count
        obj: dict[str, Any] = {}
        for j, (key, options) in enumerate(vocab.JSON_KEYS):
            if picks[i, j] % 3:
                obj[key] = options[picks[i, j] % len(options)]
        obj["score"] = int(picks[i, -1] % 100)
        objects[i] = obj if spec.column.kind == "json" else json.dumps(obj)
    return objects[b.rng.integers(0, k, b.n)]


def binary(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Random byte strings of 16 bytes.

    Fewer when the column is shorter, more when a CHECK asks for them (a SHA-1's 20 bytes).
    """
    column = spec.column
    size = max(min(column.length or 16, 16), column.min_length or 1)
    raw = b.rng.integers(1, 256, (b.n, size), dtype=np.uint8)
    return np.ascontiguousarray(raw).view(f"S{size}").ravel().astype(object)


GENERATORS: Mapping[str, Generator] = {
    "job_title": _pool("jobs"),
    "department": _vocabulary(vocab.DEPARTMENTS),
    "industry": _vocabulary(vocab.INDUSTRIES),
    "category": category,
    "product_name": product_name,
    "color": _pool("colors"),
    "title": _pool("catch_phrases"),
    "word": _pool("words"),
    "user_agent": _pool("user_agents"),
    "currency": currency,
    "status": status,
    "text": text,
    "description": description,
    "product_description": product_description,
    "string": string,
    "code": code,
    "sku": sku,
    "icd10_code": icd10_code,
    "uuid": uuid,
    "ip_address": ip_address,
    "ssn": ssn,
    "json": json_value,
    "binary": binary,
}
