"""The stand-in's two vendors: request checks, replies and errors in each wire format.

``OPENAI`` speaks Chat Completions (the reply is JSON text in ``choices[0].message.content``),
``ANTHROPIC`` speaks Messages (the reply is a forced tool call's ``input``, or JSON text when the
request asks for ``output_config.format``). Ids, ``created`` and request ids derive from the body's
hash and the attempt number, never from the clock, so recordings repeat byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from tests.support.standin_compact import compact_rows, is_compact_schema, prompt_row_schema
from tests.support.standin_profile import (
    PROFILE_FAULTS,
    break_profile,
    is_profile_schema,
    profile_reply,
)
from tests.support.standin_rows import (
    ROW_FAULTS,
    RowSchema,
    break_reply,
    count_from_prompt,
    make_rows,
    row_schema,
)

__all__ = ["ANTHROPIC", "OPENAI", "ApiError", "Reply", "Wire"]

_CREATED = 1_736_899_200  # 2025-01-15T00:00:00Z: ``created`` must not depend on the clock


@dataclass
class Reply:
    """An HTTP reply: status, JSON body and extra headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """A request the vendor would refuse; answered in the vendor's error format."""

    def __init__(self, status: int, kind: str, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.param = status, kind, message, param


# -- shared --------------------------------------------------------------------------------------
def _ids(digest: str, attempt: int) -> str:
    """A stable id fragment for one (body, attempt): retries get ids of their own."""
    return hashlib.sha256(f"{digest}:{attempt}".encode()).hexdigest()


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(b.get("text", "")) for b in content if isinstance(b, Mapping))
    return ""


def _rows_reply(
    name: str, schema: Mapping[str, Any], texts: list[str], digest: str
) -> tuple[RowSchema, dict[str, Any]]:
    """The rows the prompts ask for, drawn from the reply schema, seeded by the body's hash."""
    prompt = next((t for t in reversed(texts) if "Return exactly" in t), "\n".join(texts))
    try:
        rows = row_schema(name, schema, prompt)
    except (ValueError, KeyError, TypeError) as exc:
        raise ApiError(400, "invalid_request_error", f"Invalid schema: {exc}") from exc
    n = count_from_prompt(texts)
    return rows, {"rows": make_rows(rows, n, int(digest[:16], 16))}


def _reply_data(
    name: str, schema: Mapping[str, Any], texts: list[str], digest: str, fault: str | None
) -> dict[str, Any]:
    """The reply's data (rows, or a profile for a profile request), with a row fault applied."""
    if is_profile_schema(schema):
        data = profile_reply(schema, texts, digest)
        if fault in ROW_FAULTS or fault in PROFILE_FAULTS:
            prompt = next((t for t in reversed(texts) if "Columns to profile:" in t), "")
            data = break_profile(fault, data, prompt)
        return data
    if is_compact_schema(schema):
        try:
            compact = prompt_row_schema(name, "\n".join(texts))
        except ValueError as exc:
            raise ApiError(400, "invalid_request_error", f"Invalid request: {exc}") from exc
        made = make_rows(compact, count_from_prompt(texts), int(digest[:16], 16))
        return compact_rows(compact, made, fault, ROW_FAULTS)
    rows, data = _rows_reply(name, schema, texts, digest)
    if fault in ROW_FAULTS:
        data = break_reply(fault, data, rows)
    return data if rows.key == "rows" else {rows.key: data["rows"]}


