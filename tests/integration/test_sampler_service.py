"""The sampler as a service over a real broker: counts, determinism, resuming, rate.

Each test uses a seed of its own, so the tasks it reads back (ids ``t{seed}-...``) are its own
on a broker other tests write to as well. The pure parts of the source (token bucket, batch
size, resume keys, seed filtering) are tested here too, without a broker.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import msgspec
import pytest

from apigen_stream import topics
from apigen_stream.config import Config, load_config
from apigen_stream.engine.codec import decode
from apigen_stream.library.load import load_registry
from apigen_stream.records import Call, Sample, Task, Tool
from apigen_stream.sampling import LibraryView, SeedPool, sample_task, usable_example
from apigen_stream.services.sampler import task_prefix
from apigen_stream.services.source import TokenBucket, batch_size_for, index_of, last_index
from tests.support import configs
from tests.support.kafka import read_committed
from tests.support.procs import started

REPO = Path(__file__).resolve().parents[2]
# Seconds a sampler run may take on a loaded 2-core host before the test gives up.
RUN_TIMEOUT_S = 90.0
# Seconds between reads while waiting for tasks to show up.
POLL_S = 0.2
integration = pytest.mark.integration


def unique_seed() -> int:
    """A seed no other test run uses, so its task ids are this test's alone."""
    return uuid.uuid4().int % 1_000_000_000


def write_config(path: Path, bootstrap: str, seed: int, rate: float = 0.0) -> Path:
    """A sampler config over the cheap test tools."""
    return configs.write_config(
        path, configs.kafka(bootstrap, batch_size=50), configs.sampler(seed, rate=rate),
        configs.library("tests.support.cheap_tools"),
    )  # fmt: skip


def sampler_command(config: Path, count: int) -> list[str]:
    """``apigen-stream run --stage sampler`` as its own process."""
    return [sys.executable, "-m", "apigen_stream.cli", "run", "--stage", "sampler",
            "--config", str(config), "--count", str(count)]  # fmt: skip


def finish(proc: subprocess.Popen[bytes], log: Path) -> None:
    """Wait for the process to end by itself, successfully."""
    code = proc.wait(timeout=RUN_TIMEOUT_S)
    assert code == 0, log.read_text()[-3000:]


def tasks_of(bootstrap: str, seed: int) -> list[Task]:
    """The committed tasks of the sampler with this seed."""
    prefix = task_prefix(seed)
    records = asyncio.run(read_committed(bootstrap, topics.TASKS))
    return [decode(Task, r.value) for r in records if r.key and r.key.decode().startswith(prefix)]


def indexes(tasks: list[Task], seed: int) -> Counter[int]:
    """How often each index occurs among the tasks."""
    return Counter(int(t.id.removeprefix(task_prefix(seed))) for t in tasks)


def assert_as_sampled(tasks: list[Task], config: Config) -> None:
    """Each task is exactly what ``sample_task`` gives for its index (the pool never grew)."""
    registry = load_registry(config.library, {})
    library = LibraryView.of(registry, config.sampler.categories)
    pool = SeedPool.from_registry(registry)
    pairs = config.llm.pairs_per_request
    prefix = task_prefix(config.sampler.seed)
    for task in tasks:
        index = int(task.id.removeprefix(prefix))
        expected = sample_task(
            index, config.sampler, library, pool, pairs=pairs, now=task.created_at
        )
        assert task == expected


