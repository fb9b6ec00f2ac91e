"""Enumerations of allowed values read out of a column comment ("Active, Inactive, Prospect")."""

from __future__ import annotations

import re

__all__ = ["comment_choices"]

_CHOICE_LEAD = re.compile(
    r"^(?:.*?:\s*|.*?\b(?:one of|either|values?|options?|can be|may be|e\.g\.|i\.e\.)\s*:?\s*)",
    re.IGNORECASE,
)
_CHOICE_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-' ]{0,29}$")


def comment_choices(comment: str | None) -> tuple[str, ...] | None:
    """Read an enumeration of allowed values out of a column comment.

    Recognises lists of 2 to 12 short tokens separated by commas, slashes or pipes (the last one
    may be joined by "or"/"and"), optionally after a lead-in such as ``"Status:"`` or ``"one of"``
    or inside parentheses: ``"Active, Inactive, Prospect"``, ``"Order status (new/paid/void)"``.
    Without a lead-in every token must start with a capital letter or a digit, so ordinary prose
    ("the name, used for billing") is not mistaken for a list.

    Args:
        comment: The column comment, or None.

    Returns:
        The tokens in the order written, or None when the comment is not such a list.
    """
    if not comment:
        return None
    text = comment.strip().rstrip(".")
    marked = False
    paren = re.search(r"\(([^()]*[,/|][^()]*)\)", text)
    if paren:
        text, marked = paren.group(1), True
    else:
        lead = _CHOICE_LEAD.match(text)
        if lead and lead.end() > 0 and re.search(r"[,/|]", text[lead.end() :]):
            text, marked = text[lead.end() :], True
    parts = re.split(r"\s*[,/|;]\s*|\s+or\s+", text)
    if len(parts) >= 2:
        last = re.split(r"\s+(?:or|and)\s+", parts[-1])
        parts = parts[:-1] + last
    tokens = [p.strip().strip("'\"`").strip() for p in parts]
    tokens = [re.sub(r"^(?:or|and)\s+", "", t) for t in tokens if t]
    if not 2 <= len(tokens) <= 12 or len(set(tokens)) != len(tokens):
        return None
    for token in tokens:
        if not _CHOICE_TOKEN.match(token) or len(token.split()) > 3:
            return None
        if not marked and not (token[0].isupper() or token[0].isdigit()):
            return None
    return tuple(tokens)
