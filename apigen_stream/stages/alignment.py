"""Query ↔ call alignment: the semantic stage's rules on what a row *says*, before any judge.

A row can execute fine and still teach a model the wrong thing: a required argument the query
never states (made up by the generator), a number in the query that reaches no argument, a text
argument that differs from the query's text, an option that means nothing under the chosen mode,
the same call twice, values that break the API's own constraints, a degenerate result. Each rule
here returns the failure with its own reason code. Pure functions over the query, the calls and
the results; they apply to offline and model output alike.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any

import pycountry

from apigen_stream.library.builtin.constraints import broken
from apigen_stream.library.builtin.realistic import Realism, realism_of
from apigen_stream.offline.wording import code_text, number_text, shown
from apigen_stream.records import Call, Outcome, Tool

# Reason codes of these rules (``reasons.STAGE_REASONS["semantic"]``).
VALUE_NOT_IN_QUERY = "value_not_in_query"
QUERY_VALUE_UNUSED = "query_value_unused"
TEXT_ALTERED = "text_altered"
OPTION_WITHOUT_CHOICE = "option_without_choice"
DUPLICATE_CALL = "duplicate_call"
CONSTRAINT_VIOLATION = "constraint_violation"
DEGENERATE_RESULT = "degenerate_result"
RESULT_OUT_OF_SCALE = "result_out_of_scale"


# Words by which a query asks for the same thing twice on purpose.
_TWICE = re.compile(r"\b(twice|again|two times|both times)\b", re.IGNORECASE)
# A number: not inside a word ("H2O", "2d6"), thousands with commas or not; a unit may follow
# ("3x", "5km"), a further digit may not, nor a capital: "2B", "1RM", "4K" are names.
_NUMBER = re.compile(r"(?<![\w.])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d|,\d|\.\d|[A-Z])")
# "9:00": the hour a person means; other clock times are text arguments.
_WHOLE_HOUR = re.compile(r"\b(\d{1,2}):00\b")
_SPACES = re.compile(r"\s+")
# Parameters whose two-letter codes are countries ("region": "GB" is the UK, "size_unit": "GB" is
# not), and the short names people write that ISO 3166 does not list.
_COUNTRY_PARAMETER = re.compile(r"country|region|nation|market|jurisdiction", re.IGNORECASE)
_COUNTRY_SHORT = {
    "GB": ("UK", "Britain", "British", "England"),
    "US": ("USA", "America", "American"),
    "AE": ("UAE", "Emirates"),
    "NL": ("Holland", "Dutch"),
    "KR": ("Korea",),
    "RU": ("Russia",),
}
# Free text: strings a person types as such (a sentence, a name with spaces), not codes.
FREE_TEXT_MIN_WORDS = 3


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text.replace("’", "'")).strip().lower()


def numbers_in(text: str) -> list[float]:
    """The numbers a text states: 1,250 and 1250 alike; digits inside words do not count."""
    found = []
    for match in _NUMBER.finditer(_WHOLE_HOUR.sub(r"\1", text)):
        token = match.group(0).replace(",", "").replace("−", "-")
        try:
            found.append(float(token))
        except ValueError:
            continue
    return found


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _date_forms(text: str) -> list[str]:
    """How a date can be written: ISO as given, and "July 1, 2024" / "1 July 2024"."""
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return [text]
    month = day.strftime("%B")
    return [text, text[:10], f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}"]


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, Mapping):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


@cache
def country_names(code: str) -> tuple[str, ...]:
    """How a query names the country of ISO code ``code``: "GB" as "United Kingdom" or "UK"."""
    country = pycountry.countries.get(alpha_2=code)
    names = [getattr(country, a, "") for a in ("name", "common_name", "official_name")]
    return (*(n for n in names if n), *_COUNTRY_SHORT.get(code, ()))


def value_stated(value: Any, name: str, query: str, realism: Realism) -> bool:
    """Whether the query states ``value`` (every item of a list or object)."""
    if isinstance(value, bool):
        display = realism.display.get(name, {})
        return value not in display or _norm(display[value]) in _norm(query)
    if isinstance(value, int | float):
        if any(_same_number(value, n) for n in numbers_in(query)):
            return True
        return _norm(shown(value, name, realism)) in _norm(query)
    if isinstance(value, str):
        lowered = _norm(query)
        forms = [value, code_text(value), shown(value, name, realism, True), *_date_forms(value)]
        if len(value) == 2 and value.isupper() and _COUNTRY_PARAMETER.search(name):
            forms.extend(country_names(value))
        return any(_norm(f) in lowered for f in forms if f.strip())
    if isinstance(value, Mapping):
        # An object's fields read by their own names ("unit": "piece" as "whole").
        return all(value_stated(v, k, query, realism) for k, v in value.items() if v is not None)
    if isinstance(value, list | tuple):
        return all(value_stated(v, name, query, realism) for v in value if v is not None)
    return True


def check_values_stated(
    query: str, calls: Sequence[Call], tools: Sequence[Tool]
) -> tuple[str, str] | None:
    """Every required argument's value is in the query: the generator made none up."""
    by_name = {t.name: t for t in tools}
    for call in calls:
        tool = by_name.get(call.name)
        required = tool.parameters.get("required", []) if tool else []
        realism = realism_of(call.name)
        for name in required:
            if name in call.arguments and not value_stated(
                call.arguments[name], name, query, realism
            ):
                return (
                    VALUE_NOT_IN_QUERY,
                    f"{call.name}: {name}={call.arguments[name]!r:.80} is not stated in the query",
                )
    return None


