"""Realistic argument values for the offline generator: what a person would type, not the schema.

The schema's range says what an API accepts (a loan of up to 10^9 over 50 years at 100 %); people
ask about a 250000 loan over 30 years at 6.5 %. Values here come, in order, from the API's hint
(``library/builtin/realistic.py``), from inference on the parameter's name (years, coordinates,
timestamps), and from the API's seed example, varied around its magnitude at its own precision.
Only when none applies does the schema sampler of ``offline.py`` decide. Pure functions.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apigen_stream.library.builtin.constraints import broken
from apigen_stream.library.builtin.realistic import KEEP, NAME_HINTS, Realism
from apigen_stream.library.builtin.realistic_hints import GENERAL_CONSTRAINTS

# A varied number stays within this factor of the seed example's value, both ways.
SPREAD = 2.5

# Items of one list move together by the list's factor, then each by up to this much.
ITEM_SPREAD = 1.3

# Dates move together by up to this many days, so "from <= to" and durations survive.
DATE_SHIFT_DAYS = 420

# Latest year a generated date or year may fall in: "within a few years of now".
LATEST_YEAR = 2027
EARLIEST_RECENT_YEAR = 2020

# Unix timestamps: seconds from 2020-01-01 to 2027-12-31.
TIMESTAMP_RANGE = (1_577_836_800, 1_830_297_599)

# Tries at arguments that satisfy the API's constraints before falling back to the seed example.
CONSTRAINT_TRIES = 30

# Real places, for coordinates: (latitude, longitude) of city centres, two decimals.
CITIES: tuple[tuple[float, float], ...] = (
    (48.86, 2.35), (51.51, -0.13), (40.71, -74.01), (35.68, 139.69), (-33.87, 151.21),
    (52.52, 13.40), (41.90, 12.50), (37.77, -122.42), (34.05, -118.24), (19.43, -99.13),
    (-23.55, -46.63), (55.76, 37.62), (28.61, 77.21), (1.35, 103.82), (30.04, 31.24),
    (-1.29, 36.82), (43.65, -79.38), (59.33, 18.07), (40.42, -3.70), (25.20, 55.27),
    (37.57, 126.98), (-34.60, -58.38), (47.61, -122.33), (45.50, -73.57), (60.17, 24.94),
)  # fmt: skip

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_LAT = re.compile(r"(^|_)(lat|latitude)(\d*)($|_)")
_LON = re.compile(r"(^|_)(lon|lng|long|longitude)(\d*)($|_)")


@dataclass(frozen=True, slots=True)
class Draw:
    """What the values of one call share: a base example, a date shift and a city per place."""

    base: Mapping[str, Any]
    date_shift: int
    cities: Mapping[str, tuple[float, float]]
    # Values of parameters hinted together ("city,country_code": [("Paris", "FR"), ...]).
    together: Mapping[str, Any]
    # One index into every string pool of the call: an API's example lists are written in step
    # (the first original text goes with the first revised one), so they stay paired.
    pick: int


def decimals(value: float) -> int:
    """Decimals a number is written with: 6.5 has 1, 200000.0 has 0 (at most 4)."""
    text = repr(float(value))
    if "e" in text or text.endswith(".0"):
        return 0
    return min(4, len(text.split(".")[1]))


def nice_int(x: float) -> int:
    """A whole number as people write it: 47 stays, 1843 becomes 1800, 243817 becomes 240000."""
    n = round(x)
    if abs(n) < 100:
        return n
    digits = len(str(abs(n)))
    keep = 2 if abs(n) >= 1000 else 3
    scale: int = 10 ** (digits - keep)
    return round(n / scale) * scale


def vary_number(rng: random.Random, value: float, places: int | None = None) -> float:
    """A number of the same magnitude and precision as ``value``."""
    if isinstance(value, int) and abs(value) <= 10:
        low = 1 if value > 0 else value - 3
        return rng.randint(low, max(low, value + 3)) if value != 0 else rng.choice((0, 0, 1, 2))
    factor = math.exp(rng.uniform(-math.log(SPREAD), math.log(SPREAD)))
    if isinstance(value, int):
        return nice_int(value * factor)
    shown = decimals(value) if places is None else places
    if shown == 0:
        return float(nice_int(value * factor))
    return round(value * factor, shown)


def from_hint(rng: random.Random, hint: Any, example: Any) -> Any:
    """A value from a hint: a range (of numbers or ISO dates), a list of choices, or the
    example kept as it is."""
    if hint == KEEP:
        return example
    if isinstance(hint, list):
        return rng.choice(hint)
    low, high, *rest = hint
    if isinstance(low, str):
        first, last = dt.date.fromisoformat(low), dt.date.fromisoformat(high)
        return (first + dt.timedelta(days=rng.randint(0, (last - first).days))).isoformat()
    if isinstance(low, int) and isinstance(high, int) and not rest:
        return rng.randint(low, high)
    places = rest[0] if rest else max(decimals(float(low)), decimals(float(high)))
    value = round(rng.uniform(float(low), float(high)), places)
    return int(value) if places == 0 else value


def _place_key(name: str) -> tuple[str, str] | None:
    """("lat"|"lon", the key shared by a latitude and its longitude) for coordinate names."""
    for kind, pattern in (("lat", _LAT), ("lon", _LON)):
        if pattern.search(name):
            return kind, pattern.sub(r"\1#\3\4", name)
    return None


def shift_date(text: str, days: int) -> str:
    """An ISO date (or date-time) moved by ``days``, kept no later than ``LATEST_YEAR``."""
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return text
    moved = day + dt.timedelta(days=days)
    if moved.year > LATEST_YEAR:
        moved = moved.replace(year=LATEST_YEAR) if moved.month != 2 else moved - dt.timedelta(365)
    return moved.isoformat() + text[10:]


def _inferred(rng: random.Random, name: str, example: Any, draw: Draw) -> Any:
    """A value inferred from the parameter's name and example; ``None`` when nothing applies."""
    place = _place_key(name)
    if place is not None and isinstance(example, int | float):
        latitude, longitude = draw.cities[place[1]]
        return latitude if place[0] == "lat" else longitude
    lowered = name.lower()
    if isinstance(example, int | float) and ("timestamp" in lowered or "epoch" in lowered):
        return rng.randint(*TIMESTAMP_RANGE)
    is_year = "year" in lowered and not lowered.endswith("years")
    if isinstance(example, int) and is_year and 1900 <= example <= 2100:
        low = EARLIEST_RECENT_YEAR if example >= EARLIEST_RECENT_YEAR else example - 8
        return rng.randint(low, min(LATEST_YEAR, max(low, example + 3)))
    if isinstance(example, str) and _ISO_DATE.match(example):
        return shift_date(example, draw.date_shift)
    return None


