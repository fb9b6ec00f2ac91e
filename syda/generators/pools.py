"""Value pools: vocabularies built once per locale from Faker, then indexed by numpy.

Calling Faker for every value is far too slow for millions of rows (tens of microseconds a call),
so Faker is asked once for a few thousand samples of each kind of value, with a deterministic
seed, and the results are kept as numpy object arrays. Generators then draw whole columns as
integer indices into these pools. Values that must agree within a row (street, city, state and
postal code; a company and its web domain; a person's name and its lowercase ASCII slug used in
emails) are kept as aligned arrays, so one index picks a coherent record.

Each vocabulary is built only when a column first needs it (a table of prices and dates asks
Faker nothing), and what Faker returned is kept on disk (:mod:`syda.generators.pools_cache`), so
a later process skips the sampling too.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from syda.generators import pools_cache, pools_faker
from syda.generators import pools_vocab as vocab
from syda.generators.pools_faker import Sample

__all__ = [
    "AddressPool",
    "LocalePools",
    "NamePool",
    "Pools",
    "WeightedPool",
    "company_domain",
    "get_pools",
    "slugify",
]

ObjArray = np.ndarray[Any, np.dtype[np.object_]]

_T = TypeVar("_T")
logger = logging.getLogger("syda")
# Locales whose full names are written family name first.
_FAMILY_FIRST = frozenset({"ja_JP", "zh_CN", "zh_TW", "ko_KR", "hu_HU", "vi_VN"})
_LEGAL_SUFFIXES = frozenset(
    {"inc", "llc", "ltd", "plc", "gmbh", "ag", "kg", "sa", "sarl", "sas", "co", "and", "und", "et"}
)


_NOT_SLUG = re.compile(r"[^a-z0-9]")
_NAME_WORDS = re.compile(r"[\s,&\-]+")


def slugify(text: str) -> str:
    """Return ``text`` as lowercase ASCII letters and digits only (accents folded)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("", folded.lower())


# Company names are made of a few thousand words (and row numbers): each word's slug is worked
# out once per process, and plain ASCII words (``Acme``, ``5180``) need no folding at all (the
# 10M-row CRM derives half a million domains).
_cached_slug = functools.lru_cache(maxsize=1 << 16)(slugify)


def _word_slug(word: str) -> str:
    if word.isascii() and word.isalnum():
        return word.lower()
    return _cached_slug(word)


def _objects(values: Iterable[Any]) -> ObjArray:
    items = list(values)
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    return arr


@dataclass(frozen=True)
class WeightedPool:
    """Distinct values with their probabilities; ``draw`` returns indices into ``values``."""

    values: ObjArray
    cumulative: np.ndarray[Any, np.dtype[np.float64]]

    @classmethod
    def of(cls, values: Sequence[Any], weights: Sequence[float] | None = None) -> WeightedPool:
        """Build a pool; ``weights`` default to equal weights."""
        w = np.ones(len(values)) if weights is None else np.asarray(weights, dtype=float)
        cum = np.cumsum(w / w.sum())
        cum[-1] = 1.0
        return cls(_objects(values), cum)

    @classmethod
    def counted(cls, samples: Iterable[Any]) -> WeightedPool:
        """Build a pool whose weights are the frequencies of ``samples``."""
        counts = Counter(samples).most_common()
        return cls.of([v for v, _ in counts], [c for _, c in counts])

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray[Any, np.dtype[np.intp]]:
        """Draw ``n`` indices following the pool's weights."""
        idx = np.searchsorted(self.cumulative, rng.random(n), side="right")
        return np.minimum(idx, len(self.values) - 1)

    def sample(self, rng: np.random.Generator, n: int) -> ObjArray:
        """Draw ``n`` values following the pool's weights."""
        return self.values[self.draw(rng, n)]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class AddressPool:
    """Aligned address records: entry *i* of every array belongs to the same place."""

    street: ObjArray
    city: ObjArray
    state: ObjArray
    state_abbr: ObjArray
    postal_code: ObjArray
    country: ObjArray
    country_code: ObjArray
    latitude: np.ndarray[Any, np.dtype[np.float64]]
    longitude: np.ndarray[Any, np.dtype[np.float64]]

    def __len__(self) -> int:
        return len(self.city)

    def full(self) -> ObjArray:
        """One-line postal addresses (``street, city, state postcode``) for every record."""
        return self.street + ", " + self.city + ", " + self.state_abbr + " " + self.postal_code  # type: ignore[no-any-return]


