"""The domain a table belongs to, read from its text: docstring, comments, names and prompt.

Vocabularies differ by domain (:mod:`syda.generators.vocab_domains`): the categories of a film
store are not those of a software vendor. The domain is the entry of ``DOMAINS`` whose words
occur most often in the table's text; None when none occurs, and the default vocabulary applies.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np

from syda.generators.infer import name_tokens
from syda.generators.vocab_domains import DOMAINS, PRODUCT_CATALOGUES
from syda.schema.ir import Table

__all__ = ["catalogue", "domain_of"]

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
