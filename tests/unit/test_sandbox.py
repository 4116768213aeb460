"""The sandbox pool: keyword binding, no evaluation, and every hostile call contained."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import anyio
import msgspec
import pytest
from prometheus_client import REGISTRY

from apigen_stream.config import SandboxConfig
from apigen_stream.records import Outcome
from apigen_stream.sandbox import limits, protocol
from apigen_stream.sandbox.pool import SandboxPool
from apigen_stream.sandbox.results import encode_result, is_error_result, truncate_for_judge

pytestmark = pytest.mark.anyio

CHEAP = "tests.support.cheap_tools"
HOSTILE = "tests.support.hostile_tools"
# The cheap tools stand for the reviewed library here: their calls share a fork per batch.
CHEAP_TOOLS = ("subtract", "add", "join", "echo", "lookup", "fail", "odd_result", "pause")
REVIEWED = frozenset(f"{CHEAP}:{name}" for name in CHEAP_TOOLS)
TIMEOUT_S = 2.0
CONFIG = SandboxConfig(
    workers=2, timeout_s=TIMEOUT_S, memory_mb=256, cpu_s=10.0, max_result_bytes=100_000
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def cheap(name: str, **arguments: Any) -> tuple[str, str, dict[str, Any]]:
    return (f"{CHEAP}:{name}", name, arguments)


def hostile(name: str, **arguments: Any) -> tuple[str, str, dict[str, Any]]:
    return (f"{HOSTILE}:{name}", name, arguments)


async def burst_seconds(pool: SandboxPool, calls: int = 2000) -> float:
    """Wall time of a burst of cheap calls (best of three, to see through a noisy machine)."""
    best = float("inf")
    for _ in range(3):
        specs = [cheap("subtract", a=i, b=1) for i in range(calls)]
        started = time.perf_counter()
        outcomes = await pool.run_many(specs)
        best = min(best, time.perf_counter() - started)
        assert [o.result for o in outcomes] == [i - 1 for i in range(calls)]
    return best


async def test_arguments_bind_by_name_whatever_their_order() -> None:
    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        ordered, reordered = await pool.run_many(
            [cheap("subtract", a=10, b=3), (f"{CHEAP}:subtract", "subtract", {"b": 3, "a": 10})]
        )
    assert ordered.ok and reordered.ok
    assert ordered.result == reordered.result == 7


@pytest.mark.parametrize("text", ["__import__('os').getcwd()", "2024-12-25", "1010"])
async def test_strings_reach_the_function_unevaluated(text: str) -> None:
    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        outcome = await pool.run(*cheap("echo", value=text))
    assert outcome.ok
    assert outcome.result == {"value": text, "type": "str"}


@pytest.mark.parametrize("tool", ["shell_out", "spawn_process", "swallowed_shell"])
async def test_shelling_out_through_a_helper_is_refused(tool: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        outcome = await pool.run(*hostile(tool, marker=str(marker)))
        after = await pool.run(*cheap("add", a=1, b=2))
    assert outcome.reason == "sandbox_violation", outcome
    assert not marker.exists()
    assert after.result == 3


async def test_a_network_connection_is_refused_and_never_arrives() -> None:
    arrivals: list[bytes] = []

    async def serve(stream: anyio.abc.SocketStream) -> None:
        async with stream:
            arrivals.append(await stream.receive())

    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    async with listener, anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, serve)
        async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
            outcome = await pool.run(*hostile("phone_home", port=port))
        await anyio.sleep(0.2)  # time for a connection, had one been made, to show up
        tg.cancel_scope.cancel()
    assert outcome.reason == "sandbox_violation", outcome
    assert arrivals == []


@pytest.mark.parametrize("tool", ["hang", "busy_loop"])
async def test_a_hanging_call_times_out_without_holding_up_others(tool: str) -> None:
    finished: dict[int, float] = {}
    results: dict[int, Outcome] = {}

    async def cheap_call(i: int, started: float) -> None:
        results[i] = await pool.run(*cheap("add", a=i, b=i))
        finished[i] = time.perf_counter() - started

    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        started = time.perf_counter()
        async with anyio.create_task_group() as tg:
            tg.start_soon(_keep, results, -1, pool.run(*hostile(tool)))
            for i in range(40):
                tg.start_soon(cheap_call, i, started)
        total = time.perf_counter() - started
    assert results[-1].reason == "timeout"
    assert all(results[i].result == 2 * i for i in range(40))
    # The cheap calls ended long before the hung call's deadline, not after it.
    assert max(finished.values()) < TIMEOUT_S / 2
    assert total >= TIMEOUT_S


async def _keep(store: dict[int, Outcome], key: int, call: Awaitable[Outcome]) -> None:
    store[key] = await call


@pytest.mark.parametrize("tool", ["memory_bomb", "memory_creep"])
async def test_a_memory_bomb_hits_the_memory_limit(tool: str) -> None:
    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        outcome = await pool.run(*hostile(tool))
    assert outcome.reason == "memory_limit", outcome


async def test_a_fork_bomb_is_contained() -> None:
    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        outcome = await pool.run(*hostile("fork_bomb"))
        after = await pool.run_many([cheap("add", a=i, b=0) for i in range(100)])
    assert outcome.reason in {"exception", "sandbox_violation"}, outcome
    assert [o.result for o in after] == list(range(100))


async def test_a_huge_result_is_refused() -> None:
    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        outcome = await pool.run(*hostile("huge_result", megabytes=1))
    assert outcome.reason == "result_too_large"
    assert str(CONFIG.max_result_bytes) in outcome.detail


@pytest.mark.parametrize("isolation", ["batch", "process"])
@pytest.mark.parametrize(("tool", "words"), [("segfault", "SIGSEGV"), ("hard_exit", "status 3")])
async def test_a_crashing_worker_costs_its_call_only(tool: str, words: str, isolation: str) -> None:
    def replaced() -> float:
        value = REGISTRY.get_sample_value(
            "apigen_sandbox_workers_replaced_total", {"cause": "crash"}
        )
        return value or 0.0

    before = replaced()
    async with SandboxPool(msgspec.structs.replace(CONFIG, isolation=isolation)) as pool:
        outcomes = await pool.run_many(
            [hostile(tool), *(cheap("add", a=i, b=1) for i in range(50))]
        )
    assert outcomes[0].reason == "exception"
    assert words in outcomes[0].detail
    assert [o.result for o in outcomes[1:]] == [i + 1 for i in range(50)]
    # A batch's fork dies, not the worker: only the long-lived process is replaced.
    assert replaced() == before + (isolation == "process")


async def test_exceptions_and_unimportable_tools_are_reported() -> None:
    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        failed, missing, odd = await pool.run_many(
            [
                cheap("fail", message="bad input"),
                (f"{CHEAP}:no_such_function", "nope", {}),
                cheap("odd_result"),
            ]
        )
    assert (failed.reason, failed.detail) == ("exception", "ValueError: bad input")
    assert missing.reason == "not_executable"
    assert odd.ok
    assert odd.result == {"tags": ["a"], "when": "2024-12-25", "thing": "<opaque>"}


HOSTILE_CALLS = [
    hostile("hang"),
    hostile("memory_creep"),
    hostile("fork_bomb"),
    hostile("shell_out", marker="/nonexistent/marker"),
    hostile("phone_home", port=9),
    hostile("huge_result", megabytes=1),
    hostile("segfault"),
]


@pytest.mark.parametrize("call", HOSTILE_CALLS, ids=[c[1] for c in HOSTILE_CALLS])
async def test_throughput_recovers_after_a_hostile_call(
    call: tuple[str, str, dict[str, Any]],
) -> None:
    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        before = await burst_seconds(pool)
        outcome = await pool.run(*call)
        after = await burst_seconds(pool)
    assert not outcome.ok
    # A generous factor: the machine is shared, but a lost or stuck worker would show here.
    assert after < 5 * before, (before, after)


async def test_a_cancelled_batch_leaves_the_pool_usable() -> None:
    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        with anyio.move_on_after(0.2):
            await pool.run_many([hostile("hang"), *(cheap("add", a=1, b=1) for _ in range(5))])
        after = await pool.run(*cheap("add", a=2, b=2))
    assert after.result == 4


async def test_workers_lock_themselves_down() -> None:
    async with SandboxPool(CONFIG, reviewed=REVIEWED) as pool:
        applied = set(pool.limits)
    assert {"memory", "cpu", "file_size", "core", "audit_hook"} <= applied
    assert ("network" in applied) == pool.network_isolated


# -- pure parts --------------------------------------------------------------------------


def test_frames_split_only_when_complete() -> None:
    message = protocol.Retire(next_seq=7)
    data = protocol.frame(message) * 2
    buffer = bytearray(data[:-3])
    bodies = protocol.split_frames(buffer)
    assert [protocol.from_worker_decoder.decode(b) for b in bodies] == [message]
    buffer.extend(data[-3:])
    assert [protocol.from_worker_decoder.decode(b) for b in protocol.split_frames(buffer)] == [
        message
    ]
    assert buffer == bytearray()


@pytest.mark.parametrize(
    ("killed", "code", "expected"),
    [
        (4, -9, ("timeout", "timeout")),
        (None, -9, ("memory", "memory_limit")),
        (None, -24, ("timeout", "timeout")),
        (None, -11, ("crash", "exception")),
        (None, 3, ("crash", "exception")),
    ],
)
def test_exit_causes(killed: int | None, code: int, expected: tuple[str, str]) -> None:
    assert limits.exit_cause(killed, code, CONFIG)[:2] == expected


@pytest.mark.parametrize(
    ("event", "refused"),
    [("os.system", True), ("socket.connect", True), ("subprocess.Popen", True),
     ("open", False), ("import", False)],
)  # fmt: skip
def test_refused_audit_events(event: str, refused: bool) -> None:
    assert limits.is_refused(event) is refused


def test_results_are_json_safe_and_truncated_for_the_judge() -> None:
    assert msgspec.json.decode(encode_result({1: {2, 3}})) in ({"1": [2, 3]}, {"1": [3, 2]})
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    assert msgspec.json.decode(encode_result(cyclic)) == "[[...]]"
    long = truncate_for_judge({"text": "y" * 5000}, 100)
    assert len(long) == 100
    assert long.endswith("…[truncated]")
    assert truncate_for_judge("short", 100) == "short"


def test_error_payloads_are_recognised() -> None:
    assert is_error_result({"error": "not found"})
    assert not is_error_result({"error": None, "value": 1})
    assert not is_error_result(["error"])


async def test_preloaded_modules_may_do_at_import_what_tools_may_not() -> None:
    # croniter runs `file` through platform.architecture() when imported.
    cron = "apigen_stream.library.builtin.technology.software:cron_next_run_times"
    arguments = {"expression": "0 9 * * 1-5", "start": "2025-01-06T08:00", "count": 2}
    spec = (cron, "cron_next_run_times", arguments)
    bare = msgspec.structs.replace(CONFIG, workers=1, preload=[])
    async with SandboxPool(bare) as pool:
        (refused,) = await pool.run_many([spec])
    assert (refused.ok, refused.reason) == (False, "sandbox_violation")
    async with SandboxPool(msgspec.structs.replace(bare, preload=["croniter"])) as pool:
        (allowed,) = await pool.run_many([spec])
    assert allowed.ok, allowed.detail
    assert allowed.result["runs"] == ["2025-01-06T09:00", "2025-01-07T09:00"]


async def test_hanging_calls_in_one_batch_cost_a_bounded_number_of_workers() -> None:
    # Calls queued behind a slow call move to other workers; a hanging call among them must still
    # end as one timeout, not hop from worker to worker and take each one down with it.
    config = msgspec.structs.replace(CONFIG, timeout_s=0.5)
    replaced = (
        REGISTRY.get_sample_value("apigen_sandbox_workers_replaced_total", {"cause": "timeout"})
        or 0.0
    )
    specs = [hostile("hang") if i % 25 == 0 else cheap("add", a=i, b=i) for i in range(200)]
    async with SandboxPool(config, reviewed=REVIEWED) as pool:
        with anyio.fail_after(20):
            outcomes = await pool.run_many(specs)
    hangs = [o for i, o in enumerate(outcomes) if i % 25 == 0]
    assert [o.reason for o in hangs] == ["timeout"] * len(hangs)
    assert all(o.result == 2 * i for i, o in enumerate(outcomes) if i % 25)
    now = (
        REGISTRY.get_sample_value("apigen_sandbox_workers_replaced_total", {"cause": "timeout"})
        or 0.0
    )
    assert now - replaced <= 3 * len(hangs)


def warm(name: str, **arguments: Any) -> tuple[str, str, dict[str, Any]]:
    return (f"tests.support.warm_tools:{name}", name, arguments)


async def test_every_worker_runs_the_warm_up_before_it_takes_work() -> None:
    warm_up = [warm("warm", label="a"), warm("warm", label="b")]
    async with SandboxPool(CONFIG, warm_up=warm_up, reviewed=REVIEWED) as pool:
        outcomes = await pool.run_many([warm("warmed") for _ in range(40)])
        assert [o.result for o in outcomes] == [["a", "b"]] * 40
        (crash,) = await pool.run_many([hostile("segfault")])
        assert "SIGSEGV" in crash.detail
        # The replacement worker was warmed as well, before it took these calls.
        outcomes = await pool.run_many([warm("warmed") for _ in range(40)])
        assert [o.result for o in outcomes] == [["a", "b"]] * 40


async def test_a_failing_warm_up_call_is_ignored() -> None:
    warm_up = [cheap("subtract", a="x", b=1), warm("warm", label="after")]
    async with SandboxPool(CONFIG, warm_up=warm_up, reviewed=REVIEWED) as pool:
        (outcome,) = await pool.run_many([warm("warmed")])
    assert outcome.result == ["after"]


async def test_a_warm_up_that_hangs_costs_one_worker_and_the_rest_start_cold(
    caplog: pytest.LogCaptureFixture,
) -> None:
    warm_up = [hostile("hang"), warm("warm", label="never")]
    async with SandboxPool(CONFIG, warm_up=warm_up, reviewed=REVIEWED) as pool:
        outcomes = await pool.run_many([warm("warmed") for _ in range(20)])
    assert [o.result for o in outcomes] == [[]] * 20
    assert f"warm-up call 0 ran past the {TIMEOUT_S:g} s limit" in caplog.text
