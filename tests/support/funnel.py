"""The funnel scenario: a generator and a judge whose faults sit at known positions.

Generator answers depend only on the task's index (from its id, ``t{seed}-{index}``), the pair's
position and the offered tools, so ``expected_counts`` knows, for any number of tasks, how many
candidates each stage rejects and why. Answer-level kinds cycle over task indexes
(``RESPONSE_CYCLE``); pair-level kinds cycle over the global pair position
``index * pairs + j`` (``PAIR_CYCLE``). The tools must be those of ``tests.support.funnel_tools``
(every one takes a ``text``), and the sandbox's time limit should be short (about a second),
since every "hangs" pair costs one full limit.

Irrelevance tasks have no calls to break: their pairs are good, except ``semantic_wrong``.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from apigen_stream.llm.prompts import (
    GENERATOR_SYSTEM,
    JUDGE_SYSTEM,
    QUERY_HEADER,
    STYLE_INSTRUCTIONS,
    TOOLS_HEADER,
)
from apigen_stream.offline.generator import sample_arguments
from apigen_stream.records import Style
from tests.support.fake_llm import FakeReply, system_text, user_text
from tests.support.funnel_tools import HANG_TEXT, RAISE_TEXT

RESPONSE_CYCLE = ("plain", "fenced", "rate_limited", "plain", "server_error", "malformed", "slow")
PAIR_CYCLE = (
    "good", "hallucinated", "good", "unknown_argument", "good", "wrong_type", "good",
    "missing_required", "good", "raises", "good", "hangs", "good", "semantic_wrong", "good",
    "good",
)  # fmt: skip

# What each injected fault costs: the stage that must reject it, and the reason code.
REJECTED_AS: dict[str, tuple[str, str]] = {
    "malformed": ("format", "invalid_json"),
    "hallucinated": ("format", "unknown_function"),
    "unknown_argument": ("format", "unknown_argument"),
    "wrong_type": ("format", "wrong_type"),
    "missing_required": ("format", "missing_required"),
    "raises": ("execute", "exception"),
    "hangs": ("execute", "timeout"),
    "semantic_wrong": ("semantic", "judge_fail"),
}
STRUCTURAL = frozenset(REJECTED_AS) - {"malformed", "semantic_wrong"}

SEMANTIC_MARKER = "(and ignore what I just asked)"
HALLUCINATED_NAME = "funnel_teleport"
# Under the client's timeout, long enough to overlap other requests.
SLOW_DELAY_S = 0.3
PAIRS_DEFAULT = 3

_PAIRS = re.compile(r"Write (\d+) pairs")
_TASK = re.compile(r"Task reference: (\S+)")


def task_index(task_id: str) -> int:
    """The sampler's index of a task, from its id ``t{seed}-{index}``."""
    found = re.search(r"(\d+)$", task_id)
    return int(found.group(1)) if found else 0


def response_kind(index: int) -> str:
    """The answer-level kind of the task with this index."""
    return RESPONSE_CYCLE[index % len(RESPONSE_CYCLE)]


def pair_kind(index: int, j: int, pairs: int, style: str) -> str:
    """The pair-level kind of pair ``j`` of the task with this index."""
    kind = PAIR_CYCLE[(index * pairs + j) % len(PAIR_CYCLE)]
    return "good" if style == "irrelevance" and kind in STRUCTURAL else kind


def expected_counts(
    n_tasks: int, *, pairs: int = PAIRS_DEFAULT, styles: Sequence[Style] | None = None
) -> dict[tuple[str, str], int]:
    """Rejections by (stage, reason) for tasks 0..n_tasks-1; ``styles[i]`` is task i's style."""
    counts: Counter[tuple[str, str]] = Counter()
    for index in range(n_tasks):
        if response_kind(index) == "malformed":
            counts[REJECTED_AS["malformed"]] += 1
            continue
        style = styles[index] if styles is not None else "simple"
        for j in range(pairs):
            kind = pair_kind(index, j, pairs, style)
            if kind in REJECTED_AS:
                counts[REJECTED_AS[kind]] += 1
    return dict(counts)


def expected_accepted(
    n_tasks: int, *, pairs: int = PAIRS_DEFAULT, styles: Sequence[Style] | None = None
) -> int:
    """Samples that reach ``apigen.accepted``."""
    malformed = sum(1 for i in range(n_tasks) if response_kind(i) == "malformed")
    candidates = (n_tasks - malformed) * pairs + malformed
    return candidates - sum(expected_counts(n_tasks, pairs=pairs, styles=styles).values())


def _style_of(prompt: str) -> str:
    return next((s for s, text in STYLE_INSTRUCTIONS.items() if text in prompt), "simple")


def _tools_of(prompt: str) -> list[dict[str, Any]]:
    lines = prompt.splitlines()
    tools: list[dict[str, Any]] = json.loads(lines[lines.index(TOOLS_HEADER) + 1])
    return tools


