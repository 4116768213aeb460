# mypy: disallow-untyped-defs=False
# (untyped on purpose: the importer and harvester read types from the docstrings)
"""A module where one function cannot be a tool (an argument with no type anywhere)."""


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def mystery(thing):
    """Do something with a thing nobody typed."""
    return thing


def scale(value: float, factor: float = 2.0) -> float:
    """Multiply a value by a factor."""
    return value * factor
