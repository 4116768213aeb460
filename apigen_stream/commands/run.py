"""``apigen-stream run``: one stage as a Kafka service, or the whole pipeline in one process.

``run --stage NAME --bootstrap B`` runs one stage as a service: a name from
``stages.STAGE_MODULES`` or an import path ``package.module:factory`` (a factory taking the
``Config`` and returning an async context manager of the stage). A module exposing
``open_service(config, options)`` instead of ``open_stage`` (a source such as the sampler, or a
sink) is run as that service. ``--samples`` (embedded: accepted samples), ``--tasks`` (the
sampler: tasks produced), ``--records`` (a stage or the sink: input records handled) and
``--idle-timeout`` make a run end by itself; ``--count`` is the count of whatever the run makes.
Without ``--stage`` and without Kafka, the whole pipeline runs embedded
(``apigen_stream.pipeline.main``).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import anyio
import msgspec

from apigen_stream.collector import collecting_rarely
from apigen_stream.commands.options import common_options
from apigen_stream.config import Config, checked, load_config
from apigen_stream.engine.partitions import StopCondition
from apigen_stream.engine.runner import StageRunner, run_service
from apigen_stream.engine.signals import leave_on_sigterm_until_serving
from apigen_stream.errors import ConfigError
from apigen_stream.run_options import RunOptions
from apigen_stream.spec import PIPELINE
from apigen_stream.stages import STAGE_MODULES

# Services that are not stages (no input topic of their own), by name: they expose
# ``open_service(config, options)``.
SERVICE_MODULES: dict[str, str] = {s.name: s.module for s in PIPELINE.services}

ServiceOpener = Callable[[Config, RunOptions], AbstractAsyncContextManager[Any]]
StageOpener = Callable[[Config], AbstractAsyncContextManager[Any]]


def add_parser(subparsers: Any) -> None:
    """Register ``run``."""
    parser = subparsers.add_parser(
        "run",
        parents=[common_options()],
        help="run one stage as a Kafka service, or the whole pipeline embedded",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--stage", help="stage name or package.module:factory")
    parser.add_argument("--bootstrap", help="Kafka bootstrap servers (default: config/env)")
    parser.add_argument("--replica-id", default="", help="distinguishes replicas on one host")
    parser.add_argument("--delivery", choices=["exactly_once", "at_least_once"])
    parser.add_argument("--metrics-port", type=int, help="port of /metrics (0: a free port)")
    parser.add_argument("--idle-timeout", type=float, default=0.0, metavar="S",
                        help="stop when no record arrived for S seconds")  # fmt: skip
    counts = parser.add_mutually_exclusive_group()
    counts.add_argument("--samples", type=int, default=0, metavar="N",
                        help="embedded: stop after N accepted samples")  # fmt: skip
    counts.add_argument("--tasks", type=int, default=0, metavar="N",
                        help="sampler: stop after producing N tasks")  # fmt: skip
    counts.add_argument("--records", type=int, default=0, metavar="N",
                        help="a stage or the sink: stop after N input records")  # fmt: skip
    counts.add_argument("--count", type=int, default=0, metavar="N",
                        help="N of what this run makes: samples, tasks or records")  # fmt: skip
    parser.add_argument("--rate", type=float, metavar="R",
                        help="sampler: tasks per second (0: no limit)")  # fmt: skip
    parser.add_argument("--out", help="output directory (embedded pipeline, sink)")
    parser.add_argument("--format", choices=["xlam", "openai", "sharegpt", "sample"],
                        help="format of --out (default: xlam; sink: sample)")  # fmt: skip
    parser.add_argument("--max-bytes", type=int, metavar="B", help="sink: rotate files at B bytes")
    parser.add_argument("--max-samples", type=int, metavar="N",
                        help="sink: rotate files at N samples")  # fmt: skip
    parser.set_defaults(func=run)


def options_of(args: argparse.Namespace) -> RunOptions:
    """The typed options of ``run``; ``--count`` becomes the count the run's kind makes."""
    for flag in ("count", "samples", "tasks", "records", "max_bytes", "max_samples"):
        if (getattr(args, flag) or 0) < 0:
            raise ConfigError(f"--{flag.replace('_', '-')} must not be negative")
    kind = "samples" if not args.stage else "tasks" if args.stage == "sampler" else "records"
    counts = {"samples": args.samples, "tasks": args.tasks, "records": args.records}
    if args.count:
        counts[kind] = args.count
    return RunOptions(
        out=args.out, format=args.format, max_bytes=args.max_bytes,
        max_samples=args.max_samples, idle_timeout_s=args.idle_timeout or 0.0, rate=args.rate,
        replica_id=args.replica_id or "", metrics_port=args.metrics_port, **counts,
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Run what the arguments ask for; returns the exit code."""
    options = options_of(args)
    config = checked(_configure(load_config(args.config), args))
    if args.stage:
        leave_on_sigterm_until_serving()
    if not args.stage:
        if config.kafka.bootstrap:
            raise ConfigError("with Kafka, run one stage per process: give --stage NAME")
        return _pipeline(options, config)
    module, attribute = _resolve(args.stage)
    opener = getattr(module, "open_service", None)
    if attribute is None and opener is not None:
        return anyio.run(_serve_service, opener, config, options)
    if not config.kafka.bootstrap:
        raise ConfigError(f"--stage {args.stage} needs Kafka: give --bootstrap or kafka.bootstrap")
    factory: StageOpener | None = getattr(module, attribute or "open_stage", None)
    if factory is None:
        raise ConfigError(f"{args.stage}: has neither open_stage nor open_service")
    return anyio.run(_serve_stage, factory, config, options)


def _configure(config: Config, args: argparse.Namespace) -> Config:
    kafka = config.kafka
    if args.bootstrap:
        kafka = msgspec.structs.replace(kafka, bootstrap=args.bootstrap)
    if args.delivery:
        kafka = msgspec.structs.replace(kafka, delivery=args.delivery)
    serve = config.serve
    if args.metrics_port is not None:
        serve = msgspec.structs.replace(serve, port=args.metrics_port)
    return msgspec.structs.replace(config, kafka=kafka, serve=serve)


def _resolve(spec: str) -> tuple[Any, str | None]:
    """The module of a stage or service, and the factory's name for an import path."""
    if ":" in spec:
        path, attribute = spec.split(":", 1)
    else:
        path = STAGE_MODULES.get(spec) or SERVICE_MODULES.get(spec) or ""
        attribute = None
        if not path:
            known = ", ".join([*STAGE_MODULES, *SERVICE_MODULES])
            raise ConfigError(f"unknown stage {spec!r}; the stages are: {known}")
    try:
        return importlib.import_module(path), attribute
    except ModuleNotFoundError as exc:
        raise ConfigError(f"{spec}: cannot import {path}: {exc}") from None


async def _serve_stage(factory: StageOpener, config: Config, options: RunOptions) -> int:
    until = StopCondition(count=options.records, idle_s=options.idle_timeout_s)
    async with factory(config) as stage:
        runner = StageRunner(stage, config, replica_id=options.replica_id, until=until)
        with collecting_rarely():  # the stage has loaded what it runs
            await run_service(runner, config.serve)
    return 0


async def _serve_service(opener: ServiceOpener, config: Config, options: RunOptions) -> int:
    async with opener(config, options) as service:
        with collecting_rarely():
            await run_service(service, config.serve)
    return 0


def _pipeline(options: RunOptions, config: Config) -> int:
    # Imported here: a stage service never loads the embedded pipeline.
    pipeline = importlib.import_module("apigen_stream.pipeline")
    code: int = pipeline.main(options, config)
    return code
