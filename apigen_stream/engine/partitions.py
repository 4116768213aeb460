"""The runner's bookkeeping, with no I/O: fetched records per input partition and flow control.

The consume loop hands each partition's fetched records to a ``PartitionQueue``; the partition's
worker takes them in offset order, a batch at a time, and marks them done once their
transaction committed. ``FlowControl`` counts records in flight over all partitions and says
when to pause fetching and when to resume.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Envelope:
    """One input record as fetched: Kafka metadata around the undecoded value."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp_ms: int = 0


@dataclass
class PartitionQueue:
    """Records of one input partition, fetched and not yet taken by its worker, in offset order.

    ``committed`` is the next offset to read after the last committed transaction: where the
    partition restarts after a failure, and the origin of its consumer lag.

    The queue takes records only while the consumer's position belongs to it: from
    ``start_at`` (the worker sought the consumer there) until ``reset``. In between, the
    consumer may still be fetching from where it was before a failed delivery, ahead of the
    committed offset; queueing those records would skip the ones in between.
    """

    topic: str
    partition: int
    committed: int = -1
    positioned: bool = False
    _pending: deque[Envelope] = field(default_factory=deque)

    def push(self, records: Iterable[Envelope]) -> int:
        """Queue fetched records; returns how many were queued.

        Records at or before the last one queued are ignored: a fetch that overlaps what is
        queued must not hand a record to the worker twice. Nothing is queued while the queue is
        not positioned.
        """
        if not self.positioned:
            return 0
        last = self._pending[-1].offset if self._pending else self.committed - 1
        added = 0
        for record in records:
            if record.offset > last:
                self._pending.append(record)
                last = record.offset
                added += 1
        return added

    def take(self, limit: int) -> list[Envelope]:
        """Up to ``limit`` records, oldest first, for the next transaction."""
        count = min(limit, len(self._pending))
        return [self._pending.popleft() for _ in range(count)]

    def committed_to(self, next_offset: int) -> None:
        """Record that every offset before ``next_offset`` is committed."""
        self.committed = max(self.committed, next_offset)

    def reset(self, next_offset: int) -> int:
        """Forget queued records after a failure or on close; returns how many were dropped.

        The queue takes nothing more until ``start_at``.
        """
        dropped = len(self._pending)
        self._pending.clear()
        self.committed = next_offset
        self.positioned = False
        return dropped

    def start_at(self, committed: int) -> int:
        """Go on from the broker's committed offset; the caller seeks the consumer there.

        Returns how many queued records were dropped (none, unless records were queued without
        a ``reset`` since the last start).
        """
        dropped = self.reset(committed)
        self.positioned = True
        return dropped

    def lag(self, highwater: int | None) -> int | None:
        """Records between the committed position and the partition's end, if both are known."""
        if highwater is None or self.committed < 0:
            return None
        return max(0, highwater - self.committed)

    def __len__(self) -> int:
        return len(self._pending)


@dataclass
class FlowControl:
    """Records in flight (fetched, not yet committed or dropped) and the pause decision.

    Fetching pauses above ``max_in_flight`` and resumes once in-flight work falls to half of
    it: the gap keeps the consumer from flapping between pause and resume on every batch.
    ``on_resumable`` is called when finished work brings a paused flow down to that mark, so
    that a paused consume loop resumes at once rather than at its next poll.
    """

    max_in_flight: int
    in_flight: int = 0
    paused: bool = False
    on_resumable: Callable[[], None] | None = None

    def fetched(self, count: int) -> None:
        """Records entered the runner."""
        self.in_flight += count

    def finished(self, count: int) -> None:
        """Records left the runner: committed, or dropped to be fetched again."""
        self.in_flight = max(0, self.in_flight - count)
        if self.on_resumable is not None and self.resumable:
            self.on_resumable()

    @property
    def resumable(self) -> bool:
        """Paused, and in-flight work is down to the resume mark."""
        return self.paused and self.in_flight <= self.max_in_flight // 2

    def decide(self, held: bool = False) -> bool | None:
        """True: pause now; False: resume now; None: leave fetching as it is.

        ``held``: the stage takes no new work now (its LLM endpoint's breaker is open), whatever
        is in flight.
        """
        if not self.paused and (held or self.in_flight > self.max_in_flight):
            self.paused = True
            return True
        if held:
            return None
        if self.resumable:
            self.paused = False
            return False
        return None


@dataclass
class StopCondition:
    """When a service run ends by itself: after ``count`` input records or ``idle_s`` idle.

    ``count`` 0 and ``idle_s`` 0 mean never. Times are the caller's monotonic clock.
    """

    count: int = 0
    idle_s: float = 0.0
    seen: int = 0
    last_record_at: float = 0.0

    def allowance(self, offered: int) -> int:
        """How many of ``offered`` fetched records this run may still take."""
        if self.count <= 0:
            return offered
        return max(0, min(offered, self.count - self.seen))

    def took(self, count: int, now: float) -> None:
        """Records were taken at ``now``."""
        self.seen += count
        if count:
            self.last_record_at = now

    def reached(self, now: float) -> bool:
        """Whether the run should stop fetching and drain."""
        if self.count > 0 and self.seen >= self.count:
            return True
        return self.idle_s > 0 and now - self.last_record_at >= self.idle_s
