"""Limits a sandbox worker puts on itself before it runs any tool.

The boundary is the operating system's: resource limits (address space, CPU, processes, file
size, core dumps), a private network namespace with no interfaces up (where the kernel lets us
create one), death with the parent, and a wall-time limit enforced by the pool, which kills a
worker past its call's deadline.

The audit hook installed on top is defence in depth, **not** a security boundary: Python code
can sidestep audit events (``ctypes``, C extensions). It exists so that a tool which shells out
or opens a socket, even through a helper in another module, is refused and reported as
``sandbox_violation`` instead of silently succeeding or failing for an unclear reason.
"""

from __future__ import annotations

import ctypes
import math
import resource
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from apigen_stream.config import SandboxConfig

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
PR_SET_PDEATHSIG = 1
# Files a tool writes stay small; a bigger write fails with EFBIG instead of filling the disk.
FILE_SIZE_LIMIT_BYTES = 16 * 1024 * 1024
# CPU seconds a worker may spend in all before it retires, in multiples of the per-call limit:
# high enough that restarts are rare, and each call is still guaranteed its full CPU limit.
CPU_BUDGET_CALLS = 20

# Audit events that start a process, touch the network or escape the limits. Prefixes end in ".".
REFUSED_EVENTS = frozenset(
    {
        "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
        "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill",
        "resource.setrlimit", "resource.prlimit", "os.startfile",
    }
)  # fmt: skip
REFUSED_PREFIXES = ("socket.",)


class SandboxViolation(PermissionError):
    """A tool tried something the sandbox refuses (a process, a socket, a limit change)."""


@dataclass
class ViolationLog:
    """What the audit hook refused during the current call (a tool may swallow the error)."""

    events: list[str] = field(default_factory=list)

    def clear(self) -> None:
        """Forget the previous call's refusals."""
        self.events.clear()


def is_refused(event: str) -> bool:
    """Whether the audit event ``event`` is refused inside the sandbox."""
    return event in REFUSED_EVENTS or event.startswith(REFUSED_PREFIXES)


def install_audit_hook(log: ViolationLog) -> None:
    """Refuse process, network and limit events from now on, for the life of the process."""

    def hook(event: str, _args: tuple[object, ...]) -> None:
        if is_refused(event):
            log.events.append(event)
            raise SandboxViolation(f"{event} is not allowed in the sandbox")

    sys.addaudithook(hook)


def _set(limit: int, value: int) -> None:
    resource.setrlimit(limit, (value, value))


def apply_rlimits(memory_mb: int, cpu_end: int) -> list[str]:
    """Address space, CPU budget, no new processes, small files, no core dumps."""
    applied: list[str] = []
    steps: list[tuple[str, Callable[[], None]]] = [
        ("memory", lambda: _set(resource.RLIMIT_AS, memory_mb * 1024 * 1024)),
        ("cpu", lambda: _set(resource.RLIMIT_CPU, cpu_end)),
        # Zero, not the current count: every fork (and thread) fails for a non-root user.
        # Root ignores RLIMIT_NPROC; the audit hook still refuses os.fork there.
        ("processes", lambda: _set(resource.RLIMIT_NPROC, 0)),
        ("file_size", lambda: _set(resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT_BYTES)),
        ("core", lambda: _set(resource.RLIMIT_CORE, 0)),
    ]
    for name, step in steps:
        try:
            step()
        except (ValueError, OSError):
            continue
        applied.append(name)
    # A write past the file size limit should fail with EFBIG, not kill the worker.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return applied


def cpu_budget_end(cpu_s: float) -> int:
    """The process CPU time (seconds) at which the kernel stops this worker."""
    return math.ceil(cpu_used() + CPU_BUDGET_CALLS * cpu_s)


def cpu_used() -> float:
    """CPU seconds this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def isolate_network() -> bool:
    """Move into a new network namespace (only a loopback, down): True if that worked."""
    libc = _libc()
    if libc is None:
        return False
    # As root a network namespace alone works; otherwise a user namespace may allow it.
    attempts = (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET)
    return any(libc.unshare(flags) == 0 for flags in attempts)


def die_with_parent() -> bool:
    """Ask the kernel to kill this worker when the pool's process dies."""
    libc = _libc()
    return libc is not None and libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


@dataclass(frozen=True)
class Lockdown:
    """What ``lock_down`` achieved: the pool reports it, the worker retires by ``cpu_end``."""

    network_isolated: bool
    applied: list[str]
    # Process CPU seconds at which the kernel stops the worker (RLIMIT_CPU).
    cpu_end: int


def lock_down(memory_mb: int, cpu_s: float, log: ViolationLog) -> Lockdown:
    """Everything above, in order: the audit hook last, since the steps before it need ctypes."""
    applied = ["parent_death"] if die_with_parent() else []
    isolated = isolate_network()
    if isolated:
        applied.append("network")
    cpu_end = cpu_budget_end(cpu_s)
    applied.extend(apply_rlimits(memory_mb, cpu_end))
    install_audit_hook(log)
    applied.append("audit_hook")
    return Lockdown(network_isolated=isolated, applied=applied, cpu_end=cpu_end)


def exit_cause(
    killed_seq: int | None, returncode: int, config: SandboxConfig
) -> tuple[str, str, str]:
    """(replacement cause, reason code, detail) for a worker that ended mid-call."""
    if killed_seq is not None and killed_seq >= 0:
        return "timeout", "timeout", f"no result within {config.timeout_s:g} s; worker replaced"
    if returncode >= 0:
        return "crash", "exception", f"worker exited with status {returncode} during the call"
    signum = -returncode
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    if signum == signal.SIGXCPU:
        return "timeout", "timeout", f"CPU limit of {config.cpu_s:g} s reached"
    if signum == signal.SIGKILL and killed_seq is None:
        # Nobody here sent it: the kernel's out-of-memory killer did.
        return "memory", "memory_limit", "worker killed by SIGKILL (out of memory)"
    return "crash", "exception", f"worker died of {name} during the call"
