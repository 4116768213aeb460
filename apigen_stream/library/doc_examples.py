"""Arguments from a docstring's examples: ``>>> validate('BE 428759497')`` gives
``{"number": "BE 428759497"}``.

Examples are parsed with ``ast`` and their values read by walking the tree: literals, and
arithmetic on number literals (``m=24270/3600.``), as engineering docstrings write them.
Nothing in a docstring is ever run. A call whose arguments are anything else (names, calls,
objects) is no example for a tool and is passed over. Pure.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Iterator, Sequence
from typing import Any

# A doctest line, with the interpreter prompt, and its continuation lines.
_PROMPT = re.compile(r"^\s*>>>\s?(.*)$")
_CONTINUATION = re.compile(r"^\s*\.\.\.\s?(.*)$")
# Arithmetic folded in example arguments; powers stay small so no example can exhaust memory.
_OPERATORS: dict[type[ast.operator], Any] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow,
}  # fmt: skip
MAX_EXPONENT = 64
# Examples kept per function: the first few are the ones its author chose to show.
MAX_EXAMPLES = 4


def example_calls(doc: str | None, function: str | None) -> Iterator[ast.Call]:
    """The calls of ``function`` (by bare or dotted name; None: of any function) on the
    ``>>>`` lines of ``doc``."""
    for source in _statements(doc or ""):
        try:
            tree = ast.parse(source, mode="eval")
        except (SyntaxError, ValueError):
            continue
        yield from _calls_of(tree.body, function)


def _statements(doc: str) -> Iterator[str]:
    """Each ``>>>`` statement of ``doc``, its ``...`` continuation lines joined to it."""
    current: list[str] | None = None
    for line in doc.splitlines():
        prompt, more = _PROMPT.match(line), _CONTINUATION.match(line)
        if more is not None and current is not None:
            current.append(more.group(1))
            continue
        if current is not None:
            yield " ".join(current).strip()
        current = [prompt.group(1)] if prompt is not None else None
    if current is not None:
        yield " ".join(current).strip()


_WRAPPERS = frozenset({"print", "repr", "str", "list", "sorted", "tuple"})


def _calls_of(node: ast.expr, function: str | None) -> Iterator[ast.Call]:
    if not isinstance(node, ast.Call):
        return
    called = node.func
    name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
    if name in _WRAPPERS and node.args:
        yield from _calls_of(node.args[0], function)
    elif function is None or name == function:
        yield node


def arguments_of(call: ast.Call, parameters: Sequence[str]) -> dict[str, Any] | None:
    """The call's arguments by parameter name, or None when one is not a literal."""
    if len(call.args) > len(parameters):
        return None
    found: dict[str, Any] = {}
    try:
        for pname, node in zip(parameters, call.args, strict=False):
            found[pname] = _json_value(literal(node))
        for keyword in call.keywords:
            if keyword.arg is None or keyword.arg not in parameters:
                return None
            found[keyword.arg] = _json_value(literal(keyword.value))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError, ZeroDivisionError):
        return None
    return found


def literal(node: ast.expr) -> Any:
    """The value of a literal, or of arithmetic on number literals; ValueError otherwise."""
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = literal(node.left), literal(node.right)
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
            raise ValueError("arithmetic on non-numbers")
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise ValueError("exponent too large")
        value = _OPERATORS[type(node.op)](left, right)
        if isinstance(value, complex) or (isinstance(value, float) and not math.isfinite(value)):
            raise ValueError("not a finite real number")
        return value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = literal(node.operand)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ValueError("sign of a non-number")
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [literal(item) for item in node.elts]
    return ast.literal_eval(node)


def _json_value(value: Any) -> Any:
    """A literal as JSON would carry it; anything JSON has no word for is refused."""
    if isinstance(value, float) and not math.isfinite(value):
        raise TypeError("JSON has no infinity or NaN")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _json_value(v) for k, v in value.items()}
    raise TypeError(f"{type(value).__name__} is not JSON")


def doc_arguments(
    docs: Sequence[tuple[str | None, str | None]], parameters: Sequence[str]
) -> list[dict[str, Any]]:
    """Distinct argument sets from the examples in ``docs``: (docstring, function called there,
    or None for any function, whose literal arguments are borrowed by position), in order."""
    found: list[dict[str, Any]] = []
    for doc, function in docs:
        for call in example_calls(doc, function):
            arguments = arguments_of(call, parameters)
            if arguments is not None and arguments not in found:
                found.append(arguments)
            if len(found) >= MAX_EXAMPLES:
                return found
    return found
