"""Prompt building: styles, tools, few-shot examples, the judge's five rules."""

from __future__ import annotations

import json

import pytest

from apigen_stream.llm.prompts import (
    JUDGE_SYSTEM,
    TOOLS_HEADER,
    generator_messages,
    judge_messages,
)
from apigen_stream.records import STYLES, Call, Candidate, Example, Outcome, Style, Task, Tool

TOOL = Tool(
    name="weather",
    description="Current weather of a city.",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
EXAMPLE = Example(
    id="weather#0",
    query="Weather in Oslo?",
    calls=[Call(name="weather", arguments={"city": "Oslo"})],
)


def task(style: Style = "simple", pairs: int = 3) -> Task:
    return Task(id="t0-42", style=style, tools=[TOOL], examples=[EXAMPLE], pairs=pairs)


def user(messages: list[object]) -> str:
    text = getattr(messages[-1], "content", "")
    assert isinstance(text, str)
    return text


def test_generator_prompt_carries_tools_examples_count_and_task() -> None:
    messages = generator_messages(task(pairs=4), 4)
    assert [m.role for m in messages] == ["system", "user"]
    text = user(list(messages))
    lines = text.splitlines()
    tools = json.loads(lines[lines.index(TOOLS_HEADER) + 1])
    assert tools == [
        {"name": "weather", "description": TOOL.description, "parameters": TOOL.parameters}
    ]
    assert "Weather in Oslo?" in text
    assert "Write 4 pairs" in text
    assert "t0-42" in text
    assert '"pairs"' in text


def test_each_style_gets_its_own_instruction() -> None:
    texts = {style: user(list(generator_messages(task(style), 1))) for style in STYLES}
    assert len(set(texts.values())) == len(STYLES)
    assert "NONE of the tools" in texts["irrelevance"]
    assert "empty list" in texts["irrelevance"]


@pytest.mark.parametrize(
    "rule",
    [
        "does not match the query's intent",
        "not properly chosen",
        "number of calls does not match",
        "irrelevant to the function's purpose",
        "errors or a failed execution",
        "not by themselves a reason to fail",
    ],
)
def test_judge_prompt_has_the_five_fail_rules(rule: str) -> None:
    assert rule in JUDGE_SYSTEM


def test_judge_prompt_shows_query_calls_and_truncated_results() -> None:
    candidate = Candidate(
        id="c",
        query="Weather in Oslo?",
        calls=[Call(name="weather", arguments={"city": "Oslo"})],
        tools=[TOOL],
    )
    outcome = Outcome(name="weather", ok=True, result={"text": "x" * 5000})
    text = user(list(judge_messages(candidate, [outcome], result_chars=100)))
    assert "Weather in Oslo?" in text
    assert '"city": "Oslo"' in text
    assert "(truncated)" in text
    assert "x" * 200 not in text


def test_judge_prompt_for_no_call_says_what_passes() -> None:
    candidate = Candidate(id="c", style="irrelevance", query="Poem?", tools=[TOOL])
    assert "none of the available functions can answer" in user(list(judge_messages(candidate, [])))
