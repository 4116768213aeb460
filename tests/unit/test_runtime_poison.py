"""Poison records in the stage engine, with no broker: deadlines, decoder limits, sizes, guards.

Each test reproduces a failure seen in a service: a 5,000-deep record whose decoding raised
out of the handling (the stage died on it), a handler that never returned, an output larger
than a producer's request that was retried for ever, a batch handled by no task and committed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import anyio
import msgspec
import pytest

from apigen_stream import reasons, topics
from apigen_stream.config import Config, KafkaConfig
from apigen_stream.engine.codec import encode
from apigen_stream.engine.handling import Backoff, make_handling
from apigen_stream.engine.partitions import Envelope
from apigen_stream.engine.routing import Outgoing, dead_letter
from apigen_stream.engine.runner import StageRunner
from apigen_stream.engine.sizing import DETAIL_CHARS, fit, record_limit, size
from apigen_stream.errors import ConfigError
from apigen_stream.records import Call, Candidate, DeadLetter, Rejection, Tool
from apigen_stream.stages.stage import Accept, DictState, StateStore, Verdict
from tests.support.test_stages import Relay

pytestmark = pytest.mark.anyio

NO_WAIT = Backoff(0.0, 0.0)
LIMIT = record_limit(1_048_576)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _envelope(offset: int, value: bytes | None, key: bytes = b"key-1") -> Envelope:
    return Envelope("t.in", 2, offset, key, value)


def deep_candidate(depth: int = 5_000) -> bytes:
    """A 10 KB candidate whose one argument is ``depth`` nested lists."""
    nested = b"[" * depth + b"]" * depth
    return (
        b'{"type":"candidate","id":"deep-000001","query":"q","calls":[{"name":"f",'
        b'"arguments":{"x":' + nested + b"}}]}"
    )


class Grows(Relay):
    """Accepts a copy of the record with a longer query: outputs grow on the way."""

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        return [Accept(msgspec.structs.replace(record, query=record.query + "+" * 64))]


class Forever(Relay):
    """Never answers (a check that hangs, awaiting)."""

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")


class Counting(Relay):
    """Counts the records it handles."""

    handled = 0

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        Counting.handled += 1
        return [Accept(record)]


async def test_a_5000_deep_record_is_a_dead_letter_not_a_crash() -> None:
    handling = make_handling(Relay("r", "t.in", "t.out"), 1, NO_WAIT)
    [out] = await handling.envelope(_envelope(7, deep_candidate()), DictState({}))
    assert isinstance(out.record, DeadLetter)
    assert out.record.reason == reasons.UNDECODABLE
    assert (out.record.offset, out.record.key) == (7, b"key-1")


async def test_a_record_past_its_deadline_is_rejected_and_the_batch_goes_on() -> None:
    handling = make_handling(Forever("f", "t.in", "t.out"), 1, NO_WAIT, deadline_s=0.2)
    items = [_envelope(i, encode(Candidate(id=f"c-{i:06d}", query="q"))) for i in range(3)]
    started = time.monotonic()
    out = await handling.batch(items, DictState({}), anyio.CapacityLimiter(8))
    assert time.monotonic() - started < 2.0
    assert [o.topic for o in out] == [topics.REJECTED] * 3
    assert all(isinstance(o.record, Rejection) for o in out)
    assert {o.record.reason for o in out} == {reasons.DEADLINE_EXCEEDED}  # type: ignore[attr-defined]
    assert reasons.is_known("format", reasons.DEADLINE_EXCEEDED)


async def test_an_output_that_grows_past_the_limit_is_a_too_large_dead_letter() -> None:
    # Just under the limit on the way in; 64 bytes more on the way out.
    query = "q" * (LIMIT - len(encode(Candidate(id="big-000001", query=""))) - 16)
    value = encode(Candidate(id="big-000001", query=query))
    assert len(value) < LIMIT
    handling = make_handling(Grows("g", "t.in", "t.out"), 1, NO_WAIT, max_bytes=LIMIT)
    [out] = await handling.envelope(_envelope(41, value), DictState({}))
    letter = out.record
    assert isinstance(letter, DeadLetter)
    assert letter.reason == reasons.TOO_LARGE
    assert (letter.topic, letter.partition, letter.offset, letter.key) == ("t.in", 2, 41, b"key-1")
    assert letter.payload == b""
    assert size(out) < 4_096
    assert out.value() == encode(letter)


async def test_a_rejection_listing_40000_names_keeps_a_bounded_detail() -> None:
    names = [f"argument_{i:05d}" for i in range(40_000)]
    parameters = {"type": "object", "properties": {name: {} for name in names}}
    subject = Candidate(
        id="names-000001", query="q", calls=[Call(name="f", arguments={"zzz": 1})],
        tools=[Tool(name="f", parameters=parameters)],
    )  # fmt: skip
    detail = f"unknown argument 'zzz' (known: {', '.join(names)})"
    rejection = Rejection(id=subject.id, stage="format", reason="unknown_argument",
                          detail=detail, subject=subject)  # fmt: skip
    item = Outgoing(topics.REJECTED, b"names-000001", rejection)
    assert size(item) > LIMIT  # as it was: never sent, retried for ever
    [out] = fit([item], LIMIT, _envelope(3, b"..."), "format")
    assert isinstance(out.record, Rejection)
    assert out.record.reason == "unknown_argument"
    assert len(out.record.detail) < DETAIL_CHARS + 100
    assert out.record.detail.startswith("unknown argument 'zzz' (known: argument_00000")
    assert size(out) <= LIMIT


async def test_a_dead_letter_too_large_for_its_payload_keeps_where_the_input_is() -> None:
    letter = dead_letter(
        stage="s", topic="t.in", partition=2, offset=9, key=b"k", value=b"x" * LIMIT,
        reason=reasons.HANDLER_ERROR, detail="boom",
    )  # fmt: skip
    [out] = fit([letter], LIMIT, _envelope(9, b"x" * LIMIT), "s")
    assert isinstance(out.record, DeadLetter)
    assert out.record.reason == reasons.HANDLER_ERROR
    assert (out.record.offset, out.record.key, out.record.payload) == (9, b"k", b"")
    assert "omitted" in out.record.detail


async def test_outputs_that_fit_are_sent_as_they_are() -> None:
    record = Candidate(id="ok-000001", query="q")
    [out] = fit([Outgoing("t.out", b"k", record)], LIMIT, _envelope(0, b""), "s")
    assert out.record is record and out.value() == encode(record)


async def test_no_record_of_a_batch_is_left_unhandled_even_without_concurrency() -> None:
    Counting.handled = 0
    handling = make_handling(Counting("c", "t.in", "t.out"), 1, NO_WAIT)
    items = [_envelope(i, encode(Candidate(id=f"c-{i:06d}", query="q"))) for i in range(5)]
    # As kafka.concurrency = 0 made it: a limiter of no tokens, and no task took a record.
    out = await handling.each(items, DictState({}), _NoTokens())  # type: ignore[arg-type]
    assert Counting.handled == 5 and [len(o) for o in out] == [1] * 5


class _NoTokens:
    """What ``CapacityLimiter(0)`` would say; acquiring is free."""

    total_tokens = 0

    def acquire_nowait(self) -> None:
        return None

    async def acquire(self) -> None:
        return None

    def release(self) -> None:
        return None


async def test_known_outcomes_of_a_redone_batch_are_reused_not_recomputed() -> None:
    Counting.handled = 0
    handling = make_handling(Counting("c", "t.in", "t.out"), 1, NO_WAIT)
    items = [_envelope(i, encode(Candidate(id=f"c-{i:06d}", query="q"))) for i in range(4)]
    first = await handling.each(items, DictState({}), anyio.CapacityLimiter(4))
    assert Counting.handled == 4
    known = {item.offset: out for item, out in zip(items[:3], first[:3], strict=True)}
    again = await handling.each(items, DictState({}), anyio.CapacityLimiter(4), known)
    assert Counting.handled == 5  # only the record with no known outcome ran again
    assert again[:3] == first[:3]


def test_a_runner_refuses_zero_concurrency() -> None:
    config = Config(kafka=KafkaConfig(bootstrap="127.0.0.1:9", concurrency=0))
    with pytest.raises(ConfigError, match="concurrency"):
        StageRunner(Relay("r", "t.in", "t.out"), config)


async def test_a_reject_verdict_is_unchanged_by_fitting() -> None:
    subject = Candidate(id="r-000001", query="q")
    rejection = Rejection(id=subject.id, stage="s", reason="odd", detail="d", subject=subject)
    [out] = fit([Outgoing(topics.REJECTED, b"r", rejection)], LIMIT, _envelope(0, b""), "s")
    assert out.record == rejection
