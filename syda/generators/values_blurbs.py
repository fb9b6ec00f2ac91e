"""A catalogue's product descriptions: what the product is, from its name and category.

Lorem sentences beside "Integration Consulting (5 days)" read as filler. A product's
description names the product and says what is bought, in the words of its kind: a
consulting engagement is delivered by consultants, a support plan answers within hours, a
licence is per user. Each kind is one entry of :data:`BLURBS` (the words of a category that say
it, and sentences about it), tried in order on the row's category (or its name); the rest get
sentences any shop writes about what it sells.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from syda.generators.values import AnyArray, Batch, ColumnSpec, ObjArray, map_unique

__all__ = ["BLURBS", "product_description"]

BLURBS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(words, re.IGNORECASE), sentences)
    for words, sentences in (
        (r"consult|professional services|engagement|implementation|integration|audit|"
         r"migration|workshop",
         ("Delivered by a senior consultant, on site or remotely.",
          "Starts with a kick-off call and ends with a written report and recommendations.",
          "Scoped with your team beforehand and billed per engagement.",
          "Includes a project plan, weekly status calls and a final review.")),
        (r"training|courses?\b|certif|onboarding|education",
         ("Instructor-led, with hands-on exercises and a certificate of completion.",
          "Available on site or online, for groups of up to twelve people.",
          "Covers the essentials in short practical sessions.",
          "Course materials and recordings stay available for a year.")),
        (r"support|maintenance|warrant",
         ("Email and phone support with guaranteed response times.",
          "Covers updates, security patches and access to the help desk.",
          "Renews yearly; cancel at any time before the renewal date.",
          "A named support engineer for critical issues.")),
        (r"cloud|hosting|storage|add-?ons?\b|upgrade",
         ("Added to an existing subscription and billed monthly with it.",
          "Provisioned within one business day.",
          "Hosted in our EU and US data centres.",
          "Works with every edition.")),
        (r"licen[cs]e|software|subscription|seats?\b",
         ("Licensed per user, with every update released during the term.",
          "Includes a licence key and access to the customer portal.",
          "Runs in the browser and on Windows, macOS and Linux.",
          "Upgrade to a higher edition at any time; you pay the difference.")),
    )
)  # fmt: skip
"""Words of a category (or product name), in the order they are tried, and what is said."""

_SHOP = (
    "Ships within two business days.",
    "Backed by a one-year warranty.",
    "Free returns within 30 days.",
    "Designed for everyday use.",
    "One of our best sellers.",
    "Available while stocks last.",
)
"""What any shop says of a product no kind names."""


def product_description(b: Batch, spec: ColumnSpec) -> AnyArray:
    """The product named, then one or two sentences about its kind (within the length)."""
    from syda.generators.values_text import description

    names, categories = _named_rows(b)
    if names is None:
        return description(b, spec)
    kinds = map_unique(categories + "\n" + names, _kind)
    first, second = np.empty(b.n, dtype=object), np.empty(b.n, dtype=object)
    for kind in np.unique(kinds.astype(np.int64)):
        rows = np.flatnonzero(kinds == kind)
        sentences = np.asarray(_SHOP if kind < 0 else BLURBS[kind][1], dtype=object)
        size = len(sentences)
        offsets = b.rng.integers(0, size, len(rows))
        first[rows] = sentences[offsets]
        # Another of the kind's sentences: never the first one twice.
        second[rows] = sentences[(offsets + 1 + b.rng.integers(0, size - 1, len(rows))) % size]
    named = names.astype(object) + ". " + first
    out = np.where(b.rng.random(b.n) < 0.6, named + " " + second, named)
    length = spec.column.length
    if length is not None:  # the longest that fits: both sentences, one, or the sentence alone
        for shorter in (named, first):
            too_long = pd.Series(out, dtype=object).str.len().to_numpy() > length
            out = np.where(too_long, shorter, out)
        out = pd.Series(out, dtype=object).str.slice(0, length).str.rstrip().to_numpy(object)
    return out


def _named_rows(b: Batch) -> tuple[ObjArray | None, ObjArray]:
    """Every row's product name and category (its catalogue entry), or None without one."""
    specs = [s for s in b.specs.values() if s.semantic == "product_name"]
    if not specs:
        return None, np.empty(0, dtype=object)
    names, categories = b.catalogue
    given = b.values.get(specs[0].name)
    shown = np.asarray(given, dtype=object) if given is not None else names[b.product]
    filled = pd.Series(shown, dtype=object).fillna("").astype(str).to_numpy(dtype=object)
    return filled, categories[b.product]


def _kind(text: Any) -> int:
    """The entry of :data:`BLURBS` the category (then the name) says; -1 for none."""
    for part in str(text).split("\n"):
        for i, (words, _) in enumerate(BLURBS):
            if words.search(part):
                return i
    return -1
