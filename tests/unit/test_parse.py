"""Tolerant reading of generator and judge answers."""

from __future__ import annotations

import json

import pytest

from apigen_stream.llm.parse import (
    Pair,
    Unread,
    extract_json,
    parse_call,
    parse_generation,
    parse_judgement,
    parse_pair,
    parse_verdict,
)
from apigen_stream.records import Call

PAIRS = [
    {
        "query": "Weather in Paris?",
        "answers": [{"name": "weather", "arguments": {"city": "Paris"}}],
    },
    {"query": "Sum 2 and 3", "answers": [{"name": "add", "arguments": {"a": 2, "b": 3}}]},
]


def queries(text: str) -> list[str]:
    generation = parse_generation(text)
    assert generation.unread is None
    return [p.query for p in generation.pairs]


def test_a_bare_list_gives_every_pair() -> None:
    generation = parse_generation(json.dumps(PAIRS))
    assert [p.query for p in generation.pairs] == ["Weather in Paris?", "Sum 2 and 3"]
    assert generation.pairs[1].calls == (Call(name="add", arguments={"a": 2, "b": 3}),)


def test_an_object_wrapping_the_list_is_read() -> None:
    assert queries(json.dumps({"pairs": PAIRS})) == ["Weather in Paris?", "Sum 2 and 3"]
    assert queries(json.dumps({"whatever": PAIRS})) == ["Weather in Paris?", "Sum 2 and 3"]


def test_code_fences_and_text_around_are_tolerated() -> None:
    fenced = f"Here they are:\n```json\n{json.dumps(PAIRS, indent=2)}\n```\nHope it helps!"
    assert queries(fenced) == ["Weather in Paris?", "Sum 2 and 3"]
    prose = f"Sure. {json.dumps({'pairs': PAIRS})} Let me know."
    assert queries(prose) == ["Weather in Paris?", "Sum 2 and 3"]


def test_a_single_pair_object_is_one_pair() -> None:
    assert queries(json.dumps(PAIRS[0])) == ["Weather in Paris?"]


def test_text_that_is_not_json_is_one_invalid_json_error() -> None:
    generation = parse_generation('Sure! {"pairs": [{"query": "unfinished')
    assert generation.pairs == ()
    assert generation.unread is not None and generation.unread.reason == "invalid_json"
    assert generation.unread.detail.startswith("the answer is not JSON: ")


def test_json_without_pairs_is_a_missing_field_error() -> None:
    generation = parse_generation(json.dumps({"a": 1, "b": 2}))
    assert generation.unread == Unread("missing_field", "no list of pairs in the answer")


def test_a_bad_pair_is_reported_without_losing_the_others() -> None:
    items = [PAIRS[0], {"answers": []}, {"query": "q"}, "text", PAIRS[1]]
    generation = parse_generation(json.dumps(items))
    errors = [p.unread and (p.unread.reason, p.unread.detail) for p in generation.pairs]
    assert errors == [
        None,
        ("missing_field", "query"),
        ("missing_field", "answers"),
        ("invalid_json", "a pair is a str, not an object"),
        None,
    ]


def test_openai_style_calls_with_string_arguments_are_read() -> None:
    raw = {"type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}}
    assert parse_call(raw) == Call(name="f", arguments={"x": 1})
    assert parse_call({"name": "f", "arguments": "{oops"}) == Unread(
        "invalid_json", "arguments of f are not JSON"
    )
    assert parse_call({"arguments": {}}) == Unread("missing_field", "name")


def test_an_irrelevance_pair_has_no_calls() -> None:
    assert parse_pair({"query": "Poem?", "answers": []}) == Pair(query="Poem?", calls=())


def test_bad_arguments_keep_their_types_for_the_format_stage() -> None:
    pair = parse_pair({"query": "q", "answers": [{"name": "f", "arguments": {"n": "12"}}]})
    assert pair.calls[0].arguments == {"n": "12"}


def test_extract_json_skips_brackets_that_are_not_json() -> None:
    assert extract_json('[note] then {"a": [1]}') == {"a": [1]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True), ("Yes", True), (" YES. ", True), ("true", True), (True, True),
        ("no", False), ("No!", False), ("FALSE", False), (False, False),
        ("maybe", None), ("", None), (1, None), (None, None), ("yes and no", None),
    ],
)  # fmt: skip
def test_verdict_values(value: object, expected: bool | None) -> None:
    assert parse_verdict(value) is expected


@pytest.mark.parametrize("key", ["pass", "passes", "passed", "Pass", "PASSES"])
def test_judge_keys_pass_and_passes_are_both_read(key: str) -> None:
    assert parse_judgement(json.dumps({"thought": "ok", key: "yes"})).passed is True
    assert parse_judgement(json.dumps({"thought": "bad", key: "no"})).passed is False


def test_judge_thought_is_kept() -> None:
    answer = parse_judgement('```json\n{"thought": "wrong city", "pass": "no"}\n```')
    assert answer.passed is False
    assert answer.thought == "wrong city"


@pytest.mark.parametrize(
    "text",
    ["I think it passes.", '{"thought": "hmm"}', '{"pass": "perhaps"}', "[1, 2]", ""],
)
def test_anything_else_is_unparseable(text: str) -> None:
    assert parse_judgement(text).passed is None
