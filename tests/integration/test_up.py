"""``apigen-stream up`` over the suite's broker: the whole topology, supervised, then gone.

Each run has its own sampler seed, so that its task, candidate and sample ids (``t{seed}-...``)
tell its records apart on the shared topics; the stages' groups are first moved to the end of
their inputs (``skip_backlog``), as in the funnel test. The offline generator over the cheap
test tools keeps the runs short.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from apigen_stream import topics
from apigen_stream.engine.codec import decode
from apigen_stream.export.files import read_rows
from apigen_stream.records import Rejection, Sample
from apigen_stream.services.sampler import task_prefix
from tests.integration.test_funnel import skip_backlog
from tests.integration.test_sampler_service import unique_seed
from tests.support import configs
from tests.support.kafka import read_committed

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
# Seconds a small run may take on a loaded 2-core host, start to exit.
RUN_TIMEOUT_S = 240.0
# Short sessions: a killed replica's partitions are not held long even without static ids.
ENV = {"APIGEN__KAFKA__SESSION_TIMEOUT_MS": "6000", "APIGEN__SANDBOX__WARM_UP": "false"}


def write_config(path: Path, seed: int) -> Path:
    """Offline generation over the cheap test tools, small batches."""
    return configs.write_config(
        path, configs.kafka(batch_size=20, retry_backoff_s=0.05), configs.sampler(seed),
        configs.sandbox(1, 2.0), configs.library("tests.support.cheap_tools"),
    )  # fmt: skip


class Up:
    """``apigen-stream up`` as a child process, its stderr lines collected as they come."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        command = [sys.executable, "-m", "apigen_stream.cli", "up", *args]
        self.proc = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, **ENV, **(env or {})}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self.stdout = ""
        assert self.proc.stderr is not None and self.proc.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.proc.stderr,), daemon=True)
        self._reader.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout_s: float = RUN_TIMEOUT_S) -> re.Match[str]:
        """The first stderr line matching ``pattern`` (waits for it)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := re.search(pattern, line):
                    return found
            assert self.proc.poll() is None, f"up exited: {self.text()}"
            time.sleep(0.2)
        pytest.fail(f"no {pattern!r} within {timeout_s:g}s: {self.text()}")

    def pids(self) -> set[int]:
        """Every process up said it started."""
        return {int(m.group(1)) for x in self.lines if (m := re.search(r" pid=(\d+)", x))}

    def text(self) -> str:
        return "\n".join(self.lines)[-4000:]

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=10)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return self.proc.returncode


@contextmanager
def up(*args: str, env: dict[str, str] | None = None) -> Iterator[Up]:
    """Run up; whatever happens, it is stopped and nothing it started is left running."""
    running = Up(*args, env=env)
    try:
        yield running
    finally:
        running.stop()
        for pid in running.pids():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def this_run(bootstrap: str, topic: str, prefix: str) -> list[bytes]:
    """The committed values on ``topic`` of this run: keyed by its ids, or (``apigen.formatted``
    is keyed by content hash) holding a record whose id is one of them."""
    marker = f'"id":"{prefix}'.encode()
    records = asyncio.run(read_committed(bootstrap, topic))
    return [r.value for r in records
            if (r.key or b"").startswith(prefix.encode()) or marker in r.value]  # fmt: skip


def test_up_with_a_count_writes_the_samples_survives_a_sigkill_and_leaves_nothing_running(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    seed = unique_seed()
    prefix = task_prefix(seed)
    config = write_config(tmp_path / "up.toml", seed)
    out = tmp_path / "dataset"
    asyncio.run(skip_backlog(kafka_bootstrap))
    with up("--bootstrap", kafka_bootstrap, "--config", str(config), "--out", str(out),
            "--count", "60", "--rate", "15", "--replicas", "execute=2") as running:  # fmt: skip
        victim = int(running.wait_for(r"started execute-1 pid=(\d+)").group(1))
        # Kill it once it has work: the first samples are on their way to the sink.
        running.wait_for(r"started sink-1")
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while not this_run(kafka_bootstrap, topics.UNIQUE, prefix):
            assert time.monotonic() < deadline, running.text()
            time.sleep(0.5)
        os.kill(victim, signal.SIGKILL)
        running.wait_for(r"execute-1 exited \(killed by SIGKILL\); restarting in [\d.]+s")
        running.wait_for(r"restarted execute-1 pid=\d+")
        code = running.proc.wait(timeout=RUN_TIMEOUT_S)
        assert code == 0, running.text()
        assert "up: drained: every record handled" in running.lines, running.text()
        assert [pid for pid in running.pids() if alive(pid)] == []
    accepted = Counter(decode(Sample, v).id for v in this_run(kafka_bootstrap, topics.ACCEPTED,
                                                               prefix))  # fmt: skip
    written = Counter(row["id"] for row in read_rows(out) if row["id"].startswith(prefix))
    assert accepted, "no sample of this run was accepted"
    # Exactly once, despite the kill: each sample once on the topic and once in the files.
    assert set(accepted.values()) == {1}
    assert written == accepted
    rejections = this_run(kafka_bootstrap, topics.REJECTED, prefix)
    rejected = Counter(decode(Rejection, v).id for v in rejections)
    assert set(rejected.values()) <= {1}
    assert not set(rejected) & set(accepted)
    assert len(set(this_run(kafka_bootstrap, topics.TASKS, prefix))) == 60
