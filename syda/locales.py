"""The Faker locales the offline provider draws from, checked when a generator is made.

An unknown locale would otherwise surface only when the first vocabulary is built, as an
``AttributeError`` deep in a run; here it is a :class:`~syda.errors.ConfigurationError` at
construction, naming the closest locales Faker has.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from syda.errors import ConfigurationError

__all__ = ["checked_locales"]

_SUGGESTIONS = 4


def checked_locales(locale: object) -> tuple[str, ...]:
    """``locale`` (one name or several) as a tuple of locales Faker knows.

    The rule is the vocabulary pools' (:func:`syda.generators.pools.get_pools`): a name Faker
    lists, with a country (``de_DE``, not ``de``).

    Raises:
        ConfigurationError: If a locale is unknown (with the close matches), not a string, or
            none is given.
    """
    names = (locale,) if isinstance(locale, str) else locale
    if not isinstance(names, Sequence) or isinstance(names, bytes) or not names:
        raise ConfigurationError(
            f"locale must be a Faker locale such as 'en_US', or a list of them, got {locale!r:.80}"
        )
    known = _known()
    problems = [_problem(name, known) for name in names if name not in known]
    if problems:
        raise ConfigurationError("; ".join(problems))
    return tuple(names)


def _known() -> frozenset[str]:
    from faker.config import AVAILABLE_LOCALES

    return frozenset(name for name in AVAILABLE_LOCALES if "_" in name)


def _problem(name: object, known: frozenset[str]) -> str:
    if not isinstance(name, str):
        return f"a locale is a string such as 'en_US', got {name!r:.80}"
    return f"unknown locale {name[:40]!r}{_hint(name, known)}"


def _hint(name: str, known: frozenset[str]) -> str:
    # ``fr-FR``, ``en_us`` and ``de`` are near misses of a spelling Faker has.
    language, _, country = name.replace("-", "_").partition("_")
    language = language.lower()
    # ``de`` most likely means Germany's German: the country named like the language first.
    guesses = (f"{language}_{(country or language).upper()}",)
    close = [g for g in guesses if g in known]
    close += sorted(k for k in known if k.split("_")[0] == language and k not in close)
    close += difflib.get_close_matches(name, sorted(known), n=_SUGGESTIONS, cutoff=0.6)
    shown = list(dict.fromkeys(close))[:_SUGGESTIONS]
    if shown:
        return f": did you mean {', '.join(shown)}?"
    return ": Faker's locales are language_COUNTRY, such as en_US, de_DE, fr_FR, ja_JP"
