"""The stage runner: one stage's pure handler as a Kafka service, exactly-once by default.

One consumer group per stage (the stage's name), reading ``read_committed``. The consume loop
only fetches: each assigned input partition has a ``PartitionWorker`` that handles its records
and delivers them (one transaction per batch, with its own transactional producer). Fetching
pauses when too much is in flight and resumes as soon as enough of it committed: a paused loop
is woken by the workers, since waiting out a poll's timeout would cap a fast stage's rate.
``stop()`` (SIGTERM) stops fetching, lets the workers finish and commit what they hold
(bounded by ``kafka.drain_timeout_s``), then leaves the group.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from typing import Any, Protocol

import anyio
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka import errors as kafka_errors
from anyio.abc import TaskGroup

from apigen_stream import metrics, topics
from apigen_stream.broker.admin import message_limits
from apigen_stream.broker.watch import BrokerWatch, require_topics
from apigen_stream.config import Config, ServeConfig
from apigen_stream.engine.failures import first_error
from apigen_stream.engine.handling import Backoff, make_handling
from apigen_stream.engine.lifecycle import Lifecycle
from apigen_stream.engine.partition_worker import PartitionWorker, WorkerContext, set_in_flight
from apigen_stream.engine.partitions import Envelope, FlowControl, StopCondition
from apigen_stream.engine.serve import serve_http
from apigen_stream.engine.signals import stop_on_signals
from apigen_stream.engine.sizing import batch_bytes, output_bytes, record_limit
from apigen_stream.engine.transactions import (
    AcknowledgedSender,
    Sender,
    SharedSender,
    TransactionalSender,
)
from apigen_stream.errors import ApigenError, BrokerUnavailable, ConfigError
from apigen_stream.spec import StageSpec, StoreSpec
from apigen_stream.stages.stage import Stage

log = logging.getLogger(__name__)

# Milliseconds one poll waits for records: short enough to notice stop(), pauses and idleness
# quickly, long enough not to spin.
POLL_TIMEOUT_MS = 200
# Seconds between consumer-lag updates: lag is for dashboards, not for control.
LAG_INTERVAL_S = 2.0
# Seconds a revoked partition's worker may take to commit its current batch before it is
# abandoned (the next owner redoes it): rebalances are stop-the-world, so keep them short.
REVOKE_GRACE_S = 5.0


def group_instance_id(stage: str, replica_id: str, host: str) -> str:
    """The static member id of a replica: stable across its restarts, distinct per replica.

    ``--replica-id`` when given (several replicas on one host need one each), else the host
    name (one replica per host or pod, as on Kubernetes where the pod name is the host name).
    """
    return f"{stage}-{replica_id or host}"


class StageRunner(Lifecycle):
    """Runs ``stage`` over Kafka until ``stop()`` or its ``StopCondition`` ends the run."""

    def __init__(
        self,
        stage: Stage[Any],
        config: Config,
        *,
        replica_id: str = "",
        until: StopCondition | None = None,
    ):
        super().__init__()
        self.stage = stage
        self.config = config
        kafka = config.kafka
        if kafka.concurrency < 1:
            # A batch would be handled by no task and committed with nothing written.
            raise ConfigError(f"kafka.concurrency must be at least 1, not {kafka.concurrency}")
        self._exactly_once = kafka.delivery == "exactly_once"
        client_id = f"{kafka.client_id_prefix}-{stage.name}" + (
            f"-{replica_id}" if replica_id else ""
        )
        self._common: dict[str, Any] = {
            "bootstrap_servers": kafka.bootstrap,
            "client_id": client_id,
        }
        self._consumer_config: dict[str, Any] = {
            **self._common,
            "group_id": stage.name,
            "isolation_level": "read_committed",
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "max_poll_records": kafka.batch_size,
            "max_poll_interval_ms": kafka.max_poll_interval_ms,
            "session_timeout_ms": kafka.session_timeout_ms,
            "heartbeat_interval_ms": max(100, kafka.session_timeout_ms // 3),
        }
        if kafka.static_membership:
            instance = group_instance_id(stage.name, replica_id, socket.gethostname())
            self._consumer_config["group_instance_id"] = instance
        self._backoff = Backoff(kafka.retry_backoff_s, kafka.retry_backoff_max_s)
        metrics.initialize(stage.name)
        self._until = until or StopCondition()
        self._flow = FlowControl(kafka.max_in_flight, on_resumable=self._wake_consume)
        self._resumable = anyio.Event()
        self._workers: dict[TopicPartition, PartitionWorker] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self._shared: AcknowledgedSender | None = None
        self._ctx: WorkerContext | None = None
        self._tg: TaskGroup | None = None
        self._watch: BrokerWatch | None = None
        # The largest batch every written topic accepts: set from the broker at start-up.
        self._output_bytes = kafka.max_request_bytes

    @property
    def ready(self) -> bool:
        """Started, not stopping, and the broker answered its last metadata request."""
        return super().ready and (self._watch is None or self._watch.reachable)

    def stop(self) -> None:
        """Stop fetching and drain (idempotent; safe from a signal handler's task)."""
        super().stop()
        self._resumable.set()  # a paused consume loop notices at once

    async def run(self) -> None:
        """Connect, consume until stopped, drain, commit, leave the group."""
        consumer = AIOKafkaConsumer(**self._consumer_config)
        self._consumer = consumer
        consumer = await self._connect(consumer)
        try:
            await require_topics(consumer, self._topics(), self.config.kafka.connect_timeout_s)
            await self._fit_to_topics()
            await self._start_shared_sender()
            self._ctx = self._context(consumer)
            self._watch = BrokerWatch(consumer, self.stage.name)
            try:
                await self._run_workers(consumer, self._watch)
            except BaseExceptionGroup as group:
                # One clear error for the caller, not a group of it.
                raise first_error(group) from None
        finally:
            with anyio.CancelScope(shield=True):
                if self._shared is not None:
                    await self._shared.stop()
                await consumer.stop()
            metrics.PAUSED.labels(self.stage.name).set(0)

    async def _run_workers(self, consumer: AIOKafkaConsumer, watch: BrokerWatch) -> None:
        async with anyio.create_task_group() as tg:
            self._tg = tg
            tg.start_soon(watch.run)
            consumer.subscribe([self.stage.input_topic], listener=_Listener(self))
            try:
                await self._consume(consumer)
            finally:
                with anyio.CancelScope(shield=True):
                    await self._drain()
                tg.cancel_scope.cancel()

    def _topics(self) -> list[str]:
        """Every topic the stage reads or writes."""
        return [self.stage.input_topic, *self._written_topics()]

    def _written_topics(self) -> list[str]:
        names = [self.stage.output_topic, topics.REJECTED, topics.DLQ]
        names.extend(self.stage.spec.changelog_topic(s) for s in self.stage.spec.stores)
        return names

    async def _fit_to_topics(self) -> None:
        """Bound outputs by the written topics' ``max.message.bytes`` too (``sizing``)."""
        kafka = self.config.kafka
        limits = await message_limits(
            kafka.bootstrap, self._written_topics(), kafka.connect_timeout_s
        )
        self._output_bytes = output_bytes(kafka.max_request_bytes, limits)
        if self._output_bytes < kafka.max_request_bytes:
            log.info("stage %s: outputs fit %d bytes, the smallest max.message.bytes of %s",
                     self.stage.name, self._output_bytes, sorted(limits))  # fmt: skip

    async def _connect(self, consumer: AIOKafkaConsumer) -> AIOKafkaConsumer:
        """The started consumer: ``consumer``, or a new one if it had to be replaced."""
        deadline = time.monotonic() + self.config.kafka.connect_timeout_s
        attempt = 0
        while True:
            try:
                await consumer.start()
                return consumer
            except kafka_errors.KafkaError as exc:
                with anyio.CancelScope(shield=True):
                    await consumer.stop()
                if time.monotonic() >= deadline:
                    raise BrokerUnavailable(
                        f"Kafka at {self.config.kafka.bootstrap} did not answer within "
                        f"{self.config.kafka.connect_timeout_s:g}s ({type(exc).__name__})"
                    ) from exc
                await anyio.sleep(min(self._backoff.delay(attempt), deadline - time.monotonic()))
                attempt += 1
                consumer = AIOKafkaConsumer(**self._consumer_config)
                self._consumer = consumer

    async def _start_shared_sender(self) -> None:
        if self._exactly_once:
            return
        consumer = self._consumer
        assert consumer is not None

        async def commit(offsets: dict[TopicPartition, int]) -> None:
            await consumer.commit(offsets)

        producer_config = {**self._producer_config(), "acks": "all"}
        self._shared = AcknowledgedSender(producer_config, commit)
        await self._shared.start()

    def _context(self, consumer: AIOKafkaConsumer) -> WorkerContext:
        kafka = self.config.kafka
        store = one_store(self.stage.spec)
        handling = make_handling(
            self.stage, kafka.handler_attempts, self._backoff,
            deadline_s=kafka.record_deadline_s, max_bytes=record_limit(self._output_bytes),
        )  # fmt: skip
        return WorkerContext(
            stage=self.stage.name, consumer=consumer, consumer_config=self._common,
            handling=handling, flow=self._flow, limiter=anyio.CapacityLimiter(kafka.concurrency),
            batch_size=kafka.batch_size, backoff=self._backoff,
            fenced_wait_s=kafka.session_timeout_ms / 1000.0, store=store,
            changelog_topic=self.stage.spec.changelog_topic(store) if store else "",
        )  # fmt: skip

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        self._until.last_record_at = time.monotonic()
        next_lag = 0.0
        while not self._stop.is_set():
            if self._until.reached(time.monotonic()):
                log.info("stage %s: run condition reached, draining", self.stage.name)
                return
            self._apply_flow(consumer)
            if self._flow.paused:
                await self._wait_resumable()
                self._apply_flow(consumer)
            # While paused, still poll (without waiting): a consumer that stops polling for
            # max_poll_interval_ms leaves the group.
            timeout_ms = 0 if self._flow.paused else POLL_TIMEOUT_MS
            try:
                fetched = await consumer.getmany(
                    timeout_ms=timeout_ms, max_records=self.config.kafka.batch_size
                )
            except kafka_errors.KafkaError as exc:
                log.warning("stage %s: fetch failed, retrying: %r", self.stage.name, exc)
                await anyio.sleep(self._backoff.delay(0))
                continue
            self._dispatch(fetched)
            if time.monotonic() >= next_lag:
                self._report_lag(consumer)
                next_lag = time.monotonic() + LAG_INTERVAL_S

    def _wake_consume(self) -> None:
        self._resumable.set()

    async def _wait_resumable(self) -> None:
        """Until enough in-flight work finished to resume fetching, or one poll's time."""
        with anyio.move_on_after(POLL_TIMEOUT_MS / 1000):
            await self._resumable.wait()
        self._resumable = anyio.Event()

    def _dispatch(self, fetched: dict[TopicPartition, list[Any]]) -> None:
        now = time.monotonic()
        for tp, messages in fetched.items():
            worker = self._workers.get(tp)
            if worker is None:
                continue
            allowed = self._until.allowance(len(messages))
            envelopes = [
                Envelope(m.topic, m.partition, m.offset, m.key, m.value, m.timestamp)
                for m in messages[:allowed]
            ]
            # Only what the queue took counts: it refuses records fetched before its worker
            # positioned the consumer, and those come again.
            queued = worker.queue.push(envelopes)
            self._flow.fetched(queued)
            self._until.took(queued, now)
            worker.notify()
        set_in_flight(self.stage.name, self._flow)

    def _apply_flow(self, consumer: AIOKafkaConsumer) -> None:
        # A stage whose LLM endpoint is down says so (``accepting``): fetching pauses, so an
        # outage delays records instead of failing them.
        decision = self._flow.decide(held=not self.stage.accepting)
        if decision is None:
            return
        assigned = list(consumer.assignment())
        if decision:
            consumer.pause(*assigned)
        else:
            consumer.resume(*assigned)
        metrics.PAUSED.labels(self.stage.name).set(1 if decision else 0)

    def _report_lag(self, consumer: AIOKafkaConsumer) -> None:
        for tp, worker in self._workers.items():
            lag = worker.queue.lag(consumer.highwater(tp))
            if lag is not None:
                metrics.CONSUMER_LAG.labels(self.stage.name, tp.topic, str(tp.partition)).set(lag)

    async def _drain(self) -> None:
        workers = list(self._workers.values())
        for worker in workers:
            worker.close(drop_queued=False)
        with anyio.move_on_after(self.config.kafka.drain_timeout_s) as scope:
            for worker in workers:
                await worker.done.wait()
        if scope.cancelled_caught:
            log.warning("stage %s: drain timed out; the rest is redone by the next owner",
                        self.stage.name)  # fmt: skip
        for worker in workers:
            worker.scope.cancel()
            await worker.done.wait()
        set_in_flight(self.stage.name, self._flow)

    def _sender_for(self, tp: TopicPartition) -> Sender:
        if self._shared is not None:
            return SharedSender(self._shared)
        tid = f"{self.stage.name}.{tp.topic}.{tp.partition}"
        producer_config = {
            **self._producer_config(),
            "transaction_timeout_ms": self.config.kafka.transaction_timeout_ms,
        }
        return TransactionalSender(producer_config, tid, self.stage.name)

    def _producer_config(self) -> dict[str, Any]:
        return {
            **self._common,
            "max_request_size": self.config.kafka.max_request_bytes,
            "max_batch_size": batch_bytes(self._output_bytes),
        }

    async def assigned(self, partitions: set[TopicPartition]) -> None:
        """Start a worker for every newly assigned partition."""
        self._started = True  # the consumer joined its group
        if self._tg is None or self._ctx is None or self._stop.is_set():
            return
        for tp in sorted(partitions):
            if tp in self._workers:
                continue
            worker = PartitionWorker(tp, self._sender_for(tp), self._ctx)
            self._workers[tp] = worker
            self._tg.start_soon(worker.run)
        log.info("stage %s: assigned %s", self.stage.name, sorted(p.partition for p in partitions))

    async def revoked(self, partitions: set[TopicPartition]) -> None:
        """Let revoked partitions' workers commit their current batch, then close them."""
        workers = [self._workers.pop(tp) for tp in partitions if tp in self._workers]
        for worker in workers:
            worker.close(drop_queued=True)
        with anyio.move_on_after(REVOKE_GRACE_S):
            for worker in workers:
                await worker.done.wait()
        for worker in workers:
            worker.scope.cancel()
            await worker.done.wait()
            with contextlib.suppress(KeyError):
                labels = (self.stage.name, worker.tp.topic, str(worker.tp.partition))
                metrics.CONSUMER_LAG.remove(*labels)
        set_in_flight(self.stage.name, self._flow)


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, runner: StageRunner):
        self._runner = runner

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        await self._runner.revoked(set(revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await self._runner.assigned(set(assigned))


class Service(Protocol):
    """A long-running process body: a stage runner, or a source or sink service."""

    @property
    def ready(self) -> bool: ...

    def stop(self) -> None: ...

    async def run(self) -> None: ...


async def run_service(service: Service, serve: ServeConfig) -> None:
    """Run ``service`` with the health/metrics server and SIGTERM/SIGINT draining it.

    Prints ``metrics=http://HOST:PORT`` once the server listens, so callers can find it.
    """
    async with serve_http(serve, lambda: service.ready) as address:
        print(f"metrics={address}", flush=True)
        log.info("serving metrics=%s", address)
        failure: ApigenError | None = None
        async with anyio.create_task_group() as tg:
            tg.start_soon(stop_on_signals, service.stop)
            try:
                await service.run()
            except ApigenError as exc:
                # Raised below, outside the task group: callers catch it, not a group of it.
                failure = exc
            finally:
                tg.cancel_scope.cancel()
        if failure is not None:
            raise failure


def one_store(spec: StageSpec) -> StoreSpec | None:
    """The stage's store: the handler is given one ``StateStore``, so at most one is declared."""
    if len(spec.stores) > 1:
        raise ConfigError(f"stage {spec.name}: the engine gives a stage one store, not"
                          f" {len(spec.stores)}")  # fmt: skip
    return spec.stores[0] if spec.stores else None
