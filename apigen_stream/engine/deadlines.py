"""Handle a batch's records on a few tasks, each record within a deadline, watched at once.

A cancel scope with a deadline per record arms and disarms an event-loop timer per record,
which costs more than a fast handler does. Here each task that takes records runs under one
cancel scope for as long as its records are on time, and one watchdog per batch sleeps until
the earliest record in progress is due: a record past the deadline has its task's scope
cancelled, gets the caller's deadline outcome, and the task goes on with a new scope. A batch
that ends on time costs one sleeping task, not one timer per record.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import anyio

T = TypeVar("T")

# The watchdog never sleeps less than this (seconds): a deadline is met to within it.
MIN_WATCH_S = 0.01


@dataclass(slots=True)
class _Slot:
    """What one task is handling: the record's index and when it started, or none."""

    scope: anyio.CancelScope = field(default_factory=anyio.CancelScope)
    index: int | None = None
    started: float = 0.0


async def spread(
    indices: Sequence[int], handle: Callable[[int], Awaitable[T]],
    expired: Callable[[int], T], results: list[T | None], *,
    tasks: int, limiter: anyio.CapacityLimiter | None, deadline_s: float,
) -> None:  # fmt: skip
    """Fill ``results`` at ``indices`` with ``handle(index)``, or ``expired(index)`` for a record
    whose handling ran past ``deadline_s``.

    ``tasks`` tasks take the records in turn (one: in order, for a stage whose records must see
    the state their predecessors left); each holds a ``limiter`` token while it handles one.
    """
    cursor = iter(indices)
    slots = [_Slot() for _ in range(max(1, min(tasks, len(indices))))]
    async with anyio.create_task_group() as tg:
        tg.start_soon(_watch, slots, deadline_s)
        async with anyio.create_task_group() as takers:
            for slot in slots:
                takers.start_soon(_take, slot, cursor, handle, expired, results, limiter)
        tg.cancel_scope.cancel()  # every record is handled: the watchdog is done


async def _take(
    slot: _Slot, cursor: Iterator[int], handle: Callable[[int], Awaitable[T]],
    expired: Callable[[int], T], results: list[T | None], limiter: anyio.CapacityLimiter | None,
) -> None:  # fmt: skip
    while True:
        with slot.scope:
            for index in cursor:
                await _acquire(limiter)
                try:
                    slot.index, slot.started = index, anyio.current_time()
                    results[index] = await handle(index)
                finally:
                    slot.index = None
                    if limiter is not None:
                        limiter.release()
                if slot.scope.cancel_called:  # it ended anyway, late (a shielded handler)
                    break
            else:
                return
        # The watchdog (nothing else cancels this scope) found ``index`` past its deadline.
        if results[index] is None:
            results[index] = expired(index)
        slot.scope = anyio.CancelScope()


async def _acquire(limiter: anyio.CapacityLimiter | None) -> None:
    # Taken without a checkpoint when a token is free: two trips through the event loop per
    # record would cost more than the record.
    if limiter is None:
        return
    try:
        limiter.acquire_nowait()
    except anyio.WouldBlock:
        await limiter.acquire()


async def _watch(slots: list[_Slot], deadline_s: float) -> None:
    while True:
        now = anyio.current_time()
        due = now + deadline_s
        for slot in slots:
            if slot.index is None:
                continue
            if now - slot.started >= deadline_s:
                slot.scope.cancel()
            else:
                due = min(due, slot.started + deadline_s)
        # A record started after this moment is due after ``now + deadline_s``, so no later
        # than this sleep ends: the watchdog looks again by then.
        await anyio.sleep(max(MIN_WATCH_S, due - now))
