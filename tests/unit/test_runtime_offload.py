"""Checks in child processes: a check that would hold the event loop for ever is cut off.

The pattern ``^(a+)+$`` against 40 ``a`` and a ``!`` backtracks for far longer than anyone
waits, and Python's ``re`` holds the GIL throughout: in the service's own process it froze
the loop (no heartbeat, no ``/healthz``, no SIGTERM). The format check now matches patterns
with RE2, but any check can still run long; here the child runs Python's ``re`` on purpose
(``tests.support.real_stages.check_or_hog``).
In a child, the loop ticks on, the record is rejected ``deadline_exceeded`` at the deadline,
and a fresh child checks the next record.
"""

from __future__ import annotations

import itertools
import os
import time

import anyio
import pytest

from apigen_stream import reasons
from apigen_stream.config import Config
from apigen_stream.engine.codec import encode
from apigen_stream.engine.handling import Backoff, make_handling
from apigen_stream.engine.offload import Offload, OffloadCrashed, OffloadTimeout
from apigen_stream.engine.partitions import Envelope
from apigen_stream.records import Call, Candidate, Tool
from apigen_stream.stages.format import FormatStage, check_format, open_stage
from apigen_stream.stages.format_offload import OffloadedCheck
from apigen_stream.stages.stage import Accept, DictState, Reject
from tests.support.real_stages import HOG, HOG_TARGET

pytestmark = pytest.mark.anyio

TIMEOUT_S = 1.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def pattern_candidate(value: str, number: int = 1, query: str = "q") -> Candidate:
    """One call whose argument must match the catastrophic pattern."""
    schema = {"type": "object", "properties": {"x": {"type": "string", "pattern": "^(a+)+$"}}}
    return Candidate(
        id=f"pat-{number:06d}", query=query, calls=[Call(name="f", arguments={"x": value})],
        tools=[Tool(name="f", parameters=schema)],
    )  # fmt: skip


async def test_a_check_that_runs_long_is_cut_off_and_the_loop_keeps_ticking() -> None:
    ticks: list[float] = []

    async def tick() -> None:
        while True:
            ticks.append(time.monotonic())
            await anyio.sleep(0.05)

    async with Offload(HOG_TARGET, 1, TIMEOUT_S) as offload, anyio.create_task_group() as tg:
        stage = FormatStage(OffloadedCheck(offload))
        tg.start_soon(tick)
        started = time.monotonic()
        [verdict] = await stage.handle(pattern_candidate("a" * 40 + "!", query=HOG), DictState({}))
        took = time.monotonic() - started
        [after] = await stage.handle(pattern_candidate("aaaa", 2), DictState({}))
        tg.cancel_scope.cancel()
    assert isinstance(verdict, Reject) and verdict.reason == reasons.DEADLINE_EXCEEDED
    assert TIMEOUT_S <= took < TIMEOUT_S + 5.0
    assert isinstance(after, Accept)  # a fresh child took the next record
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.5, "the event loop was held"


async def test_the_stage_checks_in_its_child_as_it_would_in_process() -> None:
    async with open_stage(Config()) as stage:
        [rejected] = await stage.handle(pattern_candidate("a" * 40 + "!"), DictState({}))
        [accepted] = await stage.handle(pattern_candidate("aaaa", 2), DictState({}))
    assert isinstance(rejected, Reject) and rejected.reason == "out_of_range"
    assert isinstance(accepted, Accept) and accepted.key is not None


async def test_a_child_that_dies_on_an_input_fails_that_input_only() -> None:
    async with Offload("tests.unit.test_runtime_offload:echo", 1, 10.0) as offload:
        with pytest.raises(OffloadCrashed, match="died"):
            await offload.call(b"exit")
        with pytest.raises(OffloadCrashed, match="ValueError"):
            await offload.call(b"raise")
        assert await offload.call(b"ok") == b"ok"
    async with Offload("tests.unit.test_runtime_offload:no_such_function", 1, 10.0) as offload:
        with pytest.raises(OffloadCrashed, match="did not start"):
            await offload.call(b"ok")


