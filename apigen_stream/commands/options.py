"""The options every command takes the same way: ``--config FILE`` and ``-v``.

Each parser of the tree (the top level, each command, each action) gets its own copy, so
``apis list --config C.toml``, ``apis --config C.toml list`` and ``--config C.toml apis list``
all work. Defaults are suppressed below the top level: argparse copies a sub-parser's values over
its parent's, and a default there would reset an option given further up. The top-level parser
sets the real defaults (no file, no extra logging).
"""

from __future__ import annotations

import argparse

CONFIG_HELP = "TOML configuration file"
# kafka and schemas take --config too, so that scripts can pass one everywhere.
UNUSED_CONFIG_HELP = "accepted like everywhere else; this command reads no configuration"


def common_options(*, top_level: bool = False, config_used: bool = True) -> argparse.ArgumentParser:
    """A parent parser with ``--config`` and ``-v``/``--verbose``; a new one each call."""
    default_config = None if top_level else argparse.SUPPRESS
    default_verbose = 0 if top_level else argparse.SUPPRESS
    config_help = CONFIG_HELP if config_used else UNUSED_CONFIG_HELP
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--config", metavar="FILE", default=default_config, help=config_help)
    options.add_argument(
        "-v", "--verbose", action="count", default=default_verbose, help="more logging (-vv: debug)"
    )
    return options
