"""``apigen-stream up``'s run: broker, topics, every service as a child process, then stop.

Without a bootstrap, a ``LocalKafka`` is started in a temporary directory and removed at the
end. The children's metrics endpoints are written to a ``file_sd`` target file (atomically)
that Prometheus re-reads by itself; it is emptied at the end, so that Prometheus drops them.
With a count and without ``stay``, the run ends once the sampler finished and every group has
0 records behind twice in a row (``DRAIN_CHECKS``); else at SIGTERM or Ctrl-C. Either way the
children are SIGTERMed (they drain and commit) and the broker, if started here, is stopped.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from aiokafka.errors import KafkaError

from apigen_stream.broker.admin import apply_topics
from apigen_stream.broker.backlog import GroupState, group_states
from apigen_stream.broker.local import LocalKafka, free_port
from apigen_stream.engine.signals import stop_on_signals
from apigen_stream.errors import ApigenError
from apigen_stream.services.supervisor import ChildFailing, Supervisor
from apigen_stream.services.topology import drained, plan, targets
from apigen_stream.topics import topic_specs

log = logging.getLogger(__name__)

# Seconds between supervision rounds: a crashed child is noticed within this.
TICK_S = 0.2
# Seconds between backlog counts once the sampler finished.
DRAIN_INTERVAL_S = 1.0
# Counts in a row that must find nothing behind: one could fall between a stage's fetch and
# its commit only if the stage had not yet fetched, which a second count a second later sees.
DRAIN_CHECKS = 2
# Seconds one count of records behind may take before it is given up (and tried again).
COUNT_TIMEOUT_S = 15.0


@dataclass
class UpOptions:
    """What ``up`` was asked for."""

    out: Path
    replicas: Mapping[str, int]
    bootstrap: str = ""
    config: str | None = None
    count: int = 0
    rate: float | None = None
    stay: bool = False
    targets_file: Path | None = None
    logs: Path | None = None
    cache_dir: Path | None = None
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


def say(text: str) -> None:
    """A status line on stderr."""
    print(f"up: {text}", file=sys.stderr, flush=True)


def write_targets(path: Path, document: list[dict[str, Any]]) -> None:
    """Replace the target file atomically: Prometheus never reads half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n")
    temporary.replace(path)


def _ports() -> Iterator[int]:
    taken: set[int] = set()
    while True:
        port = free_port()
        if port not in taken:
            taken.add(port)
            yield port


async def run_up(options: UpOptions) -> int:
    """Bring the topology up, supervise it, stop it; returns the exit code."""
    broker, data_dir = None, None
    bootstrap = options.bootstrap
    if not bootstrap:
        data_dir = Path(tempfile.mkdtemp(prefix="apigen-up-kafka-"))
        broker = LocalKafka(data_dir, cache_dir=options.cache_dir)
        say("starting a local Kafka broker")
        bootstrap = await anyio.to_thread.run_sync(broker.start)
    try:
        print(f"bootstrap={bootstrap}", flush=True)
        await apply_topics(bootstrap, topic_specs())
        return await _supervise(options, bootstrap)
    finally:
        if broker is not None:
            say("stopping the Kafka broker")
            await anyio.to_thread.run_sync(broker.stop)
        if data_dir is not None:
            shutil.rmtree(data_dir, ignore_errors=True)


async def _supervise(options: UpOptions, bootstrap: str) -> int:
    out = options.out.resolve()
    specs = plan(
        options.replicas, python=sys.executable, bootstrap=bootstrap, out=out, ports=_ports(),
        config=options.config, count=options.count, rate=options.rate,
    )  # fmt: skip
    target_file = options.targets_file or out / "targets.json"
    write_targets(target_file, targets(specs))
    for spec in specs:
        print(f"metrics {spec.name} http://127.0.0.1:{spec.port}/metrics", flush=True)
    print(f"targets={target_file}", flush=True)
    supervisor = Supervisor(specs, options.logs or out / "logs", say, env=options.env)
    failure: ChildFailing | None = None
    try:
        supervisor.start()
        say(f"started {len(specs)} processes; logs in {supervisor.log_dir}")
        async with anyio.create_task_group() as tg:
            # A signal cancels the watch wherever it waits (a backlog count included).
            tg.start_soon(stop_on_signals, tg.cancel_scope.cancel)
            # A crash loop is raised below, outside the task group: one line, not a group.
            failure = await _watch(supervisor, options, bootstrap)
            tg.cancel_scope.cancel()
    finally:
        say("stopping")
        killed = await anyio.to_thread.run_sync(supervisor.stop)
        if killed:
            say(f"killed after the grace period: {', '.join(killed)}")
        write_targets(target_file, [])
    say("stopped")
    if failure is not None:
        raise failure
    return 0


async def _watch(supervisor: Supervisor, options: UpOptions, bootstrap: str) -> ChildFailing | None:
    """Supervise until drained (with a count) or cancelled; a crash loop ends it too."""
    failure: ChildFailing | None = None
    async with anyio.create_task_group() as tg:

        async def supervise() -> None:
            # Its own task: a slow backlog count never delays a restart.
            nonlocal failure
            try:
                while True:
                    supervisor.check(time.monotonic())
                    await anyio.sleep(TICK_S)
            except ChildFailing as exc:
                failure = exc
                tg.cancel_scope.cancel()

        tg.start_soon(supervise)
        await _until_drained(supervisor, options, bootstrap)
        tg.cancel_scope.cancel()
    return failure


async def _until_drained(supervisor: Supervisor, options: UpOptions, bootstrap: str) -> None:
    samplers = [c for c in supervisor.children if c.spec.service == "sampler"]
    if not options.count or not samplers:
        await anyio.sleep_forever()
    clean = 0
    while clean < DRAIN_CHECKS:
        await anyio.sleep(DRAIN_INTERVAL_S)
        if all(c.done for c in samplers):
            clean = clean + 1 if drained(await _states(bootstrap)) else 0
    if not options.stay:
        say("drained: every record handled")
        return
    say("drained: every record handled; staying up until SIGTERM or Ctrl-C")
    await anyio.sleep_forever()


async def _states(bootstrap: str) -> list[GroupState]:
    """The groups' records behind; none when the broker did not answer in time."""
    with anyio.move_on_after(COUNT_TIMEOUT_S):
        try:
            return list((await group_states(bootstrap)).values())
        except (KafkaError, ApigenError) as exc:
            log.warning("counting records behind failed, trying again: %r", exc)
    return []
