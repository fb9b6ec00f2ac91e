"""A database URL given where SOURCE goes: ``syda profile sqlite:///app.db`` means ``--db``.

Kept free of heavy imports: it runs on every command line, before the command's modules load.
"""

from __future__ import annotations

import argparse
import re

__all__ = ["is_database_url", "read_database_source"]

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
"""``dialect[+driver]://``: what starts a SQLAlchemy URL, and no path or module name."""


def is_database_url(text: str) -> bool:
    """Whether ``text`` is written like a database URL (``sqlite:///x.db``, ``postgres://...``)."""
    return _URL.match(text) is not None


def read_database_source(args: argparse.Namespace) -> str | None:
    """Move a SOURCE that is a database URL to ``--db`` when ``--db`` is not given.

    With ``--db`` as well, SOURCE stays: that database's tables are the schema (reflected),
    and ``--db`` is the other one (the target, or the rows to check).

    Returns:
        The problem, for a usage error, when a command that needs ``--db`` has none.
    """
    source = getattr(args, "source", None)
    if source is not None and is_database_url(source) and getattr(args, "db", None) is None:
        args.db, args.source = source, None
    if getattr(args, "needs_db", False) and args.db is None:
        return "the following arguments are required: --db URL (or the URL as SOURCE)"
    return None
