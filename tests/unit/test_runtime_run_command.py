"""``apigen-stream run``: argument handling and start-up errors, without a broker."""

from __future__ import annotations

import gc
import socket
import sys
import types

import pytest

from apigen_stream.cli import build_parser, main
from apigen_stream.commands.run import options_of
from apigen_stream.run_options import RunOptions

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


def test_a_stage_service_freezes_what_it_loaded_while_it_runs_and_puts_the_collector_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APIGEN__KAFKA__CONNECT_TIMEOUT_S", "1")
    monkeypatch.setenv("APIGEN_TEST_TOPIC_IN", "t.in")
    monkeypatch.setenv("APIGEN_TEST_TOPIC_OUT", "t.out")
    frozen: list[int] = []
    freeze = gc.freeze

    def spy() -> None:
        freeze()
        frozen.append(gc.get_freeze_count())

    monkeypatch.setattr(gc, "freeze", spy)
    before = gc.get_threshold()
    bootstrap = f"127.0.0.1:{_closed_port()}"
    assert main(["run", "--stage", RELAY, "--bootstrap", bootstrap, "--metrics-port", "0"]) == 2
    assert frozen and frozen[0] > 0  # the stage's objects, frozen before it connected
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


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
    ((options, config),) = calls
    assert isinstance(options, RunOptions)
    assert (options.samples, options.tasks, options.records) == (3, 0, 0)
    assert config.kafka.bootstrap == ""  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "counts"),
    [
        (["run", "--samples", "5"], (5, 0, 0)),
        (["run", "--count", "5"], (5, 0, 0)),
        (["run", "--stage", "sampler", "--count", "5"], (0, 5, 0)),
        (["run", "--stage", "sampler", "--tasks", "5"], (0, 5, 0)),
        (["run", "--stage", "format", "--count", "5"], (0, 0, 5)),
        (["run", "--stage", "sink", "--records", "5"], (0, 0, 5)),
    ],
)
def test_each_count_says_what_it_counts(argv: list[str], counts: tuple[int, int, int]) -> None:
    options = options_of(build_parser().parse_args(argv))
    assert (options.samples, options.tasks, options.records) == counts


def test_two_counts_at_once_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["run", "--samples", "2", "--count", "3"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
