"""An on-disk cache of LLM replies, keyed by the full request, so a re-run is free and identical.

The key covers everything that can change a reply (provider, endpoint, model, prompts, schema,
temperature, token limit) and nothing secret. Entries are written to a temporary name and
renamed, so a crash never leaves a torn entry behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from syda.providers.base import LLMRequest, LLMResponse, Usage

__all__ = ["ResponseCache"]


class ResponseCache:
    """Replies stored as small JSON files under ``directory``."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def key(self, endpoint: str, request: LLMRequest) -> str:
        """The hex digest that names a request's entry."""
        payload = json.dumps({"endpoint": endpoint, **asdict(request)}, sort_keys=True, default=str)
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
        path = self._path(self.key(endpoint, request))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump(asdict(response), fh)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
