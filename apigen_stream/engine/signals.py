"""SIGTERM and SIGINT as a request to drain: the service stops fetching, commits, and exits."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from types import FrameType

import anyio

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def stop_on_signals(stop: Callable[[], None]) -> None:
    """Call ``stop`` on each SIGTERM or SIGINT until cancelled; a second signal also stops.

    Run it in the service's task group and cancel it once the service ended.
    """
    with anyio.open_signal_receiver(*STOP_SIGNALS) as signals:
        async for signum in signals:
            log.info("received %s: draining", signal.Signals(signum).name)
            stop()


def _leave_now(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def leave_on_sigterm_until_serving() -> None:
    """Until ``stop_on_signals`` takes over, SIGTERM ends the process at once, with exit 0.

    A service still starting (importing, warming its sandbox, waiting for the broker) has
    taken no record, so there is nothing to drain; without this, a replica stopped while it
    starts would die of the signal.
    """
    signal.signal(signal.SIGTERM, _leave_now)
