"""Tool results made JSON-safe, size-capped, and shortened for the judge. Pure functions."""

from __future__ import annotations

from typing import Any

import msgspec

# Keys whose non-empty value marks a result as an error payload (``{"error": "not found"}``).
ERROR_KEYS = ("error", "errors")
TRUNCATION_MARK = "…[truncated]"


def _fallback(obj: Any) -> Any:
    # Arrays and numpy-style scalars know their plain value; anything else becomes its text.
    tolist = getattr(obj, "tolist", None)
    if callable(tolist):
        return tolist()
    return str(obj)


_encoder = msgspec.json.Encoder(enc_hook=_fallback)


def encode_result(value: Any) -> bytes:
    """``value`` as JSON: builtins as they are, other objects through ``tolist()`` or ``str()``.

    A value msgspec cannot encode even so (non-string keys of odd types, cycles) is encoded as
    its ``str()``: a result is evidence for the judge, never a reason to lose the call.
    """
    try:
        return _encoder.encode(value)
    except (TypeError, ValueError, msgspec.EncodeError, RecursionError):
        return _encoder.encode(str(value))


def exceeds(value: Any, limit: int) -> bool:
    """Whether ``value``'s JSON surely holds more than ``limit`` bytes, judged without encoding.

    Every string, bytes and container item takes at least its length (or one byte) in JSON, so
    a sum past ``limit`` is proof; the walk stops as soon as it is. A result far past the cap
    is then refused before the encoder tries to build it in memory.
    """
    total, stack, seen = 0, [value], set()
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes | bytearray | memoryview):
            total += len(item) + 2
            continue
        if id(item) in seen:
            continue  # a cycle: encode_result writes it as its str()
        seen.add(id(item))
        if isinstance(item, dict):
            total += 2 + len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + len(item)
            stack.extend(item)
        else:
            total += 1
    return total > limit


def is_error_result(value: Any) -> bool:
    """Whether a result is an error payload: a mapping with a non-empty ``error``/``errors``."""
    return isinstance(value, dict) and any(value.get(key) for key in ERROR_KEYS)


def truncate_for_judge(result: Any, chars: int) -> str:
    """The result as JSON text of at most ``chars`` characters, marked when cut."""
    text = result if isinstance(result, str) else encode_result(result).decode()
    if len(text) <= chars:
        return text
    keep = max(0, chars - len(TRUNCATION_MARK))
    return text[:keep] + TRUNCATION_MARK
