"""The file formats syda writes and reads, by name (also the file suffixes).

Kept apart from :mod:`syda.sinks` so that the command line can list them in ``--help``
without importing pandas.
"""

from __future__ import annotations

__all__ = ["SUPPORTED_FORMATS"]

SUPPORTED_FORMATS = ("csv", "json", "parquet")
"""The file formats the sinks write, by name (also the file suffixes)."""
