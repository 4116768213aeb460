"""``apigen-stream export``: accepted samples to a trainer's format.

From a topic (``--from-topic apigen.accepted --bootstrap B``: what is committed on it now) or
from a sink's dataset directory (``--from-files DIR``), to ``--to xlam`` (the
xlam-function-calling-60k rows), ``openai`` (fine-tuning chat JSON Lines) or ``sharegpt``
(Hermes-style ``<tool_call>`` conversations), one row per line in ``--out FILE``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import anyio

from apigen_stream.commands.options import common_options
from apigen_stream.config import load_config
from apigen_stream.errors import ConfigError, DatasetError
from apigen_stream.export import FORMATS, get_format
from apigen_stream.export.files import dataset_format, read_rows
from apigen_stream.records import Sample
from apigen_stream.services.topic_export import read_topic


def add_parser(subparsers: Any) -> None:
    """Register ``export``."""
    parser = subparsers.add_parser(
        "export",
        parents=[common_options()],
        help="write accepted samples in a trainer's format",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-topic", metavar="TOPIC", help="e.g. apigen.accepted")
    source.add_argument("--from-files", metavar="DIR", help="a sink's dataset directory")
    parser.add_argument("--bootstrap", help="Kafka bootstrap servers (with --from-topic)")
    parser.add_argument("--to", required=True, choices=[f for f in FORMATS if f != "sample"])
    parser.add_argument("--out", required=True, help="the output file (JSON Lines)")
    parser.add_argument("--limit", type=int, default=0, metavar="N", help="at most N samples")
    parser.set_defaults(func=run)


def samples_from_files(directory: str | Path, limit: int = 0) -> list[Sample]:
    """The samples of a dataset directory, read back from its own format."""
    fmt = get_format(dataset_format(directory))
    samples: list[Sample] = []
    for number, row in enumerate(read_rows(directory), start=1):
        if limit and len(samples) >= limit:
            break
        samples.append(fmt.from_row(row, str(number)))
    return samples


def write_rows(path: Path, fmt: str, samples: Iterable[Sample]) -> int:
    """Write ``samples`` in ``fmt``, one JSON row per line; returns how many."""
    to_row = get_format(fmt).to_row
    written = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for sample in samples:
            fh.write(json.dumps(to_row(sample), ensure_ascii=False) + "\n")
            written += 1
    return written


def run(args: argparse.Namespace) -> int:
    """Export; exit 0."""
    if args.from_files:
        samples = samples_from_files(args.from_files, args.limit)
    else:
        bootstrap = args.bootstrap or load_config(args.config).kafka.bootstrap
        if not bootstrap:
            raise ConfigError("--from-topic needs Kafka: give --bootstrap or kafka.bootstrap")
        read = anyio.run(read_topic, bootstrap, args.from_topic, args.limit)
        for where in read.skipped_at:
            print(f"skipped a record that is not a sample: {where}", file=sys.stderr)
        if read.skipped:
            print(f"skipped {read.skipped} undecodable record(s) in all", file=sys.stderr)
        samples = read.samples
    if not samples:
        raise DatasetError("no samples to export")
    count = write_rows(Path(args.out), args.to, samples)
    print(f"wrote {count} {args.to} rows to {args.out}")
    return 0