def _vary(rng: random.Random, value: Any, schema: Mapping[str, Any]) -> Any:
    """The seed example's value varied: numbers by magnitude, lists and objects item by item."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return vary_number(rng, value)
    if isinstance(value, list | tuple):
        items = schema.get("items", {}) if isinstance(schema.get("items"), dict) else {}
        # A series (daily temperatures, cash flows) moves together, each item a little.
        factor = math.exp(rng.uniform(-math.log(SPREAD), math.log(SPREAD)))
        return [_vary_item(rng, v, items, factor) for v in value]
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: _vary(rng, v, props.get(k, {})) for k, v in value.items()}
    return value


def _vary_item(rng: random.Random, value: Any, schema: Mapping[str, Any], factor: float) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) <= 10:
        return _vary(rng, value, schema)
    moved = value * factor * rng.uniform(1 / ITEM_SPREAD, ITEM_SPREAD)
    if isinstance(value, int):
        return nice_int(moved) if abs(value) >= 1000 else round(moved)
    return round(moved, decimals(value))


def _clamped(value: Any, schema: Mapping[str, Any]) -> Any:
    """A number pulled inside the schema's bounds (the other values pass through)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if isinstance(low, int | float) and value <= low:
        value = low if "minimum" in schema else low + (1 if isinstance(value, int) else 0.1)
    if isinstance(high, int | float) and value >= high:
        value = high if "maximum" in schema else high - (1 if isinstance(value, int) else 0.1)
    return round(value, 4) if isinstance(value, float) else value


