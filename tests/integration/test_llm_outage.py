"""An LLM outage over Kafka: the server is stopped for 30 s mid-run, and no task is lost.

The generate stage runs in a real stage runner against the suite's broker and a real HTTP
server. While the server is down the client's circuit breaker opens, requests wait instead of
spending their retries (the task deadline, shorter than the outage, does not count the wait),
the runner pauses fetching, and once a probe gets an answer everything resumes: every task
ends with its candidate exactly once, none as ``llm_error``.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

import anyio
import pytest
from prometheus_client import REGISTRY

from apigen_stream import topics
from apigen_stream.config import LLMConfig, ModelConfig
from apigen_stream.engine.codec import encode
from apigen_stream.engine.runner import StageRunner
from apigen_stream.llm.client import LLMClient
from apigen_stream.records import Task, Tool
from apigen_stream.spec import on_topics
from apigen_stream.stages.generate import GenerateStage
from tests.integration.test_runner import (
    MakeTopic,
    _config,
    lane,
    produce,
    record_id,
    settled_ids,
)
from tests.support.fake_llm import FakeLLM, FakeReply

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

TASKS = 40
OUTAGE_S = 30.0
TOOL = Tool(name="ping", parameters={"type": "object", "properties": {"n": {"type": "integer"}}})


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class LaneGenerate(GenerateStage):
    """The generate stage on a test's own topics."""

    def __init__(self, name: str, topic_in: str, topic_out: str, llm: LLMClient) -> None:
        super().__init__(None, llm)  # type: ignore[arg-type]  # online: no registry used
        self.spec = on_topics(name, topic_in, topic_out, Task)


def answer(request: dict[str, Any], attempt: int) -> FakeReply:
    pair = {"query": "ping 1", "answers": [{"name": "ping", "arguments": {"n": 1}}]}
    return FakeReply(content=json.dumps({"pairs": [pair]}), delay_s=0.3)


def breaker_changes(state: str) -> float:
    return REGISTRY.get_sample_value("apigen_llm_breaker_changes_total", {"state": state}) or 0.0


async def test_an_llm_outage_delays_the_stream_and_loses_no_task(
    kafka_bootstrap: str, make_topic: MakeTopic, caplog: pytest.LogCaptureFixture
) -> None:
    topic_in, topic_out, prefix, name = lane(make_topic, "generate")
    tasks = [
        encode(Task(id=record_id(prefix, i), style="simple", tools=[TOOL], pairs=1))
        for i in range(TASKS)
    ]
    opened, closed = breaker_changes("open"), breaker_changes("closed")
    llm = FakeLLM(answer)
    await llm.start()
    port = llm.port
    settings = LLMConfig(
        base_url=llm.base_url, api_key="k", generators=[ModelConfig(name="outage")],
        concurrency=4, timeout_s=2.0, task_deadline_s=10.0, max_retries=2, backoff_s=0.05,
        backoff_max_s=0.2, breaker_probe_s=1.0,
    )  # fmt: skip
    config = _config(kafka_bootstrap, concurrency=4, max_in_flight=8)
    with caplog.at_level(logging.WARNING, logger="apigen_stream.llm"):
        async with LLMClient(settings) as client, anyio.create_task_group() as tg:
            runner = StageRunner(LaneGenerate(name, topic_in, topic_out, client), config)
            tg.start_soon(runner.run)
            await produce(kafka_bootstrap, topic_in, tasks)
            with anyio.fail_after(120):
                while llm.answered < 8:  # noqa: ASYNC110 (waiting on a server's counter)
                    await anyio.sleep(0.1)
            await llm.stop()  # the outage
            await anyio.sleep(OUTAGE_S)
            assert client.breaker.state == "open"
            await llm.start(port)
            out = await settled_ids(kafka_bootstrap, [topic_out, topics.REJECTED], prefix, TASKS)
            runner.stop()
    await llm.stop()
    assert out == Counter({f"{record_id(prefix, i)}.0": 1 for i in range(TASKS)})  # no llm_error
    assert breaker_changes("open") >= opened + 1
    assert breaker_changes("closed") >= closed + 1
    assert "breaker open" in caplog.text and "breaker closed" in caplog.text
