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
    for other in schema:
        if other.key == table.key:
            continue
        if other.key in refs or any(fk.ref_table == table.key for fk in other.foreign_keys):
            domain = domain_of(other)
            if domain is not None:
                found[domain] += 1
    return found.most_common(1)[0][0] if found else None


def domain_kinds(
    schema: Schema, table: Table, semantics: Mapping[str, str | None]
) -> dict[str, str]:
    """``{column: kind}``: a domain's own kind (``film_category``) for a lookup table's columns.

    Only where the table's text names no domain and its neighbours do, for the columns whose
    kind (``semantics``) has a vocabulary per domain; ``type``/``tier`` columns keep theirs.
    """
    from syda.generators.values_draw import is_lookup

    if domain_of(table) is not None or not is_lookup(table):
        return {}
    domain = linked_domain(schema, table)
    if domain is None:
        return {}
    out: dict[str, str] = {}
    for name, semantic in semantics.items():
        kind = f"{domain}_{semantic}"
        if kind in DOMAIN_KINDS and not TIER_WORDS & set(name_tokens(name)):
            out[name] = kind
    return out


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
