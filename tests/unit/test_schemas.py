"""The shipped schemas match the records, real records validate against them, and the
repository's ``schemas/`` and ``topics/`` are identical copies of what the package ships."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
from jsonschema import Draft202012Validator

from apigen_stream.commands.schemas import read_packaged
from apigen_stream.engine.codec import encode
from apigen_stream.records import (
    TOPIC_RECORDS,
    Call,
    Candidate,
    DeadLetter,
    DedupEntry,
    Example,
    Executed,
    Judgement,
    Outcome,
    Provenance,
    Rejection,
    Sample,
    Task,
    Tool,
)
from apigen_stream.schemas import drift, schema_files, topic_schema
from apigen_stream.topics import packaged_topics_file

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "apigen_stream.cli"]

TOOL = Tool(
    name="get_weather",
    description="Current weather of a city.",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["C", "F"]}},
        "required": ["city"],
    },
    category="weather",
)
CALL = Call(name="get_weather", arguments={"city": "Oslo", "unit": "C"})
CANDIDATE = Candidate(
    id="s-1",
    task_id="t-1",
    style="simple",
    query="What is the weather in Oslo in Celsius?",
    calls=[CALL],
    tools=[TOOL],
    provenance=Provenance(generator="gen-model", template="simple", timings={"generate": 0.4}),
    created_at=1_700_000_000.0,
)
OUTCOME = Outcome(name="get_weather", ok=True, result={"temp": 3.5}, elapsed_ms=1.2)
EXECUTED = Executed(candidate=CANDIDATE, outcomes=[OUTCOME])
SAMPLES: dict[str, msgspec.Struct] = {
    "apigen.tasks": Task(
        id="t-1",
        style="parallel",
        tools=[TOOL],
        examples=[Example(id="x-1", query="Weather in Rome?", calls=[CALL], tools=[TOOL])],
        pairs=3,
    ),
    "apigen.candidates": CANDIDATE,
    "apigen.formatted": CANDIDATE,
    "apigen.unique": CANDIDATE,
    "apigen.executed": EXECUTED,
    "apigen.accepted": Sample(
        id="s-1",
        style="simple",
        query=CANDIDATE.query,
        calls=[CALL],
        tools=[TOOL],
        outcomes=[OUTCOME],
        judgement=Judgement(passed=True, thought="matches", votes=[True]),
    ),
    "apigen.rejected": Rejection(
        id="s-1", stage="execute", reason="timeout", detail="5 s", subject=EXECUTED
    ),
    "apigen.dlq": DeadLetter(
        stage="format",
        topic="apigen.candidates",
        partition=2,
        offset=7,
        reason="undecodable",
        key=b"s-1",
        payload=b"\xff\x00not json",
    ),
    "apigen.dedup-seen-changelog": DedupEntry(id="s-1", created_at=1.0),
}


def _validator(topic: str) -> Draft202012Validator:
    schema = json.loads(read_packaged()[f"{topic}.json"])
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_packaged_schemas_match_the_records() -> None:
    packaged = read_packaged()
    assert drift(packaged) == [], "packaged schemas drifted: run `make schemas`"
    assert set(packaged) == {f"{topic}.json" for topic in TOPIC_RECORDS}


def test_repository_copies_are_identical_to_the_packaged_files() -> None:
    copies = {path.name: path.read_text() for path in (REPO / "schemas").glob("*.json")}
    assert copies == read_packaged(), "schemas/ differs from the package: run `make schemas`"
    topics_copy = (REPO / "topics" / "topics.toml").read_text()
    assert topics_copy == packaged_topics_file().read_text(), "topics/ differs: run `make schemas`"


def test_every_topic_has_a_sample_here() -> None:
    assert set(SAMPLES) == set(TOPIC_RECORDS)
    for topic, record in SAMPLES.items():
        assert isinstance(record, TOPIC_RECORDS[topic])


@pytest.mark.parametrize("topic", sorted(TOPIC_RECORDS))
def test_encoded_record_validates_against_its_topic_schema(topic: str) -> None:
    document = json.loads(encode(SAMPLES[topic]))
    errors = list(_validator(topic).iter_errors(document))
    assert errors == []


@pytest.mark.parametrize("topic", sorted(TOPIC_RECORDS))
def test_record_without_its_type_tag_or_required_field_fails(topic: str) -> None:
    document = json.loads(encode(SAMPLES[topic]))
    validator = _validator(topic)
    assert not validator.is_valid({key: v for key, v in document.items() if key != "type"})
    required = set(topic_schema(topic)["$defs"][type(SAMPLES[topic]).__name__]["required"])
    field = sorted(required - {"type"})[0]
    assert not validator.is_valid({key: v for key, v in document.items() if key != field})


def test_wrong_record_type_on_a_topic_fails() -> None:
    candidate = json.loads(encode(CANDIDATE))
    assert not _validator("apigen.accepted").is_valid(candidate)
    assert _validator("apigen.unique").is_valid(candidate)


def test_schema_names_key_and_record() -> None:
    schema = topic_schema("apigen.formatted")
    assert schema["title"] == "apigen.formatted"
    assert "Candidate" in schema["description"] and "content hash" in schema["description"]


def test_check_command_reports_drift_and_write_repairs_it(tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [*CLI, "schemas", *args, "--dir", str(tmp_path)]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)

    assert cli("write").returncode == 0
    assert {p.name for p in tmp_path.iterdir()} == set(schema_files())
    assert cli("check").returncode == 0
    (tmp_path / "apigen.tasks.json").write_text("{}\n")
    (tmp_path / "apigen.gone.json").write_text("{}\n")
    check = cli("check")
    assert check.returncode == 1
    assert "drifted apigen.tasks.json" in check.stdout and "apigen.gone.json" in check.stdout
    assert cli("write").returncode == 0
    assert cli("check").returncode == 0
    assert not (tmp_path / "apigen.gone.json").exists()
