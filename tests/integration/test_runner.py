"""The stage runner against a real broker: delivery, dead letters, state recovery, metrics.

The helpers here (producing, reading ``read_committed``, worker processes) are shared with the
chaos tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import aiohttp
import anyio
import msgspec
import pytest
from aiokafka import AIOKafkaProducer

from apigen_stream import metrics, reasons, topics
from apigen_stream.broker.admin import create_topic
from apigen_stream.config import Config, KafkaConfig, ServeConfig
from apigen_stream.engine.codec import encode
from apigen_stream.engine.partitions import StopCondition
from apigen_stream.engine.runner import StageRunner
from apigen_stream.engine.serve import serve_http
from apigen_stream.records import Candidate, DeadLetter, Rejection
from apigen_stream.spec import DEDUP_SEEN, changelog_topic
from apigen_stream.topics import topic_specs
from tests.support.kafka import read_committed
from tests.support.test_stages import BOOM, Relay, Seen

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

MakeTopic = Callable[..., str]
# Seconds a whole test may wait for its records to come through: generous for a loaded host.
WAIT_S = 120.0
# Seconds to wait after the last expected record shows before the final read.
SETTLE_S = 1.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def record_id(prefix: str, number: int) -> str:
    """Test ids end in a number, as the test stages expect."""
    return f"{prefix}-{number:06d}"


def candidates(prefix: str, count: int, start: int = 0) -> list[bytes]:
    """Encoded candidates ``prefix-000000`` ... with distinct queries."""
    return [
        encode(Candidate(id=record_id(prefix, i), query=f"query {i}"))
        for i in range(start, start + count)
    ]


async def produce(
    bootstrap: str, topic: str, values: Iterable[bytes], keys: Iterable[bytes] | None = None
) -> int:
    """Send ``values`` (keyed by ``keys``, else by position) and wait for every ack."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20, acks="all")
    await producer.start()
    try:
        key_list = list(keys) if keys is not None else None
        futures = []
        for i, value in enumerate(values):
            key = key_list[i] if key_list is not None else str(i).encode()
            futures.append(await producer.send(topic, value, key=key))
        for future in futures:
            await future
        return len(futures)
    finally:
        await producer.stop()


PARTITIONS: dict[str, int] = {}


def partition_count(topic: str) -> int:
    """Partitions of a project topic (from its spec) or of a test topic made by ``make``."""
    specs = {spec.name: spec.partitions for spec in topic_specs().values()}
    return specs.get(topic) or PARTITIONS[topic]


def make(make_topic: MakeTopic, prefix: str, partitions: int) -> str:
    """A unique test topic, remembered with its partition count."""
    name = make_topic(prefix, partitions=partitions)
    PARTITIONS[name] = partitions
    return name


def lane(make_topic: MakeTopic, stage: str, partitions: int = 3) -> tuple[str, str, str, str]:
    """A test stage's own input and output topics, record id prefix, and name (its group)."""
    topic_in = make(make_topic, "t.in", partitions)
    topic_out = make(make_topic, "t.out", partitions)
    tag = uuid.uuid4().hex[:8]
    return topic_in, topic_out, f"x{tag}", f"{stage}-{tag}"


Select = Callable[[Any], str | None]


async def settled(
    bootstrap: str, topics_: Iterable[str], select: Select, expected: int,
    timeout_s: float = WAIT_S,
) -> Counter[str]:  # fmt: skip
    """How often each label ``select`` gives occurs over ``topics_``, once ``expected`` show.

    Transaction markers land shortly after a commit returns, so committed records become
    visible to readers a moment later: read until ``expected`` distinct labels are there (or
    time is up), then once more after a pause, so that late duplicates would show too.
    """
    names = list(topics_)

    async def read() -> Counter[str]:
        found: Counter[str] = Counter()
        for name in names:
            for record in await read_committed(bootstrap, name, partition_count(name)):
                label = select(record)
                if label is not None:
                    found[label] += 1
        return found

    with anyio.move_on_after(timeout_s):
        while len(await read()) < expected:  # noqa: ASYNC110 (polling a broker, not a flag)
            await anyio.sleep(0.5)
    await anyio.sleep(SETTLE_S)
    return await read()


def by_prefix(prefix: str) -> Select:
    """Selects records (candidates, rejections) by id prefix; the label is the id."""

    def select(record: Any) -> str | None:
        rid = str(msgspec.json.decode(record.value).get("id", ""))
        return rid if rid.startswith(prefix + "-") else None

    return select


async def settled_ids(
    bootstrap: str, topics_: Iterable[str], prefix: str, expected: int
) -> Counter[str]:
    """How often each id with ``prefix`` occurs over ``topics_``, once ``expected`` show."""
    return await settled(bootstrap, topics_, by_prefix(prefix), expected)


