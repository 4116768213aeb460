"""Python-like type text (xlam's ``"List[int]"``, ``"str, optional"``) to and from JSON Schema.

The text comes from generated datasets, so it is parsed, never evaluated, and anything the
parser does not understand becomes "no type constraint" rather than an error.
"""

from __future__ import annotations

import re
from typing import Any

# Type text is a short annotation; anything longer or deeper is not worth parsing (and an
# unbounded recursive parse of untrusted text is a way to exhaust the stack).
MAX_TYPE_CHARS = 500
MAX_DEPTH = 20

_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_][\w.]*)|(?P<str>'[^']*'|\"[^\"]*\")"
    r"|(?P<num>-?\d+(?:\.\d+)?)|(?P<ellipsis>\.\.\.)|(?P<punct>[\[\],|]))"
)

_SCALARS: dict[str, str] = {
    "str": "string", "string": "string", "text": "string",
    "int": "integer", "integer": "integer", "long": "integer",
    "float": "number", "number": "number", "double": "number", "decimal": "number",
    "bool": "boolean", "boolean": "boolean",
    "none": "null", "nonetype": "null", "null": "null",
}  # fmt: skip
_ARRAYS = frozenset({"list", "sequence", "iterable", "array", "set", "frozenset", "collection"})
_OBJECTS = frozenset({"dict", "mapping", "object", "ordereddict", "defaultdict"})
_UNIONS = frozenset({"union"})
_ANY = frozenset({"any"})

# A parsed type: (name, args) where args is None for a bare name; a literal value is ("=", v).
Node = tuple[str, Any]


