"""Cheap tools for sandbox tests and the execution benchmark: arithmetic and string functions."""

from __future__ import annotations

import datetime
from typing import Any

from apigen_stream.library.registry import api

_NUMBER = {"type": "number", "description": "A number."}
_TEXT = {"type": "string", "description": "Some text."}


@api(
    category="Math",
    description="a minus b.",
    params={"a": _NUMBER, "b": _NUMBER},
    templates=["What is {a} minus {b}?"],
    examples=[("What is 10 minus 3?", {"a": 10, "b": 3})],
)
def subtract(a: float, b: float) -> float:
    """``a - b``: the order of the arguments matters, so binding by position would show."""
    return a - b


@api(
    category="Math",
    description="The sum of two numbers.",
    params={"a": _NUMBER, "b": _NUMBER},
    templates=["Add {a} and {b}."],
    examples=[("Add 2 and 3.", {"a": 2, "b": 3})],
)
def add(a: float, b: float) -> float:
    """``a + b``."""
    return a + b


@api(
    category="Tools",
    description="Join two strings with a separator.",
    params={"left": _TEXT, "right": _TEXT, "sep": _TEXT},
    templates=["Join {left} and {right}."],
    examples=[("Join foo and bar.", {"left": "foo", "right": "bar"})],
)
def join(left: str, right: str, sep: str = " ") -> str:
    """``left + sep + right``."""
    return f"{left}{sep}{right}"


@api(
    category="Tools",
    description="Repeat a value back with its Python type name.",
    params={"value": {"description": "Any JSON value."}},
    templates=["Echo {value}."],
    examples=[("Echo 2024-12-25.", {"value": "2024-12-25"})],
)
def echo(value: Any) -> dict[str, Any]:
    """The value as received, and its type: shows that nothing was evaluated on the way."""
    return {"value": value, "type": type(value).__name__}


def lookup(key: str) -> dict[str, str]:
    """An error payload for an unknown key, as many real APIs answer."""
    if key == "known":
        return {"key": key, "value": "found"}
    return {"error": f"no entry {key!r}"}


def fail(message: str) -> None:
    """Raise ValueError: an ordinary tool failure."""
    raise ValueError(message)


class Opaque:
    """An object JSON knows nothing about."""

    def __str__(self) -> str:
        return "<opaque>"


def odd_result() -> dict[str, Any]:
    """A result with values JSON has no type for: a set, a date, an arbitrary object."""
    return {"tags": {"a"}, "when": datetime.date(2024, 12, 25), "thing": Opaque()}


def pause(seconds: float, value: int) -> int:
    """Sleep ``seconds`` and return ``value``: a slow call that finishes (not a tool)."""
    import time

    time.sleep(seconds)
    return value
