# mypy: disallow-untyped-defs=False
# (untyped on purpose: the importer and harvester read types from the docstrings)
"""Pole survey helpers

A small package the harvester's tests walk.
>>> pole_height(3.0, 4.0)
5.0
"""

from __future__ import annotations

import datetime
import math


def pole_height(base: float, rise: float) -> float:
    """Length of a guy wire from its anchor distance and the height it reaches."""
    return math.hypot(base, rise)


def wire_count(poles):
    """Number of wires needed for a row of poles, two per span.

    Args:
        poles (int): How many poles stand in the row.
    """
    return max(0, 2 * (poles - 1))


def span_label(index, prefix="S"):
    """The label painted on a span, such as S07.

    >>> span_label(7)
    'S07'
    """
    return f"{prefix}{index:02d}"


def undocumented(x: int) -> int:
    return x


def constant() -> int:
    """The survey's fixed datum height in metres."""
    return 12


def survey_day(when: datetime.date | None = None) -> float:
    """The day of the lunar month on a date of the survey (today when none is given)."""
    return float(((when or datetime.date.today()).toordinal() - 3) % 29.53)


def evaluate_formula(text: str) -> float:
    """Compute a survey formula written as Python text."""
    return float(eval(text))  # the harvester must refuse this one


def guess(anything):
    """A function whose argument has no type anywhere at all."""
    return anything


def _private(x: int) -> int:
    """A private helper that is never a tool of its own."""
    return x
