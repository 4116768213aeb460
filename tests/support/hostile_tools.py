"""Hostile tools: each misbehaves in one way the sandbox must contain."""

from __future__ import annotations

import ctypes
import os
import time
from typing import Any

from tests.support import helpers


def hang() -> None:
    """Sleep (nearly) forever."""
    time.sleep(3600)


def busy_loop() -> None:
    """Spin on the CPU forever."""
    n = 0
    while True:
        n += 1


def memory_bomb() -> int:
    """Ask for far more memory than any sandbox allows, in one piece."""
    return len(bytearray(64 * 1024**3))


def memory_creep() -> int:
    """Grow a list of megabyte strings until memory runs out."""
    hoard: list[bytes] = []
    while True:
        hoard.append(os.urandom(1) * 1024 * 1024)


def fork_bomb() -> int:
    """Fork without end."""
    while True:
        os.fork()


def shell_out(marker: str) -> int:
    """Create ``marker`` through a shell command run by a helper in another module."""
    return helpers.run_shell(f"touch {marker}")


def spawn_process(marker: str) -> int:
    """Create ``marker`` through ``subprocess.run`` in a helper in another module."""
    return helpers.run_process(["touch", marker])


def swallowed_shell(marker: str) -> str:
    """Shell out, swallow the refusal, and claim success."""
    try:
        helpers.run_shell(f"touch {marker}")
    except Exception:
        return "all fine"
    return "ran"


def phone_home(port: int) -> str:
    """Open a TCP connection to a loopback port through a helper."""
    return helpers.open_connection(port)


def huge_result(megabytes: int) -> str:
    """A string of ``megabytes`` MB."""
    return "x" * (megabytes * 1024 * 1024)


def segfault() -> Any:
    """Crash the interpreter by reading address 0."""
    return ctypes.string_at(0)


def hard_exit() -> None:
    """End the process without any cleanup."""
    os._exit(3)
