"""OpenAI (and any OpenAI-compatible server): Chat Completions with strict structured outputs.

Only formatting and parsing live here; batching, validation, re-asks and retries are shared.
The module registers the ``openai`` provider (:mod:`syda.providers.registry`); the SDK is
imported when a client is built, so a missing SDK is told as the extra to install.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from syda.providers.base import LLMRequest, LLMResponse, Usage
from syda.providers.registry import ProviderSpec, register_provider

if TYPE_CHECKING:
    import openai

    from syda.providers.config import ModelConfig

__all__ = ["OpenAIClient", "chat_client"]

_NAME = re.compile(r"[^a-zA-Z0-9_-]")


class OpenAIClient:
    """Adapter for ``openai.AsyncOpenAI`` (``response_format`` with a strict ``json_schema``).

    Args:
        api_key: The key (never logged).
        base_url: An OpenAI-compatible endpoint (Ollama, vLLM, LM Studio), or None for OpenAI.
        timeout: Seconds to send a request and to wait for its reply; connecting gets at
            most :data:`~syda.providers.config.CONNECT_TIMEOUT` of them.
    """

    name = "openai"
    key_env = "OPENAI_API_KEY"

    def __init__(
        self,
        *,
        api_key: str = "",
        base_url: str | None = None,
        timeout: float = 50.0,
        client: openai.AsyncOpenAI | None = None,
    ):
        import openai

        from syda.providers.config import CONNECT_TIMEOUT

        # Retries are syda's (one policy for every provider, honouring Retry-After).
        self._client = client or openai.AsyncOpenAI(
            api_key=api_key,
            base_url=base_url,
            timeout=openai.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
            max_retries=0,
        )

    async def complete(self, request: LLMRequest) -> LLMResponse:
        """Send one request and return its reply."""
        options: dict[str, Any] = {}
        if request.temperature is not None:
            options["temperature"] = request.temperature
        response = await self._client.chat.completions.create(
            model=request.model,
            messages=[
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.user},
            ],
            response_format={
                "type": "json_schema",
                "json_schema": {
                    "name": _NAME.sub("_", request.schema_name)[:64] or "rows",
                    "schema": dict(request.json_schema),
                    "strict": True,
                },
            },
            max_completion_tokens=request.max_tokens,
            **options,
        )
        choice = response.choices[0]
        message = choice.message
        text = message.content or ""
        if not text and getattr(message, "refusal", None):
            text = json.dumps({"refusal": message.refusal})
        usage = response.usage
        return LLMResponse(
            text=text,
            usage=Usage(usage.prompt_tokens, usage.completion_tokens) if usage else Usage(),
            truncated=choice.finish_reason == "length",
            model=response.model,
        )

    async def aclose(self) -> None:
        """Release connections."""
        await self._client.close()


def chat_client(config: ModelConfig) -> OpenAIClient:
    """The ``openai`` provider's adapter: OpenAI, or any OpenAI-compatible ``base_url``."""
    return OpenAIClient(api_key=config.key(), base_url=config.base_url, timeout=config.timeout)


register_provider(
    ProviderSpec(
        name="openai",
        key_env="OPENAI_API_KEY",
        default_model="gpt-4o-mini",
        missing_key=(
            "the openai provider needs an API key: set OPENAI_API_KEY (or give it as "
            "ModelConfig's api_key); a local OpenAI-compatible server needs only base_url "
            "(--base-url); or use the offline provider"
        ),
        factory=chat_client,
        sdk="openai",
        extra="openai",
        url="https://api.openai.com/v1",
        url_env="OPENAI_BASE_URL",
        keyless_with_base_url=True,
    )
)
