"""What Faker is asked for each vocabulary, as plain lists that can be cached on disk.

Each vocabulary (names, addresses, companies, ...) is sampled by its own Faker instances, seeded
from the pools' seed, the locale's position and the vocabulary's name. So a vocabulary comes out
the same whichever others were built before it, which is what lets the pools build only the
vocabularies a table uses, in any order, and lets a cached copy stand in for a fresh one. The
samplers return JSON-compatible data (strings, numbers, lists, dicts); turning it into numpy
pools is left to :mod:`syda.generators.pools`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from faker import Faker

from syda.generators import pools_vocab as vocab

__all__ = ["ADDRESS_FIELDS", "SAMPLERS", "Sample", "sample", "tld_of"]

Sample = dict[str, Any]
"""A vocabulary as Faker gave it: JSON-compatible, so it survives a round trip through a file."""

ADDRESS_FIELDS = (
    "street",
    "city",
    "state",
    "state_abbr",
    "postal_code",
    "country",
    "country_code",
    "latitude",
    "longitude",
)
_ADDRESSES_PER_LOCALE = 2000
_WORLD_PER_LOCALE = 150
_COMPANIES_PER_LOCALE = 3000
_TLD_BY_COUNTRY = {"GB": "co.uk", "US": "com", "JP": "co.jp", "AU": "com.au", "BR": "com.br"}


def tld_of(country_code: str) -> str:
    """The web top-level domain companies of a country use (``com`` when unknown)."""
    return _TLD_BY_COUNTRY.get(country_code, "com")


def _seeded(locale: str, seed: int, index: int, vocabulary: str) -> Faker:
    # A hash rather than ``seed * 1000 + index``: the vocabulary's name must change the stream,
    # and distinct (seed, index, vocabulary) triples must never share one.
    digest = hashlib.blake2b(f"{seed}/{index}/{vocabulary}".encode(), digest_size=8).digest()
    fake = Faker(locale)
    fake.seed_instance(int.from_bytes(digest, "big"))
    return fake


def _provider_attr(fake: Faker, name: str) -> Any:
    for provider in fake.get_providers():
        if hasattr(provider, name):
            return getattr(provider, name)
    return None


def _weighted(fake: Faker, attr: str, method: Callable[[], str]) -> list[list[Any]]:
    """``[values, weights]``: the locale's weighted name list when Faker has one, else samples."""
    data = _provider_attr(fake, attr)
    if isinstance(data, dict) and data:
        return [list(data), list(data.values())]
    counted = Counter(data if isinstance(data, (tuple, list)) and data else _calls(method, 3000))
    pairs = counted.most_common()
    return [[v for v, _ in pairs], [c for _, c in pairs]]


def _calls(method: Callable[[], str], n: int) -> list[str]:
    return [method() for _ in range(n)]


def _phone_formats(fake: Faker) -> list[str]:
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
    return chosen or _sampled_formats(fake) or ["###-###-####"]


def _sampled_formats(fake: Faker) -> list[str]:
    """Formats read off the locale's own numbers, where its formats name area codes.

    Italy's and France's formats hold ``{{area_code}}`` fields, which no template fills;
    their numbers (``070975636``, ``05 45 35 47 53``) keep a leading 0 (the next digit is 1-9:
    ``%``), and every other digit becomes a placeholder.
    """
    found: Counter[str] = Counter()
    for _ in range(60):
        number = fake.phone_number()
        if number.startswith("+") or not re.fullmatch(r"[0-9 ().\-]+", number):
            continue
        head = number[0] if number[0] in "0( " else "%"
        rest = re.sub(r"[0-9]", "#", number[1:])
        # After a trunk 0 comes an area code, never 0: 06 12..., not 00 99...
        found[head + (rest.replace("#", "%", 1) if head == "0" else rest)] += 1
    return [fmt for fmt, _ in found.most_common()]


def _names(fakers: list[Faker]) -> Sample:
    return {
        "locales": [
            {
                "first_female": _weighted(fake, "first_names_female", fake.first_name_female),
                "first_male": _weighted(fake, "first_names_male", fake.first_name_male),
                "last": _weighted(fake, "last_names", fake.last_name),
                "phone_formats": _phone_formats(fake),
                "country_code": fake.current_country_code(),
            }
            for fake in fakers
        ]
    }


def _coordinates(fake: Faker, code: str) -> list[tuple[str, ...]]:
    try:
        coords = [tuple(fake.local_latlng(country_code=code) or ()) for _ in range(50)]
    except Exception:  # Faker has no land coordinates for some countries
        return []
    return [c for c in coords if len(c) >= 2]


