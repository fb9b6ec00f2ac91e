"""Value pools: vocabularies built once per locale from Faker, then indexed by numpy.

Calling Faker for every value is far too slow for millions of rows (tens of microseconds a call),
so Faker is asked once for a few thousand samples of each kind of value, with a deterministic
seed, and the results are kept as numpy object arrays. Generators then draw whole columns as
integer indices into these pools. Values that must agree within a row (street, city, state and
postal code; a company and its web domain; a person's name and its lowercase ASCII slug used in
emails) are kept as aligned arrays, so one index picks a coherent record.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from faker import Faker

from syda.generators import pools_vocab as vocab

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

_ADDRESSES_PER_LOCALE = 2000
_COMPANIES_PER_LOCALE = 3000
# Locales whose full names are written family name first.
_FAMILY_FIRST = frozenset({"ja_JP", "zh_CN", "zh_TW", "ko_KR", "hu_HU", "vi_VN"})
_LEGAL_SUFFIXES = frozenset(
    {"inc", "llc", "ltd", "plc", "gmbh", "ag", "kg", "sa", "sarl", "sas", "co", "and", "und", "et"}
)
_TLD_BY_COUNTRY = {"GB": "co.uk", "US": "com", "JP": "co.jp", "AU": "com.au", "BR": "com.br"}


def slugify(text: str) -> str:
    """Return ``text`` as lowercase ASCII letters and digits only (accents folded)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


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


@dataclass(frozen=True)
class Pools:
    """Every vocabulary of one provider (one set of locales), built once and cached."""

    locales: tuple[LocalePools, ...]
    first_names: NamePool
    last_names: NamePool
    addresses: AddressPool
    companies: ObjArray
    company_domains: ObjArray
    email_domains: WeightedPool
    at_email_domains: ObjArray
    """``"@" + domain`` for every value of :attr:`email_domains`."""
    jobs: ObjArray
    catch_phrases: ObjArray
    words: ObjArray
    sentences: ObjArray
    paragraphs: ObjArray
    user_agents: ObjArray
    colors: ObjArray
    product_names: ObjArray
    product_categories: ObjArray
    """The category of each product name (same positions)."""
    tld: str
    _fitted: dict[tuple[str, int], ObjArray] = field(
        default_factory=dict, compare=False, repr=False
    )

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


def _provider_attr(fake: Faker, name: str) -> Any:
    for provider in fake.get_providers():
        if hasattr(provider, name):
            return getattr(provider, name)
    return None


def _name_pool(fake: Faker, attr: str, method: Callable[[], str]) -> WeightedPool:
    """Use the locale's full weighted name list when Faker exposes one, else sample it."""
    data = _provider_attr(fake, attr)
    if isinstance(data, dict) and data:
        return WeightedPool.of(list(data), list(data.values()))
    if isinstance(data, (tuple, list)) and data:
        return WeightedPool.counted(data)
    return WeightedPool.counted(method() for _ in range(3000))


def _slugs(values: ObjArray, fallback: str) -> ObjArray:
    slugs = [slugify(v) for v in values]
    return _objects(s or f"{fallback}{i}" for i, s in enumerate(slugs))


def _phone_formats(fake: Faker) -> tuple[str, ...]:
    """Phone formats made only of digits placeholders and punctuation (no extensions).

    A number written ``+1-272-...`` is a formula to a spreadsheet (``=1-272-...``), so
    formats starting with ``+`` are left out where the locale has others; where it has none,
    the ``+`` is written as ``00``, the international call prefix most countries dial.
    """
    formats = _provider_attr(fake, "formats")
    usable: list[str] = []
    for fmt in formats if isinstance(formats, (tuple, list)) else ():
        if isinstance(fmt, str) and re.fullmatch(r"[#%$0-9 ()+.\-]+", fmt) and "#" in fmt:
            usable.append(fmt)
    national = [fmt for fmt in usable if not fmt.startswith("+")]
    chosen = national or ["00" + fmt[1:] for fmt in usable]
    return tuple(chosen) or ("###-###-####",)


