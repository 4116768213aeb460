"""The real format and execute stages on a test's own topics, under a test's name.

Importable as ``tests.support.real_stages:open_format`` / ``:open_execute`` for ``run --stage``:
each opens the stage with its own ``open_stage`` (child processes, sandbox pool), and only the
name and topics come from the test (``APIGEN_TEST_*``, as in ``tests.support.test_stages``).
``open_format_re`` is the format stage whose child matches a ``hog`` candidate's argument with
Python's ``re`` first (``check_or_hog``): since patterns are matched with RE2, that is how a
test gets a check that never ends by itself. Kept apart from the small test stages, whose
services must start fast.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import msgspec

from apigen_stream.config import Config
from apigen_stream.engine.handling import TakesEncoded
from apigen_stream.engine.offload import Offload
from apigen_stream.records import Candidate
from apigen_stream.stages import execute, format
from apigen_stream.stages.format_offload import OffloadedCheck
from apigen_stream.stages.stage import StateStore, Verdict
from tests.support.test_stages import TestStage

# A candidate with this query has its first argument matched against ``PATHOLOGICAL``.
HOG = "hog"
PATHOLOGICAL = re.compile(r"^(a+)+$")
HOG_TARGET = "tests.support.real_stages:check_or_hog"


def check_or_hog(payload: bytes) -> bytes:
    """The format check, except that a ``hog`` candidate is matched with Python's ``re``."""
    for candidate in msgspec.json.decode(payload, type=list[Candidate]):
        if candidate.query == HOG and candidate.calls:
            PATHOLOGICAL.match(str(next(iter(candidate.calls[0].arguments.values()), "")))
    return format.check_encoded(payload)


@dataclass
class Renamed(TestStage):
    """A real stage under a test's name and topics: ``handle`` and ``handle_many`` are the real
    stage's, and it is ``batched`` as the real one is, so the engine takes the same path."""

    inner: Any = None

    def __post_init__(self) -> None:
        self.batched = bool(self.inner is not None and self.inner.spec.batched)

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        verdicts: Sequence[Verdict] = await self.inner.handle(record, state)
        return verdicts

    async def handle_many(
        self, records: Sequence[Candidate], state: StateStore
    ) -> list[Sequence[Verdict]] | None:
        verdicts: list[Sequence[Verdict]] | None = await self.inner.handle_many(records, state)
        return verdicts


class RenamedEncoded(Renamed):
    """A renamed stage that takes its record's bytes too (the format stage): the path the
    engine takes for the real stage, so the test runs it."""

    async def handle_encoded(
        self, record: Candidate, encoded: bytes, state: StateStore
    ) -> Sequence[Verdict]:
        verdicts: Sequence[Verdict] = await self.inner.handle_encoded(record, encoded, state)
        return verdicts

    async def handle_many_encoded(
        self, records: Sequence[Candidate], encoded: Sequence[bytes], state: StateStore
    ) -> list[Sequence[Verdict]] | None:
        many: list[Sequence[Verdict]] | None = await self.inner.handle_many_encoded(
            records, encoded, state
        )
        return many


def _renamed(default_name: str, stage: Any) -> Renamed:
    env = os.environ
    kind = RenamedEncoded if isinstance(stage, TakesEncoded) else Renamed
    return kind(
        env.get("APIGEN_TEST_STAGE", default_name),
        env["APIGEN_TEST_TOPIC_IN"],
        env["APIGEN_TEST_TOPIC_OUT"],
        inner=stage,
    )


@asynccontextmanager
async def open_format(config: Config) -> AsyncIterator[Renamed]:
    """The real format stage (checks in child processes) on the topics the environment names."""
    async with format.open_stage(config) as stage:
        yield _renamed("format", stage)


@asynccontextmanager
async def open_execute(config: Config) -> AsyncIterator[Renamed]:
    """The real execute stage (its sandbox pool) on the topics the environment names."""
    async with execute.open_stage(config) as stage:
        yield _renamed("execute", stage)


@asynccontextmanager
async def open_format_re(config: Config) -> AsyncIterator[Renamed]:
    """The format stage checking in a child that runs ``check_or_hog``."""
    settings = config.format
    async with Offload(HOG_TARGET, settings.workers, settings.timeout_s) as offload:
        yield _renamed("format", format.FormatStage(OffloadedCheck(offload)))
