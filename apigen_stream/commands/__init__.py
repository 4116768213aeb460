"""Subcommands of ``apigen-stream``: one module each, with ``add_parser(subparsers)``.

Each ``add_parser`` registers its parser and sets ``func``: a callable taking the parsed
arguments and returning the process exit code.
"""

COMMAND_MODULES: tuple[str, ...] = (
    "run",
    "kafka",
    "topics",
    "schemas",
    "apis",
    "export",
    "verify",
    "up",
    "top",
)
