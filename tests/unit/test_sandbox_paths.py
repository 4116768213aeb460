"""Tools the sandbox must still reach when they live below its scratch directory (/tmp).

A fresh clone in ``mktemp -d`` (a closed, root-owned directory under /tmp) run from /tmp is how
CI and users try the project: the worker's private tmpfs covers /tmp, and every path it imports
from there must be bound back, whatever the modes of the directories above it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from apigen_stream.config import SandboxConfig
from apigen_stream.sandbox.confine import _inside
from apigen_stream.sandbox.pool import SandboxPool

TOOL = "def double(x: int) -> int:\n    return 2 * x\n"


def test_the_scratch_directory_on_the_list_does_not_hide_what_is_below_it(
    tmp_path: Path,
) -> None:
    scratch = tmp_path / "scratch"
    below = scratch / "venv"
    below.mkdir(parents=True)
    for directory in (scratch, below):
        directory.chmod(0o755)
    assert _inside([str(scratch), str(below)], str(scratch)) == [str(below)]


@pytest.fixture
def closed_checkout(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A module in an open directory below a closed (0700) one under /tmp, run from /tmp."""
    closed = Path(tempfile.mkdtemp(dir="/tmp"))  # mode 0700, like mktemp -d
    checkout = closed / "checkout"
    checkout.mkdir()
    checkout.chmod(0o755)
    name = f"closed_tool_{os.getpid()}"
    (checkout / f"{name}.py").write_text(TOOL, encoding="utf-8")
    monkeypatch.syspath_prepend(str(checkout))
    monkeypatch.chdir("/tmp")
    monkeypatch.syspath_prepend("/tmp")
    yield checkout / name
    for path in sorted(closed.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    closed.rmdir()


@pytest.mark.skipif(os.geteuid() != 0, reason="the private mounts need root (CI is)")
def test_a_tool_below_a_closed_directory_under_tmp_is_executable(closed_checkout: Path) -> None:
    async def call() -> object:
        async with SandboxPool(SandboxConfig(workers=1, timeout_s=10.0)) as pool:
            return await pool.run(f"{closed_checkout.name}:double", "double", {"x": 21})

    outcome = anyio.run(call)
    assert getattr(outcome, "ok", False), outcome
    assert getattr(outcome, "result", None) == 42
    assert sys.path  # the fixture's path changes are undone by monkeypatch
