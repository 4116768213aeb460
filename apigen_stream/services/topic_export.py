"""``export --from-topic``: the samples committed on a topic now, read once from the beginning.

The topic's end offsets are taken before reading, and records at or past them are left alone:
what is produced while the export runs belongs to the next export, not half to this one. A
record that does not decode as a sample is skipped and counted, with its partition and offset,
so one bad record cannot lose the whole export.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
from aiokafka import ConsumerRecord, TopicPartition

from apigen_stream.broker.admin import check_broker
from apigen_stream.engine.codec import RecordDecodeError, decode
from apigen_stream.records import Sample
from apigen_stream.services.topic_reading import POLL_TIMEOUT_MS, assign_all, committed_consumer

# Where skipped records are named at most, so the report stays one screen.
NAMED_SKIPS = 10


class TopicRead(msgspec.Struct, kw_only=True):
    """What one read of a topic gave: the samples, and the records that were not samples."""

    samples: list[Sample] = msgspec.field(default_factory=list)
    skipped: int = 0
    skipped_at: list[str] = msgspec.field(default_factory=list)

    def take(self, records: Iterable[ConsumerRecord[bytes, bytes]], end: int) -> None:
        """Decode the records before ``end`` (the snapshot's end offset) into samples."""
        for record in records:
            if record.offset >= end:
                continue
            try:
                self.samples.append(decode(Sample, record.value))
            except RecordDecodeError as exc:
                self.skipped += 1
                if len(self.skipped_at) < NAMED_SKIPS:
                    where = f"{record.topic}[{record.partition}]@{record.offset}"
                    self.skipped_at.append(f"{where}: {exc}")


async def read_topic(bootstrap: str, topic: str, limit: int = 0) -> TopicRead:
    """The samples on ``topic`` (committed ones), from the beginning to its end right now."""
    await check_broker(bootstrap, 15.0)
    consumer = committed_consumer(bootstrap, None, "apigen-export")
    await consumer.start()
    read = TopicRead()
    try:
        assigned = await assign_all(consumer, topic)
        await consumer.seek_to_beginning(*assigned)
        ends: dict[TopicPartition, int] = await consumer.end_offsets(assigned)
        remaining = {tp for tp in assigned if ends[tp] > 0}
        while remaining and not (limit and len(read.samples) >= limit):
            batches = await consumer.getmany(*remaining, timeout_ms=POLL_TIMEOUT_MS)
            for tp, records in batches.items():
                read.take(records, ends[tp])
            remaining = {tp for tp in remaining if await consumer.position(tp) < ends[tp]}
    finally:
        await consumer.stop()
    if limit:
        read.samples = read.samples[:limit]
    return read
