"""A worker's end of the pipes to the pool: framed messages, and withdrawals read early.

The pool may withdraw calls it has already sent (it moved them to another worker while this
one was on a slow call). ``poll`` reads whatever the pool has sent so far without waiting:
batches are kept for ``receive``, withdrawn calls are remembered, so the worker answers them
as ``withdrawn`` instead of running them a second time.
"""

from __future__ import annotations

import os
import select
from collections import deque

import msgspec

from apigen_stream.sandbox import protocol

READ_BYTES = 1 << 16


class Channel:
    """Framed messages over the two pipes to the pool."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.read_fd = read_fd
        self._write_fd = write_fd
        self._buffer = bytearray()
        self._batches: deque[protocol.CallBatch] = deque()
        self._closed = False
        # Calls the pool took back; answered ``withdrawn`` when their turn comes.
        self.withdrawn: set[int] = set()

    def send(self, message: msgspec.Struct) -> None:
        """Write one message whole (a pipe may take it in several writes)."""
        self.send_framed(protocol.frame(message))

    def send_framed(self, data: bytes) -> None:
        """Write already framed messages whole."""
        view = memoryview(data)
        while view:
            view = view[os.write(self._write_fd, view) :]

    def close(self) -> None:
        """Let go of both pipes (a forked child must not hold the pool's)."""
        os.close(self.read_fd)
        os.close(self._write_fd)

    def receive(self) -> protocol.CallBatch | None:
        """The next batch, or None once the pool has closed the pipe."""
        while not self._batches and not self._closed:
            self._read()
        return self._batches.popleft() if self._batches else None

    @property
    def open(self) -> bool:
        """Whether the pool still holds its end of the pipe."""
        return not self._closed

    def take_ready(self, limit: int) -> list[protocol.CallRequest]:
        """Calls of the batches already received, up to about ``limit``, without waiting."""
        self.poll()
        calls: list[protocol.CallRequest] = []
        while self._batches and len(calls) < limit and not self._batches[0].warm_up:
            calls.extend(self._batches.popleft().calls)
        return calls

    def poll(self) -> None:
        """Take in what the pool has sent so far, without waiting for more."""
        while not self._closed and select.select([self.read_fd], [], [], 0)[0]:
            self._read()

    def withdraw_result(self, seq: int) -> protocol.CallResult | None:
        """The answer for a withdrawn call (None when ``seq`` was not withdrawn)."""
        if seq not in self.withdrawn:
            return None
        self.withdrawn.discard(seq)
        return protocol.CallResult(seq=seq, ok=False, reason=protocol.WITHDRAWN)

    def _read(self) -> None:
        chunk = os.read(self.read_fd, READ_BYTES)
        if not chunk:
            self._closed = True
            return
        self._buffer.extend(chunk)
        for body in protocol.split_frames(self._buffer):
            message = protocol.to_worker_decoder.decode(body)
            if isinstance(message, protocol.Withdraw):
                self.withdrawn.update(message.seqs)
            else:
                # A withdrawal covers the copies sent before it; a copy sent after it (the call
                # came back to this worker) is to run.
                if self.withdrawn:
                    self.withdrawn.difference_update(call.seq for call in message.calls)
                self._batches.append(message)


def take_stdio() -> Channel:
    """Move stdin/stdout to private descriptors and point 0, 1 (and 2) at /dev/null."""
    read_fd, write_fd = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    return Channel(read_fd, write_fd)
