"""``read_calls`` (the fast path of reading a row's answers) says what the plain path says."""

from __future__ import annotations

from typing import Any

import pytest

from apigen_stream.errors import DatasetError
from apigen_stream.export.common import calls_of, loads_field, read_calls

CASES: list[Any] = [
    "[]",
    '[{"name": "a"}]',
    '[{"name": "a", "arguments": {"x": 1, "y": [1, {"z": null}]}, "extra": true}]',
    '[{"name": "a", "arguments": {"x": NaN}}]',  # Python-written: read, for format to reject
    '[{"name": "a", "arguments": {"x": 1e999}}]',
    '[{"name": "a", "arguments": "{\\"x\\": 1}"}]',  # arguments as JSON text
    '[{"name": "a", "arguments": null}]',
    '[{"name": 1}]',
    "[1]",
    "{}",
    '"[]"',
    "not json",
    "\ufeff[]",
    '[{"name": "\\ud800"}]',  # a lone surrogate
    "[" * 200 + "]" * 200,  # past the nesting limit
    "[" + "9" * 500 + "]",  # past the number-literal limit
    [{"name": "a", "arguments": {"x": 1}}],  # already parsed
    None,
]


def _outcome(read: Any) -> tuple[str, Any]:
    try:
        return "ok", read()
    except DatasetError as exc:
        return "error", str(exc)


@pytest.mark.parametrize("value", CASES, ids=lambda v: repr(v)[:40])
def test_same_calls_and_same_errors_as_the_plain_path(value: Any) -> None:
    fast = _outcome(lambda: read_calls(value, "answers", "7"))
    plain = _outcome(lambda: calls_of(loads_field(value, "answers", "7"), "7"))
    assert fast == plain
