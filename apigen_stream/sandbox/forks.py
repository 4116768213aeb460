"""Batches run in fresh forks of a pristine template: what one call does dies with its process.

With ``isolation`` "batch" (or "call"), the worker's confined, warmed process is a template: it
reads each batch from the pool, imports the batch's tools, and forks a child that runs the
batch (or one call of it) and exits. No tool code of one batch is left in the process the next
batch runs in: a patched executor, a poisoned ``sys.modules`` or a thread left behind is gone
with the child.

The child writes its results to a pipe made for it alone; the template, which runs no tool
code, relays them to the pool and accepts exactly one result per call, in order. A child that
ends mid-batch (a segfault, the seccomp filter's SIGSYS, the memory limit, ``os._exit``) costs
the call it was on: the template reports that call and runs the rest in a new fork. Inside a
batch the child watches for a call that leaves a thread running, rebinds the executor or removes
a module: that call is ``sandbox_violation`` and the rest of the batch goes to a new fork, as
does a failed call once ``sys.modules`` has changed since the fork.
"""

from __future__ import annotations

import _thread
import gc
import os
import select
import signal
import sys
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from apigen_stream.config import SandboxConfig
from apigen_stream.sandbox import confine, limits, protocol

if TYPE_CHECKING:
    from apigen_stream.sandbox.channel import Channel
    from apigen_stream.sandbox.worker import Executor

# The private scratch directory, a tmpfs of its own inside the sandbox.
SCRATCH = "/tmp"
# A child's frame may hold a result up to the cap plus the message around it.
FRAME_SLACK_BYTES = 64 * 1024
READ_BYTES = 1 << 16
# Calls of batches already received that one fork takes together.
MERGE_CALLS = 1024


@dataclass(frozen=True)
class Lockdown:
    """What ``worker.lock_down`` achieved: layer states, the CPU budget, the trusted fork."""

    layers: confine.Layers
    # Process CPU seconds at which the kernel stops the process (RLIMIT_CPU).
    cpu_end: int
    # Calls a function past the audit hook: the template's fork and kill of its children.
    trusted: limits.Trusted
    network: bool


@dataclass
class Relayed:
    """How a child's run went: results accepted, and why it stopped short if it did."""

    answered: int = 0
    # The child said its last result ends it (it can no longer be trusted with more calls).
    stopped: bool = False
    # What the child did wrong at the call it stopped on: (reason, detail), or None.
    fault: tuple[str, str] | None = None
    # The last call took long enough for the pool to have moved the calls behind it.
    slow: bool = False


