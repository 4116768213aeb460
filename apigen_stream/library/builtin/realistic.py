"""What a person would really ask each built-in API: value hints, constraints, option rules.

The JSON Schema of an API says what is *valid*; this says what is *realistic*. The offline
generator samples from here and the semantic rules check against it. Most parameters need no
entry: the generator starts from the API's seed example (hand-written, realistic) and varies it at
the example's own precision and magnitude, and it infers the rest from the parameter's name
(years, coordinates, timestamps). An entry is needed only where that is not enough.

A hint is one of:

- ``(low, high)``: a range people use; whole numbers when both ends are ints, else the decimals
  of the ends (``(0.5, 3.0)`` gives one decimal);
- a list: the values people pick from (each valid against the schema);
- ``KEEP``: always the seed example's value (identifiers that only work as written).

``NAME_HINTS`` give ranges by parameter name for every API (a person's ``height_cm``, ``age``),
where an API's own hint says nothing. ``CONSTRAINTS`` are cross-field rules (see
``constraints.py``). ``ONLY_WITH`` names options that apply only under another argument's
choice: ``{"shift": ("cipher", ("caesar",))}`` means ``shift`` is given only when ``cipher`` is
``caesar``. ``DISPLAY`` says how a value reads in a query where
the plain text would not (``{"tax_inclusive": {True: "tax included", False: "before tax"}}``);
enum codes otherwise read with spaces for underscores. ``PHRASES`` render one object of a list
(``"{person} paid {amount}"``). ``RESULT_BOUNDS`` bound what an API realistically answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from apigen_stream.library.builtin.realistic_hints import HINTS, KEEP, NAME_HINTS
from apigen_stream.library.builtin.realistic_tables import (
    CONSTRAINTS,
    DISPLAY,
    ONLY_WITH,
    PHRASES,
    RESULT_BOUNDS,
)

__all__ = ["KEEP", "NAME_HINTS", "Realism", "realism_of"]


@dataclass(frozen=True, slots=True)
class Realism:
    """The realistic-value declaration of one API (empty for tools we know nothing about)."""

    hints: Mapping[str, Any] = field(default_factory=dict)
    constraints: tuple[str, ...] = ()
    only_with: Mapping[str, tuple[str, tuple[Any, ...]]] = field(default_factory=dict)
    display: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    phrases: Mapping[str, str] = field(default_factory=dict)
    # Result field -> (low, high): what the API realistically answers; outside is a bad row.
    result_bounds: Mapping[str, tuple[float, float]] = field(default_factory=dict)


_NONE = Realism()


def realism_of(api_name: str) -> Realism:
    """The declaration of ``api_name``; an API without one gets the inferred defaults only."""
    tables = (HINTS, CONSTRAINTS, ONLY_WITH, DISPLAY, PHRASES, RESULT_BOUNDS)
    if not any(api_name in t for t in tables):
        return _NONE
    return Realism(
        hints=HINTS.get(api_name, {}),
        constraints=tuple(CONSTRAINTS.get(api_name, ())),
        only_with=ONLY_WITH.get(api_name, {}),
        display=DISPLAY.get(api_name, {}),
        phrases=PHRASES.get(api_name, {}),
        result_bounds=RESULT_BOUNDS.get(api_name, {}),
    )
