"""SIGTERM and SIGINT as a request to drain: the service stops fetching, commits, and exits."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable

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
