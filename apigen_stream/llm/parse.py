"""Tolerant reading of LLM answers: generator pairs and judge verdicts. Pure, no I/O.

Models wrap JSON in code fences, write text around it, wrap the list in an object, or return a
single pair; all of that is read. What cannot be read is reported, never dropped: a whole answer
that is not JSON is one error, and a pair without its fields is an error of that pair only. Each
such error is an ``Unread``: one of the format stage's reason codes (``invalid_json``,
``missing_field`` or ``truncated``) and a detail, kept apart. An answer cut mid-way
(``[{pair1}, {pair2}, {"query":``, what an answer stopped by ``max_tokens`` looks like) gives
its complete pairs, and ONE more pair carrying the error for the part that could not be read,
so no pair the model wrote goes uncounted.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from typing import Any

from apigen_stream import jsonlimits
from apigen_stream.records import Call, ParseReason

_FENCE = re.compile(r"```[A-Za-z0-9_-]*\s*\n?(.*?)```", re.DOTALL)
_DECODER = json.JSONDecoder()

# Keys a generator may put the list of pairs under, and the calls of a pair under.
_LIST_KEYS = ("pairs", "data", "examples", "items", "results", "output")
_CALL_KEYS = ("answers", "answer", "calls", "tool_calls")

# Keys and values a judge may answer with; the paper writes "pass", some models "passes".
_VERDICT_KEYS = frozenset({"pass", "passes", "passed"})
_YES = frozenset({"yes", "true"})
_NO = frozenset({"no", "false"})


@dataclass(frozen=True, slots=True)
class Unread:
    """Why an answer, a pair or a call could not be read: a reason code and what went wrong."""

    reason: ParseReason
    detail: str


@dataclass(frozen=True, slots=True)
class Pair:
    """One generated pair, or why it could not be read (``unread`` set)."""

    query: str = ""
    calls: tuple[Call, ...] = ()
    unread: Unread | None = None


@dataclass(frozen=True, slots=True)
class Generation:
    """A generator's answer read: its pairs, or why the answer as a whole is unreadable."""

    pairs: tuple[Pair, ...] = ()
    unread: Unread | None = None


# Characters of a judge's raw answer kept beside an unreadable verdict.
RAW_CHARS = 300


@dataclass(frozen=True, slots=True)
class JudgeAnswer:
    """A judge's answer: ``passed`` is None when the verdict could not be read (see ``raw``)."""

    passed: bool | None
    thought: str = ""
    raw: str = ""


def extract_json(text: str) -> Any:
    """The first JSON value in ``text``: inside code fences, or with prose around it."""
    try:  # a nesting or number no decoder should recurse into is no answer
        jsonlimits.check(text)
    except jsonlimits.JsonLimitError as exc:
        raise ValueError(str(exc)) from None
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    for chunk in candidates:
        stripped = chunk.strip()
        try:
            return json.loads(stripped)
        except ValueError:
            pass
        found = _first_embedded(stripped)
        if found is not None:
            return found
    raise ValueError("no JSON value found")


def _loads_bounded(text: str) -> Any:
    try:
        return jsonlimits.loads(text, non_finite=True)
    except jsonlimits.JsonLimitError as exc:
        raise ValueError(str(exc)) from None


def _first_embedded(text: str) -> Any:
    for start, char in enumerate(text):
        if char in "[{":
            try:
                value, _ = _DECODER.raw_decode(text, start)
            except ValueError:
                continue
            return value
    return None


def parse_generation(text: str, truncated: bool = False) -> Generation:
    """Read a generator's answer into pairs (see the module docstring for what is accepted).

    ``truncated``: the server said the answer was cut at ``max_tokens``.
    """
    try:  # a nesting or number no decoder should recurse into is no answer
        jsonlimits.check(text)
    except jsonlimits.JsonLimitError as exc:
        return Generation(unread=Unread("invalid_json", str(exc)))
    value = _whole_json(text)
    if value is _NOTHING:
        cut = salvage_pairs(text)
        if cut is not None:
            return _cut_generation(*cut, truncated=truncated)
        try:
            value = extract_json(text)
        except ValueError:
            if truncated:
                unread = Unread("truncated", f"the answer was cut at max_tokens: {text[:120]!r}")
            else:
                unread = Unread("invalid_json", f"the answer is not JSON: {text[:120]!r}")
            return Generation(unread=unread)
    items = _pair_list(value)
    if items is None:
        return Generation(unread=Unread("missing_field", "no list of pairs in the answer"))
    return Generation(pairs=tuple(parse_pair(item) for item in items))


_NOTHING = object()


def _whole_json(text: str) -> Any:
    """The answer parsed as a whole (or inside its fences), else ``_NOTHING``."""
    for chunk in [m.group(1) for m in _FENCE.finditer(text)] + [text]:
        try:
            return json.loads(chunk.strip())
        except ValueError:
            pass
    return _NOTHING


