"""The embedded run as a user runs it (``run``), against a fixed-latency LLM server.

Two figures, each the min and median over ``ROUNDS`` interleaved rounds of one run:
- request rate per role, achieved ÷ ideal, where ideal is the role's concurrency ÷ the server's
  latency (every slot always busy); goal ≥ 0.9. Each role is measured in a run where it is the
  bottleneck, so that the figure shows what the pipeline lets that role do, not how many
  candidates the data lets through: the generator with one pair per request (the judge, with
  as many slots, has candidates to spare: format, dedup and execution pass about 70-90 % of
  them), the judge with ``JUDGE_PAIRS`` per request (more candidates reach it than it can
  judge; the generator is then held back by the cap on work in flight, and its figure in those
  runs says so). Each run is measured over a ``WINDOW_S`` window that starts ``SETTLE_S`` after
  its first accepted sample: start-up, imports and the sandbox's warm-up (the harvested tools'
  packages are imported by the first batches that call them) are not the pipeline's steady
  rate. Counted by the requests whose answers came back in the window. Beside it, the CPU time
  of the pipeline's process per accepted sample (its sandbox workers are other processes), and
  the execute stage's rate in the window.
- generator tokens spent at ``--count 100`` ÷ the generator tokens of the tasks that gave an
  accepted sample (the ideal for flow control: no task started that was not needed); goal ≤
  1.2. Also ÷ the tokens of the accepted samples alone, which counts every rejected candidate
  as waste and so mostly shows the yield, and accepted ÷ asked: what drained work added.

The server is the scripted test server in its own process, as a real LLM server is, so its CPU
time does not count against the pipeline. It answers each prompt with the offline generator's
pairs for that prompt's own tools, so whatever the library draws, the pipeline is measured,
not the script.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import anyio

from apigen_stream import metrics, topics
from apigen_stream.config import Config, LLMConfig, ModelConfig
from apigen_stream.library.load import load_registry
from apigen_stream.library.registry import Registry
from apigen_stream.pipeline import Pipeline
from apigen_stream.records import Candidate, Sample

LATENCY_S = 0.3
CONCURRENCY = 16
WINDOW_S = 10.0
SETTLE_S = 10.0
# Pairs per request in the judge's runs: enough that more candidates reach it than it can judge.
JUDGE_PAIRS = 2
WASTE_COUNT = 100
ROUNDS = 3
ROLES = ("generator", "judge")
REPO = Path(__file__).resolve().parents[1]


def _config(base_url: str, pairs: int) -> Config:
    llm = LLMConfig(
        base_url=base_url, api_key="bench", concurrency=CONCURRENCY,
        generators=[ModelConfig(name="bench")], pairs_per_request=pairs,
    )  # fmt: skip
    return Config(llm=llm)


class TaskTokens:
    """Generator tokens per task, and which tasks gave an accepted sample."""

    def __init__(self) -> None:
        self.tokens: Counter[str] = Counter()
        self.useful: set[str] = set()

    def candidate(self, candidate: Candidate) -> None:
        self.tokens[candidate.task_id] += candidate.provenance.tokens.get("generator", 0)

    def sample(self, sample: Sample) -> None:
        self.useful.add(sample.id.rsplit(".", 1)[0])

    @property
    def needed(self) -> int:
        """Generator tokens of the tasks that gave an accepted sample."""
        return sum(n for task, n in self.tokens.items() if task in self.useful)


@dataclass(frozen=True)
class Rate:
    """One rate round: requests per role and accepted samples in the window, and its CPU."""

    requests: dict[str, int]
    accepted: int
    seconds: float
    cpu_s: float
    executed: float

    def ratio(self, role: str) -> float:
        return self.requests[role] / self.seconds / (CONCURRENCY / LATENCY_S)


@dataclass(frozen=True)
class Waste:
    """One ``--count`` round: tasks, accepted, and generator tokens spent, needed and used."""

    tasks: int
    accepted: int
    spent: int
    needed: int
    used: int


def _pipeline(config: Config, registry: Registry, out: str, wanted: int) -> Pipeline:
    return Pipeline(config, registry, out=Path(out), fmt="xlam", wanted=wanted,
                    stream=io.StringIO())  # fmt: skip


async def _rate(config: Config, registry: Registry) -> Rate:
    with tempfile.TemporaryDirectory() as out:
        pipeline = _pipeline(config, registry, out, 0)
        funnel = pipeline.funnel
        first = anyio.Event()
        pipeline.observe(topics.ACCEPTED, lambda _: first.set())
        async with anyio.create_task_group() as tg:
            tg.start_soon(pipeline.run)
            await first.wait()
            await anyio.sleep(SETTLE_S)
            before, accepted = Counter(funnel.requests), funnel.accepted
            started, cpu, executed = time.perf_counter(), time.process_time(), _handled("execute")
            await anyio.sleep(WINDOW_S)
            seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
            requests = {role: funnel.requests[role] - before[role] for role in ROLES}
            done, executed = funnel.accepted - accepted, _handled("execute") - executed
            pipeline.stop()
        return Rate(requests, done, seconds, cpu_s, executed)


def _handled(stage: str) -> float:
    """Records ``stage`` has handled in this process so far (its handler-time histogram)."""
    for family in metrics.HANDLER_SECONDS.collect():
        for sample in family.samples:
            if sample.name.endswith("_count") and sample.labels.get("stage") == stage:
                return sample.value
    return 0.0


async def _waste(config: Config, registry: Registry) -> Waste:
    with tempfile.TemporaryDirectory() as out:
        pipeline = _pipeline(config, registry, out, WASTE_COUNT)
        tokens = TaskTokens()
        pipeline.observe(topics.CANDIDATES, tokens.candidate)
        pipeline.observe(topics.ACCEPTED, tokens.sample)
        await pipeline.run()
        funnel = pipeline.funnel
        return Waste(funnel.tasks, funnel.accepted, funnel.tokens["generator"], tokens.needed,
                     funnel.accepted_tokens["generator"])  # fmt: skip


def _server() -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.support.fake_llm", "--scenario", "pipeline",
               "--latency", str(LATENCY_S)]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)


def _spread(values: list[float]) -> str:
    return f"min={min(values):.3f} median={statistics.median(values):.3f}"


def main() -> None:
    """Print the request-rate ratio per role and the token-waste ratio, min and median."""
    load = os.getloadavg()
    rates: dict[str, list[Rate]] = {role: [] for role in ROLES}
    wastes: list[Waste] = []
    with _server() as server:
        try:
            assert server.stdout is not None
            base_url = server.stdout.readline().strip().removeprefix("base_url=")
            configs = {"generator": _config(base_url, 1), "judge": _config(base_url, JUDGE_PAIRS)}
            waste_config = _config(base_url, 3)
            registry = load_registry(waste_config.library, {})
            for _ in range(ROUNDS):  # interleaved: the machine's load hits all alike
                for role in ROLES:
                    rates[role].append(anyio.run(_rate, configs[role], registry))
                wastes.append(anyio.run(_waste, waste_config, registry))
        finally:
            server.terminate()
            server.wait(timeout=10)
    ideal = CONCURRENCY / LATENCY_S
    print(f"embedded run: concurrency={CONCURRENCY} per role, latency={LATENCY_S * 1000:.0f}ms, "
          f"ideal {ideal:.1f} req/s per role, {ROUNDS} rounds of {WINDOW_S:.0f}s windows "
          f"{SETTLE_S:.0f}s after the first sample")  # fmt: skip
    for role, other in zip(ROLES, reversed(ROLES), strict=True):
        runs = rates[role]
        pairs = configs[role].llm.pairs_per_request
        rounds = " ".join(f"{r.ratio(role):.3f}" for r in runs)
        print(f"  {role} ({pairs} pair(s) per request): achieved/ideal "
              f"{_spread([r.ratio(role) for r in runs])} ({rounds}); {other} in these runs "
              f"{_spread([r.ratio(other) for r in runs])}")  # fmt: skip
        cpu = [1000 * r.cpu_s / max(1, r.accepted) for r in runs]
        print(f"    pipeline CPU per accepted sample: {_spread(cpu)} ms; "
              f"accepted/s {_spread([r.accepted / r.seconds for r in runs])}; execute stage "
              f"candidates/s {_spread([r.executed / r.seconds for r in runs])}")  # fmt: skip
    needed = [w.spent / max(1, w.needed) for w in wastes]
    used = [w.spent / max(1, w.used) for w in wastes]
    print(f"embedded run --count {WASTE_COUNT}: generator tokens spent / tokens of tasks with "
          f"an accepted sample {_spread(needed)}; / tokens of accepted samples alone "
          f"{_spread(used)}")  # fmt: skip
    for w in wastes:
        print(f"  {w.tasks} tasks, {w.accepted} accepted, tokens spent {w.spent}, "
              f"in useful tasks {w.needed}, in accepted samples {w.used}")  # fmt: skip
    print(f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    print("goals: request-rate ratio >= 0.9 per role; token ratio <= 1.2")


if __name__ == "__main__":
    main()
