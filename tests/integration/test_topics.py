"""``apply_topics`` against a real broker: creates, is idempotent, reports differences."""

from __future__ import annotations

import uuid

import msgspec
import pytest

from apigen_stream.broker.admin import admin_client, apply_topics, describe_topics
from apigen_stream.topics import TopicSpec, topic_specs
from tests.support.kafka import MakeTopic, run_sync

pytestmark = pytest.mark.integration


def _observed(bootstrap: str, names: list[str]) -> dict[str, object]:
    async def describe() -> dict[str, object]:
        async with admin_client(bootstrap, 15.0) as client:
            return dict(await describe_topics(client, names))

    return run_sync(describe())


def _spec(name: str, **changes: object) -> TopicSpec:
    base = TopicSpec(
        role="extra",
        name=name,
        partitions=2,
        replication_factor=1,
        retention_ms=3_600_000,
        cleanup_policy="delete",
        key="sample id",
        record="Candidate",
    )
    return msgspec.structs.replace(base, **changes)


def test_every_declared_topic_exists_as_declared(kafka_bootstrap: str) -> None:
    specs = topic_specs()
    observed = _observed(kafka_bootstrap, [spec.name for spec in specs.values()])
    assert set(observed) == {spec.name for spec in specs.values()}
    for spec in specs.values():
        topic = observed[spec.name]
        assert topic.partitions == spec.partitions  # type: ignore[attr-defined]
        assert topic.configs["cleanup.policy"] == spec.cleanup_policy  # type: ignore[attr-defined]
        assert topic.configs["retention.ms"] == str(spec.retention_ms)  # type: ignore[attr-defined]
    assert observed["apigen.dedup-seen-changelog"].configs["cleanup.policy"] == "compact"  # type: ignore[attr-defined]
    assert observed["apigen.dlq"].partitions == 1  # type: ignore[attr-defined]


def test_second_apply_has_nothing_to_do(kafka_bootstrap: str) -> None:
    report = run_sync(apply_topics(kafka_bootstrap, topic_specs()))
    assert report.nothing_to_do
    assert report.created == []
    assert sorted(report.unchanged) == sorted(s.name for s in topic_specs().values())
    assert report.lines() == [f"nothing to do: {len(topic_specs())} topics as declared"]


def test_missing_topic_is_created_once(kafka_bootstrap: str) -> None:
    spec = _spec(f"test.apply.{uuid.uuid4().hex[:12]}", cleanup_policy="compact")
    first = run_sync(apply_topics(kafka_bootstrap, [spec]))
    second = run_sync(apply_topics(kafka_bootstrap, [spec]))
    assert first.created == [spec.name]
    assert second.nothing_to_do and second.unchanged == [spec.name]
    topic = _observed(kafka_bootstrap, [spec.name])[spec.name]
    assert topic.partitions == 2  # type: ignore[attr-defined]
    assert topic.configs["cleanup.policy"] == "compact"  # type: ignore[attr-defined]


def test_differing_topic_is_reported_and_left_alone(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    name = make_topic("test.differs", partitions=2, configs={"retention.ms": "3600000"})
    spec = _spec(name, partitions=3, cleanup_policy="compact")
    report = run_sync(apply_topics(kafka_bootstrap, [spec]))
    assert not report.nothing_to_do
    assert report.created == []
    settings = {(d.setting, d.expected, d.actual) for d in report.differences}
    assert settings == {("partitions", "3", "2"), ("cleanup.policy", "compact", "delete")}
    assert any("partitions is 2, topics.toml says 3" in line for line in report.lines())
    topic = _observed(kafka_bootstrap, [name])[name]
    assert topic.partitions == 2  # type: ignore[attr-defined]
