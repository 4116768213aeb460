"""Sandboxed execution of cheap functions against plain in-process calls of the same functions.

Rows of two cheap calls (arithmetic and a string join, from ``tests/support/cheap_tools``) run
(a) in process, (b) through ``SandboxPool`` with one worker (the per-core figure) and (c) with two
workers. distilabel's in-process checker (about 5,300 rows/s of 2 calls on one core, unsandboxed)
is a published reference figure quoted for comparison, not measured here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import anyio

from apigen_stream.config import SandboxConfig
from apigen_stream.sandbox.pool import CallSpec, SandboxPool

# The cheap functions live with the tests; ``python -m bench`` runs from the repository root.
from tests.support import cheap_tools

# Long enough to dwarf start-up noise, short enough to keep a shared machine free (seconds).
ROWS = 40_000
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


async def sandboxed(data: list[tuple[CallSpec, CallSpec]], workers: int) -> float:
    """Rows/s through a pool of ``workers`` sandboxed processes (start-up not counted)."""
    config = SandboxConfig(workers=workers)
    calls = [call for row in data for call in row]
    async with SandboxPool(config) as pool:
        started = time.perf_counter()
        outcomes = await pool.run_many(calls)
        elapsed = time.perf_counter() - started
    if not all(o.ok for o in outcomes):
        raise RuntimeError("a cheap call failed in the sandbox")
    return len(data) / elapsed


def main() -> None:
    """Measure the three side by side and print rates and ratios."""
    data = rows()
    plain = in_process(data)
    one = anyio.run(sandboxed, data, 1)
    two = anyio.run(sandboxed, data, 2)
    print(f"rows of 2 cheap calls, {ROWS} rows")
    print(f"  in process (no sandbox):   {plain:12,.0f} rows/s")
    print(
        f"  sandboxed, 1 worker:       {one:12,.0f} rows/s  ratio {one / plain:.3f} of in-process"
    )
    print(
        f"  sandboxed, 2 workers:      {two:12,.0f} rows/s  ratio {two / plain:.3f} of in-process"
    )
    print(
        f"  distilabel (quoted, not measured here): {DISTILABEL_ROWS_PER_S:,} rows/s in process; "
        f"sandboxed 1 worker is {one / DISTILABEL_ROWS_PER_S:.1f}x that"
    )


if __name__ == "__main__":
    main()
