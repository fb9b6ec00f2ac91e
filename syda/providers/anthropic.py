"""Anthropic: the Messages API with native JSON-schema output, else a forced tool call.

Where the installed SDK has structured outputs (``output_config={"format": {"type":
"json_schema", ...}}``; checked on the SDK itself), the reply schema is sent as the output format
(through the SDK's ``transform_schema``, which moves the constraints the API does not enforce
into descriptions: syda's row model checks them anyway) and the reply is JSON text. With an
older SDK the schema is a forced tool call's ``input_schema``, which makes the model answer with
arguments that follow it. Only formatting and parsing live here.
The module registers the ``anthropic`` provider (:mod:`syda.providers.registry`); the SDK is
imported when a client is built.
"""

from __future__ import annotations

import inspect
import json
from typing import TYPE_CHECKING, Any

from syda.providers.base import LLMRequest, LLMResponse, Usage
from syda.providers.registry import ProviderSpec, register_provider

if TYPE_CHECKING:
    from syda.providers.config import ModelConfig

__all__ = ["AnthropicClient"]

TOOL = "write_rows"
PROFILE_TOOL = "write_profile"
_TOOLS = {
    "rows": (TOOL, "Write the rows of table {}."),
    "profile": (PROFILE_TOOL, "Write the profile of table {}: how its columns' values are drawn."),
}


class AnthropicClient:
    """Adapter for ``anthropic.AsyncAnthropic``.

    Args:
        api_key: The key (never logged).
        base_url: Another endpoint (a proxy or a stand-in server), or None for Anthropic.
        timeout: Seconds to send a request and to wait for its reply; connecting gets at
            most :data:`~syda.providers.config.CONNECT_TIMEOUT` of them.
    """

    name = "anthropic"
    key_env = "ANTHROPIC_API_KEY"

    def __init__(self, *, api_key: str, base_url: str | None = None, timeout: float = 50.0):
        import anthropic

        from syda.providers.config import CONNECT_TIMEOUT

        self._client = anthropic.AsyncAnthropic(
            api_key=api_key,
            base_url=base_url,
            timeout=anthropic.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
            max_retries=0,
        )
        self._native = native_json_output()

    async def complete(self, request: LLMRequest) -> LLMResponse:
        """Send one request and return its reply (JSON text, or the tool call's input as JSON)."""
        options: dict[str, Any] = {}
        if request.temperature is not None:
            options["temperature"] = request.temperature
        if self._native:
            import anthropic

            schema = anthropic.transform_schema(dict(request.json_schema))
            options["output_config"] = {"format": {"type": "json_schema", "schema": schema}}
        else:
            tool, about = _TOOLS.get(request.kind, _TOOLS["rows"])
            options["tools"] = [
                {
                    "name": tool,
                    "description": about.format(request.schema_name),
                    "input_schema": dict(request.json_schema),
                }
            ]
            options["tool_choice"] = {"type": "tool", "name": tool}
        response = await self._client.messages.create(
            model=request.model,
            max_tokens=request.max_tokens,
            system=_system(request),
            messages=[{"role": "user", "content": request.user}],
            **options,
        )
        text = ""
        for block in response.content:
            if getattr(block, "type", None) == "tool_use":
                text = json.dumps(block.input)
                break
            if getattr(block, "type", None) == "text":
                text = block.text
        usage = response.usage
        return LLMResponse(
            text=text,
            usage=Usage(usage.input_tokens, usage.output_tokens),
            truncated=response.stop_reason == "max_tokens",
            model=response.model,
        )

    async def aclose(self) -> None:
        """Release connections."""
        await self._client.close()


def native_json_output() -> bool:
    """Whether the installed SDK sends native JSON-schema output (``output_config.format``)."""
    import anthropic
    from anthropic.resources.messages import AsyncMessages

    takes = inspect.signature(AsyncMessages.create).parameters
    return "output_config" in takes and hasattr(anthropic, "transform_schema")


def _system(request: LLMRequest) -> Any:
    """The system prompt, marked as a cacheable prefix.

    A profile's system prompt is the long, fixed vocabulary; a rows request's is the rules and
    the table, shared by all of the table's batches (:func:`syda.prompts.compile_prompt`), so
    every batch after the first reads it (and the tool's schema before it) from the cache.
    """
    return [{"type": "text", "text": request.system, "cache_control": {"type": "ephemeral"}}]


def _client(config: ModelConfig) -> AnthropicClient:
    return AnthropicClient(api_key=config.key(), base_url=config.base_url, timeout=config.timeout)


register_provider(
    ProviderSpec(
        name="anthropic",
        key_env="ANTHROPIC_API_KEY",
        default_model="claude-3-5-haiku-latest",
        missing_key=(
            "the anthropic provider needs an API key: set ANTHROPIC_API_KEY (or give it as "
            "ModelConfig's api_key), or use the offline provider"
        ),
        factory=_client,
        sdk="anthropic",
        extra="anthropic",
        url="https://api.anthropic.com",
        url_env="ANTHROPIC_BASE_URL",
        keyless_with_base_url=True,
    )
)