def _string_pool(
    name: str, schema: Mapping[str, Any], examples: Sequence[Mapping[str, Any]]
) -> list[Any]:
    seen = [e[name] for e in examples if name in e and isinstance(e[name], str)]
    pool = list(schema.get("examples") or ())
    return list(dict.fromkeys([*pool, *seen]))


def realistic_value(
    rng: random.Random,
    name: str,
    schema: Mapping[str, Any],
    realism: Realism,
    examples: Sequence[Mapping[str, Any]],
    draw: Draw,
) -> tuple[bool, Any]:
    """(found, value) for one parameter; not found leaves the choice to the schema sampler."""
    example = draw.base.get(name, schema.get("default"))
    if name in draw.together:
        return True, draw.together[name]
    if name in realism.hints:
        return True, from_hint(rng, realism.hints[name], example)
    if name in NAME_HINTS and isinstance(example, int | float) and not isinstance(example, bool):
        return True, _clamped(from_hint(rng, NAME_HINTS[name], example), schema)
    if schema.get("enum"):
        return True, rng.choice(list(schema["enum"]))
    inferred = _inferred(rng, name, example, draw)
    if inferred is not None:
        return True, _clamped(inferred, schema)
    if isinstance(example, str) or schema.get("type") == "string":
        pool = _string_pool(name, schema, examples)
        return (True, pool[draw.pick % len(pool)]) if pool else (example is not None, example)
    if example is None or (isinstance(example, list | tuple) and not example):
        # Nothing to vary: an empty default list reads as nothing in a query.
        return False, None
    return True, _clamped(_vary(rng, example, schema), schema)


def new_draw(
    rng: random.Random,
    examples: Sequence[Mapping[str, Any]],
    names: Sequence[str],
    realism: Realism,
) -> Draw:
    """The shared part of one call's values: which example to start from, dates, places, and
    the parameters hinted together."""
    base = rng.choice(list(examples)) if examples else {}
    keys = {key[1] for key in map(_place_key, names) if key is not None}
    cities = dict(zip(sorted(keys), rng.sample(CITIES, len(keys)), strict=True))
    together: dict[str, Any] = {}
    for joined, options in realism.hints.items():
        if "," in joined:
            together.update(zip(joined.split(","), rng.choice(options), strict=True))
    shift = rng.randint(-DATE_SHIFT_DAYS, DATE_SHIFT_DAYS)
    pick = rng.randrange(1 << 16)
    return Draw(base=base, date_shift=shift, cities=cities, together=together, pick=pick)


Fallback = Callable[[random.Random, dict[str, Any]], Any]


def realistic_arguments(
    rng: random.Random,
    parameters: Mapping[str, Any],
    wanted: Sequence[str],
    realism: Realism,
    examples: Sequence[Mapping[str, Any]],
    fallback: Fallback,
) -> dict[str, Any]:
    """Values for the ``wanted`` parameters that satisfy the API's constraints when it can."""
    properties: Mapping[str, Any] = parameters.get("properties", {})
    names = [n for n in dict.fromkeys(wanted) if n in properties]
    arguments: dict[str, Any] = {}
    for _ in range(CONSTRAINT_TRIES):
        draw = new_draw(rng, examples, names, realism)
        arguments = {}
        for name in names:
            found, value = realistic_value(rng, name, properties[name], realism, examples, draw)
            arguments[name] = value if found else fallback(rng, dict(properties[name]))
        _apply_only_with(rng, arguments, realism)
        if broken((*realism.constraints, *GENERAL_CONSTRAINTS), arguments) is None:
            return arguments
    seed = examples[0] if examples else {}
    return {n: seed.get(n, arguments.get(n)) for n in names}


def _apply_only_with(rng: random.Random, arguments: dict[str, Any], realism: Realism) -> None:
    """An option that applies under one choice brings that choice with it."""
    for option, (controller, allowed) in realism.only_with.items():
        if option in arguments and controller in arguments and arguments[controller] not in allowed:
            arguments[controller] = rng.choice(list(allowed))
