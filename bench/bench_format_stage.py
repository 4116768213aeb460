"""The format stage's handler, its check on the event loop against its check in a child process.

The same batches of candidates go through the stage's handling (``Handling.batch``, the
runner's default concurrency) with ``FormatStage()`` (the check on the event loop, as before the
check moved out) and with the stage ``open_stage`` gives (every check in a child process: each
batch in one call of the bytes the candidates came in, within the deadline, so that no check can
hold the loop). Rounds alternate between the two (ABAB) on a shared, noisy host; each round's
ratio is child over loop, reported as min and median. Rates are candidates per second of wall
time; the parent's CPU time per candidate is what the loop itself spends (the child's CPU is
apart: it runs on another core when one is free, and is reported with its start-up included).
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Awaitable, Callable

import anyio

from apigen_stream.config import Config
from apigen_stream.engine.codec import encode
from apigen_stream.engine.handling import Backoff, make_handling
from apigen_stream.engine.partitions import Envelope
from apigen_stream.records import Call, Candidate, Tool
from apigen_stream.stages.format import FormatStage, open_stage
from apigen_stream.stages.stage import DictState

CANDIDATES = 4_000
BATCH = 200
CONCURRENCY = 32
# Rounds per side, interleaved.
ROUNDS = 5

_PARAMETERS = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "A city."},
        "days": {"type": "integer", "minimum": 1, "maximum": 14},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["city"],
}


def _envelopes() -> list[Envelope]:
    tools = [Tool(name=f"weather_{k}", parameters=_PARAMETERS) for k in range(3)]
    out = []
    for i in range(CANDIDATES):
        call = Call(name=f"weather_{i % 3}", arguments={"city": f"city {i}", "days": 1 + i % 14})
        candidate = Candidate(id=f"b-{i:06d}", query=f"weather {i}", calls=[call], tools=tools)
        out.append(Envelope("apigen.candidates", 0, i, None, encode(candidate)))
    return out


async def _round(stage: FormatStage, envelopes: list[Envelope]) -> tuple[float, float]:
    """Wall seconds and this process's CPU seconds for every envelope, batch after batch."""
    handling = make_handling(stage, 1, Backoff(0.0, 0.0))
    limiter = anyio.CapacityLimiter(CONCURRENCY)
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(envelopes), BATCH):
        await handling.batch(envelopes[start : start + BATCH], DictState({}), limiter)
    return time.perf_counter() - wall, time.process_time() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def _on_loop(envelopes: list[Envelope]) -> tuple[float, float]:
    return await _round(FormatStage(), envelopes)


async def _in_child(envelopes: list[Envelope]) -> tuple[float, float]:
    async with open_stage(Config()) as stage:
        await stage.handle(Candidate(id="warm", query="q"), DictState({}))  # the child starts
        return await _round(stage, envelopes)


async def _measure() -> None:
    envelopes = _envelopes()
    sides: dict[str, Callable[[list[Envelope]], Awaitable[tuple[float, float]]]] = {
        "loop": _on_loop, "child": _in_child,
    }  # fmt: skip
    walls: dict[str, list[float]] = {name: [] for name in sides}
    cpus: dict[str, list[float]] = {name: [] for name in sides}
    child_cpu = 0.0
    for _ in range(ROUNDS):
        for name, side in sides.items():
            before = _children_cpu()
            wall, cpu = await side(envelopes)
            child_cpu += _children_cpu() - before  # reaped when the stage closed
            walls[name].append(wall)
            cpus[name].append(cpu)
    n = len(envelopes)
    for name, label in (
        ("loop", "check on the event loop "),
        ("child", "check in a child process"),
    ):
        rates = sorted(n / w for w in walls[name])
        print(f"{label}: {statistics.median(rates):10,.0f} candidates/s (median; best "
              f"{rates[-1]:,.0f}), parent CPU {statistics.median(cpus[name]) / n * 1e6:.1f} "
              f"us/candidate")  # fmt: skip
    ratios = sorted(lw / cw for lw, cw in zip(walls["loop"], walls["child"], strict=True))
    cpu_ratios = sorted(lc / cc for lc, cc in zip(cpus["loop"], cpus["child"], strict=True))
    print(
        f"ratio child/loop, wall rate: min {ratios[0]:.2f} median {statistics.median(ratios):.2f}"
        f"; parent CPU rate: min {cpu_ratios[0]:.2f} median {statistics.median(cpu_ratios):.2f}"
    )
    print(
        f"child CPU (start-up included): {child_cpu / (ROUNDS * n) * 1e6:.1f} us/candidate; "
        f"{ROUNDS} rounds each, interleaved, {n} candidates, batch {BATCH}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    """Both sides, rounds interleaved, in this process."""
    anyio.run(_measure)


if __name__ == "__main__":
    main()
