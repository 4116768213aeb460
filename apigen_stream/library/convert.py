"""Tool definitions in the shapes users bring, converted once to our ``Tool`` (JSON Schema).

Shapes read: xlam (``parameters`` maps each name to ``{"type": "str, optional", "default": ...}``),
OpenAI (``{"type": "function", "function": {...}}`` or the bare function), Gorilla/BFCL
(JSON-Schema-like with ``"dict"``, ``"float"``, ``"tuple"``, ``"any"`` as types) and plain
JSON Schema tools (our own ``Tool`` encoding). Written back: xlam and OpenAI. Every function here
is pure; none evaluates any text it reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from apigen_stream.library.pytype import parse_type_text, type_text
from apigen_stream.records import Tool

ToolShape = Literal["xlam", "openai", "bfcl", "jsonschema"]

# BFCL's (and Python's) names for JSON Schema types; "any" and unknown names mean no constraint.
_TYPE_NAMES: dict[str, str] = {
    "dict": "object", "object": "object", "float": "number", "number": "number",
    "double": "number", "tuple": "array", "array": "array", "list": "array",
    "integer": "integer", "int": "integer", "string": "string", "str": "string",
    "boolean": "boolean", "bool": "boolean", "null": "null",
}  # fmt: skip
_JSON_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean", "null"})
# Keywords whose value is one schema, a list of schemas, or a map of name -> schema.
_ONE_SCHEMA = ("items", "additionalProperties", "not", "contains", "propertyNames")
_SCHEMA_LISTS = ("prefixItems", "anyOf", "oneOf", "allOf")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")
_EMPTY_OBJECT: dict[str, Any] = {"type": "object", "properties": {}}
_INT_TEXT = re.compile(r"-?\d+")


def detect_tool_shape(d: Mapping[str, Any]) -> ToolShape:
    """Which shape a tool definition is in (see the module docstring)."""
    if d.get("type") == "function" and isinstance(d.get("function"), Mapping):
        return "openai"
    params = d.get("parameters")
    if not isinstance(params, Mapping):
        return "jsonschema"
    if (
        params
        and not isinstance(params.get("type"), str | list)
        and all(
            isinstance(v, Mapping) and isinstance(v.get("type", v.get("description")), str)
            for v in params.values()
        )
    ):
        # xlam: every value describes one parameter with a type text (a JSON Schema's
        # "properties" or "required" value does not look like that).
        return "xlam"
    return "bfcl" if _has_bfcl_types(params, 0) else "jsonschema"


def _has_bfcl_types(schema: Any, depth: int) -> bool:
    if not isinstance(schema, Mapping) or depth > 50:
        return False
    kinds = schema.get("type")
    names = kinds if isinstance(kinds, list) else [kinds]
    if any(isinstance(k, str) and k not in _JSON_TYPES for k in names) or "optional" in schema:
        return True
    return any(_has_bfcl_types(s, depth + 1) for s in _subschemas(schema))


def _subschemas(schema: Mapping[str, Any]) -> list[Any]:
    out: list[Any] = [schema[k] for k in _ONE_SCHEMA if k in schema]
    for key in _SCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            out.extend(schema[key])
    for key in _SCHEMA_MAPS:
        if isinstance(schema.get(key), Mapping):
            out.extend(schema[key].values())
    return out


def tool_from_any(d: Mapping[str, Any]) -> Tool:
    """A tool definition in any known shape, as a ``Tool``."""
    shape = detect_tool_shape(d)
    if shape == "xlam":
        return tool_from_xlam(d)
    if shape == "bfcl":
        return tool_from_bfcl(d)
    return tool_from_openai(d)


def tool_from_openai(d: Mapping[str, Any]) -> Tool:
    """An OpenAI tool (``{"type": "function", "function": {...}}``) or bare function dict."""
    fn = d["function"] if d.get("type") == "function" and "function" in d else d
    params = fn.get("parameters")
    parameters = _copy(params) if isinstance(params, Mapping) and params else _copy(_EMPTY_OBJECT)
    return Tool(
        name=str(fn.get("name", "")),
        description=str(fn.get("description") or ""),
        parameters=parameters,
        category=str(d.get("category") or fn.get("category") or ""),
    )


def tool_from_bfcl(d: Mapping[str, Any]) -> Tool:
    """A Gorilla/BFCL function doc: its JSON-Schema-like ``parameters`` made JSON Schema."""
    params = d.get("parameters")
    schema = normalize_schema(params) if isinstance(params, Mapping) else _copy(_EMPTY_OBJECT)
    return Tool(
        name=str(d.get("name", "")),
        description=str(d.get("description") or ""),
        parameters=schema,
        category=str(d.get("category") or ""),
    )


def normalize_schema(schema: Mapping[str, Any], depth: int = 0) -> dict[str, Any]:
    """A JSON-Schema-like object with BFCL's type names made draft 2020-12 JSON Schema.

    Idempotent on JSON Schema. ``"optional": true`` on a property takes it out of ``required``.
    """
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "type":
            mapped = _map_type(value)
            if mapped is not None:
                out["type"] = mapped
        elif key == "optional":
            continue
        elif depth < 50 and key in _ONE_SCHEMA and isinstance(value, Mapping):
            out[key] = normalize_schema(value, depth + 1)
        elif depth < 50 and key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [normalize_schema(s, depth + 1) if isinstance(s, Mapping) else s
                        for s in value]  # fmt: skip
        elif depth < 50 and key in _SCHEMA_MAPS and isinstance(value, Mapping):
            out[key] = {k: normalize_schema(s, depth + 1) if isinstance(s, Mapping) else s
                        for k, s in value.items()}  # fmt: skip
        else:
            out[key] = _copy(value)
    props = out.get("properties")
    optional = {
        k
        for k, s in (props.items() if isinstance(props, Mapping) else ())
        if isinstance(s, Mapping) and _truthy(schema["properties"][k].get("optional"))
    }
    if optional and isinstance(out.get("required"), list):
        out["required"] = [r for r in out["required"] if r not in optional]
    return out


def _map_type(value: Any) -> str | list[str] | None:
    if isinstance(value, list):
        mapped = [_TYPE_NAMES.get(v.lower()) if isinstance(v, str) else None for v in value]
        if None in mapped:  # one alternative is "any" or unknown: the union allows anything
            return None
        kept = [m for m in dict.fromkeys(mapped) if m is not None]
        return kept[0] if len(kept) == 1 else kept
    if isinstance(value, str):
        return _TYPE_NAMES.get(value.lower())
    return None


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def tool_from_xlam(d: Mapping[str, Any]) -> Tool:
    """An xlam tool: Python-like type text per parameter, required unless it says optional."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    params = d.get("parameters")
    for name, spec in params.items() if isinstance(params, Mapping) else ():
        prop, optional = _xlam_property(spec if isinstance(spec, Mapping) else {})
        properties[str(name)] = prop
        if not optional:
            required.append(str(name))
    parameters = {"type": "object", "properties": properties, "required": required}
    return Tool(
        name=str(d.get("name", "")),
        description=str(d.get("description") or ""),
        parameters=parameters,
        category=str(d.get("category") or ""),
    )


