"""The semantic stage: rules first (no judge call on a failed rule), then the judge committee."""

from __future__ import annotations

import json
from typing import Any

import pytest

from apigen_stream.config import LLMConfig, ModelConfig
from apigen_stream.llm.client import LLMClient
from apigen_stream.llm.parse import JudgeAnswer
from apigen_stream.records import (
    Call,
    Candidate,
    Executed,
    Outcome,
    Provenance,
    Sample,
    Style,
    Tool,
)
from apigen_stream.stages.semantic import SemanticStage, decide, is_empty
from apigen_stream.stages.stage import Accept, DictState, Reject, Verdict
from tests.support.fake_llm import FakeLLM, FakeReply

pytestmark = pytest.mark.anyio

TOOL = Tool(
    name="weather",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def executed(
    style: Style = "simple", calls: int = 1, ok: bool = True, result: Any = None
) -> Executed:
    made = [Call(name="weather", arguments={"city": f"C{i}"}) for i in range(calls)]
    value = {"temp_c": 12} if result is None else result
    outcomes = [
        Outcome(name="weather", ok=ok, result=value if ok else None, reason="" if ok else "timeout")
        for _ in made
    ]
    candidate = Candidate(
        id="t0-1.0", style=style, query=" ".join(f"Weather in C{i}?" for i in range(calls)),
        calls=made, tools=[TOOL],
        provenance=Provenance(generator="gen", tokens={"generator": 40}, timings={"generate": 1.0}),
        created_at=5.0,
    )  # fmt: skip
    return Executed(candidate=candidate, outcomes=outcomes)


def answer(text: str) -> Any:
    return lambda req, n: FakeReply(content=text, usage=(50, 10))


async def judged(script: Any, record: Executed, committee: int = 1) -> tuple[list[Verdict], int]:
    async with FakeLLM(script) as llm:
        config = LLMConfig(
            base_url=llm.base_url, api_key="k", judges=[ModelConfig(name="judge-m")],
            backoff_s=0.01, max_retries=1, backoff_max_s=0.02,
        )  # fmt: skip
        async with LLMClient(config) as client:
            verdicts = list(await SemanticStage(client, committee).handle(record, DictState({})))
        return verdicts, llm.chat_requests


def reason(verdicts: list[Verdict]) -> str:
    assert len(verdicts) == 1
    verdict = verdicts[0]
    return verdict.reason if isinstance(verdict, Reject) else "accepted"


@pytest.mark.parametrize("key", ["pass", "passes"])
@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", "accepted"), ("True", "accepted"), ("no", "judge_fail"), ("false", "judge_fail")],
)
async def test_pass_and_passes_with_yes_no_true_false(key: str, value: str, expected: str) -> None:
    text = json.dumps({"thought": "checked", key: value})
    verdicts, calls = await judged(answer(text), executed())
    assert reason(verdicts) == expected
    assert calls == 1


async def test_garbage_is_judge_unparseable() -> None:
    verdicts, _ = await judged(answer("Looks fine to me!"), executed())
    assert reason(verdicts) == "judge_unparseable"


async def test_a_failed_execution_never_reaches_the_judge() -> None:
    verdicts, calls = await judged(answer('{"pass": "yes"}'), executed(ok=False))
    assert reason(verdicts) == "failed_execution"
    assert calls == 0


async def test_a_no_carries_the_thought_as_detail() -> None:
    verdicts, _ = await judged(answer('{"thought": "wrong city", "pass": "no"}'), executed())
    assert isinstance(verdicts[0], Reject)
    assert verdicts[0].detail == "wrong city"


async def test_an_accepted_sample_carries_judgement_and_provenance() -> None:
    verdicts, _ = await judged(answer('{"thought": "fine", "pass": "yes"}'), executed())
    assert isinstance(verdicts[0], Accept)
    sample = verdicts[0].record
    assert isinstance(sample, Sample)
    assert (sample.id, sample.query, sample.created_at) == ("t0-1.0", "Weather in C0?", 5.0)
    assert sample.judgement.passed and sample.judgement.thought == "fine"
    assert sample.provenance.judge == "judge-m"
    assert sample.provenance.tokens == {"generator": 40, "judge": 60}
    assert set(sample.provenance.timings) == {"generate", "semantic"}
    assert sample.outcomes[0].result == {"temp_c": 12}


async def test_a_committee_decides_by_majority() -> None:
    replies = iter(['{"pass": "yes"}', '{"pass": "no", "thought": "nope"}', '{"passes": "yes"}'])
    verdicts, calls = await judged(lambda r, n: FakeReply(content=next(replies)), executed(), 3)
    assert calls == 3
    assert isinstance(verdicts[0], Accept)
    sample = verdicts[0].record
    assert isinstance(sample, Sample)
    assert sorted(sample.judgement.votes) == [False, True, True]
    replies = iter(['{"pass": "yes"}', '{"pass": "no", "thought": "nope"}', '{"pass": "no"}'])
    verdicts, _ = await judged(lambda r, n: FakeReply(content=next(replies)), executed(), 3)
    assert reason(verdicts) == "judge_fail"


async def test_a_judge_that_keeps_failing_is_llm_error() -> None:
    verdicts, calls = await judged(lambda r, n: FakeReply(status=503), executed())
    assert reason(verdicts) == "llm_error"
    assert calls == 2


def test_decide_without_any_no_is_unparseable() -> None:
    votes = [JudgeAnswer(passed=True), JudgeAnswer(passed=None), JudgeAnswer(passed=None)]
    assert decide(votes)[1] == "judge_unparseable"
    assert (
        decide([JudgeAnswer(passed=None), JudgeAnswer(passed=False, thought="x")])[1]
        == "judge_fail"
    )


async def offline(record: Executed) -> str:
    return reason(list(await SemanticStage(None).handle(record, DictState({}))))


@pytest.mark.parametrize(
    ("style", "calls", "expected"),
    [
        ("simple", 1, "accepted"), ("multiple", 1, "accepted"), ("parallel", 2, "accepted"),
        ("parallel_multiple", 3, "accepted"), ("irrelevance", 0, "accepted"),
        ("simple", 2, "call_count_mismatch"), ("multiple", 0, "call_count_mismatch"),
        ("parallel", 1, "call_count_mismatch"), ("parallel_multiple", 1, "call_count_mismatch"),
        ("irrelevance", 1, "call_count_mismatch"),
    ],
)  # fmt: skip
async def test_offline_rules_alone_decide(style: Style, calls: int, expected: str) -> None:
    assert await offline(executed(style, calls)) == expected


async def test_offline_rules_reject_failed_and_empty_results() -> None:
    assert await offline(executed(ok=False)) == "failed_execution"
    assert await offline(executed(result={})) == "empty_result"
    assert await offline(executed(result="  ")) == "empty_result"
    assert await offline(executed(result=0)) == "accepted"
    # An empty list passes the empty-result rule but is a degenerate answer (alignment rules).
    assert await offline(executed(result=[])) == "degenerate_result"


def test_what_counts_as_empty() -> None:
    values: list[object] = [None, "", " ", {}, [], 0, False, {"a": None}]
    assert [is_empty(v) for v in values] == [
        True, True, True, True, False, False, False, False,
    ]  # fmt: skip
