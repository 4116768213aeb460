"""The LLM client against a real OpenAI-compatible server: retries, cap, JSON mode, metrics."""

from __future__ import annotations

import random
import socket
from collections import Counter
from typing import Any

import anyio
import anyio.lowlevel
import pytest
from prometheus_client import REGISTRY

from apigen_stream.config import LLMConfig, ModelConfig
from apigen_stream.errors import LLMError, LLMUnavailable
from apigen_stream.llm.client import LLMClient, backoff_delay, pick_weighted
from apigen_stream.llm.prompts import Message
from tests.support.fake_llm import FakeLLM, FakeReply

pytestmark = pytest.mark.anyio

MESSAGES = [Message("system", "be brief"), Message("user", "hi")]
SECRET = "sk-test-secret-123"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Sleeps:
    """Records backoff delays instead of waiting them out."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await anyio.lowlevel.checkpoint()


def settings(llm: FakeLLM, model: str, **overrides: Any) -> LLMConfig:
    values: dict[str, Any] = {
        "base_url": llm.base_url,
        "api_key": SECRET,
        "generators": [ModelConfig(name=model)],
        "timeout_s": 5.0,
        "max_retries": 3,
        "backoff_s": 0.01,
        "backoff_max_s": 0.05,
    }
    values.update(overrides)
    return LLMConfig(**values)


def requests_metric(model: str, outcome: str, role: str = "generator") -> float:
    labels = {"role": role, "model": model, "outcome": outcome}
    return REGISTRY.get_sample_value("apigen_llm_requests_total", labels) or 0.0


def ok(text: str = '{"ok": true}') -> FakeReply:
    return FakeReply(content=text, usage=(7, 5))


async def test_a_good_answer_returns_text_usage_and_metrics() -> None:
    async with FakeLLM(lambda req, n: ok()) as llm, LLMClient(settings(llm, "m-good")) as client:
        answer = await client.complete("generator", MESSAGES, key="t1")
    assert (answer.text, answer.model, answer.prompt_tokens, answer.completion_tokens) == (
        '{"ok": true}', "m-good", 7, 5,
    )  # fmt: skip
    assert answer.seconds > 0
    assert llm.requests[0]["response_format"] == {"type": "json_object"}
    assert requests_metric("m-good", "ok") == 1
    tokens = {"role": "generator", "model": "m-good", "kind": "completion"}
    assert REGISTRY.get_sample_value("apigen_llm_tokens_total", tokens) == 5


async def test_429_then_success_retries_once_honouring_retry_after() -> None:
    def script(req: dict[str, Any], attempt: int) -> FakeReply:
        if attempt == 0:
            return FakeReply(status=429, content="slow down", headers={"Retry-After": "0.02"})
        return ok()

    sleeps = Sleeps()
    async with FakeLLM(script) as llm, LLMClient(settings(llm, "m-429"), sleep=sleeps) as client:
        answer = await client.complete("generator", MESSAGES, key="t")
    assert answer.text == '{"ok": true}'
    assert llm.chat_requests == 2
    assert sleeps.delays == [0.02]
    assert requests_metric("m-429", "retry") == 1
    assert requests_metric("m-429", "ok") == 1


async def test_500s_exhausted_raise_llm_error_after_all_attempts() -> None:
    sleeps = Sleeps()
    async with (
        FakeLLM(lambda req, n: FakeReply(status=500, content="down")) as llm,
        LLMClient(settings(llm, "m-500"), sleep=sleeps) as client,
    ):
        with pytest.raises(LLMError, match="500") as caught:
            await client.complete("generator", MESSAGES, key="t")
    assert llm.chat_requests == 4
    assert len(sleeps.delays) == 3
    assert all(0 <= d <= 0.05 for d in sleeps.delays)
    assert requests_metric("m-500", "error") == 1
    assert SECRET not in str(caught.value)


async def test_a_client_error_is_not_retried() -> None:
    async with (
        FakeLLM(lambda req, n: FakeReply(status=404, content="no such model")) as llm,
        LLMClient(settings(llm, "m-404"), sleep=Sleeps()) as client,
    ):
        with pytest.raises(LLMError, match="404"):
            await client.complete("generator", MESSAGES, key="t")
    assert llm.chat_requests == 1


async def test_slow_answers_under_the_timeout_are_fine_over_it_retried() -> None:
    def script(req: dict[str, Any], attempt: int) -> FakeReply:
        return FakeReply(content="{}", delay_s=0.6 if attempt == 0 else 0.05)

    async with FakeLLM(script) as llm:
        async with LLMClient(settings(llm, "m-slow", timeout_s=2.0)) as patient:
            await patient.complete("generator", MESSAGES, key="a")
        assert llm.chat_requests == 1
        async with LLMClient(settings(llm, "m-slow2", timeout_s=0.3), sleep=Sleeps()) as hasty:
            await hasty.complete("generator", [Message("user", "other")], key="b")
    assert llm.chat_requests == 3
    assert requests_metric("m-slow2", "retry") == 1


async def test_a_server_without_json_mode_is_asked_again_without_it_and_remembered() -> None:
    def script(req: dict[str, Any], attempt: int) -> FakeReply:
        if "response_format" in req:
            return FakeReply(status=400, content="response_format is not supported")
        return ok()

    async with (
        FakeLLM(script) as llm,
        LLMClient(settings(llm, "m-nojson"), sleep=Sleeps()) as client,
    ):
        await client.complete("generator", MESSAGES, key="a")
        await client.complete("generator", MESSAGES, key="b")
    assert ["response_format" in r for r in llm.requests] == [True, False, False]


async def test_requests_in_flight_never_exceed_the_concurrency_cap() -> None:
    async def one(client: LLMClient, i: int) -> None:
        await client.complete("generator", [Message("user", str(i))], key=str(i))

    async with (
        FakeLLM(lambda req, n: FakeReply(content="{}", delay_s=0.05)) as llm,
        LLMClient(settings(llm, "m-cap", concurrency=3)) as client,
        anyio.create_task_group() as group,
    ):
        for i in range(12):
            group.start_soon(one, client, i)
    assert llm.chat_requests == 12
    assert llm.max_in_flight == 3


def test_model_choice_is_weighted_and_the_same_for_the_same_key() -> None:
    models = [ModelConfig(name="big", weight=3.0), ModelConfig(name="small", weight=1.0)]
    assert pick_weighted(models, "task-7") == pick_weighted(models, "task-7")
    counts = Counter(pick_weighted(models, f"task-{i}").name for i in range(4000))
    assert 0.70 < counts["big"] / 4000 < 0.80


def test_judges_default_to_the_generators() -> None:
    config = LLMConfig(base_url="http://127.0.0.1:9/v1", generators=[ModelConfig(name="g")])
    client = LLMClient(config)
    assert [m.name for m in client.models("judge")] == ["g"]


def test_full_jitter_stays_under_the_exponential_cap() -> None:
    rng = random.Random(1)
    delays = [backoff_delay(n, 0.5, 4.0, rng) for n in range(8) for _ in range(50)]
    assert max(delays) <= 4.0
    assert min(delays) >= 0.0
    assert max(backoff_delay(0, 0.5, 4.0, rng) for _ in range(100)) <= 0.5


async def test_check_endpoint_passes_against_a_live_server() -> None:
    async with FakeLLM(lambda req, n: ok()) as llm, LLMClient(settings(llm, "m-check")) as client:
        await client.check_endpoint()


async def test_check_endpoint_fails_with_one_line_when_nothing_listens() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = LLMConfig(base_url=f"http://127.0.0.1:{port}/v1", api_key=SECRET)
    async with LLMClient(config) as client:
        with pytest.raises(LLMUnavailable) as caught:
            await client.check_endpoint()
    message = str(caught.value)
    assert "refused the connection" in message
    assert "\n" not in message
    assert SECRET not in message
