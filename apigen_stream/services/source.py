"""Producing for source services (the sampler): transactional batches, a rate, and resuming.

Batches: each batch of records is one transaction of a producer whose ``transactional_id`` is
fixed per replica (``sampler.{replica}``), so a crash never leaves half a batch visible to
``read_committed`` readers, and the restarted replica's ``init_transactions`` aborts whatever
its predecessor left open.

Rate: a token bucket (``TokenBucket``); 0 tasks/s means as fast as the broker takes them.

Resume rule: a source numbers its records ``{prefix}{index}`` (the sampler: ``t{seed}-``) and
sends them in index order, one batch after the other, each batch committed before the next
begins. The committed records of one prefix are therefore always exactly indexes ``0..k``, and
the next index is ``k + 1``. ``next_index`` finds ``k``: it first waits until every transaction
open when it started has been decided (the read_committed end of each partition reaches the
high watermark seen at the start), then scans each partition backwards from its end, window by
window, until it meets a record of the prefix: the last such record of a partition is that
partition's highest index, and the highest over all partitions is ``k``. A fresh prefix scans
the whole topic once. Two replicas must never share a prefix (they would both resume at k + 1).
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka import errors as kafka_errors

from apigen_stream import metrics
from apigen_stream.engine.handling import Backoff
from apigen_stream.engine.transactions import STOP_TIMEOUT_S
from apigen_stream.errors import BrokerUnavailable
from apigen_stream.services.topic_reading import partitions_of

log = logging.getLogger(__name__)

# Records read back per window while looking for a prefix's last record: a few sampler batches,
# so a partition whose tail is its own usually takes one fetch.
SCAN_WINDOW = 1_000
# Milliseconds one fetch of the scan waits: the records are already there.
SCAN_POLL_MS = 500
# Seconds between checks that open transactions have been decided.
SETTLE_POLL_S = 0.2


@dataclass
class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up; rate 0 means no limit."""

    rate: float
    burst: float
    tokens: float = 0.0
    updated: float | None = field(default=None)

    def wait(self, n: int, now: float) -> float:
        """Take ``n`` tokens; return the seconds to wait before using them (0: go now)."""
        if self.rate <= 0:
            return 0.0
        if self.updated is None:
            # A new bucket starts empty: no burst above the rate at start-up.
            self.updated = now
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        self.tokens -= n
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


def batch_size_for(rate: float, limit: int, linger_s: float) -> int:
    """Records per transaction: ``limit``, or fewer when the rate would hold a batch too long.

    At ``rate`` records/s a batch of n is visible only after n / rate seconds: keep that under
    ``linger_s`` so records appear steadily rather than in large lumps.
    """
    if rate <= 0:
        return max(1, limit)
    return max(1, min(limit, math.floor(rate * linger_s)))


def index_of(key: bytes | None, prefix: str) -> int | None:
    """The index in a record key ``{prefix}{index}``, or None if the key is not of the prefix."""
    if key is None:
        return None
    text = key.decode("utf-8", "replace")
    if not text.startswith(prefix):
        return None
    rest = text[len(prefix) :]
    return int(rest) if re.fullmatch(r"\d+", rest) else None


def last_index(keys: Iterable[bytes | None], prefix: str) -> int | None:
    """The highest index of ``prefix`` among ``keys``, or None if none is of the prefix."""
    found = [i for i in (index_of(k, prefix) for k in keys) if i is not None]
    return max(found) if found else None


class TransactionalSource:
    """A transactional producer that sends each batch of (key, value) in one transaction."""

    def __init__(
        self, producer_config: dict[str, Any], transactional_id: str, topic: str, name: str
    ) -> None:
        self._config = {**producer_config, "transactional_id": transactional_id}
        self.topic = topic
        self._name = name
        self._producer: AIOKafkaProducer | None = None

    async def start(self, connect_timeout_s: float, backoff: Backoff) -> None:
        """Open the producer, retrying with backoff until ``connect_timeout_s`` has passed.

        Its ``init_transactions`` fences an earlier producer of the same id and aborts the
        transaction that one left open.
        """
        deadline = time.monotonic() + connect_timeout_s
        attempt = 0
        while True:
            producer = AIOKafkaProducer(**self._config)
            try:
                await producer.start()
                self._producer = producer
                return
            except kafka_errors.KafkaError as exc:
                await _stop(producer)
                if time.monotonic() >= deadline:
                    raise BrokerUnavailable(
                        f"Kafka did not answer within {connect_timeout_s:g}s ({type(exc).__name__})"
                    ) from exc
                await anyio.sleep(min(backoff.delay(attempt), deadline - time.monotonic()))
                attempt += 1

    async def send_batch(self, items: Sequence[tuple[bytes, bytes]]) -> None:
        """Send every (key, value) of ``items`` and commit them together; abort on failure."""
        producer = self._producer
        if producer is None:
            raise RuntimeError("source not started")
        await producer.begin_transaction()
        try:
            futures = [await producer.send(self.topic, value, key=key) for key, value in items]
            for future in futures:
                await future
            await producer.commit_transaction()
        except BaseException:
            metrics.TRANSACTIONS.labels(self._name, "aborted").inc()
            with anyio.CancelScope(shield=True), anyio.move_on_after(STOP_TIMEOUT_S):
                await _abort(producer)
            raise
        metrics.TRANSACTIONS.labels(self._name, "committed").inc()

    async def stop(self) -> None:
        """Close the producer (idempotent)."""
        producer, self._producer = self._producer, None
        if producer is not None:
            await _stop(producer)


