"""verify's streaming pieces: decoding limits, the tool cache, batches, and the pipeline's
handling of failures (retries, deadlines, dead letters) as verify shows them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anyio
import pytest

from apigen_stream import jsonlimits, topics
from apigen_stream.config import Config
from apigen_stream.datasets import Dataset, Row, ToolCache, Unreadable
from apigen_stream.engine.handling import Backoff, make_handling
from apigen_stream.engine.routing import Outgoing
from apigen_stream.errors import BrokerUnavailable
from apigen_stream.records import Candidate, DeadLetter, Rejection, Tool
from apigen_stream.stages.format import FormatStage
from apigen_stream.stages.stage import DictState, StateStore, Verdict
from apigen_stream.verify import batches, check_batch, verify
from tests.support.hostile_corpus import xlam_line

SMALL = jsonlimits.Limits(max_depth=3, max_number_chars=5, max_bytes=100)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (b"[[[1]]]", None),
        (b"[[[[1]]]]", "nested 4 deep"),
        (b'["[[[[[[", {"a": "]]]]"}]', None),  # brackets in strings are text
        (b"[12345]", None),
        (b"[123456]", "a number of 6 characters"),
        (b'["1234567890"]', None),  # digits in a string are text
        (b"[" + b" " * 100 + b"]", "102 bytes"),
    ],
)
def test_limits(text: bytes, error: str | None) -> None:
    if error is None:
        jsonlimits.check(text, SMALL)
    else:
        with pytest.raises(jsonlimits.JsonLimitError, match=error):
            jsonlimits.check(text, SMALL)


def test_limits_each_bound_applies_whatever_the_other_is() -> None:
    deep_limit = jsonlimits.Limits(max_depth=10, max_number_chars=3, max_bytes=100)
    with pytest.raises(jsonlimits.JsonLimitError, match="a number of 4 characters"):
        jsonlimits.check(b"[1234]", deep_limit)  # shorter than the depth limit, not the number
    jsonlimits.check(b"[123]", deep_limit)
    long_numbers = jsonlimits.Limits(max_depth=2, max_number_chars=50, max_bytes=100)
    with pytest.raises(jsonlimits.JsonLimitError, match="nested 3 deep"):
        jsonlimits.check(b"[[[1]]]", long_numbers)
    jsonlimits.check(b'["[[[[", [1]]', long_numbers)  # brackets in strings are text


def test_loads_reads_python_non_finite_numbers_only_when_asked() -> None:
    assert jsonlimits.loads(b"\xef\xbb\xbf[1]") == [1]
    with pytest.raises(jsonlimits.JsonLimitError):
        jsonlimits.loads("[NaN]")
    value = jsonlimits.loads("[NaN, -Infinity, 1e999]", non_finite=True)
    assert jsonlimits.non_finite(value) == (0,)
    assert jsonlimits.non_finite({"a": [1.0, {"b": float("inf")}]}) == ("a", 1, "b")
    assert jsonlimits.non_finite({"a": [1.0, "NaN"]}) is None
    with pytest.raises(jsonlimits.JsonLimitError, match="surrogate"):
        jsonlimits.loads('[NaN, "\\ud800"]', non_finite=True)


def test_each_distinct_tool_list_is_converted_once() -> None:
    seen: list[Any] = []

    def convert(value: Any, row_id: str) -> list[Tool]:
        seen.append(value)
        return [Tool(name=str(value))]

    read = ToolCache(size=2).reader(convert)
    first = read("[a]", "1")
    assert read("[a]", "2") is first
    read(["b"], "3")
    read(["b"], "4")
    assert seen == ["[a]", ["b"]]
    read("[c]", "5")  # a third list evicts the oldest
    read("[a]", "6")
    assert seen == ["[a]", ["b"], "[c]", "[a]"]


def test_rows_sharing_tools_share_one_converted_list(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(xlam_line(i, f'{{"x": {i}}}') for i in range(5)))
    rows = [r for r in Dataset(path) if isinstance(r, Row)]
    assert len(rows) == 5
    assert all(r.candidate.tools is rows[0].candidate.tools for r in rows)


def test_batches_are_bounded_by_rows_and_bytes() -> None:
    rows = [Unreadable(i, b"x" * 10, "") for i in range(10)]
    assert [len(b) for b in batches(rows, size=4, max_bytes=1_000)] == [4, 4, 2]
    assert [len(b) for b in batches(rows, size=100, max_bytes=25)] == [3, 3, 3, 1]


class _Fragile(FormatStage):
    """The format stage, with a bug on one record: its batch path and its handler raise."""

    async def handle_many(
        self, records: Sequence[Candidate], state: StateStore
    ) -> list[Sequence[Verdict]]:
        if any(r.query == "boom" for r in records):
            raise KeyError("boom")
        return await super().handle_many(records, state)

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        if record.query == "boom":
            raise KeyError("boom")
        return await super().handle(record, state)


def test_a_handler_failing_on_one_row_rejects_that_row_only(tmp_path: Path) -> None:
    lines = [xlam_line(i, f'{{"x": {i}}}') for i in range(4)]
    lines[2] = lines[2].replace(b"Probe it.", b"boom")
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(lines))
    rows = list(Dataset(path))
    verdicts = anyio.run(check_batch, rows, [_Fragile()], [DictState({})])
    assert [(v.stage, v.reason) for v in verdicts] == [
        ("", ""), ("", ""), ("format", "handler_error"), ("", "")
    ]  # fmt: skip
    assert "KeyError" in verdicts[2].detail


def test_verify_keeps_input_order_across_batches(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(xlam_line(i, "{}" if i % 3 else '{"y": 1}') for i in range(1_200)))
    verdicts = anyio.run(verify, Config(), list(Dataset(path)), ["format"])
    assert [v.row.id for v in verdicts] == list(range(1_200))
    assert [v.passed for v in verdicts] == [bool(i % 3) for i in range(1_200)]


class _Flaky(FormatStage):
    """The format stage, whose batch path fails once with an error marked retriable."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def handle_many(
        self, records: Sequence[Candidate], state: StateStore
    ) -> list[Sequence[Verdict]]:
        self.calls += 1
        if self.calls == 1:
            raise BrokerUnavailable("for a moment")
        return await super().handle_many(records, state)


