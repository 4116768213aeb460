"""Failures a user causes, at start-up or while running: one line on stderr, exit 2, no
traceback, and for ``verify`` no work done first."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from apigen_stream.cli import main
from tests.support.hostile_corpus import GOOD_ROW


def _one_line(capsys: pytest.CaptureFixture[str], code: int) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("apigen-stream: error: ")
    return lines[0]


def _dataset(tmp_path: Path) -> Path:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(GOOD_ROW)
    return path


def _verify(tmp_path: Path, *extra: str) -> int:
    return main(["verify", str(_dataset(tmp_path)), "--out", str(tmp_path / "out"), *extra])


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[kafka]\nconcurrency = 0", "$.kafka.concurrency"),
        ("[kafka]\nconcurrency = -4", "$.kafka.concurrency"),
        ("[kafka]\nbatch_size = 0", "$.kafka.batch_size"),
        ("[sandbox]\ntimeout_s = -1", "$.sandbox.timeout_s"),
        ("[sandbox]\nmemory_mb = 1", "$.sandbox.memory_mb"),
        ("[sandbox]\nmax_result_bytes = -1", "$.sandbox.max_result_bytes"),
        ("[sandbox]\nworkers = 0", "$.sandbox.workers"),
        ("[llm]\nconcurrency = 0", "$.llm.concurrency"),
        ("[serve]\nport = 70000", "$.serve.port"),
        ("[sampler]\napis_min = 6\napis_max = 2", "apis_min 6 is above apis_max 2"),
        ('[kafka]\nconcurrency = "many"', "Expected `int`, got `str`"),
    ],
)
def test_a_value_out_of_range_is_refused_at_load(
    toml: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(toml + "\n")
    line = _one_line(capsys, _verify(tmp_path, "--config", str(config)))
    assert expected in line
    assert not (tmp_path / "out").exists()  # refused before any work


@pytest.mark.parametrize(
    ("toml", "hint"),
    [
        ('[llm]\napi_key = "sk-live-123"', "OPENAI_API_KEY"),
        ('[library]\ncredentials = { PETS = "k" }', "library.credential_env"),
    ],
)
def test_a_secret_in_the_toml_is_refused(
    toml: str, hint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(toml + "\n")
    line = _one_line(capsys, _verify(tmp_path, "--config", str(config)))
    assert "secrets are not read from the config file" in line and hint in line
    assert "sk-live-123" not in line


def test_a_binary_file_or_a_directory_as_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "c.toml"
    binary.write_bytes(bytes(range(256)) * 4)
    assert "not UTF-8" in _one_line(capsys, _verify(tmp_path, "--config", str(binary)))
    assert "Is a directory" in _one_line(capsys, _verify(tmp_path, "--config", str(tmp_path)))


def test_out_naming_a_file_is_refused_before_any_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "taken"
    out.write_text("keep me\n")
    code = main(["verify", str(_dataset(tmp_path)), "--out", str(out)])
    assert "exists and is not a directory" in _one_line(capsys, code)
    assert out.read_text() == "keep me\n"


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_busy_metrics_port(busy_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    bootstrap = f"127.0.0.1:{_closed_port()}"
    code = main(["run", "--stage", "sampler", "--bootstrap", bootstrap,
                 "--metrics-port", str(busy_port)])  # fmt: skip
    line = _one_line(capsys, code)
    assert f"cannot serve metrics on 127.0.0.1:{busy_port}" in line


def test_a_negative_metrics_port(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", "--stage", "format", "--bootstrap", "127.0.0.1:1", "--metrics-port", "-3"])
    assert "$.serve.port" in _one_line(capsys, code)


def test_a_stage_with_no_broker(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("APIGEN__KAFKA__CONNECT_TIMEOUT_S", "1")
    monkeypatch.setenv("APIGEN__SANDBOX__WARM_UP", "false")
    bootstrap = f"127.0.0.1:{_closed_port()}"
    code = main(["run", "--stage", "execute", "--bootstrap", bootstrap])
    assert f"Kafka at {bootstrap} did not answer" in _one_line(capsys, code)


class _Refusing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"error": {"message": "bad key", "type": "invalid_request_error"}}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:  # quiet: the test reads stderr
        pass


@pytest.fixture
def refusing_llm() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("endpoint", ["unreachable", "refusing"])
def test_verify_semantic_with_a_bad_llm_endpoint(
    endpoint: str, refusing_llm: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    base_url = refusing_llm if endpoint == "refusing" else f"http://127.0.0.1:{_closed_port()}/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("APIGEN__LLM__MAX_RETRIES", "0")
    line = _one_line(capsys, _verify(tmp_path, "--stages", "format,execute,semantic"))
    # A closed port refuses the connection: said as such, not as an unreachable host.
    expected = "refused the API key" if endpoint == "refusing" else "refused the connection"
    assert f"LLM endpoint {base_url} {expected}" in line


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    # `apigen-stream apis list --json | head`: the pipe closes after the first bytes.
    command = [sys.executable, "-c", "import sys; from apigen_stream.cli import main; "
               "sys.exit(main())", "apis", "list", "--json"]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(100)
        proc.stdout.close()
        error = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 128 + signal.SIGPIPE
    assert "Traceback" not in error and "BrokenPipe" not in error, error
