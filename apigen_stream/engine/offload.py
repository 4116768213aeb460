"""CPU-bound pure work in child processes, each call within a deadline.

A check that runs long in the service's own process holds the event loop: heartbeats,
``/healthz`` and SIGTERM all wait for it (Python's regular expressions do not even release
the GIL, so a thread would not help). Here each call goes to a child process running
``module:function`` on bytes (see ``offload_child``); past its deadline the child is killed,
the call raises ``OffloadTimeout``, and a fresh child takes the next call. A child that dies
on an input raises ``OffloadCrashed`` for that input only. Frames on the pipes are a 4-byte
big-endian length and the payload; a reply frame starts with a status byte. A child says it is
ready (one byte) before it takes calls, so that its start-up is not counted in a call's deadline.

Calls are sent in micro-batches: whatever calls are waiting when a child is free go to it in
one write (up to ``BATCH_CALLS`` calls or ``BATCH_BYTES`` bytes), so that a pipe round trip is
paid per batch, not per call; nothing waits to fill a batch. The child still answers call by
call, and each reply has its own deadline, counted from the reply before it: a call past it is
the one at fault (``OffloadTimeout``), and the calls queued behind it in the batch go to the
fresh child, each with a deadline of its own.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType

import anyio
from anyio.abc import Process, TaskGroup
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
# The most calls, and (roughly) bytes of payload, sent to a child in one write.
BATCH_CALLS = 64
BATCH_BYTES = 1 << 20


class OffloadTimeout(ApigenError):
    """The call ran past its deadline; its child was killed."""


class OffloadCrashed(ApigenError):
    """The child died on this input (or the function raised): the input is the problem."""

    dead_letter = True


def frame(payload: bytes) -> bytes:
    """A length-prefixed frame."""
    return len(payload).to_bytes(4, "big") + payload


@dataclass(eq=False, slots=True)
class _Call:
    """One call waiting for its reply (``done``): a reply or an error."""

    payload: bytes
    done: anyio.Event = field(default_factory=anyio.Event)
    reply: bytes | None = None
    error: ApigenError | None = None
    # The caller stopped waiting (cancelled): a call not yet sent is dropped, one the child is
    # busy with kills it (it may be busy for ever).
    abandoned: bool = False
    # The child it was sent to, while it waits for its reply.
    child: _Child | None = None

    def settle(self, reply: bytes | None, error: ApigenError | None = None) -> None:
        self.reply, self.error = reply, error
        self.done.set()


class _Child:
    """One child process, spawned on first use and again after it was killed."""

    def __init__(self, target: str):
        self._target = target
        self._process: Process | None = None
        self._stdout: BufferedByteReceiveStream | None = None
        # The call whose reply is awaited, and the scope of that wait.
        self._reading: tuple[_Call, anyio.CancelScope] | None = None

    def abandon(self, call: _Call) -> None:
        """``call``'s caller stopped waiting: if the child is busy with it, stop the wait."""
        if self._reading is not None and self._reading[0] is call:
            self._reading[1].cancel()

    async def run(self, calls: list[_Call], timeout_s: float) -> list[_Call]:
        """Answer ``calls`` in order; the calls left unanswered when the child was killed (past
        a deadline) or died are returned, to be sent again. The one at fault is settled."""
        if self._process is None:
            await self._spawn()
            # A caller may have given up while the child started.
            calls = [call for call in calls if not call.abandoned]
        process = self._process
        assert process is not None and process.stdin is not None
        stdin = process.stdin
        request = b"".join(frame(call.payload) for call in calls)
        for call in calls:
            call.child = self
        async with anyio.create_task_group() as tg:

            async def send() -> None:
                # Concurrent with reading replies: a child blocked on a full stdout pipe would
                # otherwise never read the rest of a large batch.
                with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError,
                                         OSError):  # fmt: skip
                    await stdin.send(request)

            tg.start_soon(send)
            try:
                left = await self._replies(calls, timeout_s)
            finally:
                tg.cancel_scope.cancel()
        return left

    async def _replies(self, calls: list[_Call], timeout_s: float) -> list[_Call]:
        stdout = self._stdout
        assert stdout is not None
        for index, call in enumerate(calls):
            scope = anyio.CancelScope()
            self._reading = (call, scope)
            try:
                with scope, anyio.fail_after(timeout_s):
                    status = (await stdout.receive_exactly(1))[0]
                    size = int.from_bytes(await stdout.receive_exactly(4), "big")
                    reply = await stdout.receive_exactly(size)
            except TimeoutError:
                await self.kill()
                call.settle(None, OffloadTimeout(f"took more than {timeout_s:g}s"))
                return calls[index + 1 :]
            except (anyio.EndOfStream, anyio.IncompleteRead, anyio.BrokenResourceError, OSError):
                code = await self.kill()
                call.settle(None, OffloadCrashed(f"the check process died (exit code {code})"))
                return calls[index + 1 :]
            except BaseException:  # cancelled (the stage is closing): the child may be busy
                await self.kill()
                raise
            finally:
                self._reading = None
            if scope.cancelled_caught:  # its caller gave up on it (``abandon``)
                await self.kill()
                call.settle(None, OffloadTimeout("abandoned by its caller"))
                return calls[index + 1 :]
            if status != OK:
                call.settle(None, OffloadCrashed(reply.decode("utf-8", "replace")))
            else:
                call.settle(reply)
        return []

    async def _spawn(self) -> None:
        """Start a child and wait until it has imported its function (not a call's time)."""
        command = [sys.executable, "-m", CHILD_MODULE, self._target]
        try:
            process = await anyio.open_process(command, stderr=None)
        except OSError as exc:  # no process to be had (limits): each call waiting fails
            raise OffloadCrashed(f"the process for {self._target} did not start: {exc}") from None
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

    Use as an async context manager: it runs one sender per child, and leaving it stops them
    and kills every child.
    """

    def __init__(self, target: str, workers: int, timeout_s: float):
        self.timeout_s = timeout_s
        self._children = [_Child(target) for _ in range(max(1, workers))]
        self._waiting: deque[_Call] = deque()
        self._wake = anyio.Event()
        self._group: TaskGroup | None = None

    async def call(self, payload: bytes) -> bytes:
        """``target(payload)`` in a child, within ``timeout_s`` of the child starting it."""
        if self._group is None:
            raise RuntimeError("Offload.call outside its async with")
        call = _Call(payload)
        self._waiting.append(call)
        self._wake.set()
        try:
            await call.done.wait()
        except BaseException:
            call.abandoned = True
            if call.child is not None and not call.done.is_set():
                call.child.abandon(call)
            raise
        if call.error is not None:
            raise call.error
        assert call.reply is not None
        return call.reply

    def _next_batch(self) -> list[_Call]:
        batch: list[_Call] = []
        size = 0
        while self._waiting and len(batch) < BATCH_CALLS and size < BATCH_BYTES:
            call = self._waiting.popleft()
            if not call.abandoned:
                batch.append(call)
                size += len(call.payload)
        return batch

    async def _serve(self, child: _Child) -> None:
        while True:
            batch = self._next_batch()
            if not batch:
                self._wake = anyio.Event() if self._wake.is_set() else self._wake
                await self._wake.wait()
                continue
            try:
                left = await child.run(batch, self.timeout_s)
            except OffloadCrashed as exc:  # the child did not start: every call of it fails
                for call in batch:
                    call.settle(None, exc)
                continue
            self._waiting.extendleft(reversed(left))  # first in line, in their order

    async def __aenter__(self) -> Offload:
        self._group = await anyio.create_task_group().__aenter__()
        for child in self._children:
            self._group.start_soon(self._serve, child)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        group, self._group = self._group, None
        try:
            if group is not None:
                group.cancel_scope.cancel()
                await group.__aexit__(None, None, None)
        finally:
            for child in self._children:
                await child.kill()
