"""Bounded, constrained and honest LLM requests, against a real OpenAI-compatible HTTP server.

max_tokens per role, the JSON Schema constraint and its fallbacks, a stalled request ending
within its deadline, truncated answers, the judge's raw answer, the circuit breaker over an
outage, the start-up check telling busy from down, and what every request spent.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import anyio
import pytest
from jsonschema import Draft202012Validator
from prometheus_client import REGISTRY

from apigen_stream.config import LLMConfig, ModelConfig
from apigen_stream.errors import LLMUnavailable
from apigen_stream.llm.breaker import Breaker, BreakerState
from apigen_stream.llm.client import LLMClient
from apigen_stream.llm.prompts import Message
from apigen_stream.llm.schema import pairs_schema, verdict_schema
from apigen_stream.records import Call, Candidate, Executed, Outcome, Provenance, Task, Tool
from apigen_stream.stages.format import check_format
from apigen_stream.stages.generate import GenerateStage
from apigen_stream.stages.semantic import SemanticStage
from apigen_stream.stages.stage import Accept, DictState, Reject, Verdict
from tests.support.fake_llm import FakeLLM, FakeReply, user_text

pytestmark = pytest.mark.anyio

HOTEL = Tool(
    name="book_hotel",
    parameters={
        "type": "object",
        "properties": {
            "city": {"type": "string", "pattern": "^[A-Z]"},
            "nights": {"type": "integer", "minimum": 1},
            "view": {"type": "string", "enum": ["sea", "city"]},
        },
        "required": ["city", "nights"],
    },
)
WEATHER = Tool(
    name="weather",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
MESSAGES = [Message("user", "hi")]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def task(tid: str = "t0-1", pairs: int = 3, style: Any = "multiple") -> Task:
    return Task(id=tid, style=style, tools=[HOTEL, WEATHER], pairs=pairs)


def pair(query: str, nights: int = 2) -> dict[str, Any]:
    return {"query": query, "answers": [{"name": "book_hotel", "arguments": {"city": "Oslo",
            "nights": nights}}]}  # fmt: skip


def settings(llm: FakeLLM, model: str, **overrides: Any) -> LLMConfig:
    values: dict[str, Any] = {
        "base_url": llm.base_url, "api_key": "k", "generators": [ModelConfig(name=model)],
        "timeout_s": 5.0, "max_retries": 2, "backoff_s": 0.01, "backoff_max_s": 0.02,
    }  # fmt: skip
    values.update(overrides)
    return LLMConfig(**values)


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def good(req: dict[str, Any], attempt: int) -> FakeReply:
    return FakeReply(content=json.dumps({"pairs": [pair("a"), pair("b", 3)]}), usage=(100, 40))


async def generate(llm: FakeLLM, config: LLMConfig, *tasks: Task) -> list[list[Verdict]]:
    async with LLMClient(config) as client:
        stage = GenerateStage(None, client)  # type: ignore[arg-type]  # online: no registry used
        results: list[list[Verdict]] = [[] for _ in tasks]

        async def one(i: int) -> None:
            results[i] = list(await stage.handle(tasks[i], DictState({})))

        async with anyio.create_task_group() as tg:
            for i in range(len(tasks)):
                tg.start_soon(one, i)
    return results


def candidates(verdicts: list[Verdict]) -> list[Candidate]:
    return [v.record for v in verdicts if isinstance(v, Accept) and isinstance(v.record, Candidate)]


async def test_generator_requests_are_bounded_by_pairs_and_constrained_by_the_task() -> None:
    async with FakeLLM(good) as llm:
        await generate(llm, settings(llm, "b-gen", generator_max_tokens_per_pair=100), task())
    body = llm.requests[0]
    assert body["max_tokens"] == 64 + 3 * 100
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "pairs"
    schema = fmt["json_schema"]["schema"]
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"pairs": [pair("Book two nights in Oslo")]})
    query = "Weather in Oslo?"
    wrong_tool = {"pairs": [{"query": query, "answers": [{"name": "nope", "arguments": {}}]}]}
    assert not validator.is_valid(wrong_tool)
    unknown_arg = {"pairs": [{"query": query, "answers": [{"name": "weather", "arguments":
                   {"town": "x"}}]}]}  # fmt: skip
    assert not validator.is_valid(unknown_arg)
    # Keywords constrained decoders do not share are left to the format stage.
    assert "pattern" not in json.dumps(schema) and "minimum" not in json.dumps(schema)


async def test_a_model_bound_overrides_the_role_default() -> None:
    model = ModelConfig(name="b-own", max_tokens=77)
    async with FakeLLM(good) as llm:
        await generate(llm, settings(llm, "x", generators=[model]), task())
    assert llm.requests[0]["max_tokens"] == 77


def test_the_verdict_schema_allows_yes_or_no_only() -> None:
    validator = Draft202012Validator(verdict_schema())
    assert validator.is_valid({"thought": "fine", "pass": "yes"})
    assert not validator.is_valid({"thought": "fine"})
    assert not validator.is_valid({"thought": "fine", "pass": "maybe"})
    irrelevant = pairs_schema(task(style="irrelevance"), 2)
    no_call = {"pairs": [{"query": "Who won the 1998 World Cup?", "answers": []}]}
    assert Draft202012Validator(irrelevant).is_valid(no_call)


async def test_refused_formats_fall_back_in_order_and_are_remembered() -> None:
    def script(req: dict[str, Any], attempt: int) -> FakeReply:
        fmt = req.get("response_format")
        if fmt is not None and (fmt["type"] == "json_schema" or "schema" in fmt):
            return FakeReply(status=422, content="response_format: type json_schema not allowed")
        return good(req, attempt)

    async with FakeLLM(script) as llm, LLMClient(settings(llm, "b-fallback")) as client:
        stage = GenerateStage(None, client)  # type: ignore[arg-type]  # online: no registry used
        first = await stage.handle(task("t0-1"), DictState({}))
        second = await stage.handle(task("t0-2"), DictState({}))
    assert len(candidates(list(first))) == len(candidates(list(second))) == 2
    kinds = [r.get("response_format", {}) for r in llm.requests]
    assert [k["type"] for k in kinds] == [
        "json_schema",
        "json_object",
        "json_object",
        "json_object",
    ]
    assert "schema" in kinds[1] and "schema" not in kinds[3]  # the second task asks JSON mode only
    assert metric("apigen_llm_format_fallbacks_total", model="b-fallback", refused="json_schema")


async def test_a_stalled_request_ends_llm_error_within_its_deadline_and_the_rest_proceed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def script(req: dict[str, Any], attempt: int) -> FakeReply:
        return FakeReply(stall=True) if "t0-stall" in user_text(req) else good(req, attempt)

    config_overrides = {"timeout_s": 0.4, "task_deadline_s": 1.5, "max_retries": 10}
    tasks = [task("t0-stall"), *(task(f"t0-{i}") for i in range(8))]
    with caplog.at_level(logging.WARNING, logger="apigen_stream.llm"):
        async with FakeLLM(script) as llm:
            started = time.monotonic()
            results = await generate(llm, settings(llm, "b-stall", **config_overrides), *tasks)
            elapsed = time.monotonic() - started
    stalled = results[0]
    assert len(stalled) == 1 and isinstance(stalled[0], Reject)
    assert stalled[0].reason == "llm_error" and "deadline" in stalled[0].detail
    assert stalled[0].requests["generator"] >= 2  # each timed-out attempt counted as a request
    assert elapsed < 1.5 + 1.0
    assert all(len(candidates(r)) == 2 for r in results[1:])
    said = caplog.text
    assert "timeout" in said and "deadline" in said
    assert metric("apigen_llm_give_ups_total", role="generator", model="b-stall", reason="deadline")


async def test_a_truncated_answer_keeps_its_pairs_and_accounts_for_the_unread_rest() -> None:
    cut = json.dumps({"pairs": [pair("a"), pair("b")]})[:-2] + ', {"query": "Book'

    def script(req: dict[str, Any], attempt: int) -> FakeReply:
        return FakeReply(content=cut, finish_reason="length", usage=(90, 30))

    async with FakeLLM(script) as llm:
        [verdicts] = await generate(llm, settings(llm, "b-cut"), task())
    found = candidates(verdicts)
    assert [c.query for c in found[:2]] == ["a", "b"] and len(found) == 3
    assert found[2].parse_reason == "truncated"
    assert found[2].parse_error.startswith("the answer was cut at max_tokens after 2 complete")
    reasons = [v.reason for v in map(check_format, found) if isinstance(v, Reject)]
    assert reasons == ["truncated"]
    assert sum(c.provenance.tokens["generator"] for c in found) == 120
    assert metric("apigen_llm_truncated_total", role="generator", model="b-cut") == 1


async def test_no_pairs_and_llm_errors_carry_what_they_spent() -> None:
    def script(req: dict[str, Any], attempt: int) -> FakeReply:
        if "t0-empty" in user_text(req):
            return FakeReply(content='{"pairs": []}', usage=(50, 5))
        return FakeReply(status=503)

    async with FakeLLM(script) as llm:
        empty, failed = await generate(llm, settings(llm, "b-spent"), task("t0-empty"), task())
    assert isinstance(empty[0], Reject) and empty[0].reason == "no_pairs"
    assert empty[0].tokens == {"generator": 55} and empty[0].requests == {"generator": 1}
    assert isinstance(failed[0], Reject) and failed[0].reason == "llm_error"
    assert failed[0].requests == {"generator": 3}


def executed() -> Executed:
    candidate = Candidate(
        id="t0-1.0", style="simple", query="Weather in Oslo?", tools=[WEATHER],
        calls=[Call(name="weather", arguments={"city": "Oslo"})], provenance=Provenance(),
    )  # fmt: skip
    return Executed(candidate=candidate, outcomes=[Outcome(name="weather", ok=True, result=1)])


@pytest.mark.parametrize(
    "text",
    ['{"thought": "the call fits the query well"}', "The answer is yes. The call fits."],
)
async def test_a_verdict_without_pass_is_unparseable_and_keeps_the_raw_answer(text: str) -> None:
    async with (
        FakeLLM(lambda r, n: FakeReply(content=text, usage=(30, 9))) as llm,
        LLMClient(settings(llm, "b-judge")) as client,
    ):
        [verdict] = await SemanticStage(client).handle(executed(), DictState({}))
        body = llm.requests[0]
    assert isinstance(verdict, Reject) and verdict.reason == "judge_unparseable"
    assert text[:20] in verdict.detail
    assert verdict.tokens == {"judge": 39} and verdict.requests == {"judge": 1}
    assert body["max_tokens"] == 256
    assert body["response_format"]["json_schema"]["name"] == "verdict"


async def test_an_outage_parks_requests_behind_the_breaker_and_loses_none(
    caplog: pytest.LogCaptureFixture,
) -> None:
    opened = metric("apigen_llm_breaker_changes_total", state="open")
    closed = metric("apigen_llm_breaker_changes_total", state="closed")
    llm = FakeLLM(good)
    await llm.start()
    port = llm.port
    config = settings(llm, "b-out", breaker_probe_s=0.2, max_retries=1, task_deadline_s=5.0)
    with caplog.at_level(logging.WARNING, logger="apigen_stream.llm"):
        async with LLMClient(config) as client, anyio.create_task_group() as tg:
            await llm.stop()  # the outage: nothing listens
            answers: list[str] = []

            async def one(i: int) -> None:
                answer = await client.complete("generator", MESSAGES, key=f"k{i}")
                answers.append(answer.text)

            for i in range(8):
                tg.start_soon(one, i)
            await anyio.sleep(1.0)
            assert client.breaker.state == "open" and not answers
            await llm.start(port)  # the endpoint is back
    await llm.stop()
    assert len(answers) == 8  # every request answered: the outage only delayed them
    assert metric("apigen_llm_breaker_changes_total", state="open") == opened + 1
    assert metric("apigen_llm_breaker_changes_total", state="closed") == closed + 1
    assert "breaker open" in caplog.text and "breaker closed" in caplog.text


async def test_the_start_up_check_tells_a_busy_server_from_a_dead_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with FakeLLM(good, models_delay_s=2.0) as llm:
        config = settings(llm, "b-busy", check_timeout_s=0.3)
        with caplog.at_level(logging.WARNING, logger="apigen_stream.llm"):
            async with LLMClient(config) as client:
                await client.check_endpoint()  # busy: starts, with a warning
        port = llm.port
    assert "busy" in caplog.text
    dead = LLMConfig(base_url=f"http://127.0.0.1:{port}/v1", api_key="k")
    async with LLMClient(dead) as client:
        with pytest.raises(LLMUnavailable, match="refused the connection"):
            await client.check_endpoint()


def test_a_stage_whose_breaker_is_open_pauses_fetching_until_it_closes() -> None:
    from apigen_stream.engine.partitions import FlowControl

    breaker = Breaker("here", BreakerState(window=5, min_requests=5))
    flow = FlowControl(max_in_flight=100, in_flight=3)
    assert flow.decide(held=not breaker.accepting) is None
    for _ in range(5):
        breaker.record(False)
    assert flow.decide(held=not breaker.accepting) is True  # open: intake pauses
    assert flow.decide(held=not breaker.accepting) is None  # and stays paused while open
    breaker.probe_answered()
    assert flow.decide(held=not breaker.accepting) is False  # closed: intake resumes
