"""A stateful stage's key-value state for one input partition, logged to a compacted topic.

The store is a dict the handler reads and writes; each ``put`` is also kept as a pending
changelog write. The runner sends the pending writes to the changelog partition in the same
transaction as the batch's outputs and offsets, then calls ``committed``. After an aborted
transaction it calls ``rolled_back``: the dict returns to what the changelog holds, exactly as
a rebuild from the changelog would leave it. On assignment the store is rebuilt from the
changelog partition with ``restore``, fed as the records arrive. No I/O here: the runner reads
and writes the topic.

Retention bounds memory: past ``retain_keys`` keys the oldest key goes, and a key older than
``retain_s`` goes; either way a tombstone (a None value) is logged, so that compaction drops
it from the changelog too. Keys are held in the order they were first written, which is also
their age order, so letting the oldest go is a look at the front.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Marks a key that had no value before the open transaction wrote it.
_ABSENT = None


@dataclass(frozen=True)
class Retention:
    """How many keys, and how old, a store keeps; 0 means no bound."""

    keys: int = 0
    age_s: float = 0.0

    def restore_window(self) -> int:
        """Changelog offsets from the end a restore must read to see every retained key.

        Each write logs at most one tombstone besides itself (the key it pushed out), and its
        transaction at most one commit marker, which takes an offset too: the last
        ``3 * keys`` offsets hold the last ``keys`` writes. 0: the whole partition.
        """
        return 3 * self.keys


class ChangelogStore:
    """A ``StateStore`` whose writes are logged for the transaction that carries them."""

    def __init__(
        self, retention: Retention = Retention(), clock: Callable[[], float] = time.time
    ) -> None:
        self._retention = retention
        self._clock = clock
        self._data: dict[bytes, bytes] = {}
        # When each key was first written, oldest first. An OrderedDict, not a dict: a dict's
        # first key after many deletions from the front is found in linear time.
        self._born: OrderedDict[bytes, float] = OrderedDict()
        self._pending: dict[bytes, bytes | None] = {}
        # Values (and birth times) before the open transaction first touched a key.
        self._before: dict[bytes, tuple[bytes, float] | None] = {}

    @property
    def retention(self) -> Retention:
        """What the store keeps."""
        return self._retention

    def get(self, key: bytes) -> bytes | None:
        """The value of ``key``, including writes of the open transaction."""
        return self._data.get(key)

    def put(self, key: bytes, value: bytes) -> None:
        """Set ``key``; the write is logged with the open transaction, with any key it evicts."""
        self._remember(key)
        if key not in self._data:
            self._born[key] = self._clock()
        self._data[key] = value
        self._pending[key] = value
        self._expire()

    def _remember(self, key: bytes) -> None:
        if key not in self._before:
            value = self._data.get(key)
            self._before[key] = _ABSENT if value is None else (value, self._born[key])

    def _expire(self) -> None:
        keys, age_s = self._retention.keys, self._retention.age_s
        oldest = self._clock() - age_s
        while self._data:
            key = next(iter(self._born))
            if not ((keys and len(self._data) > keys) or (age_s and self._born[key] < oldest)):
                return
            self._remember(key)
            del self._data[key], self._born[key]
            if self._before[key] is _ABSENT:
                self._pending.pop(key, None)  # never logged: nothing to tombstone
            else:
                self._pending[key] = None

    def pending(self) -> list[tuple[bytes, bytes | None]]:
        """Changelog writes of the open transaction, the latest value per key (None deletes)."""
        return list(self._pending.items())

    def committed(self) -> None:
        """The open transaction committed: its writes are now in the changelog."""
        self._pending.clear()
        self._before.clear()

    def rolled_back(self) -> None:
        """The open transaction aborted: forget its writes, bring back what it evicted."""
        restored = False
        for key, before in self._before.items():
            self._data.pop(key, None)
            self._born.pop(key, None)
            if before is not _ABSENT:
                self._data[key], self._born[key] = before
                restored = True
        if restored:  # evicted keys came back at the end: put the age order right again
            order = sorted(self._born.items(), key=lambda item: item[1])
            self._born = OrderedDict(order)
        self.committed()

    def restore(self, entries: Iterable[tuple[bytes | None, bytes | None]]) -> int:
        """Rebuild from changelog entries in offset order; a None value deletes (a tombstone).

        Retention applies as entries arrive, so memory stays bounded however long the
        changelog is. Returns the number of keys held afterwards.
        """
        self.clear()
        self.extend(entries)
        return len(self._data)

    def clear(self) -> None:
        """Hold nothing: the start of a restore that is fed in parts (``extend``)."""
        self._data.clear()
        self._born.clear()
        self.committed()

    def extend(self, entries: Iterable[tuple[bytes | None, bytes | None]]) -> None:
        """Apply changelog entries in offset order (the streaming part of ``restore``); what
        retention lets go meanwhile is already gone from what the log holds."""
        for key, value in entries:
            if key is None:
                continue
            if value is None:
                self._data.pop(key, None)
                self._born.pop(key, None)
            else:
                self.put(key, value)
        self.committed()

    def __len__(self) -> int:
        return len(self._data)
