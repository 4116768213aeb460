"""The generator's and the judge's answer schemas: what a constrained decoder may emit."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from apigen_stream.llm.schema import (
    QUERY_MIN_CHARS,
    THOUGHT_MAX_CHARS,
    pairs_schema,
    verdict_schema,
)
from apigen_stream.records import Style, Task, Tool

LANGUAGE = Tool(
    name="iso_language_lookup",
    parameters={
        "type": "object",
        "properties": {"language": {"type": "string"}},
        "required": ["language"],
    },
)
DIALING = Tool(
    name="country_dialing_codes",
    parameters={
        "type": "object",
        "properties": {"region": {"type": "string", "enum": ["US", "GB"]}},
        "required": ["region"],
    },
)
QUERY = "What is the ISO code of Swahili?"


def pairs_validator(style: Style) -> Draft202012Validator:
    task = Task(id="t0-1", style=style, tools=[LANGUAGE, DIALING], pairs=1)
    return Draft202012Validator(pairs_schema(task, 1))


def answer(query: str, *calls: tuple[str, dict[str, str]]) -> dict[str, object]:
    answers = [{"name": name, "arguments": args} for name, args in calls]
    return {"pairs": [{"query": query, "answers": answers}]}


def test_simple_and_parallel_styles_call_only_the_first_tool_offered() -> None:
    first = ("iso_language_lookup", {"language": "Swahili"})
    distractor = ("country_dialing_codes", {"region": "GB"})
    simple, parallel = pairs_validator("simple"), pairs_validator("parallel")
    assert simple.is_valid(answer(QUERY, first))
    assert not simple.is_valid(answer(QUERY, distractor))
    assert parallel.is_valid(answer(QUERY, first, first))
    assert not parallel.is_valid(answer(QUERY, first, distractor))


def test_styles_that_choose_a_tool_may_call_any_tool_offered() -> None:
    multiple = pairs_validator("multiple")
    assert multiple.is_valid(answer(QUERY, ("country_dialing_codes", {"region": "GB"})))
    assert multiple.is_valid(answer(QUERY, ("iso_language_lookup", {"language": "Swahili"})))


def test_a_placeholder_query_is_outside_the_schema() -> None:
    simple = pairs_validator("simple")
    call = ("iso_language_lookup", {"language": "Swahili"})
    assert not simple.is_valid(answer("...", call))
    assert not simple.is_valid(answer("", call))
    assert simple.is_valid(answer("x" * QUERY_MIN_CHARS, call))


def test_the_judge_thought_is_bounded_so_the_verdict_fits() -> None:
    validator = Draft202012Validator(verdict_schema())
    assert validator.is_valid({"thought": "x" * THOUGHT_MAX_CHARS, "pass": "no"})
    assert not validator.is_valid({"thought": "x" * (THOUGHT_MAX_CHARS + 1), "pass": "yes"})
