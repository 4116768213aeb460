"""Dedup: the content key, and the stage that lets the first copy through and no other."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from apigen_stream import reasons, topics
from apigen_stream.config import Config
from apigen_stream.records import Call, Candidate, DedupEntry
from apigen_stream.stages.dedup import DedupStage, dedup_key, normalize_query, open_stage
from apigen_stream.stages.stage import Accept, DictState, Reject

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def candidate(query: str, *calls: tuple[str, dict[str, Any]], cid: str = "t1.0") -> Candidate:
    return Candidate(id=cid, query=query, calls=[Call(name=n, arguments=a) for n, a in calls])


BASE = candidate(
    "Weather in Paris and Rome, in Celsius?",
    ("get_weather", {"city": "Paris", "unit": "c", "days": [1, 2]}),
    ("get_weather", {"city": "Rome", "unit": "c", "days": [1, 2]}),
)


def test_normalize_query_folds_case_width_and_whitespace() -> None:
    assert normalize_query("  Weather\tin\n PARIS  ") == "weather in paris"
    assert normalize_query("Straße") == normalize_query("STRASSE")
    assert normalize_query("ＡＢＣ　１２３") == "abc 123"  # NFKC: full-width forms
    assert normalize_query("ﬁle") == "file"


def test_same_content_written_differently_has_the_same_key() -> None:
    same = candidate(
        "  weather IN paris and rome,\n in celsius?  ",
        ("get_weather", {"unit": "c", "days": [1.0, 2], "city": "Rome"}),
        ("get_weather", {"days": [1, 2], "city": "Paris", "unit": "c"}),
        cid="t9.3",
    )
    assert dedup_key(same) == dedup_key(BASE)
    roundtrip = msgspec.json.decode(msgspec.json.encode(BASE), type=Candidate)
    assert dedup_key(roundtrip) == dedup_key(BASE)
    assert len(dedup_key(BASE)) == 32  # sha256


@pytest.mark.parametrize(
    "other",
    [
        candidate("Weather in Paris and Rome, in Fahrenheit?", *[(c.name, c.arguments)
                                                                for c in BASE.calls]),
        candidate(BASE.query, ("get_weather", {"city": "Paris", "unit": "c", "days": [1, 2]})),
        candidate(BASE.query, ("get_weather", {"city": "Paris", "unit": "f", "days": [1, 2]}),
                  ("get_weather", {"city": "Rome", "unit": "c", "days": [1, 2]})),
        candidate(BASE.query, ("get_weather", {"city": "Paris", "unit": "c", "days": [2, 1]}),
                  ("get_weather", {"city": "Rome", "unit": "c", "days": [1, 2]})),
        candidate(BASE.query, ("get_forecast", {"city": "Paris", "unit": "c", "days": [1, 2]}),
                  ("get_weather", {"city": "Rome", "unit": "c", "days": [1, 2]})),
        candidate(BASE.query, ("get_weather", {"city": "Paris", "unit": "c", "days": ["1", 2]}),
                  ("get_weather", {"city": "Rome", "unit": "c", "days": [1, 2]})),
        candidate(BASE.query, ("get_weather", {"city": "paris", "unit": "c", "days": [1, 2]}),
                  ("get_weather", {"city": "Rome", "unit": "c", "days": [1, 2]})),
    ],
)  # fmt: skip
def test_different_content_has_a_different_key(other: Candidate) -> None:
    assert dedup_key(other) != dedup_key(BASE)


def test_true_is_not_one_and_call_boundaries_matter() -> None:
    one = candidate("q", ("f", {"x": 1}))
    assert dedup_key(one) != dedup_key(candidate("q", ("f", {"x": True})))
    assert dedup_key(one) == dedup_key(candidate("q", ("f", {"x": 1.0})))
    assert dedup_key(candidate("q")) != dedup_key(one)
    two = candidate("q", ("f", {}), ("f", {}))
    assert dedup_key(two) != dedup_key(candidate("q", ("f", {})))


async def test_the_stage_passes_the_first_copy_and_rejects_the_rest() -> None:
    state = DictState({})
    async with open_stage(Config()) as stage:
        assert isinstance(stage, DedupStage)
        assert stage.spec.stateful
        assert (stage.name, stage.input_topic, stage.output_topic) == (
            "dedup", topics.FORMATTED, topics.UNIQUE)  # fmt: skip
        [first] = await stage.handle(BASE, state)
        assert isinstance(first, Accept)
        assert first.record is BASE
        entry = msgspec.json.decode(state.data[dedup_key(BASE)], type=DedupEntry)
        assert entry.id == BASE.id
        copy = msgspec.structs.replace(BASE, id="t2.0", query=BASE.query.upper())
        [second] = await stage.handle(copy, state)
        assert isinstance(second, Reject)
        assert second.reason == "duplicate"
        assert second.reason in reasons.STAGE_REASONS["dedup"]
        assert BASE.id in second.detail
        assert second.subject is copy
        different = msgspec.structs.replace(BASE, id="t3.0", query="Something else")
        [third] = await stage.handle(different, state)
        assert isinstance(third, Accept)
        assert len(state.data) == 2


async def test_state_survives_a_restart_and_a_replay_is_not_a_duplicate() -> None:
    state = DictState({})
    await DedupStage().handle(BASE, state)
    # A new stage instance over the recovered state (what the changelog restores).
    restored = DictState({bytes(k): bytes(v) for k, v in state.data.items()})
    stage = DedupStage()
    [replay] = await stage.handle(BASE, restored)
    assert isinstance(replay, Accept)  # the same record redelivered: not a copy of another
    [copy] = await stage.handle(msgspec.structs.replace(BASE, id="t7.1"), restored)
    assert isinstance(copy, Reject)
    assert copy.reason == "duplicate"
