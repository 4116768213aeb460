"""Decoding, handling and dead-lettering of fetched records, as every transport does it."""

from __future__ import annotations

from collections.abc import Sequence

import anyio
import pytest

from apigen_stream import metrics, reasons, topics
from apigen_stream.engine.codec import encode
from apigen_stream.engine.handling import Backoff, make_handling
from apigen_stream.engine.partitions import Envelope
from apigen_stream.records import Candidate, DeadLetter, Rejection
from apigen_stream.stages.stage import Accept, DictState, StateStore, Verdict
from tests.support.test_stages import BOOM, FLAKY, Parity, Relay, Seen, Together

pytestmark = pytest.mark.anyio

NO_WAIT = Backoff(0.0, 0.0)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _candidate(number: int, query: str = "q") -> Candidate:
    return Candidate(id=f"c-{number:06d}", query=query)


def _envelope(offset: int, value: bytes | None) -> Envelope:
    return Envelope("in", 3, offset, b"k", value)


class SlowFirst(Relay):
    """Finishes records in reverse order: early records sleep longest."""

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        await anyio.sleep(0.001 * (20 - int(record.id.rsplit("-", 1)[1])))
        return [Accept(record)]


async def test_batch_outputs_keep_input_order_under_concurrency() -> None:
    handling = make_handling(SlowFirst("slow", "in", "out"), 1, NO_WAIT)
    items = [_envelope(i, encode(_candidate(i))) for i in range(20)]
    out = await handling.batch(items, DictState({}), anyio.CapacityLimiter(20))
    assert [o.record.id for o in out] == [f"c-{i:06d}" for i in range(20)]  # type: ignore[attr-defined]
    assert {o.topic for o in out} == {"out"}


async def test_rejects_go_to_the_rejected_topic_under_the_stage_name() -> None:
    handling = make_handling(Parity("parity", "in", "out"), 1, NO_WAIT)
    items = [_envelope(i, encode(_candidate(i))) for i in range(4)]
    out = await handling.batch(items, DictState({}), anyio.CapacityLimiter(4))
    assert [o.topic for o in out] == ["out", topics.REJECTED, "out", topics.REJECTED]
    rejection = out[1].record
    assert isinstance(rejection, Rejection)
    assert (rejection.stage, rejection.reason, rejection.id) == ("parity", "odd", "c-000001")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"\xff not json", reasons.UNDECODABLE),
        (None, reasons.UNDECODABLE),
        (b'{"type": "candidate", "id": 7, "query": "q"}', reasons.SCHEMA_VIOLATION),
        (b'{"type": "task", "id": "t"}', reasons.SCHEMA_VIOLATION),
    ],
)
async def test_bad_input_is_dead_lettered_with_its_reason(value: bytes | None, reason: str) -> None:
    handling = make_handling(Relay("relay", "in", "out"), 1, NO_WAIT)
    good = encode(_candidate(2))
    out = await handling.batch(
        [_envelope(10, value), _envelope(11, good)], DictState({}), anyio.CapacityLimiter(2)
    )
    letter = out[0].record
    assert isinstance(letter, DeadLetter)
    assert out[0].topic == topics.DLQ
    assert (letter.reason, letter.stage, letter.topic) == (reason, "relay", "in")
    assert (letter.partition, letter.offset, letter.key) == (3, 10, b"k")
    assert letter.payload == (value or b"")
    assert out[1].topic == "out"  # the stage goes on


async def test_a_handler_bug_is_dead_lettered_and_the_batch_goes_on() -> None:
    handling = make_handling(Relay("relay", "in", "out"), 3, NO_WAIT)
    items = [_envelope(0, encode(_candidate(0, "boom"))), _envelope(1, encode(_candidate(1)))]
    out = await handling.batch(items, DictState({}), anyio.CapacityLimiter(2))
    letter = out[0].record
    assert isinstance(letter, DeadLetter)
    assert letter.reason == reasons.HANDLER_ERROR
    assert "RuntimeError" in letter.detail
    assert out[1].topic == "out"


