"""Keyword calls of functions that take their arguments by position only (``math.gcd``...).

The sandbox calls a tool with keyword arguments. A harvested function whose parameters are
positional-only (most C functions of the standard library) is offered with target
``apigen_stream.library.by_position:math.comb``: attribute access on this module walks to the
real function and returns a wrapper that passes the arguments in the signature's order.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from typing import Any


class _Path:
    """A dotted path being walked: a module, then attributes, down to a callable."""

    def __init__(self, dotted: str) -> None:
        self._dotted = dotted

    def __getattr__(self, part: str) -> Any:
        if part.startswith("__"):
            raise AttributeError(part)
        return resolve(f"{self._dotted}.{part}")


@functools.cache
def resolve(dotted: str) -> Any:
    """The wrapper of the function at ``dotted``, or a ``_Path`` to walk further."""
    module_name, _, attr = dotted.rpartition(".")
    try:
        return _Path(importlib.import_module(dotted).__name__)
    except ImportError:
        pass
    obj = getattr(importlib.import_module(module_name), attr) if module_name else None
    if obj is None or not callable(obj):
        return _Path(dotted)
    return keyword_call(obj)


def keyword_call(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` callable by keyword: positional-only parameters are passed by position."""
    parameters = list(inspect.signature(func).parameters.values())

    def call(**arguments: Any) -> Any:
        positional = []
        for p in parameters:
            if p.kind is not p.POSITIONAL_ONLY:
                break
            if p.name not in arguments:
                break  # the rest take their defaults
            positional.append(arguments.pop(p.name))
        return func(*positional, **arguments)

    return call


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return resolve(name)
