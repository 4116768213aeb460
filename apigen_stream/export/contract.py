"""A parameter's contract folded into its description, for shapes that cannot carry the schema.

xlam writes a type text per parameter ("str, optional"), and a ShareGPT system turn is read as
text by the model: an enum, a range or a format that is dropped there cannot be learnt ("Size
unit." says nothing about ``MiB``). ``with_contract(tool)`` appends them to each parameter's
description ("Size unit. One of: B, KB, MB. ") once; the OpenAI shape keeps the JSON Schema
itself and needs none of this. Pure functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec.structs import replace

from apigen_stream.records import Tool

# Values listed in full up to this many; past it, the first ones and a count.
ENUM_SHOWN = 30

_FORMATS = {
    "date": "a date, YYYY-MM-DD",
    "date-time": "a date-time, ISO 8601",
    "time": "a time, HH:MM[:SS]",
    "email": "an e-mail address",
    "uri": "a URI",
    "ipv4": "an IPv4 address",
    "ipv6": "an IPv6 address",
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _range(schema: Mapping[str, Any]) -> str:
    low = schema.get("minimum")
    high = schema.get("maximum")
    above = schema.get("exclusiveMinimum")
    below = schema.get("exclusiveMaximum")
    parts = []
    if low is not None:
        parts.append(f">= {_text(low)}")
    if above is not None:
        parts.append(f"> {_text(above)}")
    if high is not None:
        parts.append(f"<= {_text(high)}")
    if below is not None:
        parts.append(f"< {_text(below)}")
    return f"Range: {' and '.join(parts)}." if parts else ""


def contract_text(schema: Mapping[str, Any]) -> str:
    """The allowed values, range, format, pattern and list size of one parameter, as text."""
    parts: list[str] = []
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        shown = ", ".join(_text(v) for v in enum[:ENUM_SHOWN])
        more = f" (and {len(enum) - ENUM_SHOWN} more)" if len(enum) > ENUM_SHOWN else ""
        parts.append(f"One of: {shown}{more}.")
    parts.append(_range(schema))
    if schema.get("format") in _FORMATS:
        parts.append(f"Format: {_FORMATS[schema['format']]}.")
    if isinstance(schema.get("pattern"), str):
        parts.append(f"Pattern: {schema['pattern']}.")
    items = schema.get("items")
    if isinstance(items, Mapping) and (item_text := contract_text(items)):
        parts.append(f"Each item: {item_text}")
    if "minItems" in schema or "maxItems" in schema:
        low, high = schema.get("minItems", 0), schema.get("maxItems")
        parts.append(f"{low} to {high} items." if high is not None else f"At least {low} items.")
    return " ".join(p for p in parts if p)


def describe(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The parameter schema with its contract appended to its description (idempotent)."""
    extra = contract_text(schema)
    description = str(schema.get("description", "")).strip()
    if not extra or extra in description:
        return dict(schema)
    return {**schema, "description": f"{description} {extra}".strip()}


def with_contract(tool: Tool) -> Tool:
    """The tool with every parameter's contract folded into its description."""
    properties = tool.parameters.get("properties")
    if not isinstance(properties, Mapping):
        return tool
    described = {
        name: describe(schema) if isinstance(schema, Mapping) else schema
        for name, schema in properties.items()
    }
    return replace(tool, parameters={**tool.parameters, "properties": described})


def _plain(schema: Mapping[str, Any]) -> dict[str, Any]:
    extra = contract_text(schema)
    description = str(schema.get("description", ""))
    if not extra or not description.endswith(extra):
        return dict(schema)
    kept = description[: -len(extra)].rstrip()
    plain = {k: v for k, v in schema.items() if k != "description"}
    return {**plain, "description": kept} if kept or "description" not in schema else plain


def without_contract(tool: Tool) -> Tool:
    """The tool as it was before ``with_contract``: a reader gets back what was written."""
    properties = tool.parameters.get("properties")
    if not isinstance(properties, Mapping):
        return tool
    plain = {n: _plain(s) if isinstance(s, Mapping) else s for n, s in properties.items()}
    return replace(tool, parameters={**tool.parameters, "properties": plain})
