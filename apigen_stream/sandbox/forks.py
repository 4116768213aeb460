"""Batches run in fresh forks of a pristine template: what one call does dies with its process.

With ``isolation`` "batch" (or "call"), the worker's confined, warmed process is a template: it
reads each batch from the pool, imports the batch's tools, and forks a child that runs the
batch (or one call of it) and exits. No tool code of one batch is left in the process the next
batch runs in: a patched executor, a poisoned ``sys.modules`` or a thread left behind is gone
with the child.

The child writes its results to a pipe made for it alone; the template, which runs no tool
code, relays them to the pool and accepts exactly one result per call, in order. A fork costs
milliseconds (the copy of the page tables, loading the seccomp filter), so the template forks
ahead: while one child runs a batch, the next is already made, filtered and waiting on a pipe of
its own for its calls. It is forked from the template as it is then, pristine; the calls it gets
are the only thing it learns after the fork. Until then it keeps every signal it can blocked
(the running child, as the same user, could signal it), and once it has its calls it discards
the ones that came meanwhile; the template continues it before handing it its calls, in case it
was stopped. The template itself, PID 1 of its namespace, installs no signal handler, so the
kernel drops every signal sent to it from inside. A child that ends mid-batch (a segfault, the
seccomp filter's SIGSYS, the memory limit, ``os._exit``) costs the call it was on: the template
reports that call and runs the rest in a new fork. Inside a batch the child watches for a call
that leaves a thread running, rebinds the executor or removes a module: that call is
``sandbox_violation`` and the rest of the batch goes to a new fork, as does a failed call once
``sys.modules`` has changed since the fork (against a copy the template took, not the child:
every object a child touches costs it a copied page).
A child that has answered every call is killed and reaped later: its exit status would tell
nothing more, and tearing its address space down takes the kernel milliseconds that the next
batch need not wait for.

Memory: the template grows with every batch's imports, under its own cap
(``template_memory_mb``). Each fork, before it reads its calls, lowers its address-space limit
(soft and hard) to its mapping plus ``memory_mb``, so a call's budget does not depend on what
earlier batches imported; a spare made before this batch's imports is discarded, and a template
that could no longer leave a fork its whole budget retires for a fresh one.
"""

from __future__ import annotations

import _thread
import gc
import os
import signal
import sys
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from apigen_stream.config import SandboxConfig
from apigen_stream.sandbox import confine, hugepages, limits, protocol

if TYPE_CHECKING:
    from apigen_stream.sandbox.channel import Channel
    from apigen_stream.sandbox.worker import Executor

# The private scratch directory, a tmpfs of its own inside the sandbox.
SCRATCH = "/tmp"
# A child's frame may hold a result up to the cap plus the message around it.
FRAME_SLACK_BYTES = 64 * 1024
READ_BYTES = 1 << 16
# How long the relay lets a child's results gather before passing them on (seconds): far below
# the pool's tick (10 ms), so no deadline moves, and long enough for dozens of cheap calls.
COALESCE_S = 0.0005
# Calls of batches already received that one fork takes together.
MERGE_CALLS = 4096
# What the template hands a fork: its calls, encoded once.
calls_encoder = msgspec.json.Encoder()
calls_decoder = msgspec.json.Decoder(list[protocol.CallRequest])


@dataclass(frozen=True)
class Lockdown:
    """What ``worker.lock_down`` achieved: layer states, the CPU budget, the trusted fork."""

    layers: confine.Layers
    # Process CPU seconds at which the kernel stops the process (RLIMIT_CPU).
    cpu_end: int
    # Calls a function past the audit hook: the template's fork and kill of its children.
    trusted: limits.Trusted
    network: bool


@dataclass(frozen=True)
class Spare:
    """A fork waiting for its calls: the pipe it reads them from, the pipe it writes results to."""

    pid: int
    calls_fd: int
    results_fd: int
    # Modules the template held when it made this fork: fewer than it holds now, the fork would
    # import the rest itself, inside its call's memory budget.
    modules: int


