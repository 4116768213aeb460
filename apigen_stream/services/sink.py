"""The sink service: ``apigen.accepted`` into crash-safe rotating dataset files.

The dataset directory's manifest (``export.files``), not Kafka's committed offsets, says where
to resume: the sink assigns itself every partition of the topic and seeks each to the offset
the manifest records (the beginning when it records none). A batch is appended and fsynced,
then the manifest (with the new offsets) is replaced atomically; a SIGKILL anywhere leaves
either the old manifest (the batch is read and written again, over the truncated tail) or the
new one (the batch is done): every accepted sample ends up in the files exactly once. Offsets
are committed to Kafka as well, after the manifest, for lag monitoring only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka import errors as kafka_errors

from apigen_stream import topics
from apigen_stream.broker.admin import check_broker
from apigen_stream.config import Config
from apigen_stream.engine.codec import RecordDecodeError, decode
from apigen_stream.engine.lifecycle import Lifecycle
from apigen_stream.errors import BrokerUnavailable, ConfigError
from apigen_stream.export import get_format
from apigen_stream.export.files import DEFAULT_MAX_BYTES, DEFAULT_MAX_SAMPLES, DatasetWriter
from apigen_stream.records import Sample
from apigen_stream.run_options import RunOptions
from apigen_stream.services.topic_reading import (
    MAX_RECORDS,
    POLL_TIMEOUT_MS,
    assign_all,
    committed_consumer,
)

log = logging.getLogger(__name__)

GROUP = "sink"
# The sink's own format: lossless, so every trainer format can be exported from it later.
DEFAULT_FORMAT = "sample"


class SinkService(Lifecycle):
    """Consumes ``topic`` (default: accepted) into a ``DatasetWriter``; ``run()`` until
    ``stop()``, ``count`` records or ``idle_s`` seconds without one."""

    def __init__(
        self, config: Config, writer: DatasetWriter, fmt: str, *, topic: str = "",
        count: int = 0, idle_s: float = 0.0,
    ) -> None:  # fmt: skip
        super().__init__()
        self._config = config
        self._writer = writer
        self._format = get_format(fmt)
        self._topic = topic or topics.ACCEPTED
        self._count = count
        self._idle_s = idle_s
        self.written = 0

    async def run(self) -> None:
        """Consume and write until stopped."""
        kafka = self._config.kafka
        await check_broker(kafka.bootstrap, kafka.connect_timeout_s)
        consumer = committed_consumer(kafka.bootstrap, GROUP, f"{kafka.client_id_prefix}-sink")
        try:
            await consumer.start()
        except kafka_errors.KafkaError as exc:
            raise BrokerUnavailable(f"cannot reach Kafka at {kafka.bootstrap}: {exc}") from exc
        try:
            for tp in await assign_all(consumer, self._topic):
                offset = self._writer.offsets.get(f"{tp.topic}:{tp.partition}")
                if offset is None:
                    await consumer.seek_to_beginning(tp)
                else:
                    consumer.seek(tp, offset)
            self._started = True  # partitions assigned and positioned
            await self._consume(consumer)
        finally:
            with anyio.CancelScope(shield=True):
                await consumer.stop()
                self._writer.close()

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        last_record = time.monotonic()
        while not self._stop.is_set():
            batches = await consumer.getmany(timeout_ms=POLL_TIMEOUT_MS, max_records=MAX_RECORDS)
            if not batches:
                if self._idle_s and time.monotonic() - last_record >= self._idle_s:
                    return
                continue
            last_record = time.monotonic()
            for tp, records in batches.items():
                self._write(tp, records)
            await self._commit(consumer)
            if self._count and self.written >= self._count:
                return

    def _write(self, tp: TopicPartition, records: Sequence[ConsumerRecord[Any, Any]]) -> None:
        rows = []
        for record in records:
            try:
                sample: Sample = decode(Sample, record.value)
            except RecordDecodeError as exc:
                # Not a sample: nothing to write; its offset still moves on with the batch.
                log.warning("%s:%d@%d skipped: %s", tp.topic, tp.partition, record.offset, exc)
                continue
            rows.append((sample.id, self._format.to_row(sample)))
        span = (records[0].offset, records[-1].offset + 1)
        self._writer.write(rows, {(tp.topic, tp.partition): span})
        self.written += len(rows)

    async def _commit(self, consumer: AIOKafkaConsumer) -> None:
        offsets = {}
        for key, offset in self._writer.offsets.items():
            topic, _, partition = key.rpartition(":")
            offsets[TopicPartition(topic, int(partition))] = offset
        try:
            await consumer.commit(offsets)
        except kafka_errors.KafkaError as exc:
            # Only lag monitoring reads these offsets: the manifest is what the sink resumes from.
            log.warning("offset commit for lag monitoring failed: %s", exc)


@asynccontextmanager
async def open_service(config: Config, options: RunOptions) -> AsyncIterator[SinkService]:
    """``run --stage sink --out DIR``: the sink over ``apigen.accepted``."""
    out = options.out
    if not out:
        raise ConfigError("the sink needs --out DIR")
    if not config.kafka.bootstrap:
        raise ConfigError("the sink needs Kafka: give --bootstrap or kafka.bootstrap")
    fmt = options.format or DEFAULT_FORMAT
    writer = DatasetWriter(
        Path(out), format=fmt,
        max_bytes=options.max_bytes or DEFAULT_MAX_BYTES,
        max_samples=options.max_samples or DEFAULT_MAX_SAMPLES,
    )  # fmt: skip
    yield SinkService(config, writer, fmt, count=options.records, idle_s=options.idle_timeout_s)
