"""The provider registry: an LLM provider is one file that registers itself here.

A :class:`ProviderSpec` says everything syda needs to know of a provider: its name (what
``ModelConfig(provider=...)`` and ``--provider`` take), the environment variable of its key, one
actionable message for a missing key, its default model, where its SDK calls by default, and a
factory that builds its vendor adapter (:class:`~syda.providers.base.LLMClient`) from a
:class:`~syda.providers.config.ModelConfig`. The built-in providers (``openai``, ``anthropic``,
``azure``) register themselves the same way a third-party one does::

    from syda.providers.registry import ProviderSpec, register_provider

    register_provider(ProviderSpec(
        name="acme",
        key_env="ACME_API_KEY",
        default_model="acme-large",
        missing_key="the acme provider needs an API key: set ACME_API_KEY (console.acme.dev)",
        factory=lambda config: AcmeClient(config),
    ))

A package can ship a provider as a plugin: an entry point in the group ``syda.providers`` names
the module that registers it, and the registry imports it on first use (so ``--provider acme``
works on the command line once the package is installed). ``offline`` is no LLM and is not
registered: it needs no key and no factory.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from syda.errors import ConfigurationError

if TYPE_CHECKING:
    from syda.providers.base import LLMClient
    from syda.providers.config import ModelConfig

__all__ = [
    "PLUGIN_GROUP",
    "ProviderSpec",
    "built_in_key_envs",
    "provider_names",
    "provider_spec",
    "register_provider",
    "unregister_provider",
]

_BUILT_IN = ("syda.providers.openai", "syda.providers.anthropic", "syda.providers.azure")
"""Modules of the built-in providers: imported on first use of the registry. None of them
imports its SDK at import time, so a provider whose SDK is missing is still known by name and
can say which extra to install."""


@dataclass(frozen=True)
class ProviderSpec:
    """One LLM provider, as the registry knows it.

    Attributes:
        name: What ``ModelConfig(provider=...)`` and the CLI's ``--provider`` take.
        key_env: The environment variable of its API key (None: it takes no key).
        default_model: The model used when none is named.
        missing_key: What to tell a user who has no key: which variable to set (and where a
            key comes from); shown as the whole error message.
        factory: Builds the vendor adapter from the config (the key is ``config.key()``).
        sdk: The module its SDK installs (checked before the first call), if any.
        extra: The pip extra of syda that installs the SDK.
        url: The endpoint its SDK calls without a ``base_url`` (for messages).
        url_env: The variable its SDK reads a ``base_url`` from.
        keyless_with_base_url: A ``base_url`` needs no key (a local OpenAI-compatible server).
    """

    name: str
    key_env: str | None
    default_model: str
    missing_key: str
    factory: Callable[[ModelConfig], LLMClient]
    sdk: str | None = None
    extra: str | None = None
    url: str | None = None
    url_env: str | None = None
    keyless_with_base_url: bool = False


logger = logging.getLogger("syda")

PLUGIN_GROUP = "syda.providers"
"""The entry point group of provider plugins: each names a module that registers its provider."""

_REGISTRY: dict[str, ProviderSpec] = {}
_loaded = False
_modules_loaded = False


def register_provider(spec: ProviderSpec) -> ProviderSpec:
    """Make ``spec`` available by its name (registering a name again replaces it).

    Raises:
        ConfigurationError: If the name is empty or ``offline``.
    """
    # The built-ins first: loaded later, they would replace a spec registered under their name.
    _load_built_ins()
    if not spec.name or spec.name != spec.name.strip().lower() or spec.name == "offline":
        raise ConfigurationError(
            f"a provider's name must be lower-case and not 'offline', got {spec.name!r}"
        )
    _REGISTRY[spec.name] = spec
    return spec


def unregister_provider(name: str) -> None:
    """Forget provider ``name`` (a no-op for a name never registered)."""
    _REGISTRY.pop(name, None)


def provider_spec(name: str) -> ProviderSpec:
    """The registered provider ``name``.

    Raises:
        ConfigurationError: If no provider of that name is registered (the known ones named).
    """
    _load_built_ins()
    spec = _REGISTRY.get(name)
    if spec is None:
        known = ", ".join(["offline", *sorted(_REGISTRY)])
        raise ConfigurationError(f"unknown provider {name!r}; choose one of {known}")
    return spec


def provider_names() -> list[str]:
    """Every provider name a config may use, ``offline`` included, sorted."""
    _load_built_ins()
    return sorted(["offline", *_REGISTRY])


def built_in_key_envs(names: tuple[str, ...]) -> dict[str, str]:
    """The key variables of the built-in providers ``names`` (those that take a key).

    Without the plugins: reading every installed package's entry points costs about 0.1 s,
    which a run with no key in the environment (offline) need not pay.
    """
    _load_modules()
    specs = (_REGISTRY.get(name) for name in names)
    return {spec.name: spec.key_env for spec in specs if spec is not None and spec.key_env}


def _load_modules() -> None:
    global _modules_loaded
    if _modules_loaded:
        return
    _modules_loaded = True
    for module in _BUILT_IN:
        importlib.import_module(module)  # each registers itself


def _load_built_ins() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    _load_modules()
    for plugin in entry_points(group=PLUGIN_GROUP):
        try:
            plugin.load()  # the module registers its provider
        except Exception as error:  # a broken plugin must not hide the built-in providers
            logger.warning("provider plugin %s could not be loaded: %s", plugin.name, error)
