"""JSON Schemas that constrain what the generator and the judge may answer. Pure, no I/O.

A server that supports constrained decoding (OpenAI structured outputs, vLLM, llama.cpp) can
only emit text matching the schema, so a small model cannot echo the tools back or ramble.
Servers differ in what they accept: OpenAI's strict mode wants every object closed and every
property required, llama.cpp's grammar converter knows only part of JSON Schema. So the schema
is kept to the subset every one of them reads — ``type``, ``properties``, ``required``,
``items``, ``enum``, ``anyOf``, ``additionalProperties``, and the length bounds of arrays and
strings — and is sent without ``strict``: a tool's own keywords (``format``, ``pattern``,
``minimum``, ...) are dropped here and still checked by the format stage, which is the judge
of validity anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apigen_stream.records import Style, Task, Tool

# Nesting depth of a tool's parameter schema kept in the constraint; deeper parts become
# "any value", so one odd tool cannot make the grammar explode.
MAX_DEPTH = 6
JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
# Calls a pair may hold, by style (the prompts ask for two to four in parallel styles).
CALLS_BY_STYLE: dict[Style, tuple[int, int]] = {
    "simple": (1, 1),
    "multiple": (1, 1),
    "parallel": (2, 4),
    "parallel_multiple": (2, 4),
    "irrelevance": (0, 0),
}
# Styles whose calls all go to the first tool offered; the others after it are distractors
# (the prompts say so), and a grammar that offers them lets a small model call one.
FIRST_TOOL_STYLES: frozenset[Style] = frozenset({"simple", "parallel"})
# The shortest query the generator may write: "Spell AB12CD" is 12 characters; below 10 a
# small model writes placeholders ("...", "") that state no value.
QUERY_MIN_CHARS = 10
# The longest judge thought: about 100 tokens, so that ``pass`` always comes within the
# default judge max_tokens (256) instead of a small model's rambling being cut before it.
THOUGHT_MAX_CHARS = 400


def value_schema(schema: Any, depth: int = 0) -> dict[str, Any]:
    """``schema`` reduced to the subset constrained decoders share; ``{}`` (any) when unknown."""
    if not isinstance(schema, dict) or depth >= MAX_DEPTH:
        return {}
    out: dict[str, Any] = {}
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return {"enum": list(schema["enum"])}
    kind = schema.get("type")
    if isinstance(kind, str) and kind in JSON_TYPES:
        out["type"] = kind
    elif isinstance(kind, list):
        kinds = [k for k in kind if isinstance(k, str) and k in JSON_TYPES]
        if kinds:
            out["anyOf"] = [{"type": k} for k in kinds]
    if kind == "object" or "properties" in schema:
        out.update(object_schema(schema, depth))
    if kind == "array" and "items" in schema:
        out["items"] = value_schema(schema["items"], depth + 1)
    return out


def object_schema(schema: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """An object's properties (each reduced) and required names; closed when it lists any."""
    props = schema.get("properties")
    if not isinstance(props, dict):
        return {"type": "object"}
    properties = {str(k): value_schema(v, depth + 1) for k, v in props.items()}
    required = [r for r in schema.get("required", []) if isinstance(r, str) and r in properties]
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    if properties:
        out["additionalProperties"] = False
    return out


def call_schema(tool: Tool) -> dict[str, Any]:
    """One call of ``tool``: its name as a constant and its arguments' schema."""
    return {
        "type": "object",
        "properties": {"name": {"enum": [tool.name]}, "arguments": object_schema(tool.parameters)},
        "required": ["name", "arguments"],
        "additionalProperties": False,
    }


def answers_schema(tools: Sequence[Tool], style: Style) -> dict[str, Any]:
    """The list of calls a pair holds: calls of the tools the style lets it call, as many as
    the style wants (simple and parallel styles call the first tool only)."""
    low, high = CALLS_BY_STYLE[style]
    if high == 0 or not tools:
        return {"type": "array", "maxItems": 0}
    callable_tools = tools[:1] if style in FIRST_TOOL_STYLES else tools
    unique = list({t.name: t for t in callable_tools}.values())
    calls = [call_schema(t) for t in unique]
    items = calls[0] if len(calls) == 1 else {"anyOf": calls}
    return {"type": "array", "items": items, "minItems": low, "maxItems": high}


def pairs_schema(task: Task, pairs: int) -> dict[str, Any]:
    """The generator's answer: ``{"pairs": [{"query", "answers"}]}``, at most ``pairs`` long."""
    pair = {
        "type": "object",
        "properties": {
            "query": {"type": "string", "minLength": QUERY_MIN_CHARS},
            "answers": answers_schema(task.tools, task.style),
        },
        "required": ["query", "answers"],
        "additionalProperties": False,
    }
    wanted = max(1, pairs)
    return {
        "type": "object",
        "properties": {
            "pairs": {"type": "array", "items": pair, "minItems": 1, "maxItems": wanted}
        },
        "required": ["pairs"],
        "additionalProperties": False,
    }


def verdict_schema() -> dict[str, Any]:
    """The judge's answer: a brief thought, then ``pass`` as yes or no."""
    thought = {"type": "string", "maxLength": THOUGHT_MAX_CHARS}
    return {
        "type": "object",
        "properties": {"thought": thought, "pass": {"enum": ["yes", "no"]}},
        "required": ["thought", "pass"],
        "additionalProperties": False,
    }