def _locale_pools(fake: Faker, locale: str, offsets: tuple[int, int, int]) -> LocalePools:
    return LocalePools(
        locale=locale,
        first_female=_name_pool(fake, "first_names_female", fake.first_name_female),
        first_male=_name_pool(fake, "first_names_male", fake.first_name_male),
        last=_name_pool(fake, "last_names", fake.last_name),
        female_offset=offsets[0],
        male_offset=offsets[1],
        last_offset=offsets[2],
        family_first=locale in _FAMILY_FIRST,
        phone_formats=_phone_formats(fake),
        country_code=fake.current_country_code(),
    )


def _name_tables(
    per_locale: list[LocalePools],
) -> tuple[tuple[LocalePools, ...], NamePool, NamePool]:
    """Concatenate the locales' name pools, recording where each locale's names start."""
    firsts: list[str] = []
    lasts: list[str] = []
    placed: list[LocalePools] = []
    for lp in per_locale:
        female_at = len(firsts)
        firsts.extend(lp.first_female.values)
        male_at = len(firsts)
        firsts.extend(lp.first_male.values)
        last_at = len(lasts)
        lasts.extend(lp.last.values)
        placed.append(
            dataclasses.replace(
                lp, female_offset=female_at, male_offset=male_at, last_offset=last_at
            )
        )
    return tuple(placed), NamePool.of(firsts, "user"), NamePool.of(lasts, "member")


def _addresses(fake: Faker, n: int) -> dict[str, list[Any]]:
    """Coherent address records; for locales with per-state postcode ranges, zip matches state."""
    cols: dict[str, list[Any]] = {k: [] for k in AddressPool.__dataclass_fields__}
    states_postcode = _provider_attr(fake, "states_postcode")
    states = _provider_attr(fake, "states")
    abbrs = _provider_attr(fake, "states_abbr")
    state_names: dict[str, str] = {}
    if fake.current_country_code() == "US":
        # Faker's en_US ``states_abbr`` also lists DC, so zipping it with ``states`` pairs every
        # abbreviation after DE with the next state's name (FL with Georgia, TX with Utah).
        state_names = dict(vocab.US_STATES)
    elif (
        isinstance(states, (tuple, list))
        and isinstance(abbrs, (tuple, list))
        and len(states) == len(abbrs)
    ):
        state_names = dict(zip(abbrs, states, strict=True))
    country = fake.current_country()
    code = fake.current_country_code()
    try:
        coords: list[tuple[str, ...]] = [
            tuple(fake.local_latlng(country_code=code) or ()) for _ in range(50)
        ]
        coords = [c for c in coords if len(c) >= 2]
    except Exception:  # Faker has no land coordinates for some countries
        coords = []
    for i in range(n):
        if isinstance(states_postcode, dict) and state_names:
            abbr = fake.random_element([a for a in state_names if a in states_postcode])
            state, postcode = state_names[abbr], fake.zipcode_in_state(abbr)
        else:
            state = fake.administrative_unit() if hasattr(fake, "administrative_unit") else ""
            abbr = state if len(state) <= 3 else state[:2].upper()
            postcode = fake.postcode()
        if coords:
            place = coords[i % len(coords)]
            lat, lng = float(place[0]), float(place[1])
        else:
            place = fake.location_on_land(coords_only=True) or ("0", "0")
            lat, lng = float(place[0]), float(place[1])
        cols["street"].append(fake.street_address())
        cols["city"].append(fake.city())
        cols["state"].append(state)
        cols["state_abbr"].append(abbr)
        cols["postal_code"].append(str(postcode))
        cols["country"].append(country)
        cols["country_code"].append(code)
        cols["latitude"].append(lat + fake.pyfloat(min_value=-0.2, max_value=0.2))
        cols["longitude"].append(lng + fake.pyfloat(min_value=-0.2, max_value=0.2))
    return cols


