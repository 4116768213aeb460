"""The supervisor of ``up``'s processes, with tiny Python children: restart, give up, stop."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from apigen_stream.services import supervisor as supervision
from apigen_stream.services.supervisor import (
    ChildFailing,
    ChildSpec,
    Supervisor,
    describe_exit,
    restart_delay,
)


def spec(name: str, code: str, *, finishes: bool = False) -> ChildSpec:
    return ChildSpec(name, name.split("-", maxsplit=1)[0], "1", [sys.executable, "-c", code], 0,
                     finishes=finishes)  # fmt: skip


def run_until(sup: Supervisor, done: object, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():  # type: ignore[operator]
        assert time.monotonic() < deadline
        sup.check(time.monotonic())
        time.sleep(0.02)


def test_restart_delays_double_up_to_the_cap() -> None:
    assert [restart_delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert restart_delay(10) == supervision.RESTART_CAP_S
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(2) == "exit code 2"


def test_a_crashed_child_is_restarted_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(supervision, "RESTART_BASE_S", 0.01)
    said: list[str] = []
    marker = tmp_path / "ran-once"
    # Fails the first time, then runs until stopped.
    code = (f"import pathlib, sys, time; p = pathlib.Path({str(marker)!r})\n"
            "if not p.exists(): p.touch(); sys.exit(3)\ntime.sleep(60)")  # fmt: skip
    sup = Supervisor([spec("execute-1", code)], tmp_path / "logs", said.append)
    sup.start()
    child = sup.child("execute-1")
    run_until(sup, lambda: child.restarts == 1 and child.running)
    assert said[0].startswith("started execute-1 pid=")
    assert said[1] == "execute-1 exited (exit code 3); restarting in 0.01s (restart 1)"
    assert said[2].startswith("restarted execute-1 pid=")
    assert sup.stop(grace_s=10) == []
    assert not child.running


def test_a_child_that_keeps_failing_is_reported_with_its_last_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(supervision, "RESTART_BASE_S", 0.01)
    code = "import sys; print('apigen-stream: error: no such module'); sys.exit(2)"
    sup = Supervisor([spec("format-1", code)], tmp_path / "logs", lambda _: None)
    sup.start()
    with pytest.raises(ChildFailing, match=r"format-1 failed 5 times in a row \(exit code 2\); "
                       r"last words: apigen-stream: error: no such module"):  # fmt: skip
        run_until(sup, lambda: False)
    sup.stop(grace_s=5)


def test_a_finishing_child_is_done_not_restarted_and_stop_kills_what_ignores_sigterm(
    tmp_path: Path,
) -> None:
    said: list[str] = []
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    sup = Supervisor([spec("sampler-1", "pass", finishes=True), spec("sink-1", stubborn)],
                     tmp_path / "logs", said.append)  # fmt: skip
    sup.start()
    run_until(sup, lambda: sup.child("sampler-1").done)
    assert "sampler-1 finished" in said
    time.sleep(0.5)  # the stubborn child has set its handler
    assert sup.stop(grace_s=0.5) == ["sink-1"]
    assert not sup.child("sink-1").running


SUPERVISOR_THEN_SLEEP = """
import sys, time
from pathlib import Path
from apigen_stream.services.supervisor import ChildSpec, Supervisor
child = ChildSpec("sink-1", "sink", "1", [sys.executable, "-c", "import time; time.sleep(120)"], 0)
sup = Supervisor([child], Path(sys.argv[1]), print)
sup.start()
print(sup.child("sink-1").proc.pid, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(
    shutil.which("setpriv") is None, reason="needs util-linux's setpriv (the parent-death signal)"
)
def test_children_end_when_the_supervisor_is_sigkilled(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess

    up = subprocess.Popen([sys.executable, "-c", SUPERVISOR_THEN_SLEEP, str(tmp_path)],
                          stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert up.stdout is not None
    lines = [up.stdout.readline(), up.stdout.readline()]
    child_pid = int(lines[-1])
    # Until setpriv has set the signal and exec'd the command, the parent's death is not seen.
    cmdline = Path(f"/proc/{child_pid}/cmdline")
    deadline = time.monotonic() + 30
    while b"setpriv" in cmdline.read_bytes().split(b"\0")[0] and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(up.pid, signal.SIGKILL)
    up.wait()
    up.stdout.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child_pid, signal.SIGKILL)
        pytest.fail("the child outlived its SIGKILLed supervisor")
