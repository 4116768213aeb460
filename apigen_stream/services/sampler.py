"""``run --stage sampler``: the sampler as a Kafka source of ``apigen.tasks``.

It emits ``sample_task(i, ...)`` for i = start, start + 1, ... in transactional batches
(``services.source``), at ``--rate`` / ``sampler.rate`` tasks per second (0: as fast as the
broker takes them), until ``--count`` / ``sampler.count`` is reached (0: until stopped).

``count`` bounds the index, not the run: a sampler with count N emits tasks 0..N-1 of its seed
in all, so a restarted sampler emits only those its predecessor did not commit. ``start`` is
the index after the last task of this seed committed on ``apigen.tasks`` (see
``services.source`` for the rule): a restart neither repeats nor skips a task. Replicas running
at once need distinct seeds (and distinct ``--replica-id``).

Meanwhile a consumer of ``apigen.accepted`` (group ``sampler-seeds``, read_committed, from the
newest records) feeds accepted samples into the seed pool, as the paper does; only samples
whose tools all belong to this sampler's library are kept, since few-shot examples of tools
it never offers would only teach the generator names it must not call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from aiokafka import AIOKafkaConsumer
from aiokafka import errors as kafka_errors

from apigen_stream import metrics, topics
from apigen_stream.config import Config
from apigen_stream.engine.codec import RecordDecodeError, decode, encode
from apigen_stream.engine.handling import Backoff
from apigen_stream.engine.lifecycle import Lifecycle
from apigen_stream.errors import ConfigError
from apigen_stream.library.load import load_registry
from apigen_stream.records import Sample, Task
from apigen_stream.run_options import RunOptions
from apigen_stream.sampling import LibraryView, SeedPool, sample_task, usable_example
from apigen_stream.services.source import (
    TokenBucket,
    TransactionalSource,
    batch_size_for,
    next_index,
)

log = logging.getLogger(__name__)

NAME = "sampler"
SEEDS_GROUP = "sampler-seeds"
# Seconds a rate-limited batch may take to fill: tasks appear steadily, not in lumps.
LINGER_S = 0.5
# Milliseconds one fetch of accepted samples waits: short enough to notice the end of the run.
SEEDS_POLL_MS = 500
# Seconds beyond the transaction timeout that resuming waits for open transactions to end:
# a predecessor's transaction is aborted by the broker at the latest after its timeout.
SETTLE_SLACK_S = 10.0


def task_prefix(seed: int) -> str:
    """What every task id of the sampler with this seed starts with (``t{seed}-{index}``)."""
    return f"t{seed}-"


class SamplerService(Lifecycle):
    """Emits tasks to ``apigen.tasks``; ``run()`` until ``stop()`` or ``count`` tasks exist."""

    def __init__(
        self, config: Config, library: LibraryView, pool: SeedPool, *,
        replica: str = "", count: int = 0, rate: float = 0.0,
    ) -> None:  # fmt: skip
        super().__init__()
        self._config = config
        self._library = library
        self._pool = pool
        self._names = library.names()
        self._count = count
        self._rate = rate
        self._replica = replica
        self.emitted = 0
        kafka = config.kafka
        self._backoff = Backoff(kafka.retry_backoff_s, kafka.retry_backoff_max_s)
        self._client_id = f"{kafka.client_id_prefix}-{NAME}" + (f"-{replica}" if replica else "")

    async def run(self) -> None:
        """Resume after the last committed task and emit until stopped or done."""
        kafka = self._config.kafka
        source = TransactionalSource(
            {"bootstrap_servers": kafka.bootstrap, "client_id": self._client_id,
             "transaction_timeout_ms": kafka.transaction_timeout_ms},
            f"{NAME}.{self._replica or '0'}", topics.TASKS, NAME,
        )  # fmt: skip
        await source.start(kafka.connect_timeout_s, self._backoff)
        try:
            settle_s = kafka.transaction_timeout_ms / 1000.0 + SETTLE_SLACK_S
            prefix = task_prefix(self._config.sampler.seed)
            start = await next_index(kafka.bootstrap, topics.TASKS, prefix, settle_s)
            log.info("sampler: seed %d resumes at index %d", self._config.sampler.seed, start)
            self._started = True  # producer open, resume index known
            async with anyio.create_task_group() as tg:
                tg.start_soon(self._feed_pool)
                await self._emit(source, start)
                tg.cancel_scope.cancel()
        finally:
            await source.stop()

    async def _emit(self, source: TransactionalSource, start: int) -> None:
        size = batch_size_for(self._rate, self._config.kafka.batch_size, LINGER_S)
        bucket = TokenBucket(rate=self._rate, burst=size)
        index = start
        while not self._stop.is_set() and (not self._count or index < self._count):
            n = size if not self._count else min(size, self._count - index)
            delay = bucket.wait(n, time.monotonic())
            if delay > 0:
                with anyio.move_on_after(delay):
                    await self._stop.wait()
                if self._stop.is_set():
                    return
            tasks = self._tasks(index, n)
            await source.send_batch([(t.id.encode(), encode(t)) for t in tasks])
            metrics.RECORDS.labels(NAME, "accepted", "").inc(n)
            self.emitted += n
            index += n
        log.info("sampler: stopped before index %d", index)

    def _tasks(self, start: int, n: int) -> list[Task]:
        pool = self._pool
        pairs = self._config.llm.pairs_per_request
        settings, now = self._config.sampler, time.time()
        return [
            sample_task(i, settings, self._library, pool, pairs=pairs, now=now)
            for i in range(start, start + n)
        ]

    async def _feed_pool(self) -> None:
        """Add accepted samples to the seed pool until cancelled; broker trouble only waits."""
        attempt = 0
        while True:
            try:
                await self._consume_accepted()
            except kafka_errors.KafkaError as exc:
                log.warning("sampler: reading accepted samples failed, retrying: %r", exc)
                await anyio.sleep(self._backoff.delay(attempt))
                attempt += 1

    async def _consume_accepted(self) -> None:
        consumer = AIOKafkaConsumer(
            topics.ACCEPTED, bootstrap_servers=self._config.kafka.bootstrap,
            client_id=self._client_id, group_id=SEEDS_GROUP, isolation_level="read_committed",
            auto_offset_reset="latest", enable_auto_commit=True,
        )  # fmt: skip
        try:
            await consumer.start()
            while True:
                batches = await consumer.getmany(timeout_ms=SEEDS_POLL_MS)
                for records in batches.values():
                    for record in records:
                        self._offer(record.value)
        finally:
            with anyio.CancelScope(shield=True):
                await consumer.stop()

    def _offer(self, value: bytes | None) -> None:
        try:
            sample: Sample = decode(Sample, value)
        except RecordDecodeError:
            # Not a sample: the stage that wrote it is at fault, and the pool can do without it.
            return
        if usable_example(sample, self._names):
            self._pool.add(sample)


@asynccontextmanager
async def open_service(config: Config, options: RunOptions) -> AsyncIterator[SamplerService]:
    """``run --stage sampler [--tasks N] [--rate R]``: the sampler over ``apigen.tasks``."""
    if not config.kafka.bootstrap:
        raise ConfigError("the sampler needs Kafka: give --bootstrap or kafka.bootstrap")
    registry = load_registry(config.library, {})
    library = LibraryView.of(
        registry,
        config.sampler.categories,
        weights=config.sampler.category_weights,
        templated_only=not config.llm.online,
    )
    pool = SeedPool.from_registry(registry)
    # Fail at start-up, not mid-run, on settings that cannot give a task (e.g. no style).
    sample_task(0, config.sampler, library, pool, pairs=1, now=0.0)
    rate = options.rate
    yield SamplerService(
        config, library, pool,
        replica=options.replica_id,
        count=options.tasks or config.sampler.count,
        rate=config.sampler.rate if rate is None else rate,
    )  # fmt: skip