def test_verify_retries_a_retriable_batch_failure_as_the_pipeline_does(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(xlam_line(i, f'{{"x": {i}}}') for i in range(3)))
    stage = _Flaky()
    verdicts = anyio.run(check_batch, list(Dataset(path)), [stage], [DictState({})])
    assert [v.passed for v in verdicts] == [True, True, True]
    assert stage.calls == 2  # the batch again, not row by row


class _Slow(FormatStage):
    """The format stage, hanging on the row whose query is ``slow``."""

    async def handle_many(
        self, records: Sequence[Candidate], state: StateStore
    ) -> list[Sequence[Verdict]]:
        if any(r.query == "slow" for r in records):
            await anyio.sleep_forever()
        return await super().handle_many(records, state)

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        if record.query == "slow":
            await anyio.sleep_forever()
        return await super().handle(record, state)


def test_a_row_past_the_deadline_is_rejected_alone(tmp_path: Path) -> None:
    lines = [xlam_line(i, f'{{"x": {i}}}') for i in range(3)]
    lines[1] = lines[1].replace(b"Probe it.", b"slow")
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(lines))
    records = [r.candidate for r in Dataset(path) if isinstance(r, Row)]
    handling = make_handling(_Slow(), 1, Backoff(0.0, 0.0), deadline_s=0.2)

    async def handle() -> list[list[Outgoing]]:
        return await handling.decoded_batch(records, DictState({}), anyio.CapacityLimiter(4))

    outputs = anyio.run(handle)
    assert [[o.topic for o in each] for each in outputs] == [
        [topics.FORMATTED], [topics.REJECTED], [topics.FORMATTED]
    ]  # fmt: skip
    rejection = outputs[1][0].record
    assert isinstance(rejection, Rejection) and rejection.reason == "deadline_exceeded"


def test_what_verify_reports_for_a_failed_row_is_the_pipelines_dead_letter(
    tmp_path: Path,
) -> None:
    lines = [xlam_line(i, f'{{"x": {i}}}') for i in range(2)]
    lines[0] = lines[0].replace(b"Probe it.", b"boom")
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(lines))
    records = [r.candidate for r in Dataset(path) if isinstance(r, Row)]
    handling = make_handling(_Fragile(), 1, Backoff(0.0, 0.0))

    async def handle() -> list[list[Outgoing]]:
        return await handling.decoded_batch(records, DictState({}), anyio.CapacityLimiter(4))

    letter = anyio.run(handle)[0][0].record
    verdict = anyio.run(check_batch, list(Dataset(path)), [_Fragile()], [DictState({})])[0]
    assert isinstance(letter, DeadLetter) and letter.topic == topics.CANDIDATES
    assert (verdict.reason, verdict.detail) == (letter.reason, letter.detail)
