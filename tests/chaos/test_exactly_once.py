"""A chain of two stages over real Kafka while workers are killed, replicas come and go, and
the broker restarts: every input id comes out exactly once (at-least-once: none missing)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable

import anyio
import pytest
from aiokafka import AIOKafkaProducer

from apigen_stream import topics
from apigen_stream.broker.local import LocalKafka
from tests.integration.test_runner import (
    MakeTopic,
    Worker,
    candidates,
    make,
    record_id,
    settled_ids,
    test_env,
)
from tests.support.test_stages import number

pytestmark = [pytest.mark.chaos, pytest.mark.integration, pytest.mark.anyio]

TOTAL = 20_000
# Records are produced in small chunks all through the disruptions, so that every kill hits a
# busy worker.
CHUNK = 100
# Seconds between disruptions: long enough for a rebalance (session timeout 6 s) to start.
STEP_S = 2.5


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Chain:
    """relay (in -> mid) and parity (mid -> out, odd ids rejected) as worker processes."""

    def __init__(self, bootstrap: str, make_topic: MakeTopic, delivery: str):
        self.bootstrap = bootstrap
        self.prefix = f"x{uuid.uuid4().hex[:8]}"
        self.topic_in = make(make_topic, "t.in", 6)
        self.mid = make(make_topic, "t.mid", 6)
        self.out = make(make_topic, "t.out", 6)
        tag = uuid.uuid4().hex[:8]
        self.relay_env = test_env(f"relay-{tag}", self.topic_in, self.mid)
        self.parity_env = test_env(f"parity-{tag}", self.mid, self.out)
        self.args = ("--delivery", delivery)
        self.workers: dict[str, Worker] = {}
        self.kills = 0

    def start(self, name: str) -> None:
        factory, env = ("open_relay", self.relay_env) if name.startswith("relay") else (
            "open_parity", self.parity_env)  # fmt: skip
        self.workers[name] = Worker(self.bootstrap, factory, env, *self.args, replica=name)

    def kill(self, name: str) -> None:
        self.workers.pop(name).kill()
        self.kills += 1

    def restart(self, name: str) -> None:
        """SIGKILL a worker and start it again."""
        self.kill(name)
        self.start(name)

    def leave(self, name: str) -> None:
        code, _ = self.workers.pop(name).terminate()
        assert code == 0

    async def feed(self, duration_s: float) -> None:
        """Produce the records in small chunks over ``duration_s``: the chain stays busy."""
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, linger_ms=5, acks="all")
        await producer.start()
        try:
            chunks = TOTAL // CHUNK
            for index in range(chunks):
                for offset, value in enumerate(candidates(self.prefix, CHUNK, index * CHUNK)):
                    await producer.send(self.topic_in, value, key=str(offset).encode())
                await anyio.sleep(duration_s / chunks)
            await producer.flush()
        finally:
            await producer.stop()

    async def finish(self) -> tuple[Counter[str], Counter[str]]:
        """Wait for every id, stop the workers; returns the ids on mid and out+rejected."""
        try:
            final = await settled_ids(
                self.bootstrap, [self.out, topics.REJECTED], self.prefix, TOTAL
            )
            mid = await settled_ids(self.bootstrap, [self.mid], self.prefix, TOTAL)
        finally:
            for name in list(self.workers):
                self.leave(name)
        return mid, final

    def close(self) -> None:
        for worker in self.workers.values():
            worker.close()


async def _kills_and_rebalances(chain: Chain) -> None:
    for name in ("relay-a", "parity-a"):
        chain.start(name)
    steps: list[Callable[[], None]] = [
        lambda: chain.restart("relay-a"),
        lambda: chain.restart("parity-a"),
        lambda: chain.start("relay-b"),
        lambda: chain.restart("relay-a"),
        lambda: chain.leave("relay-b"),
    ]
    async with anyio.create_task_group() as tg:
        tg.start_soon(chain.feed, STEP_S * len(steps))
        for step in steps:
            await anyio.sleep(STEP_S)
            step()


async def _run(
    bootstrap: str, make_topic: MakeTopic, delivery: str,
    disrupt: Callable[[Chain], Awaitable[None]],
) -> tuple[Chain, Counter[str], Counter[str]]:  # fmt: skip
    chain = Chain(bootstrap, make_topic, delivery)
    try:
        await disrupt(chain)
        mid, final = await chain.finish()
    finally:
        chain.close()
    return chain, mid, final


def _expected(prefix: str) -> set[str]:
    return {record_id(prefix, i) for i in range(TOTAL)}


async def test_exactly_once_through_kills_and_rebalances(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    chain, mid, final = await _run(
        kafka_bootstrap, make_topic, "exactly_once", _kills_and_rebalances
    )
    assert chain.kills >= 3
    assert set(final) == _expected(chain.prefix)  # none missing
    assert [i for i, n in final.items() if n > 1] == []  # none twice
    assert set(mid) == _expected(chain.prefix) and max(mid.values()) == 1
    odd = {i for i in final if number(i) % 2}
    assert len(odd) == TOTAL // 2


async def test_at_least_once_loses_nothing(
    kafka_bootstrap: str, make_topic: MakeTopic, record_property: Callable[[str, object], None]
) -> None:
    chain, _, final = await _run(
        kafka_bootstrap, make_topic, "at_least_once", _kills_and_rebalances
    )
    assert set(final) == _expected(chain.prefix)
    duplicates = sum(final.values()) - len(final)
    record_property("at_least_once_duplicates", duplicates)
    print(f"at-least-once: {duplicates} duplicate outputs of {TOTAL} after {chain.kills} kills")


async def test_exactly_once_through_a_broker_restart(
    kafka_bootstrap: str, local_kafka: LocalKafka, make_topic: MakeTopic
) -> None:
    async def restart_broker(chain: Chain) -> None:
        for name in ("relay-a", "parity-a"):
            chain.start(name)
        async with anyio.create_task_group() as tg:
            tg.start_soon(chain.feed, STEP_S * 5)
            await anyio.sleep(STEP_S * 2)
            await anyio.to_thread.run_sync(local_kafka.restart)

    chain, mid, final = await _run(kafka_bootstrap, make_topic, "exactly_once", restart_broker)
    assert set(final) == _expected(chain.prefix)
    assert max(final.values()) == 1
    assert max(mid.values()) == 1
