"""Child processes of ``apigen-stream up``: started, restarted with backoff, and stopped.

Each child is one service process (a stage replica, the sampler or the sink) with its output
in a log file of its own. A child that exits is restarted after ``restart_delay`` (0.5 s,
doubling to 10 s), and the supervisor says so; a child that ran ``STABLE_S`` seconds has its
failures forgotten. A child marked ``finishes`` (the sampler with a count) is done when it
exits 0. A child that fails ``GIVE_UP_AFTER`` times in a row without running stably is not a
crash to restart but a fault to report: ``check`` raises ``ChildFailing`` with the last line of
its log, and the caller stops everything.

Children run in their own session, so that Ctrl-C on the terminal reaches the supervisor only,
which then stops them itself (SIGTERM, then SIGKILL after a grace period). On Linux each child
is started through util-linux's ``setpriv --pdeathsig TERM`` where it exists, so the kernel
sends it SIGTERM when the supervisor dies: a SIGKILLed ``up`` leaves no services running.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from apigen_stream.errors import ApigenError

RESTART_BASE_S = 0.5
RESTART_CAP_S = 10.0
# Seconds a child must run for its earlier failures to be forgotten.
STABLE_S = 30.0
# Failures in a row (none running stably) after which a child is reported, not restarted.
GIVE_UP_AFTER = 5
# Seconds SIGTERMed children get to drain and commit before SIGKILL.
STOP_GRACE_S = 30.0


def with_parent_death_signal(argv: Sequence[str]) -> list[str]:
    """``argv`` run so that it gets SIGTERM when its parent dies (Linux, with ``setpriv``).

    ``setpriv`` sets the signal and execs ``argv`` in the same process; the setting survives
    the exec. Without it (another OS) the command runs as given.
    """
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--", *argv] if setpriv else list(argv)


class ChildFailing(ApigenError):
    """A child keeps failing: restarting it again would be a crash loop."""


def restart_delay(failures: int) -> float:
    """Seconds before restarting a child that has failed ``failures`` times in a row (>= 1)."""
    return float(min(RESTART_CAP_S, RESTART_BASE_S * 2 ** max(0, failures - 1)))


def describe_exit(code: int) -> str:
    """``exit code 2`` or ``killed by SIGKILL``."""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


@dataclass(frozen=True)
class ChildSpec:
    """One process to run: its name (``execute-2``), command, and metrics port."""

    name: str
    service: str
    replica: str
    argv: Sequence[str]
    port: int
    finishes: bool = False


@dataclass
class Child:
    """A child's process and restart state."""

    spec: ChildSpec
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    restarts: int = 0
    restart_at: float | None = None
    done: bool = False

    @property
    def running(self) -> bool:
        """Whether the process exists and has not exited."""
        return self.proc is not None and self.proc.poll() is None


@dataclass
class Supervisor:
    """Runs ``specs`` as children; ``check`` often, ``stop`` once."""

    specs: Sequence[ChildSpec]
    log_dir: Path
    say: Callable[[str], None]
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path | None = None
    children: list[Child] = field(default_factory=list)

    def start(self) -> None:
        """Start every child."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for spec in self.specs:
            child = Child(spec, self.log_dir / f"{spec.name}.log")
            self.children.append(child)
            self._spawn(child)
            assert child.proc is not None
            self.say(f"started {spec.name} pid={child.proc.pid}")

    def _spawn(self, child: Child) -> None:
        with child.log.open("ab") as out:
            child.proc = subprocess.Popen(
                with_parent_death_signal(child.spec.argv), stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, env=dict(self.env), cwd=self.cwd,
                start_new_session=True,
            )  # fmt: skip
        child.started_at = time.monotonic()
        child.restart_at = None

    def check(self, now: float) -> None:
        """Notice exits, restart what is due; raises ``ChildFailing`` on a crash loop."""
        for child in self.children:
            if child.done:
                continue
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self._spawn(child)
                    assert child.proc is not None
                    self.say(f"restarted {child.spec.name} pid={child.proc.pid}")
                continue
            if child.proc is None or child.proc.poll() is None:
                continue
            self._exited(child, child.proc.returncode, now)

    def _exited(self, child: Child, code: int, now: float) -> None:
        name = child.spec.name
        if code == 0 and child.spec.finishes:
            child.done = True
            self.say(f"{name} finished")
            return
        if now - child.started_at >= STABLE_S:
            child.failures = 0
        child.failures += 1
        if child.failures >= GIVE_UP_AFTER:
            raise ChildFailing(
                f"{name} failed {child.failures} times in a row ({describe_exit(code)}); "
                f"last words: {_last_line(child.log)} (log: {child.log})"
            )
        delay = restart_delay(child.failures)
        child.restarts += 1
        child.restart_at = now + delay
        self.say(f"{name} exited ({describe_exit(code)}); restarting in {delay:g}s "
                 f"(restart {child.restarts})")  # fmt: skip

    def child(self, name: str) -> Child:
        """The child called ``name``."""
        return next(c for c in self.children if c.spec.name == name)

    def stop(self, grace_s: float = STOP_GRACE_S) -> list[str]:
        """SIGTERM every running child, SIGKILL those still running after ``grace_s``.

        Returns the names of children that had to be killed.
        """
        living = [c for c in self.children if c.running]
        for child in living:
            assert child.proc is not None
            child.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        killed = []
        for child in living:
            assert child.proc is not None
            try:
                child.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.proc.kill()
                child.proc.wait()
                killed.append(child.spec.name)
        for child in self.children:
            child.restart_at = None
        return killed


def _last_line(log: Path) -> str:
    try:
        lines = [x for x in log.read_text(errors="replace").splitlines() if x.strip()]
    except OSError:
        return "(no log)"
    return lines[-1].strip() if lines else "(nothing)"
