"""``apigen-stream topics``: make the broker's topics what ``topics/topics.toml`` declares.

``topics apply`` creates missing topics and reports existing ones that differ (it never deletes
or alters: the report is for a person to act on); running it twice is safe. ``topics list``
prints the declared topics, and with ``--bootstrap`` the ones on the broker.
"""

from __future__ import annotations

import argparse
from typing import Any

import anyio

from apigen_stream.broker.admin import apply_topics, list_topic_names
from apigen_stream.commands.options import common_options
from apigen_stream.config import load_config
from apigen_stream.errors import ConfigError
from apigen_stream.topics import topic_specs

# Exit code of `topics apply` when existing topics differ from their declaration: distinct
# from errors (2) so that scripts can tell "broker unreachable" from "needs a person".
EXIT_DIFFERS = 1


def add_parser(subparsers: Any) -> None:
    """Register ``topics apply`` and ``topics list``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--bootstrap", default=None, help="Kafka bootstrap servers (default: kafka.bootstrap)"
    )
    common.add_argument(
        "--timeout", type=float, default=None, help="seconds to wait for the broker"
    )
    parser = subparsers.add_parser(
        "topics",
        parents=[common_options()],
        help="apply and list the declared topics (topics.toml)",
    )
    commands = parser.add_subparsers(dest="topics_command", required=True, metavar="ACTION")
    apply = commands.add_parser(
        "apply",
        parents=[common, common_options()],
        help="create missing topics, report differing ones",
    )
    apply.set_defaults(func=run_apply)
    listing = commands.add_parser(
        "list",
        parents=[common, common_options()],
        help="declared topics (and the broker's, with --bootstrap)",
    )
    listing.set_defaults(func=run_list)


def _broker(args: argparse.Namespace, required: bool) -> tuple[str, float]:
    config = load_config(args.config)
    bootstrap = args.bootstrap or config.kafka.bootstrap
    if required and not bootstrap:
        raise ConfigError("no Kafka bootstrap servers: pass --bootstrap or set kafka.bootstrap")
    timeout = args.timeout if args.timeout is not None else config.kafka.connect_timeout_s
    return bootstrap, timeout


def run_apply(args: argparse.Namespace) -> int:
    """Apply every declared topic; exit 1 if some existing topic differs."""
    bootstrap, timeout = _broker(args, required=True)
    report = anyio.run(apply_topics, bootstrap, topic_specs(), timeout)
    for line in report.lines():
        print(line)
    return EXIT_DIFFERS if report.differences else 0


def run_list(args: argparse.Namespace) -> int:
    """Print the declared topics; with a bootstrap, mark those missing on the broker."""
    bootstrap, timeout = _broker(args, required=False)
    present = set(anyio.run(list_topic_names, bootstrap, timeout)) if bootstrap else None
    for spec in topic_specs().values():
        state = "" if present is None else ("  present" if spec.name in present else "  missing")
        print(
            f"{spec.name:<24} partitions={spec.partitions} cleanup={spec.cleanup_policy} "
            f"retention_ms={spec.retention_ms} key={spec.key!r}{state}"
        )
    if present is not None:
        declared = {spec.name for spec in topic_specs().values()}
        for name in sorted(present - declared):
            print(f"{name:<24} (not declared in topics.toml)")
    return 0
