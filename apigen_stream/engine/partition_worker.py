"""The worker of one assigned input partition: handle a batch, then deliver it in one go.

Batches of a partition are handled and committed strictly in offset order. Slow work (the
handler) happens before the transaction opens. When a delivery fails, the worker forgets what it
had queued, reopens its sender (a new transactional producer, whose init resolves the
transaction left open), reads the partition's committed offset from the broker, seeks there,
rebuilds its state, and goes on: nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import anyio
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka import errors as kafka_errors

from apigen_stream import metrics
from apigen_stream.engine.failures import is_permanent
from apigen_stream.engine.handling import Backoff, Handling
from apigen_stream.engine.partitions import FlowControl, PartitionQueue
from apigen_stream.engine.routing import Outgoing, count
from apigen_stream.engine.stores import ChangelogStore, Retention
from apigen_stream.engine.transactions import Delivery, Sender, is_fenced
from apigen_stream.errors import BrokerRefused, ChangelogMismatch
from apigen_stream.spec import StoreSpec
from apigen_stream.stages.stage import DictState, StateStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerContext:
    """What every partition worker of one runner shares."""

    stage: str
    consumer: AIOKafkaConsumer
    consumer_config: dict[str, Any]
    handling: Handling
    flow: FlowControl
    limiter: anyio.CapacityLimiter
    batch_size: int
    backoff: Backoff
    # Seconds a fenced worker waits before it claims its partition again: by then a live new
    # owner has had the group revoke the partition from this process.
    fenced_wait_s: float
    # The stage's store and the topic that logs it; None for a stage without state.
    store: StoreSpec | None
    changelog_topic: str


class PartitionWorker:
    """Handles and delivers the queued records of one input partition, in offset order."""

    def __init__(self, tp: TopicPartition, sender: Sender, ctx: WorkerContext):
        self.tp = tp
        self.queue = PartitionQueue(tp.topic, tp.partition)
        self._sender = sender
        self._ctx = ctx
        store = ctx.store
        retention = Retention(store.retain_keys, store.retain_s) if store else Retention()
        self._store = ChangelogStore(retention)
        self._state: StateStore = self._store if store else DictState({})
        self._wake = anyio.Event()
        self._closing = False
        self._taken = 0
        # Outputs of a batch whose delivery failed, by input offset: reused when it is redone.
        self._redo: dict[int, list[Outgoing]] = {}
        self.done = anyio.Event()
        self.scope = anyio.CancelScope()

    def notify(self) -> None:
        """New records are queued."""
        self._wake.set()

    def close(self, *, drop_queued: bool) -> None:
        """Stop after the current batch (``drop_queued``) or once the queue is empty."""
        self._closing = True
        if drop_queued:
            self._ctx.flow.finished(self.queue.reset(self.queue.committed))
        self._wake.set()

    async def run(self) -> None:
        """Open, then handle and deliver batches until closed or cancelled."""
        try:
            with self.scope:
                await self._open_with_retry()
                while True:
                    batch_done = await self._next()
                    if not batch_done:
                        return
        finally:
            self._ctx.flow.finished(len(self.queue) + self._taken)
            self._taken = 0
            with anyio.CancelScope(shield=True):
                await self._sender.stop()
            self.done.set()

    async def _next(self) -> bool:
        batch = self.queue.take(self._ctx.batch_size)
        if not batch:
            if self._closing:
                return False
            await self._wake.wait()
            self._wake = anyio.Event()
            return True
        self._taken = len(batch)
        ctx = self._ctx
        per_item = await ctx.handling.each(batch, self._state, ctx.limiter, self._redo)
        outgoing = [item for result in per_item for item in result]
        next_offset = batch[-1].offset + 1
        delivery = Delivery(
            outgoing, self._store.pending(), ctx.changelog_topic, self.tp, next_offset
        )
        try:
            await self._sender.deliver(delivery)
        except Exception as exc:
            self._store.rolled_back()
            if ctx.store is None:  # a stateful handler must replay its state writes
                self._redo = {e.offset: out for e, out in zip(batch, per_item, strict=True)}
            await self._recover(exc)
            return True
        self._store.committed()
        self._redo = {offset: out for offset, out in self._redo.items() if offset >= next_offset}
        self.queue.committed_to(next_offset)
        ctx.flow.finished(len(batch))
        self._taken = 0
        count(ctx.stage, outgoing)
        return True

    async def _recover(self, exc: Exception) -> None:
        if isinstance(exc, kafka_errors.MessageSizeTooLargeError):
            # Outputs were fitted to the written topics' limits at start-up (``sizing``), so a
            # topic's ``max.message.bytes`` was lowered since: the same batch would be refused
            # for ever. Started again, the stage reads the new limit and fits it.
            raise BrokerRefused(
                f"stage {self._ctx.stage}: a topic it writes refused a batch from {self.tp} as "
                "too large: its max.message.bytes was lowered since the stage started; restart "
                "the stage to fit the new limit"
            ) from exc
        if is_permanent(exc):
            raise BrokerRefused(f"stage {self._ctx.stage}: delivery on {self.tp}: {exc!r}") from exc
        log.warning("stage %s: delivery on %s failed, redoing from committed: %r",
                    self._ctx.stage, self.tp, exc)  # fmt: skip
        # Records queued after the failed batch must wait for it: fetch them again.
        self._ctx.flow.finished(self._taken + self.queue.reset(self.queue.committed))
        self._taken = 0
        await self._sender.stop()
        if is_fenced(exc):
            await anyio.sleep(self._ctx.fenced_wait_s)
        await self._open_with_retry()

    async def _open_with_retry(self) -> None:
        attempt = 0
        while True:
            try:
                await self._open()
                return
            except Exception as exc:
                await self._sender.stop()
                if isinstance(exc, BrokerRefused):
                    raise
                if is_permanent(exc):
                    raise BrokerRefused(f"stage {self._ctx.stage}: {self.tp}: {exc!r}") from exc
                log.warning("stage %s: cannot open %s yet: %r", self._ctx.stage, self.tp, exc)
                await anyio.sleep(self._ctx.backoff.delay(attempt))
                attempt += 1

    async def _open(self) -> None:
        """Claim the partition: fence earlier owners first, then read where they stopped."""
        await self._sender.start()
        consumer = self._ctx.consumer
        committed = await consumer.committed(self.tp)
        if committed is None:
            committed = (await consumer.beginning_offsets([self.tp]))[self.tp]
        # No await between these two: the next fetch handed to the queue starts at committed.
        dropped = self.queue.start_at(committed)
        consumer.seek(self.tp, committed)
        self._ctx.flow.finished(dropped)
        if self._ctx.store is not None:
            await self._restore()

    async def _restore(self) -> None:
        ctx = self._ctx
        self._store.clear()
        tp = TopicPartition(ctx.changelog_topic, self.tp.partition)
        source = (self.tp.topic, ctx.consumer.partitions_for_topic(self.tp.topic))
        read = 0
        async for entries in read_changelog(ctx.consumer_config, tp, self._store.retention, source):
            self._store.extend(entries)
            read += len(entries)
        log.info("stage %s: %s state rebuilt from %d changelog records, %d keys",
                 ctx.stage, self.tp, read, len(self._store))  # fmt: skip
        metrics.CHANGELOG_RESTORED.labels(ctx.stage).inc(read)


def check_partitions(
    changelog: str, changelog_partitions: set[int] | None, source: str, partitions: set[int] | None
) -> None:
    """Refuse a changelog whose partitions do not pair one to one with the input's."""
    if changelog_partitions is None:
        raise ChangelogMismatch(f"changelog topic {changelog} does not exist: run topics apply")
    if partitions is not None and len(changelog_partitions) != len(partitions):
        raise ChangelogMismatch(
            f"changelog topic {changelog} has {len(changelog_partitions)} partitions but its"
            f" input {source} has {len(partitions)}: state would go to the wrong partition;"
            " give both the same count"
        )


