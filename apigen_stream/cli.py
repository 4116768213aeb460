"""The ``apigen-stream`` command: the only module that touches argv and logging set-up."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence

from apigen_stream import __version__
from apigen_stream.commands import COMMAND_MODULES
from apigen_stream.commands.options import common_options
from apigen_stream.engine.log_limit import limited_handler
from apigen_stream.errors import ApigenError

Command = Callable[[argparse.Namespace], int]


# Top-level options that take a value: the word after one is not the command.
_VALUED = frozenset({"--config"})
_HELP = frozenset({"-h", "--help"})


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand, or with the command ``only`` alone.

    A command's module imports what it runs (Kafka clients, the sandbox, HTTP): registering
    one command rather than all of them keeps the others' imports out of its start-up.
    """
    parser = argparse.ArgumentParser(
        prog="apigen-stream",
        description="Continuously produce verified function-calling training data (APIGen).",
        parents=[common_options(top_level=True)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES if only is None else (only,):
        importlib.import_module(f"apigen_stream.commands.{name}").add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, configure logging, run; errors become one line on stderr."""
    words = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(chosen_command(words)).parse_args(words)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[limited_handler()],
    )
    func: Command = args.func
    try:
        code = func(args)
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is handled below
        return code
    except BaseException as exc:  # sorted by _exit_code; anything else is raised again
        return _exit_code(exc)


def chosen_command(words: Sequence[str]) -> str | None:
    """The command ``words`` run, when that alone decides how they parse; else None.

    None (so every command is registered) when no known command comes first, or when help is
    asked for before it: the top-level help and usage errors list every command.
    """
    after_value = False
    for word in words:
        if after_value:
            after_value = False
        elif word in _HELP:
            return None
        elif word in _VALUED:
            after_value = True
        elif not word.startswith("-"):
            return word if word in COMMAND_MODULES else None
    return None


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
    if _first(exc, BrokenPipeError) is not None:
        # Whoever read stdout stopped (``| head``): end quietly, as Unix tools do, with the
        # status of a SIGPIPE; stdout goes to /dev/null so the final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
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
