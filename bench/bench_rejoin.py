"""Redo delay after a SIGKILL: dynamic group membership against static membership.

Two replicas of a pass-through stage share a 6-partition topic fed steadily (records say their
input partition and when they were produced). Replica ``a`` is SIGKILLed and started again at
once with the same ``--replica-id``, as ``up`` would restart it. For every input partition, the
delay is the time from the kill to the first output of a record produced after the kill; the
figure is the slowest partition's (replica ``a``'s partitions are the slow ones). Dynamic
members wait for the broker to notice the dead member (the session timeout, 10 s by default)
and rebalance; a static member comes back under its old id and gets its partitions at once.
Both runs share one broker and differ only in ``kafka.static_membership``. The restarted
replica's own start-up (until its ``/readyz``) is printed too: with static membership it is
most of the delay.

Uses ``APIGEN_BENCH_BOOTSTRAP`` if set, else starts a ``LocalKafka``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import anyio
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from apigen_stream.broker.admin import apply_topics, create_topic
from apigen_stream.broker.local import LocalKafka, default_cache_dir
from apigen_stream.engine.codec import decode, encode
from apigen_stream.records import Candidate
from apigen_stream.topics import topic_specs
from bench.pipeline_procs import _ready, _served_address

PARTITIONS = 6
# Records a second fed to the stage: enough that every partition has work at all times.
RATE = 120.0
# Seconds of feeding, both replicas ready, before the kill.
SETTLE_S = 5.0
# Seconds to wait for every partition to move again after the kill.
LIMIT_S = 60.0
REPO = Path(__file__).resolve().parents[1]


class Run:
    """One measurement: topics of its own, two replicas, a feeder and a tail."""

    def __init__(self, bootstrap: str, static: bool, logs: Path) -> None:
        tag = uuid.uuid4().hex[:8]
        self.bootstrap, self.static, self.logs = bootstrap, static, logs
        self.topic_in, self.topic_out = f"bench.rejoin.in.{tag}", f"bench.rejoin.out.{tag}"
        self.env = {**os.environ, "APIGEN_TEST_STAGE": f"rejoin-{tag}",
                    "APIGEN_TEST_TOPIC_IN": self.topic_in, "APIGEN_TEST_TOPIC_OUT": self.topic_out,
                    "APIGEN__KAFKA__STATIC_MEMBERSHIP": "true" if static else "false"}  # fmt: skip
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.killed_at = 0.0
        self.first_after: dict[int, float] = {}

    def start(self, replica: str) -> None:
        command = [sys.executable, "-m", "apigen_stream.cli", "-v", "run", "--stage",
                   "tests.support.test_stages:open_relay", "--bootstrap", self.bootstrap,
                   "--replica-id", replica, "--metrics-port", "0"]  # fmt: skip
        with self.log(replica).open("ab") as out:
            self.procs[replica] = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=out,
                                                   stderr=subprocess.STDOUT)  # fmt: skip

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    async def feed(self, until: anyio.Event) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, linger_ms=5)
        await producer.start()
        try:
            n = 0
            while not until.is_set():
                partition = n % PARTITIONS
                record = Candidate(id=f"p{partition}-{n:09d}", query="q", created_at=time.time())
                await producer.send(self.topic_in, encode(record), partition=partition)
                n += 1
                await anyio.sleep(1 / RATE)
        finally:
            await producer.stop()

    async def tail(self, until: anyio.Event) -> None:
        consumer = AIOKafkaConsumer(self.topic_out, bootstrap_servers=self.bootstrap,
                                    isolation_level="read_committed",
                                    auto_offset_reset="earliest")  # fmt: skip
        await consumer.start()
        try:
            while not until.is_set():
                for records in (await consumer.getmany(timeout_ms=100)).values():
                    for message in records:
                        self._seen(decode(Candidate, message.value), time.monotonic())
                if self.killed_at and len(self.first_after) == PARTITIONS:
                    until.set()
        finally:
            await consumer.stop()

    def _seen(self, record: Candidate, now: float) -> None:
        partition = int(record.id.split("-")[0].removeprefix("p"))
        produced_after = record.created_at > self.killed_wall
        if self.killed_at and produced_after and partition not in self.first_after:
            self.first_after[partition] = now - self.killed_at

    def log(self, replica: str) -> Path:
        return self.logs / f"{replica}-{self.static}.log"

    async def ready(self, replica: str, offset: int = 0) -> None:
        """Until the replica started at ``offset`` of its log answers /readyz."""
        await _ready(await _served_address(self.log(replica), offset))

    async def measure(self) -> tuple[float, float]:
        """(slowest partition's redo delay, the restarted replica's time to ready)."""
        await create_topic(self.bootstrap, self.topic_in, PARTITIONS, {})
        await create_topic(self.bootstrap, self.topic_out, PARTITIONS, {})
        self.killed_wall = float("inf")
        self.start("a")
        self.start("b")
        done = anyio.Event()
        try:
            await self.ready("a")
            await self.ready("b")
            async with anyio.create_task_group() as tg:
                tg.start_soon(self.feed, done)
                tg.start_soon(self.tail, done)
                await anyio.sleep(SETTLE_S)
                self.procs["a"].kill()
                self.killed_wall, self.killed_at = time.time(), time.monotonic()
                self.procs["a"].wait()
                offset = self.log("a").stat().st_size
                self.start("a")
                await self.ready("a", offset)
                ready_after = time.monotonic() - self.killed_at
                with anyio.move_on_after(LIMIT_S):
                    await done.wait()
                done.set()
        finally:
            self.stop()
        slowest = max(self.first_after.values()) if len(self.first_after) == PARTITIONS else LIMIT_S
        return slowest, ready_after


async def measure(bootstrap: str, logs: Path) -> None:
    await apply_topics(bootstrap, topic_specs())
    dynamic, dynamic_ready = await Run(bootstrap, False, logs).measure()
    static, static_ready = await Run(bootstrap, True, logs).measure()
    print("slowest partition processed again after a SIGKILL and an immediate restart "
          "(restarted replica ready after):\n"
          f"  dynamic membership: {dynamic:.2f} s  ({dynamic_ready:.2f} s)\n"
          f"  static membership:  {static:.2f} s  ({static_ready:.2f} s)\n"
          f"  ratio static/dynamic: {static / dynamic:.2f}", flush=True)  # fmt: skip


def main() -> None:
    """Measure both, print the delays and their ratio."""
    with tempfile.TemporaryDirectory(prefix="bench-rejoin-") as tmp:
        logs = Path(tmp)
        bootstrap = os.environ.get("APIGEN_BENCH_BOOTSTRAP", "")
        broker = None
        if not bootstrap:
            broker = LocalKafka(logs / "kafka", cache_dir=default_cache_dir(os.environ))
            bootstrap = broker.start()
        try:
            anyio.run(measure, bootstrap, logs)
        finally:
            if broker is not None:
                broker.stop()


if __name__ == "__main__":
    main()
