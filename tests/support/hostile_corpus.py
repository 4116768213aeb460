"""Hostile inputs, each with the outcome it must get: the poison-proof bar as a table.

Every case holds the same hostile content in two forms:

- ``dataset``: a dataset file for ``apigen-stream verify`` (``input_format`` tells which reader;
  BFCL cases also carry ``answers``), with the expected outcome of each of its rows, in order;
- ``candidate``: the record value as it comes on ``apigen.candidates`` (``None`` for cases that
  only a dataset reader meets), with the format stage's expected outcome over Kafka.

An outcome is ``Outcome(kind, reason)``: ``accepted`` (no reason), ``rejected`` with a format
reason code (in ``verify`` the stage is ``format``, or ``read`` for a row that could not be read),
or ``dead_letter`` with a dead-letter reason. The cases are built in code, so they are exact
(5,000 nested brackets, a lone surrogate escape, invalid UTF-8) and need no data files;
``write_dataset`` puts one on disk for a command-line run.

Use: ``for case in CASES: ...``, or ``by_name("catastrophic_pattern")``. ``GOOD`` is a record
that must pass; feed it after the poison ones to show the stage went on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["accepted", "rejected", "dead_letter"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a record or row must get: accepted, rejected with a reason, or dead-lettered."""

    kind: Kind
    reason: str = ""
    # For ``verify``: the stage that rejects (``format``, or ``read`` before any stage).
    stage: str = ""


ACCEPTED = Outcome("accepted")


def rejected(reason: str, stage: str = "format") -> Outcome:
    """A rejection by ``stage`` (``read``: the row could not be read as a candidate)."""
    return Outcome("rejected", reason, stage)


def dead_letter(reason: str) -> Outcome:
    """A dead letter on ``apigen.dlq`` with ``reason``."""
    return Outcome("dead_letter", reason)


UNREADABLE = rejected("unreadable_row", "read")


@dataclass(frozen=True, slots=True)
class HostileCase:
    """One hostile input in its dataset and record forms, with their expected outcomes."""

    name: str
    # The observation of the poison-proof issue this case reproduces.
    seen: str
    input_format: Literal["xlam", "openai", "bfcl"]
    dataset: bytes
    rows: tuple[Outcome, ...]
    candidate: bytes | None = None
    stage: Outcome | None = None
    answers: bytes | None = None


# --- building blocks: a tool, an xlam row and a candidate record, with raw JSON spliced in -----

_ANY_PARAMS = '{"type": "object", "properties": {"x": {"description": "anything"}}}'


def _params(props: str, required: str = "[]") -> str:
    return f'{{"type": "object", "properties": {props}, "required": {required}}}'


def _tool(parameters: str, name: str = "probe") -> str:
    return f'{{"name": "{name}", "description": "A probe.", "parameters": {parameters}}}'


def _call(arguments: str, name: str = "probe") -> str:
    return f'{{"name": "{name}", "arguments": {arguments}}}'


def xlam_line(row_id: int, arguments: str, parameters: str = _ANY_PARAMS) -> bytes:
    """One xlam row whose answers and tools (JSON text, as xlam has them) splice raw JSON."""
    answers = f"[{_call(arguments)}]"
    tools = f"[{_tool(parameters)}]"
    row = {"id": row_id, "query": "Probe it.", "answers": answers, "tools": tools}
    return json.dumps(row).encode() + b"\n"


def candidate(arguments: str, parameters: str = _ANY_PARAMS, cid: str = "hostile") -> bytes:
    """A candidate record as it comes on ``apigen.candidates``, raw JSON spliced in."""
    return (
        f'{{"type": "candidate", "id": "{cid}", "task_id": "t-{cid}", "style": "simple", '
        f'"query": "Probe it.", "calls": [{_call(arguments)}], "tools": [{_tool(parameters)}]}}'
    ).encode()


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _nested_schema(depth: int) -> str:
    inner = '{"type": "string"}'
    for _ in range(depth):
        inner = f'{{"type": "array", "items": {inner}}}'
    return _params(f'{{"x": {inner}}}')


_PATTERN = _params('{"x": {"type": "string", "pattern": "^(a+)+$"}}')
_BACKREF = _params('{"x": {"type": "string", "pattern": "^(a)\\\\1$"}}')
_BOUNDED = _params('{"x": {"type": "number", "minimum": 0, "maximum": 10}}')
_LIST_DEFAULT = _params('{"x": {"type": "array", "default": [1, 2]}}')
_DICT_DEFAULT = _params('{"x": {"type": "object", "default": {"a": 1}}}')
_PROPS_LIST = '{"type": "object", "properties": []}'
# 40,000 names in under 1 MiB, so the record still fits a default Kafka request.
_MANY_PROPS = _params(json.dumps({f"n{i}": {} for i in range(40_000)}))
_HUGE_INT = "9" * 5_000

