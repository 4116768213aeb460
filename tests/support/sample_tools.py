"""Plain annotated functions with Google-, NumPy- and Sphinx-style docstrings, no decorators:
the Python importer reads their schemas from the signatures and docstrings alone."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

CATEGORY = "Tools"


def convert_temperature(
    value: float,
    unit: Literal["celsius", "fahrenheit"],
    precision: int = 1,
) -> dict[str, float]:
    """Convert a temperature between Celsius and Fahrenheit.

    The result is rounded to the requested precision.

    Args:
        value (float): The temperature to convert.
        unit: The unit of ``value``; the result is in the
            other unit.
        precision: Digits after the decimal point.

    Returns:
        The converted temperature and its unit.
    """
    converted = value * 9 / 5 + 32 if unit == "celsius" else (value - 32) * 5 / 9
    return {"value": round(converted, precision)}


def word_stats(
    words: list[str],
    min_length: int | None = None,
    weights: dict[str, float] | None = None,
    case_sensitive: bool = False,
) -> dict[str, int]:
    """Count words and the distinct ones among them.

    Parameters
    ----------
    words : list of str
        The words to count.
    min_length : int, optional
        Ignore words shorter than this.
    weights : dict, optional
        A weight per word, for a weighted count.
    case_sensitive : bool
        Whether ``Word`` and ``word`` differ.

    Returns
    -------
    dict
        ``total`` and ``distinct`` counts.
    """
    kept = [w if case_sensitive else w.lower() for w in words if len(w) >= (min_length or 0)]
    return {"total": len(kept), "distinct": len(set(kept))}


def scale_points(
    points: list[list[int]],
    factor: Annotated[float, "Multiplier applied to every coordinate."],
    label: Optional[str],  # noqa: UP045 (the Optional spelling is what is tested)
) -> list[list[float]]:
    """Scale 2-D points by a factor.

    :param points: Points as [x, y] pairs.
    :param label: A name for the scaled set.
    """
    return [[x * factor for x in p] for p in points]


def _private_helper(x: int) -> int:
    return x
