"""Tools APIs for conversion: units, percentages, timestamps, Base64, URL encoding, JSON."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apigen_stream.library.registry import api

CATEGORY = "Tools"


@lru_cache(maxsize=1)
def _units() -> Any:
    import pint  # noqa: PLC0415 - loaded on first use

    return pint.UnitRegistry()


@api(
    category=CATEGORY,
    description=(
        "Convert a quantity between physical units of the same dimension (length, mass, "
        "volume, temperature, speed, energy, pressure, area, time, ...) using pint's unit "
        "definitions, e.g. mile → kilometer, degF → degC, psi → bar."
    ),
    params={
        "value": {"type": "number", "description": "The amount to convert."},
        "from_unit": {
            "type": "string",
            "description": "Unit of the value (pint name or symbol).",
            "examples": ["mile", "foot", "inch", "yard"],
        },
        "to_unit": {
            "type": "string",
            "description": "Unit to convert to.",
            "examples": ["kilometer", "meter", "centimeter", "mm"],
        },
    },
    templates=[
        "Convert {value} {from_unit} to {to_unit}.",
        "How many {to_unit} are in {value} {from_unit}?",
    ],
    examples=[
        (
            "How many kilometres is a marathon of 26.2 miles?",
            {"value": 26.2, "from_unit": "mile", "to_unit": "kilometer"},
        )
    ],
)
def physical_unit_convert(value: float, from_unit: str, to_unit: str) -> dict[str, Any]:
    """Offset units (degC, degF) convert as absolute temperatures."""
    import pint  # noqa: PLC0415 - loaded on first use

    reg = _units()
    try:
        result = reg.Quantity(value, from_unit).to(to_unit)
    except (pint.errors.UndefinedUnitError, pint.errors.DimensionalityError, AttributeError) as exc:
        raise ValueError(f"cannot convert {from_unit!r} to {to_unit!r}: {exc}") from None
    return {
        "value": round(float(result.magnitude), 10),
        "unit": str(result.units),
        "from": f"{value} {reg.Unit(from_unit)}",
    }


@api(
    category=CATEGORY,
    description=(
        "Percentage calculator: what is a% of b, what percent a is of b, the percent change "
        "from a to b, or b increased/decreased by a%."
    ),
    params={
        "operation": {
            "type": "string",
            "enum": ["percent_of", "what_percent", "percent_change", "increase_by", "decrease_by"],
            "description": "Which calculation.",
        },
        "a": {
            "type": "number",
            "description": "First number (the percent for percent_of/increase_by/decrease_by).",
        },
        "b": {"type": "number", "description": "Second number (the base)."},
    },
    templates=["Calculate {operation} with a = {a} and b = {b}.", "What is {a}% of {b}?"],
    examples=[("What is 15% of 240?", {"operation": "percent_of", "a": 15, "b": 240})],
)
def percentage_calculate(operation: str, a: float, b: float) -> dict[str, Any]:
    """Division by zero is an error rather than infinity."""
    if (
        operation in ("what_percent", "percent_change")
        and (b if operation == "what_percent" else a) == 0
    ):
        raise ValueError("the base of a percentage cannot be zero")
    results = {
        "percent_of": lambda: a / 100 * b,
        "what_percent": lambda: a / b * 100,
        "percent_change": lambda: (b - a) / abs(a) * 100,
        "increase_by": lambda: b * (1 + a / 100),
        "decrease_by": lambda: b * (1 - a / 100),
    }
    if operation not in results:
        raise ValueError(f"unknown operation {operation!r}")
    return {"operation": operation, "result": round(results[operation](), 10)}


@api(
    category=CATEGORY,
    description=(
        "Convert a Unix timestamp (seconds, or milliseconds if large) to a date and time in "
        "UTC and in a given IANA time zone, with the weekday."
    ),
    params={
        "timestamp": {
            "type": "number",
            "minimum": -62135596800,
            "maximum": 253402300799999,
            "description": "Seconds (or ms) since 1970-01-01 UTC.",
        },
        "timezone": {
            "type": "string",
            "description": "IANA zone for the local time.",
            "examples": ["UTC", "Europe/Paris", "America/Denver", "Asia/Shanghai"],
        },
    },
    templates=[
        "What date is Unix timestamp {timestamp}?",
        "Convert epoch {timestamp} to {timezone} time.",
    ],
    examples=[
        (
            "What is epoch 1700000000 in Paris time?",
            {"timestamp": 1700000000, "timezone": "Europe/Paris"},
        )
    ],
)
def unix_timestamp_convert(timestamp: float, timezone: str = "UTC") -> dict[str, Any]:
    """Values above 10^11 are taken as milliseconds (10^11 s is the year 5138)."""
    seconds = timestamp / 1000 if abs(timestamp) > 1e11 else timestamp
    try:
        utc = dt.datetime.fromtimestamp(seconds, dt.UTC)
        local = utc.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError, OverflowError) as exc:
        raise ValueError(f"cannot convert: {exc}") from None
    return {
        "utc": utc.isoformat(),
        "local": local.isoformat(),
        "weekday": local.strftime("%A"),
        "seconds": seconds,
    }


@api(
    category=CATEGORY,
    description=(
        "Encode text to Base64 (standard or URL-safe alphabet) or decode Base64 back to UTF-8 text."
    ),
    params={
        "text": {
            "type": "string",
            "description": "Text to encode, or Base64 to decode.",
            "examples": ["hello world", "aGVsbG8gd29ybGQ=", "user:pass"],
        },
        "direction": {
            "type": "string",
            "enum": ["encode", "decode"],
            "description": "Encode or decode.",
        },
        "url_safe": {"type": "boolean", "description": "Use the URL-safe alphabet (- and _)."},
    },
    templates=["Base64-{direction} '{text}'.", "What is '{text}' in base64?"],
    examples=[("Base64 encode 'hello world'", {"text": "hello world", "direction": "encode"})],
)
def base64_text_codec(
    text: str, direction: str = "encode", url_safe: bool = False
) -> dict[str, str]:
    """Decoding tolerates missing padding."""
    if direction == "encode":
        raw = text.encode()
        encoded = base64.urlsafe_b64encode(raw) if url_safe else base64.b64encode(raw)
        return {"result": encoded.decode()}
    if direction != "decode":
        raise ValueError(f"unknown direction {direction!r}")
    padded = text.strip() + "=" * (-len(text.strip()) % 4)
    try:
        raw = (
            base64.urlsafe_b64decode(padded)
            if url_safe
            else base64.b64decode(padded, validate=True)
        )
        return {"result": raw.decode()}
    except (binascii.Error, ValueError):
        return {"result": "", "error": "not valid Base64 of UTF-8 text"}


@api(
    category=CATEGORY,
    description=(
        "Percent-encode text for use in a URL (RFC 3986) or decode a percent-encoded string."
    ),
    params={
        "text": {
            "type": "string",
            "description": "Text to encode or decode.",
            "examples": ["café & crème", "a b/c?d=e", "caf%C3%A9%20%26%20cr%C3%A8me"],
        },
        "direction": {
            "type": "string",
            "enum": ["encode", "decode"],
            "description": "Encode or decode.",
        },
    },
    templates=["URL-{direction} this: {text}", "How do I put '{text}' in a query string?"],
    examples=[("URL-encode 'café & crème'", {"text": "café & crème", "direction": "encode"})],
)
def url_percent_codec(text: str, direction: str = "encode") -> dict[str, str]:
    """Only RFC 3986 unreserved characters stay as they are when encoding."""
    if direction == "encode":
        return {"result": quote(text, safe="")}
    if direction == "decode":
        return {"result": unquote(text)}
    raise ValueError(f"unknown direction {direction!r}")


@api(
    category=CATEGORY,
    description=(
        "Validate JSON text and pretty-print or minify it (optionally with sorted keys); "
        "invalid JSON returns the error message with line and column."
    ),
    params={
        "json_text": {
            "type": "string",
            "description": "JSON to check.",
            "examples": [
                '{"b": 1, "a": [1, 2]}',
                '[{"id": 1}, {"id": 2,}]',
                '{"name": "Ada", "langs": ["en", "fr"]}',
            ],
        },
        "indent": {
            "type": "integer",
            "minimum": 0,
            "maximum": 8,
            "description": "Indent (0 = minified).",
        },
        "sort_keys": {"type": "boolean", "description": "Sort object keys."},
    },
    templates=[
        "Is this valid JSON? {json_text}",
        "Pretty-print this JSON with indent {indent}: {json_text}",
    ],
    examples=[
        (
            'Format this JSON nicely: {"b": 1, "a": [1, 2]}',
            {"json_text": '{"b": 1, "a": [1, 2]}', "indent": 2},
        )
    ],
)
def json_format_validate(
    json_text: str, indent: int = 2, sort_keys: bool = False
) -> dict[str, Any]:
    """Invalid JSON is an answer (valid: false), not a failed call."""
    try:
        data = json.loads(json_text)
    except json.JSONDecodeError as exc:
        return {"valid": False, "error": exc.msg, "line": exc.lineno, "column": exc.colno}
    if indent == 0:
        text = json.dumps(data, separators=(",", ":"), sort_keys=sort_keys, ensure_ascii=False)
    else:
        text = json.dumps(data, indent=indent, sort_keys=sort_keys, ensure_ascii=False)
    return {"valid": True, "formatted": text}