def company_domain(name: str, tld: str) -> str:
    """Return the web domain a company of this name would use: ``Acme Corp`` -> ``acmecorp.com``."""
    words = [slugify(w) for w in re.split(r"[\s,&\-]+", name)]
    kept = [w for w in words if w and w not in _LEGAL_SUFFIXES]
    return f"{''.join(kept) or 'company'}.{tld}"


def _product_catalogue() -> tuple[list[str], list[str]]:
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
    return names, categories


def _build(locales: tuple[str, ...], seed: int) -> Pools:
    fakers = []
    for i, locale in enumerate(locales):
        fake = Faker(locale)
        fake.seed_instance(seed * 1000 + i)
        fakers.append(fake)
    per_locale, first_names, last_names = _name_tables(
        [_locale_pools(f, loc, (0, 0, 0)) for f, loc in zip(fakers, locales, strict=True)]
    )
    addr: dict[str, list[Any]] = {k: [] for k in AddressPool.__dataclass_fields__}
    catalogue = _product_catalogue()
    companies: list[str] = []
    domains: list[str] = []
    free_domains: list[str] = []
    for fake in fakers:
        for key, values in _addresses(fake, _ADDRESSES_PER_LOCALE).items():
            addr[key].extend(values)
        tld = _TLD_BY_COUNTRY.get(fake.current_country_code(), "com")
        for name in dict.fromkeys(fake.company() for _ in range(_COMPANIES_PER_LOCALE)):
            companies.append(name)
            domains.append(company_domain(name, tld))
        free_domains += [fake.free_email_domain() for _ in range(300)]
    first = fakers[0]
    # Global webmail providers dominate; the locale's own free providers come after them.
    email_weights = dict(vocab.FREE_EMAIL_DOMAINS)
    for dom, count in Counter(free_domains).items():
        email_weights.setdefault(dom, 0.02 * count / len(free_domains))
    email_pool = WeightedPool.of(list(email_weights), list(email_weights.values()))
    return Pools(
        locales=per_locale,
        first_names=first_names,
        last_names=last_names,
        addresses=AddressPool(
            street=_objects(addr["street"]),
            city=_objects(addr["city"]),
            state=_objects(addr["state"]),
            state_abbr=_objects(addr["state_abbr"]),
            postal_code=_objects(addr["postal_code"]),
            country=_objects(addr["country"]),
            country_code=_objects(addr["country_code"]),
            latitude=np.asarray(addr["latitude"], dtype=np.float64),
            longitude=np.asarray(addr["longitude"], dtype=np.float64),
        ),
        companies=_objects(companies),
        company_domains=_objects(domains),
        email_domains=email_pool,
        at_email_domains="@" + email_pool.values,
        jobs=_objects(sorted({first.job() for _ in range(3000)})),
        catch_phrases=_objects(
            sorted(
                {
                    " ".join(w.capitalize() for w in first.catch_phrase().split())
                    for _ in range(2000)
                }
            )
        ),
        words=_objects(sorted({w for w in (first.word() for _ in range(3000)) if w.isalpha()})),
        sentences=_objects(first.sentence(nb_words=8) for _ in range(3000)),
        paragraphs=_objects(first.paragraph(nb_sentences=3) for _ in range(1500)),
        user_agents=_objects(first.user_agent() for _ in range(300)),
        colors=_objects(sorted({first.color_name() for _ in range(500)})),
        product_names=_objects(catalogue[0]),
        product_categories=_objects(catalogue[1]),
        tld=_TLD_BY_COUNTRY.get(first.current_country_code(), "com"),
    )


@functools.lru_cache(maxsize=8)
def get_pools(locales: tuple[str, ...], seed: int = 0) -> Pools:
    """Return the pools for ``locales``, building them (about a second) on first use.

    Args:
        locales: Faker locale names, e.g. ``("en_US",)`` or ``("en_US", "de_DE")``.
        seed: Seed of the Faker instances that sample the pools.

    Raises:
        AttributeError: If a locale is not one Faker knows.
    """
    return _build(locales, seed)
