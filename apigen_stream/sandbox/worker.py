"""A sandbox worker process: ``python -m apigen_stream.sandbox.worker SANDBOX_CONFIG_JSON``.

The pool talks to it over the worker's stdin and stdout, which the worker moves to private file
descriptors at start so that a tool's ``print`` cannot corrupt the protocol. The worker confines
itself (``lock_down``: namespaces, mounts, user, rlimits, seccomp, audit hook), says ``Ready``
with what it could enforce, then runs batches of calls: each call is imported by
``module:function``, called with keyword arguments only, its result made JSON-safe and
size-capped, and its ``CallResult`` written as soon as it ends. With ``isolation`` "batch" or
"call" it runs none of them itself: each batch (or call) runs in a fresh fork (``forks``).
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from apigen_stream.collector import collect_rarely
from apigen_stream.config import HIDDEN_PATHS, SandboxConfig
from apigen_stream.sandbox import confine, forks, limits, protocol
from apigen_stream.sandbox.channel import Channel, take_stdio
from apigen_stream.sandbox.results import encode_result, exceeds

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
        except MemoryError:  # the import itself ran out of the call's memory budget
            detail = f"MemoryError while importing {call.target}"
            return _failed(call.seq, "memory_limit", detail, 0.0)
        except Exception as exc:  # an unimportable tool cannot run, whatever the reason
            return _failed(call.seq, "not_executable", f"cannot import {call.target}: {exc}", 0.0)
        self._violations.clear()
        started = time.perf_counter()
        try:
            value = func(**call.arguments)
            if inspect.isawaitable(value):
                _close(value)
                raise TypeError("coroutine functions are not supported by the sandbox")
        except MemoryError:
            return _failed(call.seq, "memory_limit", "MemoryError", _ms(started))
        except BaseException as exc:  # SystemExit too: a tool never ends the worker
            return self._exception(call.seq, exc, _ms(started))
        elapsed = _ms(started)
        if self._violations.events:
            return _violation(call.seq, self._violations.events, elapsed)
        encoded = self._encode(value)
        if encoded is None:
            detail = f"result exceeds the cap of {self._max_bytes} bytes"
            return _failed(call.seq, "result_too_large", detail, elapsed)
        return protocol.CallResult(
            seq=call.seq, ok=True, result=msgspec.Raw(encoded), elapsed_ms=elapsed
        )

    def _encode(self, value: Any) -> bytes | None:
        """The result's JSON, or None when it is past the cap (however far past)."""
        if exceeds(value, self._max_bytes):
            return None
        try:
            encoded = encode_result(value)
        except MemoryError:
            return None
        return encoded if len(encoded) <= self._max_bytes else None

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


def serve(channel: Channel, executor: Executor, cpu_retire_at: float) -> None:
    """Run batches until the pool closes the pipe or the CPU budget is nearly spent.

    After a slow call, the pool may have moved the calls behind it elsewhere: those are
    answered ``withdrawn``, not run again.
    """
    while (batch := channel.receive()) is not None:
        for call in batch.calls:
            if limits.cpu_used() >= cpu_retire_at:
                channel.send(protocol.Retire(next_seq=call.seq))
                return
            result = channel.withdraw_result(call.seq) or executor.run(call)
            if result.elapsed_ms >= protocol.SLOW_CALL_MS:
                channel.poll()
            channel.send(result)
        if batch.warm_up:
            collect_rarely()  # the data the warm-up loaded is never walked again


def preload(modules: list[str]) -> None:
    """Import trusted library dependencies before the lock-down.

    Some well-kept packages do at import what the sandbox refuses later (croniter asks
    ``platform.architecture()``, which runs ``file``): importing them first keeps their calls
    working without loosening the lock-down for tool code.
    """
    for name in modules:
        importlib.import_module(name)


def import_roots() -> list[str]:
    """Where this worker imports from besides ``sys.path``: its prefixes, and this package's own
    directory, which an editable install maps in through an import hook, not a path entry."""
    return [sys.prefix, sys.base_prefix, str(Path(__file__).resolve().parent.parent)]


