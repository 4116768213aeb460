"""A fast validator for the JSON Schema subset tools use, built once per schema.

A schema is compiled into a tree of small closures (an interpreter over a pre-processed tree:
no source is generated, nothing is evaluated, so untrusted tool schemas are safe to compile).
Each check returns ``None`` or the first ``Violation``: a format-stage reason code, the JSON path
of the offending value and a message. Supported: ``type`` (unions; an int is a number, a bool is
neither), ``enum``, ``const``, ``minimum``/``maximum``/``exclusive*``, ``minLength``/
``maxLength``, ``pattern``, ``items``/``prefixItems``, ``minItems``/``maxItems``,
``properties``, ``required``, ``additionalProperties``, ``anyOf``/``oneOf``/``allOf``. Other
keywords (``format``, ``$ref``, ...) are ignored: they constrain nothing here.

``pattern`` is compiled with RE2, whose matching takes time linear in the subject whatever the
pattern (``^(a+)+$`` cannot backtrack); a pattern RE2 cannot take (a backreference, a
lookaround, one too long) fails every string it meets with ``unsupported_pattern``, so a
schema's constraint is never silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

import msgspec
import re2

WRONG_TYPE = "wrong_type"
ENUM_VIOLATION = "enum_violation"
OUT_OF_RANGE = "out_of_range"
MISSING_REQUIRED = "missing_required"
UNKNOWN_ARGUMENT = "unknown_argument"
UNSUPPORTED_PATTERN = "unsupported_pattern"

# Deeper schemas are not tool schemas; past this depth a subschema constrains nothing, which
# keeps compilation of hostile input bounded.
MAX_SCHEMA_DEPTH = 64
# Patterns longer than this are not compiled (``unsupported_pattern``): RE2 is linear in the
# subject, but its compiled program grows with the pattern.
MAX_PATTERN_CHARS = 1_000
# Distinct schemas kept compiled; a stream offers a bounded library, ``verify`` may not.
CACHE_SIZE = 4_096
# Characters of a value quoted in a message.
QUOTE_CHARS = 60
# Characters of a combinator's message (it quotes its alternatives' messages, which may quote
# theirs): a bound, so that nested alternatives cannot build a message larger than the schema.
MESSAGE_CHARS = 500


@dataclass(frozen=True, slots=True)
class Violation:
    """Why an instance fails its schema: reason code, path to the value, human message."""

    reason: str
    path: tuple[str | int, ...]
    message: str

    def at(self, segment: str | int) -> Violation:
        """The same violation, one level further down from the caller's point of view."""
        return Violation(self.reason, (segment, *self.path), self.message)

    @property
    def json_path(self) -> str:
        """The path as ``$.a[0].b``."""
        return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path)


Check = Callable[[Any], Violation | None]


def _ok(_: Any) -> Violation | None:
    return None


