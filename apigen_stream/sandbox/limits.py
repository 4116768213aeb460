"""Limits a sandbox worker puts on itself before it runs any tool, and the audit hook.

Resource limits (address space, CPU, file size, core dumps) bound what one call can use; the
pool enforces the wall-time limit by killing a worker past its call's deadline. The kernel's
boundary (namespaces, read-only mounts, a dropped user, seccomp) is ``confine``'s.

The audit hook installed last is a second layer, **not** the boundary: Python code can sidestep
audit events (``ctypes``, C extensions), and the kernel stops those. It exists to name what a
tool tried (a process, a socket, a protected file, a write outside the scratch directory) as
``sandbox_violation`` while the worker goes on. It keeps everything it consults in its own
closure, so rebinding names in this module (``limits.is_refused = ...``) changes nothing.
"""

from __future__ import annotations

import math
import os
import resource
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apigen_stream.config import SandboxConfig

# Files a tool writes stay small; a bigger write fails with EFBIG instead of filling the disk.
FILE_SIZE_LIMIT_BYTES = 16 * 1024 * 1024
MB = 1024 * 1024
# CPU seconds a worker may spend in all before it retires, in multiples of the per-call limit:
# high enough that restarts are rare, and each call is still guaranteed its full CPU limit.
CPU_BUDGET_CALLS = 20

# Audit events that start a process, touch the network, escape the limits or reach into the
# interpreter's objects (where the hook itself lives). Prefixes end in ".".
REFUSED_EVENTS = frozenset(
    {
        "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
        "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill",
        "resource.setrlimit", "resource.prlimit", "os.startfile", "sys.addaudithook",
        "gc.get_objects", "gc.get_referrers", "gc.get_referents",
    }
)  # fmt: skip
REFUSED_PREFIXES = ("socket.",)
# ``open`` flags that write.
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


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


@dataclass(frozen=True)
class Paths:
    """What the hook checks ``open`` against: hidden paths, and the one writable directory."""

    hidden: tuple[str, ...] = ()
    scratch: str = ""


def open_problem(paths: Paths, target: object, flags: object) -> str:
    """Why opening ``target`` with ``flags`` is refused, or "". Pure."""
    if not isinstance(target, str | bytes):
        return ""  # an open file descriptor: already in hand
    path = os.path.abspath(os.fsdecode(target))  # noqa: PTH100 - no file access in the hook
    if any(path == h or path.startswith(h + os.sep) for h in paths.hidden):
        return f"open of a protected path {path}"
    writes = isinstance(flags, int) and flags & WRITE_FLAGS
    inside = paths.scratch and (path == paths.scratch or path.startswith(paths.scratch + os.sep))
    if writes and paths.scratch and not inside and path != os.devnull:
        return f"open for writing outside the scratch directory: {path}"
    return ""


Trusted = Callable[..., Any]


def install_audit_hook(log: ViolationLog, paths: Paths) -> Trusted:
    """Refuse the events above from now on; return the one way past the hook.

    Everything the hook reads is bound here, in its closure. The returned ``trusted(func,
    *args)`` calls ``func`` with the hook standing aside: the worker's own fork of a fresh
    process for the next batch, and its kill of a child it no longer trusts.
    """
    refused, prefixes, record = REFUSED_EVENTS, REFUSED_PREFIXES, log.events.append
    problem_of = open_problem
    permit = [False]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if permit[0]:
            return
        if event == "open":
            problem = problem_of(paths, args[0], args[2] if len(args) > 2 else None)
            if not problem:
                return
        elif event in refused or event.startswith(prefixes):
            problem = f"{event} is not allowed in the sandbox"
        else:
            return
        record(event if event != "open" else problem)
        raise SandboxViolation(problem)

    def trusted(func: Callable[..., Any], *args: Any) -> Any:
        permit[0] = True
        try:
            return func(*args)
        finally:
            permit[0] = False

    sys.addaudithook(hook)
    return trusted


