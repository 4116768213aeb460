"""The generate stage: one task in, every pair the generator wrote out as its own candidate.

With an LLM configured, the task's prompt goes to a generator model chosen by weight (the same
model for the same task on replay); otherwise the offline generator renders pairs from the APIs'
templates. Nothing is dropped silently: a pair that cannot be read becomes a candidate carrying
its ``parse_reason`` and ``parse_error`` (stage 1 rejects it, as the paper counts unreadable
output as a format failure), an answer that cannot be read at all becomes ONE such candidate,
the unread rest of an answer cut mid-way becomes one more, and an LLM failure after retries is
an ``llm_error`` rejection of the task. Each request is bounded (``max_tokens`` sized from the
pairs asked for) and, where the server allows, constrained to a JSON Schema built from the task.
What every request spent (tokens, requests, cost) travels with its candidates or its rejection.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from apigen_stream.config import Config
from apigen_stream.errors import LLMError
from apigen_stream.library.load import load_registry
from apigen_stream.library.registry import Registry
from apigen_stream.llm.client import Completion, LLMClient
from apigen_stream.llm.parse import Generation, Pair, parse_generation
from apigen_stream.llm.prompts import generator_messages
from apigen_stream.llm.schema import pairs_schema
from apigen_stream.offline.generator import offline_pairs
from apigen_stream.records import Candidate, Provenance, Task
from apigen_stream.spec import GENERATE
from apigen_stream.stages.stage import Accept, Declared, Reject, StateStore, Verdict

log = logging.getLogger(__name__)

NAME = "generate"

# Characters of the raw answer kept in provenance: enough to see what went wrong, small enough
# that a candidate stays a small Kafka record.
RAW_OUTPUT_CHARS = 2_000

OFFLINE_GENERATOR = "offline"


def split_tokens(total: int, parts: int) -> list[int]:
    """``total`` tokens over ``parts`` pairs, summing exactly to ``total``."""
    share, extra = divmod(total, max(1, parts))
    return [share + (1 if i < extra else 0) for i in range(max(1, parts))]


@dataclass(frozen=True, slots=True)
class Spend:
    """What a task's generator request cost: tokens, requests (attempts) and money."""

    tokens: int = 0
    requests: int = 0
    cost: float = 0.0

    @classmethod
    def of(cls, answer: Completion) -> Spend:
        """The spend of a completion."""
        return cls(answer.tokens, answer.requests, answer.cost)


def _provenance(task: Task, generator: str, raw: str, spend: Spend, seconds: float) -> Provenance:
    requests = {"generator": spend.requests} if spend.requests else {}
    return Provenance(
        generator=generator,
        template=task.template,
        seed_example_ids=[e.id for e in task.examples],
        library_version=task.library_version,
        timings={NAME: seconds},
        tokens={"generator": spend.tokens},
        requests=requests,
        cost={"generator": spend.cost} if spend.cost else {},
        raw_output=raw[:RAW_OUTPUT_CHARS],
    )


def _shares(spend: Spend, parts: int) -> list[Spend]:
    """``spend`` over ``parts`` candidates: tokens and requests sum exactly to the whole."""
    tokens = split_tokens(spend.tokens, parts)
    requests = split_tokens(spend.requests, parts)
    return [Spend(t, r, spend.cost / max(1, parts)) for t, r in zip(tokens, requests, strict=True)]


def candidates_of(
    task: Task, generation: Generation, generator: str, raw: str, spend: Spend, seconds: float
) -> list[Candidate]:
    """The task's candidates, ids ``{task.id}.{i}``; an unreadable answer is one candidate."""
    pairs = generation.pairs if generation.unread is None else (Pair(unread=generation.unread),)
    shares = _shares(spend, len(pairs))
    return [
        Candidate(
            id=f"{task.id}.{i}",
            task_id=task.id,
            style=task.style,
            query=pair.query,
            calls=list(pair.calls),
            tools=task.tools,
            provenance=_provenance(task, generator, raw, shares[i], seconds),
            created_at=task.created_at,
            parse_error=pair.unread.detail if pair.unread is not None else "",
            parse_reason=pair.unread.reason if pair.unread is not None else None,
        )
        for i, pair in enumerate(pairs)
    ]


def _rejection(reason: str, detail: str, task: Task, spend: Spend) -> Reject:
    requests = {"generator": spend.requests} if spend.requests else {}
    tokens = {"generator": spend.tokens} if spend.tokens else {}
    cost = {"generator": spend.cost} if spend.cost else {}
    return Reject(reason, detail, task, tokens=tokens, requests=requests, cost=cost)


def _accepts(candidates: Sequence[Candidate]) -> list[Verdict]:
    return [Accept(c) for c in candidates]


class GenerateStage(Declared):
    """Stage ``generate``: ``apigen.tasks`` → ``apigen.candidates``."""

    spec = GENERATE

    def __init__(self, registry: Registry, llm: LLMClient | None = None, seed: int = 0) -> None:
        self._registry = registry
        self._llm = llm
        self._seed = seed

    @property
    def accepting(self) -> bool:
        """False while the LLM endpoint's breaker is open: the runner then pauses fetching."""
        return self._llm is None or self._llm.breaker.accepting

    async def handle(self, record: Task, state: StateStore) -> Sequence[Verdict]:
        """The task's candidates, or an ``llm_error``/``no_pairs`` rejection of the task."""
        started = time.perf_counter()
        if self._llm is None:
            pairs = offline_pairs(record, self._registry, self._seed)
            seconds = time.perf_counter() - started
            generation = Generation(pairs=tuple(pairs))
            offline = candidates_of(record, generation, OFFLINE_GENERATOR, "", Spend(), seconds)
            return _accepts(offline)
        return await self._generate(self._llm, record, started)

    async def _generate(self, llm: LLMClient, task: Task, started: float) -> list[Verdict]:
        pairs = max(1, task.pairs)
        messages = generator_messages(task, pairs)
        model = llm.choose_model("generator", task.id)
        try:
            answer: Completion = await llm.complete(
                "generator", messages, key=task.id, model=model,
                max_tokens=llm.max_tokens("generator", model, pairs),
                schema=pairs_schema(task, pairs), schema_name="pairs",
            )  # fmt: skip
        except LLMError as exc:
            return [_rejection("llm_error", str(exc), task, Spend(exc.tokens, exc.requests))]
        generation = parse_generation(answer.text, truncated=answer.truncated)
        if generation.unread is None and not generation.pairs:
            detail = f"the answer holds no pairs: {answer.text[:200]!r}"
            return [_rejection("no_pairs", detail, task, Spend.of(answer))]
        seconds = time.perf_counter() - started
        found = candidates_of(
            task, generation, answer.model, answer.text, Spend.of(answer), seconds
        )
        return _accepts(found)


def load_library(config: Config) -> Registry:
    """The API library as the config loads it."""
    # Generation needs schemas and templates only, never credentials: no environment here.
    return load_registry(config.library, {})


@asynccontextmanager
async def open_stage(config: Config) -> AsyncIterator[GenerateStage]:
    """The generate stage with its LLM client (checked at start-up), or offline without one."""
    registry = load_library(config)
    if not config.llm.online:
        yield GenerateStage(registry, None, config.sampler.seed)
        return
    async with LLMClient(config.llm) as llm:
        await llm.check_endpoint()
        log.info("generate: up to %d generator requests in flight", llm.concurrency("generator"))
        yield GenerateStage(registry, llm, config.sampler.seed)
