"""Reading a topic's committed records by explicit assignment, without a group's rebalances.

The sink and ``export --from-topic`` both read every partition of one topic themselves (the
sink positions each from its dataset's manifest, the export from the beginning to a snapshot),
so they share the consumer they read with and the way its partitions are assigned; the source
finds a topic's partitions the same way.
"""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, TopicPartition

from apigen_stream.errors import ConfigError

# Records per fetch: one fsync and one manifest write per partition batch amortise well.
MAX_RECORDS = 500
# Milliseconds a fetch waits: short enough to notice stop() and idleness.
POLL_TIMEOUT_MS = 200


def committed_consumer(bootstrap: str, group: str | None, client_id: str) -> AIOKafkaConsumer:
    """A consumer of committed records only, committing nothing by itself, from the earliest."""
    return AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        client_id=client_id,
        isolation_level="read_committed",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=MAX_RECORDS,
    )


async def partitions_of(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """Every partition of ``topic``, in order, as the started ``consumer`` learns them.

    A topic the broker does not know is a configuration error.
    """
    # A manually assigning consumer tracks no topic's metadata until told to: aiokafka has no
    # public call for that (``topics()`` fetches into a throwaway cluster object).
    await consumer._client.add_topic(topic)
    partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        raise ConfigError(f"topic {topic} does not exist on the broker")
    return [TopicPartition(topic, p) for p in sorted(partitions)]


async def assign_all(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """Assign every partition of ``topic`` to the started ``consumer``, in order."""
    assigned = await partitions_of(consumer, topic)
    consumer.assign(assigned)
    return assigned
