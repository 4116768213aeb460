"""verify's fast reading of xlam rows gives the rows the plain-value reader gives, and the
batch's verdicts read unrouted are the verdicts the pipeline routes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anyio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apigen_stream.datasets import (
    AnyRow,
    Dataset,
    Row,
    ToolCache,
    Unreadable,
    decode_document,
    read_dataset,
)
from apigen_stream.engine.handling import Backoff, make_handling
from apigen_stream.engine.routing import Outgoing
from apigen_stream.errors import DatasetError
from apigen_stream.export import xlam
from apigen_stream.jsonstream import DocumentStream
from apigen_stream.records import Call, Candidate, Rejection, Tool
from apigen_stream.stages.format import FormatStage
from apigen_stream.stages.stage import Accept, DictState, Reject, Verdict
from tests.unit.test_properties import JSON

SUBTRACT = {"name": "subtract", "description": "a minus b.", "parameters": {
    "type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
    "required": ["a", "b"]}}  # fmt: skip
JOIN = {"name": "join", "parameters": {"type": "object", "properties": {
    "left": {"type": "string"}, "right": {"type": "string"}}, "required": ["left"]}}  # fmt: skip
CALLS = st.lists(
    st.fixed_dictionaries(
        {"name": st.sampled_from(["subtract", "join", "", "missing"])},
        optional={"arguments": st.dictionaries(st.sampled_from(["a", "b", "left"]), JSON,
                                               max_size=3) | JSON.map(json.dumps)},
    ),
    max_size=3,
)  # fmt: skip
TOOLS = st.sampled_from([[SUBTRACT], [SUBTRACT, JOIN], [JOIN], [], [{"nameless": 1}], [3]])
# Each field as a dataset writes it (JSON text; the first choice), or as anything else a file
# may hold; any field may be missing, and a row may have others.
ROW = st.fixed_dictionaries(
    {"query": st.text(max_size=12) | JSON},
    optional={
        "id": st.integers(min_value=0, max_value=10**6) | st.text(max_size=6)
        | st.integers(min_value=-(10**30), max_value=10**30) | JSON,
        "answers": CALLS.map(json.dumps) | CALLS | st.text(max_size=12) | JSON,
        "tools": TOOLS.map(json.dumps) | TOOLS | st.text(max_size=12) | JSON,
        "extra": JSON,
    },
)  # fmt: skip
# Rows written by hand: what json.dumps never writes, and a number msgspec cannot hold.
ODD_LINES = st.sampled_from([
    b'{"query": "q", "answers": "[]", "x": 1e400}',
    b'{"query": "q", "query": "r", "answers": "[]"}',
    b'{"query": 1, "query": "r", "answers": "[]"}',
    b'{"query": "q", "answers": "[{\\"name\\": \\"join\\", \\"arguments\\": {\\"left\\": NaN}}]"}',
    b'\xef\xbb\xbf{"query": "q", "answers": "[]"}',
    b'{"query": "\\ud800", "answers": "[]"}',
    b'{"id": true, "query": "q", "answers": "[]"}',
    b'{"id": 1.5, "query": "q", "answers": "[]"}',
    b'{"id": null, "query": "q", "answers": "[]"}',
])  # fmt: skip
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def plain_rows(path: Path) -> list[AnyRow]:
    """The rows of an xlam file as its plain values make them: decode each row into dicts and
    lists, then read the sample from them (``xlam.from_row``)."""
    read = ToolCache().reader(xlam.tools_of)
    out: list[AnyRow] = []
    with path.open("rb") as fh:
        for doc in DocumentStream(fh):
            raw = decode_document(doc)
            if isinstance(raw, Unreadable):
                out.append(raw)
                continue
            try:
                sample = xlam.from_row(raw, read)
            except DatasetError as exc:
                row_id = raw.get("id", doc.number)
                row_id = row_id if isinstance(row_id, int | str) else doc.number
                out.append(Unreadable(row_id, doc.data, str(exc)))
                continue
            row_id = raw.get("id", doc.number - 1)
            candidate = Candidate(id=str(row_id), style=sample.style, query=sample.query,
                                  calls=sample.calls, tools=sample.tools)  # fmt: skip
            out.append(Row(row_id, raw, candidate, doc.data))
    return out


def assert_same(read: list[AnyRow], expected: list[AnyRow]) -> None:
    assert len(read) == len(expected)
    for got, want in zip(read, expected, strict=True):
        assert type(got) is type(want), (got, want)
        if isinstance(got, Unreadable):
            assert got == want
            continue
        assert isinstance(want, Row)
        assert (got.id, type(got.id), got.text) == (want.id, type(want.id), want.text)
        assert got.candidate == want.candidate
        assert got.value() == want.value()


@PROPERTY
@given(rows=st.lists(ROW, min_size=1, max_size=6), odd=st.lists(ODD_LINES, max_size=2))
def test_fast_reading_gives_the_rows_plain_values_give(
    rows: list[dict[str, Any]], odd: list[bytes], tmp_path_factory: Any
) -> None:
    path = tmp_path_factory.mktemp("rows") / "rows.jsonl"
    path.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in rows) + b"\n".join(odd))
    assert_same(read_dataset(path, "xlam"), plain_rows(path))


def test_the_usual_rows_are_read_without_their_plain_values(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(
        json.dumps({"id": 7, "query": "q", "answers": "[]", "tools": json.dumps([SUBTRACT])})
        + "\n" + json.dumps({"query": "q", "answers": "[]", "source": "kept"}) + "\n"
    )  # fmt: skip
    usual, other = read_dataset(path)
    assert isinstance(usual, Row) and isinstance(other, Row)
    assert usual.raw is None  # the fast path: the text is the row
    assert usual.value() == json.loads(path.read_text().splitlines()[0])
    assert other.raw == {"query": "q", "answers": "[]", "source": "kept"}  # the plain path


def test_a_tool_offered_in_several_lists_is_one_object(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    lines = [{"id": i, "query": "q", "answers": "[]",
              "tools": json.dumps([SUBTRACT, JOIN] if i % 2 else [SUBTRACT])}
             for i in range(4)]  # fmt: skip
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    rows = [r for r in Dataset(path) if isinstance(r, Row)]
    subtracts = {id(r.candidate.tools[0]) for r in rows}
    joins = {id(r.candidate.tools[1]) for r in rows if len(r.candidate.tools) == 2}
    assert len(rows) == 4 and len(subtracts) == 1 and len(joins) == 1
    assert [t.name for t in rows[1].candidate.tools] == ["subtract", "join"]


def test_sharing_tools_keeps_tools_that_differ_apart() -> None:
    cache = ToolCache()
    read = cache.reader(xlam.tools_of)
    plain = read(json.dumps([SUBTRACT]), "1")
    described = read(json.dumps([{**SUBTRACT, "description": "other"}]), "2")
    assert plain[0] is not described[0]
    assert (plain[0].description, described[0].description) == ("a minus b.", "other")


def test_batch_verdicts_are_the_verdicts_the_pipeline_routes() -> None:
    tools = [Tool(name="subtract", parameters=SUBTRACT["parameters"])]  # type: ignore[arg-type]
    good = Candidate(id="1", query="q", calls=[Call(name="subtract", arguments={"a": 1, "b": 2})],
                     tools=tools)  # fmt: skip
    bad = Candidate(id="2", query="q", calls=[Call(name="subtract", arguments={"a": 1})],
                    tools=tools)  # fmt: skip
    handling = make_handling(FormatStage(), 1, Backoff(0.0, 0.0))

    async def both() -> tuple[Sequence[Sequence[Verdict]] | None, list[list[Outgoing]]]:
        state = DictState({})
        verdicts = await handling.batch_verdicts([good, bad], state)
        routed = await handling.decoded_batch([good, bad], state, anyio.CapacityLimiter(2))
        return verdicts, routed

    verdicts, routed = anyio.run(both)
    assert verdicts is not None
    (accepted,), (rejected,) = verdicts
    assert isinstance(accepted, Accept) and accepted.record == good
    assert isinstance(rejected, Reject) and rejected.reason == "missing_required"
    assert [o.record for o in routed[0]] == [good]
    rejection = routed[1][0].record
    assert isinstance(rejection, Rejection)
    assert (rejection.reason, rejection.detail) == (rejected.reason, rejected.detail)


def test_a_tool_with_nan_is_not_shared_with_the_same_tool_with_null(tmp_path: Path) -> None:
    """Encoded, NaN and null look alike; their checks differ (a null default means the
    argument may be left out), so the two tools stay two objects and each row keeps its own."""
    with_nan = {"name": "f", "parameters": {"type": "object", "properties": {
        "x": {"type": "string", "default": float("nan")}}}}  # fmt: skip
    with_null = {"name": "f", "parameters": {"type": "object", "properties": {
        "x": {"type": "string", "default": None}}}}  # fmt: skip
    read = ToolCache().reader(xlam.tools_of)
    nan_tools = read(json.dumps([with_nan]), "1")
    null_tools = read(json.dumps([with_null]), "2")
    assert nan_tools[0] is not null_tools[0]
    assert null_tools[0].parameters["properties"]["x"]["default"] is None