def _known_numbers(calls: Sequence[Call], tools: Sequence[Tool]) -> list[float]:
    """Numbers a query may state: the calls' values, the tools' defaults and descriptions."""
    known: list[float] = []
    for call in calls:
        for leaf in _leaves(call.arguments):
            if isinstance(leaf, int | float) and not isinstance(leaf, bool):
                known.append(float(leaf))
            elif isinstance(leaf, str):
                known.extend(numbers_in(leaf))
    for tool in tools:
        known.extend(numbers_in(tool.description + " " + tool.name.replace("_", " ")))
        for prop in tool.parameters.get("properties", {}).values():
            if isinstance(prop, Mapping):
                known.extend(
                    float(v) for v in _leaves(prop.get("default")) if isinstance(v, int | float)
                )
                known.extend(numbers_in(str(prop.get("description", ""))))
    return known


def _without_texts(query: str, calls: Sequence[Call]) -> str:
    """The query minus the text arguments it quotes (their digits belong to the text)."""
    rest = query
    strings = {v for c in calls for v in _leaves(c.arguments) if isinstance(v, str)}
    # An enum code reads as words in the query ("high_19_36" as "high (19-36)").
    shown_forms = {
        shown(v, k, realism_of(c.name), True)
        for c in calls
        for k, v in c.arguments.items()
        if isinstance(v, str)
    }
    texts = sorted(strings | shown_forms | {code_text(s) for s in strings}, key=len, reverse=True)
    for text in texts:
        if len(text) >= 2:
            rest = rest.replace(text, " ")
    return rest


def _split_decimal(number: float, known: Sequence[float]) -> bool:
    """ "52.4 overs" for overs 52 and balls 4: a decimal whose two parts are both values."""
    whole, _, fraction = number_text(number).partition(".")
    if not fraction:
        return False
    parts = (float(whole), float(fraction))
    return all(any(_same_number(p, k) for k in known) for p in parts)


def check_query_values_used(
    query: str, calls: Sequence[Call], tools: Sequence[Tool]
) -> tuple[str, str] | None:
    """Every number the query states reaches an argument (or is a default it restates)."""
    if not calls:
        return None
    known = _known_numbers(calls, tools)
    for number in numbers_in(_without_texts(query, calls)):
        restated = any(_same_number(abs(number), abs(k)) for k in known)
        if not restated and not _split_decimal(number, known):
            return (
                QUERY_VALUE_UNUSED,
                f"the query states {number_text(number)}, which no argument takes",
            )
    return None


def is_free_text(value: Any, schema: Mapping[str, Any]) -> bool:
    """A string argument a person types as prose: several words, no enum, no format."""
    return (
        isinstance(value, str)
        and not schema.get("enum")
        and not schema.get("format")
        and len(value.split()) >= FREE_TEXT_MIN_WORDS
    )


