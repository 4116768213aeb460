"""How far behind each consumer group of the pipeline is, in records.

Under exactly-once, every transaction ends with a commit marker that takes an offset but is no
record: a group that has consumed everything commits the offset after its last record, and the
marker sits there, so ``end offset - committed offset`` never reaches 0. So records behind are
counted: a consumer without a group reads ``read_committed`` from the committed offset to the
end and counts what it gets. Counting is capped (``COUNT_CAP`` records a partition, and
``COUNT_BUDGET_S`` in all); past that a partition's figure is the offset difference, an upper
bound, and the group's figure is marked inexact.

``pipeline_groups()`` is the pipeline's groups and the topic each reads.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

import msgspec
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from apigen_stream.broker.admin import admin_client
from apigen_stream.errors import BrokerUnavailable
from apigen_stream.spec import PIPELINE
from apigen_stream.topics import topic_specs


def pipeline_groups() -> dict[str, str]:
    """The pipeline's consumer groups and the topic each reads (a stage's group is its name)."""
    return PIPELINE.groups()


# Records read a partition at most to count what is behind: a backlog beyond it is a number
# to act on, not to know exactly, and reading it every second would load the broker.
COUNT_CAP = 20_000
# Seconds one count may read in all.
COUNT_BUDGET_S = 3.0
FETCH_MS = 200
CONNECT_TIMEOUT_S = 10.0


class GroupState(msgspec.Struct, frozen=True, kw_only=True):
    """One group: records behind on its input topic, and whether that is exact."""

    group: str
    topic: str
    behind: int
    exact: bool = True


def gap(committed: int | None, beginning: int, end: int) -> int:
    """Offsets between where a group stands (its beginning when it committed none) and the end."""
    start = beginning if committed is None or committed < 0 else max(committed, beginning)
    return max(0, end - start)


async def group_states(
    bootstrap: str, groups: Mapping[str, str] | None = None,
    timeout_s: float = CONNECT_TIMEOUT_S,
) -> dict[str, GroupState]:  # fmt: skip
    """Every group's records behind (counted), by group name (default: the pipeline's).

    A broker that fails the count raises ``BrokerUnavailable``: callers above the broker
    tooling never see aiokafka's errors.
    """
    groups = groups if groups is not None else pipeline_groups()
    try:
        async with admin_client(bootstrap, timeout_s) as admin:
            committed = {g: await _committed(admin, g) for g in groups}
        counted = await _count_behind(bootstrap, groups, committed)
    except KafkaError as exc:
        raise BrokerUnavailable(f"{bootstrap}: cannot count what is behind: {exc}") from exc
    return {
        group: GroupState(group=group, topic=groups[group], behind=n, exact=exact)
        for group, (n, exact) in counted.items()
    }


async def _committed(admin: AIOKafkaAdminClient, group: str) -> dict[TopicPartition, int]:
    offsets = await admin.list_consumer_group_offsets(group)
    return {tp: meta.offset for tp, meta in offsets.items()}


def _partitions(topic: str) -> list[TopicPartition]:
    count = {s.name: s.partitions for s in topic_specs().values()}.get(topic, 1)
    return [TopicPartition(topic, p) for p in range(count)]


async def _count_behind(
    bootstrap: str, groups: Mapping[str, str], committed: Mapping[str, dict[TopicPartition, int]]
) -> dict[str, tuple[int, bool]]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, isolation_level="read_committed",
        enable_auto_commit=False, auto_offset_reset="earliest", client_id="apigen-backlog",
    )  # fmt: skip
    await consumer.start()
    try:
        wanted = sorted({tp for topic in set(groups.values()) for tp in _partitions(topic)})
        beginnings = await consumer.beginning_offsets(wanted)
        ends = await consumer.end_offsets(wanted)
        deadline = time.monotonic() + COUNT_BUDGET_S
        result: dict[str, tuple[int, bool]] = {}
        for group, topic in groups.items():
            spans = {
                tp: (ends[tp] - n, ends[tp])
                for tp in _partitions(topic)
                if (n := gap(committed[group].get(tp), beginnings[tp], ends[tp]))
            }
            result[group] = await _count(consumer, spans, deadline)
        return result
    finally:
        await consumer.stop()


async def _count(
    consumer: AIOKafkaConsumer, spans: Mapping[TopicPartition, tuple[int, int]], deadline: float
) -> tuple[int, bool]:
    """Committed records in the [first, end) spans, read at once; inexact past the caps.

    Only records count: a span holding nothing but a commit marker counts 0.
    """
    counted = dict.fromkeys(spans, 0)
    reading = {tp: span for tp, span in spans.items() if span[1] - span[0] <= COUNT_CAP}
    estimate = sum(end - first for tp, (first, end) in spans.items() if tp not in reading)
    if reading:
        consumer.assign(list(reading))
        for tp, (first, _) in reading.items():
            consumer.seek(tp, first)
    while reading and time.monotonic() < deadline:
        batch = await consumer.getmany(*reading, timeout_ms=FETCH_MS, max_records=5_000)
        for tp, records in batch.items():
            counted[tp] += sum(1 for r in records if r.offset < reading[tp][1])
        for tp in list(reading):
            if await consumer.position(tp) >= reading[tp][1]:
                del reading[tp]
    # Past the time budget: what was not read yet is taken at its offset difference.
    for tp, (_, end) in reading.items():
        estimate += max(0, end - await consumer.position(tp))
    return sum(counted.values()) + estimate, not reading and not estimate


def total_behind(states: Iterable[GroupState]) -> int:
    """Records behind over all groups."""
    return sum(s.behind for s in states)
