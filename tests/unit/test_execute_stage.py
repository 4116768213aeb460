"""The execute stage on candidates: accept when every call ran, else reject with the reason."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest
from prometheus_client import REGISTRY

from apigen_stream import reasons, topics
from apigen_stream.config import Config, LibraryConfig, SandboxConfig
from apigen_stream.library.registry import Api, Registry, apis_in_module
from apigen_stream.records import Call, Candidate, Executed, Provenance
from apigen_stream.sandbox.pool import SandboxPool
from apigen_stream.stages import open_in_process
from apigen_stream.stages.execute import ExecuteStage, open_stage, warm_up_calls
from apigen_stream.stages.stage import Accept, DictState, Reject, Verdict
from tests.support import cheap_tools

pytestmark = pytest.mark.anyio

SANDBOX = SandboxConfig(workers=1, timeout_s=2.0, memory_mb=256, max_result_bytes=100_000)
KEY = {"type": "object", "properties": {"key": {"type": "string"}}, "required": ["key"]}


def extra_apis() -> list[Api]:
    def python(name: str, target: str, parameters: dict[str, Any]) -> Api:
        return Api(name=name, category="Tools", description=name, parameters=parameters,
                   target=target)  # fmt: skip

    return [
        python("lookup", "tests.support.cheap_tools:lookup", KEY),
        python("hang", "tests.support.hostile_tools:hang", {"type": "object"}),
        Api(name="schema_only", category="Data", description="", parameters=KEY, kind="schema"),
        Api(name="remote", category="Data", description="", parameters=KEY, kind="rest"),
    ]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def stage() -> AsyncIterator[ExecuteStage]:
    registry = Registry([*apis_in_module(cheap_tools), *extra_apis()])
    async with SandboxPool(SANDBOX) as pool:
        yield ExecuteStage(registry, pool)


def candidate(*calls: Call, style: Any = "parallel") -> Candidate:
    return Candidate(
        id="c-1",
        query="q",
        style=style,
        calls=list(calls),
        provenance=Provenance(generator="m", timings={"format": 0.001}),
    )


async def judge(stage: ExecuteStage, record: Candidate) -> Verdict:
    (verdict,) = await stage.handle(record, DictState({}))
    return verdict


def call(name: str, **arguments: Any) -> Call:
    return Call(name=name, arguments=arguments)


async def test_all_calls_ok_gives_executed_in_call_order(stage: ExecuteStage) -> None:
    record = candidate(call("subtract", a=10, b=3), call("join", left="a", right="b"))
    verdict = await judge(stage, record)
    assert isinstance(verdict, Accept)
    executed = verdict.record
    assert isinstance(executed, Executed)
    assert executed.candidate.id == "c-1"
    assert [(o.name, o.ok, o.result) for o in executed.outcomes] == [
        ("subtract", True, 7),
        ("join", True, "a b"),
    ]
    timings = executed.candidate.provenance.timings
    assert timings["format"] == 0.001
    assert timings["execute"] > 0


async def test_reordered_keys_give_the_same_result(stage: ExecuteStage) -> None:
    one = candidate(Call(name="subtract", arguments={"a": 10, "b": 3}))
    other = candidate(Call(name="subtract", arguments={"b": 3, "a": 10}))
    results = []
    for record in (one, other):
        verdict = await judge(stage, record)
        assert isinstance(verdict, Accept) and isinstance(verdict.record, Executed)
        results.append(verdict.record.outcomes[0].result)
    assert results == [7, 7]


async def test_one_failing_call_rejects_with_its_reason(stage: ExecuteStage) -> None:
    record = candidate(call("add", a=1, b=2), call("fail", message="boom"))
    registry = Registry([*apis_in_module(cheap_tools)])
    registry.add(
        Api(name="fail", category="Tools", description="", target="tests.support.cheap_tools:fail",
            parameters={"type": "object", "properties": {"message": {"type": "string"}}})
    )  # fmt: skip
    async with SandboxPool(SANDBOX) as pool:
        verdict = await judge(ExecuteStage(registry, pool), record)
    assert isinstance(verdict, Reject)
    assert verdict.reason == "exception"
    assert "call 1 (fail)" in verdict.detail and "boom" in verdict.detail
    assert isinstance(verdict.subject, Executed)
    assert [o.ok for o in verdict.subject.outcomes] == [True, False]
    assert verdict.subject.outcomes[0].result == 3


@pytest.mark.parametrize("name", ["no_such_tool", "schema_only", "remote"])
async def test_tools_that_cannot_run_are_not_executable(stage: ExecuteStage, name: str) -> None:
    verdict = await judge(stage, candidate(call(name, key="k")))
    assert isinstance(verdict, Reject)
    assert verdict.reason == "not_executable"


@pytest.mark.parametrize(
    "arguments",
    [{"a": "ten", "b": 3}, {"a": 10}, {"a": 10, "b": 3, "c": 1}, {"a": [10], "b": 3}],
)
async def test_invalid_arguments_are_rejected_before_running(
    stage: ExecuteStage, arguments: dict[str, Any]
) -> None:
    # "c" is allowed by the schema (no additionalProperties: false) but the function has no
    # such parameter: binding by name refuses it, so it fails as an exception instead.
    verdict = await judge(stage, candidate(Call(name="subtract", arguments=arguments)))
    assert isinstance(verdict, Reject)
    expected = "exception" if "c" in arguments else "invalid_arguments"
    assert verdict.reason == expected, verdict.detail


async def test_an_error_payload_is_a_failed_execution(stage: ExecuteStage) -> None:
    ok = await judge(stage, candidate(call("lookup", key="known")))
    bad = await judge(stage, candidate(call("lookup", key="missing")))
    assert isinstance(ok, Accept)
    assert isinstance(bad, Reject)
    assert bad.reason == "error_result"
    assert "no entry" in bad.detail


async def test_a_hanging_call_rejects_with_timeout(stage: ExecuteStage) -> None:
    verdict = await judge(stage, candidate(call("hang"), call("add", a=1, b=1)))
    assert isinstance(verdict, Reject)
    assert verdict.reason == "timeout"
    assert isinstance(verdict.subject, Executed)
    assert verdict.subject.outcomes[1].result == 2


async def test_an_irrelevance_candidate_passes_with_no_outcomes(stage: ExecuteStage) -> None:
    verdict = await judge(stage, candidate(style="irrelevance"))
    assert isinstance(verdict, Accept)
    assert isinstance(verdict.record, Executed)
    assert verdict.record.outcomes == []


async def test_calls_are_counted_by_api_and_outcome(stage: ExecuteStage) -> None:
    def count(api: str, outcome: str) -> float:
        labels = {"api": api, "outcome": outcome}
        return REGISTRY.get_sample_value("apigen_execution_calls_total", labels) or 0.0

    before = (count("add", "ok"), count("unknown", "not_executable"))
    await judge(stage, candidate(call("add", a=1, b=1), call("invented_by_an_llm")))
    assert count("add", "ok") == before[0] + 1
    assert count("unknown", "not_executable") == before[1] + 1


async def test_every_reason_is_in_the_stage_vocabulary(stage: ExecuteStage) -> None:
    records = [
        candidate(call("fail_missing")),
        candidate(call("subtract", a="x", b=1)),
        candidate(call("lookup", key="missing")),
    ]
    for record in records:
        verdict = await judge(stage, record)
        assert isinstance(verdict, Reject)
        assert reasons.is_known("execute", verdict.reason)


async def test_open_stage_serves_the_builtin_library() -> None:
    config = Config(sandbox=SANDBOX)
    async with open_stage(config) as stage:
        assert (stage.name, stage.input_topic, stage.output_topic) == (
            "execute",
            topics.UNIQUE,
            topics.EXECUTED,
        )
        verdict = await judge(stage, candidate(style="irrelevance"))
    assert isinstance(verdict, Accept)


def test_warm_up_is_one_seed_call_of_every_python_tool_with_a_seed() -> None:
    registry = Registry([*apis_in_module(cheap_tools), *extra_apis()])
    calls = warm_up_calls(registry)
    seeded = [a for a in registry if a.kind == "python" and a.examples]
    assert [(target, name) for target, name, _ in calls] == [(a.target, a.name) for a in seeded]
    subtract = next(arguments for _, name, arguments in calls if name == "subtract")
    assert subtract == {"a": 10, "b": 3}
    # No seed, no warm-up call; schema-only and REST tools never run in a worker.
    assert {"lookup", "hang", "schema_only", "remote"}.isdisjoint(name for _, name, _ in calls)


@pytest.mark.parametrize(("opener", "runs"), [("service", 2), ("in_process", 1)])
async def test_a_service_warms_its_workers_and_an_in_process_run_does_not(
    opener: str, runs: int
) -> None:
    library = LibraryConfig(builtin=False, python_modules=["tests.support.warm_tools"])
    config = Config(sandbox=msgspec.structs.replace(SANDBOX, warm_up=True), library=library)
    first = candidate(call("runs_here"))
    if opener == "service":
        async with open_stage(config) as stage:
            verdict = await judge(stage, first)
    else:
        async with open_in_process(config, ["execute"]) as (stage,):
            (verdict,) = await stage.handle(first, DictState({}))
    assert isinstance(verdict, Accept) and isinstance(verdict.record, Executed)
    assert [o.result for o in verdict.record.outcomes] == [runs]
