"""A store's retention: the oldest keys go past the count, old keys past the age, logged."""

from __future__ import annotations

import pytest

from apigen_stream.engine.stores import ChangelogStore, Retention
from apigen_stream.stages.dedup import DedupStage
from tests.unit.test_dedup import candidate


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _keys(n: int, start: int = 0) -> list[bytes]:
    return [f"k{i:04d}".encode() for i in range(start, start + n)]


def test_past_the_count_the_oldest_keys_go_and_are_tombstoned() -> None:
    store = ChangelogStore(Retention(keys=3))
    for key in _keys(3):
        store.put(key, b"v")
    store.committed()
    store.put(b"k0003", b"v")
    store.put(b"k0004", b"v")
    assert len(store) == 3
    assert store.get(b"k0000") is None and store.get(b"k0002") == b"v"
    assert dict(store.pending()) == {b"k0003": b"v", b"k0004": b"v", b"k0000": None,
                                     b"k0001": None}  # fmt: skip


def test_a_key_written_and_evicted_in_one_transaction_is_not_logged() -> None:
    store = ChangelogStore(Retention(keys=2))
    for key in _keys(5):
        store.put(key, b"v")
    assert dict(store.pending()) == {b"k0003": b"v", b"k0004": b"v"}


def test_keys_older_than_the_age_go() -> None:
    clock = Clock()
    store = ChangelogStore(Retention(age_s=60.0), clock)
    store.put(b"old", b"v")
    store.committed()
    clock.now += 61.0
    store.put(b"new", b"v")
    assert store.get(b"old") is None and store.get(b"new") == b"v"
    assert dict(store.pending()) == {b"new": b"v", b"old": None}


def test_a_rollback_brings_back_what_the_transaction_evicted_in_age_order() -> None:
    store = ChangelogStore(Retention(keys=2))
    store.put(b"a", b"1")
    store.put(b"b", b"2")
    store.committed()
    store.put(b"c", b"3")  # evicts a
    store.rolled_back()
    assert (store.get(b"a"), store.get(b"b"), store.get(b"c")) == (b"1", b"2", None)
    store.put(b"d", b"4")  # a is still the oldest
    assert store.get(b"a") is None and store.get(b"b") == b"2"


def test_a_restore_keeps_only_the_retained_keys_of_a_long_changelog() -> None:
    store = ChangelogStore(Retention(keys=100))
    entries: list[tuple[bytes | None, bytes | None]] = [(k, b"v") for k in _keys(5000)]
    assert store.restore(entries) == 100
    assert store.get(b"k4999") == b"v" and store.get(b"k4899") is None
    assert store.pending() == []
    assert Retention(keys=100).restore_window() == 300
    assert Retention().restore_window() == 0


@pytest.mark.anyio
async def test_dedup_with_retention_forgets_only_what_it_let_go() -> None:
    stage = DedupStage()
    store = ChangelogStore(Retention(keys=10))
    for i in range(20):
        await stage.handle(candidate(f"q{i}", cid=f"c{i}"), store)
    store.committed()
    recent = await stage.handle(candidate("q19", cid="again-19"), store)
    forgotten = await stage.handle(candidate("q0", cid="again-0"), store)
    assert [type(v).__name__ for v in (*recent, *forgotten)] == ["Reject", "Accept"]
