"""Which provider fills the tables, and with what options: ``ModelConfig`` and its resolution.

The choice is made in one place, in this order: an explicit ``ModelConfig`` (or provider name),
else ``SYDA_PROVIDER`` (with ``SYDA_MODEL`` and ``SYDA_BASE_URL``) from the environment, else the
first API key found in the environment, else the offline provider. The choice is logged.
A provider that is asked for explicitly but has no key is an error naming the variable to set,
never a silent fallback to something else.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from syda.errors import ConfigurationError

__all__ = ["PROVIDERS", "ModelConfig", "ProviderInfo", "require_sdk", "resolve_config"]

logger = logging.getLogger("syda")

ProviderName = Literal["offline", "openai", "anthropic"]


@dataclass(frozen=True)
class ProviderInfo:
    """What syda knows about a provider: its key's variable and its default model."""

    name: str
    key_env: str | None
    default_model: str
    extra: str | None
    """The pip extra that installs its SDK."""


PROVIDERS: Mapping[str, ProviderInfo] = {
    "openai": ProviderInfo("openai", "OPENAI_API_KEY", "gpt-4o-mini", "openai"),
    "anthropic": ProviderInfo(
        "anthropic", "ANTHROPIC_API_KEY", "claude-3-5-haiku-latest", "anthropic"
    ),
    "offline": ProviderInfo("offline", None, "offline", None),
}


@dataclass(frozen=True)
class ModelConfig:
    """Options of the model that writes the rows.

    Args:
        provider: ``"openai"`` (also any OpenAI-compatible server via ``base_url``),
            ``"anthropic"`` or ``"offline"``.
        model_name: The model; each provider has a default.
        temperature: Sampling temperature (None: the provider's default).
        max_tokens: Output-token limit per call; batches are sized to fit in it.
        base_url: Endpoint of an OpenAI-compatible server (Ollama, vLLM, LM Studio) or a proxy.
        api_key: The key. Prefer the environment variable; the key is never logged or shown.
        concurrency: Calls in flight at once, over the whole run (all tables together).
        max_retries: Attempts per batch for transient failures (429, 5xx, timeouts).
        max_reasks: Re-asks for invalid, duplicate or missing rows before giving up.
        timeout: Seconds per call.
        cache_dir: If set, replies are cached on disk, keyed by the full request, so a re-run
            is free and identical.
        prices: Override of the price table, ``{model: (input $/1M tokens, output $/1M tokens)}``.
        tokens_per_row: Override of the estimated output tokens per row (for batch sizing).
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
    timeout: float = 120.0
    cache_dir: str | Path | None = None
    prices: Mapping[str, tuple[float, float]] | None = None
    tokens_per_row: int | None = None

    def __post_init__(self) -> None:
        if self.provider not in PROVIDERS:
            raise ConfigurationError(
                f"unknown provider {self.provider!r}; choose one of {', '.join(sorted(PROVIDERS))}"
            )
        if self.concurrency < 1 or self.max_tokens < 64 or self.max_retries < 1:
            raise ConfigurationError(
                "concurrency and max_retries must be at least 1, max_tokens at least 64"
            )

    @property
    def model(self) -> str:
        """The model name, or the provider's default."""
        return self.model_name or PROVIDERS[self.provider].default_model

    def key(self, env: Mapping[str, str] | None = None) -> str:
        """The API key from the config or the environment.

        Raises:
            ConfigurationError: If the provider needs a key and none is set.
        """
        info = PROVIDERS[self.provider]
        if info.key_env is None:
            return ""
        env = os.environ if env is None else env
        key = self.api_key or env.get(info.key_env)
        if key:
            return key
        if self.base_url:
            # Local OpenAI-compatible servers (Ollama, vLLM) accept any key; the SDK wants one.
            return "unused"
        raise ConfigurationError(
            f"the {self.provider} provider needs an API key: set {info.key_env} "
            f"(or pass ModelConfig(api_key=...)), or use provider='offline'"
        )


def require_sdk(provider: str) -> None:
    """Fail early, with the pip command, when a provider's SDK is not installed.

    Raises:
        ConfigurationError: If the SDK cannot be imported.
    """
    info = PROVIDERS[provider]
    if info.extra and importlib.util.find_spec(info.name) is None:
        raise ConfigurationError(
            f'the {provider} provider needs its SDK: pip install "syda[{info.extra}]"'
        )


def resolve_config(
    config: ModelConfig | str | None, env: Mapping[str, str] | None = None
) -> ModelConfig:
    """Pick the provider: explicit config, else a key in the environment, else offline.

    Raises:
        ConfigurationError: If the explicitly chosen provider has no key.
    """
    env = os.environ if env is None else env
    if isinstance(config, str):
        config = ModelConfig(provider=config)  # type: ignore[arg-type]
    if config is None and env.get("SYDA_PROVIDER"):
        config = ModelConfig(
            provider=env["SYDA_PROVIDER"].strip().lower(),  # type: ignore[arg-type]
            model_name=env.get("SYDA_MODEL") or None,
            base_url=env.get("SYDA_BASE_URL") or None,
        )
    if config is not None:
        config.key(env)  # fail now, with the variable's name, not at the first call
        logger.info("provider: %s (model %s), as configured", config.provider, config.model)
        return config
    for name in ("openai", "anthropic"):
        key_env = PROVIDERS[name].key_env
        if key_env and env.get(key_env):
            chosen = replace(ModelConfig(), provider=name)
            logger.info("provider: %s (model %s), found %s", name, chosen.model, key_env)
            return chosen
    logger.info("provider: offline (no provider configured and no API key in the environment)")
    return ModelConfig(provider="offline")
