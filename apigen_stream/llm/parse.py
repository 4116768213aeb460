"""Tolerant reading of LLM answers: generator pairs and judge verdicts. Pure, no I/O.

Models wrap JSON in code fences, write text around it, wrap the list in an object, or return a
single pair; all of that is read. What cannot be read is reported, never dropped: a whole answer
that is not JSON is one error, and a pair without its fields is an error of that pair only.
Error texts start with the format stage's reason code (``invalid_json:`` or ``missing_field:``).
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from typing import Any

from apigen_stream import jsonlimits
from apigen_stream.records import Call

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
class Pair:
    """One generated pair, or the reason it could not be read (``error`` non-empty)."""

    query: str = ""
    calls: tuple[Call, ...] = ()
    error: str = ""


@dataclass(frozen=True, slots=True)
class Generation:
    """A generator's answer read: its pairs, or why the answer as a whole is unreadable."""

    pairs: tuple[Pair, ...] = ()
    error: str = ""


@dataclass(frozen=True, slots=True)
class JudgeAnswer:
    """A judge's answer: ``passed`` is None when the verdict could not be read."""

    passed: bool | None
    thought: str = ""


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


def parse_generation(text: str) -> Generation:
    """Read a generator's answer into pairs (see the module docstring for what is accepted)."""
    try:
        value = extract_json(text)
    except ValueError:
        return Generation(error=f"invalid_json: the answer is not JSON: {text[:120]!r}")
    items = _pair_list(value)
    if items is None:
        return Generation(error="missing_field: no list of pairs in the answer")
    return Generation(pairs=tuple(parse_pair(item) for item in items))


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
        return Pair(error=f"invalid_json: a pair is a {type(item).__name__}, not an object")
    query = item.get("query")
    if not isinstance(query, str) or not query.strip():
        return Pair(error="missing_field: query")
    raw_calls = next((item[k] for k in _CALL_KEYS if k in item), None)
    if raw_calls is None:
        return Pair(query=query, error="missing_field: answers")
    if isinstance(raw_calls, dict):
        raw_calls = [raw_calls]
    if not isinstance(raw_calls, list):
        return Pair(query=query, error="invalid_json: answers is not a list")
    calls: list[Call] = []
    for raw in raw_calls:
        call = parse_call(raw)
        if isinstance(call, str):
            return Pair(query=query, error=call)
        calls.append(call)
    return Pair(query=query, calls=tuple(calls))


def parse_call(raw: Any) -> Call | str:
    """A call, or an error text; OpenAI's ``function`` wrapper and string arguments are read."""
    if isinstance(raw, dict) and isinstance(raw.get("function"), dict):
        raw = raw["function"]
    if not isinstance(raw, dict):
        return "invalid_json: a call is not an object"
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        return "missing_field: name"
    arguments = raw.get("arguments", {})
    if isinstance(arguments, str):
        try:
            arguments = _loads_bounded(arguments) if arguments.strip() else {}
        except ValueError:
            return f"invalid_json: arguments of {name} are not JSON"
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict):
        return f"invalid_json: arguments of {name} are not an object"
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
    """Read ``{"thought": ..., "pass": ...}``; ``passes`` and ``passed`` are read as well."""
    try:
        value = extract_json(text)
    except ValueError:
        return JudgeAnswer(passed=None, thought=text[:500])
    if not isinstance(value, dict):
        return JudgeAnswer(passed=None, thought=text[:500])
    thought = value.get("thought", value.get("reason", ""))
    thought = thought if isinstance(thought, str) else json.dumps(thought)
    for key, raw in value.items():
        if isinstance(key, str) and key.strip().lower() in _VERDICT_KEYS:
            return JudgeAnswer(passed=parse_verdict(raw), thought=thought)
    return JudgeAnswer(passed=None, thought=thought)
