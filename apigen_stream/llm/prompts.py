"""Prompt building for the generator and the judge: pure functions from records to messages.

The generator is asked for ``[{"query": ..., "answers": [{"name": ..., "arguments": {...}}]}]``
(APIGen, section 2); since JSON-object mode wants an object, ``{"pairs": [...]}`` is asked for
and the bare list is accepted too. The judge applies the paper's five fail rules (section 5)
and answers ``{"thought": ..., "pass": "yes" | "no"}``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from apigen_stream.records import Call, Candidate, Example, Outcome, Style, Task, Tool

# Lines the prompts are built around; the test server reads them back, so they are constants.
TOOLS_HEADER = "Available tools (JSON Schema):"
PAIRS_PHRASE = "Write {n} pairs"
TASK_PHRASE = "Task reference: {task_id}"
QUERY_HEADER = "Query:"

# Characters of one execution result the judge sees: results can be large, and the paper notes
# that truncated results are not by themselves a reason to fail.
RESULT_CHARS = 2_000


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message."""

    role: Literal["system", "user"]
    content: str


GENERATOR_SYSTEM = (
    "You write training data for function-calling models. Given tools described by JSON "
    "Schema, you write realistic user queries and the exact function calls that answer them. "
    "Use only the tools given, only their parameter names, values of the declared types, and "
    "every required parameter. Use values a real user would write: realistic magnitudes and "
    "natural precision (whole numbers for counts, years and bytes; dates within a few years of "
    "today; real places and names), consistent with each other. State every argument value "
    "in the query, and copy any text argument from the query verbatim, punctuation included. "
    "Never ask for the same thing twice in one query. Answer with JSON only."
)

STYLE_INSTRUCTIONS: dict[Style, str] = {
    "simple": (
        "Each query needs exactly one call, to the first tool listed (any others are there "
        "to be ignored)."
    ),
    "multiple": (
        "Each query needs exactly one call; choose the one right tool among those given "
        "(the others are there to be ignored)."
    ),
    "parallel": (
        "Each query asks for several different things at once that all use the first tool "
        "listed: answer with two to four calls to that tool, one per request in the query."
    ),
    "parallel_multiple": (
        "Each query asks for several things at once that need different tools: answer with "
        "two to four calls, one per request in the query, using at least two different tools."
    ),
    "irrelevance": (
        "Each query must be a reasonable request that NONE of the tools can answer (a related "
        "topic, but outside what the tools do); the correct answer is no call: an empty list."
    ),
}

# Said in words, with no literal template: a small model copies a template's placeholder
# ("...", "<the query>") as its query, while it follows the example pairs above well.
OUTPUT_FORMAT = (
    'Answer with a JSON object whose key "pairs" holds the list of pairs. Each pair has '
    '"query", the request as a user would type it, stating every value the calls use, and '
    '"answers", the list of calls that answer it, each with "name" and "arguments". Argument '
    "values have the types the schema declares (numbers as numbers, lists as lists)."
)


def tool_json(tools: Sequence[Tool]) -> str:
    """The offered tools as one line of JSON, in the shape OpenAI's ``tools`` use."""
    shown = [
        {"name": t.name, "description": t.description, "parameters": t.parameters} for t in tools
    ]
    return json.dumps(shown, ensure_ascii=False, sort_keys=True)


def _calls_json(calls: Sequence[Call]) -> str:
    return json.dumps(
        [{"name": c.name, "arguments": c.arguments} for c in calls], ensure_ascii=False
    )


def _example_lines(examples: Sequence[Example]) -> list[str]:
    if not examples:
        return []
    lines = ["Examples of good pairs (other tools may appear in them):"]
    for ex in examples:
        pair = {"query": ex.query, "answers": json.loads(_calls_json(ex.calls))}
        lines.append(json.dumps(pair, ensure_ascii=False))
    return lines


def generator_messages(task: Task, pairs: int) -> list[Message]:
    """The generator prompt for ``task``: style, tools, few-shot examples, ``pairs`` asked."""
    user = [
        TOOLS_HEADER,
        tool_json(task.tools),
        "",
        *_example_lines(task.examples),
        "",
        STYLE_INSTRUCTIONS[task.style],
        PAIRS_PHRASE.format(n=pairs) + ", each with a different query; vary wording and values.",
        OUTPUT_FORMAT,
        # Last, so servers that cache prompt prefixes share everything above across tasks.
        TASK_PHRASE.format(task_id=task.id),
    ]
    return [Message("system", GENERATOR_SYSTEM), Message("user", "\n".join(user))]


JUDGE_SYSTEM = (
    "You check function-calling training data. You see the available functions, a user "
    "query, the calls made to answer it and their execution results. The sample does NOT "
    "pass if any of these holds:\n"
    "1. a call does not match the query's intent, or its arguments look wrong;\n"
    "2. the functions are not properly chosen from those available;\n"
    "3. the number of calls does not match the number of requests in the query;\n"
    "4. the results are irrelevant to the function's purpose;\n"
    "5. the results show errors or a failed execution.\n"
    "Truncated results, or functions that look like placeholders, are not by themselves a "
    "reason to fail. "
    # In words, as the generator's format: a small model copied a placeholder as its thought.
    'Answer with JSON only: an object with "thought", your brief reasoning, and "pass", '
    '"yes" or "no".'
)

IRRELEVANCE_NOTE = (
    "No call was made: this sample passes only if none of the available functions can answer "
    "the query."
)


def _result_text(outcome: Outcome, limit: int) -> str:
    text = json.dumps(outcome.result, ensure_ascii=False, default=str)
    if outcome.ok:
        return text if len(text) <= limit else text[:limit] + " …(truncated)"
    return f"error ({outcome.reason}): {outcome.detail[:limit]}"


def judge_messages(
    candidate: Candidate, outcomes: Sequence[Outcome], result_chars: int = RESULT_CHARS
) -> list[Message]:
    """The judge prompt: functions, query, calls and their (truncated) execution results."""
    results = [{"name": o.name, "result": _result_text(o, result_chars)} for o in outcomes]
    user = [
        "Available functions:",
        tool_json(candidate.tools),
        "",
        QUERY_HEADER,
        candidate.query,
        "",
        "Calls:",
        _calls_json(candidate.calls),
        "",
        "Execution results:",
        json.dumps(results, ensure_ascii=False),
    ]
    if not candidate.calls:
        user += ["", IRRELEVANCE_NOTE]
    return [Message("system", JUDGE_SYSTEM), Message("user", "\n".join(user))]


def describe(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Messages as plain dicts, the shape chat-completion APIs take."""
    return [{"role": m.role, "content": m.content} for m in messages]
