"""Stage 1 on real data: BFCL ground truths and xlam rows pass, mutated copies fail exactly."""

from __future__ import annotations

import json
from typing import Any, get_args

import msgspec
import pytest

from apigen_stream import reasons, topics
from apigen_stream.config import Config
from apigen_stream.library.convert import tool_from_any
from apigen_stream.records import PARSE_REASONS, Call, Candidate, ParseReason, Style, Tool
from apigen_stream.spec import FORMAT
from apigen_stream.stages.dedup import dedup_key
from apigen_stream.stages.format import (
    FormatStage,
    check_calls,
    check_format,
    open_stage,
    tool_spec,
)
from apigen_stream.stages.stage import Accept, DictState, Reject, Verdict
from tests.support.data import DATA

pytestmark = pytest.mark.anyio

# Ground truths that contradict their own function docs (see tests/data/README.md).
CONTRADICTORY = {"simple_307": "wrong_type", "simple_363": "unknown_function"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def first_allowed(values: list[Any]) -> tuple[bool, Any]:
    """The first allowed value that is not ``""`` (which means "may be left out")."""
    for value in values:
        if value != "":
            return True, resolve(value)
    return False, None


def resolve(value: Any) -> Any:
    """Nested ground truths list allowed values per key, like the top level."""
    if isinstance(value, dict):
        picked = {k: first_allowed(v) for k, v in value.items()}
        return {k: v for k, (keep, v) in picked.items() if keep}
    return [resolve(v) for v in value] if isinstance(value, list) else value


def bfcl_candidates() -> list[Candidate]:
    out = []
    for kind in ("simple", "multiple"):
        questions = {}
        for line in (DATA / "bfcl" / f"BFCL_v3_{kind}.json").read_text().splitlines():
            row = json.loads(line)
            questions[row["id"]] = row
        answers = (DATA / "bfcl" / "possible_answer" / f"BFCL_v3_{kind}.json").read_text()
        for line in answers.splitlines():
            answer = json.loads(line)
            question = questions[answer["id"]]
            calls = [Call(name=fn, arguments=resolve(args))
                     for truth in answer["ground_truth"] for fn, args in truth.items()]  # fmt: skip
            style: Style = "simple" if kind == "simple" else "multiple"
            out.append(Candidate(
                id=answer["id"], style=style, query=question["question"][0][0]["content"],
                calls=calls, tools=[tool_from_any(f) for f in question["function"]],
            ))  # fmt: skip
    return out


BFCL = bfcl_candidates()
GOOD = [c for c in BFCL if c.id not in CONTRADICTORY]


def xlam_candidates() -> list[Candidate]:
    out = []
    for row in json.loads((DATA / "xlam_samples.json").read_text()):
        calls = msgspec.convert(json.loads(row["answers"]), list[Call])
        tools = [tool_from_any(t) for t in json.loads(row["tools"])]
        style: Style = "parallel_multiple" if len(calls) > 1 else "multiple"
        out.append(Candidate(id=str(row["id"]), style=style, query=row["query"],
                             calls=calls, tools=tools))  # fmt: skip
    return out


def reject_of(verdict: Verdict) -> Reject:
    assert isinstance(verdict, Reject), verdict
    return verdict


def with_args(
    candidate: Candidate, arguments: dict[str, Any], name: str | None = None
) -> Candidate:
    call = candidate.calls[0]
    new = Call(name=call.name if name is None else name, arguments=arguments)
    return msgspec.structs.replace(candidate, calls=[new, *candidate.calls[1:]])


def first_tool(candidate: Candidate) -> Tool:
    return next(t for t in candidate.tools if t.name == candidate.calls[0].name)


def test_every_bfcl_ground_truth_passes_but_the_two_contradictory_ones() -> None:
    assert len(BFCL) == 600
    rejected = {}
    for candidate in BFCL:
        verdict = check_format(candidate)
        if isinstance(verdict, Reject):
            rejected[candidate.id] = verdict.reason
        else:
            assert verdict.record is candidate
            assert verdict.key == dedup_key(candidate)
    assert rejected == CONTRADICTORY


def test_the_contradictory_ground_truths_are_rejected_for_exactly_their_flaw() -> None:
    by_id = {c.id: c for c in BFCL}
    flaw_307 = reject_of(check_format(by_id["simple_307"])).detail
    assert "venue" in flaw_307
    assert "expected string, got boolean True" in flaw_307
    flaw_363 = reject_of(check_format(by_id["simple_363"])).detail
    assert "'find_closest'" in flaw_363
    assert "restaurant_search.find_closest" in flaw_363


def test_the_four_xlam_rows_pass() -> None:
    candidates = xlam_candidates()
    assert len(candidates) == 4
    for candidate in candidates:
        assert isinstance(check_format(candidate), Accept), candidate.id


def test_unknown_function_is_rejected_for_every_ground_truth() -> None:
    for candidate in GOOD:
        mutated = with_args(candidate, candidate.calls[0].arguments, name="not_offered_fn")
        assert reject_of(check_format(mutated)).reason == "unknown_function", candidate.id


def test_a_function_offered_elsewhere_is_unknown_here() -> None:
    a, b = GOOD[0], GOOD[1]
    borrowed = msgspec.structs.replace(a, calls=b.calls)
    assert b.calls[0].name not in {t.name for t in a.tools}
    assert reject_of(check_format(borrowed)).reason == "unknown_function"


def test_unknown_argument_is_rejected_for_every_ground_truth() -> None:
    for candidate in GOOD:
        mutated = with_args(candidate, {**candidate.calls[0].arguments, "zz_invented": 1})
        issue = reject_of(check_format(mutated))
        assert issue.reason == "unknown_argument", candidate.id
        assert "'zz_invented'" in issue.detail


def test_missing_required_is_rejected_wherever_a_required_parameter_exists() -> None:
    checked = 0
    for candidate in GOOD:
        required = first_tool(candidate).parameters.get("required", [])
        if not required:
            continue
        arguments = {k: v for k, v in candidate.calls[0].arguments.items() if k != required[0]}
        issue = reject_of(check_format(with_args(candidate, arguments)))
        assert issue.reason == "missing_required", candidate.id
        assert repr(required[0]) in issue.detail
        checked += 1
    assert checked > 550


# A value of another JSON type for each declared type.
WRONG_VALUE = {"string": 12345, "integer": "12", "number": "1.5", "boolean": "true",
               "array": "a,b", "object": "k=v"}  # fmt: skip


def test_wrong_type_is_rejected_for_every_typed_argument() -> None:
    checked = 0
    for candidate in GOOD:
        props = first_tool(candidate).parameters["properties"]
        for name in candidate.calls[0].arguments:
            kind = props[name].get("type")
            if kind not in WRONG_VALUE:
                continue
            arguments = {**candidate.calls[0].arguments, name: WRONG_VALUE[kind]}
            issue = reject_of(check_format(with_args(candidate, arguments)))
            assert issue.reason == "wrong_type", (candidate.id, name)
            assert f"argument {name}: expected {kind}" in issue.detail
            checked += 1
    assert checked > 1_000


def test_enum_violation_is_rejected_wherever_an_enum_exists() -> None:
    checked = 0
    for candidate in GOOD:
        for name, schema in first_tool(candidate).parameters["properties"].items():
            if "enum" not in schema:
                continue
            arguments = {**candidate.calls[0].arguments, name: "zz-not-allowed"}
            issue = reject_of(check_format(with_args(candidate, arguments)))
            assert issue.reason == "enum_violation", (candidate.id, name)
            checked += 1
    assert checked > 50


STRING_TOOL = Tool(
    name="plan",
    parameters={
        "type": "object",
        "properties": {
            "expr": {"type": "string"},
            "date": {"type": "string"},
            "code": {"type": "string"},
            "count": {"type": "integer"},
            "note": {"type": ["string", "null"], "default": None},
            "limit": {"type": "integer", "default": None},
            "event": {"type": "string", "default": "null"},
            "unit": {"type": "string", "enum": ["c", "f"], "default": "c"},
        },
        "required": ["expr", "date", "code"],
    },
)


def candidate_of(
    *calls: Call, style: Style = "simple", tools: list[Tool] | None = None
) -> Candidate:
    return Candidate(id="c1", style=style, query="Plan it.", calls=list(calls),
                     tools=[STRING_TOOL] if tools is None else tools)  # fmt: skip


def test_strings_are_never_evaluated_or_coerced() -> None:
    arguments = {"expr": "__import__('os').getcwd()", "date": "2024-12-25", "code": "1010"}
    candidate = candidate_of(Call(name="plan", arguments=arguments))
    verdict = check_format(candidate)
    assert isinstance(verdict, Accept)
    assert verdict.record is candidate
    kept = candidate.calls[0].arguments
    assert kept == arguments
    assert all(type(v) is str for v in kept.values())
    as_int = candidate_of(Call(name="plan", arguments={**arguments, "count": "1010"}))
    assert reject_of(check_format(as_int)).reason == "wrong_type"


def test_all_n_calls_of_a_parallel_candidate_are_checked() -> None:
    good = {"expr": "a", "date": "b", "code": "c"}
    calls = [Call(name="plan", arguments={**good, "count": i}) for i in range(5)]
    assert isinstance(check_format(candidate_of(*calls, style="parallel")), Accept)
    last_bad = [*calls[:4], Call(name="plan", arguments={**good, "unit": "k"})]
    issue = reject_of(check_format(candidate_of(*last_bad, style="parallel")))
    assert issue.reason == "enum_violation"
    assert issue.detail.startswith("call 4 (plan): argument unit: expected one of ['c', 'f']")


def test_null_is_accepted_only_for_optional_parameters_whose_default_is_null() -> None:
    base = {"expr": "a", "date": "b", "code": "c"}
    for name in ("note", "limit", "event"):
        candidate = candidate_of(Call(name="plan", arguments={**base, name: None}))
        assert isinstance(check_format(candidate), Accept), name
    for name in ("unit", "expr", "count"):
        candidate = candidate_of(Call(name="plan", arguments={**base, name: None}))
        assert reject_of(check_format(candidate)).reason == "wrong_type", name


def test_style_decides_whether_a_call_is_expected() -> None:
    call = Call(name="plan", arguments={"expr": "a", "date": "b", "code": "c"})
    issue = reject_of(check_format(candidate_of(call, style="irrelevance")))
    assert issue.reason == "unexpected_call"
    assert isinstance(check_format(candidate_of(style="irrelevance")), Accept)
    for style in ("simple", "multiple", "parallel", "parallel_multiple"):
        assert reject_of(check_format(candidate_of(style=style))).reason == "no_call"


@pytest.mark.parametrize(
    ("parse_error", "reason"),
    [
        ("invalid_json: the answer is not JSON: 'oops'", "invalid_json"),
        ("missing_field: answers", "missing_field"),
        ("truncated: the answer was cut at max_tokens", "truncated"),
        ("something unreadable", "invalid_json"),
    ],
)
def test_an_old_record_without_parse_reason_gets_the_reason_its_text_leads_with(
    parse_error: str, reason: str
) -> None:
    # As a record written before ``parse_reason`` existed comes off a topic: no such key.
    old = {"type": "candidate", "id": "c1", "query": "Plan it.", "parse_error": parse_error}
    candidate = msgspec.json.decode(json.dumps(old).encode(), type=Candidate)
    assert candidate.parse_reason is None
    issue = reject_of(check_format(candidate))
    assert (issue.reason, issue.detail) == (reason, parse_error)


@pytest.mark.parametrize("reason", PARSE_REASONS)
def test_the_reason_of_an_unreadable_pair_comes_from_its_field(reason: ParseReason) -> None:
    # The detail leads with another code, as free text may: the field decides, not the text.
    detail = "missing_field: this text is only the detail" if reason != "missing_field" else "x"
    candidate = msgspec.structs.replace(candidate_of(), parse_reason=reason, parse_error=detail)
    issue = reject_of(check_format(candidate))
    assert (issue.reason, issue.detail) == (reason, detail)


def test_a_parse_reason_is_one_of_the_format_stage_codes() -> None:
    assert set(get_args(ParseReason)) == set(PARSE_REASONS) <= FORMAT.reasons
    bad = {"type": "candidate", "id": "c1", "query": "q", "parse_reason": "no_such_code"}
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(json.dumps(bad).encode(), type=Candidate)


def test_missing_fields() -> None:
    assert reject_of(check_format(candidate_of(Call(name="")))).reason == "missing_field"
    blank = msgspec.structs.replace(candidate_of(Call(name="plan")), query="  ")
    assert reject_of(check_format(blank)).reason == "missing_field"


def test_out_of_range_and_nested_paths() -> None:
    tool = Tool(name="book", parameters={
        "type": "object",
        "properties": {"guests": {"type": "integer", "minimum": 1, "maximum": 8},
                       "rooms": {"type": "array", "items": {"type": "object", "properties": {
                           "beds": {"type": "integer"}}}}},
    })  # fmt: skip
    too_many = candidate_of(Call(name="book", arguments={"guests": 9}), tools=[tool])
    assert reject_of(check_format(too_many)).reason == "out_of_range"
    nested = candidate_of(Call(name="book", arguments={"rooms": [{"beds": 1}, {"beds": "2"}]}),
                          tools=[tool])  # fmt: skip
    issue = reject_of(check_format(nested))
    assert issue.reason == "wrong_type"
    assert "argument rooms[1].beds: expected integer, got string '2'" in issue.detail


def test_every_reason_is_in_the_format_vocabulary() -> None:
    vocabulary = reasons.STAGE_REASONS["format"]
    seen = {reject_of(check_format(with_args(c, {}, name="nope"))).reason for c in GOOD[:3]}
    seen.add(reject_of(check_format(candidate_of())).reason)
    assert seen <= vocabulary


def test_check_calls_works_on_rows_that_are_not_candidates() -> None:
    tools = [tool_from_any(t) for t in json.loads(
        json.loads((DATA / "xlam_samples.json").read_text())[2]["tools"])]  # fmt: skip
    good = [Call(name="mailcheck", arguments={"domain": "mail.com"})]
    assert check_calls(good, tools) is None
    bad = [*good, Call(name="get_products_in_category", arguments={"skip": "20", "limit": 1,
                                                                  "category": "x"})]  # fmt: skip
    issue = check_calls(bad, tools)
    assert issue is not None
    assert (issue.reason, issue.call_index) == ("wrong_type", 1)


async def test_the_stage_stamps_its_time_and_keys_by_content() -> None:
    async with open_stage(Config()) as stage:
        assert isinstance(stage, FormatStage)
        assert (stage.name, stage.input_topic, stage.output_topic) == (
            "format", topics.CANDIDATES, topics.FORMATTED)  # fmt: skip
        candidate = GOOD[0]
        [verdict] = await stage.handle(candidate, DictState({}))
        assert isinstance(verdict, Accept)
        record = verdict.record
        assert isinstance(record, Candidate)
        assert record.calls == candidate.calls
        assert record.provenance.timings["format"] >= 0
        assert verdict.key == dedup_key(candidate)
        bad = with_args(candidate, {}, name="nope")
        [rejected] = await stage.handle(bad, DictState({}))
        assert isinstance(rejected, Reject)
        assert rejected.subject is bad


def test_tool_checks_are_compiled_once_per_tool_content() -> None:
    copy = msgspec.json.decode(msgspec.json.encode(STRING_TOOL), type=Tool)
    assert copy is not STRING_TOOL
    assert tool_spec(copy) is tool_spec(STRING_TOOL)
    renamed = msgspec.structs.replace(STRING_TOOL, name="plan2")
    assert tool_spec(renamed) is not tool_spec(STRING_TOOL)
    # Parameters that are not JSON (built in code) still get checks, just not cached ones.
    odd = Tool(
        name="odd",
        parameters={"type": "object", "properties": {"a": {"type": "integer", "x": object()}}},
    )
    assert tool_spec(odd).arguments["a"](3) is None
    assert tool_spec(odd).arguments["a"]("3") is not None


def test_nested_one_of_is_checked_once_per_level_not_twice() -> None:
    # Trying each alternative again for the message doubled the work at every level: 60
    # levels were 2**60 checks, a check that never ended.
    from apigen_stream.library import validate as v

    schema: dict[str, object] = {"type": "integer"}
    for _ in range(60):
        schema = {"oneOf": [schema]}
    check = v.compile_schema(schema)
    bad = check("not a number")
    assert bad is not None and bad.reason == v.WRONG_TYPE
    assert check(3) is None


def test_messages_quote_a_bounded_part_of_a_large_value() -> None:
    from apigen_stream.library.validate import QUOTE_CHARS, describe, quote

    huge = {"k": ["x" * 100_000] * 10_000}
    assert len(describe(huge)) <= len("object ") + QUOTE_CHARS
    assert quote(list(range(20))) == "[0, 1, 2, 3, 4, 5, ...]"
    assert describe("abc") == "string 'abc'"
