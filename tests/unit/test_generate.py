"""The generate stage against a real OpenAI-compatible server, and the offline generator."""

from __future__ import annotations

import json
import sys
from typing import Any

import anyio
import pytest
from jsonschema import Draft202012Validator
from prometheus_client import REGISTRY

from apigen_stream.config import LLMConfig, ModelConfig
from apigen_stream.library.registry import Registry, api, apis_in_module
from apigen_stream.llm.client import LLMClient
from apigen_stream.records import STYLES, Candidate, Example, Style, Task
from apigen_stream.stages.generate import GenerateStage, split_tokens
from apigen_stream.stages.stage import Accept, DictState, Reject, Verdict
from tests.support.fake_llm import FakeLLM, FakeReply

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@api(
    category="Travel",
    description="Books a hotel.",
    params={
        "city": {"type": "string", "examples": ["Paris", "Oslo", "Lima"], "description": "City."},
        "nights": {"type": "integer", "minimum": 1, "maximum": 14, "description": "Nights."},
        "budget": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 500,
            "description": "Per night.",
        },
        "breakfast": {"type": "boolean", "description": "With breakfast."},
    },
    templates=["Book {nights} nights in {city} under {budget} a night."],
    examples=[("Two nights in Oslo under 120.", {"city": "Oslo", "nights": 2, "budget": 120})],
)
def book_hotel(city: str, nights: int, budget: float, breakfast: bool = False) -> dict[str, Any]:
    return {"city": city, "nights": nights, "budget": budget, "breakfast": breakfast}


@api(
    category="Travel",
    description="Converts an amount between currencies.",
    params={
        "amount": {"type": "number", "minimum": 0, "description": "Amount."},
        "currency": {"type": "string", "enum": ["EUR", "USD", "JPY"], "description": "Target."},
        "day": {"type": "string", "format": "date", "description": "Rate of this day."},
    },
    templates=["Convert {amount} to {currency}.", "What is {amount} in {currency} on {day}?"],
    examples=[],
)
def convert(amount: float, currency: str, day: str = "2024-01-01") -> dict[str, Any]:
    return {"amount": amount, "currency": currency, "day": day}


@api(
    category="Music",
    description="Transposes notes.",
    params={
        "notes": {
            "type": "array",
            "items": {"type": "string", "examples": ["C", "E", "G", "A"]},
            "minItems": 1,
            "maxItems": 4,
            "description": "Notes.",
        },
        "steps": {"type": "integer", "minimum": -12, "maximum": 12, "description": "Semitones."},
    },
    templates=["Transpose {notes} by {steps} semitones."],
    examples=[],
)
def transpose(notes: list[str], steps: int) -> dict[str, Any]:
    return {"notes": notes, "steps": steps}


REGISTRY_TOOLS = Registry(apis_in_module(sys.modules[__name__]))
HOTEL, CONVERT = REGISTRY_TOOLS.get("book_hotel").tool(), REGISTRY_TOOLS.get("convert").tool()


def task(style: Style = "simple", pairs: int = 3, tid: str = "t0-7") -> Task:
    tools = [HOTEL] if style in ("simple", "parallel") else [HOTEL, CONVERT]
    seeds = [Example(id="book_hotel#0", query="q")]
    return Task(
        id=tid, style=style, tools=tools, examples=seeds, pairs=pairs, template=f"{style}/v1",
        library_version="lib1", created_at=123.0,
    )  # fmt: skip


def pair(query: str, **arguments: Any) -> dict[str, Any]:
    return {"query": query, "answers": [{"name": "book_hotel", "arguments": arguments}]}


GOOD = [pair(f"Book {n} nights in Oslo", city="Oslo", nights=n, budget=90) for n in (1, 2, 3)]


def settings(llm: FakeLLM, model: str, **overrides: Any) -> LLMConfig:
    values: dict[str, Any] = {
        "base_url": llm.base_url, "api_key": "k", "generators": [ModelConfig(name=model)],
        "timeout_s": 5.0, "max_retries": 2, "backoff_s": 0.01, "backoff_max_s": 0.02,
    }  # fmt: skip
    values.update(overrides)
    return LLMConfig(**values)


async def run(script: Any, model: str, the_task: Task, **overrides: Any) -> list[Verdict]:
    async with FakeLLM(script) as llm, LLMClient(settings(llm, model, **overrides)) as client:
        stage = GenerateStage(REGISTRY_TOOLS, client)
        return list(await stage.handle(the_task, DictState({})))


def candidates(verdicts: list[Verdict]) -> list[Candidate]:
    found = [v.record for v in verdicts if isinstance(v, Accept)]
    assert all(isinstance(c, Candidate) for c in found)
    return [c for c in found if isinstance(c, Candidate)]


async def test_every_pair_becomes_its_own_candidate() -> None:
    text = json.dumps({"pairs": GOOD})
    verdicts = await run(lambda r, n: FakeReply(content=text, usage=(100, 31)), "g-all", task())
    found = candidates(verdicts)
    assert [c.id for c in found] == ["t0-7.0", "t0-7.1", "t0-7.2"]
    assert [c.query for c in found] == [p["query"] for p in GOOD]
    assert all(c.parse_reason is None and c.parse_error == "" for c in found)
    assert all(c.task_id == "t0-7" for c in found)
    assert found[1].calls[0].arguments == {"city": "Oslo", "nights": 2, "budget": 90}
    prov = found[0].provenance
    assert (prov.generator, prov.template, prov.library_version) == ("g-all", "simple/v1", "lib1")
    assert prov.seed_example_ids == ["book_hotel#0"]
    assert prov.raw_output == text
    assert sum(c.provenance.tokens["generator"] for c in found) == 131
    assert found[0].created_at == 123.0
    labels = {"role": "generator", "model": "g-all", "kind": "prompt"}
    assert REGISTRY.get_sample_value("apigen_llm_tokens_total", labels) == 100


