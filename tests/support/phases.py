"""The phases scenario: a generator that turns faulty for a stretch of tasks, then recovers.

Tasks ``FAULTY_FROM`` to ``FAULTY_TO - 1`` (by index, from the task id ``t{seed}-{index}``) get
pairs calling a function no tool has, which the format stage rejects (``unknown_function``);
every other task gets good pairs (``tests.support.funnel.good_pair``, over the tools of
``tests.support.funnel_tools``), and the judge passes them all. Fed at a steady rate, the format
stage's rejection rate rises above a half and falls back below it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from apigen_stream.llm.prompts import GENERATOR_SYSTEM, JUDGE_SYSTEM
from tests.support.fake_llm import FakeReply, system_text, user_text
from tests.support.funnel import _tools_of, faulty_pair, good_pair, task_index

FAULTY_FROM = 20
FAULTY_TO = 80

_PAIRS = re.compile(r"Write (\d+) pairs")
_TASK = re.compile(r"Task reference: (\S+)")


def faulty(index: int) -> bool:
    """Whether the task with this index gets a faulty answer."""
    return FAULTY_FROM <= index < FAULTY_TO


def phases_reply(request: dict[str, Any], attempt: int) -> FakeReply:
    """The scenario's script: the phased generator, and a judge that always passes."""
    system, prompt = system_text(request), user_text(request)
    if system == JUDGE_SYSTEM:
        return FakeReply(content=json.dumps({"thought": "fine", "pass": "yes"}), usage=(50, 10))
    if system != GENERATOR_SYSTEM:
        return FakeReply(status=400, content="unknown prompt")
    found_task, found_pairs = _TASK.search(prompt), _PAIRS.search(prompt)
    task_id = found_task.group(1) if found_task else "t0-0"
    pairs = int(found_pairs.group(1)) if found_pairs else 1
    tools = _tools_of(prompt)
    items = [good_pair(task_id, j, "simple", tools) for j in range(pairs)]
    if faulty(task_index(task_id)):
        items = [faulty_pair("hallucinated", pair) for pair in items]
    return FakeReply(content=json.dumps({"pairs": items}), usage=(len(prompt) // 4, 100))
