"""Fixtures for tests against a real Kafka broker (registered for all tests by tests/conftest.py).

``kafka_bootstrap`` is the address of a broker that has every topic of ``topics/topics.toml``:
the one named by ``APIGEN_TEST_BOOTSTRAP`` if set, else a ``LocalKafka`` this session starts in
a temporary directory on a free port (fetching the jars with Maven on first use) and stops by
pid at the end. ``local_kafka`` is that broker object, for tests that stop and restart it.
``make_topic`` creates uniquely named extra topics.
"""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections.abc import Callable, Coroutine, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import Any, TypeVar

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from apigen_stream.broker.admin import apply_topics, check_broker, create_topic
from apigen_stream.broker.local import LocalKafka, default_cache_dir
from apigen_stream.topics import topic_specs

BOOTSTRAP_ENV = "APIGEN_TEST_BOOTSTRAP"
# An external broker given to the suite should already be up: a short wait is plenty.
EXTERNAL_BROKER_TIMEOUT_S = 30.0

T = TypeVar("T")
MakeTopic = Callable[..., str]


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even inside a running event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="session")
def _kafka_session(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, LocalKafka | None]]:
    external = os.environ.get(BOOTSTRAP_ENV)
    if external:
        run_sync(check_broker(external, EXTERNAL_BROKER_TIMEOUT_S))
        run_sync(apply_topics(external, topic_specs()))
        yield external, None
        return
    broker = LocalKafka(tmp_path_factory.mktemp("kafka"), cache_dir=default_cache_dir(os.environ))
    # A SIGTERM'd run (a cancelled CI job) would end without teardown and leave the broker
    # running: take it as Ctrl-C, which pytest answers by tearing its fixtures down.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    bootstrap = broker.start()
    try:
        run_sync(apply_topics(bootstrap, topic_specs()))
        yield bootstrap, broker
    finally:
        broker.stop()
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def kafka_bootstrap(_kafka_session: tuple[str, LocalKafka | None]) -> str:
    """``127.0.0.1:PORT`` of a broker with every topic of ``topics/topics.toml``."""
    return _kafka_session[0]


@pytest.fixture(scope="session")
def local_kafka(_kafka_session: tuple[str, LocalKafka | None]) -> LocalKafka:
    """The session's ``LocalKafka`` (``restart()`` keeps its port and data)."""
    broker = _kafka_session[1]
    if broker is None:
        pytest.skip(f"{BOOTSTRAP_ENV} names an external broker: this test must restart it")
    return broker


@pytest.fixture
def make_topic(kafka_bootstrap: str) -> MakeTopic:
    """Create a topic with a unique name: ``make_topic("prefix", partitions=3, configs={})``."""

    def make(
        prefix: str = "test", partitions: int = 1, configs: Mapping[str, str] | None = None
    ) -> str:
        name = f"{prefix}.{uuid.uuid4().hex[:12]}"
        run_sync(create_topic(kafka_bootstrap, name, partitions, configs))
        return name

    return make


async def read_committed(bootstrap: str, topic: str, partitions: int | None = None) -> list[Any]:
    """Every committed record of ``topic`` now, read by a fresh consumer without a group.

    ``partitions`` defaults to the count in ``topics/topics.toml``; tests' own topics pass theirs.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, isolation_level="read_committed",
        enable_auto_commit=False, auto_offset_reset="earliest",
    )  # fmt: skip
    await consumer.start()
    try:
        if partitions is None:
            partitions = {spec.name: spec.partitions for spec in topic_specs().values()}[topic]
        assigned = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(assigned)
        ends = await consumer.end_offsets(assigned)
        # No seek_to_beginning: it races the initial offset reset; "earliest" starts there.
        records: list[Any] = []
        for tp in assigned:
            while await consumer.position(tp) < ends[tp]:
                batch = await consumer.getmany(tp, timeout_ms=1000, max_records=5000)
                records.extend(batch.get(tp, []))
        return records
    finally:
        await consumer.stop()


async def produce_values(bootstrap: str, topic: str, values: list[bytes]) -> None:
    """Send ``values`` to ``topic`` one by one, each acknowledged by every replica."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value)
    finally:
        await producer.stop()
