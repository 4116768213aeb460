"""The in-memory bus: the same stage handlers in one process, with no Kafka.

Usage::

    bus = EmbeddedBus(keep=True)
    accepted = bus.subscribe(topics.ACCEPTED)       # before run: sees every record from now on
    bus.observe(topics.REJECTED, log.write)         # called at once, in order, for each record
    await bus.publish(topics.TASKS, task)
    await bus.run([generate, format_, dedup, execute, semantic], until_idle=True)
    bus.records(topics.REJECTED)                     # with keep=True: all of a topic, in order

Stages are wired by their topics: a record published to a topic goes to every stage whose
``input_topic`` it is, to every subscriber and to every observer. Each record is handled as
the Kafka runner handles a decoded one (``Handling.decoded``: retries of retriable errors,
the record deadline, dead letters), its verdicts routed and counted exactly as over Kafka
(``routing.route`` / ``routing.count``); a record that is not of the stage's input type goes to
``apigen.dlq``. A stateful stage gets one dict store for the whole run.

A ``Feed`` is the run's source: after every record handled the bus asks it for the records
to publish now (none, when enough are in flight), so flow control needs no task of its own.
``until_idle=True`` returns once the feed gives nothing and no record is queued or being
handled anywhere: work in flight is drained, not abandoned; ``until_idle=False`` runs until
``close()`` (e.g. by an observer that has seen enough) or the caller is cancelled. ``close()``
ends a run at once, whatever is in flight.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import anyio
import msgspec
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from apigen_stream import reasons
from apigen_stream.engine.codec import encode
from apigen_stream.engine.handling import DEFAULT_DEADLINE_S, Backoff, Handling, make_handling
from apigen_stream.engine.routing import Outgoing, count, dead_letter
from apigen_stream.stages.stage import DictState, Stage

# Records one stage handles at once: the Kafka runner's default concurrency.
DEFAULT_CONCURRENCY = 32
# Retries of retriable handler errors, as over Kafka.
DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF = Backoff(0.05, 1.0)

Observer = Callable[[Any], None]


@dataclass(frozen=True, slots=True)
class Feed:
    """The source of a run: ``next()`` is the record to publish on ``topic`` now, or None
    (none now: asked again after the next record handled; the run ends once none is in
    flight and the feed gives none)."""

    topic: str
    next: Callable[[], msgspec.Struct | None]


class EmbeddedBus:
    """In-memory topics connecting stages in one process."""

    def __init__(
        self, *, concurrency: int = DEFAULT_CONCURRENCY, keep: bool = False,
        attempts: int = DEFAULT_ATTEMPTS, backoff: Backoff = DEFAULT_BACKOFF,
        deadline_s: float = DEFAULT_DEADLINE_S,
    ) -> None:  # fmt: skip
        # keep=False for long runs: a continuous pipeline must not hold every record it saw.
        self._keep = keep
        self._concurrency = concurrency
        self._attempts = attempts
        self._backoff = backoff
        self._deadline_s = deadline_s
        self._log: dict[str, list[msgspec.Struct]] = defaultdict(list)
        self._subscribers: dict[str, list[Subscription]] = defaultdict(list)
        self._observers: dict[str, list[Observer]] = defaultdict(list)
        self._inputs: dict[str, list[MemoryObjectSendStream[msgspec.Struct]]] = defaultdict(list)
        self._backlog: dict[str, list[msgspec.Struct]] = defaultdict(list)
        self._feed: Feed | None = None
        self._pending = 0
        self._until_idle = False
        # Set when run() is to return: by close(), or once idle when running until idle.
        self._done = anyio.Event()
        self._closed = False
        self._running = False

    def subscribe(self, topic: str) -> AsyncIterator[msgspec.Struct]:
        """Every record published to ``topic`` from now on; the iterator ends at ``close()``."""
        subscription = Subscription()
        self._subscribers[topic].append(subscription)
        return subscription

    def observe(self, topic: str, observer: Observer) -> None:
        """Call ``observer`` with every record published to ``topic`` from now on, as it is
        published: no task and no queue between (it must not block)."""
        self._observers[topic].append(observer)

    def records(self, topic: str) -> list[msgspec.Struct]:
        """Everything published to ``topic`` so far, in order (only with ``keep=True``)."""
        return list(self._log[topic])

    async def publish(self, topic: str, record: msgspec.Struct) -> None:
        """Put ``record`` on ``topic``: to its subscribers and to the stages reading it."""
        self._put(topic, record)

    def _put(self, topic: str, record: msgspec.Struct) -> None:
        if self._keep:
            self._log[topic].append(record)
        for subscriber in self._subscribers.get(topic, ()):
            subscriber.put(record)
        for observer in self._observers.get(topic, ()):
            observer(record)
        if not self._running:
            # No stage runs yet: kept until run() wires the stages reading this topic.
            self._backlog[topic].append(record)
            return
        self._deliver(topic, record)

    def _deliver(self, topic: str, record: msgspec.Struct) -> None:
        """Queue ``record`` for every stage reading ``topic``."""
        for stream in self._inputs.get(topic, ()):
            self._pending += 1
            stream.send_nowait(record)

    def close(self) -> None:
        """End ``run`` and every subscription (idempotent)."""
        self._closed = True
        self._done.set()
        for subscriptions in self._subscribers.values():
            for subscription in subscriptions:
                subscription.close()

    async def run(
        self, stages: Sequence[Stage[Any]], *, until_idle: bool, feed: Feed | None = None
    ) -> None:
        """Run ``stages`` (fed by ``feed``) until idle (``until_idle``) or until ``close()``."""
        receivers = []
        for stage in stages:
            send, receive = anyio.create_memory_object_stream[msgspec.Struct](math.inf)
            self._inputs[stage.input_topic].append(send)
            receivers.append((stage, receive))
        self._running = True
        self._feed = feed
        self._until_idle = until_idle
        if not self._closed:
            self._done = anyio.Event()  # a bus may run more than once
        backlog, self._backlog = self._backlog, defaultdict(list)
        for topic, records in backlog.items():
            for record in records:
                self._deliver(topic, record)
        self._pump()
        try:
            async with anyio.create_task_group() as tg:
                for stage, receive in receivers:
                    self._start_workers(tg, stage, receive)
                await self._done.wait()
                tg.cancel_scope.cancel()
        finally:
            self._running = False
            self._feed = None
            for streams in self._inputs.values():
                for stream in streams:
                    stream.close()
            for _, receive in receivers:
                receive.close()
            self._inputs.clear()

    def _start_workers(
        self, tg: anyio.abc.TaskGroup, stage: Stage[Any], receive: MemoryObjectReceiveStream[Any]
    ) -> None:
        # A fixed set of workers per stage, each taking the next record: cheaper than a task
        # per record. A stateful stage has one, so each record sees the state the ones before
        # it left. One record at a time: a worker holding a batch would hold back the answers
        # of the records it finished until its slowest is done (LLM stages).
        handling = make_handling(stage, self._attempts, self._backoff, deadline_s=self._deadline_s)
        state = DictState({})
        for _ in range(1 if stage.spec.stateful else self._concurrency):
            tg.start_soon(self._work, handling, receive, state)

    async def _work(
        self, handling: Handling, receive: MemoryObjectReceiveStream[Any], state: DictState
    ) -> None:
        async for record in receive:
            try:
                outgoing = await self._handle(handling, record, state)
                count(handling.stage.name, outgoing)
                for item in outgoing:
                    self._put(item.topic, item.record)
            finally:
                self._pending -= 1
                self._pump()

    @staticmethod
    async def _handle(
        handling: Handling, record: msgspec.Struct, state: DictState
    ) -> list[Outgoing]:
        """The record's outputs, as the Kafka runner's handling gives them for a decoded one."""
        if not isinstance(record, handling.record_type):
            detail = f"expected {handling.record_type.__name__}, got {type(record).__name__}"
            return [_dead(handling.stage, record, reasons.SCHEMA_VIOLATION, detail)]
        return await handling.decoded(record, state)

    def _pump(self) -> None:
        """Publish what the feed gives now; end a run until idle once nothing is in flight."""
        feed = self._feed
        if feed is not None and not self._closed:
            while (record := feed.next()) is not None:
                self._put(feed.topic, record)
        if self._pending == 0 and self._until_idle:
            # The feed gave nothing with nothing in flight: nothing would ask it again.
            self._done.set()


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
