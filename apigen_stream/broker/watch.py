"""Whether the broker answers, for ``/readyz``, and whether a stage's topics exist at start.

A consumer whose broker went away does not fail: it waits, and its fetches come back empty.
So the runner asks for the cluster's metadata now and then; while that fails, the stage is
not ready. The same question at start says which of the stage's topics are missing (the
broker does not create topics: a missing one is refused with one line, not retried for ever).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

import anyio
from aiokafka import AIOKafkaConsumer
from aiokafka import errors as kafka_errors

from apigen_stream.errors import BrokerRefused

log = logging.getLogger(__name__)

# Seconds between two metadata requests: readiness follows the broker within about that.
PROBE_INTERVAL_S = 2.0
# Seconds one metadata request may take before the broker counts as unreachable.
PROBE_TIMEOUT_S = 5.0
# Seconds between two looks for topics that do not exist yet (being created beside us).
TOPIC_RETRY_S = 1.0


async def known_topics(consumer: AIOKafkaConsumer) -> set[str] | None:
    """The topics the broker has, or None if it did not answer within ``PROBE_TIMEOUT_S``."""
    with anyio.move_on_after(PROBE_TIMEOUT_S):
        try:
            return set(await consumer.topics())
        except kafka_errors.KafkaError:
            return None
    return None


class BrokerWatch:
    """``reachable`` is whether the last metadata request was answered."""

    def __init__(self, consumer: AIOKafkaConsumer, stage: str):
        self._consumer = consumer
        self._stage = stage
        self.reachable = True

    async def run(self) -> None:
        """Probe every ``PROBE_INTERVAL_S`` until cancelled."""
        while True:
            await anyio.sleep(PROBE_INTERVAL_S)
            answered = await known_topics(self._consumer) is not None
            if answered != self.reachable:
                state = "reachable again" if answered else "unreachable: not ready"
                log.warning("stage %s: broker %s", self._stage, state)
            self.reachable = answered


async def require_topics(consumer: AIOKafkaConsumer, names: Iterable[str], wait_s: float) -> None:
    """Return once every topic in ``names`` exists; raise ``BrokerRefused`` after ``wait_s``."""
    wanted = set(names)
    deadline = time.monotonic() + wait_s
    while True:
        found = await known_topics(consumer)
        missing = sorted(wanted - found) if found is not None else []
        if found is not None and not missing:
            return
        if time.monotonic() >= deadline:
            if found is None:
                return  # the broker is away: the connect retries and readiness deal with that
            raise BrokerRefused(
                f"topic(s) {', '.join(missing)} do not exist on the broker "
                "(create them with `apigen-stream topics apply`)"
            )
        await anyio.sleep(TOPIC_RETRY_S)
