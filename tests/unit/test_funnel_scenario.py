"""The funnel scenario of the test LLM server: its injected faults add up to expected_counts.

Tasks come from the real sampler over the funnel tools; the generate and semantic stages run
for real against the scripted server. Stages 1 and 2 are stood in for by direct checks of what
each candidate carries (the real ones are exercised end to end over Kafka).
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import anyio
import pytest
from jsonschema import Draft202012Validator

from apigen_stream.config import LLMConfig, ModelConfig, SamplerConfig
from apigen_stream.library.registry import Registry, apis_in_module
from apigen_stream.llm.client import LLMClient
from apigen_stream.records import Candidate, Executed, Outcome, Task
from apigen_stream.sampling import LibraryView, SeedPool, sample_task
from apigen_stream.stages.generate import GenerateStage
from apigen_stream.stages.semantic import SemanticStage
from apigen_stream.stages.stage import Accept, DictState, Reject
from tests.support import funnel_tools
from tests.support.fake_llm import FakeLLM
from tests.support.funnel import expected_accepted, expected_counts, funnel_reply

pytestmark = pytest.mark.anyio

REPO = Path(__file__).resolve().parents[2]
# Long enough to pass through every cycle several times (7 answer kinds, 16 pair kinds).
N_TASKS = 224
PAIRS = 3
TOOLS = Registry(apis_in_module(funnel_tools))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def tasks() -> list[Task]:
    library = LibraryView.of(TOOLS)
    pool = SeedPool.from_registry(TOOLS)
    return [
        sample_task(i, SamplerConfig(seed=0), library, pool, pairs=PAIRS, now=0.0)
        for i in range(N_TASKS)
    ]


def stage_one(candidate: Candidate) -> str | None:
    """What the format stage rejects, from what the candidate carries."""
    if candidate.parse_reason is not None:
        return candidate.parse_reason
    offered = {t.name: t.parameters for t in candidate.tools}
    for call in candidate.calls:
        schema = offered.get(call.name)
        if schema is None:
            return "unknown_function"
        if set(call.arguments) - set(schema["properties"]):
            return "unknown_argument"
        if set(schema["required"]) - set(call.arguments):
            return "missing_required"
        if any(Draft202012Validator(schema).iter_errors(call.arguments)):
            return "wrong_type"
    return None


def stage_two(candidate: Candidate) -> tuple[str | None, list[Outcome]]:
    """What the execute stage rejects; the functions run in process (none is a trap here)."""
    texts = [c.arguments.get("text") for c in candidate.calls]
    if funnel_tools.RAISE_TEXT in texts:
        return "exception", []
    if funnel_tools.HANG_TEXT in texts:
        return "timeout", []
    outcomes = []
    for call in candidate.calls:
        func: Any = getattr(funnel_tools, call.name)
        outcomes.append(Outcome(name=call.name, ok=True, result=func(**call.arguments)))
    return None, outcomes


async def funnel_verdict(semantic: SemanticStage, candidate: Candidate) -> tuple[str, str] | None:
    """The (stage, reason) a candidate is rejected with, or None when it is accepted."""
    reason = stage_one(candidate)
    if reason:
        return "format", reason
    reason, outcomes = stage_two(candidate)
    if reason:
        return "execute", reason
    executed = Executed(candidate=candidate, outcomes=outcomes)
    (judged,) = await semantic.handle(executed, DictState({}))
    return ("semantic", judged.reason) if isinstance(judged, Reject) else None


async def test_the_injected_faults_add_up_to_expected_counts() -> None:
    the_tasks = tasks()
    rejected: Counter[tuple[str, str]] = Counter()
    accepted: list[str] = []

    async def one(generate: GenerateStage, semantic: SemanticStage, task: Task) -> None:
        for verdict in await generate.handle(task, DictState({})):
            assert isinstance(verdict, Accept)
            assert isinstance(verdict.record, Candidate)
            outcome = await funnel_verdict(semantic, verdict.record)
            if outcome is None:
                accepted.append(verdict.record.query)
            else:
                rejected[outcome] += 1

    async with FakeLLM(funnel_reply) as llm:
        config = LLMConfig(
            base_url=llm.base_url, api_key="k", generators=[ModelConfig(name="gen")],
            judges=[ModelConfig(name="judge")], backoff_s=0.001, backoff_max_s=0.01,
        )  # fmt: skip
        async with LLMClient(config) as client, anyio.create_task_group() as group:
            generate, semantic = GenerateStage(TOOLS, client), SemanticStage(client)
            for task in the_tasks:
                group.start_soon(one, generate, semantic, task)
    styles = [t.style for t in the_tasks]
    assert dict(rejected) == expected_counts(N_TASKS, pairs=PAIRS, styles=styles)
    assert len(accepted) == expected_accepted(N_TASKS, pairs=PAIRS, styles=styles)
    assert len(set(accepted)) == len(accepted)  # nothing for dedup to drop
    assert set(styles) == {
        "simple",
        "multiple",
        "parallel",
        "parallel_multiple",
        "irrelevance",
    }
    assert set(rejected) == {
        ("format", "invalid_json"), ("format", "unknown_function"),
        ("format", "unknown_argument"), ("format", "wrong_type"),
        ("format", "missing_required"), ("execute", "exception"), ("execute", "timeout"),
        ("semantic", "judge_fail"),
    }  # fmt: skip
    # One request per task, one more per 429 or 500 answer, one per judged candidate.
    assert llm.chat_requests > N_TASKS


def test_the_scenario_server_runs_as_its_own_process() -> None:
    command = [
        sys.executable,
        "-m",
        "tests.support.fake_llm",
        "--port",
        "0",
        "--scenario",
        "funnel",
    ]
    with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline().strip()
            assert line.startswith("base_url=http://127.0.0.1:")
            assert line.endswith("/v1")
            models = urllib.request.urlopen(f"{line.removeprefix('base_url=')}/models", timeout=5)
            assert json.load(models)["object"] == "list"
        finally:
            proc.terminate()
            assert proc.wait(timeout=10) == 0