def ids_of(records: Iterable[Any], prefix: str) -> Counter[str]:
    """How often each id with ``prefix`` occurs among candidate or rejection records."""
    found: Counter[str] = Counter()
    for record in records:
        data = msgspec.json.decode(record.value)
        rid = data.get("id", "")
        if rid.startswith(prefix + "-"):
            found[rid] += 1
    return found


def test_env(stage: str, topic_in: str, topic_out: str) -> dict[str, str]:
    """The environment telling a test stage its name and topics."""
    return {
        "APIGEN_TEST_STAGE": stage,
        "APIGEN_TEST_TOPIC_IN": topic_in,
        "APIGEN_TEST_TOPIC_OUT": topic_out,
    }


test_env.__test__ = False  # type: ignore[attr-defined]


class Worker:
    """``apigen-stream run --stage ...`` as a child process, for kill and restart."""

    def __init__(
        self, bootstrap: str, factory: str, env: Mapping[str, str], *args: str, replica: str = "a"
    ):
        command = [
            sys.executable, "-m", "apigen_stream.cli", "run", "--stage",
            f"tests.support.test_stages:{factory}", "--bootstrap", bootstrap,
            "--replica-id", replica, "--metrics-port", "0", *args,
        ]  # fmt: skip
        environ = {
            **os.environ,
            **env,
            "APIGEN__KAFKA__SESSION_TIMEOUT_MS": "6000",
            "APIGEN__KAFKA__BATCH_SIZE": "500",
        }
        self.process = subprocess.Popen(
            command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )

    def metrics_address(self) -> str:
        """The address the worker printed (blocks until it did)."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.startswith("metrics="), line
        return line.removeprefix("metrics=")

    def kill(self) -> None:
        """SIGKILL: no drain, no commit."""
        self.process.kill()
        self.process.wait(timeout=30)
        self.close()

    def terminate(self, timeout_s: float = 60.0) -> tuple[int, float]:
        """SIGTERM; returns the exit code and the seconds it took to exit."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout_s)
        took = time.monotonic() - started
        self.close()
        return code, took

    def close(self) -> None:
        """Make sure the process is gone."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _config(bootstrap: str, **kafka: Any) -> Config:
    settings = {"bootstrap": bootstrap, "session_timeout_ms": 6000, **kafka}
    return Config(kafka=msgspec.convert(settings, KafkaConfig), serve=ServeConfig(port=0))


def _records_total(stage: str, outcome: str, reason: str) -> float:
    value = metrics.RECORDS.labels(stage, outcome, reason)._value.get()
    return float(value)


async def _scrape(address: str, stage: str) -> dict[tuple[str, str], float]:
    async with aiohttp.ClientSession() as http, http.get(f"{address}/metrics") as response:
        text = await response.text()
    found: dict[tuple[str, str], float] = {}
    for line in text.splitlines():
        if line.startswith("apigen_records_total{") and f'stage="{stage}"' in line:
            labels, value = line.rsplit(" ", 1)
            outcome = labels.split('outcome="', 1)[1].split('"', 1)[0]
            reason = labels.split('reason="', 1)[1].split('"', 1)[0]
            found[(outcome, reason)] = float(value)
    return found


async def test_relay_delivers_each_record_once_and_dead_letters_bad_input(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic_in, topic_out, prefix, name = lane(make_topic, "relay")
    good = candidates(prefix, 300)
    boom = encode(Candidate(id=record_id(prefix, 900), query=BOOM))
    bad = [b"\xff not json", b'{"type": "candidate", "id": 5}', boom]
    await produce(kafka_bootstrap, topic_in, [*good[:150], *bad, *good[150:]])
    stage = Relay(name, topic_in, topic_out)
    runner = StageRunner(stage, _config(kafka_bootstrap), until=StopCondition(count=303))
    async with serve_http(ServeConfig(port=0), lambda: runner.ready) as address:
        with anyio.fail_after(WAIT_S):
            await runner.run()
        scraped = await _scrape(address, name)
    out = await settled_ids(kafka_bootstrap, [topic_out], prefix, 300)
    assert out == Counter({record_id(prefix, i): 1 for i in range(300)})

    def dead(record: Any) -> str | None:
        letter = msgspec.json.decode(record.value, type=DeadLetter)
        return letter.reason if letter.stage == name else None

    letters = await settled(kafka_bootstrap, [topics.DLQ], dead, 3)
    assert letters == Counter(
        {reasons.UNDECODABLE: 1, reasons.SCHEMA_VIOLATION: 1, reasons.HANDLER_ERROR: 1}
    )
    assert scraped[("accepted", "")] == 300
    assert scraped[("dead_letter", reasons.UNDECODABLE)] == 1
    assert scraped[("dead_letter", reasons.HANDLER_ERROR)] == 1
    assert _records_total(name, "dead_letter", reasons.SCHEMA_VIOLATION) == 1


async def test_backpressure_pauses_and_resumes_without_loss_or_duplicates(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic_in, topic_out, prefix, name = lane(make_topic, "relay")
    total = 2_000
    await produce(kafka_bootstrap, topic_in, candidates(prefix, total))
    # A limit below one fetch: fetching pauses and resumes many times over the run.
    config = _config(kafka_bootstrap, batch_size=50, max_in_flight=60)
    stage = Relay(name, topic_in, topic_out)
    runner = StageRunner(stage, config, until=StopCondition(count=total))
    pauses = 0
    decide = runner._flow.decide

    def counting(held: bool = False) -> bool | None:
        nonlocal pauses
        decision = decide(held)
        pauses += decision is True
        return decision

    runner._flow.decide = counting  # type: ignore[method-assign]
    with anyio.fail_after(WAIT_S):
        await runner.run()
    assert pauses >= 5
    out = await settled_ids(kafka_bootstrap, [topic_out], prefix, total)
    assert out == Counter({record_id(prefix, i): 1 for i in range(total)})


async def test_stateful_stage_rebuilds_its_state_from_the_changelog(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic_in, topic_out, prefix, name = lane(make_topic, "seen", 2)
    changelog = changelog_topic(name, DEDUP_SEEN.name)
    await create_topic(kafka_bootstrap, changelog, 2, {"cleanup.policy": "compact"})

    # Queries repeat across the two runs: the second run must remember the first. Keyed by
    # query, as apigen.formatted is keyed by content, so one partition sees every copy.
    def batch(start: int) -> tuple[list[bytes], list[bytes]]:
        records = [
            Candidate(id=record_id(prefix, i), query=f"{prefix} q{i % 50}")
            for i in range(start, start + 100)
        ]
        return [encode(r) for r in records], [r.query.encode() for r in records]

    await produce(kafka_bootstrap, topic_in, *batch(0))
    for run in range(2):
        stage = Seen(name, topic_in, topic_out)
        runner = StageRunner(stage, _config(kafka_bootstrap), until=StopCondition(count=100))
        with anyio.fail_after(WAIT_S):
            await runner.run()
        if run == 0:
            await produce(kafka_bootstrap, topic_in, *batch(100))
    await settled_ids(kafka_bootstrap, [topic_out, topics.REJECTED], prefix, 200)
    accepted = ids_of(
        await read_committed(kafka_bootstrap, topic_out, partition_count(topic_out)), prefix
    )
    rejected = [
        msgspec.json.decode(r.value, type=Rejection)
        for r in await read_committed(kafka_bootstrap, topics.REJECTED)
    ]
    duplicates = Counter(r.id for r in rejected if r.stage == name and r.reason == "duplicate")
    # Each query is first seen once over both runs; every later copy is a duplicate.
    assert len(accepted) == 50
    assert len(duplicates) == 150
    assert set(accepted).isdisjoint(duplicates)
    assert max(accepted.values()) == 1 and max(duplicates.values()) == 1


async def test_sigterm_under_load_exits_soon_with_its_work_committed(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic_in, topic_out, prefix, name = lane(make_topic, "relay")
    total = 20_000
    await produce(kafka_bootstrap, topic_in, candidates(prefix, total))
    worker = Worker(kafka_bootstrap, "open_relay", test_env(name, topic_in, topic_out))
    try:
        worker.metrics_address()
        # Some committed output: the worker is in the middle of the 20,000.
        await settled_ids(kafka_bootstrap, [topic_out], prefix, 1)
        code, took = worker.terminate()
    finally:
        worker.close()
    assert code == 0
    # The drain bound (kafka.drain_timeout_s) plus leaving the group and closing producers.
    assert took < 30.0
    done = ids_of(
        await read_committed(kafka_bootstrap, topic_out, partition_count(topic_out)), prefix
    )
    assert max(done.values()) == 1
    # What it finished is committed: a restart picks up exactly where it stopped.
    rest = Worker(kafka_bootstrap, "open_relay", test_env(name, topic_in, topic_out),
                  "--idle-timeout", "5")  # fmt: skip
    try:
        assert rest.process.wait(timeout=WAIT_S) == 0
    finally:
        rest.close()
    final = await settled_ids(kafka_bootstrap, [topic_out], prefix, total)
    assert final == Counter({record_id(prefix, i): 1 for i in range(total)})
