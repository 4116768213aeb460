"""Small stages for testing the engine, importable as ``tests.support.test_stages:open_*``.

Their topics and names come from ``APIGEN_TEST_*`` environment variables read in the factories
(test code only), so that every test runs on topics and consumer groups of its own:
``APIGEN_TEST_STAGE`` (the stage's name and consumer group), ``APIGEN_TEST_TOPIC_IN`` and
``APIGEN_TEST_TOPIC_OUT``. Records are ``Candidate``s; ids end in a number (``...-000042``).

- ``relay``: accepts every record unchanged; a record whose query is ``"boom"`` makes the
  handler raise (a bug: dead-lettered), ``"flaky"`` raises a retriable error on the first try.
- ``parity``: rejects records with an odd number (reason ``odd``), accepts the others.
- ``seen``: stateful; rejects a record whose query it has seen before (reason ``duplicate``).
- ``Together`` (no factory): a relay declared ``batched``, whose batch handler notes the
  batches it gets and fails on a batch holding ``boom``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from apigen_stream.config import Config
from apigen_stream.errors import ApigenError
from apigen_stream.records import Candidate
from apigen_stream.spec import DEDUP_SEEN, StageSpec, StoreSpec, on_topics
from apigen_stream.stages.dedup import DedupStage
from apigen_stream.stages.stage import Accept, Reject, StateStore, Verdict

BOOM = "boom"
FLAKY = "flaky"


class FlakyError(ApigenError):
    """A transient failure: retried by the engine."""

    retriable = True


def number(record_id: str) -> int:
    """The number at the end of a test record id."""
    return int(record_id.rsplit("-", 1)[-1])


@dataclass
class TestStage:
    """Topics and name of a test stage."""

    __test__ = False  # not a pytest test class

    name: str
    input_topic: str
    output_topic: str
    input_record: type[Candidate] = Candidate
    tries: dict[str, int] = field(default_factory=dict)
    stores: tuple[StoreSpec, ...] = ()
    batched = False

    accepting = True

    async def handle_many(
        self, records: Sequence[Candidate], state: StateStore
    ) -> list[Sequence[Verdict]] | None:
        """No batch path."""
        return None

    @property
    def spec(self) -> StageSpec:
        """Its declaration, on the test's topics."""
        return on_topics(self.name, self.input_topic, self.output_topic, self.input_record,
                         stores=self.stores, batched=self.batched)  # fmt: skip


class Relay(TestStage):
    """Accepts every record; ``boom`` is a handler bug, ``flaky`` fails once then passes."""

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        if record.query == BOOM:
            raise RuntimeError("the handler broke")
        if record.query == FLAKY:
            self.tries[record.id] = self.tries.get(record.id, 0) + 1
            if self.tries[record.id] == 1:
                raise FlakyError("try again")
        return [Accept(record)]


class Together(Relay):
    """A relay the runner hands whole batches: each batch's record ids are noted."""

    batched = True

    def __init__(self, name: str, input_topic: str, output_topic: str) -> None:
        super().__init__(name, input_topic, output_topic)
        self.batches: list[list[str]] = []

    async def handle_many(
        self, records: Sequence[Candidate], state: StateStore
    ) -> list[Sequence[Verdict]] | None:
        """Every record accepted at once; a batch holding ``boom`` fails as a whole."""
        self.batches.append([r.id for r in records])
        if any(r.query == BOOM for r in records):
            raise RuntimeError("the batch handler broke")
        return [[Accept(r)] for r in records]


class Parity(TestStage):
    """Rejects odd-numbered records."""

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        if number(record.id) % 2:
            return [Reject("odd", f"{record.id} is odd", record)]
        return [Accept(record)]


@dataclass
class Seen(TestStage):
    """The dedup stage's handler on a test's own topics: its memory survives restarts through
    the changelog."""

    stores: tuple[StoreSpec, ...] = (DEDUP_SEEN,)

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        return await DedupStage().handle(record, state)


def _topics(default_name: str) -> tuple[str, str, str]:
    env = os.environ
    return (
        env.get("APIGEN_TEST_STAGE", default_name),
        env["APIGEN_TEST_TOPIC_IN"],
        env["APIGEN_TEST_TOPIC_OUT"],
    )


@asynccontextmanager
async def open_relay(config: Config) -> AsyncIterator[Relay]:
    """The relay stage on the topics the environment names."""
    yield Relay(*_topics("relay"))


@asynccontextmanager
async def open_parity(config: Config) -> AsyncIterator[Parity]:
    """The parity stage on the topics the environment names."""
    yield Parity(*_topics("parity"))


@asynccontextmanager
async def open_seen(config: Config) -> AsyncIterator[Seen]:
    """The stateful seen stage on the topics the environment names."""
    yield Seen(*_topics("seen"))