def _state_names(fake: Faker) -> dict[str, str]:
    if fake.current_country_code() == "US":
        # Faker's en_US ``states_abbr`` also lists DC, so zipping it with ``states`` pairs every
        # abbreviation after DE with the next state's name (FL with Georgia, TX with Utah).
        return dict(vocab.US_STATES)
    states = _provider_attr(fake, "states")
    abbrs = _provider_attr(fake, "states_abbr")
    if isinstance(states, (tuple, list)) and isinstance(abbrs, (tuple, list)):
        if len(states) == len(abbrs):
            return dict(zip(abbrs, states, strict=True))
    return {}


def _locale_addresses(fake: Faker, n: int, cols: dict[str, list[Any]]) -> None:
    """Coherent address records; for locales with per-state postcode ranges, zip matches state."""
    states_postcode = _provider_attr(fake, "states_postcode")
    state_names = _state_names(fake)
    country, code = fake.current_country(), fake.current_country_code()
    coords = _coordinates(fake, code)
    for i in range(n):
        if isinstance(states_postcode, dict) and state_names:
            abbr = fake.random_element([a for a in state_names if a in states_postcode])
            state, postcode = state_names[abbr], fake.zipcode_in_state(abbr)
        else:
            state = fake.administrative_unit() if hasattr(fake, "administrative_unit") else ""
            abbr = state if len(state) <= 3 else state[:2].upper()
            postcode = fake.postcode()
        place = coords[i % len(coords)] if coords else fake.location_on_land(coords_only=True)
        lat, lng = (float(place[0]), float(place[1])) if place else (0.0, 0.0)
        # Some locales (en_GB) write a flat's street address on two lines: one line here.
        cols["street"].append(fake.street_address().replace("\n", ", "))
        cols["city"].append(fake.city())
        cols["state"].append(state)
        cols["state_abbr"].append(abbr)
        cols["postal_code"].append(str(postcode))
        cols["country"].append(country)
        cols["country_code"].append(code)
        cols["latitude"].append(lat + fake.pyfloat(min_value=-0.2, max_value=0.2))
        cols["longitude"].append(lng + fake.pyfloat(min_value=-0.2, max_value=0.2))


def _addresses(fakers: list[Faker], per_locale: int = _ADDRESSES_PER_LOCALE) -> Sample:
    cols: dict[str, list[Any]] = {k: [] for k in ADDRESS_FIELDS}
    for fake in fakers:
        _locale_addresses(fake, per_locale, cols)
    return cols


def _companies(fakers: list[Faker]) -> Sample:
    """Distinct company names, each with its locale's top-level domain."""
    names: list[str] = []
    tlds: list[str] = []
    for fake in fakers:
        unique = dict.fromkeys(fake.company() for _ in range(_COMPANIES_PER_LOCALE))
        names.extend(unique)
        tlds.extend([tld_of(fake.current_country_code())] * len(unique))
    return {"names": names, "tlds": tlds}


def _email_domains(fakers: list[Faker]) -> Sample:
    return {"free": [fake.free_email_domain() for fake in fakers for _ in range(300)]}


def _first(method: Callable[[Faker], list[Any]]) -> Callable[[list[Faker]], Sample]:
    """A vocabulary sampled from the first locale only."""
    return lambda fakers: {"values": method(fakers[0])}


def _title_phrase(fake: Faker) -> str:
    return " ".join(w.capitalize() for w in fake.catch_phrase().split())


SAMPLERS: dict[str, Callable[[list[Faker]], Sample]] = {
    "names": _names,
    "addresses": _addresses,
    # A few records of each country abroad (customers from other countries): cheap to sample.
    "world_addresses": lambda fakers: _addresses(fakers, _WORLD_PER_LOCALE),
    "companies": _companies,
    "email_domains": _email_domains,
    "jobs": _first(lambda f: sorted({f.job() for _ in range(3000)})),
    "catch_phrases": _first(lambda f: sorted({_title_phrase(f) for _ in range(2000)})),
    "words": _first(lambda f: sorted({w for w in _calls(f.word, 3000) if w.isalpha()})),
    "sentences": _first(lambda f: [f.sentence(nb_words=8) for _ in range(3000)]),
    "paragraphs": _first(lambda f: [f.paragraph(nb_sentences=3) for _ in range(1500)]),
    "user_agents": _first(lambda f: _calls(f.user_agent, 300)),
    "colors": _first(lambda f: sorted({f.color_name() for _ in range(500)})),
}
"""Every vocabulary Faker is asked for, by name (the names are the cache's file names too)."""


def sample(vocabulary: str, locales: tuple[str, ...], seed: int) -> Sample:
    """Ask Faker for ``vocabulary`` in ``locales`` (deterministic in ``seed``)."""
    fakers = [_seeded(loc, seed, i, vocabulary) for i, loc in enumerate(locales)]
    return SAMPLERS[vocabulary](fakers)