GOOD = candidate('{"x": 1}', cid="good")
GOOD_ROW = xlam_line(1000, '{"x": 1}')


def _openai(tool_calls: str) -> bytes:
    return (
        '{"messages": [{"role": "user", "content": "Probe it."}, '
        f'{{"role": "assistant", "tool_calls": {tool_calls}}}], '
        '"tools": [{"type": "function", "function": {"name": "probe", "parameters": '
        f"{_ANY_PARAMS}}}}}]}}\n"
    ).encode()


_BFCL_FUNCTION = (
    '[{"name": "probe", "description": "A probe.", "parameters": {"type": "dict", '
    '"properties": {"x": {"type": "integer"}}, "required": ["x"]}}]'
)


def _bfcl(question: str) -> bytes:
    return f'{{"id": "q_0", "question": {question}, "function": {_BFCL_FUNCTION}}}\n'.encode()


_BFCL_ANSWER = b'{"id": "q_0", "ground_truth": [{"probe": {"x": [1]}}]}\n'


CASES: tuple[HostileCase, ...] = (
    HostileCase(
        name="nested_5000",
        seen="Crash loop: 5,000 nested [ make decoding raise RecursionError",
        input_format="xlam",
        dataset=xlam_line(1, f'{{"x": {_nested(5_000)}}}'),
        rows=(UNREADABLE,),
        candidate=candidate(f'{{"x": {_nested(5_000)}}}'),
        stage=dead_letter("undecodable"),
    ),
    HostileCase(
        name="nested_1000",
        seen="verify loses the run on JSON nested ~1,000 deep",
        input_format="xlam",
        dataset=xlam_line(1, f'{{"x": {_nested(1_000)}}}'),
        rows=(UNREADABLE,),
        candidate=candidate(f'{{"x": {_nested(1_000)}}}'),
        stage=dead_letter("undecodable"),
    ),
    HostileCase(
        name="catastrophic_pattern",
        seen='Hang: "pattern": "^(a+)+$" and a 40-character argument',
        input_format="xlam",
        dataset=xlam_line(1, '{"x": "' + "a" * 40 + '!"}', _PATTERN),
        rows=(rejected("out_of_range"),),
        candidate=candidate('{"x": "' + "a" * 40 + '!"}', _PATTERN),
        stage=rejected("out_of_range"),
    ),
    HostileCase(
        name="pattern_re2_cannot_take",
        seen="a pattern the linear-time engine cannot take is its own reason code",
        input_format="xlam",
        dataset=xlam_line(1, '{"x": "aa"}', _BACKREF),
        rows=(rejected("unsupported_pattern"),),
        candidate=candidate('{"x": "aa"}', _BACKREF),
        stage=rejected("unsupported_pattern"),
    ),
    HostileCase(
        name="default_list",
        seen="Format crash: a parameter whose default is a list (unhashable type)",
        input_format="xlam",
        dataset=xlam_line(1, '{"x": [3]}', _LIST_DEFAULT),
        rows=(ACCEPTED,),
        candidate=candidate('{"x": [3]}', _LIST_DEFAULT),
        stage=ACCEPTED,
    ),
    HostileCase(
        name="default_dict",
        seen="Format crash: a parameter whose default is a dict (unhashable type)",
        input_format="xlam",
        dataset=xlam_line(1, '{"x": {"b": 2}}', _DICT_DEFAULT),
        rows=(ACCEPTED,),
        candidate=candidate('{"x": {"b": 2}}', _DICT_DEFAULT),
        stage=ACCEPTED,
    ),
    HostileCase(
        name="properties_list",
        seen='verify loses the run on "properties": []',
        input_format="xlam",
        dataset=xlam_line(1, '{"x": 1}', _PROPS_LIST),
        rows=(rejected("unknown_argument"),),
        candidate=candidate('{"x": 1}', _PROPS_LIST),
        stage=rejected("unknown_argument"),
    ),
    HostileCase(
        name="lone_surrogate",
        seen='verify loses the run on a lone surrogate "\\ud800" in an argument',
        input_format="xlam",
        dataset=xlam_line(1, '{"x": "\\ud800"}'),
        rows=(UNREADABLE,),
        candidate=candidate('{"x": "\\ud800"}'),
        stage=dead_letter("undecodable"),
    ),
    HostileCase(
        name="schema_250_deep",
        seen="verify loses the run on schemas nested ~250 deep",
        input_format="xlam",
        dataset=xlam_line(1, '{"x": ["a"]}', _nested_schema(250)),
        rows=(UNREADABLE,),
        candidate=candidate('{"x": ["a"]}', _nested_schema(250)),
        stage=dead_letter("undecodable"),
    ),
    HostileCase(
        name="int_5000_digits",
        seen="verify loses the run on an integer of 5,000 digits",
        input_format="xlam",
        dataset=xlam_line(1, f'{{"x": {_HUGE_INT}}}'),
        rows=(UNREADABLE,),
        candidate=candidate(f'{{"x": {_HUGE_INT}}}'),
        stage=dead_letter("undecodable"),
    ),
    HostileCase(
        name="nan_argument",
        seen="A NaN argument passes minimum/maximum and is written out as bare NaN",
        input_format="xlam",
        dataset=xlam_line(1, '{"x": NaN}', _BOUNDED),
        rows=(rejected("non_finite_number"),),
        # Strict JSON has no NaN: over Kafka the number comes as a literal past float's range.
        candidate=candidate('{"x": 1e999}', _BOUNDED),
        stage=dead_letter("undecodable"),
    ),
    HostileCase(
        name="infinity_argument",
        seen="non-finite numbers are rejected with their own reason",
        input_format="xlam",
        dataset=xlam_line(1, '{"x": -Infinity}', _BOUNDED),
        rows=(rejected("non_finite_number"),),
        candidate=candidate('{"x": -1e999}', _BOUNDED),
        stage=dead_letter("undecodable"),
    ),
    HostileCase(
        name="many_argument_names",
        seen="a rejection whose detail lists 40,000 argument names",
        input_format="xlam",
        dataset=xlam_line(1, '{"unknown": 1}', _MANY_PROPS),
        rows=(rejected("unknown_argument"),),
        candidate=candidate('{"unknown": 1}', _MANY_PROPS),
        stage=rejected("unknown_argument"),
    ),
    HostileCase(
        name="invalid_utf8",
        seen="verify loses the run on invalid UTF-8",
        input_format="xlam",
        dataset=b'{"id": 1, "query": "Probe \xff\xfe it.", "answers": "[]", "tools": "[]"}\n',
        rows=(UNREADABLE,),
        candidate=candidate('{"x": "BYTES"}').replace(b"BYTES", b"\xff\xfe"),
        stage=dead_letter("undecodable"),
    ),
    HostileCase(
        name="utf8_bom",
        seen="A UTF-8 BOM is refused",
        input_format="xlam",
        dataset=b"\xef\xbb\xbf" + xlam_line(1, '{"x": 1}'),
        rows=(ACCEPTED,),
    ),
    HostileCase(
        name="one_malformed_row",
        seen="verify loses the whole run on one malformed row in a file",
        input_format="xlam",
        dataset=xlam_line(1, '{"x": 1}') + b'{"id": 2, "query": \n' + xlam_line(3, '{"x": 2}'),
        rows=(ACCEPTED, UNREADABLE, ACCEPTED),
    ),
    HostileCase(
        name="openai_tool_calls_string",
        seen="OpenAI tool_calls given as a string",
        input_format="openai",
        dataset=_openai('"probe(x=1)"'),
        rows=(UNREADABLE,),
    ),
    HostileCase(
        name="openai_tool_calls_dict",
        seen="OpenAI tool_calls given as a dict",
        input_format="openai",
        dataset=_openai('{"function": {"name": "probe", "arguments": "{}"}}'),
        rows=(UNREADABLE,),
    ),
    HostileCase(
        name="openai_function_string",
        seen="OpenAI function given as a string",
        input_format="openai",
        dataset=_openai('[{"id": "c0", "type": "function", "function": "probe"}]'),
        rows=(UNREADABLE,),
    ),
    HostileCase(
        name="bfcl_question_int",
        seen='a BFCL "question": 5',
        input_format="bfcl",
        dataset=_bfcl("5"),
        answers=_BFCL_ANSWER,
        rows=(UNREADABLE,),
    ),
)


def by_name(name: str) -> HostileCase:
    """The case called ``name``."""
    return next(c for c in CASES if c.name == name)


def kafka_cases() -> tuple[HostileCase, ...]:
    """The cases that have a record form, for the stages over Kafka."""
    return tuple(c for c in CASES if c.candidate is not None)


def write_dataset(case: HostileCase, directory: Path) -> Path:
    """The case's dataset file under ``directory`` (BFCL answers beside it); its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{case.name}.jsonl"
    path.write_bytes(case.dataset)
    if case.answers is not None:
        answers = directory / "possible_answer"
        answers.mkdir(exist_ok=True)
        (answers / path.name).write_bytes(case.answers)
    return path
