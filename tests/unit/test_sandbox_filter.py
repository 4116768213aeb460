"""The children's seccomp filter, compiled once by a template and loaded by each of its forks.

Each test loads the filter in a fork of the test process, which stays unfiltered, and reads
how that fork ended.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable

import pytest

from apigen_stream.sandbox import confine

pytest.importorskip("pyseccomp", reason="libseccomp's Python binding is not installed")


def _ending_of(action: Callable[[], object]) -> int:
    """How a fork that loads the compiled filter, then does ``action``, ended (exit code)."""
    compiled = confine.compile_filter(confine.syscall_filter(processes=True))
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            confine.no_new_privs()
            compiled.load()
            action()
        except BaseException:
            code = 70
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_a_fork_that_loaded_the_compiled_filter_cannot_fork() -> None:
    assert _ending_of(os.fork) == -signal.SIGSYS


def test_a_fork_that_loaded_the_compiled_filter_opens_files_but_no_socket() -> None:
    assert _ending_of(lambda: os.close(os.open("/dev/null", os.O_RDONLY))) == 0
    assert _ending_of(lambda: __import__("socket").socket().close()) == -signal.SIGSYS


def test_a_fork_that_loaded_the_compiled_filter_still_starts_threads() -> None:
    def thread() -> None:
        worker = threading.Thread(target=lambda: None)
        worker.start()
        worker.join()

    assert _ending_of(thread) == 0


def test_something_that_is_not_a_bpf_program_is_refused() -> None:
    with pytest.raises(ValueError, match="not a BPF program"):
        confine.CompiledFilter(b"\x00" * 12)