@dataclass(frozen=True)
class LocalePools:
    """The per-locale parts of people's names and phone numbers.

    Name pools draw indices local to the pool; add the ``*_offset`` to index the global
    :class:`NamePool` arrays of all locales.
    """

    locale: str
    first_female: WeightedPool
    first_male: WeightedPool
    last: WeightedPool
    female_offset: int
    male_offset: int
    last_offset: int
    family_first: bool
    phone_formats: tuple[str, ...]
    country_code: str


@dataclass(frozen=True)
class NamePool:
    """Names of every locale with the pieces emails and usernames are built from, aligned."""

    names: ObjArray
    slugs: ObjArray
    """Lowercase ASCII forms (``José`` becomes ``jose``)."""
    dotted: ObjArray
    """``slug + "."``."""
    underscored: ObjArray
    """``slug + "_"``."""
    initials: ObjArray
    """First letter of the slug."""
    spaced: ObjArray
    """``name + " "``."""

    @classmethod
    def of(cls, names: list[str], fallback: str) -> NamePool:
        """Build the aligned arrays for ``names``."""
        arr = _objects(names)
        slugs = _slugs(arr, fallback)
        initials = _objects(s[:1] for s in slugs)
        return cls(arr, slugs, slugs + ".", slugs + "_", initials, arr + " ")


