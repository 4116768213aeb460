"""Count the committed records on a topic that decode as its record type.

``python -m tests.support.topic_records BOOTSTRAP TOPIC`` prints the count: ``make image-test``
uses it to see what a stage running in a container wrote to the broker.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import anyio
from aiokafka import AIOKafkaConsumer, TopicPartition

from apigen_stream.engine.codec import decode
from apigen_stream.records import TOPIC_RECORDS

POLL_TIMEOUT_MS = 1000


async def count_records(bootstrap: str, topic: str) -> int:
    """Committed records on ``topic`` from its beginning to its end now; each must decode."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, isolation_level="read_committed",
                                enable_auto_commit=False)  # fmt: skip
    await consumer.start()
    try:
        await consumer._client.add_topic(topic)
        assigned = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        ends = await consumer.end_offsets(assigned)
        remaining = {tp for tp in assigned if ends[tp] > 0}
        count = 0
        while remaining:
            batches = await consumer.getmany(*remaining, timeout_ms=POLL_TIMEOUT_MS)
            for records in batches.values():
                # A record that does not decode raises: the stage wrote something wrong.
                count += len([decode(TOPIC_RECORDS[topic], r.value) for r in records])
            remaining = {tp for tp in remaining if await consumer.position(tp) < ends[tp]}
    finally:
        await consumer.stop()
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """Print the count of records on the topic."""
    bootstrap, topic = argv or sys.argv[1:]
    print(anyio.run(count_records, bootstrap, topic))
    return 0


if __name__ == "__main__":
    sys.exit(main())
