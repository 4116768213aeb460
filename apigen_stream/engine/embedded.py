"""The in-memory bus: the same stage handlers in one process, with no Kafka.

Usage::

    bus = EmbeddedBus(keep=True)
    accepted = bus.subscribe(topics.ACCEPTED)       # before run: sees every record from now on
    await bus.publish(topics.TASKS, task)
    await bus.run([generate, format_, dedup, execute, semantic], until_idle=True)
    bus.records(topics.REJECTED)                     # with keep=True: all of a topic, in order

Stages are wired by their topics: a record published to a topic goes to every stage whose
``input_topic`` it is and to every subscriber. Verdicts are routed and counted exactly as over
Kafka (``routing.route`` / ``routing.count``); a record that is not of the stage's input type,
or whose handler fails, goes to ``apigen.dlq``. ``until_idle=True`` returns once no record is
queued or being handled anywhere; ``until_idle=False`` runs until ``close()`` is called (e.g. by
a subscriber that has seen enough) or the caller is cancelled. A stateful stage gets one dict
store for the whole run.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Sequence
from typing import Any

import anyio
import msgspec
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from apigen_stream import reasons
from apigen_stream.engine.codec import encode
from apigen_stream.engine.handling import Backoff, Handling, make_handling
from apigen_stream.engine.routing import Outgoing, count, dead_letter
from apigen_stream.stages.stage import DictState, Stage

# Records one stage handles at once: the Kafka runner's default concurrency.
DEFAULT_CONCURRENCY = 32
# Retries of retriable handler errors, as over Kafka.
DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF = Backoff(0.05, 1.0)


class EmbeddedBus:
    """In-memory topics connecting stages in one process."""

    def __init__(self, *, concurrency: int = DEFAULT_CONCURRENCY, keep: bool = False) -> None:
        # keep=False for long runs: a continuous pipeline must not hold every record it saw.
        self._keep = keep
        self._concurrency = concurrency
        self._log: dict[str, list[msgspec.Struct]] = defaultdict(list)
        self._subscribers: dict[str, list[Subscription]] = defaultdict(list)
        self._inputs: dict[str, list[MemoryObjectSendStream[msgspec.Struct]]] = defaultdict(list)
        self._backlog: dict[str, list[msgspec.Struct]] = defaultdict(list)
        self._pending = 0
        self._idle = anyio.Event()
        self._closed = anyio.Event()
        self._running = False

    def subscribe(self, topic: str) -> AsyncIterator[msgspec.Struct]:
        """Every record published to ``topic`` from now on; the iterator ends at ``close()``."""
        subscription = Subscription()
        self._subscribers[topic].append(subscription)
        return subscription

    def records(self, topic: str) -> list[msgspec.Struct]:
        """Everything published to ``topic`` so far, in order (only with ``keep=True``)."""
        return list(self._log[topic])

    async def publish(self, topic: str, record: msgspec.Struct) -> None:
        """Put ``record`` on ``topic``: to its subscribers and to the stages reading it."""
        if self._keep:
            self._log[topic].append(record)
        for subscriber in self._subscribers[topic]:
            subscriber.put(record)
        if not self._running:
            # No stage runs yet: kept until run() wires the stages reading this topic.
            self._backlog[topic].append(record)
            return
        for stream in self._inputs.get(topic, []):
            self._pending += 1
            stream.send_nowait(record)

    def close(self) -> None:
        """End ``run`` and every subscription (idempotent)."""
        self._closed.set()
        for subscriptions in self._subscribers.values():
            for subscription in subscriptions:
                subscription.close()

    async def run(self, stages: Sequence[Stage[Any]], *, until_idle: bool) -> None:
        """Run ``stages`` until idle (``until_idle``) or until ``close()``."""
        receivers = []
        for stage in stages:
            send, receive = anyio.create_memory_object_stream[msgspec.Struct](math.inf)
            self._inputs[stage.input_topic].append(send)
            receivers.append((stage, receive))
        self._running = True
        backlog, self._backlog = self._backlog, defaultdict(list)
        for topic, records in backlog.items():
            for record in records:
                for stream in self._inputs.get(topic, []):
                    self._pending += 1
                    stream.send_nowait(record)
        self._check_idle()
        async with anyio.create_task_group() as tg:
            for stage, receive in receivers:
                tg.start_soon(self._serve, stage, receive)
            await (self._idle.wait() if until_idle else self._closed.wait())
            tg.cancel_scope.cancel()
        self._running = False
        for streams in self._inputs.values():
            for stream in streams:
                stream.close()
        for _, receive in receivers:
            receive.close()
        self._inputs.clear()

    async def _serve(self, stage: Stage[Any], receive: MemoryObjectReceiveStream[Any]) -> None:
        handling = make_handling(stage, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF)
        state = DictState({})
        limiter = anyio.Semaphore(1 if stage.spec.stateful else self._concurrency)
        async with anyio.create_task_group() as tg:
            async for record in receive:
                await limiter.acquire()
                tg.start_soon(self._one, handling, record, state, limiter)

    async def _one(
        self, handling: Handling, record: msgspec.Struct, state: DictState,
        limiter: anyio.Semaphore,
    ) -> None:  # fmt: skip
        try:
            outgoing = await self._handle(handling, record, state)
            count(handling.stage.name, outgoing)
            for item in outgoing:
                await self.publish(item.topic, item.record)
        finally:
            limiter.release()
            self._pending -= 1
            self._check_idle()

    @staticmethod
    async def _handle(
        handling: Handling, record: msgspec.Struct, state: DictState
    ) -> list[Outgoing]:
        stage = handling.stage
        if not isinstance(record, handling.record_type):
            detail = f"expected {handling.record_type.__name__}, got {type(record).__name__}"
            return [_dead(stage, record, reasons.SCHEMA_VIOLATION, detail)]
        try:
            return await handling.record(record, state)
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}"
            return [_dead(stage, record, reasons.HANDLER_ERROR, detail)]

    def _check_idle(self) -> None:
        if self._pending == 0:
            self._idle.set()
        elif self._idle.is_set():
            self._idle = anyio.Event()


def _dead(stage: Stage[Any], record: msgspec.Struct, reason: str, detail: str) -> Outgoing:
    return dead_letter(
        stage=stage.name, topic=stage.input_topic, partition=-1, offset=-1, key=None,
        value=encode(record), reason=reason, detail=detail,
    )  # fmt: skip


class Subscription:
    """The records published to one topic since subscribing, as an async iterator."""

    def __init__(self) -> None:
        self._queue: deque[msgspec.Struct] = deque()
        self._ready = anyio.Event()
        self._closed = False

    def put(self, record: msgspec.Struct) -> None:
        """Add a published record."""
        self._queue.append(record)
        self._ready.set()

    def close(self) -> None:
        """End the iteration once the records already published are read."""
        self._closed = True
        self._ready.set()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> msgspec.Struct:
        while not self._queue:
            if self._closed:
                raise StopAsyncIteration
            await self._ready.wait()
            self._ready = anyio.Event()
        return self._queue.popleft()