class Template:
    """The pristine process batches are forked from; see the module docstring."""

    def __init__(
        self, channel: Channel, executor: Executor, lockdown: Lockdown, config: SandboxConfig
    ) -> None:
        self._channel = channel
        self._executor = executor
        self._lockdown = lockdown
        self._config = config
        self._frame_limit = config.max_result_bytes + FRAME_SLACK_BYTES
        self._children = confine.syscall_filter(processes=True) if _has_seccomp(lockdown) else None

    def serve(self, retire_at: float) -> None:
        """Run batches until the pool closes the pipe or the CPU budget is nearly spent."""
        gc.freeze()  # what is imported so far is shared with children, not copied on touch
        while (batch := self._channel.receive()) is not None:
            if batch.warm_up:
                for call in batch.calls:
                    self._channel.send(self._executor.run(call))
                gc.freeze()  # children share the warmed heap instead of copying it on touch
                continue
            if batch.calls and limits.cpu_used() >= retire_at:
                self._channel.send(protocol.Retire(next_seq=batch.calls[0].seq))
                return
            # Batches that arrived together share a fork (calls of concurrent candidates).
            calls = [*batch.calls, *self._channel.take_ready(MERGE_CALLS - len(batch.calls))]
            self._run_batch(calls)

    def _run_batch(self, calls: Sequence[protocol.CallRequest]) -> None:
        for call in calls:  # imported here once, so that no fork imports them again
            with suppress(Exception):  # the child reports it as the call's own outcome
                self._executor.resolve(call.target)
        every_call = self._config.isolation == "call"
        pending = list(calls)
        while pending:
            while pending and (answer := self._channel.withdraw_result(pending[0].seq)):
                self._channel.send(answer)  # moved to another worker while this one was busy
                pending.pop(0)
            cut = next((i for i, c in enumerate(pending) if c.seq in self._channel.withdrawn), None)
            size = min(_shared_run(pending, every_call), cut or len(pending))
            chunk, pending = pending[:size], pending[size:]
            if chunk:
                pending = self._run_child(chunk) + pending

    def _run_child(self, calls: list[protocol.CallRequest]) -> list[protocol.CallRequest]:
        """Run ``calls`` in a fresh fork; the calls it did not get to."""
        read_fd, write_fd = os.pipe()
        pid = self._lockdown.trusted(os.fork)
        if pid == 0:
            os.close(read_fd)
            self._child(calls, write_fd)
        os.close(write_fd)
        try:
            relayed = self._relay(read_fd, calls, pid)
        finally:
            os.close(read_fd)
        _, status = os.waitpid(pid, 0)
        return self._settle(calls, relayed, os.waitstatus_to_exitcode(status))

    def _child(self, calls: list[protocol.CallRequest], write_fd: int) -> None:
        code = 0
        try:
            self._channel.close()
            if self._children is not None:
                self._children.load()
            run_calls(calls, self._executor, write_fd, self._lockdown.cpu_end - self._config.cpu_s)
        except BaseException:
            code = 70  # the child's own machinery failed: its call is reported as a crash
        os._exit(code)

    def _relay(self, read_fd: int, calls: list[protocol.CallRequest], pid: int) -> Relayed:
        """Pass the child's results on, one per call in order; stop it at the first fault."""
        relayed, buffer = Relayed(), bytearray()
        while relayed.answered < len(calls) and not relayed.stopped:
            watched = [read_fd, self._channel.read_fd] if self._channel.open else [read_fd]
            readable, _, _ = select.select(watched, [], [])
            if self._channel.read_fd in readable:
                self._channel.poll()  # the pool may withdraw calls this child has yet to run
                if read_fd not in readable:
                    continue
            chunk = os.read(read_fd, READ_BYTES)
            if not chunk:
                break
            buffer.extend(chunk)
            if _frame_size(buffer) > self._frame_limit:
                detail = f"result exceeds the cap of {self._config.max_result_bytes} bytes"
                relayed.fault = ("result_too_large", detail)
                break
            out = [self._accept(body, calls, relayed) for body in protocol.split_frames(buffer)]
            self._channel.send_framed(b"".join(frame for frame in out if frame))
            if relayed.fault is not None:
                break
            withdrawn = self._channel.withdrawn
            rest = calls[relayed.answered :]
            if relayed.slow and withdrawn and any(c.seq in withdrawn for c in rest):
                relayed.stopped = True  # a new fork runs the rest, without the withdrawn
        if relayed.answered < len(calls) or relayed.stopped:
            self._kill(pid)  # whatever it does next is not wanted
        return relayed

    def _kill(self, pid: int) -> None:
        with suppress(ProcessLookupError):
            self._lockdown.trusted(os.kill, pid, signal.SIGKILL)

    def _accept(self, body: bytes, calls: list[protocol.CallRequest], relayed: Relayed) -> bytes:
        """The framed result to pass on, or b"" when the child is out of turn or done."""
        if relayed.fault is not None or relayed.stopped or relayed.answered >= len(calls):
            return b""
        try:
            message = protocol.from_worker_decoder.decode(body)
        except msgspec.DecodeError:
            message = None
        expected = calls[relayed.answered].seq
        if not isinstance(message, protocol.CallResult) or message.seq != expected:
            relayed.fault = ("sandbox_violation", "wrote to the result channel out of turn")
            return b""
        relayed.answered += 1
        relayed.stopped = message.last
        relayed.slow = message.elapsed_ms >= protocol.SLOW_CALL_MS
        return len(body).to_bytes(protocol.HEADER_BYTES, "big") + body

    def _settle(
        self, calls: list[protocol.CallRequest], relayed: Relayed, returncode: int
    ) -> list[protocol.CallRequest]:
        """Report the call a child ended on; return the calls to run in a new fork."""
        rest = calls[relayed.answered :]
        if not rest:
            return []
        if relayed.fault is None and (relayed.stopped or (returncode == 0 and relayed.answered)):
            return rest  # stopped on purpose, after progress: the rest was never run
        reason, detail = relayed.fault or _exit_reason(returncode, self._config)
        self._channel.send(
            protocol.CallResult(seq=rest[0].seq, ok=False, reason=reason, detail=detail)
        )
        return rest[1:]


def _shared_run(calls: Sequence[protocol.CallRequest], every_call: bool) -> int:
    """How many of the first ``calls`` may share one fork: one if the first runs alone."""
    if every_call or not calls or calls[0].alone:
        return 1
    return next((i for i, call in enumerate(calls) if call.alone), len(calls))


def _has_seccomp(lockdown: Lockdown) -> bool:
    return lockdown.layers.get("seccomp", "").startswith("on")


def _frame_size(buffer: bytearray) -> int:
    if len(buffer) < protocol.HEADER_BYTES:
        return 0
    return int.from_bytes(buffer[: protocol.HEADER_BYTES], "big")


def _exit_reason(returncode: int, config: SandboxConfig) -> tuple[str, str]:
    _, reason, detail = limits.exit_cause(None, returncode, config)
    return reason, detail.replace("worker", "process")


def run_calls(
    calls: Sequence[protocol.CallRequest], executor: Executor, write_fd: int, retire_at: float
) -> None:
    """The child's loop: run each call, check what it left behind, write its result.

    Everything the loop uses is bound before the first call, so a tool that rebinds a name
    (``Executor.run``, ``os.write``) changes nothing here, only what the check reports.
    """
    run, write, encode = type(executor).run, os.write, protocol.frame
    methods = dict(vars(type(executor)))
    threads, modules = _thread._count(), dict(sys.modules)
    for index, call in enumerate(calls):
        if index and limits.cpu_used() >= retire_at:
            return  # the template runs the rest in a new fork
        result = run(executor, call)
        problem = _left_behind(threads, methods, type(executor), modules)
        if problem:
            result = protocol.CallResult(
                seq=call.seq, ok=False, reason="sandbox_violation", detail=problem, last=True
            )
        elif index and not result.ok and sys.modules != modules:
            return  # an earlier call may have changed sys.modules under this one: run it afresh
        view = memoryview(encode(result))
        while view:
            view = view[write(write_fd, view) :]
        if problem:
            return


def _left_behind(threads: int, methods: dict[str, Any], cls: type, modules: dict[str, Any]) -> str:
    """What a call left that could change later calls' outcomes, or ""."""
    extra = _thread._count() - threads
    if extra > 0:
        return f"left {extra} thread(s) running after it returned"
    if vars(cls) != methods:
        return "rebound the sandbox's executor"
    if len(sys.modules) < len(modules):
        return "removed modules from sys.modules"
    return ""