def _fit(text: str, max_tokens: int | None, fault: str | None) -> tuple[str, bool]:
    """The reply text cut to the token limit (4 characters a token), and whether it was cut."""
    limit = max_tokens if max_tokens is not None else 1 << 30
    if fault == "truncated":
        limit = min(limit, max(1, len(text) // 8))
    if len(text) // 4 <= limit:
        return text, False
    return text[: limit * 4], True


def _input_tokens(body: Mapping[str, Any], texts: list[str]) -> int:
    """Input tokens as vendors bill them: the prompts and the reply schema or tool definitions."""
    chars = sum(len(t) for t in texts)
    for name in ("response_format", "tools", "output_config"):
        if body.get(name):
            chars += len(json.dumps(body[name], ensure_ascii=False))
    return chars // 4


def _malformed(text: str) -> str:
    """Broken JSON the way models break it: a trailing comma and a missing bracket."""
    return text[:-2] + ",\n"


class Wire(Protocol):
    """One vendor's side: request checks, replies and errors in its wire format."""

    def check(self, headers: Mapping[str, str], body: Any) -> None: ...

    def reply(
        self, body: Any, digest: str, attempt: int, fault: str | None, retry_after: str
    ) -> Reply: ...

    def error(self, exc: ApiError, digest: str) -> Reply: ...


class _OpenAIWire:
    def check(self, headers: Mapping[str, str], body: Any) -> None:
        if not headers.get("authorization", "").startswith("Bearer "):
            raise ApiError(
                401,
                "invalid_request_error",
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            )
        if not isinstance(body, Mapping):
            raise ApiError(400, "invalid_request_error", "We could not parse the JSON body.")
        for name in ("model", "messages"):
            if not body.get(name):
                raise ApiError(
                    400, "invalid_request_error", f"Missing required parameter: '{name}'.", name
                )
        fmt = body.get("response_format") or {}
        if fmt.get("type") != "json_schema":
            return
        spec = fmt.get("json_schema") or {}
        if not spec.get("name") or not isinstance(spec.get("schema"), Mapping):
            raise ApiError(
                400,
                "invalid_request_error",
                "Missing required parameter: 'response_format.json_schema.name'.",
                "response_format",
            )
        if spec.get("strict"):
            problem = _strict_problem(spec["schema"], ())
            if problem:
                raise ApiError(
                    400,
                    "invalid_request_error",
                    f"Invalid schema for response_format '{spec['name']}': {problem}",
                    "response_format",
                )

    def reply(
        self, body: Any, digest: str, attempt: int, fault: str | None, retry_after: str
    ) -> Reply:
        headers = {
            "x-request-id": f"req_{_ids(digest, attempt)[:32]}",
            "openai-version": "2020-10-01",
        }
        if fault == "rate_limit":
            model = body.get("model")
            return Reply(
                429,
                {
                    "error": {
                        "message": f"Rate limit reached for {model} on tokens per min (TPM): "
                        f"Limit 200000, Used 199000, Requested 4000. Please try again in "
                        f"{retry_after}s.",
                        "type": "tokens",
                        "param": None,
                        "code": "rate_limit_exceeded",
                    }
                },
                {**headers, "retry-after": retry_after},
            )
        if fault == "server_error":
            message = "The server had an error while processing your request. Sorry about that!"
            return Reply(500, _openai_error("server_error", message), headers)
        if fault == "overloaded":
            message = "The engine is currently overloaded, please try again later."
            return Reply(503, _openai_error("server_error", message), headers)
        messages = body["messages"]
        texts = [_text_of(m.get("content")) for m in messages if isinstance(m, Mapping)]
        spec = (body.get("response_format") or {}).get("json_schema") or {}
        tool = _forced_function(body)
        if tool is not None and not spec:
            # A forced function call (pydantic-ai's ``final_result``, as syda 0.3.0 sends it).
            spec = {"name": tool.get("name", "rows"), "schema": tool.get("parameters") or {}}
        data = _reply_data(spec.get("name", "rows"), spec.get("schema") or {}, texts, digest, fault)
        text = json.dumps(data, ensure_ascii=False)
        if fault == "malformed_json":
            text = _malformed(text)
        limit = body.get("max_completion_tokens", body.get("max_tokens"))
        text, cut = _fit(text, limit, fault)
        prompt_tokens = _input_tokens(body, texts)
        completion_tokens = len(text) // 4
        ident = _ids(digest, attempt)
        message: dict[str, Any] = {
            "role": "assistant",
            "content": text,
            "refusal": None,
            "annotations": [],
        }
        if tool is not None and not (body.get("response_format") or {}).get("json_schema"):
            call = {"name": spec["name"], "arguments": text}
            message = {**message, "content": None}
            message["tool_calls"] = [
                {"id": f"call_{ident[:24]}", "type": "function", "function": call}
            ]
        finish = "tool_calls" if "tool_calls" in message else "stop"
        return Reply(
            200,
            {
                "id": f"chatcmpl-{ident[:29]}",
                "object": "chat.completion",
                "created": _CREATED + int(ident[:6], 16) % 86_400,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": message,
                        "logprobs": None,
                        "finish_reason": "length" if cut else finish,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                    "completion_tokens_details": {
                        "reasoning_tokens": 0,
                        "audio_tokens": 0,
                        "accepted_prediction_tokens": 0,
                        "rejected_prediction_tokens": 0,
                    },
                },
                "service_tier": "default",
                "system_fingerprint": "fp_standin01",
            },
            headers,
        )

    def error(self, exc: ApiError, digest: str) -> Reply:
        body = _openai_error(exc.kind, exc.message, exc.param)
        return Reply(exc.status, body, {"x-request-id": f"req_{digest[:32]}"})


def _forced_function(body: Mapping[str, Any]) -> dict[str, Any] | None:
    """The function a request forces (``tool_choice`` required or named), if any."""
    choice = body.get("tool_choice")
    functions = [t.get("function") or {} for t in body.get("tools") or [] if isinstance(t, Mapping)]
    if not functions or choice in (None, "none", "auto"):
        return None
    if isinstance(choice, Mapping):
        name = (choice.get("function") or {}).get("name")
        return next((f for f in functions if f.get("name") == name), None)
    return functions[0]


def _openai_error(kind: str, message: str, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": None}}


def _strict_problem(node: Any, where: tuple[str, ...]) -> str | None:
    """The first rule of OpenAI's strict structured outputs that ``node`` breaks, if any."""
    if not isinstance(node, Mapping):
        return None
    if node.get("type") == "object" or "properties" in node:
        if node.get("additionalProperties") is not False:
            return (
                f"In context={where}, 'additionalProperties' is required to be supplied "
                "and to be false."
            )
        props = node.get("properties") or {}
        missing = [key for key in props if key not in (node.get("required") or [])]
        if missing:
            return (
                f"In context={where}, 'required' is required to be supplied and to be an "
                f"array including every key in properties. Missing '{missing[0]}'."
            )
    for key, child in node.items():
        children = child.values() if key in ("properties", "$defs", "definitions") else [child]
        if key in ("anyOf", "allOf", "oneOf") and isinstance(child, list):
            children = child
        for sub in children if isinstance(children, Iterable) else ():
            if isinstance(sub, Mapping):
                problem = _strict_problem(sub, (*where, key))
                if problem:
                    return problem
    return None


class _AnthropicWire:
    def check(self, headers: Mapping[str, str], body: Any) -> None:
        if not headers.get("x-api-key") and not headers.get("authorization"):
            raise ApiError(401, "authentication_error", "x-api-key header is required")
        if not headers.get("anthropic-version"):
            raise ApiError(400, "invalid_request_error", "anthropic-version: header is required")
        if not isinstance(body, Mapping):
            raise ApiError(400, "invalid_request_error", "Request body is not valid JSON")
        for name in ("model", "max_tokens", "messages"):
            if name not in body:
                raise ApiError(400, "invalid_request_error", f"{name}: Field required")
        choice = body.get("tool_choice") or {}
        tools = {t.get("name"): t for t in body.get("tools") or [] if isinstance(t, Mapping)}
        if choice.get("type") == "tool" and choice.get("name") not in tools:
            raise ApiError(
                400,
                "invalid_request_error",
                f"tool_choice: tool '{choice.get('name')}' not found in tools",
            )

    def reply(
        self, body: Any, digest: str, attempt: int, fault: str | None, retry_after: str
    ) -> Reply:
        ident = _ids(digest, attempt)
        headers = {"request-id": f"req_01{_b62(ident[:40])[:22]}"}
        if fault == "rate_limit":
            message = (
                "This request would exceed the rate limit for your organization of 400,000 "
                "input tokens per minute. Please try again later."
            )
            return Reply(
                429,
                _anthropic_error("rate_limit_error", message, headers["request-id"]),
                {**headers, "retry-after": retry_after},
            )
        if fault == "server_error":
            error = _anthropic_error("api_error", "Internal server error", headers["request-id"])
            return Reply(500, error, headers)
        if fault == "overloaded":
            error = _anthropic_error("overloaded_error", "Overloaded", headers["request-id"])
            return Reply(529, error, headers)
        texts = [_text_of(body.get("system"))]
        texts += [_text_of(m.get("content")) for m in body["messages"] if isinstance(m, Mapping)]
        choice = body.get("tool_choice") or {}
        tool = next(
            (t for t in body.get("tools") or [] if t.get("name") == choice.get("name")), None
        )
        output = (body.get("output_config") or {}).get("format") or {}
        if tool is not None:
            schema = tool.get("input_schema") or {}
            name = str(schema.get("title") or tool["name"])
        elif output.get("type") == "json_schema":
            schema = output.get("schema") or {}
            name = str(schema.get("title") or "rows")
        else:
            raise ApiError(
                400,
                "invalid_request_error",
                "the stand-in only answers forced tool calls or output_config.format",
            )
        data = _reply_data(name, schema, texts, digest, fault)
        text = json.dumps(data, ensure_ascii=False)
        first = next(iter(data), "rows")  # "rows", or "columns" for a profile
        if fault == "malformed_json" and tool is not None:
            # A tool's input is always an object; models break it by writing the array as a
            # string, often an unparseable one.
            data = {first: _malformed(json.dumps(data[first], ensure_ascii=False))}
            text = json.dumps(data, ensure_ascii=False)
        elif fault == "malformed_json":
            text = _malformed(text)
        cut_text, cut = _fit(text, body.get("max_tokens"), fault)
        if tool is not None:
            if cut:
                # The API hands back what it could parse of a cut-off tool call: the rows that
                # were complete when the token limit hit.
                data = {first: _complete_rows(cut_text)}
            content: list[dict[str, Any]] = [
                {
                    "type": "tool_use",
                    "id": f"toolu_01{_b62(ident[20:60])[:22]}",
                    "name": tool["name"],
                    "input": data,
                }
            ]
            stop = "tool_use"
        else:
            content = [{"type": "text", "text": cut_text}]
            stop = "end_turn"
        return Reply(
            200,
            {
                "id": f"msg_01{_b62(ident[:40])[:22]}",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": content,
                "stop_reason": "max_tokens" if cut else stop,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": _input_tokens(body, texts),
                    "cache_creation_input_tokens": 0,
                    "cache_read_input_tokens": 0,
                    "output_tokens": len(cut_text) // 4,
                    "service_tier": "standard",
                },
            },
            headers,
        )

    def error(self, exc: ApiError, digest: str) -> Reply:
        request_id = f"req_01{_b62(digest[:40])[:22]}"
        body = _anthropic_error(exc.kind, exc.message, request_id)
        return Reply(exc.status, body, {"request-id": request_id})


def _anthropic_error(kind: str, message: str, request_id: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}, "request_id": request_id}


def _complete_rows(text: str) -> list[Any]:
    """The rows of a cut-off ``{"rows": [...`` text that were complete before the cut."""
    decoder = json.JSONDecoder()
    start = text.find("[")
    rows: list[Any] = []
    pos = start + 1 if start >= 0 else len(text)
    while pos < len(text):
        while pos < len(text) and text[pos] in " ,\n\t":
            pos += 1
        try:
            row, pos = decoder.raw_decode(text, pos)
        except ValueError:
            break
        rows.append(row)
    return rows


_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _b62(hexdigits: str) -> str:
    number, out = int(hexdigits, 16), []
    while number:
        number, rest = divmod(number, 62)
        out.append(_B62[rest])
    return "".join(out) or "0"


OPENAI: Wire = _OpenAIWire()
ANTHROPIC: Wire = _AnthropicWire()
