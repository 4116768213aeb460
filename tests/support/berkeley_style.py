# mypy: disallow-untyped-defs=False
# (untyped on purpose: the importer and harvester read types from the docstrings)
"""Executable functions in the Berkeley leaderboard's style: types only in Google docstrings."""


def calculate_triangle_area(base, height, unit="cm"):
    """Calculates the area of a triangle given its base and height.

    Args:
        base (int): The base of the triangle.
        height (int): The height of the triangle.
        unit (str, optional): The unit of the lengths. Defaults to "cm".
    """
    return {"area": base * height / 2, "unit": f"{unit}^2"}


def math_gcd(a, b):
    """Calculates the greatest common divisor of two numbers.

    Args:
        a (int): The first number.
        b (int): The second number.
    """
    while b:
        a, b = b, a % b
    return a


def mean_of(values):
    """Average of a list of numbers.

    Parameters
    ----------
    values : list of float
        The numbers to average.
    """
    return sum(values) / len(values)


def shout(text):
    """Upper-case a text.

    :param text: what to shout
    :type text: str
    """
    return text.upper()