# Records per fetch while rebuilding state: a changelog read is a bulk scan.
CHANGELOG_FETCH = 5000


async def read_changelog(
    consumer_config: dict[str, Any], tp: TopicPartition, retention: Retention,
    source: tuple[str, set[int] | None],
) -> AsyncIterator[list[tuple[bytes | None, bytes | None]]]:  # fmt: skip
    """The committed entries of a changelog partition, in order, a fetch at a time.

    Only the tail that can hold retained keys is read: the last ``restore_window`` records,
    and none written before ``retention.age_s`` ago. First the changelog's partitions are
    checked against those of ``source``, the input topic (name, partitions).
    """
    config = {k: v for k, v in consumer_config.items() if k in _READER_KEYS}
    reader = AIOKafkaConsumer(
        **config, group_id=None, enable_auto_commit=False, isolation_level="read_committed",
        # Starts at the beginning; an explicit seek_to_beginning races the initial reset.
        auto_offset_reset="earliest",
    )  # fmt: skip
    await reader.start()
    try:
        reader.assign([tp])
        end = (await reader.end_offsets([tp]))[tp]  # also fetches the changelog's metadata
        check_partitions(tp.topic, reader.partitions_for_topic(tp.topic), *source)
        start = await _restore_start(reader, tp, end, retention)
        if start is not None:
            reader.seek(tp, start)
        while await reader.position(tp) < end:
            batches = await reader.getmany(tp, timeout_ms=1000, max_records=CHANGELOG_FETCH)
            yield [(m.key, m.value) for m in batches.get(tp, [])]
    finally:
        with anyio.CancelScope(shield=True):
            await reader.stop()


async def _restore_start(
    reader: AIOKafkaConsumer, tp: TopicPartition, end: int, retention: Retention
) -> int | None:
    """The first offset a restore needs, or None for the beginning."""
    starts: list[int] = []
    if retention.keys:
        starts.append(max(0, end - retention.restore_window()))
    if retention.age_s:
        since_ms = int((time.time() - retention.age_s) * 1000)
        found = (await reader.offsets_for_times({tp: since_ms})).get(tp)
        starts.append(found.offset if found is not None else end)
    beginning = (await reader.beginning_offsets([tp]))[tp]
    return max([beginning, *starts]) if starts else None


_READER_KEYS = frozenset({"bootstrap_servers", "client_id", "request_timeout_ms"})


def set_in_flight(stage: str, flow: FlowControl) -> None:
    """Publish the in-flight gauge."""
    metrics.IN_FLIGHT.labels(stage).set(flow.in_flight)
