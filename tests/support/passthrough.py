"""A stage that passes every candidate on: the module a test-only declaration adds.

It has no topics or name of its own: ``stages.stage_factory`` places it where the declaration
says (``tests.support.declared``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from apigen_stream.config import Config
from apigen_stream.records import Candidate
from apigen_stream.spec import StageSpec, on_topics
from apigen_stream.stages.stage import Accept, Declared, StateStore, Verdict


class PassThrough(Declared):
    """Accepts every candidate unchanged."""

    spec: StageSpec = on_topics("pass", "unplaced.in", "unplaced.out", Candidate)

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        return [Accept(record)]


@asynccontextmanager
async def open_stage(config: Config) -> AsyncIterator[PassThrough]:
    """The pass-through stage; it needs nothing."""
    yield PassThrough()