def _call(tool: dict[str, Any], text: str, rng: random.Random) -> dict[str, Any]:
    arguments = sample_arguments(rng, tool["parameters"], ())
    arguments["text"] = text
    return {"name": tool["name"], "arguments": arguments}


def _ask(call: dict[str, Any]) -> str:
    """The request of one call, stating every argument's value as the alignment rules want."""
    arguments = call["arguments"]
    rest = ", ".join(f"{k} {json.dumps(v)}" for k, v in arguments.items() if k != "text")
    return f"run {call['name']} on {arguments['text']}" + (f" with {rest}" if rest else "")


def good_pair(task_id: str, j: int, style: str, tools: list[dict[str, Any]]) -> dict[str, Any]:
    """A pair every stage accepts: unique query, calls fitting the style, valid arguments."""
    rng = random.Random(f"{task_id}.{j}")
    # No bare number in the tag: every number a query states must reach an argument.
    tag = f"{task_id}.{j}".replace("-", "_")
    if style == "irrelevance":
        return {"query": f"Request {tag}: what will the weather be on Mars?", "answers": []}
    if style in ("parallel", "parallel_multiple"):
        chosen = [tools[0], tools[1 if style == "parallel_multiple" and len(tools) > 1 else 0]]
    else:
        chosen = [tools[0]]
    calls = [_call(t, f"{tag}-{k}", rng) for k, t in enumerate(chosen)]
    asks = "; also ".join(_ask(c) for c in calls)
    return {"query": f"Request {tag}: {asks}.", "answers": calls}


def faulty_pair(kind: str, pair: dict[str, Any]) -> dict[str, Any]:
    """``pair`` with the fault ``kind`` injected into its first call (or its query)."""
    if kind == "semantic_wrong":
        return {**pair, "query": f"{pair['query']} {SEMANTIC_MARKER}"}
    if kind == "good" or not pair["answers"]:
        return pair
    first = dict(pair["answers"][0])
    arguments = dict(first["arguments"])
    if kind == "hallucinated":
        first["name"] = HALLUCINATED_NAME
    elif kind == "unknown_argument":
        arguments["colour"] = "red"
    elif kind == "wrong_type":
        arguments["text"] = 12345
    elif kind == "missing_required":
        del arguments["text"]
    elif kind in ("raises", "hangs"):
        arguments["text"] = RAISE_TEXT if kind == "raises" else HANG_TEXT
    first["arguments"] = arguments
    return {**pair, "answers": [first, *pair["answers"][1:]]}


def generator_reply(request: dict[str, Any], attempt: int) -> FakeReply:
    """The funnel generator's answer to one request."""
    prompt = user_text(request)
    found_task, found_pairs = _TASK.search(prompt), _PAIRS.search(prompt)
    task_id = found_task.group(1) if found_task else "t0-0"
    pairs = int(found_pairs.group(1)) if found_pairs else 1
    index, style, tools = task_index(task_id), _style_of(prompt), _tools_of(prompt)
    kind = response_kind(index)
    if kind == "rate_limited" and attempt == 0:
        return FakeReply(status=429, content="slow down", headers={"Retry-After": "0"})
    if kind == "server_error" and attempt == 0:
        return FakeReply(status=500, content="overloaded")
    if kind == "malformed":
        return FakeReply(content=f'Sure! Here are the pairs: {{"pairs": [{{"query": "{task_id}')
    items = [
        faulty_pair(pair_kind(index, j, pairs, style), good_pair(task_id, j, style, tools))
        for j in range(pairs)
    ]
    text = json.dumps({"pairs": items})
    if kind == "fenced":
        text = f"Here you go:\n```json\n{json.dumps(items, indent=1)}\n```\nEnjoy."
    delay = SLOW_DELAY_S if kind == "slow" else 0.0
    return FakeReply(content=text, delay_s=delay, usage=(len(prompt) // 4, len(text) // 4))


def judge_reply(request: dict[str, Any], attempt: int) -> FakeReply:
    """Yes, unless the query carries the semantic marker; "pass" and "passes" alternate."""
    prompt = user_text(request)
    query = prompt.split(QUERY_HEADER, 1)[-1]
    wrong = SEMANTIC_MARKER in query
    key = "passes" if len(prompt) % 2 else "pass"
    thought = "The call ignores the request." if wrong else "Calls match the query."
    text = json.dumps({"thought": thought, key: "no" if wrong else "yes"})
    return FakeReply(content=text, usage=(len(prompt) // 4, len(text) // 4))


def funnel_reply(request: dict[str, Any], attempt: int) -> FakeReply:
    """The scenario's script: generator or judge, by the request's system prompt."""
    system = system_text(request)
    if system == JUDGE_SYSTEM:
        return judge_reply(request, attempt)
    if system == GENERATOR_SYSTEM:
        return generator_reply(request, attempt)
    return FakeReply(status=400, content="unknown prompt")
