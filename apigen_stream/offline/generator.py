"""The offline generator: queries from each API's own templates, with realistic values.

Used when no LLM is configured. Values come from ``values.py`` (the API's hints, its seed example,
names), the schema sampler below only where those say nothing; they read in the query as
``wording.py`` writes them. ``offline_pairs(task, registry, seed)`` is a pure function: the
same task, library and seed always give the same pairs, each drawn from its own random source
keyed by (seed, task id, pair index), so a replayed task yields the same candidates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import string
from collections.abc import Sequence
from typing import Any

from apigen_stream.errors import UnknownApi
from apigen_stream.library.builtin.realistic import realism_of
from apigen_stream.library.registry import Api, Registry
from apigen_stream.llm.parse import Pair
from apigen_stream.offline.values import realistic_arguments
from apigen_stream.offline.wording import fill, join_queries
from apigen_stream.records import Call, Task, Tool

__all__ = ["join_queries", "offline_pairs", "render_call", "sample_arguments", "sample_value"]

# Calls in one parallel query: the paper's parallel examples mostly ask for two or three things.
PARALLEL_CALLS = (2, 3)

# Integer range when a schema gives no bounds: small, readable numbers a user would type.
DEFAULT_INT_RANGE = (1, 100)

# Irrelevance rows whose query comes from the offered tools' own category: same-domain tools
# that still cannot answer are the negatives a model learns most from.
NEAR_MISS_SHARE = 0.5

# Renderings tried for a request of a multi-call query before it is left out as a repeat.
DISTINCT_TRIES = 8

# An irrelevance query when the library has nothing outside the offered tools' categories.
FALLBACK_IRRELEVANT_QUERY = "Can you write a short poem about the sea at night?"

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_WORDS = ("alpha", "delta", "harbor", "meadow", "summit", "river", "cedar", "orbit")


def pair_rng(seed: int, task_id: str, index: int) -> random.Random:
    """The random source of one pair: independent of every other pair."""
    digest = hashlib.sha256(f"{seed}:{task_id}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _first_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return str(kind)


def sample_value(rng: random.Random, schema: dict[str, Any]) -> Any:
    """A value valid against ``schema``: enum, examples, then by type within its bounds."""
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return rng.choice(list(schema["enum"]))
    if schema.get("examples"):
        return rng.choice(list(schema["examples"]))
    kind = _first_type(schema)
    if kind == "integer":
        return _sample_int(rng, schema)
    if kind == "number":
        return _sample_number(rng, schema)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "array":
        return _sample_array(rng, schema)
    if kind == "object":
        return sample_arguments(rng, schema, optional=())
    if kind == "null":
        return None
    return _sample_string(rng, schema)


def _bounds(schema: dict[str, Any], step: float) -> tuple[float | None, float | None]:
    low = schema.get("minimum")
    if "exclusiveMinimum" in schema:
        low = schema["exclusiveMinimum"] + step
    high = schema.get("maximum")
    if "exclusiveMaximum" in schema:
        high = schema["exclusiveMaximum"] - step
    return low, high


def _sample_int(rng: random.Random, schema: dict[str, Any]) -> int:
    low, high = _bounds(schema, 1)
    default = schema.get("default")
    if low is None and high is None and isinstance(default, int) and default > 0:
        low, high = 1, max(default * 2, DEFAULT_INT_RANGE[1])
    lo = int(low) if low is not None else DEFAULT_INT_RANGE[0]
    hi = int(high) if high is not None else max(lo, DEFAULT_INT_RANGE[1]) + (lo if lo > 1 else 0)
    return rng.randint(lo, max(lo, hi))


def _sample_number(rng: random.Random, schema: dict[str, Any]) -> float:
    low, high = _bounds(schema, 0.01)
    lo = float(low) if low is not None else 0.5
    hi = float(high) if high is not None else max(lo * 10, 1000.0)
    # Two decimals, as people write amounts; rounding stays inside the (tightened) bounds.
    value = round(rng.uniform(lo, max(lo, hi)), 2)
    return min(max(value, lo), hi) if hi >= lo else lo


# Items beyond the minimum an offline query lists at most.
ARRAY_SPAN = 6


def _sample_array(rng: random.Random, schema: dict[str, Any]) -> list[Any]:
    items = schema.get("items", {})
    items = items if isinstance(items, dict) else {}
    low = int(schema.get("minItems", 1))
    # People write short lists in a query: a schema allowing 10,000 values still gets a few.
    high = min(int(schema.get("maxItems", low + ARRAY_SPAN)), low + ARRAY_SPAN)
    count = rng.randint(low, max(low, high))
    pool = items.get("enum") or items.get("examples")
    if pool and schema.get("uniqueItems") and count <= len(pool):
        return rng.sample(list(pool), count)
    return [sample_value(rng, items) for _ in range(count)]


def _sample_string(rng: random.Random, schema: dict[str, Any]) -> str:
    fmt = schema.get("format")
    if fmt == "date":
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(730))
        return day.isoformat()
    if fmt == "date-time":
        moment = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randrange(10**6))
        return moment.isoformat()
    if isinstance(schema.get("default"), str) and schema["default"]:
        return str(schema["default"])
    low = int(schema.get("minLength", 1))
    high = int(schema.get("maxLength", 40))
    word = rng.choice(_WORDS)
    if len(word) < low:
        word += "".join(rng.choices(string.ascii_lowercase, k=low - len(word)))
    return word[: max(high, low)]


def sample_arguments(
    rng: random.Random, parameters: dict[str, Any], optional: Sequence[str]
) -> dict[str, Any]:
    """Values for every required parameter and for the ``optional`` ones named."""
    properties: dict[str, Any] = parameters.get("properties", {})
    wanted = [*parameters.get("required", []), *optional]
    return {
        name: sample_value(rng, properties.get(name, {}))
        for name in dict.fromkeys(wanted)
        if name in properties
    }


def fallback_template(tool: Tool) -> str:
    """A plain query for a tool without templates: its description with its arguments."""
    names = list(tool.parameters.get("required", [])) or list(tool.parameters.get("properties", {}))
    shown = ", ".join(f"{n} {{{n}}}" for n in names)
    return f"Use {tool.name.replace('_', ' ')} with {shown}." if shown else tool.description


def _entry(tool: Tool, registry: Registry) -> Api | None:
    try:
        return registry.get(tool.name)
    except UnknownApi:
        return None


def _templates(tool: Tool, entry: Api | None) -> tuple[str, ...]:
    """The templates that state every required argument (all of them if none does)."""
    if entry is None or not entry.templates:
        return (fallback_template(tool),)
    required = set(tool.parameters.get("required", []))
    complete = tuple(t for t in entry.templates if required <= set(_PLACEHOLDER.findall(t)))
    return complete or entry.templates


def render_call(rng: random.Random, tool: Tool, registry: Registry) -> tuple[str, Call]:
    """One query sentence and the call that answers it, for ``tool``."""
    _, query, call = _render(rng, tool, registry, ())
    return query, call


def _render(
    rng: random.Random, tool: Tool, registry: Registry, avoid: Sequence[str]
) -> tuple[str, str, Call]:
    """(template, query, call); ``avoid``: templates used already, left out while others remain."""
    entry = _entry(tool, registry)
    templates = _templates(tool, entry)
    fresh = [t for t in templates if t not in avoid] or list(templates)
    template = rng.choice(fresh)
    placeholders = _PLACEHOLDER.findall(template)
    realism = realism_of(tool.name)
    examples = [c.arguments for e in (entry.examples if entry else ()) for c in e.calls
                if c.name == tool.name]  # fmt: skip
    wanted = [*tool.parameters.get("required", []), *placeholders]
    arguments = realistic_arguments(
        rng, tool.parameters, wanted, realism, examples, fallback=sample_value
    )
    query = fill(template, arguments, realism, tool.parameters.get("properties"))
    return template, query, Call(name=tool.name, arguments=arguments)


def irrelevant_api(rng: random.Random, offered: Sequence[Tool], registry: Registry) -> Api | None:
    """An API not offered: a near miss from the offered tools' own category (``NEAR_MISS_SHARE``
    of the time, when there is one), else one from another category."""
    names = {t.name for t in offered}
    categories = {t.category for t in offered}
    outside = [a for a in registry if a.name not in names and a.templates]
    near = sorted((a for a in outside if a.category in categories), key=lambda a: a.name)
    elsewhere = [a for a in outside if a.category not in categories]
    if near and rng.random() < NEAR_MISS_SHARE:
        return rng.choice(near)
    pool = sorted(elsewhere or outside, key=lambda a: a.name)
    return rng.choice(pool) if pool else None


def offline_pair(task: Task, index: int, registry: Registry, seed: int) -> Pair:
    """The ``index``-th pair of ``task``, rendered from templates in the task's style."""
    rng = pair_rng(seed, task.id, index)
    tools = task.tools
    if task.style == "irrelevance":
        return _irrelevant_pair(rng, tools, registry)
    if task.style in ("simple", "multiple"):
        query, call = render_call(rng, rng.choice(tools), registry)
        return Pair(query=query, calls=(call,))
    count = rng.choice(PARALLEL_CALLS)
    if task.style == "parallel":
        chosen = [tools[0]] * count
    else:
        chosen = rng.sample(list(tools), min(count, len(tools)))
        chosen += [tools[0]] * (2 - len(chosen))  # one offered tool: still two calls
    rendered = _distinct_calls(rng, chosen, registry)
    ends = [_ends_in_text(t, c) for t, _, c in rendered]
    query = join_queries([q for _, q, _ in rendered], ends)
    return Pair(query=query, calls=tuple(c for _, _, c in rendered))


