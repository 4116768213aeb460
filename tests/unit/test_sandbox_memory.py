"""Memory limits per call: a call's budget is ``memory_mb`` on top of what its fork was made
with, whatever the batches before it imported into the template, and no call can raise it."""

from __future__ import annotations

import errno
import random

import msgspec
import pytest

from apigen_stream.config import TEMPLATE_ROOM_MB, SandboxConfig
from apigen_stream.library import harvested
from apigen_stream.library.registry import Api
from apigen_stream.sandbox import limits
from apigen_stream.sandbox.pool import SandboxPool
from apigen_stream.sandbox.protocol import CallSpec
from tests.support import bulky_tools

pytestmark = pytest.mark.anyio

CHEAP = "tests.support.cheap_tools"
HOSTILE = "tests.support.hostile_tools"
BULKY = "tests.support.bulky_tools"
NUMBERS_TARGET = "apigen_stream.library.builtin.math.numbers:fibonacci_number"
MB = 1024 * 1024
# One worker: every call below goes through the same template, one after the other.
CONFIG = SandboxConfig(workers=1, timeout_s=5.0, memory_mb=256, warm_up=False)
# Harvested packages the template imports before the cheap call, at least: the shipped file
# has about 55, together past the default 512 MB.
HEAVY_PACKAGES = 30
# What a fork maps between its fork and its call's own code (the calls' payload, the result).
FORK_SLACK_MB = 32


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def add(a: int, b: int) -> CallSpec:
    return (f"{CHEAP}:add", "add", {"a": a, "b": b})


async def test_a_greedy_call_hits_the_limit_and_the_calls_around_it_do_not() -> None:
    greedy: list[CallSpec] = [(f"{HOSTILE}:memory_creep", "memory_creep", {})]
    reviewed = frozenset({f"{CHEAP}:add"})
    async with SandboxPool(CONFIG, reviewed=reviewed) as pool:
        before = await pool.run_many([add(i, 1) for i in range(20)])
        (outcome,) = await pool.run_many(greedy)
        after = await pool.run_many([add(i, 2) for i in range(20)])
    assert outcome.reason == "memory_limit", outcome
    assert [o.result for o in before] == [i + 1 for i in range(20)]
    assert [o.result for o in after] == [i + 2 for i in range(20)]


async def test_a_call_cannot_raise_its_address_space_limit() -> None:
    call = (f"{HOSTILE}:raise_address_space", "raise_address_space", {"megabytes": 1024})
    async with SandboxPool(CONFIG) as pool:
        # The template maps the bulky module's table first: the call's budget comes on top.
        bulky = await pool.run(f"{BULKY}:headroom_mb", "headroom_mb", {})
        outcome = await pool.run(*call)
    assert bulky.ok and outcome.ok, (bulky, outcome)
    seen = outcome.result
    assert seen["errno"] == errno.EPERM
    assert (seen["after_soft"], seen["after_hard"]) == (seen["soft"], seen["hard"])
    # Soft and hard lowered to the fork's mapping plus the call's budget.
    assert seen["soft"] == seen["hard"]
    room = seen["hard"] - seen["mapped"]
    assert (CONFIG.memory_mb - FORK_SLACK_MB) * MB <= room <= CONFIG.memory_mb * MB


async def test_a_call_cannot_lower_the_templates_limit_for_the_calls_after_it() -> None:
    # Forks run as the template's user, which the kernel would let change the template's limits.
    call: CallSpec = (f"{HOSTILE}:lower_parent_limit", "lower_parent_limit", {"megabytes": 64})
    bulky: CallSpec = (f"{BULKY}:headroom_mb", "headroom_mb", {})
    async with SandboxPool(CONFIG) as pool:
        outcome = await pool.run(*call)
        after = await pool.run(*bulky)
        sums = await pool.run_many([add(i, 3) for i in range(10)])
    assert outcome.reason == "sandbox_violation", outcome
    assert after.ok, after
    assert [o.result for o in sums] == [i + 3 for i in range(10)]


async def test_what_the_template_imported_for_a_batch_is_not_taken_from_the_next_call() -> None:
    # The first batch leaves a fork made ahead; the second imports a module that maps a large
    # table into the template. Its call runs in a fork made after that import, with its whole
    # budget on top of the table, not in the fork made before it.
    reviewed = frozenset({f"{CHEAP}:add", f"{BULKY}:headroom_mb"})
    async with SandboxPool(CONFIG, reviewed=reviewed) as pool:
        first = await pool.run(*add(1, 1))
        headroom = await pool.run(f"{BULKY}:headroom_mb", "headroom_mb", {})
    assert first.result == 2
    assert headroom.ok, headroom
    assert headroom.result >= CONFIG.memory_mb - FORK_SLACK_MB
    assert bulky_tools.TABLE_MB > FORK_SLACK_MB  # a fork that imported it would show it


