"""Innocent-looking helpers in a module of their own: the tools in ``hostile_tools`` call them,
so a check that only reads a tool's own source would not see the shell or the socket."""

from __future__ import annotations

import os
import socket
import subprocess


def run_shell(command: str) -> int:
    """Run a shell command through ``os.system``."""
    return os.system(command)


def run_process(args: list[str]) -> int:
    """Run a program through ``subprocess.run``."""
    return subprocess.run(args, check=False).returncode


def open_connection(port: int) -> str:
    """Connect to a loopback port and send a greeting."""
    with socket.create_connection(("127.0.0.1", port), timeout=2.0) as conn:
        conn.sendall(b"hello from the sandbox\n")
    return "connected"
