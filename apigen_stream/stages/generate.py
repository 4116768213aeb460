"""The generate stage: one task in, every pair the generator wrote out as its own candidate.

With an LLM configured, the task's prompt goes to a generator model chosen by weight (the same
model for the same task on replay); otherwise the offline generator renders pairs from the
APIs' templates. Nothing is dropped silently: a pair that cannot be read becomes a candidate
carrying ``parse_error`` (stage 1 rejects it, as the paper counts unreadable output as a format
failure), an answer that cannot be read at all becomes ONE such candidate, and an LLM failure
after retries is an ``llm_error`` rejection of the task.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager

from apigen_stream import topics
from apigen_stream.config import Config, LibraryConfig
from apigen_stream.errors import LLMError
from apigen_stream.library.registry import Registry, builtin_apis
from apigen_stream.llm.client import Completion, LLMClient
from apigen_stream.llm.parse import Generation, Pair, parse_generation
from apigen_stream.llm.prompts import generator_messages
from apigen_stream.records import Candidate, Provenance, Task
from apigen_stream.stages.offline import offline_pairs
from apigen_stream.stages.stage import Accept, Reject, StateStore, Verdict

NAME = "generate"

# Characters of the raw answer kept in provenance: enough to see what went wrong, small enough
# that a candidate stays a small Kafka record.
RAW_OUTPUT_CHARS = 2_000

OFFLINE_GENERATOR = "offline"


def split_tokens(total: int, parts: int) -> list[int]:
    """``total`` tokens over ``parts`` pairs, summing exactly to ``total``."""
    share, extra = divmod(total, max(1, parts))
    return [share + (1 if i < extra else 0) for i in range(max(1, parts))]


def _provenance(task: Task, generator: str, raw: str, tokens: int, seconds: float) -> Provenance:
    return Provenance(
        generator=generator,
        template=task.template,
        seed_example_ids=[e.id for e in task.examples],
        library_version=task.library_version,
        timings={NAME: seconds},
        tokens={"generator": tokens},
        raw_output=raw[:RAW_OUTPUT_CHARS],
    )


def candidates_of(
    task: Task, generation: Generation, generator: str, raw: str, tokens: int, seconds: float
) -> list[Candidate]:
    """The task's candidates, ids ``{task.id}.{i}``; an unreadable answer is one candidate."""
    pairs = generation.pairs if not generation.error else (Pair(error=generation.error),)
    shares = split_tokens(tokens, len(pairs))
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
            parse_error=pair.error,
        )
        for i, pair in enumerate(pairs)
    ]


def _accepts(candidates: Sequence[Candidate]) -> list[Verdict]:
    return [Accept(c) for c in candidates]


class GenerateStage:
    """Stage ``generate``: ``apigen.tasks`` → ``apigen.candidates``."""

    def __init__(self, registry: Registry, llm: LLMClient | None = None, seed: int = 0) -> None:
        self._registry = registry
        self._llm = llm
        self._seed = seed

    @property
    def name(self) -> str:
        return NAME

    @property
    def input_topic(self) -> str:
        return topics.TASKS

    @property
    def output_topic(self) -> str:
        return topics.CANDIDATES

    async def handle(self, record: Task, state: StateStore) -> Sequence[Verdict]:
        """The task's candidates, or an ``llm_error``/``no_pairs`` rejection of the task."""
        started = time.perf_counter()
        if self._llm is None:
            pairs = offline_pairs(record, self._registry, self._seed)
            seconds = time.perf_counter() - started
            generation = Generation(pairs=tuple(pairs))
            return _accepts(candidates_of(record, generation, OFFLINE_GENERATOR, "", 0, seconds))
        return await self._generate(self._llm, record, started)

    async def _generate(self, llm: LLMClient, task: Task, started: float) -> list[Verdict]:
        messages = generator_messages(task, max(1, task.pairs))
        try:
            answer: Completion = await llm.complete("generator", messages, key=task.id)
        except LLMError as exc:
            return [Reject("llm_error", str(exc), task)]
        generation = parse_generation(answer.text)
        if not generation.error and not generation.pairs:
            return [Reject("no_pairs", f"the answer holds no pairs: {answer.text[:200]!r}", task)]
        seconds = time.perf_counter() - started
        found = candidates_of(task, generation, answer.model, answer.text, answer.tokens, seconds)
        return _accepts(found)


RegistryLoader = Callable[[LibraryConfig, Mapping[str, str]], Registry]


def load_library(config: Config) -> Registry:
    """The API library: the configured loader when present, else the built-in APIs."""
    try:
        module = importlib.import_module("apigen_stream.library.load")
    except ModuleNotFoundError:
        return Registry(builtin_apis())
    loader: RegistryLoader = module.load_registry
    # Generation needs schemas and templates only, never credentials: no environment here.
    return loader(config.library, {})


@asynccontextmanager
async def open_stage(config: Config) -> AsyncIterator[GenerateStage]:
    """The generate stage with its LLM client (checked at start-up), or offline without one."""
    registry = load_library(config)
    if not config.llm.online:
        yield GenerateStage(registry, None, config.sampler.seed)
        return
    async with LLMClient(config.llm) as llm:
        await llm.check_endpoint()
        yield GenerateStage(registry, llm, config.sampler.seed)