def json_type(value: Any) -> str:
    """The JSON type name of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


# Items and levels of a container a quote shows: a failing check may describe the same large
# value once per alternative, so a quote must cost a bounded amount, never the value's size.
QUOTE_ITEMS = 6
QUOTE_LEVELS = 3


def quote(value: Any, level: int = 0) -> str:
    """A short, bounded quote of a decoded value: its first characters, items and levels."""
    if isinstance(value, str):
        return repr(value[: QUOTE_CHARS + 1])  # only what can be shown is quoted
    if isinstance(value, list | dict):
        if level >= QUOTE_LEVELS:
            return "[...]" if isinstance(value, list) else "{...}"
        if isinstance(value, list):
            shown = [quote(v, level + 1) for v in value[:QUOTE_ITEMS]]
        else:
            shown = [f"{quote(k, level + 1)}: {quote(v, level + 1)}"
                     for k, v in islice(value.items(), QUOTE_ITEMS)]  # fmt: skip
        if len(value) > QUOTE_ITEMS:
            shown.append("...")
        opening, closing = ("[", "]") if isinstance(value, list) else ("{", "}")
        return opening + ", ".join(shown) + closing
    return repr(value)  # a number (its digits are bounded by decoding), a bool or None


def describe(value: Any) -> str:
    """``json_type`` and a short quote of the value, for messages."""
    text = quote(value)
    quoted = text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 3] + "..."
    return f"{json_type(value)} {quoted}"


def _is_integer(x: Any) -> bool:
    t = type(x)
    return t is int or (t is float and x.is_integer()) or (
        isinstance(x, int) and not isinstance(x, bool))  # fmt: skip


def _is_number(x: Any) -> bool:
    t = type(x)  # the exact types first: this runs for every numeric value checked
    return t is int or t is float or (isinstance(x, _NUMBERS) and not isinstance(x, bool))


# A tuple, not ``int | float``: a union is built anew each time the expression runs.
_NUMBERS = (int, float)


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda x: isinstance(x, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "array": lambda x: isinstance(x, list),
    "object": lambda x: isinstance(x, dict),
}


def compile_schema(schema: Any) -> Check:
    """The check of ``schema``, compiled once per distinct schema content (LRU-cached)."""
    if isinstance(schema, bool):
        return _compile(schema, 0)
    try:
        key = msgspec.json.encode(schema, order="sorted")
    except (TypeError, msgspec.EncodeError):
        return _compile(schema, 0)
    return _compile_key(key)


@lru_cache(maxsize=CACHE_SIZE)
def _compile_key(key: bytes) -> Check:
    return _compile(msgspec.json.decode(key), 0)


def validate(schema: Any, instance: Any) -> Violation | None:
    """The first violation of ``instance`` against ``schema``, or None when it is valid."""
    return compile_schema(schema)(instance)


def _compile(schema: Any, depth: int) -> Check:
    if schema is False:
        return lambda x: Violation(WRONG_TYPE, (), f"no value is allowed here, got {describe(x)}")
    if not isinstance(schema, Mapping) or depth > MAX_SCHEMA_DEPTH:
        return _ok
    builders = (_type_check, _enum_check, _const_check, _number_check, _string_check,
                _array_check, _object_check, _combinator_check)  # fmt: skip
    checks = [c for build in builders if (c := build(schema, depth)) is not None]
    if not checks:
        return _ok
    if len(checks) == 1:
        return checks[0]
    return _all_of(checks)


def _all_of(checks: list[Check]) -> Check:
    def check(x: Any) -> Violation | None:
        for c in checks:
            v = c(x)
            if v is not None:
                return v
        return None

    return check


def _type_check(schema: Mapping[str, Any], depth: int) -> Check | None:
    kinds = schema.get("type")
    names = [str(k) for k in kinds] if isinstance(kinds, list) else [str(kinds)]
    preds = [_TYPES[n] for n in names if n in _TYPES]
    if not preds or len(preds) < len(names):  # an unknown type name: no constraint
        return None
    expected = " or ".join(names)

    def fail(x: Any) -> Violation:
        return Violation(WRONG_TYPE, (), f"expected {expected}, got {describe(x)}")

    if names == ["string"]:  # the commonest types, without a predicate call
        return lambda x: None if isinstance(x, str) else fail(x)
    if names == ["integer"]:
        return lambda x: None if type(x) is int or _is_integer(x) else fail(x)
    if len(preds) == 1:
        pred = preds[0]
        return lambda x: None if pred(x) else fail(x)
    return lambda x: None if any(p(x) for p in preds) else fail(x)


def _scalar_key(value: Any) -> tuple[str, Any] | None:
    """A hashable key under which JSON-equal scalars meet (1 == 1.0, but true != 1)."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    return ("z", None) if value is None else None


