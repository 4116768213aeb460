"""``apis harvest``: walk the targets, probe every candidate in the sandbox, write the library.

The report counts, per package, the public functions seen (``candidates``), those ``kept``, and
the rest ``dropped`` by reason: the harvester's (no description, no JSON type...), the probe's
(exception, unstable or empty result, too slow...), and ``near_duplicate`` for a kept API whose
normalised description and parameter names match an earlier one's.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import logging
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apigen_stream.config import SandboxConfig
from apigen_stream.library import categories as cats
from apigen_stream.library.harvest import Candidate, harvest
from apigen_stream.library.harvested import Entry
from apigen_stream.library.probe import Dropped, Kept, probe
from apigen_stream.library.registry import builtin_apis
from apigen_stream.sandbox.pool import SandboxPool

log = logging.getLogger(__name__)

# Room for a first call that loads a data table (seconds on a loaded machine); the second call
# must still be under 50 ms to be kept, so a longer limit would only spend time on losers.
PROBE_TIMEOUT_S = 5.0
# Candidates per probe batch: bounds the memory of one concurrent run.
PROBE_CHUNK = 2_000
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class PackageReport:
    """One package's line of the harvest report."""

    candidates: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        """The report line as the library file and the README show it."""
        return {"candidates": self.candidates, "kept": self.kept,
                "dropped": dict(sorted(self.dropped.items()))}  # fmt: skip


def near_duplicate_key(description: str, parameters: dict[str, Any]) -> tuple[str, ...]:
    """The near-duplicate measure: the description's words (lower case, alphanumeric runs,
    in order) and the sorted parameter names. Two APIs with one key are near-duplicates."""
    words = " ".join(_WORD.findall(description.lower()))
    return (words, *sorted(parameters.get("properties", {})))


def entry_of(kept: Kept) -> Entry:
    """A probed candidate as a file entry; the probe's arguments become schema examples."""
    c = kept.candidate
    properties = {
        pname: {**prop, "examples": [kept.arguments[pname]]} if pname in kept.arguments else prop
        for pname, prop in c.parameters["properties"].items()
    }
    return Entry(
        name=c.name,
        category=c.category,
        package=c.package,
        description=c.description,
        parameters={**c.parameters, "properties": properties},
        target=c.target,
        arguments=kept.arguments,
        result=kept.result,
    )


def collect(
    targets: Sequence[str], rules: cats.Rules
) -> tuple[list[Candidate], dict[str, PackageReport]]:
    """Candidates of every target, and the report of what the walk dropped."""
    reports: dict[str, PackageReport] = {}
    found: list[Candidate] = []
    for target in targets:
        walked = harvest(target, rules)
        report = reports.setdefault(walked.package, PackageReport())
        report.candidates += len(walked.candidates) + sum(walked.dropped.values())
        report.dropped.update(walked.dropped)
        for module, error in walked.broken_modules.items():
            log.warning("%s: module not harvested: %s", module, error)
        found.extend(walked.candidates)
    return found, reports


def select(
    verdicts: Iterable[Kept | Dropped],
    reports: dict[str, PackageReport],
    reserved: Iterable[str] = (),
) -> list[Entry]:
    """The kept entries: unique names (none of the ``reserved`` built-in names), no
    near-duplicates; the rest counted in the report."""
    entries: list[Entry] = []
    names: set[str] = set(reserved)
    keys: set[tuple[str, ...]] = set()
    for verdict in verdicts:
        report = reports[verdict.candidate.package]
        if isinstance(verdict, Dropped):
            report.dropped[verdict.reason] += 1
            continue
        key = near_duplicate_key(verdict.candidate.description, verdict.candidate.parameters)
        if verdict.candidate.name in names or key in keys:
            report.dropped["near_duplicate"] += 1
            continue
        names.add(verdict.candidate.name)
        keys.add(key)
        report.kept += 1
        entries.append(entry_of(verdict))
    return entries


async def run_harvest(
    targets: Sequence[str], rules: cats.Rules, sandbox: SandboxConfig
) -> tuple[list[Entry], dict[str, PackageReport], dict[str, str]]:
    """Harvest and probe ``targets``: the kept entries, the report, the package versions."""
    found, reports = collect(targets, rules)
    settings = SandboxConfig(**{**_fields(sandbox), "timeout_s": PROBE_TIMEOUT_S})
    verdicts: list[Kept | Dropped] = []
    # Probed functions run in a scratch folder: one that writes a file (a log named after a
    # sampled string) leaves nothing behind. Workers inherit the folder; the import path,
    # which may name the current folder as "", is made absolute first.
    here = str(Path.cwd())
    sys.path[:] = [p or here for p in sys.path]
    with (
        tempfile.TemporaryDirectory(prefix="apigen-harvest-") as scratch,
        contextlib.chdir(scratch),
    ):
        async with SandboxPool(settings) as pool:
            for start in range(0, len(found), PROBE_CHUNK):
                verdicts.extend(await probe(pool, found[start : start + PROBE_CHUNK]))
    entries = select(verdicts, reports, reserved=(a.name for a in builtin_apis()))
    return entries, reports, {p: _version(p) for p in reports}


def _fields(config: SandboxConfig) -> dict[str, Any]:
    return {f: getattr(config, f) for f in config.__struct_fields__}


def _version(package: str) -> str:
    distribution = importlib.metadata.packages_distributions().get(package, [package])[0]
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "stdlib"
