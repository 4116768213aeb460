"""A tool whose results are as large as asked, for outputs that outgrow a Kafka request.

Register with ``library.python_modules = ["tests.support.poison_tools"]``.
"""

from __future__ import annotations

from apigen_stream.library.registry import api


@api(
    category="Tools",
    description="A text of the given length.",
    params={"size": {"type": "integer", "minimum": 0, "maximum": 900_000, "description": "Chars."}},
    templates=["Make a text of {size} characters."],
    examples=[("Make a text of 3 characters.", {"size": 3})],
)
def pad(size: int) -> str:
    """``size`` times ``x``."""
    return "x" * size
