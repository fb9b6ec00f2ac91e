"""Defaults of the database functions that the command line shows in ``--help``.

A module without imports, so that ``syda --help`` does not import SQLAlchemy.
"""

from __future__ import annotations

__all__ = ["DEFAULT_LOCK_TIMEOUT"]

DEFAULT_LOCK_TIMEOUT = 300.0
"""Seconds a seeder waits for another one by default: long enough for a large or LLM seed."""
