"""Repeated log lines, limited: a broker that is down must not flood the log.

While Kafka is unreachable, aiokafka and the engine log the same few errors many times a
second. ``RateLimit`` lets the first of each kind through (logger, level and message template),
then at most one per ``interval_s``, telling how many like it it held back. No I/O of its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

# Seconds between two lines of the same kind.
INTERVAL_S = 10.0
# Kinds remembered; past it the oldest is forgotten (it then passes once more).
KINDS = 1_000


class RateLimit(logging.Filter):
    """A filter for handlers: one line per kind per ``interval_s``; warnings and worse only."""

    def __init__(
        self, interval_s: float = INTERVAL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self._interval_s = interval_s
        self._clock = clock
        # kind -> (when it last passed, how many were held back since)
        self._seen: dict[tuple[str, int, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        kind = (record.name, record.levelno, str(record.msg))
        now = self._clock()
        last = self._seen.get(kind)
        if last is not None and now - last[0] < self._interval_s:
            self._seen[kind] = (last[0], last[1] + 1)
            return False
        if last is not None and last[1]:
            record.msg = f"{record.msg} [{last[1]} more like this in the last {now - last[0]:.0f}s]"
        self._seen.pop(kind, None)
        if len(self._seen) >= KINDS:
            del self._seen[next(iter(self._seen))]
        self._seen[kind] = (now, 0)
        return True


def limited_handler() -> logging.Handler:
    """A stderr handler with ``RateLimit``, for the process's logging set-up.

    Only this handler is limited: handlers someone else installed are left as they are.
    """
    handler = logging.StreamHandler()
    handler.addFilter(RateLimit())
    return handler
