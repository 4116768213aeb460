"""Generator efficiency: the generate stage against an LLM server with a fixed latency.

Ideal throughput is concurrency ÷ latency (every slot always busy); the figure is achieved ÷
ideal, goal ≥ 0.9. The server is the scripted test server in its own process, as a real LLM
server is, so its CPU time does not count against the stage.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import anyio

from apigen_stream.config import LLMConfig, ModelConfig
from apigen_stream.library.registry import Registry
from apigen_stream.llm.client import LLMClient
from apigen_stream.records import Task, Tool
from apigen_stream.stages.generate import GenerateStage
from apigen_stream.stages.stage import DictState

# A typical hosted-model answer time for a few short pairs, short enough to keep the run brief.
LATENCY_S = 0.2
CONCURRENCY = 32
# Enough rounds (TASKS / CONCURRENCY = 25) that start-up and tail effects stay small.
TASKS = 800

REPO = Path(__file__).resolve().parents[1]
TOOL = Tool(
    name="tool",
    description="A tool.",
    parameters={"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]},
)


async def _run(base_url: str) -> float:
    tasks = [Task(id=f"t0-{i}", style="simple", tools=[TOOL], pairs=3) for i in range(TASKS)]
    config = LLMConfig(
        base_url=base_url, api_key="bench", concurrency=CONCURRENCY,
        generators=[ModelConfig(name="bench")],
    )  # fmt: skip
    async with LLMClient(config) as client:
        stage = GenerateStage(Registry(), client)
        state = DictState({})
        # Warm-up: open the connections before the clock starts.
        async with anyio.create_task_group() as group:
            for task in tasks[:CONCURRENCY]:
                group.start_soon(stage.handle, task, state)
        started = time.perf_counter()
        async with anyio.create_task_group() as group:
            for task in tasks:
                group.start_soon(stage.handle, task, state)
        return time.perf_counter() - started


def main() -> None:
    """Print achieved and ideal requests per second and their ratio."""
    command = [sys.executable, "-m", "tests.support.fake_llm", "--scenario", "fixed",
               "--latency", str(LATENCY_S)]  # fmt: skip
    with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            base_url = server.stdout.readline().strip().removeprefix("base_url=")
            elapsed = anyio.run(_run, base_url)
        finally:
            server.terminate()
            server.wait(timeout=10)
    achieved = TASKS / elapsed
    ideal = CONCURRENCY / LATENCY_S
    print(f"tasks={TASKS} concurrency={CONCURRENCY} latency={LATENCY_S * 1000:.0f}ms")
    print(f"achieved={achieved:.1f} req/s ideal={ideal:.1f} req/s ratio={achieved / ideal:.3f}")
    print("goal: ratio >= 0.9")


if __name__ == "__main__":
    main()
