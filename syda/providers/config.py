"""Which provider fills the tables, and with what options: ``ModelConfig`` and its resolution.

The choice is made in one place, in this order: an explicit ``ModelConfig`` (or provider name),
else ``SYDA_PROVIDER`` (with ``SYDA_MODEL``, ``SYDA_BASE_URL`` and the time limits
``SYDA_TIMEOUT``, ``SYDA_MAX_RETRIES``, ``SYDA_DEADLINE``) from the environment, else the first API
key found in the environment, else the offline provider. The choice is logged.
A provider that is asked for explicitly but has no key is an error naming the variable to set,
never a silent fallback to something else.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from syda.errors import ConfigurationError
from syda.providers.registry import built_in_key_envs, provider_spec

__all__ = [
    "CONNECT_TIMEOUT",
    "LLM_MODES",
    "PROFILE_THRESHOLD",
    "ModelConfig",
    "limits_from_env",
    "require_sdk",
    "resolve_config",
]

logger = logging.getLogger("syda")

ProviderName = str
"""``"offline"`` or a registered provider (:mod:`syda.providers.registry`): ``"openai"``,
``"anthropic"``, ``"azure"``, or one of your own."""
LLMMode = Literal["auto", "profile", "rows"]

LLM_MODES: tuple[str, ...] = ("auto", "profile", "rows")
"""How an LLM fills a table: ``profile`` (it writes the table's profile once, the engine draws
the rows), ``rows`` (it writes every row), or ``auto`` (profile above ``profile_threshold``)."""
PROFILE_THRESHOLD = 500
"""Rows from which ``mode="auto"`` asks the LLM for a table's profile instead of its rows."""

CONNECT_TIMEOUT = 10.0
"""Seconds to open a connection (capped by ``timeout``): a host that is down or unreachable is
told apart from a model still writing long before the reply timeout."""


