"""The child side of ``offload``: ``python -m apigen_stream.engine.offload_child module:function``.

Reads length-prefixed frames on stdin, answers each with a status byte and a length-prefixed
reply on stdout: ``function(payload)``, or the text of what it raised. Ends at end of input.
The parent owns its lifetime: Ctrl-C meant for the service is ignored here, and the child
dies with its parent (it may be deep in a check that would otherwise run on for ever).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import signal
import sys
from collections.abc import Callable
from typing import BinaryIO

from apigen_stream.collector import collect_rarely

OK, FAILED = 0, 1
READY = b"R"
# prctl(2): deliver this signal to the child when its parent dies.
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Not Linux: no such call, and the parent still kills its children itself.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    return data if len(data) == size else None


def serve(function: Callable[[bytes], bytes], stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Say ready, then answer frames until end of input."""
    stdout.write(READY)
    stdout.flush()
    while True:
        header = _read_exactly(stdin, 4)
        if header is None:
            return
        payload = _read_exactly(stdin, int.from_bytes(header, "big"))
        if payload is None:
            return
        try:
            status, reply = OK, function(payload)
        except Exception as exc:  # the input's problem, told to the parent; the child goes on
            status, reply = FAILED, f"{type(exc).__name__}: {exc}"[:2000].encode()
        stdout.write(bytes([status]) + len(reply).to_bytes(4, "big") + reply)
        stdout.flush()


def main(argv: list[str]) -> int:
    """Import ``module:function`` and serve it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    module, _, name = argv[0].partition(":")
    function = getattr(importlib.import_module(module), name)
    collect_rarely()
    serve(function, sys.stdin.buffer, sys.stdout.buffer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
