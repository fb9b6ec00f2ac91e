"""Anthropic: the Messages API with a forced tool call whose ``input_schema`` is the reply schema.

A forced tool call makes the model answer with arguments that follow the schema, which is the
most robust structured-output path across Claude models. Only formatting and parsing live here.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic

from syda.providers.base import LLMRequest, LLMResponse, Usage
from syda.providers.config import CONNECT_TIMEOUT

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
        self._client = anthropic.AsyncAnthropic(
            api_key=api_key,
            base_url=base_url,
            timeout=anthropic.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
            max_retries=0,
        )

    async def complete(self, request: LLMRequest) -> LLMResponse:
        """Send one request and return its reply (the tool call's input as JSON text)."""
        options: dict[str, Any] = {}
        if request.temperature is not None:
            options["temperature"] = request.temperature
        tool, about = _TOOLS.get(request.kind, _TOOLS["rows"])
        response = await self._client.messages.create(
            model=request.model,
            max_tokens=request.max_tokens,
            system=_system(request),
            messages=[{"role": "user", "content": request.user}],
            tools=[
                {
                    "name": tool,
                    "description": about.format(request.schema_name),
                    "input_schema": dict(request.json_schema),
                }
            ],
            tool_choice={"type": "tool", "name": tool},
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


def _system(request: LLMRequest) -> Any:
    """The system prompt, marked as a cacheable prefix.

    A profile's system prompt is the long, fixed vocabulary; a rows request's is the rules and
    the table, shared by all of the table's batches (:func:`syda.prompts.compile_prompt`), so
    every batch after the first reads it (and the tool's schema before it) from the cache.
    """
    return [{"type": "text", "text": request.system, "cache_control": {"type": "ephemeral"}}]
