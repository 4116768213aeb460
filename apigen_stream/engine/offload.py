"""CPU-bound pure work in child processes, each call within a deadline.

A check that runs long in the service's own process holds the event loop: heartbeats,
``/healthz`` and SIGTERM all wait for it (Python's regular expressions do not even release
the GIL, so a thread would not help). Here each call goes to a child process running
``module:function`` on bytes (see ``offload_child``); past its deadline the child is killed,
the call raises ``OffloadTimeout``, and a fresh child takes the next call. A child that dies
on an input raises ``OffloadCrashed`` for that input only. Frames on the pipes are a 4-byte
big-endian length and the payload; a reply frame starts with a status byte. A child says it is
ready (one byte) before it takes calls, so that its start-up is not counted in a call's deadline.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

import anyio
from anyio.abc import Process
from anyio.streams.buffered import BufferedByteReceiveStream

from apigen_stream.errors import ApigenError

log = logging.getLogger(__name__)

CHILD_MODULE = "apigen_stream.engine.offload_child"
OK, FAILED = 0, 1
# The byte a child writes once it has imported its function and takes calls.
READY = b"R"
# Seconds a child may take to start (imports, on a loaded host).
START_S = 60.0
# Seconds a killed child may take to be reaped.
REAP_S = 5.0


class OffloadTimeout(ApigenError):
    """The call ran past its deadline; its child was killed."""


class OffloadCrashed(ApigenError):
    """The child died on this input (or the function raised): the input is the problem."""

    dead_letter = True


def frame(payload: bytes) -> bytes:
    """A length-prefixed frame."""
    return len(payload).to_bytes(4, "big") + payload


class _Child:
    """One child process, spawned on first use and again after it was killed."""

    def __init__(self, target: str):
        self._target = target
        self._process: Process | None = None
        self._stdout: BufferedByteReceiveStream | None = None

    async def call(self, payload: bytes, timeout_s: float) -> bytes:
        if self._process is None:
            await self._spawn()
        process, stdout = self._process, self._stdout
        assert process is not None and process.stdin is not None and stdout is not None
        try:
            with anyio.fail_after(timeout_s):
                await process.stdin.send(frame(payload))
                status = (await stdout.receive_exactly(1))[0]
                size = int.from_bytes(await stdout.receive_exactly(4), "big")
                reply = await stdout.receive_exactly(size)
        except TimeoutError:
            await self.kill()
            raise OffloadTimeout(f"took more than {timeout_s:g}s") from None
        except (anyio.EndOfStream, anyio.IncompleteRead, anyio.BrokenResourceError, OSError):
            code = await self.kill()
            raise OffloadCrashed(f"the check process died (exit code {code})") from None
        except BaseException:  # cancelled mid-call: the child may be busy for ever
            await self.kill()
            raise
        if status != OK:
            raise OffloadCrashed(reply.decode("utf-8", "replace"))
        return reply

    async def _spawn(self) -> None:
        """Start a child and wait until it has imported its function (not a call's time)."""
        command = [sys.executable, "-m", CHILD_MODULE, self._target]
        process = await anyio.open_process(command, stderr=None)
        assert process.stdout is not None
        self._process, self._stdout = process, BufferedByteReceiveStream(process.stdout)
        try:
            with anyio.fail_after(START_S):
                ready = await self._stdout.receive_exactly(1)
        except (anyio.EndOfStream, anyio.IncompleteRead, TimeoutError):
            ready = b""
        except BaseException:
            await self.kill()
            raise
        if ready != READY:
            await self.kill()
            raise OffloadCrashed(f"the process for {self._target} did not start")

    async def kill(self) -> int | None:
        """Kill the child now (idempotent); returns its exit code when it was reaped."""
        process, self._process, self._stdout = self._process, None, None
        if process is None:
            return None
        with anyio.CancelScope(shield=True), anyio.move_on_after(REAP_S):
            if process.returncode is None:
                process.kill()
            code = await process.wait()
            await process.aclose()
            return code
        return None


class Offload:
    """``workers`` children running ``target`` (``module:function``, bytes to bytes).

    Use as an async context manager: leaving it kills every child.
    """

    def __init__(self, target: str, workers: int, timeout_s: float):
        self.timeout_s = timeout_s
        self._children = [_Child(target) for _ in range(max(1, workers))]
        self._idle = list(self._children)
        self._slots = anyio.Semaphore(len(self._children))

    async def call(self, payload: bytes) -> bytes:
        """``target(payload)`` in a child, within ``timeout_s``."""
        async with self._slots:
            child = self._idle.pop()
            try:
                return await child.call(payload, self.timeout_s)
            finally:
                self._idle.append(child)

    async def __aenter__(self) -> Offload:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for child in self._children:
            await child.kill()