def json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON Schema defines it: numbers by value, booleans apart from numbers."""
    ka, kb = _scalar_key(a), _scalar_key(b)
    if ka is not None or kb is not None:
        return ka == kb
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return False


def _enum_check(schema: Mapping[str, Any], depth: int) -> Check | None:
    allowed = schema.get("enum")
    if not isinstance(allowed, list):
        return None
    scalars = {k for v in allowed if (k := _scalar_key(v)) is not None}
    others = [v for v in allowed if _scalar_key(v) is None]
    shown = ", ".join(quote(v) for v in allowed[:10]) + (", ..." if len(allowed) > 10 else "")

    def check(x: Any) -> Violation | None:
        key = _scalar_key(x)
        if key in scalars if key is not None else any(json_equal(x, v) for v in others):
            return None
        return Violation(ENUM_VIOLATION, (), f"expected one of [{shown}], got {describe(x)}")

    return check


def _const_check(schema: Mapping[str, Any], depth: int) -> Check | None:
    if "const" not in schema:
        return None
    const = schema["const"]
    shown = quote(const)  # once: every item of an array may be checked against it

    def check(x: Any) -> Violation | None:
        if json_equal(x, const):
            return None
        return Violation(ENUM_VIOLATION, (), f"expected {shown}, got {describe(x)}")

    return check


def _bound(schema: Mapping[str, Any], key: str) -> float | None:
    value = schema.get(key)
    return value if _is_number(value) else None


def _number_check(schema: Mapping[str, Any], depth: int) -> Check | None:
    lo, hi = _bound(schema, "minimum"), _bound(schema, "maximum")
    xlo, xhi = _bound(schema, "exclusiveMinimum"), _bound(schema, "exclusiveMaximum")
    if lo is None and hi is None and xlo is None and xhi is None:
        return None

    def check(x: Any) -> Violation | None:
        if not _is_number(x):
            return None
        if lo is not None and x < lo:
            return Violation(OUT_OF_RANGE, (), f"expected >= {lo}, got {x!r}")
        if hi is not None and x > hi:
            return Violation(OUT_OF_RANGE, (), f"expected <= {hi}, got {x!r}")
        if xlo is not None and x <= xlo:
            return Violation(OUT_OF_RANGE, (), f"expected > {xlo}, got {x!r}")
        if xhi is not None and x >= xhi:
            return Violation(OUT_OF_RANGE, (), f"expected < {xhi}, got {x!r}")
        return None

    return check


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # an unsupported pattern is a verdict, not a log line


@lru_cache(maxsize=CACHE_SIZE)
def compile_pattern(source: str) -> Any:
    """``source`` compiled with RE2, or None when RE2 cannot take it."""
    if len(source) > MAX_PATTERN_CHARS:
        return None
    try:
        return re2.compile(source, _RE2_OPTIONS)
    except re2.error:  # a backreference, a lookaround, or not a regular expression at all
        return None


def _pattern_check(source: str) -> Check:
    pattern = compile_pattern(source)
    if pattern is None:
        quoted = source if len(source) <= QUOTE_CHARS else source[: QUOTE_CHARS - 3] + "..."
        unsupported = Violation(
            UNSUPPORTED_PATTERN, (), f"pattern {quoted!r} cannot be checked in linear time"
        )
        return lambda x: unsupported if isinstance(x, str) else None

    def check(x: Any) -> Violation | None:
        if not isinstance(x, str) or pattern.search(x) is not None:
            return None
        return Violation(OUT_OF_RANGE, (), f"{describe(x)} does not match {source!r}")

    return check


def _string_check(schema: Mapping[str, Any], depth: int) -> Check | None:
    lo, hi = _bound(schema, "minLength"), _bound(schema, "maxLength")
    source = schema.get("pattern")
    pattern = _pattern_check(source) if isinstance(source, str) else None
    if lo is None and hi is None and pattern is None:
        return None

    def check(x: Any) -> Violation | None:
        if not isinstance(x, str):
            return None
        if lo is not None and len(x) < lo:
            return Violation(OUT_OF_RANGE, (), f"expected at least {lo} characters, got {len(x)}")
        if hi is not None and len(x) > hi:
            return Violation(OUT_OF_RANGE, (), f"expected at most {hi} characters, got {len(x)}")
        return None if pattern is None else pattern(x)

    return check


def _array_check(schema: Mapping[str, Any], depth: int) -> Check | None:
    lo, hi = _bound(schema, "minItems"), _bound(schema, "maxItems")
    raw_prefix = schema.get("prefixItems")
    prefix = [_compile(s, depth + 1) for s in raw_prefix] if isinstance(raw_prefix, list) else []
    items = _compile(schema["items"], depth + 1) if "items" in schema else None
    if lo is None and hi is None and not prefix and items in (None, _ok):
        return None

    def check(x: Any) -> Violation | None:
        if not isinstance(x, list):
            return None
        if lo is not None and len(x) < lo:
            return Violation(OUT_OF_RANGE, (), f"expected at least {lo} items, got {len(x)}")
        if hi is not None and len(x) > hi:
            return Violation(OUT_OF_RANGE, (), f"expected at most {hi} items, got {len(x)}")
        for i, (c, v) in enumerate(zip(prefix, x, strict=False)):
            if (bad := c(v)) is not None:
                return bad.at(i)
        if items is not None:
            for i in range(len(prefix), len(x)):
                if (bad := items(x[i])) is not None:
                    return bad.at(i)
        return None

    return check


def _additional(schema: Mapping[str, Any], depth: int) -> Check | None:
    extra = schema.get("additionalProperties", True)
    if "patternProperties" in schema or extra is True:
        # patternProperties is not supported: without it, "additional" is unknown; allow all.
        return None
    if extra is False:
        return lambda x: Violation(UNKNOWN_ARGUMENT, (), "not a known property")
    return _compile(extra, depth + 1)


def _object_check(schema: Mapping[str, Any], depth: int) -> Check | None:
    raw_props = schema.get("properties")
    props = {str(k): _compile(s, depth + 1) for k, s in raw_props.items()} if isinstance(
        raw_props, Mapping) else {}  # fmt: skip
    raw_required = schema.get("required")
    required = [r for r in raw_required if isinstance(r, str)] if isinstance(
        raw_required, list) else []  # fmt: skip
    extra = _additional(schema, depth)
    if not required and extra is None and all(c is _ok for c in props.values()):
        return None

    def check(x: Any) -> Violation | None:
        if not isinstance(x, dict):
            return None
        for name in required:
            if name not in x:
                return Violation(MISSING_REQUIRED, (name,), "required, missing")
        for key, value in x.items():
            c = props.get(key, extra)
            if c is not None and (bad := c(value)) is not None:
                return bad.at(key)
        return None

    return check


def _combinator_check(schema: Mapping[str, Any], depth: int) -> Check | None:
    checks: list[Check] = []
    for key in ("allOf", "anyOf", "oneOf"):
        subs = schema.get(key)
        if isinstance(subs, list) and subs:
            compiled = [_compile(s, depth + 1) for s in subs]
            checks.append(_COMBINATORS[key](compiled))
    if not checks:
        return None
    return checks[0] if len(checks) == 1 else _all_of(checks)


def _no_alternative(failures: list[Violation]) -> Violation:
    reasons = {f.reason for f in failures}
    reason = failures[0].reason if len(reasons) == 1 else WRONG_TYPE
    shown = "; ".join(f.message for f in failures[:3])
    if len(shown) > MESSAGE_CHARS:
        shown = shown[: MESSAGE_CHARS - 3] + "..."
    return Violation(reason, (), f"matches no alternative ({shown})")


def _any_of(subs: list[Check]) -> Check:
    def check(x: Any) -> Violation | None:
        failures = []
        for c in subs:
            bad = c(x)
            if bad is None:
                return None
            failures.append(bad)
        return _no_alternative(failures)

    return check


def _one_of(subs: list[Check]) -> Check:
    # Each alternative is tried once: trying them again for the message would double the
    # work at every level of nested oneOf (2**64 checks at the schema depth limit).
    def check(x: Any) -> Violation | None:
        failures = []
        for c in subs:
            bad = c(x)
            if bad is not None:
                failures.append(bad)
        passed = len(subs) - len(failures)
        if passed == 1:
            return None
        if passed == 0:
            return _no_alternative(failures)
        return Violation(WRONG_TYPE, (), f"matches {passed} alternatives of oneOf, not one")

    return check


_COMBINATORS: dict[str, Callable[[list[Check]], Check]] = {
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
}
