"""The runner's bookkeeping and the changelog store, without a broker."""

from __future__ import annotations

from apigen_stream.engine.partitions import Envelope, FlowControl, PartitionQueue, StopCondition
from apigen_stream.engine.stores import ChangelogStore


def _records(*offsets: int) -> list[Envelope]:
    return [Envelope("t", 0, o, None, str(o).encode()) for o in offsets]


def _queue(committed: int) -> PartitionQueue:
    """A queue whose worker sought the consumer to ``committed``."""
    queue = PartitionQueue("t", 0)
    queue.start_at(committed)
    return queue


def test_queue_hands_out_records_in_offset_order_in_batches() -> None:
    queue = _queue(0)
    assert queue.push(_records(0, 1, 2, 4)) == 4
    assert [r.offset for r in queue.take(3)] == [0, 1, 2]
    assert [r.offset for r in queue.take(3)] == [4]
    assert queue.take(3) == []


def test_queue_ignores_a_fetch_overlapping_what_is_queued() -> None:
    queue = _queue(0)
    queue.push(_records(0, 1, 2))
    assert queue.push(_records(1, 2, 3)) == 1
    assert [r.offset for r in queue.take(10)] == [0, 1, 2, 3]


def test_queue_ignores_records_before_the_committed_offset() -> None:
    queue = _queue(5)
    assert queue.push(_records(3, 4, 5, 6)) == 2


def test_reset_drops_queued_records_and_takes_nothing_until_started_again() -> None:
    queue = _queue(0)
    queue.push(_records(0, 1, 2))
    assert queue.reset(1) == 3
    assert len(queue) == 0
    assert queue.committed == 1
    # The consumer is still ahead, at 3: what it fetches before the worker seeks is stale.
    assert queue.push(_records(3, 4)) == 0
    assert queue.start_at(1) == 0
    assert queue.push(_records(1, 2)) == 2


def test_a_queue_takes_nothing_before_its_worker_positioned_the_consumer() -> None:
    queue = PartitionQueue("t", 0)
    assert queue.push(_records(7, 8)) == 0
    assert queue.start_at(3) == 0
    assert queue.push(_records(3, 4)) == 2


def test_lag_counts_from_the_committed_offset_to_the_end() -> None:
    queue = PartitionQueue("t", 0)
    assert queue.lag(10) is None
    queue.committed_to(4)
    assert queue.lag(10) == 6
    assert queue.lag(None) is None
    queue.committed_to(2)  # never goes back
    assert queue.committed == 4


def test_flow_pauses_above_the_limit_and_resumes_at_half() -> None:
    flow = FlowControl(max_in_flight=100)
    flow.fetched(100)
    assert flow.decide() is None
    flow.fetched(1)
    assert flow.decide() is True
    assert flow.decide() is None
    flow.finished(40)
    assert flow.decide() is None
    flow.finished(11)
    assert flow.decide() is False
    flow.finished(1000)
    assert flow.in_flight == 0


def test_flow_wakes_a_paused_consumer_once_it_can_resume() -> None:
    wakes: list[int] = []
    flow = FlowControl(max_in_flight=100)
    flow.on_resumable = lambda: wakes.append(flow.in_flight)
    flow.fetched(60)
    flow.finished(20)
    assert wakes == []  # not paused: nothing to wake
    flow.fetched(80)
    assert flow.decide() is True
    flow.finished(60)
    assert wakes == []  # 60 in flight: still above the resume mark
    flow.finished(10)
    assert wakes == [50]
    assert flow.resumable
    assert flow.decide() is False
    flow.finished(50)
    assert wakes == [50]  # resumed: nothing more to wake


def test_stop_condition_by_count_and_by_idleness() -> None:
    by_count = StopCondition(count=5)
    assert by_count.allowance(3) == 3
    by_count.took(3, now=1.0)
    assert by_count.allowance(3) == 2
    by_count.took(2, now=2.0)
    assert by_count.reached(now=2.0)
    idle = StopCondition(idle_s=10.0, last_record_at=0.0)
    assert not idle.reached(now=9.0)
    idle.took(1, now=9.0)
    assert not idle.reached(now=18.0)
    assert idle.reached(now=19.0)
    forever = StopCondition()
    assert forever.allowance(7) == 7
    assert not forever.reached(now=1e9)


def test_store_logs_puts_until_committed() -> None:
    store = ChangelogStore()
    store.put(b"a", b"1")
    store.put(b"a", b"2")
    store.put(b"b", b"3")
    assert store.get(b"a") == b"2"
    assert sorted(store.pending()) == [(b"a", b"2"), (b"b", b"3")]
    store.committed()
    assert store.pending() == []
    assert store.get(b"b") == b"3"


def test_rollback_restores_what_the_changelog_holds() -> None:
    store = ChangelogStore()
    store.put(b"a", b"1")
    store.committed()
    store.put(b"a", b"2")
    store.put(b"new", b"x")
    store.rolled_back()
    assert store.get(b"a") == b"1"
    assert store.get(b"new") is None
    assert store.pending() == []
    rebuilt = ChangelogStore()
    rebuilt.restore([(b"a", b"1")])
    assert len(rebuilt) == len(store) == 1


def test_restore_replays_entries_in_order_with_tombstones() -> None:
    store = ChangelogStore()
    store.put(b"stale", b"x")
    held = store.restore([(b"a", b"1"), (b"b", b"2"), (b"a", b"3"), (b"b", None), (None, b"z")])
    assert held == 1
    assert store.get(b"a") == b"3"
    assert store.get(b"b") is None
    assert store.get(b"stale") is None
    assert store.pending() == []


def test_start_at_drops_what_was_queued_and_goes_on_from_the_committed_offset() -> None:
    queue = _queue(0)
    queue.push(_records(0, 1, 2, 3))
    assert queue.start_at(9) == 4
    assert queue.committed == 9
    assert queue.push(_records(8, 9)) == 1
    assert [r.offset for r in queue.take(10)] == [9]
