"""``apigen-stream up``: the whole topology on this machine in one command.

Starts a local Kafka broker (unless ``--bootstrap`` names one) and the topics, then every
service as its own process: the sampler (``--count``/``--rate`` are its), each stage with the
replicas ``--replicas`` asks for (``execute=3,generate=2``; one each by default), and the sink
writing under ``--out``. It supervises them: a process that exits is restarted with backoff,
and ``up`` says so on stderr. It prints every metrics endpoint and writes them to a Prometheus
``file_sd`` target file (``--targets``, default ``OUT/targets.json``). With ``--count``, it
stops once every task went through (``--stay``: keep running); SIGTERM or Ctrl-C stop it at any
time: every process drains and commits, and nothing it started is left running.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import anyio

from apigen_stream.broker.local import default_cache_dir
from apigen_stream.commands.options import common_options
from apigen_stream.config import load_config
from apigen_stream.services.stack import UpOptions, run_up
from apigen_stream.services.topology import parse_replicas


def add_parser(subparsers: Any) -> None:
    """Register ``up``."""
    parser = subparsers.add_parser(
        "up",
        help="run the whole topology on this machine: broker, every stage, the sink",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common_options()],
    )
    parser.add_argument("--out", required=True, help="dataset directory the sink writes")
    parser.add_argument("--bootstrap", help="an existing Kafka (default: start a local one)")
    parser.add_argument("--replicas", default="", metavar="STAGE=N,...",
                        help="replicas per stage, e.g. execute=3,generate=2")  # fmt: skip
    parser.add_argument("--count", type=int, default=0, metavar="N",
                        help="sampler: N tasks, then stop once they went through")  # fmt: skip
    parser.add_argument("--rate", type=float, metavar="R", help="sampler: tasks per second")
    parser.add_argument("--stay", action="store_true",
                        help="with --count: keep running once the tasks went through")  # fmt: skip
    parser.add_argument("--targets", type=Path, metavar="FILE",
                        help="Prometheus file_sd targets (default: OUT/targets.json)")  # fmt: skip
    parser.add_argument("--logs", type=Path, metavar="DIR",
                        help="one log file per process (default: OUT/logs)")  # fmt: skip
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``up`` as the arguments ask; returns the exit code."""
    # Loaded here too, so that a bad file is one line now, not a crash loop of every process.
    config = load_config(args.config)
    bootstrap = args.bootstrap or config.kafka.bootstrap
    options = UpOptions(
        out=Path(args.out), replicas=parse_replicas(args.replicas), bootstrap=bootstrap,
        config=str(Path(args.config).resolve()) if args.config else None, count=args.count,
        rate=args.rate, stay=args.stay, targets_file=args.targets, logs=args.logs,
        cache_dir=default_cache_dir(os.environ), env=dict(os.environ),
    )  # fmt: skip
    code: int = anyio.run(run_up, options)
    return code
