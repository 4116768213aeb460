"""Failures a user meets first end in one clear stderr line and a non-zero exit, no traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from apigen_stream.broker.local import CACHE_ENV

CLI = [sys.executable, "-m", "apigen_stream.cli"]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=120, check=False, env=env
    )


def _one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("apigen-stream: error: ")
    return lines[0]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed on exit: nothing listens there


def _tool(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


def _env_with_path(tmp_path: Path, cache: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    return {**os.environ, "PATH": str(bin_dir), CACHE_ENV: str(cache)}


def test_unreachable_bootstrap_is_one_line() -> None:
    bootstrap = f"127.0.0.1:{_closed_port()}"
    line = _one_error_line(_run("topics", "apply", "--bootstrap", bootstrap, "--timeout", "1"))
    assert line == f"apigen-stream: error: cannot reach Kafka at {bootstrap} within 1s"


def test_invalid_toml_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[kafka\nbootstrap = \n")
    line = _one_error_line(_run("topics", "apply", "--config", str(config)))
    assert "not valid TOML" in line and "bad.toml" in line


def test_unknown_config_key_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "typo.toml"
    config.write_text('[kafka]\nbootstrapp = "127.0.0.1:9092"\n')
    line = _one_error_line(_run("topics", "apply", "--config", str(config)))
    assert "bootstrapp" in line


def test_missing_bootstrap_is_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("APIGEN__")}
    line = _one_error_line(_run("topics", "apply", env=env))
    assert "--bootstrap" in line


def test_no_maven_is_one_line(tmp_path: Path) -> None:
    env = _env_with_path(tmp_path, tmp_path / "empty-cache")
    line = _one_error_line(_run("kafka", "up", "--data-dir", str(tmp_path / "k"), env=env))
    assert "Maven (mvn) is not installed" in line


def test_maven_failure_shows_its_last_lines(tmp_path: Path) -> None:
    env = _env_with_path(tmp_path, tmp_path / "cache")
    _tool(tmp_path / "bin", "mvn", 'echo "[ERROR] Could not resolve org.apache.kafka"\nexit 1\n')
    line = _one_error_line(_run("kafka", "up", "--data-dir", str(tmp_path / "k"), env=env))
    assert "Maven could not fetch Kafka" in line and "Could not resolve" in line
    assert not (tmp_path / "cache" / ".complete").exists()


@pytest.fixture
def cached(tmp_path: Path) -> Path:
    """A jar cache that counts as complete, so no Maven runs."""
    cache = tmp_path / "cache"
    (cache / "libs").mkdir(parents=True)
    (cache / ".complete").write_text("test\n")
    return cache


def test_no_java_is_one_line(tmp_path: Path, cached: Path) -> None:
    env = _env_with_path(tmp_path, cached)
    line = _one_error_line(_run("kafka", "up", "--data-dir", str(tmp_path / "k"), env=env))
    assert "Java is not installed" in line


def test_broker_that_dies_shows_its_log(tmp_path: Path, cached: Path) -> None:
    env = _env_with_path(tmp_path, cached)
    script = 'case "$*" in *StorageTool*) exit 0;; esac\necho "FATAL broker exploded"\nexit 1\n'
    _tool(tmp_path / "bin", "java", script)
    line = _one_error_line(_run("kafka", "up", "--data-dir", str(tmp_path / "k"), env=env))
    assert "Kafka did not start" in line and "FATAL broker exploded" in line
    assert not (tmp_path / "k" / "kafka.pid").exists()


def test_busy_port_is_one_line(tmp_path: Path, cached: Path) -> None:
    env = _env_with_path(tmp_path, cached)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        args = ("kafka", "up", "--data-dir", str(tmp_path / "k"), "--port", str(port))
        line = _one_error_line(_run(*args, env=env))
    assert line == f"apigen-stream: error: port {port} on 127.0.0.1 is busy"
