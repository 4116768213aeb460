"""The pipeline against a real model: llama-cpp-python serving SmolLM2-135M-Instruct.

The same tasks twice in one run, with constrained output (the JSON Schema built from each task;
llama-cpp-python refuses the ``json_schema`` format and takes the schema in JSON mode, which
the client finds by itself) and without (plain text): the format stage's pass rate and the
samples accepted, side by side. Kept short: a few one-pair tasks and small ``max_tokens``, as
the model is slow on a shared 2-core machine.

The tasks are drawn from the built-in APIs a 135M model can fill in from its own query (at most
two parameters, each a choice or one short word), greedy decoding, no distractor tools: the
pipeline's checks are the same as everywhere, the tasks are chosen so that this model has a
chance. Measured in one run: constrained, 6 of 6 candidates passed the format stage and 3 of
6 went through execution, the alignment rules and the judge (3 accepted); unconstrained, 0 of
6 passed the format stage.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import anyio
import msgspec
import pytest

from apigen_stream import topics
from apigen_stream.config import Config, LibraryConfig, LLMConfig, ModelConfig, SamplerConfig
from apigen_stream.engine.embedded import EmbeddedBus
from apigen_stream.library.load import load_registry
from apigen_stream.library.registry import Api, Registry
from apigen_stream.records import Candidate, Rejection, Sample, Task
from apigen_stream.sampling import LibraryView, SeedPool, sample_task
from apigen_stream.stages import STAGE_MODULES, open_in_process
from tests.support import real_llm

pytestmark = pytest.mark.skipif(bool(real_llm.skip_reason()), reason=real_llm.skip_reason())

TASKS = 6
# The share of candidates the format stage must pass with constrained output (measured: 6 of 6).
CONSTRAINED_FORMAT_SHARE = 0.5
JUDGE_REASONS = frozenset({"judge_fail", "judge_unparseable"})
# APIs a 135M model can fill in from its own query: few parameters, each a choice (enum,
# boolean) or one short word the query states (a language, a version, an ISBN).
MAX_PARAMETERS = 2
WORD_CHARS = 24


def one_word(schema: dict[str, Any]) -> bool:
    """A free string whose every documented example is one short word."""
    examples = schema.get("examples") or []
    plain = schema.get("type") == "string" and not schema.get("pattern")
    words = all(isinstance(e, str) and len(e) <= WORD_CHARS and len(e.split()) == 1
                for e in examples)  # fmt: skip
    return plain and not schema.get("format") and bool(examples) and words


def answerable(api: Api) -> bool:
    """Whether every parameter of ``api`` is a choice or a short word, and there are few."""
    props = api.parameters.get("properties", {})
    simple = all(
        isinstance(p, dict) and ("enum" in p or p.get("type") == "boolean" or one_word(p))
        for p in props.values()
    )
    return api.executable and 0 < len(props) <= MAX_PARAMETERS and simple


def settings(url: str, response_format: Any) -> Config:
    llm = LLMConfig(
        base_url=url, api_key="none", generators=[ModelConfig(name="smollm2", temperature=0.0)],
        concurrency=1, judge_concurrency=1, timeout_s=180.0, task_deadline_s=600.0,
        max_retries=1, generator_max_tokens_base=32, generator_max_tokens_per_pair=160,
        response_format=response_format, pairs_per_request=1,
    )  # fmt: skip
    sampler = SamplerConfig(
        seed=7, styles={"simple": 1.0}, apis_min=1, apis_max=1, examples_min=1, examples_max=1,
        distractor_share=0.0,
    )  # fmt: skip
    return Config(llm=llm, sampler=sampler, library=LibraryConfig(harvested=False))


def fixed_tasks(config: Config) -> list[Task]:
    """The tasks both runs get: drawn from the answerable built-in APIs, their examples too."""
    registry = Registry(a for a in load_registry(config.library, {}) if answerable(a))
    view = LibraryView.of(registry, [])
    pool = SeedPool.from_registry(registry)
    return [sample_task(i, config.sampler, view, pool, pairs=1, now=0.0) for i in range(TASKS)]


async def run_once(config: Config, tasks: list[Task]) -> dict[str, Any]:
    bus = EmbeddedBus(keep=True, concurrency=2)
    for t in tasks:
        await bus.publish(topics.TASKS, t)
    async with open_in_process(config, list(STAGE_MODULES)) as stages:
        await bus.run(stages, until_idle=True)
    candidates = [r for r in bus.records(topics.CANDIDATES) if isinstance(r, Candidate)]
    rejected = [r for r in bus.records(topics.REJECTED) if isinstance(r, Rejection)]
    accepted = [r for r in bus.records(topics.ACCEPTED) if isinstance(r, Sample)]
    reasons = Counter((r.stage, r.reason) for r in rejected)
    format_rejected = sum(n for (stage, _), n in reasons.items() if stage == "format")
    judged = len(accepted) + sum(n for (s, r), n in reasons.items() if r in JUDGE_REASONS)
    semantic = len(accepted) + sum(n for (s, _), n in reasons.items() if s == "semantic")
    return {
        "candidates": len(candidates),
        "format_pass": (len(candidates) - format_rejected) / max(1, len(candidates)),
        "judged": judged,
        "semantic": semantic,
        "accepted": len(accepted),
        "reasons": {f"{stage}/{reason}": n for (stage, reason), n in reasons.items()},
    }


def test_constrained_output_lets_a_real_small_model_through_the_format_stage(
    tmp_path: Path,
) -> None:
    with real_llm.model_server(tmp_path / "server.log") as url:
        constrained = settings(url, "json_schema")
        tasks = fixed_tasks(constrained)
        results = {
            mode: anyio.run(run_once, settings(url, mode), tasks)
            for mode in ("json_schema", "text")
        }
    for mode, figures in results.items():
        print(f"real model, {mode}: {msgspec.json.encode(figures).decode()}")  # the figure
    ours, plain = results["json_schema"], results["text"]
    assert ours["candidates"] >= TASKS
    assert ours["format_pass"] >= CONSTRAINED_FORMAT_SHARE
    assert ours["format_pass"] >= plain["format_pass"]
    # At least one sample all the way: executed, through the alignment rules, and judged.
    assert ours["judged"] >= 1, ours["reasons"]
