"""Cross-field constraints between an API's arguments, written as one-line comparisons.

A constraint reads like the rule a person states: ``"successes_needed <= pool"``,
``"sum(weights) == 100"``, ``"target <= dice * sides"``, ``"len(values) == len(weights)"``,
``"from_timezone != to_timezone"`` (two arguments of any type that must differ).
Each side is a number, an argument name, ``sum(name)``, ``len(name)``, ``sum(name.field)`` over
a list of objects, or ``a * b``, ``a + b``, ``a - b`` of those. Nothing here evaluates Python:
the text is split and read by these few rules.

A constraint whose arguments are not all present holds (an omitted optional argument cannot
break it); so does one whose values are not numbers (the format stage reports wrong types).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_COMPARISON = re.compile(r"^(.+?)\s*(<=|>=|==|!=|<|>)\s*(.+)$")
_CALL = re.compile(r"^(sum|len)\((\w+)(?:\.(\w+))?\)$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
# Equality on sums of decimals (relative): 33.33 + 33.33 + 33.34 is 100 to a person.
TOLERANCE = 1e-6


class _Absent(Exception):
    """An argument the constraint names is not in the call."""


def _term(text: str, arguments: Mapping[str, Any]) -> float:
    text = text.strip()
    if _NUMBER.match(text):
        return float(text)
    # Lowest precedence first: "mean + 3 * sd" is mean + (3 * sd).
    for op in (" + ", " - ", "*"):
        if op in text:
            left, right = text.rsplit(op, 1) if op == " - " else text.split(op, 1)
            a, b = _term(left, arguments), _term(right, arguments)
            return {" + ": a + b, " - ": a - b, "*": a * b}[op]
    called = _CALL.match(text)
    name = called.group(2) if called else text
    if name not in arguments or arguments[name] is None:
        raise _Absent(name)
    value = arguments[name]
    if called and called.group(1) == "len":
        return float(len(value)) if isinstance(value, Sequence) else float("nan")
    if called:
        items = value if isinstance(value, Sequence) and not isinstance(value, str) else []
        field = called.group(3)
        if field:  # sum(components.weight): one field of a list of objects
            items = [i.get(field) for i in items if isinstance(i, Mapping)]
        return float(sum(v for v in items if isinstance(v, int | float)))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Absent(name)
    return float(value)


def holds(constraint: str, arguments: Mapping[str, Any]) -> bool:
    """Whether ``arguments`` satisfy ``constraint`` (see the module docstring)."""
    found = _COMPARISON.match(constraint.strip())
    if found is None:
        raise ValueError(f"not a constraint: {constraint!r}")
    left_text, op, right_text = found.groups()
    if op == "!=" and left_text in arguments and right_text in arguments:
        # Two arguments that must differ: from and to time zones, airports, versions.
        return bool(arguments[left_text] != arguments[right_text])
    try:
        left, right = _term(left_text, arguments), _term(right_text, arguments)
    except _Absent:
        return True
    if op == "==":
        return abs(left - right) <= TOLERANCE * max(1.0, abs(right))
    if op == "!=":
        return left != right
    return {"<=": left <= right, ">=": left >= right, "<": left < right, ">": left > right}[op]


def broken(constraints: Sequence[str], arguments: Mapping[str, Any]) -> str | None:
    """The first constraint ``arguments`` break, or None."""
    return next((c for c in constraints if not holds(c, arguments)), None)
