"""Query <-> call alignment rules: each rejects a real bad row with its reason, and accepts the
same row fixed. The bad rows are the ones a strict review of the offline output found."""

from __future__ import annotations

from typing import Any

import pytest

from apigen_stream.library.builtin.constraints import holds
from apigen_stream.library.builtin.realistic import realism_of
from apigen_stream.library.registry import Registry, builtin_apis
from apigen_stream.reasons import is_known
from apigen_stream.records import Call, Candidate, Executed, Outcome, Tool
from apigen_stream.stages.alignment import check_alignment, numbers_in, value_stated
from apigen_stream.stages.semantic import SemanticStage
from apigen_stream.stages.stage import DictState, Reject
from tests.support.fake_llm import FakeLLM, FakeReply

REGISTRY = Registry(builtin_apis())


def tool(name: str) -> Tool:
    return REGISTRY.get(name).tool()


def verdict(
    query: str, name: str, arguments: dict[str, Any], result: Any = None, *more: Call
) -> str:
    """The alignment verdict on one row: its reason code, or "ok"."""
    calls = [Call(name=name, arguments=arguments), *more]
    outcome = {"value": 1} if result is None else result
    outcomes = [Outcome(name=c.name, ok=True, result=outcome) for c in calls]
    failed = check_alignment(query, calls, [tool(c.name) for c in calls], outcomes)
    return "ok" if failed is None else failed[0]


def part(score: int, weight: int) -> dict[str, int]:
    return {"score_pct": score, "weight_pct": weight}


