"""Backpressure in the runner's consume loop, with no broker: a pause ends when work does."""

from __future__ import annotations

import time

import anyio
import pytest

from apigen_stream.config import Config, KafkaConfig
from apigen_stream.engine import runner as runner_module
from apigen_stream.engine.runner import StageRunner
from tests.support.test_stages import Relay

pytestmark = pytest.mark.anyio

# Seconds the test may take: far below the poll time it sets, far above a loaded host's jitter.
BOUND_S = 5.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _paused_runner(max_in_flight: int) -> StageRunner:
    config = Config(kafka=KafkaConfig(bootstrap="127.0.0.1:1", max_in_flight=max_in_flight))
    runner = StageRunner(Relay("relay", "in", "out"), config)
    runner._flow.fetched(max_in_flight + 1)
    assert runner._flow.decide() is True
    return runner


async def test_a_paused_runner_waits_for_work_to_finish_not_for_a_poll(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A poll longer than the test's bound: only finished work can end the wait in time.
    monkeypatch.setattr(runner_module, "POLL_TIMEOUT_MS", 60_000)
    runner = _paused_runner(10)
    flow = runner._flow
    woke_at: list[int] = []

    async def wait() -> None:
        await runner._wait_resumable()
        woke_at.append(flow.in_flight)

    with anyio.fail_after(BOUND_S):
        async with anyio.create_task_group() as tg:
            tg.start_soon(wait)
            await anyio.sleep(0.01)
            flow.finished(5)  # 6 in flight: above the resume mark (5), keep waiting
            await anyio.sleep(0.01)
            assert woke_at == []
            flow.finished(1)
    assert woke_at == [5]
    assert flow.decide() is False


async def test_a_paused_runner_still_polls_when_nothing_finishes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The wait is bounded by one poll's time, so that the consumer keeps polling its group.
    monkeypatch.setattr(runner_module, "POLL_TIMEOUT_MS", 50)
    runner = _paused_runner(10)
    started = time.monotonic()
    with anyio.fail_after(BOUND_S):
        await runner._wait_resumable()
    assert time.monotonic() - started >= 0.05
    assert runner._flow.decide() is None  # still paused