def check_text_verbatim(
    query: str, calls: Sequence[Call], tools: Sequence[Tool]
) -> tuple[str, str] | None:
    """A free-text argument is exactly the query's text: a model must not learn to alter text."""
    by_name = {t.name: t for t in tools}
    for call in calls:
        tool = by_name.get(call.name)
        props = tool.parameters.get("properties", {}) if tool else {}
        for name, value in call.arguments.items():
            if is_free_text(value, props.get(name, {})) and value not in query:
                return TEXT_ALTERED, f"{call.name}: {name}={value!r:.80} is not the query's text"
    return None


def check_options(calls: Sequence[Call]) -> tuple[str, str] | None:
    """Options that apply only under another choice appear only with that choice."""
    for call in calls:
        for option, (controller, allowed) in realism_of(call.name).only_with.items():
            if option in call.arguments and call.arguments.get(controller) not in allowed:
                chosen = call.arguments.get(controller)
                return (
                    OPTION_WITHOUT_CHOICE,
                    f"{call.name}: {option} means nothing with {controller}={chosen!r}",
                )
    return None


def check_duplicates(query: str, calls: Sequence[Call]) -> tuple[str, str] | None:
    """No two identical calls, unless the query asks for the same thing twice."""
    seen: list[Call] = []
    for call in calls:
        if call in seen and not _TWICE.search(query):
            return DUPLICATE_CALL, f"{call.name} is called twice with the same arguments"
        seen.append(call)
    return None


def check_constraints(calls: Sequence[Call]) -> tuple[str, str] | None:
    """The API's own cross-field constraints (successes <= pool, weights sum to 100)."""
    for call in calls:
        rule = broken(realism_of(call.name).constraints, call.arguments)
        if rule is not None:
            return CONSTRAINT_VIOLATION, f"{call.name}: breaks {rule}"
    return None


def _degenerate(result: Any) -> str | None:
    if isinstance(result, list) and not result:
        return "an empty list"
    if isinstance(result, Mapping):
        for key, value in result.items():
            if "probability" in key and isinstance(value, int | float) and value == 0:
                return f"{key} 0"
        lists = [v for v in result.values() if isinstance(v, list)]
        # Strings in a result mostly echo the request ("city": "Paris"); numbers are findings.
        numbers = [v for v in result.values() if isinstance(v, int | float) and v]
        if lists and all(not v for v in lists) and not numbers:
            return "nothing but empty lists"
    return None


def _out_of_scale(result: Any, bounds: Mapping[str, tuple[float, float]]) -> str | None:
    """A result field outside the API's realistic output, or a number that is no number."""
    for leaf in _leaves(result):
        if isinstance(leaf, float) and (math.isnan(leaf) or math.isinf(leaf)):
            return repr(leaf)
    if not isinstance(result, Mapping):
        return None
    for key, (low, high) in bounds.items():
        value = result.get(key)
        if isinstance(value, int | float) and not low <= value <= high:
            realistic = f"{number_text(low)} to {number_text(high)}"
            return f"{key} {number_text(value)} (realistic: {realistic})"
    return None


def check_degenerate(outcomes: Sequence[Outcome]) -> tuple[str, str] | None:
    """Results a user learns nothing from (probability 0, empty lists), or out of scale."""
    for outcome in outcomes:
        what = _degenerate(outcome.result)
        if what is not None:
            return DEGENERATE_RESULT, f"{outcome.name} returned {what}"
        beyond = _out_of_scale(outcome.result, realism_of(outcome.name).result_bounds)
        if beyond is not None:
            return RESULT_OUT_OF_SCALE, f"{outcome.name} returned {beyond}"
    return None


def check_alignment(
    query: str, calls: Sequence[Call], tools: Sequence[Tool], outcomes: Sequence[Outcome]
) -> tuple[str, str] | None:
    """The first alignment rule that fails as (reason, detail), or None."""
    return (
        check_duplicates(query, calls)
        or check_constraints(calls)
        or check_options(calls)
        # Text first: an altered text is also "not stated", and the narrower code says why.
        or check_text_verbatim(query, calls, tools)
        or check_values_stated(query, calls, tools)
        or check_query_values_used(query, calls, tools)
        or check_degenerate(outcomes)
    )
