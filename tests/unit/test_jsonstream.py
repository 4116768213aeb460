"""Cutting a dataset file into documents: JSON Lines and arrays, across chunk boundaries."""

from __future__ import annotations

import io
import json

import pytest

from apigen_stream.jsonstream import DocumentStream

ROWS = [
    {"id": 1, "q": 'a [tricky] {row}, with "quotes" and \\ back\\slashes', "n": [1, [2]]},
    {"id": 2, "q": "", "nested": {"a": {"b": [{}, []]}}},
    {"id": 3, "q": "é ü 中文 \u2028"},
]


def _docs(data: bytes, chunk: int) -> list[tuple[int, bytes]]:
    return [(d.number, d.data) for d in DocumentStream(io.BytesIO(data), chunk_bytes=chunk)]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_an_array_is_cut_into_its_elements_whatever_the_chunk(
    chunk: int, indent: int | None
) -> None:
    data = b"\xef\xbb\xbf  " + json.dumps(ROWS, indent=indent, ensure_ascii=False).encode()
    docs = _docs(data, chunk)
    assert [json.loads(d) for _, d in docs] == ROWS
    assert [n for n, _ in docs] == [1, 2, 3]


@pytest.mark.parametrize("chunk", [1, 5, 1 << 20])
def test_json_lines_keep_their_line_numbers(chunk: int) -> None:
    data = b"\xef\xbb\xbf" + b"\n".join(json.dumps(r).encode() for r in ROWS) + b"\n\n"
    data = data.replace(b'{"id": 2', b'\r\n{"id": 2')
    docs = _docs(data, chunk)
    assert [json.loads(d) for _, d in docs] == ROWS
    assert [n for n, _ in docs] == [1, 3, 4]


def test_odd_elements_and_a_cut_short_array_are_still_documents() -> None:
    docs = _docs(b'[{"a": 1}, 5, "x,]", {"b": [', 4)
    assert [d for _, d in docs] == [b'{"a": 1}', b"5", b'"x,]"', b'{"b": [']
    assert _docs(b"[]", 4) == []
    assert _docs(b"", 4) == []
