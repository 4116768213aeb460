"""Processes the integration tests start: in the repository root, stopped when the block ends."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Seconds a SIGTERMed process gets to drain before it is killed.
GRACE_S = 20


@contextmanager
def started(command: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``command`` with its output in ``log``; SIGTERM, then SIGKILL, when the block ends.

    The working directory is the repository root, so that ``tests.support`` modules import in
    the process and in its sandbox workers.
    """
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=GRACE_S)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
