"""``apigen-stream kafka``: a local single-node Kafka broker without Docker.

``kafka up`` fetches the pinned Kafka version's jars with Maven (once, into
``$APIGEN_KAFKA_CACHE`` or ``${XDG_CACHE_HOME:-~/.cache}/apigen-stream/kafka-<version>``), starts
one KRaft node on 127.0.0.1 and prints ``bootstrap=127.0.0.1:PORT``; the broker keeps running
after the command exits. ``kafka down`` stops it by the pid recorded in its data directory.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import anyio

from apigen_stream.broker.admin import apply_topics
from apigen_stream.broker.local import START_TIMEOUT_S, LocalKafka, default_cache_dir
from apigen_stream.commands.options import common_options
from apigen_stream.topics import topic_specs

# Exit code of `kafka status` when no broker runs from the data directory (as `systemctl
# status` does for a stopped unit), so scripts can test for it.
EXIT_NOT_RUNNING = 3


def default_data_dir() -> Path:
    """Where ``kafka up`` keeps the broker's data unless ``--data-dir`` says otherwise."""
    return Path.home() / ".local" / "state" / "apigen-stream" / "kafka"


def add_parser(subparsers: Any) -> None:
    """Register ``kafka up``, ``kafka down`` and ``kafka status``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=Path, default=None, help=f"broker data (default: {_home_relative()})"
    )
    parser = subparsers.add_parser(
        "kafka",
        parents=[common_options(config_used=False)],
        help="a local Kafka broker without Docker",
    )
    commands = parser.add_subparsers(dest="kafka_command", required=True, metavar="ACTION")
    up = commands.add_parser(
        "up",
        parents=[common, common_options(config_used=False)],
        help="start the broker, print bootstrap=",
    )
    up.add_argument("--port", type=int, default=0, help="broker port (default: a free one)")
    up.add_argument("--timeout", type=float, default=START_TIMEOUT_S, help="seconds to start")
    up.add_argument("--apply-topics", action="store_true", help="also create the declared topics")
    up.set_defaults(func=run_up)
    down = commands.add_parser(
        "down",
        parents=[common, common_options(config_used=False)],
        help="stop the broker by its pid",
    )
    down.set_defaults(func=run_down)
    status = commands.add_parser(
        "status", parents=[common, common_options(config_used=False)], help="is the broker running"
    )
    status.set_defaults(func=run_status)


def _home_relative() -> str:
    return "~/" + str(default_data_dir().relative_to(Path.home()))


def _broker(args: argparse.Namespace, port: int = 0) -> LocalKafka:
    data_dir = args.data_dir or default_data_dir()
    return LocalKafka(data_dir, port=port, cache_dir=default_cache_dir(os.environ))


def run_up(args: argparse.Namespace) -> int:
    """Start (or find running) the broker and print ``bootstrap=127.0.0.1:PORT``."""
    broker = _broker(args, args.port)
    bootstrap = broker.start(args.timeout)
    broker.detach()
    if args.apply_topics:
        report = anyio.run(apply_topics, bootstrap, topic_specs())
        for line in report.lines():
            print(line)
    print(f"bootstrap={bootstrap}", flush=True)
    return 0


def run_down(args: argparse.Namespace) -> int:
    """Stop the broker of the data directory (SIGTERM, then SIGKILL); fine if none runs."""
    broker = _broker(args)
    pid = broker.pid()
    broker.stop()
    print(f"stopped pid={pid}" if pid is not None else "not running")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """Print ``bootstrap=... pid=...`` when running; exit 3 when not."""
    broker = _broker(args)
    pid = broker.pid()
    if pid is None:
        print("not running")
        return EXIT_NOT_RUNNING
    print(f"bootstrap={broker.bootstrap} pid={pid}")
    return 0