def lock_down(config: SandboxConfig, violations: limits.ViolationLog) -> forks.Lockdown:
    """Confine this process, in order; the audit hook last, as the steps before it need ctypes.

    Every layer is tried, and what it achieved is recorded: the pool reports it at start-up.
    """
    layers: confine.Layers = {}
    as_root = os.geteuid() == 0
    layers["parent_death"] = "on" if confine.die_with_parent() else "off: prctl failed"
    entered = confine.enter_namespaces(as_root)
    if "pids" in entered:
        confine.become_pid_one()
    _namespace_layers(layers, entered, as_root)
    scratch, hidden = forks.SCRATCH, [*HIDDEN_PATHS, *config.hidden_paths]
    if "mounts" in entered:
        owner, needed = (config.uid, config.gid), [*import_roots(), *sys.path]
        failed = confine.private_mounts(scratch, config.scratch_mb, owner, hidden, needed)
        layers["filesystem"] = f"partly: not read-only or hidden: {', '.join(failed)}" if failed \
            else f"on: read-only, hidden paths covered, private scratch {scratch}"  # fmt: skip
        os.chdir(scratch)
    else:
        layers["filesystem"] = "off: needs root for a mount namespace"
        scratch = ""
    cpu_end = limits.cpu_budget_end(config.cpu_s)
    applied = limits.apply_rlimits(limits.worker_memory_mb(config), cpu_end)
    layers["rlimits"] = f"on: {', '.join(applied)}"
    _drop_user(layers, config, as_root)
    if "network" not in entered and as_root:  # root that may not unshare: try as the user
        entered |= confine.isolate_network()
        _namespace_layers(layers, entered, as_root)
    _filter_syscalls(layers, processes=config.isolation == "process")
    paths = limits.Paths(hidden=tuple(hidden), scratch=scratch)
    trusted = limits.install_audit_hook(violations, paths)
    layers["audit_hook"] = "on"
    network = "network" in entered
    return forks.Lockdown(layers=layers, cpu_end=cpu_end, trusted=trusted, network=network)


def _namespace_layers(layers: confine.Layers, entered: set[str], as_root: bool) -> None:
    layers["network"] = "on" if "network" in entered else "off: no network namespace allowed"
    why = "off: needs root" if not as_root else "off: unshare refused"
    layers["pid_namespace"] = "on" if "pids" in entered else why


def _drop_user(layers: confine.Layers, config: SandboxConfig, as_root: bool) -> None:
    if as_root:
        confine.drop_privileges(config.uid, config.gid)
        # A change of user clears the parent-death signal: ask for it again.
        if not confine.die_with_parent():
            raise OSError("the parent-death signal could not be set again")
        layers["user"] = f"on: uid {config.uid}, gid {config.gid}"
    else:
        layers["user"] = f"on: started unprivileged (uid {os.getuid()})"
    confine.no_new_privs()
    layers["no_new_privs"] = "on"


def _filter_syscalls(layers: confine.Layers, processes: bool) -> None:
    """Load the seccomp filter; a process that forks for each batch forbids forks in children."""
    try:
        confine.syscall_filter(processes).load()
    except (ImportError, OSError, RuntimeError) as exc:  # no libseccomp: say so, go on
        layers["seccomp"] = f"off: {type(exc).__name__}: {exc}"
    else:
        layers["seccomp"] = "on" if processes else "on: forks allowed to the template only"


def main(argv: list[str]) -> int:
    """Entry point: lock down, say Ready, serve."""
    channel = take_stdio()
    try:
        config = msgspec.json.decode(argv[0], type=SandboxConfig)
        preload(config.preload)
        violations = limits.ViolationLog()
        lockdown = lock_down(config, violations)
    except Exception as exc:  # report any start-up failure to the pool in one line
        channel.send(protocol.Fatal(detail=f"{type(exc).__name__}: {exc}"))
        return 1
    sys.dont_write_bytecode = True
    applied = [
        name for name, state in lockdown.layers.items() if state.startswith(("on", "partly"))
    ]
    channel.send(
        protocol.Ready(
            pid=os.getpid(),
            network_isolated=lockdown.network,
            limits=[*applied, *lockdown.layers["rlimits"].removeprefix("on: ").split(", ")],
            layers=lockdown.layers,
        )
    )
    executor = Executor(config.max_result_bytes, violations)
    retire_at = lockdown.cpu_end - config.cpu_s
    if config.isolation == "process":
        serve(channel, executor, retire_at)
    else:
        forks.Template(channel, executor, lockdown, config).serve(retire_at)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
