"""``apigen-stream apis``: list, show and call the tools of the API library.

``apis call`` validates the arguments against the tool's schema, then runs the call as the
execute stage would: Python tools in the sandbox pool, REST tools through the REST executor with
credentials from the environment. It prints the outcome as JSON and exits 1 when the call failed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from typing import Any

import anyio
import msgspec
from jsonschema import Draft202012Validator

from apigen_stream.commands.options import common_options
from apigen_stream.config import Config, load_config
from apigen_stream.library.load import load_registry
from apigen_stream.library.registry import Api, Registry
from apigen_stream.records import Outcome
from apigen_stream.sandbox.pool import SandboxPool
from apigen_stream.sandbox.rest import RestExecutor
from apigen_stream.sandbox.results import is_error_result

# Width of the name column in the plain listing: most tool names fit.
NAME_WIDTH = 32
# Characters of a description in the plain listing, to keep one tool per line.
DESCRIPTION_CHARS = 70


def add_parser(subparsers: Any) -> None:
    """Register ``apis`` and its ``list``, ``show`` and ``call`` subcommands."""
    parser = subparsers.add_parser(
        "apis", parents=[common_options()], help="list, show and call the library's tools"
    )
    commands = parser.add_subparsers(dest="apis_command", required=True, metavar="ACTION")
    listing = commands.add_parser("list", parents=[common_options()], help="the tools, by category")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument("--category", default=None, help="only this category")
    listing.set_defaults(func=run_list)
    show = commands.add_parser(
        "show", parents=[common_options()], help="one tool: schema, templates, examples, version"
    )
    show.add_argument("name")
    show.set_defaults(func=run_show)
    call = commands.add_parser(
        "call", parents=[common_options()], help="run one call in the sandbox"
    )
    call.add_argument("name")
    call.add_argument("--args", default="{}", help="the arguments as a JSON object")
    call.set_defaults(func=run_call)


def _library(args: argparse.Namespace) -> tuple[Config, Registry]:
    config = load_config(args.config)
    return config, load_registry(config.library, os.environ)


def listing(registry: Registry, category: str | None = None) -> dict[str, Any]:
    """The ``apis list --json`` document: ``count``, ``categories`` and ``apis`` (each with its
    query ``templates`` and seed ``examples``)."""
    chosen = [a for a in registry if category is None or a.category == category]
    categories: dict[str, int] = {}
    for group, members in registry.by_category().items():
        if category is None or group == category:
            categories[group] = len(members)
    apis = [
        {"name": a.name, "category": a.category, "kind": a.kind, "description": a.description,
         "version": a.version, "templates": list(a.templates),
         "examples": msgspec.to_builtins(list(a.examples))}
        for a in chosen
    ]  # fmt: skip
    return {"count": len(chosen), "categories": categories, "apis": apis}


def describe(entry: Api) -> dict[str, Any]:
    """Everything about one tool, as ``apis show`` prints it."""
    return {
        "name": entry.name,
        "category": entry.category,
        "kind": entry.kind,
        "description": entry.description,
        "parameters": entry.parameters,
        "target": entry.target,
        "rest": dataclasses.asdict(entry.rest) if entry.rest else None,
        "templates": list(entry.templates),
        "examples": msgspec.to_builtins(list(entry.examples)),
        "version": entry.version,
    }


def run_list(args: argparse.Namespace) -> int:
    """Print the tools, as JSON or one per line."""
    _, registry = _library(args)
    document = listing(registry, args.category)
    if args.json:
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    for entry in document["apis"]:
        text = entry["description"][:DESCRIPTION_CHARS]
        print(f"{entry['name']:<{NAME_WIDTH}} {entry['category']:<14} {entry['kind']:<7} {text}")
    print(f"{document['count']} tools in {len(document['categories'])} categories")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one tool as JSON."""
    _, registry = _library(args)
    print(json.dumps(describe(registry.get(args.name)), indent=2, ensure_ascii=False))
    return 0


def run_call(args: argparse.Namespace) -> int:
    """Validate and run one call; print its outcome; exit 1 when it failed."""
    config, registry = _library(args)
    entry = registry.get(args.name)
    outcome = check_arguments(entry, args.args)
    if outcome is None:
        arguments = json.loads(args.args)
        outcome = anyio.run(execute, config, entry, arguments)
    print(msgspec.json.format(msgspec.json.encode(outcome), indent=2).decode())
    if not outcome.ok:
        print(f"apigen-stream: call failed: {outcome.reason}: {outcome.detail}", file=sys.stderr)
        return 1
    return 0


def check_arguments(entry: Api, text: str) -> Outcome | None:
    """The failed outcome of arguments that are not JSON or break the schema, else None."""
    try:
        arguments = json.loads(text)
    except json.JSONDecodeError as exc:
        return _failed(entry.name, "invalid_arguments", f"--args is not JSON: {exc.msg}")
    if not isinstance(arguments, dict):
        return _failed(entry.name, "invalid_arguments", "--args must be a JSON object")
    error = next(iter(Draft202012Validator(entry.parameters).iter_errors(arguments)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "arguments"
        return _failed(entry.name, "invalid_arguments", f"{where}: {error.message}")
    if not entry.executable:
        return _failed(entry.name, "not_executable", f"{entry.name!r} has a schema but no code")
    return None


async def execute(config: Config, entry: Api, arguments: dict[str, Any]) -> Outcome:
    """Run one validated call as the execute stage does."""
    if entry.kind == "rest":
        async with RestExecutor.from_config(config.sandbox, os.environ) as rest:
            return await rest.run(entry, arguments)
    async with SandboxPool(msgspec.structs.replace(config.sandbox, workers=1)) as pool:
        outcome = await pool.run(entry.target, entry.name, arguments)
    if outcome.ok and is_error_result(outcome.result):
        detail = json.dumps(outcome.result)
        return msgspec.structs.replace(outcome, ok=False, reason="error_result", detail=detail)
    return outcome


def _failed(name: str, reason: str, detail: str) -> Outcome:
    return Outcome(name=name, ok=False, reason=reason, detail=detail)
