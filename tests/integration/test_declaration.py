"""The declaration over a real broker: an added stage, a store's changelog, its retention."""

from __future__ import annotations

import dataclasses
import uuid
from collections import Counter

import anyio
import msgspec
import pytest

from apigen_stream import metrics, topics
from apigen_stream.broker.admin import create_topic
from apigen_stream.config import Config, DedupConfig, KafkaConfig, ServeConfig
from apigen_stream.engine.codec import encode
from apigen_stream.engine.partitions import StopCondition
from apigen_stream.engine.runner import StageRunner
from apigen_stream.engine.stores import Retention
from apigen_stream.errors import ChangelogMismatch
from apigen_stream.records import Candidate, Rejection
from apigen_stream.spec import DEDUP_SEEN, PipelineSpec, changelog_topic
from apigen_stream.stages import open_in_process
from tests.integration.test_runner import produce
from tests.support.declared import DISTINCT, candidates, with_pass_through
from tests.support.kafka import read_committed

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

WAIT_S = 120.0
COMPACT = {"cleanup.policy": "compact"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _config(bootstrap: str, dedup: DedupConfig | None = None) -> Config:
    kafka = msgspec.convert({"bootstrap": bootstrap, "session_timeout_ms": 6000}, KafkaConfig)
    return Config(kafka=kafka, serve=ServeConfig(port=0), dedup=dedup or DedupConfig())


async def _make_topics(bootstrap: str, pipeline: PipelineSpec, partitions: int = 1) -> None:
    """Every topic the declaration names, and its stores' changelogs (compacted)."""
    for name in pipeline.stages[0].topic_names.values():
        await create_topic(bootstrap, name, partitions, None)
    for stage in pipeline.stages:
        for store in stage.stores:
            await create_topic(bootstrap, stage.changelog_topic(store), partitions, COMPACT)


async def _run(config: Config, pipeline: PipelineSpec, counts: list[int]) -> None:
    """Each stage of ``pipeline`` as a runner, until each has taken its count of records."""
    async with open_in_process(config, pipeline.names, pipeline) as stages:
        with anyio.fail_after(WAIT_S):
            async with anyio.create_task_group() as tg:
                for stage, count in zip(stages, counts, strict=True):
                    runner = StageRunner(stage, config, until=StopCondition(count=count))
                    tg.start_soon(runner.run)


async def test_a_stage_added_by_declaration_alone_runs_over_kafka(kafka_bootstrap: str) -> None:
    tag = uuid.uuid4().hex[:8]
    pipeline = with_pass_through(tag)
    await _make_topics(kafka_bootstrap, pipeline)
    names = pipeline.stages[0].topic_names
    made = candidates(f"k{tag}", 40)
    await produce(kafka_bootstrap, names["candidates"], [encode(c) for c in made])
    await _run(_config(kafka_bootstrap), pipeline, [len(made), len(made) - 1, len(made) - 1])
    passed = await read_committed(kafka_bootstrap, names["checked"], 1)
    unique = await read_committed(kafka_bootstrap, names["unique"], 1)
    assert len(passed) == len(made) - 1
    assert len({msgspec.json.decode(r.value, type=Candidate).query for r in unique}) == DISTINCT
    assert len(unique) == DISTINCT
    rejected = [msgspec.json.decode(r.value, type=Rejection)
                for r in await read_committed(kafka_bootstrap, topics.REJECTED)]  # fmt: skip
    ours = Counter((r.stage, r.reason) for r in rejected if r.stage.endswith(tag))
    assert ours == {
        (f"format-{tag}", "unknown_function"): 1,
        (f"dedup-{tag}", "duplicate"): len(made) - 1 - DISTINCT,
    }


async def test_a_changelog_with_another_partition_count_stops_the_stage_at_assignment(
    kafka_bootstrap: str,
) -> None:
    tag = uuid.uuid4().hex[:8]
    pipeline = with_pass_through(tag)
    await _make_topics(kafka_bootstrap, pipeline, partitions=2)
    dedup = pipeline.stages[-1]
    wrong = changelog_topic(f"{dedup.name}x", DEDUP_SEEN.name)
    await create_topic(kafka_bootstrap, wrong, 3, COMPACT)
    # The same stage, named so that its changelog is the 3-partition one.
    renamed = PipelineSpec(stages=(dataclasses.replace(dedup, name=f"{dedup.name}x"),))
    await produce(kafka_bootstrap, dedup.input_topic, [encode(c) for c in candidates(tag, 4)])
    config = _config(kafka_bootstrap)
    async with open_in_process(config, renamed.names, renamed) as (stage,):
        runner = StageRunner(stage, config, until=StopCondition(count=4))
        with anyio.fail_after(WAIT_S), pytest.raises(ChangelogMismatch) as caught:
            await runner.run()
    assert str(caught.value) == (
        f"changelog topic {wrong} has 3 partitions but its input {dedup.input_topic} has 2:"
        " state would go to the wrong partition; give both the same count"
    )


def _restored(stage: str) -> float:
    return float(metrics.CHANGELOG_RESTORED.labels(stage)._value.get())


async def test_a_restore_reads_no_more_than_the_retained_tail(kafka_bootstrap: str) -> None:
    tag = uuid.uuid4().hex[:8]
    full = with_pass_through(tag)
    await _make_topics(kafka_bootstrap, full)
    dedup = full.stages[-1]
    alone = PipelineSpec(stages=(dedup,))
    retain = 50
    config = _config(kafka_bootstrap, DedupConfig(retain_keys=retain))
    distinct = [Candidate(id=f"{tag}-{i:06d}", query=f"echo {i}", calls=[]) for i in range(1000)]
    await produce(kafka_bootstrap, dedup.input_topic, [encode(c) for c in distinct])
    await _run(config, alone, [len(distinct)])
    changelog = await read_committed(kafka_bootstrap, dedup.changelog_topic(DEDUP_SEEN), 1)
    latest = {r.key: r.value for r in changelog}
    assert sum(v is not None for v in latest.values()) == retain  # the rest are tombstoned
    # Batches overlap evictions: what a batch wrote and evicted at once is never logged.
    assert any(r.value is None for r in changelog)
    assert len(changelog) > 2 * retain
    before = _restored(dedup.name)
    # The last retained key again under a new id: the restored store still knows it.
    again = Candidate(id=f"{tag}-again", query="echo 999", calls=[])
    await produce(kafka_bootstrap, dedup.input_topic, [encode(again)])
    await _run(config, alone, [1])
    read = _restored(dedup.name) - before
    assert 0 < read <= Retention(keys=retain).restore_window()
    rejected = [msgspec.json.decode(r.value, type=Rejection)
                for r in await read_committed(kafka_bootstrap, topics.REJECTED)]  # fmt: skip
    assert [(r.id, r.reason) for r in rejected if r.stage == dedup.name] == [
        (again.id, "duplicate")
    ]
