"""Caches of LLM work: replies on disk, and the table profiles of profile mode.

:class:`ResponseCache` keeps replies keyed by the full request, so a re-run is free and
identical. :class:`ProfileCache` keeps the validated profile an LLM wrote for a table, keyed by
what the profile depends on (provider, endpoint, model, the table's schema and prompt), in memory
for the life of the provider and, with a directory, on disk: the LLM is paid once per schema.
Keys cover nothing secret. Entries are written to a temporary name and renamed, so a crash
never leaves a torn entry behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from syda.providers.base import LLMRequest, LLMResponse, Usage

__all__ = ["ProfileCache", "ResponseCache", "digest"]


def digest(payload: object) -> str:
    """The hex SHA-256 of ``payload`` as canonical JSON (sorted keys)."""
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ProfileCache:
    """Validated table profiles (JSON text) by key, in memory and under ``directory/profiles``."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) / "profiles" if directory is not None else None
        self._memory: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        """The profile stored under ``key``, or None."""
        if key in self._memory:
            return self._memory[key]
        if self.directory is None:
            return None
        try:
            text = (self.directory / key[:2] / f"{key}.json").read_text()
        except OSError:
            return None
        self._memory[key] = text
        return text

    def put(self, key: str, text: str) -> None:
        """Store a profile (atomically on disk)."""
        self._memory[key] = text
        if self.directory is not None:
            _write(self.directory / key[:2] / f"{key}.json", text)


class ResponseCache:
    """Replies stored as small JSON files under ``directory``."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def key(self, endpoint: str, request: LLMRequest) -> str:
        """The hex digest that names a request's entry."""
        fields = asdict(request)
        if fields["kind"] == "rows":
            del fields["kind"]  # the keys of row replies cached before profiles existed hold
        payload = json.dumps({"endpoint": endpoint, **fields}, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, endpoint: str, request: LLMRequest) -> LLMResponse | None:
        """The cached reply, or None."""
        path = self._path(self.key(endpoint, request))
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        return LLMResponse(
            text=data["text"],
            usage=Usage(**data["usage"]),
            truncated=data["truncated"],
            model=data.get("model"),
        )

    def put(self, endpoint: str, request: LLMRequest, response: LLMResponse) -> None:
        """Store a reply (atomically)."""
        _write(self._path(self.key(endpoint, request)), json.dumps(asdict(response)))
