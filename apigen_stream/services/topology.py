"""What ``apigen-stream up`` runs: one process per service replica, and where their metrics are.

Pure planning, no I/O: ``parse_replicas`` reads ``--replicas execute=3,generate=2`` (and
``sampler=0``: no sampler, the tasks come from elsewhere); ``plan``
turns it into the child processes (the sampler, every stage's replicas, the sink), each with
its own metrics port; ``targets`` is the Prometheus ``file_sd`` document of their endpoints;
``drained`` says when a run with a count is over.

A stage's first replica runs without ``--replica-id``, so its static member id is the host's
(``runner.group_instance_id``), the same as a stage started by hand; further replicas are
``--replica-id 2``, ``3``, ... Target labels are ``service`` and ``replica``, never ``stage``:
a target label would shadow the metrics' own ``stage`` label.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from apigen_stream.broker.backlog import GroupState
from apigen_stream.errors import ConfigError
from apigen_stream.services.supervisor import ChildSpec
from apigen_stream.spec import PIPELINE
from apigen_stream.stages import STAGE_MODULES

SERVICES = PIPELINE.processes
# Replicas of one stage on one machine, at most: beyond this a typo, not a plan.
MAX_REPLICAS = 32


def parse_replicas(text: str) -> dict[str, int]:
    """``execute=3,generate=2`` as ``{"execute": 3, "generate": 2}``; ConfigError if wrong."""
    replicas: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, number = item.partition("=")
        if item == "sampler=0":
            replicas["sampler"] = 0  # tasks come from elsewhere
            continue
        if not sep or name not in STAGE_MODULES:
            known = ", ".join(STAGE_MODULES)
            raise ConfigError(f"--replicas: {item!r} is not STAGE=N with a stage of: {known}"
                              " (or sampler=0)")  # fmt: skip
        if not number.isdigit() or not 1 <= int(number) <= MAX_REPLICAS:
            raise ConfigError(f"--replicas: {item!r}: N must be 1 to {MAX_REPLICAS}")
        replicas[name] = int(number)
    return replicas


def plan(
    replicas: Mapping[str, int], *, python: str, bootstrap: str, out: Path, ports: Iterator[int],
    config: str | None = None, count: int = 0, rate: float | None = None,
) -> list[ChildSpec]:  # fmt: skip
    """Every child of the topology, in start order."""
    specs = []
    for service in SERVICES:
        copies = replicas.get(service, 1)
        for number in range(1, copies + 1):
            argv = [python, "-m", "apigen_stream.cli", "run", "--stage", service,
                    "--bootstrap", bootstrap]  # fmt: skip
            port = next(ports)
            argv += ["--metrics-port", str(port)]
            if config:
                argv += ["--config", config]
            if number > 1:
                argv += ["--replica-id", str(number)]
            argv += _service_args(service, out, count, rate)
            name = f"{service}-{number}"
            finishes = service == "sampler" and count > 0
            specs.append(ChildSpec(name, service, str(number), argv, port, finishes=finishes))
    return specs


def _service_args(service: str, out: Path, count: int, rate: float | None) -> list[str]:
    if service == "sampler":
        args = ["--count", str(count)] if count else []
        return args + (["--rate", f"{rate:g}"] if rate is not None else [])
    if service == "sink":
        return ["--out", str(out)]
    return []


def targets(specs: Iterable[ChildSpec], host: str = "127.0.0.1") -> list[dict[str, Any]]:
    """The Prometheus ``file_sd`` document: one target group per child."""
    return [
        {"targets": [f"{host}:{s.port}"], "labels": {"service": s.service, "replica": s.replica}}
        for s in specs
    ]


def drained(states: Sequence[GroupState]) -> bool:
    """Whether no group has a record left to handle (counted exactly)."""
    return bool(states) and all(s.behind == 0 and s.exact for s in states)
