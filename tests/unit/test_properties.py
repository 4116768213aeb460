"""Properties over arbitrary input: decode -> format check -> verdict, and the dataset readers.

For any JSON value in any tool schema, and for any bytes, the answer is a verdict or a
rejection (or a dead-letter reason), never an exception, and it comes in bounded time.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Any

import anyio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apigen_stream import reasons
from apigen_stream.config import Config
from apigen_stream.datasets import Dataset, Row, Unreadable
from apigen_stream.engine.codec import RecordDecodeError, decode, encode
from apigen_stream.errors import DatasetError
from apigen_stream.jsonlimits import JsonLimitError, loads
from apigen_stream.records import Candidate
from apigen_stream.stages.format import check_format
from apigen_stream.stages.stage import Accept, Reject
from apigen_stream.verify import verify

# Each example is one small record: a second is already a hang.
EXAMPLE_SECONDS = 1.0
# A few hundred examples over the suite: enough to find a crash, cheap enough to run each time.
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_PROPERTY = settings(PROPERTY, max_examples=60)

_SCALARS = (
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(10**60), max_value=10**60)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
)  # fmt: skip
JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip
_PATTERNS = st.sampled_from(["^(a+)+$", "^(a)\\1$", "(?=x)", "(", "^[a-z]+$", "\\d{3}", ""])
_TYPES = st.sampled_from(["string", "integer", "number", "boolean", "null", "array",
                          "object", "dict", "float", "any", "tuple"])  # fmt: skip


def _schema(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    keyword = st.sampled_from(["type", "enum", "const", "minimum", "maximum", "minLength",
                               "pattern", "items", "properties", "required", "default",
                               "additionalProperties", "anyOf", "oneOf", "allOf",
                               "maxItems", "prefixItems", "optional"])  # fmt: skip
    value = (
        _TYPES | st.lists(_TYPES, max_size=3) | _PATTERNS | JSON | inner
        | st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    )  # fmt: skip
    return st.dictionaries(keyword, value, max_size=5)


SCHEMA: st.SearchStrategy[Any] = st.recursive(st.just({}) | st.booleans(), _schema, max_leaves=8)


def _candidate_bytes(arguments: Any, parameters: Any, name: str = "f") -> bytes:
    record = {"type": "candidate", "id": "p", "query": "q", "style": "simple",
              "calls": [{"name": name, "arguments": arguments}],
              "tools": [{"name": "f", "parameters": parameters}]}  # fmt: skip
    return json.dumps(record).encode()


def _verdict_of(data: bytes) -> str:
    """``dead_letter:<reason>``, ``reject:<reason>`` or ``accept``; raises on anything else."""
    try:
        record = decode(Candidate, data)
    except RecordDecodeError as exc:
        assert exc.reason in reasons.DLQ_REASONS
        return f"dead_letter:{exc.reason}"
    verdict = check_format(record)
    if isinstance(verdict, Reject):
        assert reasons.is_known("format", verdict.reason), verdict.reason
        encode(verdict.subject)
        return f"reject:{verdict.reason}"
    assert isinstance(verdict, Accept)
    encode(verdict.record)
    return "accept"


def _timed(data: bytes) -> str:
    started = time.perf_counter()
    outcome = _verdict_of(data)
    assert time.perf_counter() - started < EXAMPLE_SECONDS
    return outcome


@SLOW_PROPERTY
@given(arguments=st.dictionaries(st.text(max_size=8), JSON, max_size=4), parameters=SCHEMA)
def test_any_arguments_against_any_schema_get_a_verdict(arguments: Any, parameters: Any) -> None:
    _timed(_candidate_bytes(arguments, parameters))


@PROPERTY
@given(arguments=JSON, parameters=JSON, name=st.text(max_size=5) | st.integers())
def test_any_json_in_the_call_and_tool_fields_gets_a_verdict(
    arguments: Any, parameters: Any, name: Any
) -> None:
    _timed(_candidate_bytes(arguments, parameters, name))


@PROPERTY
@given(data=st.binary(max_size=300))
def test_any_bytes_get_a_verdict_or_a_dead_letter(data: bytes) -> None:
    _timed(data)


@PROPERTY
@given(depth=st.integers(min_value=1, max_value=3_000), digits=st.integers(1, 6_000))
def test_deep_and_long_values_are_bounded(depth: int, digits: int) -> None:
    nested = "[" * depth + "9" * digits + "]" * depth
    data = _candidate_bytes({}, {}).replace(b'"arguments": {}', f'"arguments": {{"x": {nested}}}'
                                            .encode())  # fmt: skip
    outcome = _timed(data)
    # The candidate around the value adds a few levels of its own: past 128 the whole is too deep.
    if depth >= 128 or digits > 400:
        assert outcome == "dead_letter:undecodable"


@PROPERTY
@given(data=st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()))
def test_bounded_loads_returns_a_value_or_its_own_error(data: bytes) -> None:
    with contextlib.suppress(JsonLimitError):  # its own error is an answer too
        loads(data, non_finite=True)


def _read(tmp_path: Path, content: bytes, input_format: str | None = None) -> list[Any]:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(content)
    try:
        rows = list(Dataset(path, input_format))  # type: ignore[arg-type]
    except DatasetError:  # the whole file: empty, or a format no row tells
        return []
    assert all(isinstance(r, Row | Unreadable) for r in rows)
    return rows


_FIELD = JSON | JSON.map(json.dumps) | st.text(max_size=30)
XLAM_ROW = st.fixed_dictionaries(
    {"query": _FIELD, "answers": _FIELD},
    optional={"id": JSON, "tools": _FIELD},
)
OPENAI_ROW = st.fixed_dictionaries(
    {"messages": st.lists(st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant"])},
                                                optional={"content": _FIELD, "tool_calls": JSON}),
                          max_size=3)},
    optional={"tools": JSON},
)  # fmt: skip


@SLOW_PROPERTY
@given(rows=st.lists(XLAM_ROW | OPENAI_ROW | JSON, min_size=1, max_size=5),
       as_array=st.booleans(), fmt=st.sampled_from([None, "xlam", "openai"]))  # fmt: skip
def test_the_readers_and_the_checks_give_every_row_a_verdict(
    rows: list[Any], as_array: bool, fmt: str | None, tmp_path_factory: Any
) -> None:
    tmp_path = tmp_path_factory.mktemp("rows")
    if as_array:
        content = json.dumps(rows, indent=1).encode()
    else:
        content = b"".join(json.dumps(r).encode() + b"\n" for r in rows)
    started = time.perf_counter()
    read = _read(tmp_path, content, fmt)
    # A JSON Lines file whose first row is an array reads as one array: count only the others.
    if read and (as_array or not isinstance(rows[0], list)):
        assert len(read) == len(rows)
        verdicts = anyio.run(verify, Config(), read, ["format"])
        assert len(verdicts) == len(rows)
    assert time.perf_counter() - started < 5 * EXAMPLE_SECONDS


@PROPERTY
@given(content=st.binary(max_size=400))
def test_the_readers_take_any_bytes(content: bytes, tmp_path_factory: Any) -> None:
    _read(tmp_path_factory.mktemp("bytes"), content)