@dataclass
class Relayed:
    """How a child's run went: results accepted, and why it stopped short if it did."""

    answered: int = 0
    # The child said its last result ends it (it can no longer be trusted with more calls).
    stopped: bool = False
    # What the child did wrong at the call it stopped on: (reason, detail), or None.
    fault: tuple[str, str] | None = None
    # A call of the last chunk read took long enough for the pool to have moved the calls behind it.
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
        self._children = (
            confine.compile_filter(confine.syscall_filter(processes=True))
            if _has_seccomp(lockdown)
            else None
        )
        # The fork made ahead for the next batch.
        self._spare: Spare | None = None
        # The handlers a child puts back after discarding a signal that came while it waited.
        self._handlers = _handlers()
        # ``sys.modules`` as of the last fork, taken here and inherited: a child that copied it
        # itself would touch every module object, and each touch copies a page shared with the
        # template.
        self._modules: dict[str, Any] = {}
        # PID 1 of a namespace gets the signals sent from inside it only where it handles them:
        # without Python's SIGINT handler, no child can interrupt the template.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        # How many modules were loaded at the last ``gc.freeze``.
        self._frozen_modules = 0
        # The template ran out of its own address space (or of room for a fork's budget on top
        # of what it holds) importing a batch's tools: it retires at the next batch.
        self._exhausted = False
        # Children killed and not yet reaped: the kernel tears a child's address space down in
        # its own time, and waiting for that would hold up the next batch.
        self._ended: list[int] = []

    def serve(self, retire_at: float) -> None:
        """Run batches until the pool closes the pipe or the CPU budget is nearly spent."""
        try:
            self._serve(retire_at)
        finally:
            self._discard_spare()
            self._reap(wait=True)

    def _serve(self, retire_at: float) -> None:
        self._freeze()  # what is imported so far is shared with children, not copied on touch
        while (batch := self._channel.receive()) is not None:
            if batch.warm_up:
                self._discard_spare()  # forked cold: the next fork is made from the warmed heap
                for call in batch.calls:
                    self._channel.send(self._executor.run(call))
                self._freeze()  # children share the warmed heap instead of copying it on touch
                continue
            if batch.calls and (self._exhausted or limits.cpu_used() >= retire_at):
                self._channel.send(protocol.Retire(next_seq=batch.calls[0].seq))
                return
            # Batches that arrived together share a fork (calls of concurrent candidates).
            calls = [*batch.calls, *self._channel.take_ready(MERGE_CALLS - len(batch.calls))]
            self._run_batch(calls)

    def _freeze(self) -> None:
        self._modules = dict(sys.modules)
        gc.freeze()
        self._frozen_modules = len(sys.modules)
        # Forks copy a page-table entry per 2 MiB of it, not per 4 KiB (``hugepages``).
        self._lockdown.trusted(hugepages.collapse)

    def _discard_spare(self) -> None:
        """End the spare fork unused (killed: it may have been stopped, and holds nothing)."""
        if self._spare is not None:
            spare, self._spare = self._spare, None
            self._end(spare)

    def _end(self, fork: Spare) -> None:
        """Kill a fork that ran no call and close its pipes; it is reaped later."""
        os.close(fork.calls_fd)
        os.close(fork.results_fd)
        self._kill(fork.pid)
        self._ended.append(fork.pid)

    def _reap(self, *, wait: bool = False) -> None:
        """Reap the ended children that have exited by now (``wait``: all of them)."""
        waiting = []
        for pid in self._ended:
            with suppress(ChildProcessError):
                if os.waitpid(pid, 0 if wait else os.WNOHANG)[0] == 0:
                    waiting.append(pid)
        self._ended = waiting

    def _run_batch(self, calls: Sequence[protocol.CallRequest]) -> None:
        self._import(calls)
        every_call = self._config.isolation == "call"
        pending = list(calls)
        while pending:
            answers = []  # moved to another worker while this one was busy: one write for all
            while pending and (answer := self._channel.withdraw_result(pending[0].seq)):
                answers.append(protocol.frame(answer))
                pending.pop(0)
            self._channel.send_framed(b"".join(answers))
            cut = next((i for i, c in enumerate(pending) if c.seq in self._channel.withdrawn), None)
            size = min(_shared_run(pending, every_call), cut or len(pending))
            chunk, pending = pending[:size], pending[size:]
            if chunk:
                pending = self._run_child(chunk) + pending

    def _import(self, calls: Sequence[protocol.CallRequest]) -> None:
        """Import the batch's tools here once, so that no fork imports them again."""
        modules = len(sys.modules)
        for call in calls:
            try:
                self._executor.resolve(call.target)
            except MemoryError:  # past the template's cap: the forks import what is left
                self._exhausted = True
            except Exception:  # the child reports it as the call's own outcome
                continue
        if self._spare is not None and self._spare.modules != len(sys.modules):
            self._discard_spare()  # forked cold: it would import this batch's modules itself
        if len(sys.modules) != modules and not limits.room_for_fork(self._config.memory_mb):
            self._exhausted = True  # its forks would get less than their budget: retire

    def _run_child(self, calls: list[protocol.CallRequest]) -> list[protocol.CallRequest]:
        """Run ``calls`` in a fresh fork; the calls it did not get to."""
        child = self._take_spare(calls)
        # The next batch's fork is made now, while this one runs, not when that batch waits.
        with suppress(OSError):  # none made: the next batch forks when it comes, as it can
            self._spare = self._fork(inherited=(child.results_fd,))
        try:
            relayed = self._relay(child.results_fd, calls, child.pid)
        finally:
            os.close(child.results_fd)
        self._reap()
        if relayed.answered == len(calls):
            # Every call answered: its exit status would tell nothing more. Whatever it still
            # does is not wanted (a tool may have replaced ``os._exit``), and it is reaped later.
            self._kill(child.pid)
            self._ended.append(child.pid)
            return []
        _, status = os.waitpid(child.pid, 0)
        return self._settle(calls, relayed, os.waitstatus_to_exitcode(status))

    def _take_spare(self, calls: list[protocol.CallRequest]) -> Spare:
        """The spare fork, given ``calls``; a fresh fork if there is none or it is gone."""
        payload = calls_encoder.encode(calls)
        for _ in range(2):
            child, self._spare = self._spare or self._fork(), None
            try:
                # Stopped by the child that ran while it waited? That child has ended: go on.
                self._lockdown.trusted(os.kill, child.pid, signal.SIGCONT)
                _write_all(child.calls_fd, payload)
            except OSError:  # it died waiting (killed from outside): reap it, make another
                self._end(child)
                continue
            os.close(child.calls_fd)  # end of its calls: the child reads to the end
            return child
        raise OSError("a fork of the template died before it got its calls, twice")

    def _fork(self, inherited: Sequence[int] = ()) -> Spare:
        """A child of the template as it is now, waiting for calls on a pipe of its own.

        ``inherited``: descriptors of the template's (the running child's results) to close.
        """
        if len(sys.modules) != self._frozen_modules:
            # What the template imported since is shared, not walked by a child's GC (only then:
            # a freeze also keeps whatever garbage cycles there are for good).
            gc.collect()
            self._freeze()
        calls_read, calls_write = os.pipe()
        results_read, results_write = os.pipe()
        # Blocked across the fork and, in the child, until it has its calls.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
        try:
            pid = self._lockdown.trusted(os.fork)
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            for fd in (calls_read, calls_write, results_read, results_write):
                os.close(fd)
            raise
        if pid == 0:
            self._child(calls_read, results_write, [calls_write, results_read, *inherited], mask)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(calls_read)
        os.close(results_write)
        return Spare(
            pid=pid, calls_fd=calls_write, results_fd=results_read, modules=len(sys.modules)
        )

    def _child(
        self, calls_fd: int, results_fd: int, theirs: list[int], mask: set[int | signal.Signals]
    ) -> None:
        code = 0
        try:
            # Each call's budget counts from what the template holds now, whatever it imported
            # before; past the audit hook, which refuses every limit change to tool code.
            self._lockdown.trusted(limits.cap_address_space, self._config.memory_mb)
            # Nothing of the pool's, of another child's or of the template's end stays open.
            self._channel.close()
            for fd in theirs:
                os.close(fd)
            if self._children is not None:
                self._children.load()
            payload = confine.read_to_end(calls_fd)  # until the template closes its end
            os.close(calls_fd)
            # The child that ran while this one waited has ended: what it sent is dropped.
            _discard_pending(self._handlers)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            if payload:  # empty: the template discarded this fork unused
                retire_at = self._lockdown.cpu_end - self._config.cpu_s
                calls = calls_decoder.decode(payload)
                run_calls(calls, self._executor, results_fd, retire_at, self._modules)
        except BaseException:
            code = 70  # the child's own machinery failed: its call is reported as a crash
        os._exit(code)

    def _relay(self, read_fd: int, calls: list[protocol.CallRequest], pid: int) -> Relayed:
        """Pass the child's results on, one per call in order; stop it at the first fault.

        The pool's pipe is read only after a slow call: withdrawals come only then, and reading
        it on every batch the pool sends would cost a wake-up for nothing. After passing results
        on, the template waits ``COALESCE_S`` before reading again, so that a run of cheap calls
        crosses it (and reaches the pool) many results per wake-up, not one.
        """
        relayed, buffer = Relayed(), bytearray()
        while relayed.answered < len(calls) and not relayed.stopped:
            chunk = os.read(read_fd, READ_BYTES)
            if not chunk:
                break
            relayed.slow = False
            buffer.extend(chunk)
            if _frame_size(buffer) > self._frame_limit:
                detail = f"result exceeds the cap of {self._config.max_result_bytes} bytes"
                relayed.fault = ("result_too_large", detail)
                break
            out = [self._accept(body, calls, relayed) for body in protocol.split_frames(buffer)]
            self._channel.send_framed(b"".join(frame for frame in out if frame))
            if relayed.fault is not None:
                break
            if relayed.slow:
                self._channel.poll()  # the pool may have withdrawn calls this child is yet to run
                withdrawn, rest = self._channel.withdrawn, calls[relayed.answered :]
                if withdrawn and any(c.seq in withdrawn for c in rest):
                    relayed.stopped = True  # a new fork runs the rest, without the withdrawn
            elif len(chunk) < READ_BYTES and relayed.answered < len(calls):
                time.sleep(COALESCE_S)
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
        relayed.slow = relayed.slow or message.elapsed_ms >= protocol.SLOW_CALL_MS
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


