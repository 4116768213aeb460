"""A circuit breaker per LLM endpoint: an outage delays the stream instead of failing it.

The breaker watches the outcomes of the most recent requests. When most of them failed in a way
that points at the endpoint (timeouts, 5xx), or one connection found nothing there, it opens:
requests then wait instead of spending their retries, the stage stops taking new work
(``accepting`` is False), and one prober asks the endpoint until it answers, which closes the
breaker and lets the waiting requests go. The state machine is pure (``BreakerState``);
``Breaker`` adds the waiting.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

import anyio

from apigen_stream import metrics

log = logging.getLogger(__name__)

State = Literal["closed", "open"]


@dataclass
class BreakerState:
    """Recent outcomes and the open/closed decision; no I/O, no clock."""

    window: int = 20
    min_requests: int = 5
    failure_ratio: float = 0.6
    recent: deque[bool] = field(default_factory=deque)
    state: State = "closed"

    def record(self, ok: bool, decisive: bool = False) -> State | None:
        """Add an outcome; returns the new state when this outcome changed it.

        ``decisive``: a failure that by itself says the endpoint is down (connection refused,
        no route): the breaker opens at once, before requests spend their retries on it.
        """
        if self.state == "open":
            return None  # only a probe closes an open breaker
        if decisive and not ok:
            self.state = "open"
            return "open"
        self.recent.append(ok)
        while len(self.recent) > self.window:
            self.recent.popleft()
        failures = sum(1 for r in self.recent if not r)
        if len(self.recent) >= self.min_requests and failures >= self.failure_ratio * len(
            self.recent
        ):
            self.state = "open"
            return "open"
        return None

    def probe_answered(self) -> State | None:
        """A probe got an answer: close, forgetting the failures that opened the breaker."""
        if self.state == "closed":
            return None
        self.state = "closed"
        self.recent.clear()
        return "closed"


class Breaker:
    """``BreakerState`` with an event to wait on while open; ``where`` names the endpoint."""

    def __init__(self, where: str, state: BreakerState | None = None) -> None:
        self.where = where
        self._state = state or BreakerState()
        self._closed = anyio.Event()
        self._closed.set()

    @property
    def state(self) -> State:
        """``closed`` (requests go) or ``open`` (requests wait for a probe to succeed)."""
        return self._state.state

    @property
    def accepting(self) -> bool:
        """Whether a stage should take new work now."""
        return self._state.state == "closed"

    def record(self, ok: bool, decisive: bool = False) -> bool:
        """Add a request's outcome; True when this opened the breaker."""
        changed = self._state.record(ok, decisive)
        if changed == "open":
            self._closed = anyio.Event()
            self._changed("open", "most recent requests failed; new work waits while probing")
            return True
        return False

    def probe_answered(self) -> None:
        """The endpoint answered a probe: close and release every waiting request."""
        if self._state.probe_answered() == "closed":
            self._changed("closed", "the endpoint answered a probe")
            self._closed.set()

    async def wait_closed(self) -> None:
        """Until the breaker is closed (at once when it is)."""
        await self._closed.wait()

    def _changed(self, state: State, why: str) -> None:
        metrics.LLM_BREAKER.labels(state).inc()
        metrics.LLM_BREAKER_OPEN.set(1 if state == "open" else 0)
        log.warning("llm breaker %s for %s: %s", state, self.where, why)
