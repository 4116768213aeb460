"""The pipeline's one declaration: what derives from it, and what must agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import anyio
import pytest

from apigen_stream import funnel, reasons, records, topics, verify
from apigen_stream.broker.backlog import pipeline_groups
from apigen_stream.commands import run
from apigen_stream.config import Config
from apigen_stream.engine.embedded import EmbeddedBus
from apigen_stream.engine.partition_worker import check_partitions
from apigen_stream.errors import ChangelogMismatch, ConfigError
from apigen_stream.records import Rejection
from apigen_stream.spec import PIPELINE, PipelineSpec
from apigen_stream.stages import STAGE_MODULES, open_in_process
from tests.support.declared import DISTINCT, candidates, with_pass_through

pytestmark = pytest.mark.anyio
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_the_tables_that_list_the_stages_derive_from_the_declaration() -> None:
    names = PIPELINE.names
    assert tuple(STAGE_MODULES) == names == funnel.STAGE_ORDER
    assert set(reasons.STAGE_REASONS) == set(names)
    assert verify.VERIFY_STAGES == ("format", "dedup", "execute", "semantic")
    assert set(run.SERVICE_MODULES) == {"sampler", "sink"}
    assert pipeline_groups()["dedup"] == topics.FORMATTED
    assert pipeline_groups()["sink"] == topics.ACCEPTED
    PIPELINE.check()


def test_verify_knows_what_a_stage_needs_from_its_input_type() -> None:
    assert [PIPELINE.needs(n, records.Candidate) for n in verify.VERIFY_STAGES] == [
        None, None, None, "execute",
    ]  # fmt: skip
    with pytest.raises(ConfigError, match="add execute"):
        verify.parse_stages("semantic")


def test_every_stage_reads_the_record_its_topic_declares() -> None:
    specs = topics.topic_specs()
    by_name = {spec.name: spec for spec in specs.values()}
    for stage in PIPELINE.stages:
        assert records.TOPIC_RECORDS[stage.input_topic] is stage.input_record
        assert by_name[stage.input_topic].record == stage.input_record.__name__
    for spec in specs.values():
        assert records.TOPIC_RECORDS[spec.name].__name__ == spec.record


def test_every_store_has_a_compacted_changelog_paired_with_its_input() -> None:
    by_name = {spec.name: spec for spec in topics.topic_specs().values()}
    stores = [(stage, store) for stage in PIPELINE.stages for store in stage.stores]
    assert [(s.name, st.name) for s, st in stores] == [("dedup", "seen")]
    for stage, store in stores:
        changelog = by_name[stage.changelog_topic(store)]
        assert changelog.name == "apigen.dedup-seen-changelog"
        assert changelog.cleanup_policy == "compact"
        assert changelog.partitions == by_name[stage.input_topic].partitions
        assert changelog.record == store.record.__name__


def _readme_table() -> dict[str, tuple[str, str, set[str]]]:
    rows: dict[str, tuple[str, str, set[str]]] = {}
    for line in README.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in PIPELINE.names:
            name, reads, writes, codes = cells
            found = set(re.findall(r"`([a-z_]+)`", codes))
            rows[name] = (reads.split()[0].strip("`"), writes.split()[0].strip("`"), found)
    return rows


def test_the_readme_stage_table_says_what_the_declaration_says() -> None:
    table = _readme_table()
    assert list(table) == list(PIPELINE.names)
    for stage in PIPELINE.stages:
        assert table[stage.name] == (stage.input_topic, stage.output_topic, set(stage.reasons))


def test_a_declaration_whose_stages_do_not_chain_is_refused() -> None:
    broken = PipelineSpec(stages=(PIPELINE.stage("format"), PIPELINE.stage("execute")))
    with pytest.raises(ConfigError, match="execute reads 'unique'"):
        broken.check()
    with pytest.raises(ConfigError, match="unknown stage"):
        PIPELINE.stage("nope")


def test_a_changelog_that_does_not_pair_with_the_input_is_one_clear_error() -> None:
    check_partitions("c", {0, 1}, "in", {0, 1})
    with pytest.raises(ChangelogMismatch, match="c has 2 partitions but its input in has 3"):
        check_partitions("c", {0, 1}, "in", {0, 1, 2})
    with pytest.raises(ChangelogMismatch, match="does not exist"):
        check_partitions("c", None, "in", {0})


async def test_a_stage_added_by_declaration_alone_runs_embedded() -> None:
    pipeline = with_pass_through("emb")
    names = pipeline.stages[0].topic_names
    made = candidates("decl", 60)
    bus = EmbeddedBus(keep=True)
    for candidate in made:
        await bus.publish(names["candidates"], candidate)
    async with open_in_process(Config(), pipeline.names, pipeline) as stages:
        assert [s.name for s in stages] == ["format-emb", "pass-emb", "dedup-emb"]
        assert type(stages[1]).__module__ == "tests.support.passthrough"
        with anyio.fail_after(60):
            await bus.run(stages, until_idle=True)
    rejected = [r for r in bus.records(topics.REJECTED) if isinstance(r, Rejection)]
    assert len(bus.records(names["checked"])) == len(made) - 1
    assert len(bus.records(names["formatted"])) == len(made) - 1
    assert len(bus.records(names["unique"])) == DISTINCT
    by = sorted({(r.stage, r.reason) for r in rejected})
    assert by == [("dedup-emb", "duplicate"), ("format-emb", "unknown_function")]
    assert len(rejected) == len(made) - DISTINCT