async def _stop(client: AIOKafkaProducer | AIOKafkaConsumer) -> None:
    with anyio.CancelScope(shield=True), anyio.move_on_after(STOP_TIMEOUT_S):
        await client.stop()


async def _abort(producer: AIOKafkaProducer) -> None:
    try:
        await producer.abort_transaction()
    except Exception as exc:
        # A fenced or broken producer cannot abort; the next init_transactions aborts instead.
        log.info("abort failed (the next init aborts instead): %r", exc)


async def next_index(bootstrap: str, topic: str, prefix: str, settle_timeout_s: float) -> int:
    """The index after the last committed record ``{prefix}{index}`` on ``topic`` (0 if none).

    Call it after the source's producer started, so that its own predecessor's open
    transaction is already aborted; see the module docstring for the rule.
    """
    consumer = _scan_consumer(bootstrap, "read_committed")
    await consumer.start()
    try:
        partitions = await partitions_of(consumer, topic)
        watermarks = await _end_offsets(bootstrap, partitions, "read_uncommitted")
        consumer.assign(partitions)
        ends = await _settled_ends(consumer, partitions, watermarks, settle_timeout_s)
        begins = await consumer.beginning_offsets(partitions)
        found = [await _last_in_partition(consumer, tp, begins[tp], ends[tp], prefix)
                 for tp in partitions]  # fmt: skip
    finally:
        await _stop(consumer)
    indexes = [i for i in found if i is not None]
    return max(indexes) + 1 if indexes else 0


def _scan_consumer(bootstrap: str, isolation: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, isolation_level=isolation,
        enable_auto_commit=False, auto_offset_reset="earliest", max_poll_records=SCAN_WINDOW,
    )  # fmt: skip


async def _end_offsets(
    bootstrap: str, partitions: list[TopicPartition], isolation: str
) -> dict[TopicPartition, int]:
    consumer = _scan_consumer(bootstrap, isolation)
    await consumer.start()
    try:
        ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
        return ends
    finally:
        await _stop(consumer)


async def _settled_ends(
    consumer: AIOKafkaConsumer,
    partitions: list[TopicPartition],
    watermarks: dict[TopicPartition, int],
    timeout_s: float,
) -> dict[TopicPartition, int]:
    """read_committed ends once they reach ``watermarks``: every older transaction decided."""
    deadline = time.monotonic() + timeout_s
    while True:
        ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
        if all(ends[tp] >= watermarks[tp] for tp in partitions):
            return ends
        if time.monotonic() >= deadline:
            raise BrokerUnavailable(
                f"transactions on {partitions[0].topic} stayed open for {timeout_s:g}s"
            )
        await anyio.sleep(SETTLE_POLL_S)


async def _last_in_partition(
    consumer: AIOKafkaConsumer, tp: TopicPartition, begin: int, end: int, prefix: str
) -> int | None:
    """The prefix's highest index in ``tp``: windows from the end backwards, first match wins."""
    high = end
    while high > begin:
        low = max(begin, high - SCAN_WINDOW)
        keys = await _keys_between(consumer, tp, low, high)
        found = last_index(keys, prefix)
        if found is not None:
            return found
        high = low
    return None


async def _keys_between(
    consumer: AIOKafkaConsumer, tp: TopicPartition, low: int, high: int
) -> list[bytes | None]:
    consumer.seek(tp, low)
    keys: list[bytes | None] = []
    # Aborted records and transaction markers are skipped, so the position can pass records
    # it never returns: stop on the position, not on a count.
    while await consumer.position(tp) < high:
        batch = await consumer.getmany(tp, timeout_ms=SCAN_POLL_MS, max_records=SCAN_WINDOW)
        keys.extend(r.key for r in batch.get(tp, []) if r.offset < high)
    return keys
