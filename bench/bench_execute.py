"""Sandboxed execution of cheap functions against plain in-process calls of the same functions.

Rows of two cheap calls (arithmetic and a string join, from ``tests/support/cheap_tools``) run
(a) in process, then through ``SandboxPool`` at each isolation level, side by side in one run:
``process`` (one long-lived worker process, the level before forks existed: the baseline),
``batch`` (the default: a fresh fork of the template per batch, for reviewed tools: the cheap
tools are passed as reviewed, as the harvested library is), ``batch`` for users' tools with
``user_isolation = "call"`` (a fork per call of theirs) and ``call`` (a fresh fork per call), the
last two on fewer rows as they are far slower, with one worker (the per-core figure) and two,
over interleaved rounds. Each rate is given per second of wall time and per CPU-second of every
process involved (the pool's and each worker's whole process tree), as on a shared machine the
wall time also measures the neighbours.
distilabel's in-process checker (about 5,300 rows/s of 2 calls on one core, unsandboxed) is a
published reference figure quoted for comparison, not measured here.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
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
# Interleaved rounds: the ratios' min and median are reported, not only the best.
ROUNDS = 3
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


@dataclass(frozen=True)
class Rate:
    """One measured run: rows per second of wall time and per CPU-second of every process."""

    wall: float
    cpu: float


def _tree_cpu_s(pid: int) -> float:
    """CPU seconds of ``pid`` and of what it has reaped, and the same of its children.

    A worker's process tree: the process the pool started, its child in the new PID namespace
    (the template, which reaps every fork it ran), and the forks not reaped yet.
    """
    proc = Path("/proc") / str(pid)
    try:
        fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        children = [int(c) for t in (proc / "task").iterdir()
                    for c in (t / "children").read_text().split()]  # fmt: skip
    except (FileNotFoundError, ProcessLookupError):
        return 0.0  # ended meanwhile: what it used is in its parent's reaped time
    own = sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return own + sum(_tree_cpu_s(child) for child in children)


def _workers_cpu_s(pool: SandboxPool) -> float:
    return sum(_tree_cpu_s(pid) for pid in pool.worker_pids)


async def sandboxed(
    data: list[tuple[CallSpec, CallSpec]], workers: int, isolation: str, *, reviewed: bool
) -> Rate:
    """Rows/s through a pool of ``workers`` sandboxed processes (start-up not counted).

    Not ``reviewed``: the tools count as users' own, each call in a fork of its own.
    """
    settings = {"workers": workers, "isolation": isolation, "user_isolation": "call"}
    config = msgspec.convert(settings, SandboxConfig)
    calls = [call for row in data for call in row]
    targets = {target for target, _, _ in calls} if reviewed else set()
    async with SandboxPool(config, reviewed=targets) as pool:
        cpu_before = time.process_time() + _workers_cpu_s(pool)
        started = time.perf_counter()
        outcomes = await pool.run_many(calls)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() + _workers_cpu_s(pool) - cpu_before
    if not all(o.ok for o in outcomes):
        raise RuntimeError("a cheap call failed in the sandbox")
    return Rate(wall=len(data) / elapsed, cpu=len(data) / cpu)


def _run(
    data: list[tuple[CallSpec, CallSpec]], workers: int, level: str, *, reviewed: bool = True
) -> Rate:
    return anyio.run(partial(sandboxed, data, workers, level, reviewed=reviewed))


def _min_median(values: list[float]) -> str:
    return f"{min(values):.3f}/{statistics.median(values):.3f}"


def main() -> None:
    """Every isolation level side by side, ROUNDS interleaved rounds; rates and paired ratios.

    In each round the baseline and ``batch`` run back to back, in alternating order, so that
    each ratio pairs two runs under the same load; min/median over rounds are printed.
    """
    data = rows()
    few = data[:CALL_LEVEL_ROWS]
    plain = in_process(data)
    print(f"rows of 2 cheap calls, {ROWS} rows ({CALL_LEVEL_ROWS} at level call), "
          f"{ROUNDS} interleaved rounds; load average {_load()}")  # fmt: skip
    print(f"  in process (no sandbox): {plain:12,.0f} rows/s")
    levels = ("process", "batch", "batch, user's tools", "call")
    rates: dict[tuple[int, str], list[Rate]] = {}
    for round_ in range(ROUNDS):
        for workers in (1, 2):
            pair = ["process", "batch"] if round_ % 2 == 0 else ["batch", "process"]
            for level in pair:
                rates.setdefault((workers, level), []).append(_run(data, workers, level))
            rates.setdefault((workers, levels[2]), []).append(
                _run(few, workers, "batch", reviewed=False)
            )
            rates.setdefault((workers, "call"), []).append(_run(few, workers, "call"))
    for workers in (1, 2):
        base = rates[(workers, "process")]
        for level in levels:
            got = rates[(workers, level)]
            wall = [r.wall for r in got]
            cpu = [r.cpu for r in got]
            line = (f"  {workers} worker(s), {level + ':':21} {min(wall):9,.0f}/"
                    f"{statistics.median(wall):,.0f} rows/s, "
                    f"{min(cpu):,.0f}/{statistics.median(cpu):,.0f} per CPU-s")  # fmt: skip
            if level != "process":
                wall_ratio = [r.wall / b.wall for r, b in zip(got, base, strict=True)]
                cpu_ratio = [r.cpu / b.cpu for r, b in zip(got, base, strict=True)]
                line += (f"; ratio to process {_min_median(wall_ratio)} wall, "
                         f"{_min_median(cpu_ratio)} CPU")  # fmt: skip
            print(line)
    print("  (figures are min/median over rounds; ratios pair the runs of one round)")
    print(f"  load average at the end {_load()}")
    print(f"  distilabel (quoted, not measured here): {DISTILABEL_ROWS_PER_S:,} rows/s in process")


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
