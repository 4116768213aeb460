"""Records handled on a few tasks under one watchdog: each within its deadline, none lost."""

from __future__ import annotations

import anyio
import anyio.lowlevel
import pytest

from apigen_stream.engine.deadlines import spread

pytestmark = pytest.mark.anyio

DEADLINE_S = 0.1
# Only a guard against a hang: no assertion here is about speed.
HANG_GUARD_S = 10.0


def _expired(index: int) -> str:
    return f"expired {index}"


async def test_records_past_the_deadline_expire_and_the_rest_are_handled() -> None:
    slow = {3, 17}
    handled: list[int] = []

    async def handle(index: int) -> str:
        if index in slow:
            await anyio.sleep_forever()
        await anyio.lowlevel.checkpoint()
        handled.append(index)
        return f"done {index}"

    results: list[str | None] = [None] * 50
    with anyio.fail_after(HANG_GUARD_S):
        await spread(range(50), handle, _expired, results, tasks=4,
                     limiter=anyio.CapacityLimiter(4), deadline_s=DEADLINE_S)  # fmt: skip
    assert results == [_expired(i) if i in slow else f"done {i}" for i in range(50)]
    assert sorted(handled) == [i for i in range(50) if i not in slow]


async def test_one_task_keeps_the_order_across_an_expired_record() -> None:
    handled: list[int] = []

    async def handle(index: int) -> str:
        if index == 2:
            await anyio.sleep_forever()
        handled.append(index)
        return f"done {index}"

    results: list[str | None] = [None] * 6
    with anyio.fail_after(HANG_GUARD_S):
        await spread(range(6), handle, _expired, results, tasks=1, limiter=None,
                     deadline_s=DEADLINE_S)  # fmt: skip
    assert handled == [0, 1, 3, 4, 5]
    assert results[2] == _expired(2)


async def test_a_late_shielded_record_keeps_its_result_and_its_successor_is_on_time() -> None:
    async def handle(index: int) -> str:
        if index == 0:  # past the deadline, but it reaches no checkpoint after it
            with anyio.CancelScope(shield=True):
                await anyio.sleep(DEADLINE_S * 3)
            return "done 0"
        await anyio.lowlevel.checkpoint()
        return f"done {index}"

    results: list[str | None] = [None] * 3
    with anyio.fail_after(HANG_GUARD_S):
        await spread(range(3), handle, _expired, results, tasks=1, limiter=None,
                     deadline_s=DEADLINE_S)  # fmt: skip
    assert results == ["done 0", "done 1", "done 2"]


async def test_a_cancellation_from_outside_is_not_taken_for_a_deadline() -> None:
    started = anyio.Event()

    async def handle(index: int) -> str:
        started.set()
        await anyio.sleep_forever()
        return "never"

    results: list[str | None] = [None] * 2
    with anyio.fail_after(HANG_GUARD_S):
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: spread(range(2), handle, _expired, results, tasks=2,
                                         limiter=None, deadline_s=60.0))  # fmt: skip
            await started.wait()
            tg.cancel_scope.cancel()
    assert results == [None, None]


async def test_every_record_is_handled_when_the_limiter_is_contended() -> None:
    limiter = anyio.CapacityLimiter(2)

    async def handle(index: int) -> int:
        assert limiter.borrowed_tokens <= 2
        await anyio.lowlevel.checkpoint()
        return index

    results: list[int | None] = [None] * 100
    with anyio.fail_after(HANG_GUARD_S):
        await spread(range(100), handle, lambda i: -1, results, tasks=8, limiter=limiter,
                     deadline_s=DEADLINE_S * 50)  # fmt: skip
    assert results == list(range(100))
    assert limiter.borrowed_tokens == 0