class Pools:
    """Every vocabulary of one provider (one set of locales), each built on first use.

    A table of prices and dates builds no vocabulary at all; one of people builds the names and
    email domains but not the addresses. A vocabulary is read from the disk cache
    (:mod:`syda.generators.pools_cache`) when a usable copy is there, else sampled from Faker and
    cached. Each vocabulary has its own seeded Faker stream, so the values do not depend on which
    vocabularies were built before, nor on whether they came from the cache.
    """

    def __init__(self, locales: tuple[str, ...], seed: int) -> None:
        self.locale_names = locales
        self.seed = seed
        self.sampled: list[str] = []
        """The vocabularies this object had to ask Faker for (the others came from the cache)."""
        # Tables fill on worker threads: one lock, so a vocabulary is sampled once.
        self._lock = threading.Lock()
        self._parts: dict[str, Any] = {}
        self._fitted: dict[tuple[str, int], ObjArray] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to another process, the pools are rebuilt there (from its cache) rather than copied.
        return get_pools, (self.locale_names, self.seed)

    @property
    def built(self) -> frozenset[str]:
        """The vocabularies built so far, from Faker or from the cache."""
        return frozenset(self._parts)

    def _part(self, vocabulary: str, assemble: Callable[[Sample], _T]) -> _T:
        if vocabulary not in self._parts:
            with self._lock:
                if vocabulary not in self._parts:
                    self._parts[vocabulary] = self._build(vocabulary, assemble)
        return self._parts[vocabulary]  # type: ignore[no-any-return]

    def _build(self, vocabulary: str, assemble: Callable[[Sample], _T]) -> _T:
        cached = pools_cache.load(vocabulary, self.locale_names, self.seed)
        if cached is not None:
            try:
                return assemble(cached)
            except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
                # The right key but the wrong shape (edited by hand, truncated list): sample again.
                logger.debug("ignoring the cached vocabulary %s: %s", vocabulary, exc)
        fresh = pools_faker.sample(vocabulary, self.locale_names, self.seed)
        self.sampled.append(vocabulary)
        pools_cache.store(vocabulary, self.locale_names, self.seed, fresh)
        # Assembled from its JSON round trip, exactly as a later process reads it from the
        # cache, so a cold run and a warm run cannot differ by a single value.
        return assemble(json.loads(json.dumps(fresh)))

    def _names(self) -> tuple[tuple[LocalePools, ...], NamePool, NamePool]:
        return self._part("names", lambda data: _name_tables(self.locale_names, data))

    @property
    def locales(self) -> tuple[LocalePools, ...]:
        """Per-locale name pools and phone formats."""
        return self._names()[0]

    @property
    def first_names(self) -> NamePool:
        """First names of every locale (female then male, locale by locale)."""
        return self._names()[1]

    @property
    def last_names(self) -> NamePool:
        """Family names of every locale."""
        return self._names()[2]

    @property
    def addresses(self) -> AddressPool:
        """Coherent address records of every locale."""
        return self._part("addresses", _address_pool)

    def _companies(self) -> tuple[ObjArray, ObjArray]:
        return self._part("companies", _company_pool)

    @property
    def companies(self) -> ObjArray:
        """Distinct company names."""
        return self._companies()[0]

    @property
    def company_domains(self) -> ObjArray:
        """The web domain of each company (same positions)."""
        return self._companies()[1]

    def _emails(self) -> tuple[WeightedPool, ObjArray]:
        return self._part("email_domains", _email_pool)

    @property
    def email_domains(self) -> WeightedPool:
        """Webmail providers, weighted by how common they are."""
        return self._emails()[0]

    @property
    def at_email_domains(self) -> ObjArray:
        """``"@" + domain`` for every value of :attr:`email_domains`."""
        return self._emails()[1]

    def _values(self, vocabulary: str) -> ObjArray:
        return self._part(vocabulary, lambda data: _objects(data["values"]))

    @property
    def jobs(self) -> ObjArray:
        """Job titles."""
        return self._values("jobs")

    @property
    def catch_phrases(self) -> ObjArray:
        """Slogans, each word capitalised."""
        return self._values("catch_phrases")

    @property
    def words(self) -> ObjArray:
        """Distinct lorem words (letters only)."""
        return self._values("words")

    @property
    def sentences(self) -> ObjArray:
        """Lorem sentences of about eight words."""
        return self._values("sentences")

    @property
    def paragraphs(self) -> ObjArray:
        """Lorem paragraphs of three sentences."""
        return self._values("paragraphs")

    @property
    def user_agents(self) -> ObjArray:
        """Browser user-agent strings."""
        return self._values("user_agents")

    @property
    def colors(self) -> ObjArray:
        """Distinct colour names."""
        return self._values("colors")

    @property
    def product_names(self) -> ObjArray:
        """Product names of syda's own catalogue (no Faker)."""
        return _product_catalogue()[0]

    @property
    def product_categories(self) -> ObjArray:
        """The category of each product name (same positions)."""
        return _product_catalogue()[1]

    @property
    def tld(self) -> str:
        """The top-level domain of the first locale's country."""
        return pools_faker.tld_of(self.locale_names[0].rpartition("_")[2])

    @property
    def world_addresses(self) -> AddressPool:
        """A few coherent address records of each locale (the places abroad of other pools)."""
        return self._part("world_addresses", _address_pool)

    @functools.cached_property
    def full_addresses(self) -> ObjArray:
        """One-line postal addresses, aligned with :attr:`addresses`."""
        return self.addresses.full()

    def fit(self, name: str, length: int | None) -> ObjArray:
        """The pool called ``name`` restricted to values of at most ``length`` characters.

        Values that fit are kept when there are enough of them (a tenth of the pool, at least
        ten); otherwise every value is cut to ``length``. Results are cached per length.
        """
        pool: ObjArray = getattr(self, name)
        if length is None:
            return pool
        key = (name, length)
        if key not in self._fitted:
            lengths = np.fromiter((len(v) for v in pool), dtype=np.int64, count=len(pool))
            fits = pool[lengths <= length]
            if len(fits) < max(10, len(pool) // 10) and len(fits) < len(pool):
                fits = _objects(dict.fromkeys(v[:length].rstrip() or v[:length] for v in pool))
            self._fitted[key] = fits
        return self._fitted[key]

    @functools.cached_property
    def times(self) -> ObjArray:
        """``datetime.time`` objects for every second of a day, indexed by second."""
        import datetime as dt

        return _objects(dt.time(s // 3600, s // 60 % 60, s % 60) for s in range(86400))

    @functools.cached_property
    def number_strings(self) -> ObjArray:
        """``"0"`` .. ``"99999"`` as strings, for building numeric suffixes without loops."""
        return np.arange(100000).astype(str).astype(object)


def _slugs(values: ObjArray, fallback: str) -> ObjArray:
    slugs = [slugify(v) for v in values]
    return _objects(s or f"{fallback}{i}" for i, s in enumerate(slugs))


def company_domain(name: str, tld: str) -> str:
    """Return the web domain a company of this name would use: ``Acme Corp`` -> ``acmecorp.com``."""
    # Names made unique end in a number (``Acme Corp 17``): the few thousand names before it
    # are slugged once each, not once per row (10M CRM rows hold half a million customers).
    base, space, number = name.rpartition(" ")
    if space and number.isascii() and number.isdigit():
        slug = company_slug(base) + number
    else:
        slug = company_slug(name)
    return f"{slug or 'company'}.{tld}"


@functools.lru_cache(maxsize=1 << 16)
def company_slug(name: str) -> str:
    """A company name as its domain's word: ``Acme Corp GmbH`` -> ``acmecorp`` (no legal suffix)."""
    words = [_word_slug(w) for w in _NAME_WORDS.split(name)]
    return "".join(w for w in words if w and w not in _LEGAL_SUFFIXES)


@functools.lru_cache(maxsize=1)
def _product_catalogue() -> tuple[ObjArray, ObjArray]:
    """Product names with the category each belongs to.

    Names combine an adjective with the category's own materials and nouns; software products
    come in editions.
    """
    names: list[str] = []
    categories: list[str] = []
    for category, nouns, materials in vocab.PRODUCT_CATALOGUE:
        for adjective in vocab.PRODUCT_ADJECTIVES:
            for noun in nouns:
                for material in (*materials, ""):
                    names.append(" ".join(w for w in (adjective, material, noun) if w))
                    categories.append(category)
    for product in vocab.SOFTWARE_PRODUCTS:
        for edition in vocab.SOFTWARE_EDITIONS:
            names.append(f"{product} {edition}")
            categories.append("Software")
    return _objects(names), _objects(categories)


def _name_tables(
    locales: tuple[str, ...], data: Sample
) -> tuple[tuple[LocalePools, ...], NamePool, NamePool]:
    """The locales' name pools, concatenated, with where each locale's names start."""
    firsts: list[str] = []
    lasts: list[str] = []
    placed: list[LocalePools] = []
    for locale, part in zip(locales, data["locales"], strict=True):
        lp = LocalePools(
            locale=locale,
            first_female=WeightedPool.of(*part["first_female"]),
            first_male=WeightedPool.of(*part["first_male"]),
            last=WeightedPool.of(*part["last"]),
            female_offset=len(firsts),
            male_offset=len(firsts) + len(part["first_female"][0]),
            last_offset=len(lasts),
            family_first=locale in _FAMILY_FIRST,
            phone_formats=tuple(part["phone_formats"]),
            country_code=part["country_code"],
        )
        firsts.extend(lp.first_female.values)
        firsts.extend(lp.first_male.values)
        lasts.extend(lp.last.values)
        placed.append(lp)
    return tuple(placed), NamePool.of(firsts, "user"), NamePool.of(lasts, "member")


def _address_pool(data: Sample) -> AddressPool:
    pool = AddressPool(
        street=_objects(data["street"]),
        city=_objects(data["city"]),
        state=_objects(data["state"]),
        state_abbr=_objects(data["state_abbr"]),
        postal_code=_objects(data["postal_code"]),
        country=_objects(data["country"]),
        country_code=_objects(data["country_code"]),
        latitude=np.asarray(data["latitude"], dtype=np.float64),
        longitude=np.asarray(data["longitude"], dtype=np.float64),
    )
    if len({len(getattr(pool, k)) for k in AddressPool.__dataclass_fields__}) != 1:
        raise ValueError("address fields of different lengths")
    return pool


def _company_pool(data: Sample) -> tuple[ObjArray, ObjArray]:
    names, tlds = data["names"], data["tlds"]
    domains = [company_domain(name, tld) for name, tld in zip(names, tlds, strict=True)]
    return _objects(names), _objects(domains)


def _email_pool(data: Sample) -> tuple[WeightedPool, ObjArray]:
    free: list[str] = data["free"]
    # Global webmail providers dominate; the locale's own free providers come after them.
    weights = dict(vocab.FREE_EMAIL_DOMAINS)
    for domain, count in Counter(free).items():
        weights.setdefault(domain, 0.02 * count / len(free))
    pool = WeightedPool.of(list(weights), list(weights.values()))
    return pool, "@" + pool.values


@functools.lru_cache(maxsize=8)
def get_pools(locales: tuple[str, ...], seed: int = 0) -> Pools:
    """Return the pools for ``locales``; each vocabulary is built when first used.

    Args:
        locales: Faker locale names, e.g. ``("en_US",)`` or ``("en_US", "de_DE")``.
        seed: Seed of the Faker instances that sample the pools.

    Raises:
        AttributeError: If a locale is not one Faker knows.
    """
    from faker.config import AVAILABLE_LOCALES

    for locale in locales:
        if locale not in AVAILABLE_LOCALES or "_" not in locale:
            raise AttributeError(f"Invalid configuration for faker locale `{locale}`")
    return Pools(locales, seed)
