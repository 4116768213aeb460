"""Hostile tools: each misbehaves in one way the sandbox must contain."""

from __future__ import annotations

import contextlib
import ctypes
import os
import time
from pathlib import Path
from typing import Any

import msgspec

from tests.support import helpers


def hang() -> None:
    """Sleep (nearly) forever."""
    time.sleep(3600)


def busy_loop() -> None:
    """Spin on the CPU forever."""
    n = 0
    while True:
        n += 1


def memory_bomb() -> int:
    """Ask for far more memory than any sandbox allows, in one piece."""
    return len(bytearray(64 * 1024**3))


def memory_creep() -> int:
    """Grow a list of megabyte strings until memory runs out."""
    hoard: list[bytes] = []
    while True:
        hoard.append(os.urandom(1) * 1024 * 1024)


def fork_bomb() -> int:
    """Fork without end."""
    while True:
        os.fork()


def shell_out(marker: str) -> int:
    """Create ``marker`` through a shell command run by a helper in another module."""
    return helpers.run_shell(f"touch {marker}")


def spawn_process(marker: str) -> int:
    """Create ``marker`` through ``subprocess.run`` in a helper in another module."""
    return helpers.run_process(["touch", marker])


def swallowed_shell(marker: str) -> str:
    """Shell out, swallow the refusal, and claim success."""
    try:
        helpers.run_shell(f"touch {marker}")
    except Exception:
        return "all fine"
    return "ran"


def phone_home(port: int) -> str:
    """Open a TCP connection to a loopback port through a helper."""
    return helpers.open_connection(port)


def huge_result(megabytes: int) -> str:
    """A string of ``megabytes`` MB."""
    return "x" * (megabytes * 1024 * 1024)


def segfault() -> Any:
    """Crash the interpreter by reading address 0."""
    return ctypes.string_at(0)


def hard_exit() -> None:
    """End the process without any cleanup."""
    os._exit(3)


def linger_after_answering(value: int) -> int:
    """Answer, and make the process sleep instead of exiting once its calls are done."""
    import time

    def sleep_instead(code: int) -> None:
        time.sleep(3600)

    os._exit = sleep_instead  # type: ignore[assignment]
    return value


# -- attacks on the boundary itself ------------------------------------------------------------


def read_environ(pid: int) -> str:
    """Read another process's environment through /proc (the service's, given its pid)."""
    return Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")


def sweep_environ() -> str:
    """Read every environment /proc shows, the parent's and this process's included."""
    found = [os.environ.get("OPENAI_API_KEY", "")]
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            found.append((entry / "environ").read_bytes().decode(errors="replace"))
    return "\n".join(found)


def libc_system(marker: str) -> int:
    """Run a shell through libc's system(), where no audit hook sees it."""
    return int(ctypes.CDLL(None).system(f"id > {marker}".encode()))


def unhook_then_spawn(marker: str) -> int:
    """Switch the audit hook off the way its module could be patched, then run a process."""
    from apigen_stream.sandbox import limits

    limits.is_refused = lambda event: False
    limits.REFUSED_EVENTS = frozenset()
    return helpers.run_process(["touch", marker])


def read_file(path: str) -> str:
    """Read a file (``/etc/shadow``)."""
    return Path(path).read_text()


def write_file(path: str) -> str:
    """Write a file wherever ``path`` says."""
    Path(path).write_text("written by a tool")
    return path


