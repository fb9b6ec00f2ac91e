"""The domain a table belongs to, read from its text: docstring, comments, names and prompt.

Vocabularies differ by domain (:mod:`syda.generators.vocab_domains`): the categories of a film
store are not those of a software vendor. The domain is the entry of ``DOMAINS`` whose words
occur most often in the table's text; None when none occurs, and the default vocabulary applies.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np

from syda.generators.infer import name_tokens
from syda.generators.vocab_domains import DOMAIN_KINDS, DOMAINS, PRODUCT_CATALOGUES
from syda.generators.vocab_lookup import TIER_WORDS
from syda.schema.ir import Schema, Table

__all__ = ["catalogue", "domain_kinds", "domain_of", "linked_domain"]

ObjArray = np.ndarray[Any, np.dtype[np.object_]]

_PATTERNS = tuple(
    (name, re.compile(r"\b(?:" + words + ")", re.IGNORECASE)) for name, words in DOMAINS
)


def _text(table: Table) -> str:
    names = " ".join(dict.fromkeys(name_tokens(table.key) + name_tokens(table.name)))
    comments = " ".join(c.comment or "" for c in table.columns)
    return f"{names} {table.description or ''} {comments}"


@functools.lru_cache(maxsize=1024)
def _domain(text: str) -> str | None:
    best, best_count = None, 0
    for name, pattern in _PATTERNS:
        count = len(pattern.findall(text))
        if count > best_count:
            best, best_count = name, count
    return best


def domain_of(table: Table, prompt: str | None = None) -> str | None:
    """The domain of ``table`` (``"software"``, ``"music"``, ``"film"``...), or None.

    A prompt that names a domain decides: what a user asks for says more than the schema's
    wording. Otherwise the table's own text does.
    """
    return (_domain(prompt) if prompt else None) or _domain(_text(table))


def linked_domain(schema: Schema, table: Table) -> str | None:
    """The domain of ``table``'s own text, else the one most of its neighbours say.

    Neighbours are the tables it references and the tables that reference it: sakila's
    ``category`` says nothing of films, but ``film_category`` beside it does.
    """
    own = domain_of(table)
    if own is not None:
        return own
    found: Counter[str] = Counter()
    refs = {fk.ref_table for fk in table.foreign_keys}
    linked = [
        other
        for other in schema
        if other.key != table.key
        and (other.key in refs or any(fk.ref_table == table.key for fk in other.foreign_keys))
    ]
    for other in linked or _named_neighbours(schema, table):
        domain = domain_of(other)
        if domain is not None:
            found[domain] += 1
    return found.most_common(1)[0][0] if found else None


def _named_neighbours(schema: Schema, table: Table) -> list[Table]:
    """Tables that point at ``table`` by a key's name only (``category_id``).

    Schemas without foreign keys (MyISAM's Piwigo) still name their links.
    """
    head = (name_tokens(table.name) or [""])[-1]
    singular = head[:-3] + "y" if head.endswith("ies") else head.removesuffix("s")
    return [
        other
        for other in schema
        if other.key != table.key
        and any(name_tokens(c.name)[-2:] == [singular, "id"] for c in other.columns)
    ]


def domain_kinds(
    schema: Schema, table: Table, semantics: Mapping[str, str | None]
) -> dict[str, str]:
    """``{column: kind}``: a domain's own kind (``film_category``) for a lookup table's columns.

    Only where the table's text names no domain and its neighbours do, for the columns whose
    kind (``semantics``) has a vocabulary per domain; ``type``/``tier`` columns keep theirs. A
    table named for such a kind (Piwigo's ``categories``, beside its images: albums) gets its
    naming column's too, however many other columns it has.
    """
    from syda.generators.values_draw import is_lookup, names_row

    lookup = is_lookup(table)
    if domain_of(table) is not None:
        return {}
    domain = linked_domain(schema, table) if lookup or _lists(table) else None
    if domain is None:
        return {}
    out: dict[str, str] = {}
    for name, semantic in semantics.items():
        kind = f"{domain}_{semantic}"
        if kind not in DOMAIN_KINDS or TIER_WORDS & set(name_tokens(name)):
            continue
        listed = bool(semantic) and _head(table).startswith(str(semantic)[:6])
        listed = listed and names_row(table, table.column(name))
        if lookup or listed:
            out[name] = kind
    return out


def _head(table: Table) -> str:
    return (name_tokens(table.name) or [""])[-1]


def _lists(table: Table) -> bool:
    """A table of categories, genres or departments (named for one), however many columns."""
    head = _head(table)
    return any(head.startswith(base[:6]) for base, _ in DOMAIN_KINDS.values())


@functools.lru_cache(maxsize=16)
def catalogue(domain: str | None) -> tuple[ObjArray, ObjArray] | None:
    """Product names of ``domain`` with the category of each (aligned), or None for retail.

    A name is a qualifier and a noun of one category (``Premium`` + ``Support Plan``), so a
    category column beside it agrees with it.
    """
    entries = PRODUCT_CATALOGUES.get(domain or "")
    if entries is None:
        return None
    names: list[str] = []
    categories: list[str] = []
    for category, qualifiers, nouns in entries:
        for qualifier in qualifiers:
            for noun in nouns:
                names.append(f"{qualifier} {noun}")
                categories.append(category)
    return np.asarray(names, dtype=object), np.asarray(categories, dtype=object)
