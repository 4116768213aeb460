"""Every LLM request is counted: the funnel's totals equal the server's own for the whole run.

An embedded run against a real HTTP server whose answers mix accepted samples, answers with no
pairs, judge rejections and a request that never gets an answer (it times out, and counts as
requests with no tokens).
"""

from __future__ import annotations

import io
import json
import random
import string
from pathlib import Path
from typing import Any

import anyio
import pytest

from apigen_stream.config import Config, LLMConfig, ModelConfig, SamplerConfig
from apigen_stream.library.load import load_registry
from apigen_stream.llm.prompts import GENERATOR_SYSTEM, JUDGE_SYSTEM, TOOLS_HEADER
from apigen_stream.offline.generator import sample_arguments
from apigen_stream.pipeline import Pipeline
from tests.support.fake_llm import FakeLLM, FakeReply, system_text, user_text

WANTED = 12
STALLED_TASK = "Task reference: t3-2\n"


def _ref(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_lowercase, k=10))


def generator_reply(request: dict[str, Any]) -> FakeReply:
    prompt = user_text(request)
    rng = random.Random(prompt)
    usage = (rng.randint(200, 400), rng.randint(30, 90))
    if prompt.endswith(STALLED_TASK.strip()):
        return FakeReply(stall=True)
    # Every fifth task answers with no pairs: by its index, not by chance, so that the first
    # tasks of any library include one.
    if int(prompt.rsplit("-", 1)[1]) % 5 == 1:
        return FakeReply(content='{"pairs": []}', usage=usage)
    lines = prompt.splitlines()
    tool = json.loads(lines[lines.index(TOOLS_HEADER) + 1])[0]
    arguments = sample_arguments(rng, tool["parameters"], ())
    # Each query states its arguments (the semantic rules check that) and is unique.
    stated = json.dumps(arguments)
    pairs = [
        {"query": f"Please run {tool['name']} with {stated} (ref {_ref(rng)})", "answers": [
            {"name": tool["name"], "arguments": arguments}]}
        for _ in range(2)
    ]  # fmt: skip
    return FakeReply(content=json.dumps({"pairs": pairs}), usage=usage)


def script(request: dict[str, Any], attempt: int) -> FakeReply:
    if system_text(request) == JUDGE_SYSTEM:
        rng = random.Random(user_text(request))
        verdict = "yes" if rng.random() < 0.7 else "no"
        content = json.dumps({"thought": "checked", "pass": verdict})
        return FakeReply(content=content, usage=(rng.randint(100, 200), rng.randint(5, 20)))
    assert system_text(request) == GENERATOR_SYSTEM
    return generator_reply(request)


def test_the_funnel_counts_exactly_the_tokens_and_requests_the_server_served(
    tmp_path: Path,
) -> None:
    async def scenario() -> tuple[Pipeline, FakeLLM]:
        async with FakeLLM(script) as llm:
            llm_config = LLMConfig(
                base_url=llm.base_url, api_key="k", generators=[ModelConfig(name="acct")],
                timeout_s=3.0, task_deadline_s=6.5, max_retries=5, backoff_s=0.01,
                backoff_max_s=0.02, pairs_per_request=2, concurrency=4,
            )  # fmt: skip
            sampler = SamplerConfig(seed=3, styles={"simple": 1.0}, apis_min=1, apis_max=1)
            config = Config(llm=llm_config, sampler=sampler)
            registry = load_registry(config.library, {})
            pipeline = Pipeline(
                config, registry, out=tmp_path / "out", fmt="xlam", wanted=WANTED,
                stream=io.StringIO(),
            )  # fmt: skip
            await pipeline.run()
        return pipeline, llm

    pipeline, llm = anyio.run(scenario)
    funnel = pipeline.funnel
    assert funnel.accepted >= WANTED
    assert funnel.rejected[("generate", "no_pairs")] >= 1
    assert funnel.rejected[("generate", "llm_error")] == 1  # the stalled task, nothing else
    assert funnel.rejected[("semantic", "judge_fail")] >= 1
    assert funnel.answered == funnel.tasks  # drained: every task sampled was answered
    assert funnel.total_tokens == llm.prompt_tokens + llm.completion_tokens
    assert sum(funnel.requests.values()) == llm.chat_requests
    judged = sum(1 for r in llm.requests if system_text(r) == JUDGE_SYSTEM)
    assert funnel.requests["judge"] == judged
    report = funnel.report(funnel.started + 1.0)
    assert "answered" in report and "per sample" in report


@pytest.fixture(autouse=True)
def _quiet_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("ERROR")
