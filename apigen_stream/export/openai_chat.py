"""OpenAI fine-tuning chat JSONL for function calling: one training example per line.

``{"messages": [system?, user, assistant], "tools": [...], "parallel_tool_calls"?}``: the
assistant turn carries ``tool_calls`` (``{"id", "type": "function", "function": {"name",
"arguments"}}`` with ``arguments`` a JSON string), or, for an irrelevance sample, a plain
``content`` answer and no call. ``tools`` are OpenAI tool definitions (JSON Schema parameters).
OpenAI rejects training lines with keys it does not know, so the sample id is not written: a
reader numbers the lines instead (the export keeps the samples' order).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from apigen_stream.errors import DatasetError
from apigen_stream.export.common import NO_CALL_ANSWER, calls_of, dumps, infer_style
from apigen_stream.library.convert import tool_from_openai, tool_to_openai
from apigen_stream.records import Sample, Tool

NAME = "openai"
# OpenAI's example system prompt style: short, and the same on every line.
SYSTEM_PROMPT = "You are a helpful assistant with access to functions. Call them when they help."


# OpenAI accepts function names of this shape only; BFCL's dotted names (``math.factorial``) and
# over-long ones are renamed, the same way in ``tools`` and in ``tool_calls``.
_NAME_OK = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_NAME_BAD_CHARS = re.compile(r"[^a-zA-Z0-9_-]")


def openai_name(name: str) -> str:
    """``name`` as OpenAI accepts it: other characters become ``_``, cut to 64."""
    if _NAME_OK.match(name):
        return name
    return (_NAME_BAD_CHARS.sub("_", name) or "function")[:64]


def _tool_call(index: int, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"call_{index}",
        "type": "function",
        "function": {"name": openai_name(name), "arguments": dumps(arguments)},
    }


def _tool(tool: Tool) -> dict[str, Any]:
    row = tool_to_openai(tool)
    row["function"]["name"] = openai_name(tool.name)
    return row


def to_row(sample: Sample, *, system: str = SYSTEM_PROMPT) -> dict[str, Any]:
    """One fine-tuning example of ``sample``."""
    messages: list[dict[str, Any]] = []
    if system:
        messages.append({"role": "system", "content": system})
    messages.append({"role": "user", "content": sample.query})
    if sample.calls:
        calls = [_tool_call(i, c.name, c.arguments) for i, c in enumerate(sample.calls)]
        messages.append({"role": "assistant", "tool_calls": calls})
    else:
        messages.append({"role": "assistant", "content": NO_CALL_ANSWER})
    row: dict[str, Any] = {"messages": messages, "tools": [_tool(t) for t in sample.tools]}
    if len(sample.calls) > 1:
        # The trainer must see that several calls in one turn are intended.
        row["parallel_tool_calls"] = True
    return row


def tools_of(value: Any, row_id: str) -> list[Tool]:
    """The ``tools`` of a fine-tuning example as ``Tool``s."""
    tools_raw = value or []
    if not isinstance(tools_raw, list):
        raise DatasetError(f"row {row_id}: tools are not a list")
    return [tool_from_openai(t) for t in tools_raw if isinstance(t, dict)]


def _raw_calls(assistant: dict[str, Any], row_id: str) -> list[Any]:
    tool_calls = assistant.get("tool_calls") or []
    if not isinstance(tool_calls, list):
        kind = type(tool_calls).__name__
        raise DatasetError(f"row {row_id}: tool_calls is a {kind}, not a list")
    functions = []
    for i, call in enumerate(tool_calls):
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict):
            raise DatasetError(f"row {row_id}: tool call {i} has no function object")
        functions.append(function)
    return functions


def from_row(
    row: dict[str, Any], row_id: str, read_tools: Callable[[Any, str], list[Tool]] = tools_of
) -> Sample:
    """The sample one fine-tuning example holds (the id comes from the caller: OpenAI's
    format has no id field). ``read_tools`` reads ``tools`` (a reader of many rows caches)."""
    messages = row.get("messages")
    if not isinstance(messages, list):
        raise DatasetError(f"row {row_id}: no messages")
    user = next((m for m in messages if isinstance(m, dict) and m.get("role") == "user"), None)
    if user is None or not isinstance(user.get("content"), str):
        raise DatasetError(f"row {row_id}: no user message")
    assistant = next(
        (m for m in messages if isinstance(m, dict) and m.get("role") == "assistant"), {}
    )
    calls = calls_of(_raw_calls(assistant, row_id), row_id)
    tools = read_tools(row.get("tools"), row_id)
    return Sample(
        id=row_id, style=infer_style(calls, len(tools)), query=user["content"], calls=calls,
        tools=tools,
    )  # fmt: skip
