"""The real format and execute stages on a test's own topics, under a test's name.

Importable as ``tests.support.real_stages:open_format`` / ``:open_execute`` for ``run --stage``:
each opens the stage with its own ``open_stage`` (child processes, sandbox pool), and only the
name and topics come from the test (``APIGEN_TEST_*``, as in ``tests.support.test_stages``).
Kept apart from the small test stages, whose services must start fast.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from apigen_stream.config import Config
from apigen_stream.records import Candidate
from apigen_stream.stages import execute, format
from apigen_stream.stages.stage import StateStore, Verdict


@dataclass
class Renamed:
    """A real stage under a test's name and topics: ``handle`` is the real stage's."""

    name: str
    input_topic: str
    output_topic: str
    inner: Any
    input_record: type[Candidate] = Candidate

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        verdicts: Sequence[Verdict] = await self.inner.handle(record, state)
        return verdicts


def _renamed(default_name: str, stage: Any) -> Renamed:
    env = os.environ
    return Renamed(
        env.get("APIGEN_TEST_STAGE", default_name),
        env["APIGEN_TEST_TOPIC_IN"],
        env["APIGEN_TEST_TOPIC_OUT"],
        stage,
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