async def test_a_cancelled_call_kills_its_child_and_the_next_call_has_a_new_one() -> None:
    async with Offload("tests.unit.test_runtime_offload:echo", 1, 30.0) as offload:
        with anyio.move_on_after(0.5):
            await offload.call(b"sleep")
        started = time.monotonic()
        assert await offload.call(b"fine") == b"fine"
        assert time.monotonic() - started < 10.0
        with pytest.raises(OffloadTimeout):
            offload.timeout_s = 0.5
            await offload.call(b"sleep")


def echo(payload: bytes) -> bytes:
    """The child function of these tests: echoes; raises, hangs or dies when asked."""
    if payload == b"raise":
        raise ValueError("asked to")
    if payload == b"sleep":
        time.sleep(3600)
    if payload == b"exit":
        os._exit(3)
    return payload


async def test_calls_waiting_together_go_in_one_batch_and_one_past_its_deadline_fails_alone() -> (
    None
):
    # Five calls wait while the child is busy: they go to it together; the one that hangs is
    # cut off at its own deadline and the calls behind it are answered by a fresh child.
    results: dict[int, bytes | str] = {}
    payloads = [b"a", b"b", b"sleep", b"c", b"d"]

    async def one(index: int) -> None:
        try:
            results[index] = await offload.call(payloads[index])
        except OffloadTimeout as exc:
            results[index] = f"timeout: {exc}"

    async with Offload("tests.unit.test_runtime_offload:echo", 1, TIMEOUT_S) as offload:
        async with anyio.create_task_group() as tg:
            for index in range(len(payloads)):
                tg.start_soon(one, index)
        after = await offload.call(b"next")
    assert results[0] == b"a" and results[1] == b"b"
    assert isinstance(results[2], str) and results[2].startswith("timeout")
    assert results[3] == b"c" and results[4] == b"d"
    assert after == b"next"


def _envelopes(candidates: list[Candidate]) -> list[Envelope]:
    return [Envelope("in", 0, i, None, encode(c)) for i, c in enumerate(candidates)]


async def test_a_fetched_batch_is_checked_in_the_child_as_each_record_would_be() -> None:
    candidates = [pattern_candidate("aaaa" if i % 3 else "b", i) for i in range(30)]
    async with open_stage(Config()) as stage:
        handling = make_handling(stage, 1, Backoff(0.0, 0.0))
        out = await handling.batch(_envelopes(candidates), DictState({}), anyio.CapacityLimiter(4))
    expected = [check_format(c) for c in candidates]
    assert [o.topic for o in out] == [
        "apigen.formatted" if isinstance(v, Accept) else "apigen.rejected" for v in expected
    ]
    accepted = [o for o in out if o.topic == "apigen.formatted"]
    keys = [v.key for v in expected if isinstance(v, Accept)]
    assert [o.key for o in accepted] == keys
    assert all("format" in o.record.provenance.timings for o in accepted)  # type: ignore[attr-defined]


async def test_a_batch_holding_a_check_past_its_deadline_rejects_that_one_alone() -> None:
    # The batch's one call runs past the deadline: its candidates are checked one by one, and
    # only the one that hangs is rejected, at its own deadline.
    candidates = [pattern_candidate("aaaa", i) for i in range(6)]
    candidates[3] = pattern_candidate("a" * 40 + "!", 3, query=HOG)
    async with Offload(HOG_TARGET, 1, TIMEOUT_S) as offload:
        stage = FormatStage(OffloadedCheck(offload))
        handling = make_handling(stage, 1, Backoff(0.0, 0.0))
        started = time.monotonic()
        out = await handling.batch(_envelopes(candidates), DictState({}), anyio.CapacityLimiter(6))
        took = time.monotonic() - started
    topics = [o.topic for o in out]
    assert topics == ["apigen.formatted"] * 3 + ["apigen.rejected"] + ["apigen.formatted"] * 2
    assert out[3].record.reason == reasons.DEADLINE_EXCEEDED  # type: ignore[attr-defined]
    assert 2 * TIMEOUT_S <= took < 2 * TIMEOUT_S + 5.0
