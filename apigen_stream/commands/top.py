"""``apigen-stream top``: a live view of a running pipeline, by stage.

For each stage: records in and out per second, records handled, the rejection rate and its top
reasons, dead letters, records behind (counted, not offsets: under exactly-once the commit
markers keep offset lag above 0), replicas, LLM requests, tokens and cost. Figures come from
the services' ``/metrics`` (``--targets FILE``: the file ``up`` writes; ``--metrics HOST:PORT``,
repeatable: services started by hand, or an embedded ``run --metrics-port P``) and, with
``--bootstrap``, from the pipeline's consumer groups. On a terminal the view redraws every
``--interval`` seconds; otherwise (or with ``--plain``) it prints one line per stage each time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import anyio
from rich.console import Console
from rich.live import Live

from apigen_stream.broker.backlog import group_states
from apigen_stream.commands.options import common_options
from apigen_stream.config import load_config
from apigen_stream.errors import ApigenError, ConfigError
from apigen_stream.services.scrape import endpoints_of, fetch_all
from apigen_stream.topview import Prices, StageRow, Totals, plain_lines, rows, table

# Seconds one count of records behind may take; past it the column shows the last figures.
BEHIND_TIMEOUT_S = 10.0


def add_parser(subparsers: Any) -> None:
    """Register ``top``."""
    parser = subparsers.add_parser(
        "top", help="a live view of a running pipeline, by stage",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common_options()],
    )  # fmt: skip
    parser.add_argument("--targets", type=Path, metavar="FILE",
                        help="Prometheus file_sd target file (as `up` writes)")  # fmt: skip
    parser.add_argument("--metrics", action="append", default=[], metavar="HOST:PORT",
                        help="a service's metrics endpoint (repeatable)")  # fmt: skip
    parser.add_argument("--bootstrap",
                        help="Kafka, for records behind (default: config/env)")  # fmt: skip
    parser.add_argument("--interval", type=float, default=2.0, metavar="S",
                        help="seconds between updates")  # fmt: skip
    parser.add_argument("--iterations", type=int, default=0, metavar="N",
                        help="stop after N updates (0: until Ctrl-C)")  # fmt: skip
    parser.add_argument("--plain", action="store_true", help="periodic lines even on a terminal")
    parser.add_argument("--prompt-price", type=float, default=0.0, metavar="USD",
                        help="US dollars per million prompt tokens, for the cost")  # fmt: skip
    parser.add_argument("--completion-price", type=float, default=0.0, metavar="USD",
                        help="US dollars per million completion tokens")  # fmt: skip
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Show the view until Ctrl-C or ``--iterations``."""
    if not args.targets and not args.metrics:
        raise ConfigError("top needs --targets FILE or --metrics HOST:PORT (or both)")
    if args.interval <= 0:
        raise ConfigError("--interval must be above 0")
    args.bootstrap = args.bootstrap or load_config(args.config).kafka.bootstrap
    anyio.run(_loop, args)
    return 0


class _Watch:
    """One round after another: metrics and backlogs in, rows out."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.prices = Prices(args.prompt_price, args.completion_price)
        self.last = Totals()
        self.last_at = time.monotonic()
        self.behind: dict[str, tuple[int, bool]] = {}

    async def round(self) -> list[StageRow]:
        endpoints = endpoints_of(self.args.targets, self.args.metrics)
        totals = Totals.of(await fetch_all(endpoints))
        if self.args.bootstrap:
            await self._count_behind(self.args.bootstrap)
        now = time.monotonic()
        found = rows(self.last, totals, now - self.last_at, behind=self.behind,
                     prices=self.prices)  # fmt: skip
        self.last, self.last_at = totals, now
        return found

    async def _count_behind(self, bootstrap: str) -> None:
        with anyio.move_on_after(BEHIND_TIMEOUT_S):
            try:
                states = await group_states(bootstrap)
            except ApigenError:
                return  # the broker is away: keep the last figures
            self.behind = {g: (s.behind, s.exact) for g, s in states.items()}


async def _loop(args: argparse.Namespace) -> None:
    watch = _Watch(args)
    await watch.round()  # the baseline of the first rates
    live = sys.stdout.isatty() and not args.plain
    done = 0
    console = Console()
    with Live(console=console, auto_refresh=False) if live else _NoLive() as view:
        while not args.iterations or done < args.iterations:
            await anyio.sleep(args.interval)
            found = await watch.round()
            stamp = time.strftime("%H:%M:%S")
            if isinstance(view, Live):
                view.update(table(f"apigen-stream top  {stamp}", found), refresh=True)
            else:
                print("\n".join(plain_lines(stamp, found)), flush=True)
            done += 1


class _NoLive:
    def __enter__(self) -> _NoLive:
        return self

    def __exit__(self, *exc: object) -> None:
        return None