class _Unparsable(Exception):
    """The text is not a type expression the parser knows."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _Unparsable(text)
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else ""

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise _Unparsable("unexpected end")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def union(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise _Unparsable("too deep")
        alternatives = [self.term(depth)]
        while self.peek() == "|":
            self.take()
            alternatives.append(self.term(depth))
        return alternatives[0] if len(alternatives) == 1 else ("union", alternatives)

    def args(self, depth: int) -> list[Node]:
        args = [self.union(depth + 1)]
        while self.peek() == ",":
            self.take()
            args.append(self.union(depth + 1))
        if self.take()[1] != "]":
            raise _Unparsable("unclosed [")
        return args

    def term(self, depth: int) -> Node:
        kind, value = self.take()
        if kind == "name":
            if self.peek() == "[":
                self.take()
                return (value, self.args(depth))
            return (value, None)
        if kind == "str":
            return ("=", value[1:-1])
        if kind == "num":
            return ("=", float(value) if "." in value else int(value))
        if kind == "ellipsis":
            return ("...", None)
        if value == "[":  # a bare list of types, as in Callable[[int], str]
            return ("list", self.args(depth))
        raise _Unparsable(value)


def _top_level_parts(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def parse_type_text(text: str) -> tuple[dict[str, Any], bool]:
    """The JSON Schema of a Python-like type text, and whether the text marks it optional.

    ``"str, optional"`` → ``({"type": "string"}, True)``; ``"Optional[int]"`` → nullable and
    optional; unknown or malformed text → ``({}, optional)``: no constraint, never an error.
    """
    parts = _top_level_parts(text.strip()[:MAX_TYPE_CHARS])
    optional = any(p.lower().startswith("optional") for p in parts[1:])
    head = parts[0]
    if head.lower().startswith("optional["):
        optional = True
    try:
        parser = _Parser(_tokens(head))
        node = parser.union(0)
        if parser.pos != len(parser.tokens):
            return {}, optional
    except (_Unparsable, RecursionError):
        return {}, optional
    return _schema(node), optional


def _schema(node: Node) -> dict[str, Any]:
    name, args = node
    key = name.lower().removeprefix("typing.").removeprefix("collections.abc.")
    if key in _SCALARS:
        return {"type": _SCALARS[key]}
    if key in _ARRAYS:
        return _array(args)
    if key == "tuple":
        return _tuple(args)
    if key in _OBJECTS:
        return _object(args)
    if key in _UNIONS and args:
        return merge_alternatives([_schema(a) for a in args])
    if key == "optional" and args:
        return merge_alternatives([_schema(args[0]), {"type": "null"}])
    if key == "literal" and args:
        return {"enum": [a[1] for a in args if a[0] == "="]}
    if name == "=":
        return {"const": args}
    return {}


def _array(args: list[Node] | None) -> dict[str, Any]:
    items = _schema(args[0]) if args else {}
    return {"type": "array", "items": items} if items else {"type": "array"}


def _tuple(args: list[Node] | None) -> dict[str, Any]:
    if not args:
        return {"type": "array"}
    if len(args) == 2 and args[1][0] == "...":
        return _array(args[:1])
    prefix = [_schema(a) for a in args]
    return {"type": "array", "prefixItems": prefix, "minItems": len(prefix),
            "maxItems": len(prefix)}  # fmt: skip


def _object(args: list[Node] | None) -> dict[str, Any]:
    values = _schema(args[1]) if args and len(args) == 2 else {}
    return {"type": "object", "additionalProperties": values} if values else {"type": "object"}


def merge_alternatives(alternatives: list[dict[str, Any]]) -> dict[str, Any]:
    """One schema accepting any of ``alternatives``: a type list when each is a bare type."""
    if any(not a for a in alternatives):
        return {}
    if all(set(a) == {"type"} and isinstance(a["type"], str) for a in alternatives):
        types = list(dict.fromkeys(a["type"] for a in alternatives))
        return {"type": types[0] if len(types) == 1 else types}
    return {"anyOf": alternatives}


_TEXTS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}


def type_text(schema: dict[str, Any]) -> str:
    """The Python-like type text of a JSON Schema (the inverse of ``parse_type_text``)."""
    if "anyOf" in schema:
        return _union_text([type_text(s) for s in schema["anyOf"]])
    kind = schema.get("type")
    if isinstance(kind, list):
        return _union_text([type_text({**schema, "type": k}) for k in kind])
    if kind == "array":
        if "prefixItems" in schema:
            return f"Tuple[{', '.join(type_text(s) for s in schema['prefixItems'])}]"
        items = schema.get("items")
        return f"List[{type_text(items)}]" if isinstance(items, dict) and items else "List"
    if kind == "object":
        values = schema.get("additionalProperties")
        inner = type_text(values) if isinstance(values, dict) and values else "Any"
        return f"Dict[str, {inner}]"
    if isinstance(kind, str) and kind in _TEXTS:
        return _TEXTS[kind]
    return "Any"


def _union_text(texts: list[str]) -> str:
    others = [t for t in dict.fromkeys(texts) if t != "None"]
    if "Any" in others or not others:
        return "Any"
    inner = others[0] if len(others) == 1 else f"Union[{', '.join(others)}]"
    return f"Optional[{inner}]" if "None" in texts else inner


# Docstring type prose (NumPy and Google styles) rewritten into type text before parsing.
_PROSE_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    # NumPy shapes: ``(N, N) array_like`` is a matrix, ``(N,) array_like`` / ``1-D`` a vector.
    (re.compile(r"^\(\s*[\w.]+\s*,\s*[\w.]+\s*\)\s*(?:array_like|array|ndarray)", re.I),
     "list[list[float]]"),
    (re.compile(r"^2-?D\s+(?:array_like|array|ndarray)", re.I), "list[list[float]]"),
    (re.compile(r"^(?:\(\s*[\w.]+\s*,?\s*\)|1-?D)\s*", re.I), ""),
    (re.compile(r"\barray[_ -]like\s+of\s+(?:real\s+)?(\w+?)s?\b", re.I), r"list[\1]"),
    (re.compile(r"\b(?:list|sequence|iterable|tuple|array|set)s?\s+of\s+(\w+?)s?\b", re.I),
     r"list[\1]"),
    (re.compile(r"\barray[_ -]like\b", re.I), "list[float]"),
    (re.compile(r"\b(?:real|number)s?\b", re.I), "float"),
    (re.compile(r"\s+or\s+", re.I), " | "),
    (re.compile(r"\b(?:positive|non-?negative|nonnegative|optional)\s+(?=\w)", re.I), ""),
    (re.compile(r"`"), ""),
)  # fmt: skip


def parse_docstring_type(text: str) -> tuple[dict[str, Any], bool]:
    """The JSON Schema of a docstring's type text (``"int"``, ``"float or None"``,
    ``"list of float"``, ``"int, optional"``), and whether it is marked optional.

    Like ``parse_type_text``: unknown text gives ``({}, optional)``, never an error.
    """
    cleaned = text.strip().rstrip(".")
    for pattern, replacement in _PROSE_REWRITES:
        cleaned = pattern.sub(replacement, cleaned)
    optional = "optional" in text.lower() or "default" in text.lower()
    head = _top_level_parts(cleaned)[0]
    schema, marked = parse_type_text(head)
    return schema, optional or marked
