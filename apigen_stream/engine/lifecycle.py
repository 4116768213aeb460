"""Ready and stop: what every long-running service (``runner.Service``) shares."""

from __future__ import annotations

import anyio


class Lifecycle:
    """Ready from when the service says it has started until ``stop()`` is asked.

    A subclass sets ``_started`` once it can take work, and its ``run`` watches ``_stop``.
    """

    def __init__(self) -> None:
        self._stop = anyio.Event()
        self._started = False

    @property
    def ready(self) -> bool:
        """True once started; false from ``stop()`` on."""
        return self._started and not self._stop.is_set()

    def stop(self) -> None:
        """Finish the work in flight and return from ``run`` (idempotent)."""
        self._stop.set()