def _handlers() -> dict[int, Any]:
    """The handlers of every signal a process may ignore, as Python set them (others are C's)."""
    handlers: dict[int, Any] = {}
    for signum in signal.valid_signals():
        if signum in (signal.SIGKILL, signal.SIGSTOP):
            continue
        handler = signal.getsignal(signum)
        if handler is not None:
            handlers[int(signum)] = handler
    return handlers


def _discard_pending(handlers: dict[int, Any]) -> None:
    """Drop the blocked signals pending here: ignoring a pending signal discards it."""
    for signum in signal.sigpending():
        if signum in handlers:
            signal.signal(signum, signal.SIG_IGN)
            signal.signal(signum, handlers[signum])


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


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
    calls: Sequence[protocol.CallRequest],
    executor: Executor,
    write_fd: int,
    retire_at: float,
    modules: dict[str, Any],
) -> None:
    """The child's loop: run each call, check what it left behind, write its result.

    ``modules``: ``sys.modules`` as the child was forked with. Everything the loop uses is
    bound before the first call, so a tool that rebinds a name (``Executor.run``, ``os.write``)
    changes nothing here, only what the check reports.
    """
    run, write, encode = type(executor).run, os.write, protocol.frame
    methods = dict(vars(type(executor)))
    threads = _thread._count()
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
