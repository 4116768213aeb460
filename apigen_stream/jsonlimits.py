"""Bounded JSON decoding: where untrusted bytes become values, within limits of size and shape.

Decoders recurse once per nesting level, and everything that walks a decoded value afterwards
(schema compilation, copies, encoders) does the same: 5,000 nested ``[`` raise
``RecursionError`` somewhere. Numbers of thousands of digits fail Python's int-to-text
conversion when a message quotes them; a lone surrogate escape decodes to text no encoder
writes back. So every value from outside (a record on a topic, a dataset row, a JSON text field
inside one) is checked against ``Limits`` before it is decoded, and anything past them raises
``JsonLimitError`` (a ``DecodeError``: the engine dead-letters it as ``undecodable``, ``verify``
rejects the row). The checks cost a few byte scans in C on ordinary input; the exact scans run
only when a cheap bound says a limit might be passed. ``non_finite`` finds the NaN or infinity
a lenient decoder let in (JSON has neither), for the format check to reject by name.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any

import msgspec

from apigen_stream import reasons
from apigen_stream.errors import DecodeError

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Limits:
    """How large and how deep a value from outside may be."""

    # Nesting of arrays and objects; a record's own envelope takes about six levels, so tool
    # schemas and arguments keep more than a hundred.
    max_depth: int = 128
    # Characters of one number literal: far beyond any float or 64-bit int, far below the
    # 4,300 digits at which Python refuses to convert an int to text.
    max_number_chars: int = 400
    # Bytes of one record or row.
    max_bytes: int = 16 * 1024 * 1024


LIMITS = Limits()


class JsonLimitError(DecodeError):
    """A value past a decoding limit, or not JSON at all: dead letter ``undecodable``."""

    reason = reasons.UNDECODABLE


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")
_OPENERS = frozenset(b"[{")
# A UTF-16 surrogate escape: only these can decode to text that is not Unicode.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_NON_FINITE = re.compile(rb"NaN|Infinity")
# Every byte but the openers of arrays and objects and the ASCII digits.
_NOT_COUNTED = bytes(c for c in range(256) if c not in b"[{0123456789")


def _as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data


def check(data: bytes | str, limits: Limits = LIMITS) -> None:
    """Raise ``JsonLimitError`` when ``data`` is too large, too deep or has a too-long number."""
    raw = data if type(data) is bytes else _as_bytes(data)  # this runs once per row and field
    size = len(raw)
    if size > limits.max_bytes:
        raise JsonLimitError(f"{size} bytes, over the limit of {limits.max_bytes}")
    # Text no longer than the limits cannot pass them (each level and each digit is a byte).
    if size <= limits.max_depth and size <= limits.max_number_chars:
        return
    # One pass in C keeps the openers and the digits: both bounds are counted from it.
    kept = raw.translate(None, _NOT_COUNTED)
    openers = kept.count(b"[") + kept.count(b"{")
    if openers > limits.max_depth:
        depth = nesting_depth(raw)
        if depth > limits.max_depth:
            raise JsonLimitError(f"nested {depth} deep, over the limit of {limits.max_depth}")
    # A literal that long is mostly digits (at most four other characters: sign, point,
    # exponent and its sign): count the digits first, before any regular expression.
    if size <= limits.max_number_chars or len(kept) - openers <= limits.max_number_chars - 4:
        return
    number = _number_literal(limits.max_number_chars)
    if number.search(raw) is not None:
        # Digits inside strings are text (an id, a phone number); only literals count.
        longest = max((len(m) for m in number.findall(_STRING.sub(b'""', raw))), default=0)
        if longest:
            raise JsonLimitError(
                f"a number of {longest} characters, over the limit of {limits.max_number_chars}"
            )


@lru_cache(maxsize=8)
def _number_literal(max_chars: int) -> re.Pattern[bytes]:
    return re.compile(rb"[-+.eE0-9]{%d,}" % (max_chars + 1))


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON text (brackets in strings excluded)."""
    brackets = _BRACKETS.findall(_STRING.sub(b'""', data))
    steps = (1 if b[0] in _OPENERS else -1 for b in brackets)
    return max(accumulate(steps, initial=0))


def loads(data: bytes | str, limits: Limits = LIMITS, *, non_finite: bool = False) -> Any:
    """The value of JSON text within ``limits``; ``JsonLimitError`` for anything else.

    Strict JSON, except that ``non_finite=True`` also reads Python's ``NaN`` and ``Infinity``
    (datasets written by Python's ``json`` have them), so a check can reject them by name.
    """
    raw = _as_bytes(data)
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    check(raw, limits)
    try:
        return msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError) as exc:
        # Python's json reads NaN and Infinity, and overflows 1e999 to inf, where msgspec fails.
        overflow = "out of range" in str(exc)
        if not (non_finite and (overflow or _NON_FINITE.search(raw))):
            raise JsonLimitError(f"not JSON: {_msgspec_message(exc)}") from None
    return _loads_non_finite(raw)


def _loads_non_finite(raw: bytes) -> Any:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        raise JsonLimitError(f"not JSON: {exc}") from None
    if _SURROGATE_ESCAPE.search(raw):
        try:
            msgspec.json.encode(value)
        except UnicodeEncodeError:
            raise JsonLimitError("not JSON: a lone UTF-16 surrogate in a string") from None
    return value


def _msgspec_message(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deep"
    text = str(exc)
    # msgspec says "truncated" for a lone surrogate escape; say what it is.
    return text if "truncated" not in text else f"{text} (or a lone UTF-16 surrogate)"


def non_finite(value: Any) -> tuple[str | int, ...] | None:
    """The path to the first NaN or infinity in a decoded value, or None: JSON has neither."""
    if type(value) is float:
        return None if math.isfinite(value) else ()
    if not isinstance(value, _CONTAINERS):
        return None
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack:  # no recursion: the value may be as deep as the decoder allows
        path, node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, item in items:
            if isinstance(item, float) and not math.isfinite(item):
                return (*path, key)
            if isinstance(item, _CONTAINERS):
                stack.append(((*path, key), item))
    return None


# A tuple, not ``list | dict``: a union is built anew each time the expression runs.
_CONTAINERS = (list, dict)
