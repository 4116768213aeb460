"""Funnel accounting over real Kafka: every stage its own process, faults at known places.

The scripted LLM server (``tests.support.fake_llm --scenario funnel``) injects faults whose
count is known for any number of tasks (``tests.support.funnel.expected_counts``). The sampler
emits enough tasks for more than 2,000 candidates; then ``apigen.rejected`` must hold exactly
the injected rejections per (stage, reason), ``apigen.accepted`` every other candidate once,
and ``apigen.dlq`` nothing of this run.

The broker is shared with other tests: this run's records are told apart by the sampler's
unique seed (task ids ``t{seed}-{index}``, sample ids ``t{seed}-{index}.{j}``), and the stages'
consumer groups are first moved to the end of their input topics, so that records other tests
left behind are not worked through again.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from apigen_stream import topics
from apigen_stream.engine.codec import decode
from apigen_stream.records import DeadLetter, Rejection, Sample, Task
from apigen_stream.services.sampler import task_prefix
from apigen_stream.spec import PIPELINE
from apigen_stream.topics import topic_specs
from tests.integration.test_sampler_service import (
    sampler_command,
    tasks_of,
    unique_seed,
)
from tests.support import configs
from tests.support.funnel import (
    REJECTED_AS,
    expected_accepted,
    expected_counts,
    pair_kind,
    response_kind,
)
from tests.support.kafka import read_committed
from tests.support.procs import started

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
# Each stage's input topic; the stage's consumer group is the stage's name.
STAGE_INPUTS = {stage.name: stage.input_topic for stage in PIPELINE.stages}
PAIRS = 3
# 780 tasks of 3 pairs, one in seven answers malformed (one candidate): 2,118 candidates.
TASKS = 780
# Seconds the whole funnel may take to settle on a loaded 2-core host before the test fails.
FUNNEL_TIMEOUT_S = 240.0
# Seconds between counts while waiting; each count reads two topics from the start.
POLL_S = 2.0
# Seconds to wait after every candidate is accounted for, so that a duplicate would show.
SETTLE_S = 3.0


def candidates_of(n_tasks: int, pairs: int) -> int:
    """Candidates the generate stage emits: one per pair, one for a malformed answer."""
    malformed = sum(1 for i in range(n_tasks) if response_kind(i) == "malformed")
    return (n_tasks - malformed) * pairs + malformed


def accepted_ids(tasks: list[Task], prefix: str) -> set[str]:
    """The sample ids the scenario lets through: every pair of a readable answer with no fault."""
    ids = set()
    for task in tasks:
        index = int(task.id.removeprefix(prefix))
        if response_kind(index) == "malformed":
            continue
        for j in range(task.pairs):
            if pair_kind(index, j, task.pairs, task.style) not in REJECTED_AS:
                ids.add(f"{task.id}.{j}")
    return ids


def write_config(path: Path, bootstrap: str, base_url: str, seed: int) -> Path:
    """Every process's configuration: the scripted endpoint, the funnel tools, small batches."""
    return configs.write_config(
        path,
        configs.kafka(bootstrap, batch_size=50, concurrency=16, retry_backoff_s=0.05),
        configs.scripted_llm(
            base_url, concurrency=16, backoff_s=0.01, backoff_max_s=0.05, pairs_per_request=PAIRS
        ),
        configs.sampler(seed),
        configs.sandbox(4, 1.0),
        configs.library("tests.support.funnel_tools"),
    )


def start_llm(stack: ExitStack) -> str:
    """The scripted LLM server as its own process; returns its base URL."""
    command = [sys.executable, "-m", "tests.support.fake_llm", "--port", "0",
               "--scenario", "funnel"]  # fmt: skip
    proc = stack.enter_context(
        subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    )
    stack.callback(_terminate_text, proc)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line.startswith("base_url="), f"the LLM server said {line!r}"
    return line.removeprefix("base_url=")


def _terminate_text(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# Seconds a group may still hold the static members of an earlier run: they do not leave
# on SIGTERM, and the broker drops them after their session timeout (10 s by default).
GHOST_MEMBERS_S = 30.0


async def skip_backlog(bootstrap: str) -> None:
    """Commit every stage group's offsets at the end of its input topic (groups are idle).

    The broker refuses a commit from outside a group that still has members, so this waits
    out the static members an earlier run left behind.
    """
    deadline = time.monotonic() + GHOST_MEMBERS_S
    while True:
        try:
            await _skip_backlog(bootstrap)
            return
        except KafkaError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(1.0)


async def _skip_backlog(bootstrap: str) -> None:
    for group, topic in STAGE_INPUTS.items():
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
            isolation_level="read_committed",
        )  # fmt: skip
        await consumer.start()
        try:
            count = {s.name: s.partitions for s in topic_specs().values()}[topic]
            partitions = [TopicPartition(topic, p) for p in range(count)]
            consumer.assign(partitions)
            ends = await consumer.end_offsets(partitions)
            await consumer.commit(ends)
        finally:
            await consumer.stop()