@integration
def test_count_emits_exactly_that_many_tasks_as_sample_task_gives(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    seed = unique_seed()
    config_path = write_config(tmp_path / "sampler.toml", kafka_bootstrap, seed)
    log = tmp_path / "sampler.log"
    with started(sampler_command(config_path, 50), log) as proc:
        finish(proc, log)
    tasks = tasks_of(kafka_bootstrap, seed)
    assert indexes(tasks, seed) == Counter(range(50))
    assert_as_sampled(tasks, load_config(config_path, {}))
    assert len({t.style for t in tasks}) > 1  # the tasks differ: a real sample, not one task


@integration
def test_killed_sampler_restarted_continues_without_repeats_or_gaps(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    seed, total = unique_seed(), 900
    # 300 tasks/s in batches of 50: about three seconds of run to kill in the middle of.
    config_path = write_config(tmp_path / "sampler.toml", kafka_bootstrap, seed, rate=300.0)
    log = tmp_path / "first.log"
    with started(sampler_command(config_path, total), log) as proc:
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while len(tasks_of(kafka_bootstrap, seed)) < 100:
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the sampler emitted nothing"
            time.sleep(POLL_S)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    before = indexes(tasks_of(kafka_bootstrap, seed), seed)
    assert 100 <= len(before) < total, "the kill should land in the middle of the run"
    assert before == Counter(range(len(before)))
    log = tmp_path / "second.log"
    with started(sampler_command(config_path, total), log) as proc:
        finish(proc, log)
    tasks = tasks_of(kafka_bootstrap, seed)
    assert indexes(tasks, seed) == Counter(range(total))
    assert_as_sampled(tasks, load_config(config_path, {}))


@integration
def test_rate_limits_how_fast_tasks_are_emitted(kafka_bootstrap: str, tmp_path: Path) -> None:
    seed, rate, total = unique_seed(), 40.0, 100
    config_path = write_config(tmp_path / "sampler.toml", kafka_bootstrap, seed, rate=rate)
    log = tmp_path / "sampler.log"
    with started(sampler_command(config_path, total), log) as proc:
        finish(proc, log)
    tasks = sorted(tasks_of(kafka_bootstrap, seed), key=lambda t: t.created_at)
    assert len(tasks) == total
    # Tasks of one batch share a creation time: measure from the end of the first batch.
    first = [t for t in tasks if t.created_at == tasks[0].created_at]
    span = tasks[-1].created_at - tasks[0].created_at
    observed = (total - len(first)) / span
    assert observed <= rate * 1.25, f"{observed:.1f} tasks/s with a limit of {rate:g}"


def scraped_emitted(log: Path) -> float | None:
    """``apigen_records_total`` of the sampler, from the /metrics address the process printed."""
    lines = [ln for ln in log.read_text().splitlines() if ln.startswith("metrics=")]
    if not lines:
        return None
    address = lines[0].removeprefix("metrics=")
    with urllib.request.urlopen(f"{address}/metrics", timeout=5) as response:
        text = response.read().decode()
    wanted = 'apigen_records_total{outcome="accepted",reason="",stage="sampler"}'
    found = [ln.split()[-1] for ln in text.splitlines() if ln.startswith(wanted)]
    return float(found[0]) if found else 0.0


@integration
def test_unbounded_sampler_counts_its_tasks_and_stops_on_sigterm(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    seed = unique_seed()
    config_path = write_config(tmp_path / "sampler.toml", kafka_bootstrap, seed, rate=50.0)
    log = tmp_path / "sampler.log"
    with started(sampler_command(config_path, 0), log) as proc:
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while (emitted := scraped_emitted(log) or 0.0) < 50:
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the sampler emitted nothing"
            time.sleep(POLL_S)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, log.read_text()[-3000:]
    found = indexes(tasks_of(kafka_bootstrap, seed), seed)
    # Everything counted was committed, and what was committed is a prefix of the indexes.
    assert len(found) >= emitted
    assert found == Counter(range(len(found)))


def test_token_bucket_holds_the_rate_and_no_limit_never_waits() -> None:
    bucket = TokenBucket(rate=10.0, burst=5)
    assert bucket.wait(5, now=100.0) == pytest.approx(0.5)  # starts empty: no burst
    assert bucket.wait(5, now=100.5) == pytest.approx(0.5)
    assert bucket.wait(5, now=102.0) == pytest.approx(0.0)  # saved up at most the burst
    assert TokenBucket(rate=0.0, burst=1).wait(1_000, now=0.0) == 0.0


def test_batch_size_keeps_a_batch_within_the_linger_time() -> None:
    assert batch_size_for(0.0, 200, 0.5) == 200
    assert batch_size_for(40.0, 200, 0.5) == 20
    assert batch_size_for(1.0, 200, 0.5) == 1
    assert batch_size_for(10_000.0, 200, 0.5) == 200


def test_resume_keys_belong_to_one_prefix_only() -> None:
    assert index_of(b"t7-12", "t7-") == 12
    assert index_of(b"t77-12", "t7-") is None
    assert index_of(b"t7-12.0", "t7-") is None
    assert index_of(None, "t7-") is None
    assert last_index([b"t7-3", b"t8-99", None, b"t7-11", b"t7-5"], "t7-") == 11
    assert last_index([b"t8-1"], "t7-") is None


def test_only_samples_of_the_samplers_own_tools_become_examples() -> None:
    tool = Tool(name="add", parameters={"type": "object", "properties": {}})
    sample = Sample(id="s", style="simple", query="q", calls=[Call(name="add")], tools=[tool])
    assert usable_example(sample, {"add", "subtract"})
    assert not usable_example(sample, {"subtract"})
    foreign = msgspec.structs.replace(sample, calls=[Call(name="teleport")])
    assert not usable_example(foreign, {"add"})
