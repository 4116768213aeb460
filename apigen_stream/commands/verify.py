"""``apigen-stream verify FILE``: the pipeline's checks over an existing dataset.

Reads xlam rows (JSON or JSON Lines), OpenAI chat JSON Lines, or a BFCL question file with its
ground truths, streamed; runs the chosen stages (``--stages format,execute,semantic``); writes
``DIR/accepted.jsonl`` and ``DIR/rejected.jsonl`` as it goes (every row keeps its input id; a
rejection carries ``stage``, ``reason`` and ``detail``; a row that cannot be read is rejected as
``read``/``unreadable_row``) and prints the counts per stage and reason.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import anyio

from apigen_stream.collector import collecting_rarely
from apigen_stream.commands.options import common_options
from apigen_stream.config import load_config
from apigen_stream.datasets import INPUT_FORMATS, Dataset
from apigen_stream.errors import ConfigError
from apigen_stream.verify import (
    ProgressBar,
    Results,
    parse_stages,
    table,
    verify_to,
)


def add_parser(subparsers: Any) -> None:
    """Register ``verify``."""
    parser = subparsers.add_parser(
        "verify",
        parents=[common_options()],
        help="run the checks over an existing dataset file",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="the dataset: xlam JSON/JSONL, OpenAI chat JSONL, BFCL")
    parser.add_argument("--stages", default="format", help="comma-separated (default: format)")
    parser.add_argument("--out", required=True, help="directory for accepted/rejected.jsonl")
    parser.add_argument("--input-format", choices=INPUT_FORMATS, help="default: detected")
    parser.add_argument("--answers", help="BFCL ground-truth file (default: possible_answer/)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Verify the file; exit 0 when it was checked (rejections are results, not errors)."""
    config = load_config(args.config)
    names = parse_stages(args.stages)
    out = Path(args.out)
    if out.exists() and not out.is_dir():  # found now, not after every row was checked
        raise ConfigError(f"--out {out}: exists and is not a directory")
    dataset = Dataset(args.file, args.input_format, args.answers)
    bar = ProgressBar(dataset.size)
    try:
        results = Results(out)
    except OSError as exc:
        raise ConfigError(f"--out {out}: cannot write: {exc.strerror}") from None
    with results, collecting_rarely():
        anyio.run(verify_to, config, dataset, names, results, bar, lambda: dataset.position)
    print(table(results.counts, results.rows, names))
    print(f"wrote {results.accepted} and {results.rejected}")
    return 0