def _set(limit: int, value: int) -> None:
    resource.setrlimit(limit, (value, value))


def apply_rlimits(memory_mb: int, cpu_end: int) -> list[str]:
    """Address space (``memory_mb``), CPU budget, small files, no core dumps."""
    applied: list[str] = []
    steps: list[tuple[str, Callable[[], None]]] = [
        ("memory", lambda: _set(resource.RLIMIT_AS, memory_mb * MB)),
        ("cpu", lambda: _set(resource.RLIMIT_CPU, cpu_end)),
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


def address_space_bytes(statm: str, page_size: int) -> int:
    """The mapped address space ``/proc/<pid>/statm``'s first field gives, in bytes. Pure."""
    return int(statm.split(maxsplit=1)[0]) * page_size


def call_address_space(mapped: int, memory_mb: int) -> int:
    """A fork's address-space limit: ``memory_mb`` on top of what it was forked with. Pure.

    The template's own mapping grows with every package it imports for a batch; a limit counted
    from zero would leave later forks less room for the same call, so each call's outcome would
    depend on the batches before it.
    """
    return mapped + memory_mb * MB


def mapped_bytes() -> int:
    """This process's mapped address space now (what RLIMIT_AS counts), in bytes."""
    fd = os.open("/proc/self/statm", os.O_RDONLY)  # no file object: a fork reads it first thing
    try:
        statm = os.read(fd, 256).decode("ascii")
    finally:
        os.close(fd)
    return address_space_bytes(statm, resource.getpagesize())


def _fork_limit(memory_mb: int) -> tuple[int, int]:
    """What a fork made now needs (its mapping plus ``memory_mb``), and this process's hard
    cap (``RLIM_INFINITY``: none), which an unprivileged fork cannot pass."""
    _, cap = resource.getrlimit(resource.RLIMIT_AS)
    return call_address_space(mapped_bytes(), memory_mb), cap


def room_for_fork(memory_mb: int) -> bool:
    """Whether a fork made now gets its whole ``memory_mb`` under this process's cap."""
    needed, cap = _fork_limit(memory_mb)
    return cap == resource.RLIM_INFINITY or needed <= cap


def cap_address_space(memory_mb: int) -> None:
    """Lower this process's RLIMIT_AS, soft and hard, to its mapping now plus ``memory_mb``
    (never above its cap).

    Called in a fork before any tool code: the hard limit lowered, no call can raise it again
    (an unprivileged process may only lower a hard limit).
    """
    needed, cap = _fork_limit(memory_mb)
    _set(resource.RLIMIT_AS, needed if cap == resource.RLIM_INFINITY else min(needed, cap))


def worker_memory_mb(config: SandboxConfig) -> int:
    """The address-space cap of the worker process itself. Pure.

    With isolation "process" it runs the calls: ``memory_mb``. Otherwise it is a template that
    only imports tools and forks, and each fork caps itself at ``memory_mb`` on top of it.
    """
    return config.memory_mb if config.isolation == "process" else config.template_cap_mb


def cpu_budget_end(cpu_s: float) -> int:
    """The process CPU time (seconds) at which the kernel stops this worker."""
    return math.ceil(cpu_used() + CPU_BUDGET_CALLS * cpu_s)


def cpu_used() -> float:
    """CPU seconds this process has used so far (user and system, as RLIMIT_CPU counts them).

    Asked before every call: the process clock is one cheap system call, half of getrusage.
    """
    return time.process_time()


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
    if signum == signal.SIGSYS:
        return "violation", "sandbox_violation", "a forbidden system call (seccomp) ended the call"
    if signum == signal.SIGXCPU:
        return "timeout", "timeout", f"CPU limit of {config.cpu_s:g} s reached"
    if signum == signal.SIGKILL and killed_seq is None:
        # Nobody here sent it: the kernel's out-of-memory killer did.
        return "memory", "memory_limit", "worker killed by SIGKILL (out of memory)"
    return "crash", "exception", f"worker died of {name} during the call"
