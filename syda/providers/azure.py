"""Azure OpenAI: the OpenAI adapter over ``openai.AsyncAzureOpenAI``, registered as ``azure``.

Azure routes a request by its deployment, so ``ModelConfig.model_name`` names the deployment
and ``base_url`` the resource's endpoint (``https://<resource>.openai.azure.com``, or
``AZURE_OPENAI_ENDPOINT``); the API version is ``AZURE_OPENAI_API_VERSION`` (or
``OPENAI_API_VERSION``, the SDK's variable), else :data:`API_VERSION`. The key is
``AZURE_OPENAI_API_KEY``. Formatting and parsing are the OpenAI adapter's (strict structured
outputs), so Azure is held to exactly the same rules.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from syda.errors import ConfigurationError
from syda.providers.openai import OpenAIClient
from syda.providers.registry import ProviderSpec, register_provider

if TYPE_CHECKING:
    from syda.providers.config import ModelConfig

__all__ = ["API_VERSION", "azure_client"]

API_VERSION = "2024-10-21"
"""The Azure OpenAI API version used when none is set (the first GA one with structured
outputs)."""


def azure_client(config: ModelConfig) -> OpenAIClient:
    """The adapter for an Azure OpenAI deployment.

    Raises:
        ConfigurationError: If no endpoint is given (``base_url`` or ``AZURE_OPENAI_ENDPOINT``).
    """
    import openai

    from syda.providers.config import CONNECT_TIMEOUT

    endpoint = config.base_url or os.environ.get("AZURE_OPENAI_ENDPOINT")
    if not endpoint:
        raise ConfigurationError(
            "the azure provider needs its endpoint: give base_url (--base-url) as "
            "https://<resource>.openai.azure.com, or set AZURE_OPENAI_ENDPOINT"
        )
    version = (
        os.environ.get("AZURE_OPENAI_API_VERSION")
        or os.environ.get("OPENAI_API_VERSION")
        or API_VERSION
    )
    client = openai.AsyncAzureOpenAI(
        api_key=config.key(),
        azure_endpoint=endpoint,
        api_version=version,
        timeout=openai.Timeout(config.timeout, connect=min(config.timeout, CONNECT_TIMEOUT)),
        max_retries=0,  # retries are syda's, the same for every provider
    )
    return OpenAIClient(client=client)


register_provider(
    ProviderSpec(
        name="azure",
        key_env="AZURE_OPENAI_API_KEY",
        default_model="gpt-4o-mini",
        missing_key=(
            "the azure provider needs an API key: set AZURE_OPENAI_API_KEY (the key of your "
            "Azure OpenAI resource, in the portal under Keys and Endpoint), or give it as "
            "ModelConfig's api_key; name your deployment with --model"
        ),
        factory=azure_client,
        sdk="openai",
        extra="openai",
        url_env="AZURE_OPENAI_ENDPOINT",
    )
)
