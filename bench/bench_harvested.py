"""The walk over every harvested API's seed example: in the sandbox, against in-process calls.

Every seed example of the shipped harvested library runs (a) in process, one after the other
(the baseline: the same functions with no sandbox), then (b) through ``SandboxPool`` with two
workers, as the execute stage runs them (harvested targets share a fork per batch), and each
sandboxed result is compared with the recorded one.

Calls of the reviewed library share a fork of a warmed worker per batch, and a harvested
package is imported by the worker's template when a batch first needs it, before the fork
(under the template's own cap, ``template_memory_mb``; each fork may map ``memory_mb`` on top
of what it holds). So the walk sorts the calls by module, which puts a package's calls in the
same batches, and gives each call a wall-time limit of ``CALL_LIMIT_S``, far above the probe's
50 ms bound on a call once its package is imported: a package that takes seconds to import on a
loaded machine then costs time, not a ``timeout`` counted as a wrong result.

The walk runs in ``ORDERS``: sorted by module by default. ``shuffled`` (as live tasks mix
them) is there to look at mixed batches: a batch of 1,024 calls of many packages imports them
all (before each fork's budget was counted from its template's mapping, past about fifty
packages such a fork passed the 512 MB limit and died with every call of its batch: see the
library README). Prints the counts
by outcome (``same``: the recorded result; ``different``: another result; else the sandbox's
reason), each API that did not reproduce with what it gave, the wall time of each walk and its
ratio to the in-process calls, and the load average beside them (the machine is shared).
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import anyio

from apigen_stream.config import SandboxConfig
from apigen_stream.library.by_position import resolve
from apigen_stream.library.harvested import load_harvested
from apigen_stream.library.registry import Api
from apigen_stream.records import Outcome
from apigen_stream.sandbox.pool import SandboxPool
from apigen_stream.sandbox.protocol import CallSpec
from apigen_stream.sandbox.results import encode_result

# The bound for walking the whole library on this machine (seconds).
WALK_LIMIT_S = 300.0
# A call's wall-time limit in the walk (seconds): room for its package's import.
CALL_LIMIT_S = 60.0
# The orders walked (``python -m bench harvested`` runs the first; ``shuffled`` is in
# ``sandboxed`` for a look at mixed batches, see the module docstring).
ORDERS = ("module",)


@dataclass(frozen=True)
class Walk:
    """One sandboxed walk: its wall time, each API's outcome, and what went wrong where."""

    wall_s: float
    outcomes: dict[str, str]
    details: dict[str, str]


def _function(target: str) -> Any:
    module_name, _, attr = target.partition(":")
    if module_name.endswith("by_position"):
        return resolve(attr)
    module = __import__(module_name, fromlist=["_"])
    for part in attr.split("."):
        module = getattr(module, part)
    return module


def in_process(apis: list[Api]) -> tuple[float, float]:
    """Wall and CPU seconds to call every seed example in this process (imports done first)."""
    functions = [(_function(a.target), a.examples[0].calls[0].arguments) for a in apis]
    started, cpu = time.perf_counter(), time.process_time()
    for func, arguments in functions:
        try:
            encode_result(func(**arguments))
        except Exception:  # the baseline only times the calls
            continue
    return time.perf_counter() - started, time.process_time() - cpu


def seed_call(entry: Api) -> CallSpec:
    """The call of an API's seed example."""
    return (entry.target, entry.name, entry.examples[0].calls[0].arguments)


def outcome_of(entry: Api, outcome: Outcome) -> str:
    """``same`` when the sandbox gave the recorded result, ``different`` for another result,
    else the sandbox's reason (``timeout``, ``exception``...)."""
    if not outcome.ok:
        return outcome.reason or "failed"
    return "same" if outcome.result == entry.seed_result else "different"


async def sandboxed(apis: list[Api], order: str) -> Walk:
    """Run every seed example in the sandbox, once the workers have started: ``order`` is
    ``module`` (a package's calls together) or ``shuffled`` (mixed, as live tasks come)."""
    config = SandboxConfig(workers=2, timeout_s=CALL_LIMIT_S)
    targets = {a.target for a in apis}
    ordered = sorted(apis, key=lambda a: a.target)
    if order == "shuffled":
        random.Random(14).shuffle(ordered)
    async with SandboxPool(config, reviewed=targets) as pool:
        # The pool's workers have started when ``__aenter__`` returns.
        started = time.perf_counter()
        outcomes = await pool.run_many([seed_call(a) for a in ordered])
        wall = time.perf_counter() - started
    labels = {a.name: outcome_of(a, o) for a, o in zip(ordered, outcomes, strict=True)}
    details = {
        a.name: (o.detail or repr(o.result))[:160]
        for a, o in zip(ordered, outcomes, strict=True)
        if labels[a.name] != "same"
    }
    return Walk(wall, labels, details)


def main() -> None:
    """Walk the library both ways (and the sandbox in two orders) and print the figures."""
    apis = list(load_harvested())
    load_before = os.getloadavg()
    baseline_wall, baseline_cpu = in_process(apis)
    walks = {order: anyio.run(sandboxed, apis, order) for order in ORDERS}
    load_after = os.getloadavg()
    print(f"harvested APIs walked: {len(apis)}")
    print(f"in process: {baseline_wall:.2f} s wall, {baseline_cpu:.2f} s CPU")
    for order, walk in walks.items():
        counts = Counter(walk.outcomes.values())
        print(f"sandbox, 2 workers, calls in {order} order: {walk.wall_s:.2f} s wall "
              f"(ratio {walk.wall_s / max(baseline_wall, 1e-9):.1f}x); outcomes: "
              + ", ".join(f"{k} {v}" for k, v in counts.most_common()))  # fmt: skip
        for name, detail in sorted(walk.details.items()):
            print(f"  {name}: {walk.outcomes[name]}: {detail}")
        verdict = "yes" if walk.wall_s < WALK_LIMIT_S else "NO"
        print(f"  walk under {WALK_LIMIT_S:.0f} s: {verdict}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