async def test_an_import_past_the_templates_cap_is_memory_limit_and_the_pool_goes_on() -> None:
    # The bulky module's table does not fit under the template's cap: its import fails in the
    # template, then in the fork (the call's verdict), and the template retires for a fresh one.
    config = msgspec.structs.replace(CONFIG, memory_mb=64, template_memory_mb=100)
    bulky: CallSpec = (f"{BULKY}:headroom_mb", "headroom_mb", {})
    reviewed = frozenset({f"{CHEAP}:add", bulky[0]})
    async with SandboxPool(config, reviewed=reviewed) as pool:
        first = await pool.run(*bulky)
        between = await pool.run_many([add(i, 4) for i in range(10)])
        again = await pool.run(*bulky)
        after = await pool.run_many([add(i, 5) for i in range(10)])
    for outcome in (first, again):
        assert (outcome.reason, outcome.detail) == (
            "memory_limit",
            f"MemoryError while importing {bulky[0]}",
        ), outcome
    assert [o.result for o in between] == [i + 4 for i in range(10)]
    assert [o.result for o in after] == [i + 5 for i in range(10)]


async def test_a_template_too_full_for_a_forks_budget_is_replaced() -> None:
    # The table fits under the template's cap, but then a fork gets less than memory_mb on top
    # of it: the template retires, and the next call's fork has its whole budget again.
    config = msgspec.structs.replace(CONFIG, memory_mb=64, template_memory_mb=136)
    bulky: CallSpec = (f"{BULKY}:headroom_mb", "headroom_mb", {})
    probe: CallSpec = (f"{HOSTILE}:raise_address_space", "raise_address_space", {"megabytes": 1})
    async with SandboxPool(config, reviewed=frozenset({bulky[0]})) as pool:
        squeezed = await pool.run(*bulky)
        after = await pool.run(*probe)
    assert squeezed.ok and squeezed.result < config.memory_mb, squeezed
    assert after.ok, after
    room = after.result["hard"] - after.result["mapped"]
    assert (config.memory_mb - FORK_SLACK_MB) * MB <= room <= config.memory_mb * MB


def one_call_per_package() -> list[Api]:
    """One harvested API of each package of the shipped file (seeded choice)."""
    rng = random.Random(5)
    by_package: dict[str, list[Api]] = {}
    for entry in harvested.load_harvested():
        module, _, attr = entry.target.partition(":")  # by_position wraps positional-only ones
        package = (attr if module.endswith(".by_position") else module).split(".")[0]
        by_package.setdefault(package, []).append(entry)
    return [rng.choice(group) for _, group in sorted(by_package.items())]


async def test_calls_after_many_heavy_packages_get_their_whole_budget() -> None:
    heavy = one_call_per_package()
    assert len(heavy) >= HEAVY_PACKAGES
    config = msgspec.structs.replace(CONFIG, memory_mb=512, timeout_s=60.0)
    reviewed = frozenset(a.target for a in heavy) | {NUMBERS_TARGET, f"{BULKY}:headroom_mb"}
    calls = [(a.target, a.name, a.examples[0].calls[0].arguments) for a in heavy]
    numbers = [(NUMBERS_TARGET, "fibonacci_number", {"n": n}) for n in (10, 50)]
    async with SandboxPool(config, batch_size=1, reviewed=reviewed) as pool:
        outcomes = await pool.run_many(calls)
        cheap = await pool.run_many(numbers)
        # A call that imports a module with a 96 MB table, and needs it beside its packages.
        headroom = await pool.run(f"{BULKY}:headroom_mb", "headroom_mb", {})
    assert [o.result["value"] if o.ok else o for o in cheap] == [55, 12_586_269_025]
    assert headroom.ok, headroom
    assert headroom.result >= config.memory_mb - FORK_SLACK_MB
    wrong = [(a.name, o.reason, o.detail[:200]) for a, o in zip(heavy, outcomes, strict=True)
             if not o.ok or o.result != a.seed_result]  # fmt: skip
    assert wrong == []


def test_a_forks_limit_is_its_mapping_plus_the_calls_budget() -> None:
    assert limits.address_space_bytes("1000 200 30 1 0 50 0\n", 4096) == 4_096_000
    assert limits.call_address_space(300 * MB, 256) == 556 * MB


def test_only_a_process_that_runs_calls_itself_is_capped_at_memory_mb() -> None:
    config = SandboxConfig(memory_mb=256, template_memory_mb=1024)
    assert limits.worker_memory_mb(config) == 1024
    call = msgspec.structs.replace(config, isolation="call")
    assert limits.worker_memory_mb(call) == 1024
    process = msgspec.structs.replace(config, isolation="process")
    assert limits.worker_memory_mb(process) == 256


def test_a_template_cap_below_a_calls_budget_is_refused() -> None:
    with pytest.raises(ValueError, match="template_memory_mb"):
        SandboxConfig(memory_mb=1024, template_memory_mb=512)


def test_the_templates_default_cap_follows_memory_mb() -> None:
    assert limits.worker_memory_mb(SandboxConfig()) == 512 + TEMPLATE_ROOM_MB
    # A larger call budget alone is a valid config: its template gets room on top of it.
    assert limits.worker_memory_mb(SandboxConfig(memory_mb=4096)) == 4096 + TEMPLATE_ROOM_MB
