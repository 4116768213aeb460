"""Starting a sandbox worker: its environment, its ``Ready``, and its warm-up.

A pool may be given warm-up calls: every worker, the first ones and their replacements, runs
them before it takes work, their outcomes ignored. Tools that load data inside their first call
(unit registries, dictionaries, phone tables) then do it before the worker counts as started,
not while a batch waits on them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Protocol

import anyio
import anyio.abc
import msgspec

from apigen_stream.errors import SandboxError
from apigen_stream.sandbox import protocol
from apigen_stream.sandbox.forks import SCRATCH

CallSpec = protocol.CallSpec
# A fresh interpreter starts in well under a second; a loaded machine may take many times that.
START_TIMEOUT_S = 30.0


class Started(Protocol):
    """What start-up needs of a worker: its process and the bytes read from it so far."""

    @property
    def process(self) -> anyio.abc.Process: ...

    @property
    def buffer(self) -> bytearray: ...


async def await_ready(worker: Started) -> protocol.Ready:
    """The worker's ``Ready``, or a ``SandboxError`` saying why it did not start."""
    stdout = worker.process.stdout
    assert stdout is not None
    try:
        with anyio.fail_after(START_TIMEOUT_S):
            while not (bodies := protocol.split_frames(worker.buffer)):
                worker.buffer.extend(await stdout.receive())
    except (anyio.EndOfStream, anyio.BrokenResourceError) as exc:
        raise SandboxError("a sandbox worker exited during start-up") from exc
    except TimeoutError as exc:
        raise SandboxError(f"a sandbox worker did not start in {START_TIMEOUT_S:g} s") from exc
    message = protocol.from_worker_decoder.decode(bodies[0])
    if isinstance(message, protocol.Fatal):
        raise SandboxError(f"a sandbox worker could not start: {message.detail}")
    if not isinstance(message, protocol.Ready):
        raise SandboxError(f"a sandbox worker sent {type(message).__name__} before Ready")
    return message


def warm_up_batch(calls: Sequence[CallSpec]) -> tuple[bytes, int] | None:
    """The framed batch of warm-up calls and how many there are (None when there are none)."""
    wires = []
    for seq, (target, _, arguments) in enumerate(calls):
        with suppress(TypeError, ValueError, msgspec.EncodeError):
            wires.append(protocol.encode_call(seq, target, arguments))
    if not wires:
        return None
    return protocol.frame(protocol.OutgoingBatch(calls=wires, warm_up=True)), len(wires)


class WarmUpFailed(Exception):
    """A worker's warm-up went wrong: the worker is dropped, its replacement starts cold."""


async def warm(worker: Started, batch: bytes, count: int, call_timeout_s: float) -> None:
    """Run the warm-up batch on a started worker, before its reader and writer tasks exist.

    Each call has the pool's wall-time limit, counted from the end of the one before.
    """
    stdin, stdout = worker.process.stdin, worker.process.stdout
    assert stdin is not None and stdout is not None
    answered = 0
    try:
        await stdin.send(batch)
        while True:
            for body in protocol.split_frames(worker.buffer):
                if isinstance(protocol.from_worker_decoder.decode(body), protocol.Retire):
                    raise WarmUpFailed("a worker spent its CPU budget on the warm-up")
                answered += 1
            if answered >= count:
                return
            with anyio.fail_after(call_timeout_s):
                worker.buffer.extend(await stdout.receive())
    except (anyio.EndOfStream, anyio.BrokenResourceError) as exc:
        raise WarmUpFailed(f"a worker exited during warm-up call {answered}") from exc
    except TimeoutError as exc:
        raise WarmUpFailed(
            f"warm-up call {answered} ran past the {call_timeout_s:g} s limit"
        ) from exc


def worker_env() -> dict[str, str]:
    """A minimal environment: no secrets reach tools; the worker imports what this process can."""
    paths = [str(Path(p or os.curdir).resolve()) for p in sys.path]
    return {
        "PYTHONPATH": os.pathsep.join(p for p in dict.fromkeys(paths) if Path(p).is_dir()),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUTF8": "1",
        "HOME": SCRATCH,
        "TMPDIR": SCRATCH,
    }
