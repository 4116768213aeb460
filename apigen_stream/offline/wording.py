"""How argument values read in a query, and how several requests join into one.

A person writes "thirty-second notes", "85th percentile", "Ana paid 120, Ben paid 30" and
"12 km", not ``thirty_second``, ``85.72th``, a Python dict or ``12.0 km``. The semantic stage's
alignment rules use the same ``shown`` text to find a value in a query, so what the offline
generator writes and what the rules look for cannot drift apart. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from apigen_stream.library.builtin.realistic import Realism

_PLACEHOLDER_SUFFIX = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}(st|nd|rd|th)\b")
_PHRASE_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def number_text(value: float) -> str:
    """A number as written: 12 for 12.0, 0.25 as is, no exponent for ordinary magnitudes."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.10f}".rstrip("0").rstrip(".") if abs(value) >= 1e-6 else repr(value)
    return str(value)


def ordinal(value: Any) -> str:
    """1st, 2nd, 3rd, 11th, 85th."""
    n = int(value)
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }".replace(" ", "")


def and_list(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def code_text(code: str) -> str:
    """An enum code as words (``double_declining`` → "double declining"); a display table
    handles the codes that read differently ("fl_oz" → "fl oz" reads fine, "thirty_second" is
    "thirty-second")."""
    return code.replace("_", " ")


def shown(value: Any, name: str, realism: Realism, coded: bool = False) -> str:
    """The text ``value`` of parameter ``name`` reads as in a query; ``coded``: the parameter
    is an enum, whose ``snake_case`` codes read as words (free text stays as it is)."""
    table = realism.display.get(name, {})
    if not isinstance(value, list | dict) and value in table and not _bool_int_clash(value, table):
        return table[value]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, list):
        phrase = realism.phrases.get(name)
        items = [_item(v, phrase, realism) for v in value]
        if phrase == BRACKETS or any(isinstance(v, list) for v in value):
            return _bracketed(value)
        return and_list(items)
    if isinstance(value, dict):
        return _item(value, realism.phrases.get(name), realism)
    text = str(value)
    return code_text(text) if coded else text


# A ``PHRASES`` entry that writes a list in brackets, as vectors and matrices are written.
BRACKETS = "[]"


def _bracketed(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_bracketed(v) for v in value) + "]"
    return number_text(value) if isinstance(value, int | float) else str(value)


def _bool_int_clash(value: Any, table: Mapping[Any, str]) -> bool:
    # True == 1 in a dict: a display table keyed by booleans must not rename the number 1.
    return not isinstance(value, bool) and any(isinstance(k, bool) for k in table)


def _item(value: Any, phrase: str | None, realism: Realism) -> str:
    if isinstance(value, dict):
        if phrase:
            return _PHRASE_FIELD.sub(
                lambda m: shown(value.get(m.group(1), ""), m.group(1), realism), phrase
            )
        return ", ".join(f"{k.replace('_', ' ')} {shown(v, k, realism)}" for k, v in value.items())
    if isinstance(value, list):
        return "(" + ", ".join(shown(v, "", realism) for v in value) + ")"
    return shown(value, "", realism)


# "1 cycles", "1 TDs": a count of one before a plural noun of the template.
_ONE_PLURAL = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}( [A-Za-z]*[A-Za-rt-z])s\b")


def is_coded(schema: Any) -> bool:
    """Whether a parameter's values are codes of an enum (its items' enum for a list)."""
    if not isinstance(schema, Mapping):
        return False
    items = schema.get("items")
    return bool(schema.get("enum")) or (isinstance(items, Mapping) and bool(items.get("enum")))


# "a 8-year bond", "a odd bet", "a X post", "a F# chord" read "an ...": the value said after
# "a" starts with a vowel sound. Words with a vowel letter but not a vowel sound ("one",
# "European", "unit", "UV") keep "a". Only a value the template puts after "a" is looked at.
_VOWEL_SOUND = re.compile(
    r"(?:8|11|18)(?:\d{3})*\b|8\d*\b|8[-\d]|[AEFHILMNORSX](?:[#b]|\b)|"
    r"(?!(?i:one|once|eu|uni|use|usu|ut)|U[A-Z])[aeiouAEIOU]"
)
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?=\s|$)")
_A_PLACEHOLDER = re.compile(r"\b([Aa]) \{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(
    template: str,
    arguments: Mapping[str, Any],
    realism: Realism,
    properties: Mapping[str, Any] | None = None,
) -> str:
    """The template with each placeholder replaced by its value as a person writes it."""
    props = properties or {}

    def shown_of(name: str) -> str:
        return shown(arguments.get(name, ""), name, realism, is_coded(props.get(name)))

    template = _A_PLACEHOLDER.sub(
        lambda m: (
            f"{m.group(1)}n {{{m.group(2)}}}"
            if _VOWEL_SOUND.match(shown_of(m.group(2)))
            else m.group(0)
        ),
        template,
    )
    template = _ONE_PLURAL.sub(
        lambda m: m.group(0)[:-1] if arguments.get(m.group(1)) == 1 else m.group(0), template
    )
    text = _PLACEHOLDER_SUFFIX.sub(
        lambda m: (
            ordinal(arguments[m.group(1)])
            if isinstance(arguments.get(m.group(1)), int | float)
            else m.group(0)
        ),
        template,
    )
    filled = _PHRASE_FIELD.sub(lambda m: shown_of(m.group(1)), text)
    # "...White, E. B.." : a value that ends a sentence with its own full stop keeps only one.
    return _DOUBLE_STOP.sub(".", filled)


def _sentence(part: str, open_ended: bool = False) -> str:
    part = part.strip()
    # A request that ends in the user's own text ("...this message: Meet at 5pm? 😀") gets no
    # full stop of ours: it would read as part of the text; a new line ends it instead.
    if open_ended:
        return part + "\n"
    return part if part.endswith(("?", ".", "!")) else part + "."


def _lower_first(part: str) -> str:
    first = part.split(" ", 1)[0]
    # "ISBN ...", "I need ...", "iPhone": the first word keeps its case unless it is ordinary.
    if (
        first == "I"
        or first.startswith("I'")
        or not first[:1].isupper()
        or any(c.isupper() for c in first[1:])
    ):
        return part
    return part[:1].lower() + part[1:]


# How the second and third requests of one query start.
_CONNECTORS = ("Also, ", "And ")


def join_queries(parts: Sequence[str], open_ended: Sequence[bool] = ()) -> str:
    """Several requests as one query: "What is X? Also, convert Y. And what is Z?".

    ``open_ended[i]``: part ``i`` ends with a text argument, so no full stop is added to it.
    """
    ends = [*open_ended, *[False] * len(parts)]
    text = _sentence(parts[0], ends[0])
    for i, part in enumerate(parts[1:]):
        connector = _CONNECTORS[min(i, len(_CONNECTORS) - 1)]
        gap = "" if text.endswith("\n") else " "
        text += gap + connector + _sentence(_lower_first(part), ends[i + 1])
    return text.rstrip("\n")
