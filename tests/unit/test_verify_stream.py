"""verify's streaming pieces: decoding limits, the tool cache, batches, a failing handler."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anyio
import pytest

from apigen_stream import jsonlimits
from apigen_stream.config import Config
from apigen_stream.datasets import Dataset, Row, ToolCache, Unreadable
from apigen_stream.records import Candidate, Tool
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
