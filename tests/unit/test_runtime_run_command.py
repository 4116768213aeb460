"""``apigen-stream run``: argument handling and start-up errors, without a broker."""

from __future__ import annotations

import socket
import sys
import types

import pytest

from apigen_stream.cli import main

RELAY = "tests.support.test_stages:open_relay"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_broker_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("APIGEN__KAFKA__CONNECT_TIMEOUT_S", "1")
    monkeypatch.setenv("APIGEN_TEST_TOPIC_IN", "t.in")
    monkeypatch.setenv("APIGEN_TEST_TOPIC_OUT", "t.out")
    bootstrap = f"127.0.0.1:{_closed_port()}"
    code = main(["run", "--stage", RELAY, "--bootstrap", bootstrap, "--metrics-port", "0"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err == [err[0]]
    assert err[0].startswith("apigen-stream: error: Kafka at ") and "did not answer" in err[0]


def test_a_stage_needs_kafka(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("APIGEN__KAFKA__BOOTSTRAP", raising=False)
    assert main(["run", "--stage", RELAY]) == 2
    assert "needs Kafka" in capsys.readouterr().err


def test_an_unknown_stage_names_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--stage", "nope", "--bootstrap", "127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert "unknown stage 'nope'" in err and "execute" in err


def test_without_kafka_and_stage_the_embedded_pipeline_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("APIGEN__KAFKA__BOOTSTRAP", raising=False)
    calls: list[tuple[object, object]] = []
    fake = types.ModuleType("apigen_stream.pipeline")

    def pipeline_main(args: object, config: object) -> int:
        calls.append((args, config))
        return 7

    fake.main = pipeline_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "apigen_stream.pipeline", fake)
    assert main(["run", "--count", "3"]) == 7
    ((args, config),) = calls
    assert args.count == 3  # type: ignore[attr-defined]
    assert config.kafka.bootstrap == ""  # type: ignore[attr-defined]