def verdicts(bootstrap: str, prefix: str) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """This run's rejections by (stage, reason) and accepted sample ids, committed ones."""
    rejected: Counter[tuple[str, str]] = Counter()
    for record in asyncio.run(read_committed(bootstrap, topics.REJECTED)):
        if record.key and record.key.decode().startswith(prefix):
            rejection: Rejection = decode(Rejection, record.value)
            rejected[(rejection.stage, rejection.reason)] += 1
    accepted: Counter[str] = Counter()
    for record in asyncio.run(read_committed(bootstrap, topics.ACCEPTED)):
        if record.key and record.key.decode().startswith(prefix):
            sample: Sample = decode(Sample, record.value)
            accepted[sample.id] += 1
    return rejected, accepted


def dead_letters(bootstrap: str, prefix: str) -> list[DeadLetter]:
    """This run's records on ``apigen.dlq``."""
    letters = [decode(DeadLetter, r.value)
               for r in asyncio.run(read_committed(bootstrap, topics.DLQ))]  # fmt: skip
    return [d for d in letters if (d.key or b"").decode("utf-8", "replace").startswith(prefix)]


def wait_for_funnel(
    bootstrap: str, prefix: str, total: int, procs: dict[str, subprocess.Popen[bytes]]
) -> None:
    """Until rejected + accepted records of this run number ``total`` (or the time is up)."""
    deadline = time.monotonic() + FUNNEL_TIMEOUT_S
    seen = 0
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if name != "sampler":
                assert proc.poll() is None, f"stage {name} exited with {proc.returncode}"
        rejected, accepted = verdicts(bootstrap, prefix)
        seen = sum(rejected.values()) + sum(accepted.values())
        if seen >= total:
            return
        time.sleep(POLL_S)
    pytest.fail(f"only {seen} of {total} candidates accounted for in {FUNNEL_TIMEOUT_S:g}s")


def test_rejections_per_stage_and_reason_equal_the_injected_faults(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    seed = unique_seed()
    prefix = task_prefix(seed)
    total = candidates_of(TASKS, PAIRS)
    assert total >= 2_000
    asyncio.run(skip_backlog(kafka_bootstrap))
    started_at = time.monotonic()
    with ExitStack() as stack:
        base_url = start_llm(stack)
        config = write_config(tmp_path / "funnel.toml", kafka_bootstrap, base_url, seed)
        procs: dict[str, subprocess.Popen[bytes]] = {}
        for name in STAGE_INPUTS:
            command = [sys.executable, "-m", "apigen_stream.cli", "run", "--stage", name,
                       "--config", str(config)]  # fmt: skip
            procs[name] = stack.enter_context(started(command, tmp_path / f"{name}.log"))
        sampler = sampler_command(config, TASKS)
        procs["sampler"] = stack.enter_context(started(sampler, tmp_path / "sampler.log"))
        try:
            wait_for_funnel(kafka_bootstrap, prefix, total, procs)
        except BaseException:
            for name in procs:
                print(f"--- {name}.log\n{(tmp_path / f'{name}.log').read_text()[-2000:]}")
            raise
        time.sleep(SETTLE_S)
        rejected, accepted = verdicts(kafka_bootstrap, prefix)
        letters = dead_letters(kafka_bootstrap, prefix)
    elapsed = time.monotonic() - started_at
    tasks = sorted(tasks_of(kafka_bootstrap, seed), key=lambda t: int(t.id.removeprefix(prefix)))
    assert [t.id for t in tasks] == [f"{prefix}{i}" for i in range(TASKS)]
    pairs = tasks[0].pairs
    styles = [t.style for t in tasks]
    assert dict(rejected) == expected_counts(TASKS, pairs=pairs, styles=styles)
    assert sum(accepted.values()) == expected_accepted(TASKS, pairs=pairs, styles=styles)
    assert set(accepted) == accepted_ids(tasks, prefix)
    assert set(accepted.values()) == {1}, "a sample was accepted more than once"
    assert letters == []
    print(f"funnel: {total} candidates through 6 processes in {elapsed:.1f}s")
