"""Which closed vocabulary a column draws from: one answer for its generator and for the plan.

A lookup table lists each value once (:func:`~syda.generators.values_draw.lookup_draw`), so a
closed vocabulary bounds its distinct rows: a dozen media types make at most a dozen media-type
rows. The generators of :mod:`syda.generators.values_lookup` pick their values here, and the
plan (:mod:`syda.plan_vocab`) asks the same :func:`vocabulary` how many rows a lookup table can
hold. Each entry names what its values are (``"media types"``), for the plan to say why.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from syda.generators import vocab_domains as vocab
from syda.generators.infer import name_tokens, table_tokens
from syda.generators.infer_words import core_tokens
from syda.generators.pools_vocab import TIERS, US_STATES
from syda.generators.vocab_codes import NAMED_VOCABULARIES
from syda.generators.vocab_lists import Listed, language_names
from syda.schema.ir import Column, Table

__all__ = ["TIER_WORDS", "VOCABULARIES", "Vocabulary", "vocabulary", "world_countries"]

Pick = Callable[[Column, Table, str | None], Sequence[str]]
"""``(column, table, domain) -> values``, the domain being the table's (or the prompt's)."""


@dataclass(frozen=True)
class Vocabulary:
    """A closed vocabulary: what its values are, and how a column's values are picked."""

    what: str
    pick: Pick


LOCALE_TAGS = ("en-US", "es-ES", "fr-FR", "de-DE", "en-GB", "it-IT", "ja-JP", "zh-CN",
               "pt-BR", "ru-RU", "nl-NL", "ko-KR")  # fmt: skip
SHIPPING_METHODS = ("Standard", "Express", "Next Day", "Two-Day", "Ground", "Freight",
                    "Store Pickup", "International")  # fmt: skip
TIER_WORDS = frozenset({"type", "tier", "plan", "level", "kind"})
_SHORT_LISTS = tuple(
    dict.fromkeys(v for values in NAMED_VOCABULARIES.values() if len(values) <= 20 for v in values)
)


@functools.cache
def world_countries() -> Listed:
    """Every country name Faker knows, the common ones first (a country table lists ~250)."""
    from faker.providers.address.en_US import Provider  # imported when a country table is filled

    from syda.generators.pools_vocab import COUNTRIES

    common = tuple(name for name, _ in COUNTRIES)
    return Listed(dict.fromkeys((*common, *Provider.countries)), common=len(common))


def _by_domain(values: Mapping[str, tuple[str, ...]]) -> Pick:
    return lambda column, table, domain: values.get(domain or "") or values[""]


def _fixed(values: Sequence[str]) -> Pick:
    return lambda column, table, domain: values


def _of_domain(values: Mapping[str, tuple[str, ...]], own: str) -> Pick:
    """The vocabulary of the domain the kind names (``film_category``), whatever the table's."""
    return lambda column, table, domain: values[own]


def _language(column: Column, table: Table, domain: str | None) -> Sequence[str]:
    """Names in a language table, ISO 639-1 codes (``en``) elsewhere, tags for ``locale``."""
    tokens = set(name_tokens(column.name))
    if "locale" in tokens:
        return LOCALE_TAGS
    named = "name" in tokens or any(t.startswith("lang") for t in table_tokens(table))
    length = column.length
    short = (length is not None and length <= 5) or bool(tokens & {"code", "iso", "lang"})
    if short or not named:
        return tuple(code for _, code in vocab.LANGUAGES)
    return language_names()


def _sales_region(column: Column, table: Table, domain: str | None) -> Sequence[str]:
    short = column.length is not None and column.length <= 6
    return vocab.SALES_REGIONS["short" if short else ""]


def _market_segment(column: Column, table: Table, domain: str | None) -> Sequence[str]:
    return vocab.MARKET_SEGMENTS["upper" if "mkt" in column.name.lower() else ""]


def _ship_mode(column: Column, table: Table, domain: str | None) -> Sequence[str]:
    return SHIPPING_METHODS if "method" in name_tokens(column.name) else vocab.SHIP_MODES


def _department(column: Column, table: Table, domain: str | None) -> Sequence[str]:
    return vocab.DEPARTMENTS["university" if domain == "university" else ""]


def _category(column: Column, table: Table, domain: str | None) -> Sequence[str]:
    if TIER_WORDS & set(name_tokens(column.name)):
        return TIERS
    return vocab.CATEGORIES.get(domain or "") or vocab.CATEGORIES[""]


def _state(column: Column, table: Table, domain: str | None) -> Sequence[str]:
    length = column.length
    short = (length is not None and length <= 3) or bool(
        {"abbr", "abbreviation"} & set(name_tokens(column.name))
    )
    return tuple(abbr if short else name for abbr, name in US_STATES)


def _named(column: Column, table: Table, domain: str | None) -> Sequence[str]:
    for tokens in (name_tokens(column.name), core_tokens(column.name, table)):
        found = NAMED_VOCABULARIES.get("_".join(tokens))
        if found:
            return found
    return _SHORT_LISTS


_BASES: Mapping[str, tuple[str, Mapping[str, tuple[str, ...]]]] = {
    "category": ("categories", vocab.CATEGORIES),
    "genre": ("genres", vocab.GENRES),
    "department": ("departments", vocab.DEPARTMENTS),
}

VOCABULARIES: Mapping[str, Vocabulary] = MappingProxyType(
    {
        "genre": Vocabulary("genres", _by_domain(vocab.GENRES)),
        "media_type": Vocabulary("media types", _fixed(vocab.MEDIA_TYPES)),
        "language": Vocabulary("languages", _language),
        "sales_region": Vocabulary("sales regions", _sales_region),
        "market_segment": Vocabulary("market segments", _market_segment),
        "ship_mode": Vocabulary("shipping modes", _ship_mode),
        "building": Vocabulary("buildings", _fixed(vocab.BUILDINGS)),
        "department": Vocabulary("departments", _department),
        "category": Vocabulary("categories", _category),
        "country": Vocabulary("countries", lambda column, table, domain: world_countries()),
        "state": Vocabulary("US states", _state),
        "named_vocabulary": Vocabulary("values of its published list", _named),
        **{
            name: Vocabulary(f"{domain} {_BASES[base][0]}", _of_domain(_BASES[base][1], domain))
            for name, (base, domain) in vocab.DOMAIN_KINDS.items()
        },
    }
)


def vocabulary(semantic: str, column: Column, table: Table, domain: str | None) -> Listed | None:
    """The distinct values ``semantic`` draws for ``column``, those that fit its length.

    None when the semantic has no closed vocabulary. When no value fits, the values are cut to
    the length (as the generator draws them). The common ones come first (``Listed.common``).
    """
    entry = VOCABULARIES.get(semantic)
    if entry is None:
        return None
    picked = entry.pick(column, table, domain)
    common = frozenset(picked[: getattr(picked, "common", len(picked))])
    values = tuple(dict.fromkeys(picked))
    length = column.length
    fits = values if length is None else tuple(v for v in values if len(v) <= length)
    if not fits:  # nothing fits: cut, as the generator would
        return Listed(dict.fromkeys(v[:length] for v in values))
    return Listed(fits, common=sum(v in common for v in fits))
