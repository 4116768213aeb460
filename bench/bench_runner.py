"""Stage runner, pass-through, exactly-once: our runner against a hand-written aiokafka loop.

Both read the same number of records from a topic of their own, with the same batch size, and
write each record to an output topic in Kafka transactions that also commit the input offsets.
The baseline is the minimal loop (one consumer, one transactional producer, one transaction
per poll); ours is ``StageRunner`` with a relay stage. Rounds alternate (ABAB) on a shared,
noisy host; each round gives records/s of wall time and this process's CPU time per record
(the broker runs apart), and the ratios ours over baseline are reported as min and median
(goal: >= 0.8). Uses ``APIGEN_BENCH_BOOTSTRAP`` if set, else starts a ``LocalKafka``.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import NamedTuple

import anyio
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from apigen_stream.broker.admin import apply_topics, create_topic
from apigen_stream.broker.local import LocalKafka, default_cache_dir
from apigen_stream.config import Config, KafkaConfig
from apigen_stream.engine.codec import encode
from apigen_stream.engine.partitions import StopCondition
from apigen_stream.engine.runner import StageRunner
from apigen_stream.records import Candidate
from apigen_stream.topics import topic_specs
from tests.support.test_stages import Relay

# Enough records for several seconds of work per side on a shared 2-core host.
RECORDS = 20_000
# The project's default batch size, for both sides.
BATCH = 200
PARTITIONS = 6
# Rounds per side, interleaved.
ROUNDS = 3


async def _fill(bootstrap: str, topic: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20, acks="all")
    await producer.start()
    try:
        for i in range(RECORDS):
            value = encode(Candidate(id=f"b-{i:06d}", query=f"query {i}"))
            await producer.send(topic, value, key=str(i).encode())
        await producer.flush()
    finally:
        await producer.stop()


async def _topics(bootstrap: str, name: str) -> tuple[str, str]:
    topic_in, topic_out = (
        f"bench.{name}.in.{uuid.uuid4().hex[:8]}",
        f"bench.{name}.out.{uuid.uuid4().hex[:8]}",
    )
    await create_topic(bootstrap, topic_in, PARTITIONS, None)
    await create_topic(bootstrap, topic_out, PARTITIONS, None)
    await _fill(bootstrap, topic_in)
    return topic_in, topic_out


class Round(NamedTuple):
    """One side's round: records per second of wall time, CPU microseconds per record."""

    rate: float
    cpu_us: float


def _round(started: float, cpu: float) -> Round:
    wall = time.perf_counter() - started
    return Round(RECORDS / wall, (time.process_time() - cpu) * 1e6 / RECORDS)


async def baseline(bootstrap: str) -> Round:
    """A round of the hand-written consume -> transactional produce loop."""
    topic_in, topic_out = await _topics(bootstrap, "baseline")
    group = f"bench-baseline-{uuid.uuid4().hex[:8]}"
    consumer = AIOKafkaConsumer(
        topic_in, bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
        isolation_level="read_committed", auto_offset_reset="earliest", max_poll_records=BATCH,
    )  # fmt: skip
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, transactional_id=group)
    started, cpu = time.perf_counter(), time.process_time()
    await consumer.start()
    await producer.start()
    done = 0
    try:
        while done < RECORDS:
            fetched = await consumer.getmany(timeout_ms=200, max_records=BATCH)
            if not fetched:
                continue
            async with producer.transaction():
                offsets = {}
                for tp, messages in fetched.items():
                    for message in messages:
                        await producer.send(topic_out, message.value, key=message.key)
                    offsets[tp] = messages[-1].offset + 1
                    done += len(messages)
                await producer.send_offsets_to_transaction(offsets, group)
    finally:
        await producer.stop()
        await consumer.stop()
    return _round(started, cpu)


async def ours(bootstrap: str) -> Round:
    """A round of ``StageRunner`` running a pass-through stage."""
    topic_in, topic_out = await _topics(bootstrap, "runner")
    name = f"bench-runner-{uuid.uuid4().hex[:8]}"
    config = Config(kafka=KafkaConfig(bootstrap=bootstrap, batch_size=BATCH))
    runner = StageRunner(
        Relay(name, topic_in, topic_out), config, until=StopCondition(count=RECORDS)
    )
    started, cpu = time.perf_counter(), time.process_time()
    await runner.run()
    return _round(started, cpu)


async def _measure(bootstrap: str) -> None:
    # A stage checks at start that the topics it may write exist (rejections, dead letters).
    await apply_topics(bootstrap, topic_specs())
    # The first group and the first transactions of a fresh broker pay for loading the
    # coordinators: a throw-away round keeps that cost out of both figures.
    await baseline(bootstrap)
    pairs = [(await baseline(bootstrap), await ours(bootstrap)) for _ in range(ROUNDS)]
    for base, mine in pairs:
        print(f"hand-written loop {base.rate:8,.0f}/s, {base.cpu_us:5.1f} µs CPU a record;"
              f" stage runner {mine.rate:8,.0f}/s, {mine.cpu_us:5.1f} µs")  # fmt: skip
    wall = [mine.rate / base.rate for base, mine in pairs]
    cpu = [base.cpu_us / mine.cpu_us for base, mine in pairs]
    print(f"ratio, wall: min {min(wall):.2f} median {statistics.median(wall):.2f};"
          f" CPU: min {min(cpu):.2f} median {statistics.median(cpu):.2f}"
          f" (goal >= 0.8; {RECORDS} records, batch {BATCH})")  # fmt: skip


def main() -> None:
    """Run both sides once, one after the other, on one broker."""
    external = os.environ.get("APIGEN_BENCH_BOOTSTRAP")
    if external:
        anyio.run(_measure, external)
        return
    with tempfile.TemporaryDirectory() as data:
        broker = LocalKafka(Path(data), cache_dir=default_cache_dir(os.environ))
        bootstrap = broker.start()
        try:
            anyio.run(_measure, bootstrap)
        finally:
            broker.stop()


if __name__ == "__main__":
    main()
