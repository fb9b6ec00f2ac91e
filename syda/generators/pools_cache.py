"""A disk cache of the vocabularies Faker was asked for, so a new process skips asking again.

Sampling the address and company vocabularies from Faker takes about a second, and every new
process used to pay it before its first table. The samples depend only on the locales, the seed,
the Faker version and syda's own code, so they are kept as JSON files in the user's cache
directory (``$SYDA_CACHE_DIR``, else the platform's: ``$XDG_CACHE_HOME/syda``,
``~/.cache/syda``, ``~/Library/Caches/syda`` or ``%LOCALAPPDATA%/syda/Cache``).

The cache is only ever a shortcut: files are written atomically (a reader sees a whole file or
none), a file that cannot be read, does not parse or was written for another key is ignored and
replaced, and a directory that cannot be written (a read-only home, a locked-down CI runner)
just means nothing is kept. JSON rather than pickle, so a planted file cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["ENV_VAR", "cache_dir", "load", "store"]

ENV_VAR = "SYDA_CACHE_DIR"
_FORMAT = 1
"""Bumped when the layout of the files changes."""
# The files whose code decides what a cached vocabulary holds: any edit makes a new key, so a
# development checkout never reads samples written by older code of the same version.
_SOURCES = ("pools_faker.py", "pools_vocab.py")

logger = logging.getLogger("syda")


def cache_dir() -> Path:
    """Where the vocabularies are kept (not created here)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "syda" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "syda"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "syda"


@lru_cache(maxsize=1)
def _code_stamp() -> str:
    import faker

    from syda import __version__

    digest = hashlib.sha256(f"{_FORMAT}/{__version__}/{faker.VERSION}".encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # installed without sources: the versions alone decide
            digest.update(name.encode())
    return digest.hexdigest()


def _key(vocabulary: str, locales: tuple[str, ...], seed: int) -> dict[str, Any]:
    return {"vocabulary": vocabulary, "locales": list(locales), "seed": seed, "code": _code_stamp()}


def _path(key: dict[str, Any]) -> Path:
    name = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:24]
    return cache_dir() / "pools" / f"{key['vocabulary']}-{name}.json"


def load(vocabulary: str, locales: tuple[str, ...], seed: int) -> dict[str, Any] | None:
    """The cached sample of ``vocabulary``, or None when there is no usable one."""
    key = _key(vocabulary, locales, seed)
    path = _path(key)
    try:
        with path.open(encoding="utf-8") as fh:
            stored = json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # unreadable or not JSON: rebuilt and overwritten
        logger.debug("ignoring the cached vocabulary %s: %s", path, exc)
        return None
    if not isinstance(stored, dict) or stored.get("key") != key:
        logger.debug("ignoring the cached vocabulary %s: written for another key", path)
        return None
    data = stored.get("data")
    return data if isinstance(data, dict) else None


def store(vocabulary: str, locales: tuple[str, ...], seed: int, data: dict[str, Any]) -> None:
    """Keep ``data`` for later processes; failing to write is logged, never raised."""
    key = _key(vocabulary, locales, seed)
    path = _path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"key": key, "data": data}, fh, ensure_ascii=False)
            os.replace(tmp, path)  # atomic: concurrent readers see the old file or the new one
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        logger.debug("not caching the vocabulary %s: %s", vocabulary, exc)