def salvage_pairs(text: str) -> tuple[list[Any], str] | None:
    """The complete objects of a list that breaks off, and the unread rest.

    None when ``text`` holds no list of objects that was cut: that is not a cut answer.
    """
    start = text.find("[")
    if start < 0 or '"query"' in text[:start]:
        return None  # no list, or the list of one pair's calls: not a list of pairs
    items: list[Any] = []
    i = start + 1
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text):
            break
        if text[i] == "]":
            return None  # the list is whole: some other damage, left to the general reader
        try:
            value, i = _DECODER.raw_decode(text, i)
        except ValueError:
            break
        items.append(value)
    if not items or not all(isinstance(v, dict) for v in items):
        return None
    return items, text[i:]


def _cut_generation(items: list[Any], rest: str, *, truncated: bool) -> Generation:
    pairs = [parse_pair(item) for item in items]
    where = f"after {len(items)} complete pairs; unread: {rest[:80]!r}"
    if truncated:
        pairs.append(Pair(unread=Unread("truncated", f"the answer was cut at max_tokens {where}")))
    elif rest.strip():
        pairs.append(Pair(unread=Unread("invalid_json", f"the answer breaks off {where}")))
    return Generation(pairs=tuple(pairs))


def _pair_list(value: Any) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if not isinstance(value, dict):
        return None
    if "query" in value:
        return [value]
    for key in _LIST_KEYS:
        if isinstance(value.get(key), list):
            return list(value[key])
    lists = [v for v in value.values() if isinstance(v, list)]
    return lists[0] if len(lists) == 1 else None


def parse_pair(item: Any) -> Pair:
    """One ``{"query", "answers"}`` object into a pair, or a pair carrying its error."""
    if not isinstance(item, dict):
        detail = f"a pair is a {type(item).__name__}, not an object"
        return Pair(unread=Unread("invalid_json", detail))
    query = item.get("query")
    if not isinstance(query, str) or not query.strip():
        return Pair(unread=Unread("missing_field", "query"))
    raw_calls = next((item[k] for k in _CALL_KEYS if k in item), None)
    if raw_calls is None:
        return Pair(query=query, unread=Unread("missing_field", "answers"))
    if isinstance(raw_calls, dict):
        raw_calls = [raw_calls]
    if not isinstance(raw_calls, list):
        return Pair(query=query, unread=Unread("invalid_json", "answers is not a list"))
    calls: list[Call] = []
    for raw in raw_calls:
        call = parse_call(raw)
        if isinstance(call, Unread):
            return Pair(query=query, unread=call)
        calls.append(call)
    return Pair(query=query, calls=tuple(calls))


def parse_call(raw: Any) -> Call | Unread:
    """A call, or why it cannot be read; OpenAI's ``function`` wrapper and string arguments
    are read."""
    if isinstance(raw, dict) and isinstance(raw.get("function"), dict):
        raw = raw["function"]
    if not isinstance(raw, dict):
        return Unread("invalid_json", "a call is not an object")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        return Unread("missing_field", "name")
    arguments = raw.get("arguments", {})
    if isinstance(arguments, str):
        try:
            arguments = _loads_bounded(arguments) if arguments.strip() else {}
        except ValueError:
            return Unread("invalid_json", f"arguments of {name} are not JSON")
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict):
        return Unread("invalid_json", f"arguments of {name} are not an object")
    return Call(name=name, arguments=arguments)


def parse_verdict(value: Any) -> bool | None:
    """yes/no/true/false as bool or text, any case, with whitespace or punctuation around."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    word = value.strip().strip(string.punctuation + string.whitespace).lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def parse_judgement(text: str) -> JudgeAnswer:
    """Read ``{"thought": ..., "pass": ...}``; ``passes`` and ``passed`` are read as well.

    Only a verdict under one of those keys counts: an answer without it (``{"thought": ...}``
    alone, or prose such as "The answer is yes") is unreadable, as DESIGN.md asks, and keeps
    its raw text so the rejection shows what the judge said.
    """
    raw = text[:RAW_CHARS]
    try:
        value = extract_json(text)
    except ValueError:
        return JudgeAnswer(passed=None, thought=text[:500], raw=raw)
    if not isinstance(value, dict):
        return JudgeAnswer(passed=None, thought=text[:500], raw=raw)
    thought = value.get("thought", value.get("reason", ""))
    thought = thought if isinstance(thought, str) else json.dumps(thought)
    for key, verdict in value.items():
        if isinstance(key, str) and key.strip().lower() in _VERDICT_KEYS:
            return JudgeAnswer(passed=parse_verdict(verdict), thought=thought, raw=raw)
    return JudgeAnswer(passed=None, thought=thought, raw=raw)