def _ends_in_text(template: str, call: Call) -> bool:
    """Whether the request ends with the user's own free text (a message, a post)."""
    last = _PLACEHOLDER.findall(template.rstrip())
    if not last or not template.rstrip().endswith("}"):
        return False
    value = call.arguments.get(last[-1])
    return isinstance(value, str) and (" " in value.strip() or "\n" in value)


def _distinct_calls(
    rng: random.Random, chosen: Sequence[Tool], registry: Registry
) -> list[tuple[str, str, Call]]:
    """One request per tool, no two the same call and, while the API has others, no template
    twice: a query does not ask the same thing twice."""
    rendered: list[tuple[str, str, Call]] = []
    used: list[str] = []
    for tool in chosen:
        for _ in range(DISTINCT_TRIES):
            template, query, call = _render(rng, tool, registry, used)
            if all(call != c for _, _, c in rendered):
                break
        else:
            continue  # the API has too few distinct realistic calls: ask fewer things
        used.append(template)
        rendered.append((template, query, call))
    return rendered


def _irrelevant_pair(rng: random.Random, offered: Sequence[Tool], registry: Registry) -> Pair:
    other = irrelevant_api(rng, offered, registry)
    if other is None:
        return Pair(query=FALLBACK_IRRELEVANT_QUERY)
    query, _ = render_call(rng, other.tool(), registry)
    return Pair(query=query)


def offline_pairs(task: Task, registry: Registry, seed: int) -> list[Pair]:
    """Every pair the task asks for (at least one)."""
    return [offline_pair(task, i, registry, seed) for i in range(max(1, task.pairs))]