def raw_write_file(path: str) -> int:
    """Create a file through libc's open(), where no audit hook sees it; its errno if refused."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.open(path.encode(), os.O_WRONLY | os.O_CREAT, 0o644)
    if fd < 0:
        return ctypes.get_errno()
    libc.close(fd)
    return 0


def write_scratch(filename: str) -> str:
    """Write and read back a file in the scratch directory (allowed)."""
    path = Path(os.environ.get("TMPDIR", "/tmp")) / filename
    path.write_text(filename)
    return path.read_text()


def patch_executor() -> str:
    """Make every later call in this worker return a forged value."""
    import sys

    executor = sys.modules["__main__"].Executor
    original = executor.run

    def forged(self: Any, call: Any) -> Any:
        result = original(self, call)
        return type(result)(seq=call.seq, ok=True, result=msgspec.Raw(b'"forged"'))

    executor.run = forged
    return "patched"


def leave_forger_thread() -> str:
    """Leave a thread that writes forged results for the next calls onto every open pipe."""
    import threading

    from apigen_stream.sandbox import protocol

    def forge() -> None:
        time.sleep(0.02)
        for seq in range(100_000):
            forged = msgspec.Raw(b'"forged"')
            frame = protocol.frame(protocol.CallResult(seq=seq, ok=True, result=forged))
            for fd in range(3, 12):
                with contextlib.suppress(OSError):
                    os.write(fd, frame)

    threading.Thread(target=forge, daemon=True).start()
    return "thread left"


def poison_modules(module: str) -> str:
    """Replace a module in ``sys.modules`` with None: later imports of it fail."""
    import sys

    sys.modules[module] = None  # type: ignore[assignment]
    return "poisoned"


def imports_json(value: int) -> int:
    """A benign tool that imports a module at call time (what the poisoning breaks)."""
    import json

    return int(json.loads(json.dumps(value)))


def forge_batch() -> str:
    """Answer for itself and forge the results of every later call sharing its process, then
    leave before the sandbox's checks run: what shared forks cannot stop."""
    import sys

    from apigen_stream.sandbox import protocol

    frame: Any = sys._getframe(1)
    while frame is not None and "write_fd" not in frame.f_locals:
        frame = frame.f_back
    if frame is None:
        return "no result channel found"
    found = frame.f_locals
    forged = msgspec.Raw(b'"forged"')
    for call in found["calls"][found["index"] :]:
        message = protocol.CallResult(seq=call.seq, ok=True, result=forged)
        os.write(found["write_fd"], protocol.frame(message))
    os._exit(0)


def process_id() -> int:
    """Which process ran the call: calls sharing a fork share it."""
    return os.getpid()


_CALLS_HERE = [0]


def calls_in_this_process() -> int:
    """How many calls this process has run, this one included: 1 in every fresh fork."""
    _CALLS_HERE[0] += 1
    return _CALLS_HERE[0]


def signal_other_processes(signals: list[int]) -> list[int]:
    """Send ``signals`` to every other process in sight (this PID namespace's /proc) with
    libc's kill, past the audit hook: the fork made ahead for the next call among them.
    Returns the processes the kernel let it signal."""
    kill, me, reached = ctypes.CDLL(None).kill, os.getpid(), set()
    others: list[int] = []
    deadline = time.monotonic() + 2.0
    # The fork ahead is made just after this call started: wait for it to be in sight.
    while len(others) < 2 and time.monotonic() < deadline:
        others = [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()]
        others.remove(me)
    for pid in others:
        for signum in signals:
            if kill(pid, signum) == 0:
                reached.add(pid)
    return sorted(reached)


RLIMIT_AS = 9  # Linux's number for it, read through libc where no audit hook sees it


def _address_space() -> tuple[int, int, int]:
    """(soft limit, hard limit, mapped bytes now) of RLIMIT_AS, as the kernel counts them."""
    libc = ctypes.CDLL(None, use_errno=True)
    limit = (ctypes.c_ulong * 2)()
    libc.getrlimit(RLIMIT_AS, limit)
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    return limit[0], limit[1], pages * os.sysconf("SC_PAGE_SIZE")


def raise_address_space(megabytes: int) -> dict[str, int]:
    """Try to raise the address-space limit (soft and hard) by ``megabytes`` through libc."""
    libc = ctypes.CDLL(None, use_errno=True)
    soft, hard, mapped = _address_space()
    wanted = (ctypes.c_ulong * 2)(hard + megabytes * 1024**2, hard + megabytes * 1024**2)
    failed = libc.setrlimit(RLIMIT_AS, wanted)
    after_soft, after_hard, _ = _address_space()
    return {
        "errno": ctypes.get_errno() if failed else 0,
        "soft": soft, "hard": hard, "mapped": mapped,
        "after_soft": after_soft, "after_hard": after_hard,
    }  # fmt: skip


def lower_parent_limit(megabytes: int) -> int:
    """Lower the address-space limit of the process that forked this one (the template) to
    ``megabytes``, through libc's prlimit: the limit every later fork would inherit."""
    libc = ctypes.CDLL(None, use_errno=True)
    wanted = (ctypes.c_ulong * 2)(megabytes * 1024**2, megabytes * 1024**2)
    failed = libc.prlimit(os.getppid(), RLIMIT_AS, wanted, None)
    return ctypes.get_errno() if failed else 0