@dataclass(frozen=True)
class ModelConfig:
    """Options of the model that writes the rows.

    Args:
        provider: ``"openai"`` (also any OpenAI-compatible server via ``base_url``: Ollama,
            vLLM, LM Studio, Gemini's endpoint), ``"anthropic"``, ``"azure"`` (Azure OpenAI:
            ``base_url`` is the resource's endpoint, ``model_name`` the deployment), any
            provider registered with :func:`~syda.providers.registry.register_provider`, or
            ``"offline"``.
        model_name: The model; each provider has a default.
        temperature: Sampling temperature (None: the provider's default).
        max_tokens: Output-token limit per call; batches are sized to fit in it.
        base_url: Endpoint of an OpenAI-compatible server (Ollama, vLLM, LM Studio) or a proxy.
        api_key: The key. Prefer the environment variable; the key is never logged or shown.
        concurrency: Calls in flight at once, over the whole run (all tables together).
        max_retries: Attempts per batch for transient failures (429, 5xx, timeouts, dropped
            connections). A timeout is retried only once the endpoint has answered in this run
            (see ``timeout``).
        max_reasks: Re-asks for invalid, duplicate or missing rows before giving up.
        timeout: Seconds to wait for one reply (and to send a request; connecting gets
            ``min(timeout, 10)``). A server that accepts connections and never answers looks
            exactly like a model still writing until a reply arrives, so the first timeout of a
            run, before the endpoint has answered anything, is final: a dead server costs one
            ``timeout`` (about 50 s with the default), not ``timeout x max_retries`` (it was
            120 s x 6, 8 minutes). 50 s holds a full default batch (at most ~2,900 output tokens,
            usually ~2,200) at 45-60 tokens/s, the pace of the slower hosted models. Once the
            endpoint has answered, a timed-out call is retried like a 5xx. Raise it for slow local
            models (a CPU-bound Ollama writes 5-20 tokens/s).
        deadline: Seconds for all the LLM work of one run (one ``generate_*`` call), or None for
            no limit. When it runs out, calls in flight are cancelled, no new batch or table is
            started, and a ``GenerationError`` says so.
        cache_dir: If set, replies are cached on disk, keyed by the full request, so a re-run
            is free and identical.
        prices: Override of the price table, ``{model: (input $/1M tokens, output $/1M tokens)}``.
        tokens_per_row: Override of the estimated output tokens per row (for batch sizing).
        mode: How the LLM fills a table. ``"profile"``: one call per table (a few for wide
            tables) asks for the table's profile (vocabularies with weights, distributions,
            date ranges, rules); the engine then draws any number of rows locally. ``"rows"``:
            the LLM writes every row (its columns of meaning: ``llm_columns``). ``"auto"``
            (the default): profile mode for tables of at least ``profile_threshold`` rows,
            rows mode below. A mapping chooses per table
            (``{"Order": "rows", "*": "profile"}``; ``"*"`` for the others, default auto).
        profile_threshold: Rows from which ``mode="auto"`` uses profile mode.
        llm_columns: Which columns rows mode asks the LLM for. ``"meaning"`` (the default):
            only free text and the names, titles, categories and descriptions of things; the
            other columns (dates, amounts, people's names, contact details, codes) are drawn
            locally first and given to the LLM as the row's context, or, when built from what
            the LLM wrote (a website from a company name), drawn after it. ``"all"``: every
            column.

    Raises:
        ConfigurationError: If the provider is unknown, a mode is not ``auto``, ``profile``
            or ``rows``, or a limit is out of range (``timeout`` and ``deadline`` must be
            positive, finite seconds; ``max_retries`` a whole number of at least 1).
    """

    provider: ProviderName = "offline"
    model_name: str | None = None
    temperature: float | None = None
    max_tokens: int = 4096
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    concurrency: int = 4
    max_retries: int = 6
    max_reasks: int = 4
    timeout: float = 50.0
    deadline: float | None = None
    cache_dir: str | Path | None = None
    prices: Mapping[str, tuple[float, float]] | None = None
    tokens_per_row: int | None = None
    mode: LLMMode | Mapping[str, LLMMode] = "auto"
    profile_threshold: int = PROFILE_THRESHOLD
    llm_columns: Literal["meaning", "all"] = "meaning"

    def __post_init__(self) -> None:
        if self.provider != "offline":
            provider_spec(self.provider)  # an unknown name is an error naming the known ones
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise ConfigurationError(
                f"max_retries must be a whole number, got {str(self.max_retries)[:40]!r}"
            )
        for name, value, least in (
            ("concurrency", self.concurrency, 1),
            ("max_retries", self.max_retries, 1),
            ("max_tokens", self.max_tokens, 64),
            ("profile_threshold", self.profile_threshold, 1),
        ):
            if value < least:
                raise ConfigurationError(f"{name} must be at least {least}, got {value}")
        _check_seconds("timeout", self.timeout)
        if self.deadline is not None:
            _check_seconds("deadline", self.deadline)
        _check_modes(self.mode)
        if self.llm_columns not in ("meaning", "all"):
            raise ConfigurationError(
                f"llm_columns must be 'meaning' or 'all', got {str(self.llm_columns)[:40]!r}"
            )

    def mode_for(self, table: str, rows: int | None, name: str | None = None) -> str:
        """``"profile"`` or ``"rows"``: how the LLM fills ``table`` (key, or SQL ``name``).

        ``rows`` is the table's planned row count (None: unknown, which ``auto`` reads as
        large enough for profile mode).
        """
        chosen: str
        if isinstance(self.mode, str):
            chosen = self.mode
        else:
            named = self.mode.get(table) or (self.mode.get(name) if name else None)
            chosen = named or self.mode.get("*", "auto")
        if chosen != "auto":
            return chosen
        return "profile" if rows is None or rows >= self.profile_threshold else "rows"

    @property
    def model(self) -> str:
        """The model name, or the provider's default."""
        if self.model_name:
            return self.model_name
        return (
            "offline" if self.provider == "offline" else provider_spec(self.provider).default_model
        )

    def endpoint(self, env: Mapping[str, str] | None = None) -> str:
        """Where the calls go, as ``scheme://host:port``: never a path, query or credentials."""
        if self.provider == "offline":
            return self.provider
        info = provider_spec(self.provider)
        env = os.environ if env is None else env
        url = self.base_url or (env.get(info.url_env) if info.url_env else None) or info.url
        if not url:
            return self.provider
        parts = urlsplit(url)
        host = parts.hostname
        if not host:
            return "an endpoint with no host (check base_url)"
        try:
            port = parts.port
        except ValueError:
            port = None
        scheme = parts.scheme or "http"
        port = port or (443 if scheme == "https" else 80)
        host = f"[{host}]" if ":" in host else host
        return f"{scheme}://{host}:{port}"

    def key(self, env: Mapping[str, str] | None = None) -> str:
        """The API key from the config or the environment.

        Raises:
            ConfigurationError: If the provider needs a key and none is set.
        """
        if self.provider == "offline":
            return ""
        info = provider_spec(self.provider)
        if info.key_env is None:
            return self.api_key or ""
        env = os.environ if env is None else env
        key = self.api_key or env.get(info.key_env)
        if key:
            return key
        if self.base_url and info.keyless_with_base_url:
            # Local OpenAI-compatible servers (Ollama, vLLM) accept any key; the SDK wants one.
            return "unused"
        raise ConfigurationError(info.missing_key)