# (bad row, fixed row, reason): query, api, arguments and the result of the call.
CASES: list[tuple[tuple[Any, ...], tuple[Any, ...], str]] = [
    (
        ("Starting with some users, 8 invites each at 15% conversion, how many after 3 cycles?",
         "referral_viral_coefficient",
         {"initial_users": 83015129, "invites_per_user": 8, "conversion_percent": 15, "cycles": 3}),
        ("Starting with 1300 users, 8 invites each at 15% conversion, how many after 3 cycles?",
         "referral_viral_coefficient",
         {"initial_users": 1300, "invites_per_user": 8, "conversion_percent": 15, "cycles": 3}),
        "value_not_in_query",
    ),
    (
        ("What is the 85.72th percentile of 493.6, 605.69 and 571.72?", "values_percentile",
         {"values": [493.6, 605.69, 571.72], "percentile": 85}),
        ("What is the 85th percentile of 493.6, 605.69 and 571.72?", "values_percentile",
         {"values": [493.6, 605.69, 571.72], "percentile": 85}),
        "query_value_unused",
    ),
    (
        ("How readable is this text? The cat sat on the mat?", "text_readability_scores",
         {"text": "The cat sat on the mat."}),
        ("How readable is this text? The cat sat on the mat.", "text_readability_scores",
         {"text": "The cat sat on the mat."}),
        "text_altered",
    ),
    (
        ("Encode 'Attack at dawn' with the Atbash cipher.", "classic_cipher_transform",
         {"text": "Attack at dawn", "cipher": "atbash", "shift": 5, "key": "Cipher"}),
        ("Encode 'Attack at dawn' with the Atbash cipher.", "classic_cipher_transform",
         {"text": "Attack at dawn", "cipher": "atbash"}),
        "option_without_choice",
    ),
    (
        ("What's the chance of getting 47 successes on 36d10 succeeding on 8+?",
         "dice_pool_success_odds",
         {"pool": 36, "sides": 10, "success_threshold": 8, "successes_needed": 47}),
        ("What's the chance of getting 4 successes on 6d10 succeeding on 8+?",
         "dice_pool_success_odds",
         {"pool": 6, "sides": 10, "success_threshold": 8, "successes_needed": 4}),
        "constraint_violation",
    ),
    (
        ("What's my course grade with 126% on a part worth 57% and 80% on a part worth 100%?",
         "weighted_course_grade",
         {"components": [part(126, 57), part(80, 100)]}),
        ("What's my course grade with 92% on a part worth 40% and 80% on a part worth 60%?",
         "weighted_course_grade",
         {"components": [part(92, 40), part(80, 60)]}),
        "constraint_violation",
    ),
    (
        ("Engagement rate for 33600000000 likes and 5 comments on an account of 596000000?",
         "social_engagement_rate",
         {"likes": 33600000000, "comments": 5, "followers": 596000000}),
        ("Engagement rate for 3360 likes and 5 comments on an account of 59600?",
         "social_engagement_rate", {"likes": 3360, "comments": 5, "followers": 59600}),
        "constraint_violation",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("bad", "fixed", "reason"), CASES, ids=[c[2] for c in CASES])
def test_each_rule_rejects_the_bad_row_and_accepts_it_fixed(
    bad: tuple[Any, ...], fixed: tuple[Any, ...], reason: str
) -> None:
    assert is_known("semantic", reason)
    assert verdict(*bad) == reason
    assert verdict(*fixed) == "ok"


def test_two_identical_calls_are_a_duplicate_unless_asked_twice() -> None:
    puzzle = "530070000600195000098000060800060003400803001700020006060000280000419005000080079"
    call = Call(name="sudoku_puzzle_solve", arguments={"puzzle": puzzle})
    asked = f"Solve this sudoku: {puzzle}. Also, can you fill in the sudoku {puzzle}?"
    assert verdict(asked, call.name, call.arguments, None, call) == "duplicate_call"
    twice = f"Solve the sudoku {puzzle} twice, to check the solver is deterministic."
    assert verdict(twice, call.name, call.arguments, None, call) == "ok"


def test_degenerate_and_out_of_scale_results_have_their_own_codes() -> None:
    query = "What's the chance of rolling exactly 40 with 2d6?"
    arguments = {"dice": 2, "sides": 6, "target": 40, "comparison": "exactly"}
    zero = {"probability": 0.0, "favourable": 0, "outcomes": 36}
    # target 40 is beyond 2d6 already by the API's constraint; the zero is caught on its own too.
    assert verdict(query, "dice_sum_probability", arguments, zero) == "constraint_violation"
    fine = {"probability": 0.0833, "favourable": 3, "outcomes": 36}
    arguments10 = {**arguments, "target": 10}
    query10 = query.replace("40", "10")
    assert verdict(query10, "dice_sum_probability", arguments10, zero) == "degenerate_result"
    assert verdict(query10, "dice_sum_probability", arguments10, fine) == "ok"
    city = "Which airports serve London?"
    none: dict[str, Any] = {"city": "London", "country_code": None, "airports": []}
    assert verdict(city, "airports_serving_city", {"city": "London"}, none) == "degenerate_result"
    found = {**none, "airports": [{"iata": "LHR"}]}
    assert verdict(city, "airports_serving_city", {"city": "London"}, found) == "ok"
    body = "What's my body fat as a male, 173 cm, neck 42 cm, waist 72 cm, hips 108 cm?"
    args = {"sex": "male", "height_cm": 173, "neck_cm": 42, "waist_cm": 72, "hip_cm": 108}
    out = verdict(body, "body_fat_navy_method", args, {"body_fat_pct": 1.4})
    assert out == "result_out_of_scale"
    assert verdict(body, "body_fat_navy_method", args, {"body_fat_pct": 14.2}) == "ok"


def test_values_are_found_as_people_write_them() -> None:
    # Enum codes as words, split decimals (overs.balls), whole hours, commas in thousands.
    assert verdict(
        "How long is one thirty-second note at 120 BPM in milliseconds?",
        "note_duration_ms", {"bpm": 120, "note_value": "thirty_second"},
    ) == "ok"  # fmt: skip
    assert verdict(
        "What's the run rate at 57 runs after 7.5 overs?",
        "cricket_run_rate", {"runs": 57, "overs": 7, "balls": 5},
    ) == "ok"  # fmt: skip
    assert verdict(
        "What's the run rate at 57 runs after 7.6 overs?",
        "cricket_run_rate", {"runs": 57, "overs": 7, "balls": 5},
    ) == "query_value_unused"  # fmt: skip
    # A country code as the country's name or its usual short name; a unit code is no country.
    assert verdict(
        "What does a UK mobile number look like?",
        "phone_number_example", {"region": "GB", "number_type": "mobile"},
    ) == "ok"  # fmt: skip
    assert verdict(
        "What does a German mobile number look like?",
        "phone_number_example", {"region": "GB", "number_type": "mobile"},
    ) == "value_not_in_query"  # fmt: skip
    assert not value_stated("GB", "size_unit", "a 4 UK file", realism_of("x"))
    # "2d6": the count before a unit letter is a number, the sides after it are part of a word.
    assert numbers_in("I borrow 250,000 at 6.5% over 30 years, 2d6, H2O, 4K, 9:00") == [
        250000.0, 6.5, 30.0, 2.0, 9.0,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("constraint", "arguments", "expected"),
    [
        ("successes_needed <= pool", {"successes_needed": 47, "pool": 36}, False),
        ("successes_needed <= pool", {"successes_needed": 3, "pool": 7}, True),
        ("target <= dice * sides", {"target": 13, "dice": 2, "sides": 6}, False),
        ("sum(weights) == 100", {"weights": [33.33, 33.33, 33.34]}, True),
        ("sum(parts.w) == 100", {"parts": [{"w": 57}, {"w": 100}]}, False),
        ("raw_score <= mean + 3 * std_dev", {"raw_score": 139, "mean": 50, "std_dev": 3}, False),
        ("from_timezone != to_timezone", {"from_timezone": "UTC", "to_timezone": "UTC"}, False),
        ("successes_needed <= pool", {"pool": 7}, True),  # an omitted argument breaks nothing
    ],
)
def test_constraints_read_like_the_rule(
    constraint: str, arguments: dict[str, Any], expected: bool
) -> None:
    assert holds(constraint, arguments) is expected


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_model_output_gets_the_same_rules_before_any_judge_call() -> None:
    from apigen_stream.config import LLMConfig, ModelConfig
    from apigen_stream.llm.client import LLMClient

    query = "Give Karvonen training zones for a 40-year-old."
    call = Call(name="heart_rate_training_zones", arguments={"age": 40, "resting_heart_rate": 61})
    candidate = Candidate(
        id="t0-9.0", style="simple", query=query, calls=[call],
        tools=[tool("heart_rate_training_zones")],
    )  # fmt: skip
    record = Executed(
        candidate=candidate,
        outcomes=[Outcome(name=call.name, ok=True, result={"max_heart_rate": 180})],
    )
    async with FakeLLM(lambda r, n: FakeReply(content='{"pass": "yes"}')) as llm:
        config = LLMConfig(base_url=llm.base_url, api_key="k", judges=[ModelConfig(name="j")])
        async with LLMClient(config) as client:
            verdicts = list(await SemanticStage(client).handle(record, DictState({})))
        assert llm.chat_requests == 0
    assert isinstance(verdicts[0], Reject)
    assert verdicts[0].reason == "value_not_in_query"
