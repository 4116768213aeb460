"""The local broker: ``kafka up``/``down`` from the command line, and a restart keeps data."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from apigen_stream.broker.admin import check_broker
from apigen_stream.broker.local import LocalKafka
from apigen_stream.errors import BrokerUnavailable
from tests.support.kafka import MakeTopic, produce_values, run_sync

pytestmark = pytest.mark.integration

# Development mode shows ResourceWarnings, e.g. of a broker process handle left behind.
CLI = [sys.executable, "-X", "dev", "-m", "apigen_stream.cli"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300, check=False)


async def _consume_all(bootstrap: str, topic: str, count: int) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    values: list[bytes] = []
    try:
        while len(values) < count:
            batches = await consumer.getmany(timeout_ms=10_000)
            if not batches:
                break
            values += [m.value for msgs in batches.values() for m in msgs if m.value is not None]
    finally:
        await consumer.stop()
    return values


def test_cli_up_prints_bootstrap_and_down_stops(tmp_path: Path) -> None:
    data_dir = tmp_path / "kafka"
    up = _cli("kafka", "up", "--data-dir", str(data_dir))
    try:
        assert up.returncode == 0, up.stderr
        assert up.stderr == ""
        match = re.fullmatch(r"bootstrap=(127\.0\.0\.1:\d+)", up.stdout.strip())
        assert match is not None, up.stdout
        bootstrap = match.group(1)
        run_sync(check_broker(bootstrap, 10.0))
        status = _cli("kafka", "status", "--data-dir", str(data_dir))
        assert status.returncode == 0 and f"bootstrap={bootstrap}" in status.stdout
        again = _cli("kafka", "up", "--data-dir", str(data_dir))
        assert again.stdout.strip() == f"bootstrap={bootstrap}"  # already running: same broker
    finally:
        down = _cli("kafka", "down", "--data-dir", str(data_dir))
    assert down.returncode == 0 and down.stdout.startswith("stopped pid=")
    assert not (data_dir / "kafka.pid").exists()
    with pytest.raises(BrokerUnavailable):
        run_sync(check_broker(bootstrap, 1.0))
    assert _cli("kafka", "status", "--data-dir", str(data_dir)).returncode == 3
    assert _cli("kafka", "down", "--data-dir", str(data_dir)).stdout.strip() == "not running"


def test_restart_keeps_port_and_data(local_kafka: LocalKafka, make_topic: MakeTopic) -> None:
    topic = make_topic("test.restart", partitions=2)
    before = local_kafka.bootstrap
    run_sync(produce_values(before, topic, [b"one", b"two", b"three"]))
    old_pid = local_kafka.pid()
    assert local_kafka.restart() == before
    assert local_kafka.pid() not in (None, old_pid)
    values = run_sync(_consume_all(before, topic, 3))
    assert sorted(values) == [b"one", b"three", b"two"]


def test_busy_port_is_one_clear_error(tmp_path: Path, local_kafka: LocalKafka) -> None:
    up = _cli("kafka", "up", "--data-dir", str(tmp_path / "k"), "--port", str(local_kafka.port))
    assert up.returncode == 2
    assert (
        up.stderr.strip() == f"apigen-stream: error: port {local_kafka.port} on 127.0.0.1 is busy"
    )
    assert not (tmp_path / "k" / "kafka.pid").exists()


async def _transaction_round_trip(bootstrap: str, topic: str) -> tuple[list[bytes], float]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, transactional_id=f"{topic}-txn")
    await producer.start()
    try:
        await producer.begin_transaction()
        await producer.send(topic, b"aborted-never-seen")
        await producer.abort_transaction()
        async with producer.transaction():
            await producer.send(topic, b"committed")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"{topic}-group",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    started = time.monotonic()
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=10_000)
        joined_s = time.monotonic() - started
    finally:
        await consumer.stop()
    return [m.value for msgs in batches.values() for m in msgs if m.value is not None], joined_s


def test_single_node_supports_transactions_and_fast_group_join(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic = make_topic("test.txn")
    values, joined_s = run_sync(_transaction_round_trip(kafka_bootstrap, topic))
    assert values == [b"committed"]
    # group.initial.rebalance.delay.ms=0: no 3 s wait for other members on the first join.
    assert joined_s < 3.0
