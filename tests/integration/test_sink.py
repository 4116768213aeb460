"""The sink under SIGKILL: killed again and again while consuming, its files end up holding
every accepted sample exactly once."""

from __future__ import annotations

import collections
import json
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import anyio
import pytest
from aiokafka import AIOKafkaProducer

from apigen_stream import topics
from apigen_stream.engine.codec import encode
from apigen_stream.export.files import MANIFEST, read_manifest, read_rows
from apigen_stream.records import Call, Sample, Tool

pytestmark = [pytest.mark.integration]

SAMPLES = 6000
# Transactions the samples are produced in: several, so commit markers sit between batches.
TRANSACTIONS = 6
KILLS = 4
# Padding per query: makes each batch's fsync and manifest write take real time, so kills land
# mid-consumption rather than after it.
PADDING = "x" * 1500
WAIT_S = 120.0


def sample(prefix: str, i: int) -> Sample:
    tool = Tool(name="echo", parameters={"type": "object", "properties": {"text": {}}})
    return Sample(
        id=f"{prefix}-{i:06d}", style="simple", query=f"echo {i} {PADDING}",
        calls=[Call(name="echo", arguments={"text": str(i)})], tools=[tool],
    )  # fmt: skip


async def produce(bootstrap: str, prefix: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, transactional_id=f"sink-{prefix}")
    await producer.start()
    try:
        per = SAMPLES // TRANSACTIONS
        for t in range(TRANSACTIONS):
            async with producer.transaction():
                for i in range(t * per, (t + 1) * per):
                    s = sample(prefix, i)
                    await producer.send(topics.ACCEPTED, encode(s), key=s.id.encode())
    finally:
        await producer.stop()


def start_sink(bootstrap: str, out: Path, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "apigen_stream.cli",
        "run",
        "--stage",
        "sink",
        "--bootstrap",
        bootstrap,
        "--out",
        str(out),
        "--metrics-port",
        "0",
        *extra,
    ]
    with log.open("ab") as err:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)


def written(out: Path) -> int:
    manifest = read_manifest(out) if (out / MANIFEST).exists() else None
    return manifest.samples if manifest is not None else 0


def test_sigkilled_sink_keeps_every_sample_exactly_once(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    prefix = uuid.uuid4().hex[:10]
    out = tmp_path / "dataset"
    log = tmp_path / "sink.log"
    anyio.run(produce, kafka_bootstrap, prefix)
    progress: list[int] = []
    for k in range(KILLS):
        before = written(out)
        sink = start_sink(kafka_bootstrap, out, log)
        deadline = time.monotonic() + WAIT_S
        # Kill once this run has written something: mid-consumption, not before it started.
        while written(out) <= before + 200 and time.monotonic() < deadline:
            assert sink.poll() is None, log.read_text()[-3000:]
            time.sleep(0.01 * (k + 1))
        sink.send_signal(signal.SIGKILL)
        sink.wait()
        progress.append(written(out))
    # Each kill landed while there was still work: the runs after it had something to redo.
    assert len(progress) == KILLS
    assert progress[-1] < SAMPLES, progress
    # The last run drains the topic and stops once idle.
    final = start_sink(kafka_bootstrap, out, log, "--idle-timeout", "5")
    assert final.wait(timeout=WAIT_S) == 0, log.read_text()[-3000:]
    rows = list(read_rows(out))
    ids = collections.Counter(r["id"] for r in rows)
    ours = {i: n for i, n in ids.items() if i.startswith(prefix)}
    assert len(ours) == SAMPLES
    assert set(ours.values()) == {1}
    # Every line is whole JSON, including the current file's tail.
    for path in sorted(out.glob("part-*.jsonl")):
        for line in path.read_text().splitlines():
            json.loads(line)
