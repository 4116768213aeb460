"""``apigen-stream schemas``: write or check the JSON Schemas of the topics' records."""

from __future__ import annotations

import argparse
from importlib.resources import files
from pathlib import Path
from typing import Any

from apigen_stream.commands.options import common_options
from apigen_stream.errors import ConfigError
from apigen_stream.schemas import drift, schema_files

# Exit code of `schemas check` when files drift: a finding, not an error (2).
EXIT_DRIFT = 1


def add_parser(subparsers: Any) -> None:
    """Register ``schemas write`` and ``schemas check``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--dir", type=Path, default=Path("schemas"), help="schema directory (default: ./schemas)"
    )
    parser = subparsers.add_parser(
        "schemas",
        parents=[common_options(config_used=False)],
        help="JSON Schemas of every topic's records",
    )
    commands = parser.add_subparsers(dest="schemas_command", required=True, metavar="ACTION")
    write = commands.add_parser(
        "write",
        parents=[common, common_options(config_used=False)],
        help="(re)generate the schema files",
    )
    write.set_defaults(func=run_write)
    check = commands.add_parser(
        "check",
        parents=[common, common_options(config_used=False)],
        help="exit 1 if the files drifted",
    )
    check.set_defaults(func=run_check)


def read_existing(directory: Path) -> dict[str, str]:
    """The ``*.json`` files of ``directory`` by name (empty if it does not exist)."""
    return {path.name: path.read_text() for path in sorted(directory.glob("*.json"))}


def read_packaged() -> dict[str, str]:
    """The schema files shipped in the package, by name."""
    directory = files("apigen_stream") / "data" / "schemas"
    return {
        entry.name: entry.read_text()
        for entry in sorted(directory.iterdir(), key=lambda entry: entry.name)
        if entry.name.endswith(".json")
    }


def run_write(args: argparse.Namespace) -> int:
    """Write one file per topic; remove schema files of topics that no longer exist."""
    directory: Path = args.dir
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fresh = schema_files()
        for name in drift(read_existing(directory)):
            path = directory / name
            if name in fresh:
                path.write_text(fresh[name])
                print(f"wrote {path}")
            else:
                path.unlink()
                print(f"removed {path}")
    except OSError as exc:
        raise ConfigError(f"cannot write schemas to {directory}: {exc.strerror}") from None
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Print the drifted files and exit 1, or exit 0 when the files are current."""
    drifted = drift(read_existing(args.dir))
    for name in drifted:
        print(f"drifted {name}")
    if drifted:
        print("run `apigen-stream schemas write` to regenerate")
        return EXIT_DRIFT
    return 0
