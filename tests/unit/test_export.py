"""Export formats: each round-trips; xlam rows are the published dataset's, byte for byte; the
OpenAI export validates against a schema of the fine-tuning format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from apigen_stream.commands.export import samples_from_files, write_rows
from apigen_stream.export import FORMATS, get_format, openai_chat, sharegpt, xlam
from apigen_stream.export.common import NO_CALL_ANSWER
from apigen_stream.export.files import DatasetWriter
from apigen_stream.records import Call, Sample, Tool
from tests.support.data import DATA

SCHEMA = Path(__file__).resolve().parents[1] / "support" / "openai_finetune_schema.json"

WEATHER = Tool(
    name="get_weather",
    description="Current weather of a city.",
    parameters={
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "City name."},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "celsius"},
        },
        "required": ["city"],
    },
)
TIME = Tool(
    name="get_time",
    description="Local time of a city.",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


def xlam_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((DATA / "xlam_samples.json").read_text())
    return rows


def our_samples() -> list[Sample]:
    return [
        Sample(id="s-1", style="simple", query="Weather in Paris?", tools=[WEATHER],
               calls=[Call(name="get_weather", arguments={"city": "Paris"})]),
        Sample(id="s-2", style="parallel_multiple", query="Weather and time in Oslo, in °F.",
               tools=[WEATHER, TIME],
               calls=[Call(name="get_weather", arguments={"city": "Oslo", "unit": "fahrenheit"}),
                      Call(name="get_time", arguments={"city": "Oslo"})]),
        Sample(id="s-3", style="irrelevance", query="Book me a table for two.",
               tools=[WEATHER, TIME], calls=[]),
    ]  # fmt: skip


def all_samples() -> list[Sample]:
    return [xlam.from_row(r) for r in xlam_rows()] + our_samples()


def content(sample: Sample, with_id: bool = True) -> tuple[Any, ...]:
    tools = [(t.name, t.description, t.parameters) for t in sample.tools]
    return (sample.id if with_id else None, sample.style, sample.query, sample.calls, tools)


def test_published_xlam_rows_round_trip_byte_for_byte() -> None:
    rows = xlam_rows()
    assert [xlam.to_row(xlam.from_row(r)) for r in rows] == rows
    assert [r["id"] for r in rows] == [0, 3493, 57546, 8815]


@pytest.mark.parametrize("name", ["xlam", "openai", "sharegpt", "sample"])
def test_each_format_round_trips_through_a_file(name: str, tmp_path: Path) -> None:
    samples = all_samples()
    out = tmp_path / f"{name}.jsonl"
    assert write_rows(out, name, samples) == len(samples)
    lines = out.read_text().splitlines()
    fmt = get_format(name)
    back = [fmt.from_row(json.loads(line), str(i)) for i, line in enumerate(lines)]
    # OpenAI's format has no id field: the reader numbers lines, the order is kept.
    keep_ids = name != "openai"
    if name == "xlam":
        # xlam types are coarser than JSON Schema: compare what the xlam row says.
        assert [xlam.to_row(s) for s in back] == [xlam.to_row(s) for s in samples]
        assert [content(s)[:4] for s in back] == [content(s)[:4] for s in samples]
    else:
        assert [content(s, keep_ids) for s in back] == [content(s, keep_ids) for s in samples]
    assert [json.loads(line) for line in lines] == [fmt.to_row(s) for s in back]


def test_openai_export_validates_against_the_fine_tuning_schema() -> None:
    validator = Draft202012Validator(json.loads(SCHEMA.read_text()))
    for sample in all_samples():
        row = openai_chat.to_row(sample)
        errors = [e.message for e in validator.iter_errors(row)]
        assert errors == [], (sample.id, errors)
        for message in row["messages"]:
            for call in message.get("tool_calls", []):
                assert isinstance(json.loads(call["function"]["arguments"]), dict)


def test_dotted_names_are_renamed_alike_in_tools_and_calls() -> None:
    tool = Tool(name="math.factorial", parameters={"type": "object", "properties": {}})
    call = Call(name="math.factorial", arguments={"number": 5})
    sample = Sample(id="s", style="simple", query="5!?", calls=[call], tools=[tool])
    row = openai_chat.to_row(sample)
    validator = Draft202012Validator(json.loads(SCHEMA.read_text()))
    assert [e.message for e in validator.iter_errors(row)] == []
    assert row["tools"][0]["function"]["name"] == "math_factorial"
    assert row["messages"][-1]["tool_calls"][0]["function"]["name"] == "math_factorial"


def test_the_schema_rejects_what_openai_rejects() -> None:
    validator = Draft202012Validator(json.loads(SCHEMA.read_text()))
    row = openai_chat.to_row(our_samples()[0])
    assert validator.is_valid(row)
    dict_arguments = json.loads(json.dumps(row))
    dict_arguments["messages"][-1]["tool_calls"][0]["function"]["arguments"] = {"city": "Paris"}
    assert not validator.is_valid(dict_arguments)
    assert not validator.is_valid({**row, "id": "s-1"})  # an unknown top-level key
    no_answer = json.loads(json.dumps(row))
    no_answer["messages"][-1] = {"role": "assistant"}
    assert not validator.is_valid(no_answer)


def test_irrelevance_exports_as_an_answer_without_a_call() -> None:
    sample = our_samples()[2]
    chat = openai_chat.to_row(sample)["messages"][-1]
    assert chat == {"role": "assistant", "content": NO_CALL_ANSWER}
    gpt = sharegpt.to_row(sample)["conversations"][-1]["value"]
    assert "<tool_call>" not in gpt
    assert json.loads(xlam.to_row(sample)["answers"]) == []


def test_parallel_calls_are_flagged_and_each_becomes_a_block() -> None:
    sample = our_samples()[1]
    row = openai_chat.to_row(sample)
    assert row["parallel_tool_calls"] is True
    assert len(row["messages"][-1]["tool_calls"]) == 2
    assert sharegpt.to_row(sample)["conversations"][-1]["value"].count("<tool_call>") == 2


def test_xlam_ids_are_ints_when_numeric() -> None:
    assert (
        xlam.to_row(Sample(id="42", style="irrelevance", query="q", calls=[], tools=[]))["id"] == 42
    )
    assert xlam.to_row(our_samples()[0])["id"] == "s-1"


def test_export_from_sink_files_reads_every_sample(tmp_path: Path) -> None:
    samples = all_samples()
    with DatasetWriter(tmp_path / "d", format="sample", max_samples=2) as writer:
        for s in samples:
            writer.write([(s.id, FORMATS["sample"].to_row(s))])
    assert samples_from_files(tmp_path / "d") == samples
    assert samples_from_files(tmp_path / "d", limit=3) == samples[:3]
