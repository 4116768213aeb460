"""End-to-end latency of the whole pipeline over Kafka at half its maximum rate, LLM time excluded.

Every stage runs as its own service process, offline (offline generator, rule judge: no LLM
time by construction), on one broker. After a warm-up, phase 1 finds the maximum rate: the
sampler emits tasks as fast as the broker takes them, and the rate is tasks over the time until
the last accepted sample. Phase 2 runs the sampler at half that rate with another seed and
measures, for each accepted sample, the time from its task's creation to its arrival on
``apigen.accepted`` (read_committed: when a downstream consumer sees it). Target: p99 < 1 s.
Uses ``APIGEN_BENCH_BOOTSTRAP`` if set, else starts a ``LocalKafka``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import anyio
from aiokafka import AIOKafkaConsumer, TopicPartition

from apigen_stream import topics
from apigen_stream.records import Sample
from apigen_stream.runtime.admin import apply_topics
from apigen_stream.runtime.broker import LocalKafka, default_cache_dir
from apigen_stream.runtime.codec import decode
from apigen_stream.topics import topic_specs

REPO = Path(__file__).resolve().parents[1]
STAGES = ("generate", "format", "dedup", "execute", "semantic")
# Phase 1: enough tasks for a few seconds of work at full speed.
MAX_RATE_TASKS = 600
# Phase 2: seconds of steady load at half rate.
STEADY_S = 20.0
# Seconds without a new accepted sample that end a phase.
QUIET_S = 5.0
# Seeds of the phases: task ids (and so sample ids) start with t{seed}-.
WARM_SEED, MAX_SEED, HALF_SEED = 9000, 9001, 9002
WARM_TASKS = 50


def main() -> None:
    """Start a broker (or use the given one), run both phases, print the figures."""
    given = os.environ.get("APIGEN_BENCH_BOOTSTRAP")
    if given:
        _run(given)
        return
    with tempfile.TemporaryDirectory(prefix="apigen-bench-") as tmp:
        broker = LocalKafka(Path(tmp) / "kafka", cache_dir=default_cache_dir(os.environ))
        bootstrap = broker.start()
        try:
            _run(bootstrap)
        finally:
            broker.stop()


def _run(bootstrap: str) -> None:
    anyio.run(apply_topics, bootstrap, topic_specs())
    with tempfile.TemporaryDirectory(prefix="apigen-bench-logs-") as logs, ExitStack() as stack:
        for stage in STAGES:
            stack.callback(_stop, _start(["--stage", stage], bootstrap, Path(logs), stage, {}))
        # Warm-up: every stage joins its group and opens its producers before anything counts.
        anyio.run(_phase, bootstrap, Path(logs), WARM_SEED, WARM_TASKS, 0.0)
        started, arrivals = anyio.run(_phase, bootstrap, Path(logs), MAX_SEED, MAX_RATE_TASKS, 0.0)
        elapsed = max(t for t, _ in arrivals) - started
        max_rate = MAX_RATE_TASKS / elapsed
        print(f"max rate: {MAX_RATE_TASKS} tasks in {elapsed:.1f} s = {max_rate:.1f} tasks/s "
              f"({len(arrivals)} accepted, {len(arrivals) / elapsed:.1f} samples/s)")  # fmt: skip
        _report("at max rate", [t - created for t, created in arrivals])
        half = max_rate / 2
        count = int(half * STEADY_S)
        _, arrivals = anyio.run(_phase, bootstrap, Path(logs), HALF_SEED, count, half)
        print(f"half rate: {half:.1f} tasks/s, {count} tasks, {len(arrivals)} accepted")
        p99 = _report("at half rate", [t - created for t, created in arrivals])
        print(f"p99 < 1 s at half the maximum rate: {'yes' if p99 < 1.0 else 'no'}")


def _start(
    args: list[str], bootstrap: str, logs: Path, name: str, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "apigen_stream.cli", "run", *args, "--bootstrap", bootstrap]
    with (logs / f"{name}.log").open("ab") as log:
        return subprocess.Popen(
            command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env}
        )


async def _phase(
    bootstrap: str, logs: Path, seed: int, count: int, rate: float
) -> tuple[float, list[tuple[float, float]]]:
    """Start the sampler once the tail is at the end of apigen.accepted; tail until quiet."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, isolation_level="read_committed", enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = topic_specs()["accepted"].partitions
        assigned = [TopicPartition(topics.ACCEPTED, p) for p in range(partitions)]
        consumer.assign(assigned)
        await consumer.seek_to_end(*assigned)
        for tp in assigned:
            await consumer.position(tp)
        started = time.time()
        env = {"APIGEN__SAMPLER__SEED": str(seed)}
        args = ["--stage", "sampler", "--count", str(count), "--rate", str(rate)]
        sampler = _start(args, bootstrap, logs, f"sampler-{seed}", env)
        try:
            return started, await _tail(consumer, seed, started)
        finally:
            _stop(sampler)
    finally:
        await consumer.stop()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def _tail(consumer: AIOKafkaConsumer, seed: int, since: float) -> list[tuple[float, float]]:
    """(arrival time, task creation time) of each accepted sample of this seed, until quiet."""
    prefix = f"t{seed}-"
    arrivals: list[tuple[float, float]] = []
    last = time.time()
    while time.time() - last < QUIET_S or not arrivals:
        batch = await consumer.getmany(timeout_ms=100)
        now = time.time()
        for records in batch.values():
            for record in records:
                sample: Sample = decode(Sample, record.value)
                if sample.id.startswith(prefix):
                    arrivals.append((now, sample.created_at))
                    last = now
        if not arrivals and now - since > 120:
            raise RuntimeError("no accepted sample within 2 minutes: see the stage logs")
    return arrivals


def _report(label: str, latencies: list[float]) -> float:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    print(f"latency {label}: p50 {pct(0.5) * 1000:.0f} ms, p95 {pct(0.95) * 1000:.0f} ms, "
          f"p99 {pct(0.99) * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms "
          f"over {len(ordered)} samples")  # fmt: skip
    return pct(0.99)


if __name__ == "__main__":
    main()
