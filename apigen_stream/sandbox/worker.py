"""A sandbox worker process: ``python -m apigen_stream.sandbox.worker MEMORY_MB CPU_S MAX_BYTES``.

The pool talks to it over the worker's stdin and stdout, which the worker moves to private file
descriptors at start so that a tool's ``print`` cannot corrupt the protocol. The worker locks
itself down (``limits.lock_down``), says ``Ready``, then runs batches of calls: each call is
imported by ``module:function``, called with keyword arguments only, its result made JSON-safe
and size-capped, and its ``CallResult`` written as soon as it ends.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import time
from collections.abc import Callable
from typing import Any, BinaryIO

import msgspec

from apigen_stream.sandbox import limits, protocol
from apigen_stream.sandbox.results import encode_result

# Enough of an exception message to tell what went wrong, short enough for a metric-free record.
DETAIL_CHARS = 500


class Executor:
    """Runs calls by target name with keyword arguments; no I/O besides the tool's own."""

    def __init__(self, max_result_bytes: int, violations: limits.ViolationLog) -> None:
        self._max_bytes = max_result_bytes
        self._violations = violations
        self._functions: dict[str, Callable[..., Any]] = {}

    def resolve(self, target: str) -> Callable[..., Any]:
        """The function at ``module:function``, imported once."""
        func = self._functions.get(target)
        if func is None:
            module_name, _, attr = target.partition(":")
            obj: Any = importlib.import_module(module_name)
            for part in attr.split("."):
                obj = getattr(obj, part)
            if not callable(obj):
                raise TypeError(f"{target} is not callable")
            func = self._functions[target] = obj
        return func

    def run(self, call: protocol.CallRequest) -> protocol.CallResult:
        """Run one call and describe how it ended."""
        try:
            func = self.resolve(call.target)
        except Exception as exc:  # an unimportable tool cannot run, whatever the reason
            return _failed(call.seq, "not_executable", f"cannot import {call.target}: {exc}", 0.0)
        self._violations.clear()
        started = time.perf_counter()
        try:
            value = func(**call.arguments)
            if inspect.isawaitable(value):
                _close(value)
                raise TypeError("coroutine functions are not supported by the sandbox")
            encoded = encode_result(value)
        except MemoryError:
            return _failed(call.seq, "memory_limit", "MemoryError", _ms(started))
        except BaseException as exc:  # SystemExit too: a tool never ends the worker
            return self._exception(call.seq, exc, _ms(started))
        elapsed = _ms(started)
        if self._violations.events:
            return _violation(call.seq, self._violations.events, elapsed)
        if len(encoded) > self._max_bytes:
            detail = f"result of {len(encoded)} bytes exceeds the cap of {self._max_bytes}"
            return _failed(call.seq, "result_too_large", detail, elapsed)
        return protocol.CallResult(
            seq=call.seq, ok=True, result=msgspec.Raw(encoded), elapsed_ms=elapsed
        )

    def _exception(self, seq: int, exc: BaseException, elapsed: float) -> protocol.CallResult:
        if self._violations.events or isinstance(exc, limits.SandboxViolation):
            return _violation(seq, self._violations.events or [str(exc)], elapsed)
        detail = f"{type(exc).__name__}: {exc}"[:DETAIL_CHARS]
        return _failed(seq, "exception", detail, elapsed)


def _close(value: Any) -> None:
    close = getattr(value, "close", None)
    if callable(close):
        close()


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def _failed(seq: int, reason: str, detail: str, elapsed: float) -> protocol.CallResult:
    return protocol.CallResult(seq=seq, ok=False, reason=reason, detail=detail, elapsed_ms=elapsed)


def _violation(seq: int, events: list[str], elapsed: float) -> protocol.CallResult:
    detail = f"refused: {', '.join(dict.fromkeys(events))}"[:DETAIL_CHARS]
    return _failed(seq, "sandbox_violation", detail, elapsed)


class Channel:
    """Framed messages over the two pipes to the pool."""

    def __init__(self, reader: BinaryIO, write_fd: int) -> None:
        self._reader = reader
        self._write_fd = write_fd

    def send(self, message: msgspec.Struct) -> None:
        """Write one message whole (a pipe may take it in several writes)."""
        view = memoryview(protocol.frame(message))
        while view:
            view = view[os.write(self._write_fd, view) :]

    def receive(self) -> protocol.CallBatch | None:
        """The next batch, or None once the pool has closed the pipe."""
        header = self._reader.read(protocol.HEADER_BYTES)
        if len(header) < protocol.HEADER_BYTES:
            return None
        body = self._reader.read(int.from_bytes(header, "big"))
        return protocol.to_worker_decoder.decode(body)


def take_stdio() -> Channel:
    """Move stdin/stdout to private descriptors and point 0, 1 (and 2) at /dev/null."""
    read_fd, write_fd = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    return Channel(os.fdopen(read_fd, "rb", buffering=1 << 16), write_fd)


def serve(channel: Channel, executor: Executor, cpu_retire_at: float) -> None:
    """Run batches until the pool closes the pipe or the CPU budget is nearly spent."""
    while (batch := channel.receive()) is not None:
        for call in batch.calls:
            if limits.cpu_used() >= cpu_retire_at:
                channel.send(protocol.Retire(next_seq=call.seq))
                return
            channel.send(executor.run(call))


def preload(modules: list[str]) -> None:
    """Import trusted library dependencies before the lock-down.

    Some well-kept packages do at import what the sandbox refuses later (croniter asks
    ``platform.architecture()``, which runs ``file``): importing them first keeps their calls
    working without loosening the lock-down for tool code.
    """
    for name in modules:
        importlib.import_module(name)


def main(argv: list[str]) -> int:
    """Entry point: lock down, say Ready, serve."""
    channel = take_stdio()
    try:
        memory_mb, cpu_s, max_bytes = int(argv[0]), float(argv[1]), int(argv[2])
        preload(argv[3:])
        violations = limits.ViolationLog()
        lockdown = limits.lock_down(memory_mb, cpu_s, violations)
    except Exception as exc:  # report any start-up failure to the pool in one line
        channel.send(protocol.Fatal(detail=f"{type(exc).__name__}: {exc}"))
        return 1
    sys.dont_write_bytecode = True
    channel.send(
        protocol.Ready(
            pid=os.getpid(), network_isolated=lockdown.network_isolated, limits=lockdown.applied
        )
    )
    serve(channel, Executor(max_bytes, violations), lockdown.cpu_end - cpu_s)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
