"""The sandbox as a boundary: each attack is contained, and the next benign call is right.

These run the pool as the service runs it: started as root (as CI runs the suite), so the
workers drop to an unprivileged user inside their own namespaces. Without root the kernel
layers that need it are reported off, and the tests that prove them are skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import anyio
import msgspec
import pytest
import yaml

from apigen_stream.config import SandboxConfig, ServeConfig
from apigen_stream.engine.serve import publish_detail, serve_http
from apigen_stream.records import Outcome
from apigen_stream.sandbox.pool import FORK_SHARE, SandboxPool, runs_alone

pytestmark = pytest.mark.anyio

CHEAP = "tests.support.cheap_tools"
HOSTILE = "tests.support.hostile_tools"
# Users' tools each in a fork of their own: the level for tools nobody reviewed.
CONFIG = SandboxConfig(
    workers=1,
    timeout_s=5.0,
    memory_mb=512,
    cpu_s=10.0,
    max_result_bytes=100_000,
    user_isolation="call",
)
SECRET = "sk-test-" + uuid.uuid4().hex
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="the kernel layers need root (CI is)")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def cheap(name: str, **arguments: Any) -> tuple[str, str, dict[str, Any]]:
    return (f"{CHEAP}:{name}", name, arguments)


def hostile(name: str, **arguments: Any) -> tuple[str, str, dict[str, Any]]:
    return (f"{HOSTILE}:{name}", name, arguments)


async def attack_then_benign(
    *calls: tuple[str, str, dict[str, Any]],
    config: SandboxConfig = CONFIG,
    reviewed: frozenset[str] = frozenset(),
) -> tuple[list[Outcome], Outcome, Outcome]:
    """The attack's outcomes, a benign call in the same batch, and one in the next batch.

    The attack runs as a user's tool does by default (a fork of its own) unless it is listed
    as ``reviewed``, sharing a fork with the benign call as the built-in library's tools do.
    """
    async with SandboxPool(config, reviewed=reviewed) as pool:
        *attack, same_batch = await pool.run_many([*calls, cheap("add", a=20, b=22)])
        later = await pool.run(*cheap("subtract", a=10, b=3))
    assert same_batch.result == 42, same_batch
    assert later.result == 7, later
    return attack, same_batch, later


@as_root
async def test_the_parents_secrets_are_out_of_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    (direct, sweep), _, _ = await attack_then_benign(
        hostile("read_environ", pid=os.getpid()), hostile("sweep_environ")
    )
    # The service's pid does not exist in the worker's PID namespace.
    assert (direct.ok, direct.reason) == (False, "exception"), direct
    assert "No such file" in direct.detail
    assert sweep.ok, sweep
    assert SECRET not in sweep.result


@as_root
async def test_libc_system_is_stopped_by_the_kernel(open_dir: Path) -> None:
    marker = open_dir / "ran"
    (outcome,), _, _ = await attack_then_benign(hostile("libc_system", marker=str(marker)))
    assert outcome.reason == "sandbox_violation", outcome
    assert "seccomp" in outcome.detail
    assert not marker.exists()


async def test_switching_the_audit_hook_off_changes_nothing(open_dir: Path) -> None:
    marker = open_dir / "ran"
    (outcome,), _, _ = await attack_then_benign(hostile("unhook_then_spawn", marker=str(marker)))
    assert outcome.reason == "sandbox_violation", outcome
    assert not marker.exists()


@as_root
async def test_shadow_is_unreadable() -> None:
    (outcome,), _, _ = await attack_then_benign(hostile("read_file", path="/etc/shadow"))
    assert outcome.reason == "sandbox_violation", outcome
    assert "/etc/shadow" in outcome.detail


@as_root
async def test_nothing_is_written_outside_the_scratch_directory(open_dir: Path) -> None:
    target, raw = open_dir / "planted", open_dir / "planted-raw"
    (refused, unseen, scratch), _, _ = await attack_then_benign(
        hostile("write_file", path=str(target)),
        hostile("raw_write_file", path=str(raw)),
        hostile("write_scratch", filename="notes.txt"),
    )
    assert refused.reason == "sandbox_violation", refused
    assert "outside the scratch directory" in refused.detail
    # Past the audit hook (libc's open), the read-only mount refuses it: EROFS.
    assert unseen.ok and unseen.result == 30, unseen
    assert not target.exists() and not raw.exists()
    assert scratch.result == "notes.txt", scratch


@pytest.mark.parametrize("shared", [False, True], ids=["users-tool", "reviewed-tool"])
async def test_patching_the_executor_forges_nothing(shared: bool) -> None:
    reviewed = frozenset({f"{HOSTILE}:patch_executor", f"{CHEAP}:add"} if shared else ())
    (outcome,), same_batch, _ = await attack_then_benign(
        hostile("patch_executor"), reviewed=reviewed
    )
    assert outcome.reason == "sandbox_violation", outcome
    assert "executor" in outcome.detail
    assert same_batch.result != "forged"


async def test_a_thread_left_behind_forges_nothing() -> None:
    async with SandboxPool(CONFIG) as pool:
        outcomes = await pool.run_many(
            [hostile("leave_forger_thread"), *(cheap("add", a=i, b=1) for i in range(50))]
        )
        await anyio.sleep(0.1)  # time for the thread, had it survived, to write
        later = await pool.run_many([cheap("add", a=i, b=2) for i in range(50)])
    assert outcomes[0].reason == "sandbox_violation", outcomes[0]
    # Caught after the call returned, or, if the thread wrote first, by the template.
    assert "thread" in outcomes[0].detail or "out of turn" in outcomes[0].detail
    assert [o.result for o in outcomes[1:]] == [i + 1 for i in range(50)]
    assert [o.result for o in later] == [i + 2 for i in range(50)]


async def test_forging_the_results_of_later_calls_reaches_none() -> None:
    # A user's tool runs in a fork of its own: there are no later calls in it to forge.
    (outcome,), same_batch, _ = await attack_then_benign(hostile("forge_batch"))
    assert outcome.result == "forged", outcome
    assert same_batch.result == 42


@as_root  # without a PID namespace the template is in reach of the same signals
@pytest.mark.parametrize(
    "signals",
    [[signal.SIGSTOP], [signal.SIGINT, signal.SIGTERM, signal.SIGUSR1, signal.SIGSTOP]],
    ids=["stop", "interrupt-terminate-stop"],
)
async def test_signalling_the_fork_made_ahead_changes_no_later_call(signals: list[int]) -> None:
    # The next call's fork is made while this one runs, as the same user: stopping or
    # interrupting it must cost nothing (the template, PID 1 of the namespace, ignores them).
    attack = hostile("signal_other_processes", signals=[int(s) for s in signals])
    (outcome,), _, _ = await attack_then_benign(attack)
    assert outcome.ok, outcome
    assert len(outcome.result) >= 2, outcome  # the template and the fork made ahead


async def test_reviewed_tools_share_a_fork_and_users_tools_get_their_own() -> None:
    calls = [hostile("process_id") for _ in range(3)]
    async with SandboxPool(CONFIG, reviewed={f"{HOSTILE}:process_id"}) as pool:
        shared = await pool.run_many(calls)
    async with SandboxPool(CONFIG) as pool:
        alone = await pool.run_many(calls)
    assert len({o.result for o in shared}) == 1, shared
    assert len({o.result for o in alone}) == 3, alone


async def test_a_few_shared_calls_take_one_fork_and_many_are_spread_over_the_workers() -> None:
    # Two idle workers: a candidate's three calls cost one fork, not one per worker; a batch
    # with FORK_SHARE calls for each worker is shared between them.
    config = msgspec.structs.replace(CONFIG, workers=2)
    counted = hostile("calls_in_this_process")
    async with SandboxPool(config, reviewed={counted[0]}) as pool:
        few = await pool.run_many([counted] * 3)
        many = await pool.run_many([counted] * (2 * FORK_SHARE))
    assert [o.result for o in few] == [1, 2, 3], few
    assert sorted(o.result for o in many) == sorted([*range(1, FORK_SHARE + 1)] * 2), many


async def test_calls_of_callers_woken_together_share_one_fork() -> None:
    # As the Kafka runner's partition workers, fed by one fetch, call the pool in one turn.
    config = msgspec.structs.replace(CONFIG, workers=2)
    counted = hostile("calls_in_this_process")
    counts: list[int] = []

    async def call() -> None:
        counts.append((await pool.run(*counted)).result)

    async with SandboxPool(config, reviewed={counted[0]}) as pool, anyio.create_task_group() as tg:
        for _ in range(3):
            tg.start_soon(call)
    assert sorted(counts) == [1, 2, 3], counts


def test_isolation_follows_the_origin_of_the_tool() -> None:
    reviewed = frozenset({"boltons.strutils:slugify"})
    user = msgspec.structs.replace(CONFIG, user_isolation="batch")
    process = msgspec.structs.replace(CONFIG, isolation="process")
    assert runs_alone("mytools:lookup", reviewed, CONFIG)
    assert not runs_alone("boltons.strutils:slugify", reviewed, CONFIG)
    assert not runs_alone("apigen_stream.library.builtin.math:add", reviewed, CONFIG)
    assert not runs_alone("mytools:lookup", reviewed, user)
    assert not runs_alone("mytools:lookup", reviewed, process)


async def test_poisoning_sys_modules_breaks_no_later_call() -> None:
    (poison,), _, _ = await attack_then_benign(hostile("poison_modules", module="json"))
    assert poison.ok
    async with SandboxPool(CONFIG) as pool:
        outcomes = await pool.run_many(
            [hostile("poison_modules", module="json"), hostile("imports_json", value=5)]
        )
        later = await pool.run(*hostile("imports_json", value=6))
    assert outcomes[1].result == 5, outcomes[1]
    assert later.result == 6, later


async def test_a_300_mb_result_is_too_large_and_crashes_nothing() -> None:
    (outcome,), _, _ = await attack_then_benign(hostile("huge_result", megabytes=300))
    assert outcome.reason == "result_too_large", outcome
    assert str(CONFIG.max_result_bytes) in outcome.detail


@pytest.mark.parametrize("isolation", ["call", "process"])
async def test_every_level_contains_a_crash_and_a_violation(isolation: str) -> None:
    config = msgspec.structs.replace(CONFIG, isolation=isolation)
    (crash, refused), _, _ = await attack_then_benign(
        hostile("segfault"), hostile("shell_out", marker="/nonexistent/m"), config=config
    )
    assert (crash.reason, refused.reason) == ("exception", "sandbox_violation")


@as_root
async def test_every_layer_reports_what_it_enforced() -> None:
    async with SandboxPool(CONFIG) as pool:
        layers = pool.layers
    expected = {"user", "no_new_privs", "seccomp", "pid_namespace", "network", "filesystem"}
    assert {name for name, state in layers.items() if state.startswith("on")} >= expected
    assert layers["user"] == "on: uid 65534, gid 65534"


async def test_slow_calls_among_many_instant_ones_all_resolve_in_time() -> None:
    # A slow call's queued neighbours move to the other worker; the copies left behind must
    # neither pile up nor keep a moved call from resolving (this used to hang for good).
    config = msgspec.structs.replace(CONFIG, workers=2)
    slow = dict.fromkeys((40, 41, 42), 0.6) | dict.fromkeys((100, 101), 2.0)
    specs = [cheap("pause", seconds=slow[i], value=i) if i in slow else cheap("add", a=i, b=0)
             for i in range(300)]  # fmt: skip
    # The cheap tools stand for the reviewed library here: the mechanics under test are batches'.
    reviewed = {f"{CHEAP}:pause", f"{CHEAP}:add"}
    async with SandboxPool(config, reviewed=reviewed) as pool:
        started = time.perf_counter()
        with anyio.fail_after(20):
            outcomes = await pool.run_many(specs)
            row = await pool.run_many([cheap("pause", seconds=2.0, value=i) for i in range(4)])
        elapsed = time.perf_counter() - started
    assert [o.result for o in outcomes] == list(range(300))
    assert [o.result for o in row] == list(range(4))
    # The slow work is 5.8 s over two workers (3 s at best), then four 2 s calls over two (4 s):
    # about 7 s (7.4 s measured), with room for a loaded machine.
    assert elapsed < 12, elapsed


async def test_a_fork_that_lingers_after_its_last_answer_holds_up_no_later_batch() -> None:
    # The fork's results are all in: the template goes on at once. It used to wait for the
    # fork to exit, which this one never does (its sleep spends no CPU time, so no limit ends
    # it), and the next call timed out behind it.
    async with SandboxPool(CONFIG, reviewed={f"{HOSTILE}:linger_after_answering"}) as pool:
        lingered = await pool.run(*hostile("linger_after_answering", value=5))
        started = time.perf_counter()
        later = await pool.run(*cheap("subtract", a=10, b=3))
        elapsed = time.perf_counter() - started
    assert (lingered.result, later.result) == (5, 7), (lingered, later)
    assert elapsed < CONFIG.timeout_s / 2, elapsed


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A directory anyone may write to on the host, outside /tmp (the sandbox's own scratch)."""
    path = Path("/var/tmp") / f"apigen-sandbox-test-{uuid.uuid4().hex}"
    path.mkdir(mode=0o777)
    path.chmod(0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


async def test_readiness_shows_what_the_sandbox_enforces() -> None:
    async with SandboxPool(CONFIG) as pool:
        publish_detail("sandbox", pool.layers)
        async with (
            serve_http(ServeConfig(host="127.0.0.1", port=0), lambda: True) as address,
            aiohttp.ClientSession() as http,
            http.get(f"{address}/readyz") as response,
        ):
            lines = (await response.text()).splitlines()
    assert response.status == 200
    assert lines[0] == "ready"
    _, _, detail = next(line for line in lines if line.startswith("sandbox ")).partition(" ")
    assert json.loads(detail) == pool.layers
    assert json.loads(detail)["isolation"] == "on: batch"


def test_the_execute_pod_gets_no_llm_key() -> None:
    stages = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "stages.yaml"
    manifests = list(yaml.safe_load_all(stages.read_text()))
    pods = {m["metadata"]["name"]: m["spec"]["template"]["spec"] for m in manifests if m}
    env = {e["name"] for c in pods["apigen-execute"]["containers"] for e in c.get("env", [])}
    assert "OPENAI_API_KEY" not in env
    generate = pods["apigen-generate"]["containers"]
    assert "OPENAI_API_KEY" in {e["name"] for c in generate for e in c.get("env", [])}
