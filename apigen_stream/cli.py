"""The ``apigen-stream`` command: the only module that touches argv and logging set-up."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from apigen_stream import __version__
from apigen_stream.commands import COMMAND_MODULES
from apigen_stream.commands.options import common_options
from apigen_stream.errors import ApigenError

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="apigen-stream",
        description="Continuously produce verified function-calling training data (APIGen).",
        parents=[common_options(top_level=True)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"apigen_stream.commands.{name}").add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, configure logging, run; errors become one line on stderr."""
    args = build_parser().parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    func: Command = args.func
    try:
        return func(args)
    except BaseException as exc:  # sorted by _exit_code; anything else is raised again
        return _exit_code(exc)


def _exit_code(exc: BaseException) -> int:
    """What a failure exits with: a user-caused error is one line on stderr and exit 2.

    Task groups wrap errors in exception groups; the error inside is the one to show.
    """
    error = _first(exc, ApigenError)
    if error is not None:
        print(f"apigen-stream: error: {error}", file=sys.stderr)
        return 2
    if _first(exc, KeyboardInterrupt) is not None:
        return 130
    raise exc


def _first(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """``exc`` or the first exception of type ``kind`` inside its (nested) groups."""
    if isinstance(exc, kind):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _first(inner, kind)
            if found is not None:
                return found
    return None


if __name__ == "__main__":
    sys.exit(main())
