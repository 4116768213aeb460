"""Sandboxed execution of cheap functions against plain in-process calls of the same functions.

Rows of two cheap calls (arithmetic and a string join, from ``tests/support/cheap_tools``) run
(a) in process, then through ``SandboxPool`` at each isolation level, side by side in one run:
``process`` (one long-lived worker process, the level before forks existed: the baseline),
``batch`` (the default: a fresh fork of the template per batch, for reviewed tools: the cheap
tools are passed as reviewed, as the harvested library is), ``batch`` for users' tools (their
default ``user_isolation = "call"``: a fork per call) and ``call`` (a fresh fork per call), the
last two on fewer rows as they are far slower, with one worker (the per-core figure) and two.
distilabel's in-process checker (about 5,300 rows/s of 2 calls on one core, unsandboxed) is a
published reference figure quoted for comparison, not measured here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import anyio
import msgspec

from apigen_stream.config import SandboxConfig
from apigen_stream.sandbox.pool import CallSpec, SandboxPool

# The cheap functions live with the tests; ``python -m bench`` runs from the repository root.
from tests.support import cheap_tools

# Long enough to dwarf start-up noise, short enough to keep a shared machine free (seconds).
ROWS = 40_000
# A fork per call is slow: fewer rows give the same rate in a fraction of the time.
CALL_LEVEL_ROWS = 200
# distilabel 1.5's APIGen execution checker, rows of 2 calls per second on one core (APIGEN.md).
DISTILABEL_ROWS_PER_S = 5_300


def rows() -> list[tuple[CallSpec, CallSpec]]:
    """ROWS rows of two cheap calls each."""
    module = "tests.support.cheap_tools"
    return [
        (
            (f"{module}:subtract", "subtract", {"a": i, "b": 3}),
            (f"{module}:join", "join", {"left": "row", "right": str(i)}),
        )
        for i in range(ROWS)
    ]


def in_process(data: list[tuple[CallSpec, CallSpec]]) -> float:
    """Rows/s calling the same functions directly, keyword-bound."""
    functions: dict[str, Callable[..., Any]] = {
        "subtract": cheap_tools.subtract,
        "join": cheap_tools.join,
    }
    started = time.perf_counter()
    for row in data:
        for _target, name, arguments in row:
            functions[name](**arguments)
    return len(data) / (time.perf_counter() - started)


async def sandboxed(
    data: list[tuple[CallSpec, CallSpec]], workers: int, isolation: str, *, reviewed: bool
) -> float:
    """Rows/s through a pool of ``workers`` sandboxed processes (start-up not counted)."""
    config = msgspec.convert({"workers": workers, "isolation": isolation}, SandboxConfig)
    calls = [call for row in data for call in row]
    targets = {target for target, _, _ in calls} if reviewed else set()
    async with SandboxPool(config, reviewed=targets) as pool:
        started = time.perf_counter()
        outcomes = await pool.run_many(calls)
        elapsed = time.perf_counter() - started
    if not all(o.ok for o in outcomes):
        raise RuntimeError("a cheap call failed in the sandbox")
    return len(data) / elapsed


def main() -> None:
    """Measure in-process and every isolation level side by side; print rates and ratios."""
    data = rows()
    plain = in_process(data)
    print(f"rows of 2 cheap calls, {ROWS} rows ({CALL_LEVEL_ROWS} at level call)")
    print(f"  in process (no sandbox):        {plain:12,.0f} rows/s")
    for workers in (1, 2):
        few = data[:CALL_LEVEL_ROWS]
        base = anyio.run(partial(sandboxed, data, workers, "process", reviewed=True))
        batch = anyio.run(partial(sandboxed, data, workers, "batch", reviewed=True))
        user = anyio.run(partial(sandboxed, few, workers, "batch", reviewed=False))
        call = anyio.run(partial(sandboxed, few, workers, "call", reviewed=True))
        print(f"  {workers} worker(s), level process:   {base:12,.0f} rows/s  "
              f"ratio {base / plain:.3f} of in-process (baseline)")  # fmt: skip
        for level, rate in (("batch", batch), ("batch, user's tools", user), ("call", call)):
            print(f"  {workers} worker(s), level {level + ':':8} {rate:12,.0f} rows/s  "
                  f"ratio {rate / base:.3f} of level process")  # fmt: skip
    print(f"  distilabel (quoted, not measured here): {DISTILABEL_ROWS_PER_S:,} rows/s in process")


if __name__ == "__main__":
    main()
