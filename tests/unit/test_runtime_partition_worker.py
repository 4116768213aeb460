"""A partition worker recovering from a failed delivery while its consumer keeps fetching.

The consumer and the sender here stand in for the broker's side of one partition: a log of
records, a position that moves as the consume loop fetches, a committed offset that moves only
when a delivery succeeds. The interleaving is the one a broker restart or a fenced producer
produces: the consume loop goes on fetching from where it was while the worker reopens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, cast

import anyio
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka import errors as kafka_errors

from apigen_stream.engine.codec import encode
from apigen_stream.engine.handling import Backoff, make_handling
from apigen_stream.engine.partition_worker import PartitionWorker, WorkerContext
from apigen_stream.engine.partitions import Envelope, FlowControl
from apigen_stream.engine.transactions import Delivery
from apigen_stream.errors import BrokerRefused
from apigen_stream.records import Candidate
from apigen_stream.stages.stage import Accept, StateStore, Verdict
from tests.support.test_stages import Relay

pytestmark = pytest.mark.anyio

TP = TopicPartition("t.in", 0)
LOG_SIZE = 30
BATCH = 5


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class PartitionLog:
    """One input partition as the consumer sees it: records, a position, a committed offset."""

    def __init__(self) -> None:
        self.records = [
            Envelope(TP.topic, TP.partition, i, None, encode(Candidate(id=f"r-{i:06d}", query="q")))
            for i in range(LOG_SIZE)
        ]
        self.position = 0
        self.committed_offset: int | None = None
        self.sought = anyio.Event()

    async def committed(self, tp: TopicPartition) -> int | None:
        return self.committed_offset

    async def beginning_offsets(self, tps: list[TopicPartition]) -> dict[TopicPartition, int]:
        return dict.fromkeys(tps, 0)

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.position = offset
        self.sought.set()

    def fetch(self, count: int) -> list[Envelope]:
        """What one poll returns: records from the position on, which then moves past them."""
        fetched = self.records[self.position : self.position + count]
        self.position += len(fetched)
        return fetched


class FailingOnceSender:
    """Fails its first delivery; reopening waits for ``reopen``; later deliveries commit."""

    def __init__(self, log: PartitionLog):
        self._log = log
        self.starts = 0
        self.reopening = anyio.Event()
        self.reopen = anyio.Event()
        self.delivered: list[str] = []
        self._failed = False

    async def start(self) -> None:
        self.starts += 1
        if self.starts == 2:
            self.reopening.set()
            await self.reopen.wait()

    async def deliver(self, delivery: Delivery) -> None:
        if not self._failed:
            self._failed = True
            raise ConnectionError("the broker went away mid-transaction")
        self.delivered.extend(cast(Candidate, item.record).id for item in delivery.outgoing)
        self._log.committed_offset = delivery.next_offset

    async def stop(self) -> None:
        pass


def _context(log: PartitionLog, stage: Relay | None = None) -> WorkerContext:
    stage = stage or Relay("relay", TP.topic, "t.out")
    return WorkerContext(
        stage="relay", consumer=cast(AIOKafkaConsumer, log), consumer_config={},
        handling=make_handling(stage, 1, Backoff(0.0, 0.0)), flow=FlowControl(1000),
        limiter=anyio.CapacityLimiter(4), batch_size=BATCH, backoff=Backoff(0.0, 0.0),
        fenced_wait_s=0.0, store=None, changelog_topic="",
    )  # fmt: skip


def _dispatch(worker: PartitionWorker, log: PartitionLog) -> int:
    """One poll of the consume loop, handed to the worker."""
    added = worker.queue.push(log.fetch(10))
    worker.notify()
    return added


async def test_records_fetched_while_reopening_are_fetched_again_not_skipped() -> None:
    log = PartitionLog()
    sender = FailingOnceSender(log)
    worker = PartitionWorker(TP, cast(Any, sender), _context(log))
    async with anyio.create_task_group() as tg:
        tg.start_soon(worker.run)
        with anyio.fail_after(5):
            await log.sought.wait()
            _dispatch(worker, log)  # 0..9; the first batch's delivery fails
            await sender.reopening.wait()
            # The consume loop is still at 10 and goes on fetching while the worker reopens.
            _dispatch(worker, log)
            assert log.position == 20
            sender.reopen.set()
            while log.committed_offset != LOG_SIZE:
                _dispatch(worker, log)
                await anyio.sleep(0.001)
        worker.close(drop_queued=False)
    assert sender.delivered == [f"r-{i:06d}" for i in range(LOG_SIZE)]


class CountingRelay(Relay):
    """A relay that counts how often each record was handled (its tools run)."""

    runs: Counter[str]

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        self.runs[record.id] += 1
        return [Accept(record)]


async def test_a_batch_redone_after_a_failed_delivery_does_not_run_its_records_again() -> None:
    log = PartitionLog()
    sender = FailingOnceSender(log)
    stage = CountingRelay("relay", TP.topic, "t.out")
    stage.runs = Counter()
    worker = PartitionWorker(TP, cast(Any, sender), _context(log, stage))
    async with anyio.create_task_group() as tg:
        tg.start_soon(worker.run)
        with anyio.fail_after(5):
            await log.sought.wait()
            _dispatch(worker, log)  # the first batch's delivery fails
            await sender.reopening.wait()
            sender.reopen.set()
            while log.committed_offset != LOG_SIZE:
                _dispatch(worker, log)
                await anyio.sleep(0.001)
        worker.close(drop_queued=False)
    assert sender.delivered == [f"r-{i:06d}" for i in range(LOG_SIZE)]
    assert stage.runs == Counter({f"r-{i:06d}": 1 for i in range(LOG_SIZE)})


class RefusedSender(FailingOnceSender):
    """Every start is refused for good, as a broker without authorisation refuses it."""

    async def start(self) -> None:
        self.starts += 1
        raise kafka_errors.TransactionalIdAuthorizationFailed("not authorised")


async def test_a_permanent_refusal_at_open_stops_the_worker_instead_of_retrying() -> None:
    log = PartitionLog()
    sender = RefusedSender(log)
    worker = PartitionWorker(TP, cast(Any, sender), _context(log))
    with anyio.fail_after(5), pytest.raises(BrokerRefused, match="TransactionalIdAuthorization"):
        await worker.run()
    assert sender.starts == 1
    assert worker.done.is_set()