async def test_retriable_errors_are_retried() -> None:
    stage = Relay("relay", "in", "out")
    handling = make_handling(stage, 3, NO_WAIT)
    out = await handling.batch(
        [_envelope(0, encode(_candidate(0, FLAKY)))], DictState({}), anyio.CapacityLimiter(1)
    )
    assert [o.topic for o in out] == ["out"]
    assert stage.tries == {"c-000000": 2}


async def test_retriable_errors_are_dead_lettered_once_attempts_run_out() -> None:
    handling = make_handling(Relay("relay", "in", "out"), 1, NO_WAIT)
    out = await handling.batch(
        [_envelope(0, encode(_candidate(0, FLAKY)))], DictState({}), anyio.CapacityLimiter(1)
    )
    assert isinstance(out[0].record, DeadLetter)
    assert out[0].record.reason == reasons.HANDLER_ERROR


async def test_a_stateful_stage_sees_its_predecessors_in_the_batch() -> None:
    handling = make_handling(Seen("seen", "in", "out"), 1, NO_WAIT)
    items = [_envelope(i, encode(_candidate(i, "same" if i < 3 else "other"))) for i in range(5)]
    out = await handling.batch(items, DictState({}), anyio.CapacityLimiter(5))
    assert [o.topic for o in out] == [
        "out",
        topics.REJECTED,
        topics.REJECTED,
        "out",
        topics.REJECTED,
    ]


async def test_handler_time_is_observed() -> None:
    def observed() -> float:
        value = metrics.HANDLER_SECONDS.labels("timed")._sum.get()
        return float(value)

    handling = make_handling(SlowFirst("timed", "in", "out"), 1, NO_WAIT)
    before = observed()
    await handling.batch(
        [_envelope(0, encode(_candidate(10)))], DictState({}), anyio.CapacityLimiter(1)
    )
    assert observed() - before >= 0.009


async def test_a_batched_stage_gets_the_fetched_batch_at_once_less_what_does_not_decode() -> None:
    stage = Together("together", "in", "out")
    handling = make_handling(stage, 1, NO_WAIT)
    items = [_envelope(i, encode(_candidate(i))) for i in range(5)]
    items.insert(2, _envelope(9, b"\xff not json"))
    out = await handling.batch(items, DictState({}), anyio.CapacityLimiter(2))
    assert stage.batches == [[f"c-{i:06d}" for i in range(5)]]
    assert [o.topic for o in out] == ["out", "out", topics.DLQ, "out", "out", "out"]
    letter = out[2].record
    assert isinstance(letter, DeadLetter) and letter.offset == 9


async def test_a_failed_batch_is_handled_record_by_record_so_only_the_bad_one_is_dead() -> None:
    stage = Together("together", "in", "out")
    handling = make_handling(stage, 1, NO_WAIT)
    items = [_envelope(i, encode(_candidate(i, BOOM if i == 1 else "q"))) for i in range(3)]
    out = await handling.batch(items, DictState({}), anyio.CapacityLimiter(3))
    assert stage.batches == [["c-000000", "c-000001", "c-000002"]]
    assert [o.topic for o in out] == ["out", topics.DLQ, "out"]
    letter = out[1].record
    assert isinstance(letter, DeadLetter) and letter.reason == reasons.HANDLER_ERROR


async def test_a_batched_stage_redoing_a_batch_hands_over_only_what_is_not_known() -> None:
    stage = Together("together", "in", "out")
    handling = make_handling(stage, 1, NO_WAIT)
    items = [_envelope(i, encode(_candidate(i))) for i in range(3)]
    first = await handling.each(items, DictState({}), anyio.CapacityLimiter(3))
    again = await handling.each(items, DictState({}), anyio.CapacityLimiter(3), {0: first[0]})
    assert stage.batches[-1] == ["c-000001", "c-000002"]
    assert again == first