def _check_seconds(name: str, value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ConfigurationError(
            f"{name} must be a positive, finite number of seconds, got {str(value)[:40]!r}"
        )


def _check_modes(mode: object) -> None:
    modes = mode.values() if isinstance(mode, Mapping) else [mode]
    for value in modes:
        if value not in LLM_MODES:
            raise ConfigurationError(
                f"mode must be one of {', '.join(LLM_MODES)} (or a mapping of table to one), "
                f"got {str(value)[:40]!r}"
            )
    if isinstance(mode, Mapping):
        bad = [k for k in mode if not isinstance(k, str) or not k]
        if bad:
            raise ConfigurationError(f"mode names tables by their key, got {str(bad[0])[:40]!r}")


_ENV_LIMITS: tuple[tuple[str, str, Callable[[str], float]], ...] = (
    ("SYDA_TIMEOUT", "timeout", float),
    ("SYDA_MAX_RETRIES", "max_retries", int),
    ("SYDA_DEADLINE", "deadline", float),
)


def limits_from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The time limits set in the environment, as ``ModelConfig`` keywords (unset ones left out).

    Raises:
        ConfigurationError: If a variable is not a number (its name and value in the message).
    """
    env = os.environ if env is None else env
    found: dict[str, Any] = {}
    for variable, keyword, parse in _ENV_LIMITS:
        text = env.get(variable, "").strip()
        if not text:
            continue
        what = "a whole number of at least 1" if parse is int else "a positive number of seconds"
        try:
            value = parse(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or value < (1 if parse is int else 1e-9):
            raise ConfigurationError(f"{variable} must be {what}, got {text[:40]!r}")
        found[keyword] = value
    return found


def require_sdk(provider: str) -> None:
    """Fail early, with the pip command, when a provider's SDK is not installed.

    Raises:
        ConfigurationError: If the SDK cannot be imported.
    """
    if provider == "offline":
        return
    info = provider_spec(provider)
    if info.sdk and importlib.util.find_spec(info.sdk) is None:
        how = f'pip install "syda[{info.extra}]"' if info.extra else f"pip install {info.sdk}"
        raise ConfigurationError(f"the {provider} provider needs its SDK: {how}")


def resolve_config(
    config: ModelConfig | str | None, env: Mapping[str, str] | None = None
) -> ModelConfig:
    """Pick the provider: explicit config, else a key in the environment, else offline.

    Raises:
        ConfigurationError: If the explicitly chosen provider has no key, or a ``SYDA_*``
            variable is malformed.
    """
    env = os.environ if env is None else env
    if isinstance(config, str):
        config = ModelConfig(provider=config)
    if config is None and env.get("SYDA_PROVIDER"):
        config = ModelConfig(
            provider=env["SYDA_PROVIDER"].strip().lower(),
            model_name=env.get("SYDA_MODEL") or None,
            base_url=env.get("SYDA_BASE_URL") or None,
            **limits_from_env(env),
        )
    if config is not None:
        config.key(env)  # fail now, with the variable's name, not at the first call
        logger.info("provider: %s (model %s), as configured", config.provider, config.model)
        return config
    # Which variables to look for is known without the plugins; the chosen provider's spec
    # (a plugin may replace a built-in) is looked up only once a key is there.
    for name, key_env in built_in_key_envs(("openai", "anthropic")).items():
        if env.get(key_env):
            chosen = replace(ModelConfig(), provider=name)
            logger.info("provider: %s (model %s), found %s", name, chosen.model, key_env)
            return chosen
    logger.info("provider: offline (no provider configured and no API key in the environment)")
    return ModelConfig(provider="offline")
