"""Masking: the one place that takes passwords out of text shown to a person or a log.

A database URL's password can reach a message in many shapes: in the URL itself, in a driver
error that echoes part of it (``failed to resolve host 'Secret123@127.0.0.1'`` when a raw ``@``
in the password made the rest of it look like the host), in a query option (``?password=``,
``?sslpassword=``) or in a libpq-style ``password=...`` of a connection string. :func:`redact`
masks, in any text:

* the user information of every URL, from ``://user:`` to the *last* ``@`` before the host, so
  a password holding a raw ``@``, ``:`` or ``/`` is masked whole;
* the value of every ``name=value`` whose name ends in a secret's word (``password``,
  ``sslpassword``, ``passwd``, ``pwd``, ``secret``, ``token``, ``api_key``, ...), in a query
  string or a connection string;
* every secret known from the URLs it is given (the password as SQLAlchemy reads it, the text
  between ``://user:`` and the last ``@``, each of its ``@``-separated parts, their percent-
  encoded and decoded forms, and secret query values), wherever it appears. Parts shorter than
  four characters are left: replacing them everywhere would garble a message while hiding
  almost nothing.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote, unquote_plus

import sqlalchemy as sa
from sqlalchemy import exc

__all__ = ["MASK", "redact", "remember_secrets", "url_secrets"]

MASK = "***"
"""What a secret is replaced with."""

_MIN_SECRET = 4
_USERINFO = re.compile(r"(?P<head>\b[A-Za-z][\w+.-]*://[^\s:/@]*:)(?P<secret>\S*)@")
# A name that ends in a secret's word: ``password``, ``sslpassword``, ``client_secret``, but
# neither ``pass_rate`` nor ``token_count`` (CHECK texts in messages hold such names).
_SECRET_NAME = (
    r"[\w.-]*?(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key"
    r"|credentials?)(?![\w-])"
)
_KEYWORD = re.compile(
    rf"(?i)(?P<name>\b{_SECRET_NAME})(?P<eq>\s*=\s*)"
    r"(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s&;,'\"()\[\]{}]+)"
)
_SECRET_KEY = re.compile(rf"(?i){_SECRET_NAME}")

Target = str | sa.URL | sa.Engine | None

_KNOWN: weakref.WeakKeyDictionary[sa.Engine, frozenset[str]] = weakref.WeakKeyDictionary()
"""Secrets of the URL text an engine was made from (its parsed URL may have lost some)."""


def remember_secrets(engine: sa.Engine, raw: str | sa.URL) -> None:
    """Keep the secrets of ``raw`` (the URL text ``engine`` was made from) for :func:`redact`."""
    _KNOWN[engine] = frozenset(url_secrets(raw))


def url_secrets(target: Target) -> set[str]:
    """Every text of ``target``'s URL that must not be shown (see the module docstring)."""
    if target is None:
        return set()
    if isinstance(target, sa.Engine):
        return url_secrets(target.url) | _KNOWN.get(target, frozenset())
    found: set[str] = set()
    raw = target if isinstance(target, str) else target.render_as_string(hide_password=False)
    if m := _USERINFO.search(raw):
        found |= _split_variants(m.group("secret"))
    # A secret option as written: with a raw ``@`` in it, SQLAlchemy reads the rest as the host
    # (and no query at all), so the parsed URL below would not know it.
    for m in _KEYWORD.finditer(raw):
        found |= _split_variants(m.group("value").strip("'\""))
    try:
        url = target if isinstance(target, sa.URL) else sa.make_url(target)
    except (exc.ArgumentError, ValueError):
        url = None
    if url is not None:
        if url.password is not None:
            found |= _variants(str(url.password))
        for name, value in url.query.items():
            if _SECRET_KEY.fullmatch(name):
                for one in (value,) if isinstance(value, str) else value:
                    found |= _variants(one)
    return {s for s in found if len(s) >= _MIN_SECRET and s != MASK}


def _split_variants(segment: str) -> set[str]:
    # The whole text and each ``@``-separated part: a driver may show any of them as a host.
    return _variants(segment) | {v for part in segment.split("@") for v in _variants(part)}


def _variants(text: str) -> set[str]:
    # Drivers and SQLAlchemy show a value decoded or encoded; the user wrote either.
    return {text, unquote(text), unquote_plus(text), quote(text, safe=""), quote_plus(text)}


def redact(text: str, *targets: Target) -> str:
    """``text`` with every password and secret option masked (see the module docstring).

    Args:
        text: Any text bound for a message, an exception or a log.
        targets: The URLs (or engines) the text may be about; their known secrets are masked
            wherever they appear, not only inside a URL.
    """
    secrets: set[str] = set()
    for target in targets:
        secrets |= url_secrets(target)
    return _mask_shapes(_mask_known(text, secrets))


def _mask_known(text: str, secrets: Iterable[str]) -> str:
    # Longest first, so a part is never replaced inside a longer secret left half-shown.
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def _mask_shapes(text: str) -> str:
    text = _USERINFO.sub(lambda m: f"{m.group('head')}{MASK}@", text)
    return _KEYWORD.sub(lambda m: f"{m.group('name')}{m.group('eq')}{MASK}", text)
