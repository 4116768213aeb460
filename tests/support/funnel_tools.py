"""Tools for the funnel scenario: plain text utilities with two trap values.

Every tool takes a required ``text``. The value ``RAISE_TEXT`` makes a tool raise and
``HANG_TEXT`` makes it sleep far past any sandbox time limit, so the scenario can inject "a call
that raises" and "a call that hangs" whichever tools the sampler happens to offer. Register them
with ``library.python_modules = ["tests.support.funnel_tools"]``.
"""

from __future__ import annotations

import time
from typing import Any

from apigen_stream.library.registry import api

RAISE_TEXT = "please-raise"
HANG_TEXT = "please-hang"

# Far beyond any sandbox wall-time limit a test sets: the sandbox, not the tool, ends the call.
HANG_SECONDS = 3600.0

_TEXT = {"type": "string", "minLength": 1, "description": "The text to work on."}


def _trap(text: str) -> None:
    if text == RAISE_TEXT:
        raise ValueError(f"cannot process {text!r}")
    if text == HANG_TEXT:
        time.sleep(HANG_SECONDS)


@api(
    category="Tools",
    description="Repeats a text a number of times.",
    params={
        "text": _TEXT,
        "times": {"type": "integer", "minimum": 1, "maximum": 5, "description": "Repeats."},
    },
    templates=["Repeat {text} {times} times.", "Say {text} {times} times over."],
    examples=[("Repeat hello 3 times.", {"text": "hello", "times": 3})],
)
def funnel_echo(text: str, times: int = 1) -> dict[str, Any]:
    """The text repeated ``times`` times."""
    _trap(text)
    return {"echo": " ".join([text] * times)}


@api(
    category="Tools",
    description="Counts the characters or the words of a text.",
    params={
        "text": _TEXT,
        "unit": {"type": "string", "enum": ["chars", "words"], "description": "What to count."},
    },
    templates=["How many {unit} are in {text}?", "Count the {unit} of {text}."],
    examples=[("How many words are in 'a b c'?", {"text": "a b c", "unit": "words"})],
)
def funnel_count(text: str, unit: str = "chars") -> dict[str, Any]:
    """The number of characters or words."""
    _trap(text)
    return {"count": len(text.split()) if unit == "words" else len(text), "unit": unit}


@api(
    category="Data",
    description="Scores a text: its length times a weight.",
    params={
        "text": _TEXT,
        "weight": {"type": "number", "minimum": 0, "maximum": 10, "description": "Weight."},
    },
    templates=["Score {text} with weight {weight}.", "What is the score of {text} at {weight}?"],
    examples=[("Score 'abc' with weight 2.", {"text": "abc", "weight": 2})],
)
def funnel_score(text: str, weight: float) -> dict[str, Any]:
    """Length times weight."""
    _trap(text)
    return {"score": len(text) * weight}


@api(
    category="Data",
    description="Tells whether a text is all upper case (strict) or has any upper case letter.",
    params={
        "text": _TEXT,
        "strict": {"type": "boolean", "description": "All upper case, not just any letter."},
    },
    templates=["Is {text} upper case?", "Does {text} shout (strict: {strict})?"],
    examples=[("Is 'HELLO' upper case?", {"text": "HELLO", "strict": True})],
)
def funnel_flag(text: str, strict: bool = False) -> dict[str, Any]:
    """Whether the text is upper case."""
    _trap(text)
    flagged = text.isupper() if strict else any(c.isupper() for c in text)
    return {"flagged": flagged}
