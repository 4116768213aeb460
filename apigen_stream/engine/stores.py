"""A stateful stage's key-value state for one input partition, logged to a compacted topic.

The store is a dict the handler reads and writes; each ``put`` is also kept as a pending
changelog write. The runner sends the pending writes to the changelog partition in the same
transaction as the batch's outputs and offsets, then calls ``committed``. After an aborted
transaction it calls ``rolled_back``: the dict returns to what the changelog holds, exactly as
a rebuild from the changelog would leave it. On assignment the store is rebuilt from the
changelog partition with ``restore``. No I/O here: the runner reads and writes the topic.
"""

from __future__ import annotations

from collections.abc import Iterable

# Marks a key that had no value before the open transaction wrote it.
_ABSENT = None


class ChangelogStore:
    """A ``StateStore`` whose writes are logged for the transaction that carries them."""

    def __init__(self) -> None:
        self._data: dict[bytes, bytes] = {}
        self._pending: dict[bytes, bytes] = {}
        # Values before the first write of the open transaction, for rollback.
        self._before: dict[bytes, bytes | None] = {}

    def get(self, key: bytes) -> bytes | None:
        """The value of ``key``, including writes of the open transaction."""
        return self._data.get(key)

    def put(self, key: bytes, value: bytes) -> None:
        """Set ``key``; the write is logged with the open transaction."""
        if key not in self._before:
            self._before[key] = self._data.get(key, _ABSENT)
        self._data[key] = value
        self._pending[key] = value

    def pending(self) -> list[tuple[bytes, bytes]]:
        """Changelog writes of the open transaction, the latest value per key."""
        return list(self._pending.items())

    def committed(self) -> None:
        """The open transaction committed: its writes are now in the changelog."""
        self._pending.clear()
        self._before.clear()

    def rolled_back(self) -> None:
        """The open transaction aborted: forget its writes."""
        for key, value in self._before.items():
            if value is _ABSENT:
                self._data.pop(key, None)
            else:
                self._data[key] = value
        self.committed()

    def restore(self, entries: Iterable[tuple[bytes | None, bytes | None]]) -> int:
        """Rebuild from changelog entries in offset order; a None value deletes (a tombstone).

        Returns the number of keys held afterwards.
        """
        self._data.clear()
        self.committed()
        for key, value in entries:
            if key is None:
                continue
            if value is None:
                self._data.pop(key, None)
            else:
                self._data[key] = value
        return len(self._data)

    def __len__(self) -> int:
        return len(self._data)
