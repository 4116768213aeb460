"""The collector's pace while a command runs what it has loaded (``collector``)."""

from __future__ import annotations

import gc
import weakref

from apigen_stream.collector import GC_YOUNG_THRESHOLD, collecting_rarely


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_what_was_loaded_is_frozen_and_the_collector_is_as_it_was_afterwards() -> None:
    before = gc.get_threshold()
    loaded = [_Node() for _ in range(1_000)]
    with collecting_rarely():
        assert gc.get_freeze_count() >= len(loaded)
        assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_cycles_made_while_collecting_rarely_are_still_freed() -> None:
    with collecting_rarely():
        node = _cycle()
        assert node() is not None
        gc.collect()
        assert node() is None


def test_garbage_left_before_is_freed_not_frozen() -> None:
    node = _cycle()
    with collecting_rarely():
        assert node() is None
