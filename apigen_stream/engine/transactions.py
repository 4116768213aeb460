"""Delivery of a batch's outputs together with its input offsets: the only place that produces.

Exactly-once (``TransactionalSender``): one transactional producer per input partition, with
``transactional_id`` = stage.topic.partition, so the next owner of a partition fences the last
one (aiokafka has no KIP-447). Each batch is one transaction: outputs, changelog writes, and the
input offset, committed together or not at all.

At-least-once (``AcknowledgedSender``): one idempotent producer; outputs are sent and
acknowledged, then the input offset is committed by the consumer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import anyio
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka import errors as kafka_errors

from apigen_stream import metrics
from apigen_stream.engine.routing import Outgoing

log = logging.getLogger(__name__)

# Seconds a producer may take to stop: a producer that cannot reach the broker must not keep a
# revocation or a shutdown waiting for ever.
STOP_TIMEOUT_S = 10.0

# A newer producer with this transactional id exists: the partition has a new owner.
FENCED_ERRORS: tuple[type[BaseException], ...] = (
    kafka_errors.ProducerFenced,
    kafka_errors.TransactionCoordinatorFenced,
)


def is_fenced(exc: BaseException) -> bool:
    """Whether ``exc`` says another process now owns the partition's transactional id."""
    return isinstance(exc, FENCED_ERRORS)


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one batch sends: its outputs, changelog writes, and the next input offset."""

    outgoing: Sequence[Outgoing]
    changelog: Sequence[tuple[bytes, bytes | None]]
    changelog_topic: str
    input: TopicPartition
    next_offset: int


class Sender(Protocol):
    """Sends one batch's outputs and commits its input offset; raises if nothing committed."""

    async def start(self) -> None: ...

    async def deliver(self, delivery: Delivery) -> None: ...

    async def stop(self) -> None: ...


async def _stop(producer: AIOKafkaProducer) -> None:
    with anyio.CancelScope(shield=True), anyio.move_on_after(STOP_TIMEOUT_S):
        await producer.stop()


async def _send_all(producer: AIOKafkaProducer, delivery: Delivery) -> None:
    futures: list[asyncio.Future[Any]] = []
    for item in delivery.outgoing:
        futures.append(await producer.send(item.topic, item.value(), key=item.key))
    for key, value in delivery.changelog:
        # The changelog partition pairs with the input partition: its owner rebuilds from it.
        future = await producer.send(
            delivery.changelog_topic, value, key=key, partition=delivery.input.partition
        )
        futures.append(future)
    if futures:
        await asyncio.gather(*futures)


class TransactionalSender:
    """The transactional producer of one input partition."""

    def __init__(self, producer_config: dict[str, Any], transactional_id: str, group_id: str):
        self._config = producer_config
        self.transactional_id = transactional_id
        self._group_id = group_id
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        """Open the producer; its ``init_transactions`` fences any earlier owner."""
        producer = AIOKafkaProducer(**self._config, transactional_id=self.transactional_id)
        try:
            await producer.start()
        except BaseException:
            await _stop(producer)
            raise
        self._producer = producer

    async def deliver(self, delivery: Delivery) -> None:
        """One transaction: outputs, changelog writes, input offset; aborted on any failure."""
        producer = self._producer
        if producer is None:
            raise RuntimeError("sender not started")
        stage = self._group_id
        await producer.begin_transaction()
        try:
            await _send_all(producer, delivery)
            offsets = {delivery.input: delivery.next_offset}
            await producer.send_offsets_to_transaction(offsets, self._group_id)
            await producer.commit_transaction()
        except BaseException:
            metrics.TRANSACTIONS.labels(stage, "aborted").inc()
            with anyio.CancelScope(shield=True), anyio.move_on_after(STOP_TIMEOUT_S):
                await _abort(producer)
            raise
        metrics.TRANSACTIONS.labels(stage, "committed").inc()

    async def stop(self) -> None:
        """Close the producer (idempotent)."""
        producer, self._producer = self._producer, None
        if producer is not None:
            await _stop(producer)


async def _abort(producer: AIOKafkaProducer) -> None:
    try:
        await producer.abort_transaction()
    except Exception as exc:
        # A fenced or broken producer cannot abort; the broker aborts on the next init.
        log.info("abort failed (the next owner's init aborts instead): %r", exc)


class AcknowledgedSender:
    """At-least-once: one idempotent producer shared by every partition, commit after acks."""

    def __init__(
        self,
        producer_config: dict[str, Any],
        commit: Callable[[dict[TopicPartition, int]], Awaitable[None]],
    ):
        self._config = producer_config
        self._commit = commit
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        """Open the producer."""
        producer = AIOKafkaProducer(**self._config, enable_idempotence=True)
        await producer.start()
        self._producer = producer

    async def deliver(self, delivery: Delivery) -> None:
        """Send and await every ack, then commit the input offset."""
        if self._producer is None:
            raise RuntimeError("sender not started")
        await _send_all(self._producer, delivery)
        await self._commit({delivery.input: delivery.next_offset})

    async def stop(self) -> None:
        """Close the producer (idempotent)."""
        producer, self._producer = self._producer, None
        if producer is not None:
            await _stop(producer)


class SharedSender:
    """A partition's view of the shared at-least-once sender: starting and stopping do nothing."""

    def __init__(self, shared: AcknowledgedSender):
        self._shared = shared

    async def start(self) -> None:
        """Nothing to open: the shared producer lives as long as the runner."""

    async def deliver(self, delivery: Delivery) -> None:
        """Deliver through the shared producer."""
        await self._shared.deliver(delivery)

    async def stop(self) -> None:
        """Nothing to close."""
