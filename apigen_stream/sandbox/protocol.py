"""Messages between the sandbox pool and its worker processes, and their framing.

Each message is JSON (msgspec) behind a 4-byte big-endian length. The pool sends a ``CallBatch``
(many calls per message, to amortise the pipe); the worker answers with one ``CallResult`` per
call, in order, as soon as that call ends, so the pool always knows which call a worker is on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from apigen_stream.records import Outcome

HEADER_BYTES = 4
# A call as the pool takes it: ("module:function", tool name, arguments by name).
CallSpec = tuple[str, str, Mapping[str, Any]]
NULL = msgspec.Raw(b"null")


class CallRequest(msgspec.Struct, frozen=True, array_like=True):
    """One call: ``seq`` is the pool's id for it, ``target`` is ``module:function``.

    ``alone``: the call gets a fork of its own, shared with no other call (a user's tool).
    """

    seq: int
    target: str
    arguments: dict[str, Any]
    alone: bool = False


class CallBatch(msgspec.Struct, frozen=True, tag="batch"):
    """Calls for a worker to run one after another, in order."""

    calls: list[CallRequest]
    # The pool's warm-up: run where the worker keeps it (a template warms itself), not forked.
    warm_up: bool = False


class OutgoingBatch(msgspec.Struct, frozen=True, tag="batch"):
    """A ``CallBatch`` as the pool writes it: each call already encoded by ``encode_call``."""

    calls: list[msgspec.Raw]
    warm_up: bool = False


class Withdraw(msgspec.Struct, frozen=True, tag="withdraw"):
    """Calls sent earlier that the pool has moved to another worker: answer, do not run."""

    seqs: list[int]


class Ready(msgspec.Struct, frozen=True, tag="ready"):
    """Sent once the worker's limits are in place; ``limits`` names each one applied.

    ``layers`` says, per layer of the sandbox, what this OS let the worker enforce: "on", or
    "off: why", or "partly: what".
    """

    pid: int
    network_isolated: bool
    limits: list[str]
    layers: dict[str, str] = {}


class Fatal(msgspec.Struct, frozen=True, tag="fatal"):
    """The worker could not start: ``detail`` says why."""

    detail: str


class CallResult(msgspec.Struct, frozen=True, tag="result"):
    """The end of one call. ``result`` holds the JSON-encoded value when ``ok``."""

    seq: int
    ok: bool
    result: msgspec.Raw = NULL
    reason: str = ""
    detail: str = ""
    elapsed_ms: float = 0.0
    # The process that ran the call ends after it: it can no longer be trusted with another.
    last: bool = False


class Retire(msgspec.Struct, frozen=True, tag="retire"):
    """The worker stops before the call ``next_seq`` (its CPU budget is nearly spent)."""

    next_seq: int


ToWorker = CallBatch | Withdraw
# The reason of a withdrawn call's answer: the pool resolves nothing with it.
WITHDRAWN = "withdrawn"
# A call this slow may have had the calls behind it moved (the pool's work-stealing threshold
# is 50 ms): after one, a worker reads the pool's withdrawals before going on.
SLOW_CALL_MS = 40.0
FromWorker = Ready | Fatal | CallResult | Retire

_encoder = msgspec.json.Encoder()
to_worker_decoder = msgspec.json.Decoder(ToWorker)
from_worker_decoder = msgspec.json.Decoder(FromWorker)
# A CallResult's ``result`` decoded to plain Python values.
result_value_decoder = msgspec.json.Decoder()


def encode_call(seq: int, target: str, arguments: Any, *, alone: bool = False) -> msgspec.Raw:
    """One call encoded once, when it is submitted; raises if an argument is not JSON."""
    request = CallRequest(seq=seq, target=target, arguments=arguments, alone=alone)
    return msgspec.Raw(_encoder.encode(request))


def frame(message: msgspec.Struct) -> bytes:
    """The message encoded and prefixed with its length."""
    body = _encoder.encode(message)
    return len(body).to_bytes(HEADER_BYTES, "big") + body


def split_frames(buffer: bytearray) -> list[bytes]:
    """Take every complete frame's body out of ``buffer``; a partial frame stays in it."""
    bodies: list[bytes] = []
    start = 0
    end = len(buffer)
    while end - start >= HEADER_BYTES:
        size = int.from_bytes(buffer[start : start + HEADER_BYTES], "big")
        if end - start - HEADER_BYTES < size:
            break
        first = start + HEADER_BYTES
        bodies.append(bytes(buffer[first : first + size]))
        start = first + size
    del buffer[:start]
    return bodies


def outcome(name: str, message: CallResult) -> Outcome:
    """The record of a call as the worker reported it."""
    if not message.ok:
        return Outcome(name=name, ok=False, reason=message.reason, detail=message.detail,
                       elapsed_ms=message.elapsed_ms)  # fmt: skip
    result = result_value_decoder.decode(message.result)
    return Outcome(name=name, ok=True, result=result, elapsed_ms=message.elapsed_ms)
