"""The in-memory bus runs the same stages as Kafka does, with the same routing and counting."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import anyio
import anyio.lowlevel
import msgspec
import pytest

from apigen_stream import metrics, reasons, topics
from apigen_stream.engine.embedded import EmbeddedBus, Feed
from apigen_stream.records import Candidate, DeadLetter, Rejection, Task
from apigen_stream.stages.stage import StateStore, Verdict
from tests.support.test_stages import BOOM, Parity, Relay, Seen

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _candidate(number: int, query: str = "q") -> Candidate:
    return Candidate(id=f"e-{number:06d}", query=query)


def _count(stage: str, outcome: str, reason: str) -> float:
    return metrics.RECORDS.labels(stage, outcome, reason)._value.get()  # type: ignore[no-any-return]


async def test_a_chain_of_two_stages_judges_every_record_once() -> None:
    bus = EmbeddedBus(concurrency=4, keep=True)
    accepted_before = _count("emb-parity", "accepted", "")
    for i in range(100):
        await bus.publish("in", _candidate(i))
    await bus.run(
        [Relay("emb-relay", "in", "mid"), Parity("emb-parity", "mid", "out")], until_idle=True
    )
    out = bus.records("out")
    rejected = [r for r in bus.records(topics.REJECTED) if isinstance(r, Rejection)]
    assert sorted(r.id for r in out) == [f"e-{i:06d}" for i in range(0, 100, 2)]  # type: ignore[attr-defined]
    assert sorted(r.id for r in rejected) == [f"e-{i:06d}" for i in range(1, 100, 2)]
    assert {(r.stage, r.reason) for r in rejected} == {("emb-parity", "odd")}
    assert len(bus.records("mid")) == 100
    assert _count("emb-parity", "accepted", "") - accepted_before == 50


async def test_bugs_and_wrong_record_types_go_to_the_dlq() -> None:
    bus = EmbeddedBus(keep=True)
    await bus.publish("in", _candidate(1, BOOM))
    await bus.publish("in", Task(id="t", style="simple", tools=[]))
    await bus.publish("in", _candidate(2))
    await bus.run([Relay("emb-dlq", "in", "out")], until_idle=True)
    letters = [r for r in bus.records(topics.DLQ) if isinstance(r, DeadLetter)]
    assert sorted(d.reason for d in letters) == [reasons.HANDLER_ERROR, reasons.SCHEMA_VIOLATION]
    assert msgspec.json.decode(letters[0].payload)["type"] in {"candidate", "task"}
    assert [r.id for r in bus.records("out")] == ["e-000002"]  # type: ignore[attr-defined]


async def test_a_stateful_stage_keeps_its_state_over_the_run() -> None:
    bus = EmbeddedBus(keep=True)
    for i, query in enumerate(["a", "b", "a", "c", "b"]):
        await bus.publish("in", _candidate(i, query))
    await bus.run([Seen("emb-seen", "in", "out")], until_idle=True)
    assert [r.id for r in bus.records("out")] == ["e-000000", "e-000001", "e-000003"]  # type: ignore[attr-defined]
    assert len(bus.records(topics.REJECTED)) == 2


async def test_subscribers_see_records_while_the_bus_runs_until_closed() -> None:
    bus = EmbeddedBus(keep=True)
    seen: list[str] = []

    async def follow() -> None:
        async for record in bus.subscribe("out"):
            seen.append(record.id)  # type: ignore[attr-defined]
            if len(seen) == 3:
                bus.close()

    async with anyio.create_task_group() as tg:
        tg.start_soon(follow)
        await anyio.lowlevel.checkpoint()
        tg.start_soon(partial(bus.run, [Relay("emb-sub", "in", "out")], until_idle=False))
        for i in range(3):
            await bus.publish("in", _candidate(i))
            await anyio.sleep(0.01)
    assert seen == ["e-000000", "e-000001", "e-000002"]


async def test_run_with_nothing_to_do_returns_at_once() -> None:
    bus = EmbeddedBus(keep=True)
    with anyio.fail_after(1):
        await bus.run([Relay("emb-idle", "in", "out")], until_idle=True)
    assert bus.records("out") == []


async def test_a_bus_that_keeps_nothing_still_delivers_to_subscribers() -> None:
    bus = EmbeddedBus()
    out = bus.subscribe("out")
    for i in range(10):
        await bus.publish("in", _candidate(i))
    await bus.run([Relay("emb-relay-2", "in", "out")], until_idle=True)
    bus.close()
    assert sorted([r.id async for r in out]) == [f"e-{i:06d}" for i in range(10)]  # type: ignore[attr-defined]
    assert bus.records("out") == [] and bus.records("in") == []


async def test_a_feed_is_asked_after_every_record_and_the_run_drains_what_it_started() -> None:
    bus = EmbeddedBus(concurrency=4, keep=True)
    fed: list[int] = []
    done: list[str] = []
    bus.observe("out", lambda record: done.append(record.id))

    def next_record() -> Candidate | None:
        # At most two in flight, ten in all: what flow control asks of a feed.
        if len(fed) >= 10 or len(fed) - len(done) >= 2:
            return None
        fed.append(len(fed))
        return _candidate(fed[-1])

    with anyio.fail_after(10):  # a guard against a hang, not a speed check
        await bus.run([Relay("emb-feed", "in", "out")], until_idle=True,
                      feed=Feed("in", next_record))  # fmt: skip
    assert sorted(done) == [f"e-{i:06d}" for i in range(10)]
    assert len(bus.records("in")) == 10


class Stuck(Relay):
    """Never answers: a record in flight for ever."""

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")


async def test_close_ends_a_run_until_idle_with_work_in_flight() -> None:
    # Ctrl-C's path: a run that would drain for ever ends at close(), its handlers cancelled.
    bus = EmbeddedBus(keep=True)
    started = anyio.Event()

    def once() -> Candidate | None:
        started.set()
        return None if bus.records("in") else _candidate(0)

    with anyio.fail_after(10):  # a guard against a hang, not a speed check
        async with anyio.create_task_group() as tg:
            tg.start_soon(partial(bus.run, [Stuck("emb-stuck", "in", "out")], until_idle=True,
                                  feed=Feed("in", once)))  # fmt: skip
            await started.wait()
            await anyio.sleep(0.05)
            bus.close()
    assert len(bus.records("in")) == 1 and bus.records("out") == []