def _xlam_property(spec: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    schema, optional = parse_type_text(str(spec.get("type", "")))
    prop: dict[str, Any] = {}
    if spec.get("description"):
        prop["description"] = str(spec["description"])
    prop.update(schema)
    default = spec.get("default")
    if isinstance(default, str) and default != "":
        prop["default"] = _typed_default(default, schema)
    elif default is not None and not isinstance(default, str):
        prop["default"] = _copy(default)
    return prop, optional


def _typed_default(text: str, schema: Mapping[str, Any]) -> Any:
    """xlam's default text as a typed value, only where the value writes back to that text."""
    kind = schema.get("type")
    value: Any = text
    if text == "None":
        value = None
    elif kind == "integer" and _INT_TEXT.fullmatch(text):
        value = int(text)
    elif kind == "number":
        try:
            value = float(text)
        except ValueError:
            value = text
    elif kind == "boolean" and text in ("True", "False"):
        value = text == "True"
    return value if default_text(value) == text else text


def default_text(value: Any) -> str:
    """A default as xlam writes it: always a string, Python-like for None and booleans."""
    if isinstance(value, str):
        return value
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return repr(value)
    return msgspec.json.encode(value).decode()


def tool_to_xlam(tool: Tool) -> dict[str, Any]:
    """A tool in xlam's shape: type text with ``", optional"``, defaults as strings."""
    properties = tool.parameters.get("properties") or {}
    required = set(tool.parameters.get("required") or ())
    params: dict[str, Any] = {}
    for name, raw in properties.items():
        schema = raw if isinstance(raw, Mapping) else {}
        text = type_text(dict(schema))
        params[name] = {
            "description": str(schema.get("description", "")),
            "type": text if name in required else f"{text}, optional",
            "default": default_text(schema["default"]) if "default" in schema else "",
        }
    return {"name": tool.name, "description": tool.description, "parameters": params}


def tool_to_openai(tool: Tool) -> dict[str, Any]:
    """A tool in OpenAI's shape: ``{"type": "function", "function": {...}}``."""
    parameters = _copy(tool.parameters) if tool.parameters else _copy(_EMPTY_OBJECT)
    function = {"name": tool.name, "description": tool.description, "parameters": parameters}
    return {"type": "function", "function": function}


def _copy(value: Any) -> Any:
    """A deep copy of JSON-like data, so a Tool never shares mutable state with its source."""
    if isinstance(value, Mapping):
        return {str(k): _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value
