"""The embedded run as a user runs it (``run --count``), against a fixed-latency LLM server.

Two figures, each from one run:
- request rate per role, achieved ÷ ideal, where ideal is the role's concurrency ÷ the server's
  latency (every slot always busy); goal ≥ 0.9. One pair per request, so that the judge, with
  as many slots as the generator, is not the bottleneck by construction.
- generator tokens spent at ``--count 100`` ÷ the generator tokens of the tasks that gave an
  accepted sample (the ideal for flow control: no task started that was not needed); goal ≤
  1.2. Also ÷ the tokens of the accepted samples alone, which counts every rejected candidate
  as waste and so mostly shows the yield, and accepted ÷ asked: what drained work added.

The server is the scripted test server in its own process, as a real LLM server is, so its CPU
time does not count against the pipeline.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import anyio

from apigen_stream.config import Config, LLMConfig, ModelConfig
from apigen_stream.library.load import load_registry
from apigen_stream.pipeline import Pipeline
from apigen_stream.records import Candidate, Sample

LATENCY_S = 0.3
CONCURRENCY = 16
RATE_COUNT = 300
WASTE_COUNT = 100
REPO = Path(__file__).resolve().parents[1]


def _config(base_url: str, pairs: int) -> Config:
    llm = LLMConfig(
        base_url=base_url, api_key="bench", concurrency=CONCURRENCY,
        generators=[ModelConfig(name="bench")], pairs_per_request=pairs,
    )  # fmt: skip
    return Config(llm=llm)


class TaskTokens:
    """Generator tokens per task, and which tasks gave an accepted sample."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.tokens: Counter[str] = Counter()
        self.useful: set[str] = set()
        funnel = pipeline.funnel
        candidate, sample = funnel.candidate, funnel.sample

        def on_candidate(c: Candidate) -> None:
            self.tokens[c.task_id] += c.provenance.tokens.get("generator", 0)
            candidate(c)

        def on_sample(s: Sample, written: bool = True) -> None:
            self.useful.add(s.id.rsplit(".", 1)[0])
            sample(s, written=written)

        setattr(funnel, "candidate", on_candidate)  # noqa: B010 (wrapping a bound method)
        setattr(funnel, "sample", on_sample)  # noqa: B010

    @property
    def needed(self) -> int:
        """Generator tokens of the tasks that gave an accepted sample."""
        return sum(n for task, n in self.tokens.items() if task in self.useful)


async def _run(config: Config, wanted: int) -> tuple[Pipeline, float]:
    registry = load_registry(config.library, {})
    with tempfile.TemporaryDirectory() as out:
        pipeline = Pipeline(
            config, registry, out=Path(out), fmt="xlam", wanted=wanted, stream=io.StringIO()
        )
        pipeline.task_tokens = TaskTokens(pipeline)  # type: ignore[attr-defined]
        started = time.perf_counter()
        await pipeline.run()
        return pipeline, time.perf_counter() - started


def _server() -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.support.fake_llm", "--scenario", "pipeline",
               "--latency", str(LATENCY_S)]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)


def main() -> None:
    """Print the request-rate ratio per role and the token-waste ratio."""
    with _server() as server:
        try:
            assert server.stdout is not None
            base_url = server.stdout.readline().strip().removeprefix("base_url=")
            rate_run, elapsed = anyio.run(_run, _config(base_url, 1), RATE_COUNT)
            waste_run, _ = anyio.run(_run, _config(base_url, 3), WASTE_COUNT)
        finally:
            server.terminate()
            server.wait(timeout=10)
    ideal = CONCURRENCY / LATENCY_S
    print(f"embedded run --count {RATE_COUNT}: concurrency={CONCURRENCY} per role, "
          f"latency={LATENCY_S * 1000:.0f}ms, {elapsed:.1f}s")  # fmt: skip
    for role in ("generator", "judge"):
        achieved = rate_run.funnel.requests[role] / elapsed
        print(f"  {role}: achieved={achieved:.1f} req/s ideal={ideal:.1f} req/s "
              f"ratio={achieved / ideal:.3f}")  # fmt: skip
    funnel = waste_run.funnel
    spent, used = funnel.tokens["generator"], funnel.accepted_tokens["generator"]
    needed = waste_run.task_tokens.needed  # type: ignore[attr-defined]
    print(f"embedded run --count {WASTE_COUNT}: {funnel.tasks} tasks, {funnel.accepted} accepted, "
          f"generator tokens {spent} spent, {needed} in tasks with an accepted sample "
          f"(ratio={spent / max(1, needed):.3f}), {used} in accepted samples alone "
          f"(ratio={spent / max(1, used):.3f}); accepted / asked = "
          f"{funnel.accepted / WASTE_COUNT:.3f}")  # fmt: skip
    print("goals: request-rate ratio >= 0.9 per role; token ratio <= 1.2")


if __name__ == "__main__":
    main()
