"""The walk over every harvested API's seed example: in the sandbox, against in-process calls.

Every seed example of the shipped harvested library runs (a) in process, one after the other
(the baseline: the same functions with no sandbox), then (b) through ``SandboxPool`` with two
workers, and each sandboxed result is compared with the recorded one. Prints the wall time of
both, their ratio, and how many results differ from the recording (the quality gate: 0).
"""

from __future__ import annotations

import time
from typing import Any

import anyio

from apigen_stream.config import SandboxConfig
from apigen_stream.library.by_position import resolve
from apigen_stream.library.harvested import load_harvested
from apigen_stream.library.registry import Api
from apigen_stream.sandbox.pool import SandboxPool
from apigen_stream.sandbox.results import encode_result

# The bound for walking the whole library on this machine (seconds).
WALK_LIMIT_S = 300.0


def _function(target: str) -> Any:
    module_name, _, attr = target.partition(":")
    if module_name.endswith("by_position"):
        return resolve(attr)
    module = __import__(module_name, fromlist=["_"])
    for part in attr.split("."):
        module = getattr(module, part)
    return module


def in_process(apis: list[Api]) -> float:
    """Seconds to call every seed example in this process."""
    functions = [(_function(a.target), a.examples[0].calls[0].arguments) for a in apis]
    started = time.perf_counter()
    for func, arguments in functions:
        try:
            encode_result(func(**arguments))
        except Exception:  # the baseline only times the calls
            continue
    return time.perf_counter() - started


async def sandboxed(apis: list[Api]) -> tuple[float, list[str]]:
    """Seconds to run every seed example in the sandbox, and the names whose result differs."""
    calls = [(a.target, a.name, a.examples[0].calls[0].arguments) for a in apis]
    async with SandboxPool(SandboxConfig(workers=2)) as pool:
        started = time.perf_counter()
        outcomes = await pool.run_many(calls)
        elapsed = time.perf_counter() - started
    wrong = [a.name for a, o in zip(apis, outcomes, strict=True)
             if not o.ok or o.result != a.seed_result]  # fmt: skip
    return elapsed, wrong


def main() -> None:
    """Walk the library both ways and print the figures."""
    apis = list(load_harvested())
    baseline = in_process(apis)
    walk, wrong = anyio.run(sandboxed, apis)
    print(f"harvested APIs walked: {len(apis)}")
    print(f"in process: {baseline:.2f} s   sandbox (2 workers): {walk:.2f} s   "
          f"ratio {walk / max(baseline, 1e-9):.1f}x")  # fmt: skip
    print(f"seed results differing from the recording: {len(wrong)} {wrong[:10]}")
    print(f"walk under {WALK_LIMIT_S:.0f} s: {'yes' if walk < WALK_LIMIT_S else 'NO'}")
