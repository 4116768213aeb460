"""The offline pipeline over Kafka as service processes, for benchmarks: start them, stop them all.

Each stage is ``python -m apigen_stream.cli run --stage NAME --bootstrap B`` in a process of its
own, run from the repository root, with its output in a log file of the caller's directory.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import aiohttp
import anyio

REPO = Path(__file__).resolve().parents[1]
# Every stage of the pipeline, in the order records pass through them.
STAGES = ("generate", "format", "dedup", "execute", "semantic")
# Seconds SIGTERM may take (a stage drains and commits its batch in flight) before SIGKILL.
STOP_GRACE_S = 30.0
# Seconds a restarted stage may take to report ready (its sandbox warm-up included).
READY_LIMIT_S = 120.0
_METRICS_LINE = re.compile(rb"^metrics=(http://\S+)$", re.MULTILINE)


class PipelineProcs:
    """The stage processes of one pipeline and the samplers feeding it; stops all on exit."""

    def __init__(self, bootstrap: str, logs: Path) -> None:
        self.bootstrap = bootstrap
        self.logs = logs
        self._procs: list[subprocess.Popen[bytes]] = []
        self._by_name: dict[str, subprocess.Popen[bytes]] = {}

    def start_stages(self, stages: Sequence[str] = STAGES) -> None:
        """Start one process per stage; they join their groups in the background."""
        for stage in stages:
            self.start(["--stage", stage], stage)

    def start_sampler(self, seed: int, count: int, rate: float) -> subprocess.Popen[bytes]:
        """Start a sampler of ``count`` tasks of ``seed`` at ``rate`` tasks/s (0: no limit)."""
        args = ["--stage", "sampler", "--count", str(count), "--rate", f"{rate:g}"]
        return self.start(args, f"sampler-{seed}", {"APIGEN__SAMPLER__SEED": str(seed)})

    def start(
        self, args: Sequence[str], name: str, env: Mapping[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        """Start ``apigen_stream.cli run ARGS --bootstrap B``; output goes to ``{name}.log``."""
        command = [sys.executable, "-m", "apigen_stream.cli", "run", *args]
        command += ["--bootstrap", self.bootstrap]
        with (self.logs / f"{name}.log").open("ab") as log:
            proc = subprocess.Popen(
                command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
            )  # fmt: skip
        self._procs.append(proc)
        self._by_name[name] = proc
        return proc

    async def restart(self, stage: str, env: Mapping[str, str]) -> None:
        """Stop ``stage``'s process, start it again with ``env``, and wait until it is ready."""
        old = self._by_name[stage]
        stop_all([old])
        self._procs.remove(old)
        log = self.logs / f"{stage}.log"
        offset = log.stat().st_size
        self.start(["--stage", stage], stage, env)
        with anyio.fail_after(READY_LIMIT_S):
            address = await _served_address(log, offset)
            await _ready(address)

    def stop(self) -> None:
        """SIGTERM every process at once, then SIGKILL whatever outlives the grace period."""
        stop_all(self._procs)
        self._procs.clear()

    def log_tail(self, name: str, lines: int = 20) -> str:
        """The last lines of a process's log, to show why a run went wrong."""
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> PipelineProcs:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def stop_all(procs: Sequence[subprocess.Popen[bytes]], grace_s: float = STOP_GRACE_S) -> None:
    """Stop ``procs`` in parallel: all drain at once rather than one after the other."""
    running = [p for p in procs if p.poll() is None]
    for proc in running:
        proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    for proc in running:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _served_address(log: Path, offset: int) -> str:
    """The ``metrics=`` address a process printed to ``log`` after ``offset``."""
    while True:
        with log.open("rb") as f:
            f.seek(offset)
            found = _METRICS_LINE.search(f.read())
        if found:
            return found.group(1).decode()
        await anyio.sleep(0.1)


async def _ready(address: str) -> None:
    """Until ``/readyz`` at ``address`` answers 200."""
    async with aiohttp.ClientSession() as session:
        while True:
            async with session.get(f"{address}/readyz") as response:
                if response.status == 200:
                    return
            await anyio.sleep(0.1)