async def test_code_fences_are_fine() -> None:
    text = f"Sure:\n```json\n{json.dumps(GOOD)}\n```"
    found = candidates(await run(lambda r, n: FakeReply(content=text), "g-fence", task()))
    assert len(found) == 3
    assert all(c.parse_error == "" for c in found)


async def test_an_unreadable_answer_is_one_candidate_with_its_parse_error() -> None:
    text = "x" * 3000 + ' {"pairs": [{"query": "cut'
    found = candidates(await run(lambda r, n: FakeReply(content=text), "g-bad", task()))
    assert [c.id for c in found] == ["t0-7.0"]
    assert found[0].parse_reason == "invalid_json"
    assert found[0].parse_error.startswith("the answer is not JSON: ")
    assert len(found[0].provenance.raw_output) == 2000


async def test_an_unreadable_pair_is_kept_with_its_error_next_to_good_ones() -> None:
    text = json.dumps([GOOD[0], {"answers": []}, GOOD[2]])
    found = candidates(await run(lambda r, n: FakeReply(content=text), "g-mixed", task()))
    assert [c.parse_reason for c in found] == [None, "missing_field", None]
    assert found[1].parse_error == "query"


async def test_429_then_200_retries_once_then_succeeds() -> None:
    def script(req: dict[str, Any], attempt: int) -> FakeReply:
        if attempt == 0:
            return FakeReply(status=429, headers={"Retry-After": "0"})
        return FakeReply(content=json.dumps(GOOD))

    assert len(candidates(await run(script, "g-429", task()))) == 3


async def test_500s_exhausted_reject_the_task_as_llm_error() -> None:
    the_task = task()
    verdicts = await run(lambda r, n: FakeReply(status=500), "g-500", the_task)
    assert len(verdicts) == 1
    verdict = verdicts[0]
    assert isinstance(verdict, Reject)
    assert verdict.reason == "llm_error"
    assert verdict.subject == the_task


async def test_an_empty_list_is_rejected_as_no_pairs() -> None:
    verdicts = await run(lambda r, n: FakeReply(content="[]"), "g-none", task())
    assert [v.reason for v in verdicts if isinstance(v, Reject)] == ["no_pairs"]


async def test_answers_slower_than_the_timeout_are_retried() -> None:
    def script(req: dict[str, Any], attempt: int) -> FakeReply:
        return FakeReply(content=json.dumps(GOOD), delay_s=0.5 if attempt == 0 else 0.0)

    found = candidates(await run(script, "g-slow", task(), timeout_s=0.25))
    assert len(found) == 3


async def test_the_server_sees_at_most_the_concurrency_cap() -> None:
    reply = FakeReply(content=json.dumps(GOOD), delay_s=0.05)
    async with (
        FakeLLM(lambda r, n: reply) as llm,
        LLMClient(settings(llm, "g-cap", concurrency=4)) as client,
    ):
        stage = GenerateStage(REGISTRY_TOOLS, client)
        async with anyio.create_task_group() as group:
            for i in range(20):
                group.start_soon(stage.handle, task(tid=f"t0-{i}"), DictState({}))
    assert llm.chat_requests == 20
    assert llm.max_in_flight == 4


def test_tokens_split_exactly() -> None:
    assert split_tokens(10, 3) == [4, 3, 3]
    assert sum(split_tokens(1001, 7)) == 1001


async def offline(the_task: Task, seed: int = 0) -> list[Candidate]:
    return candidates(
        list(await GenerateStage(REGISTRY_TOOLS, None, seed).handle(the_task, DictState({})))
    )


@pytest.mark.parametrize("style", STYLES)
async def test_offline_generator_is_deterministic(style: Style) -> None:
    first = await offline(task(style, pairs=5))
    again = await offline(task(style, pairs=5))
    assert [(c.query, c.calls) for c in first] == [(c.query, c.calls) for c in again]
    other = await offline(task(style, pairs=5), seed=1)
    assert [(c.query, c.calls) for c in first] != [(c.query, c.calls) for c in other]


@pytest.mark.parametrize("style", STYLES)
async def test_offline_values_are_valid_against_the_schema(style: Style) -> None:
    for n in range(30):
        for c in await offline(task(style, pairs=3, tid=f"t0-{n}")):
            assert c.query and c.parse_error == ""
            for call in c.calls:
                schema = REGISTRY_TOOLS.get(call.name).parameters
                assert list(Draft202012Validator(schema).iter_errors(call.arguments)) == []


async def test_offline_styles_have_their_call_counts() -> None:
    tasks = [task(s, pairs=4, tid=f"t0-{n}") for s in STYLES for n in range(10)]
    for the_task in tasks:
        for c in await offline(the_task):
            offered = {t.name for t in the_task.tools}
            names = [call.name for call in c.calls]
            assert set(names) <= offered
            if the_task.style in ("simple", "multiple"):
                assert len(names) == 1
            elif the_task.style == "parallel":
                assert len(names) >= 2 and len(set(names)) == 1
                assert any(f"{end}Also, " in c.query for end in (". ", "? ", "\n"))
            elif the_task.style == "parallel_multiple":
                assert len(names) >= 2 and len(set(names)) >= 2
            else:
                assert names == []


async def test_offline_irrelevance_renders_an_api_from_another_category() -> None:
    found = await offline(task("irrelevance", pairs=3))
    assert all(c.query.startswith("Transpose") for c in found)
    assert all(c.calls == [] for c in found)
