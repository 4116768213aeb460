"""``export --from-topic``'s reading rule: the snapshot's end bounds it, bad records are counted."""

from __future__ import annotations

from aiokafka import ConsumerRecord

from apigen_stream.engine.codec import encode
from apigen_stream.records import Sample
from apigen_stream.services.topic_export import TopicRead


def record(offset: int, value: bytes) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic="t", partition=1, offset=offset, timestamp=0, timestamp_type=0, key=None,
        value=value, checksum=None, serialized_key_size=0, serialized_value_size=len(value),
        headers=(),
    )  # fmt: skip


def sample(i: int) -> bytes:
    return encode(Sample(id=str(i), style="simple", query=f"q{i}", calls=[], tools=[]))


def test_records_at_or_past_the_snapshot_end_are_left_for_the_next_export() -> None:
    read = TopicRead()
    read.take([record(o, sample(o)) for o in range(6)], end=4)
    assert [s.id for s in read.samples] == ["0", "1", "2", "3"]


def test_an_undecodable_record_is_skipped_named_and_the_rest_kept() -> None:
    read = TopicRead()
    read.take([record(0, sample(0)), record(1, b"\xff"), record(2, sample(2))], end=10)
    assert [s.id for s in read.samples] == ["0", "2"]
    assert read.skipped == 1 and read.skipped_at[0].startswith("t[1]@1: ")
