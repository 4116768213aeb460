"""``apigen-stream apis``: list, show and call the tools of the API library; harvest and count.

``apis harvest TARGET... --out FILE`` turns installed packages' public functions into probed
tools (see ``library/harvest_run.py``) and prints the per-package report; ``apis stats`` prints
each category's count and share beside the paper's.

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

from apigen_stream.commands.options import common_options
from apigen_stream.config import Config, load_config
from apigen_stream.engine.embedded import DEFAULT_ATTEMPTS, DEFAULT_BACKOFF
from apigen_stream.engine.handling import make_handling
from apigen_stream.library import categories as cats
from apigen_stream.library import harvested
from apigen_stream.library.harvest_run import PackageReport, run_harvest
from apigen_stream.library.load import load_registry
from apigen_stream.library.registry import CATEGORIES, Api, Registry
from apigen_stream.library.validate import validate
from apigen_stream.records import Call, Candidate, DeadLetter, Executed, Outcome, Rejection
from apigen_stream.sampling import PAPER_CATEGORY_SHARES
from apigen_stream.stages import open_in_process
from apigen_stream.stages.stage import DictState

# Width of the name column in the plain listing: most tool names fit.
NAME_WIDTH = 32
# Characters of a description in the plain listing, to keep one tool per line.
DESCRIPTION_CHARS = 70


def add_parser(subparsers: Any) -> None:
    """Register ``apis`` and its ``list``, ``show``, ``call``, ``harvest`` and ``stats``."""
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
    harvest = commands.add_parser(
        "harvest", parents=[common_options()], help="probe installed packages' functions as tools"
    )
    harvest.add_argument("targets", nargs="+", metavar="TARGET", help="package or module name")
    harvest.add_argument("--out", required=True, help="the harvested library file to write")
    harvest.add_argument("--rules", default=str(cats.DEFAULT_RULES),
                         help="category rules and exclusions (TOML)")  # fmt: skip
    harvest.set_defaults(func=run_harvest_command)
    stats = commands.add_parser(
        "stats", parents=[common_options()], help="APIs per category, beside the paper's shares"
    )
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(func=run_stats)


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
        "seed_result": entry.seed_result,
        "generation": generation_note(entry),
        "version": entry.version,
    }


def generation_note(entry: Api) -> str:
    """How tasks over this tool get their queries: offline templates, or an LLM only."""
    if entry.templates:
        return "offline templates or an LLM"
    return "LLM generation only (no query templates; the offline generator does not offer it)"


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
    violation = validate(entry.parameters, arguments)
    if violation is not None:
        where = violation.json_path.removeprefix("$.").removeprefix("$") or "arguments"
        return _failed(entry.name, "invalid_arguments", f"{where}: {violation.message}")
    if not entry.executable:
        return _failed(entry.name, "not_executable", f"{entry.name!r} has a schema but no code")
    return None


async def execute(config: Config, entry: Api, arguments: dict[str, Any]) -> Outcome:
    """Run one validated call through the execute stage, with the pipeline's handling."""
    candidate = Candidate(
        id="apis-call", query="", calls=[Call(name=entry.name, arguments=arguments)],
        tools=[entry.tool()],
    )  # fmt: skip
    one_worker = msgspec.structs.replace(config.sandbox, workers=1)
    config = msgspec.structs.replace(config, sandbox=one_worker)
    async with open_in_process(config, ["execute"]) as (stage,):
        handling = make_handling(stage, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF)
        (sent,) = await handling.decoded(candidate, DictState({}))
    record = sent.record
    if isinstance(record, Rejection) and isinstance(record.subject, Executed):
        record = record.subject  # a failed call: its outcome says why
    if isinstance(record, Executed):
        return record.outcomes[0]
    if isinstance(record, DeadLetter | Rejection):
        return _failed(entry.name, record.reason, record.detail)
    return _failed(entry.name, "handler_error", f"the execute stage sent a {type(record)}")


def _failed(name: str, reason: str, detail: str) -> Outcome:
    return Outcome(name=name, ok=False, reason=reason, detail=detail)


def run_harvest_command(args: argparse.Namespace) -> int:
    """Harvest the targets into ``--out``; print the report; exit 1 when nothing was kept."""
    config = load_config(args.config)
    rules = cats.load_rules(args.rules)
    entries, reports, versions = anyio.run(run_harvest, args.targets, rules, config.sandbox)
    report = {package: r.as_dict() for package, r in reports.items()}
    harvested.write(args.out, entries, versions, report)
    print(report_table(reports))
    print(f"{len(entries)} APIs written to {args.out}")
    return 0 if entries else 1


def report_table(reports: dict[str, PackageReport]) -> str:
    """The harvest report as a Markdown table: candidates, kept, dropped by reason."""
    lines = ["| Package | Candidates | Kept | Dropped (by reason) |", "|---|---:|---:|---|"]
    for package, r in sorted(reports.items()):
        reasons = ", ".join(f"{k} {v}" for k, v in r.dropped.most_common())
        lines.append(f"| `{package}` | {r.candidates} | {r.kept} | {reasons or '-'} |")
    total = sum(r.candidates for r in reports.values()), sum(r.kept for r in reports.values())
    lines.append(f"| all | {total[0]} | {total[1]} | |")
    return "\n".join(lines)


def category_stats(registry: Registry) -> list[dict[str, Any]]:
    """Each category's API count and share of the library, beside the paper's share."""
    groups = registry.by_category()
    total = max(1, len(registry))
    names = [*CATEGORIES, *(c for c in groups if c not in CATEGORIES)]
    return [
        {"category": c, "apis": len(groups.get(c, [])),
         "share": round(100 * len(groups.get(c, [])) / total, 1),
         "paper_share": PAPER_CATEGORY_SHARES.get(c)}
        for c in names
    ]  # fmt: skip


def run_stats(args: argparse.Namespace) -> int:
    """Print counts and shares per category."""
    _, registry = _library(args)
    rows = category_stats(registry)
    if args.json:
        print(json.dumps({"count": len(registry), "categories": rows}, indent=2))
        return 0
    print(f"{'category':<14} {'APIs':>6} {'share %':>8} {'paper %':>8}")
    for row in rows:
        paper = "-" if row["paper_share"] is None else f"{row['paper_share']:.1f}"
        print(f"{row['category']:<14} {row['apis']:>6} {row['share']:>8.1f} {paper:>8}")
    print(f"{'all':<14} {len(registry):>6}")
    return 0
