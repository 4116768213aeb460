"""The harvested library file: probed APIs of well-kept packages, shipped as reviewable JSON.

``apigen-stream apis harvest`` writes it; ``load_harvested()`` reads it (once per process) into
``Api`` entries whose version is the file's hash, so the library version in every task and
sample's provenance changes whenever the file does. One API per line keeps a regenerated file's
diff readable: an API that appears, disappears or changes is one line.

Every entry carries its seed example, the probe call that passed, with the result recorded: the
quality gates re-run it in the sandbox and compare.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import logging
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec

from apigen_stream.errors import ToolImportError
from apigen_stream.library.registry import CATEGORIES, PROBE_EXAMPLE_SUFFIX, Api
from apigen_stream.records import Call, Example

log = logging.getLogger(__name__)

# The file shipped inside the package.
HARVESTED_FILE = Path(__file__).with_name("harvested.json")
FORMAT = 1
# Characters of a value shown in a seed example's query.
SHOWN_VALUE_CHARS = 60


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """One API of the file."""

    name: str
    category: str
    package: str
    description: str
    parameters: dict[str, Any]
    target: str
    arguments: dict[str, Any]
    result: Any


class LibraryFile(msgspec.Struct, frozen=True, kw_only=True):
    """The whole file: format, package versions, the harvest report, the APIs."""

    format: int
    packages: dict[str, str]
    report: dict[str, dict[str, Any]]
    apis: list[Entry]


def render(document: LibraryFile) -> str:
    """The file's text: a header, then one API per line, sorted by name."""
    head = msgspec.to_builtins(document)
    apis = head.pop("apis")
    lines = [_one_line(json.dumps(a, ensure_ascii=False, sort_keys=True, allow_nan=False))
             for a in apis]  # fmt: skip
    header = json.dumps(head, ensure_ascii=False, sort_keys=True, indent=1)
    body = ",\n".join(lines)
    return header[:-2] + ',\n "apis": [\n' + body + "\n ]\n}\n"


def _one_line(text: str) -> str:
    """``text`` with the characters that editors and ``str.splitlines`` break lines at (and
    JSON leaves raw) escaped, so every API stays on one line of the file."""
    return text.translate(_LINE_BREAKS)


# Line breaks above U+001F, which json.dumps leaves raw (ftfy's docstrings quote them).
_LINE_BREAKS = {c: f"\\u{c:04x}" for c in (0x85, 0x2028, 0x2029)}


def write(path: str | Path, entries: Iterable[Entry], packages: dict[str, str],
          report: dict[str, dict[str, Any]]) -> None:  # fmt: skip
    """Write the file (entries sorted by name, so that a re-harvest diffs cleanly)."""
    ordered = sorted(entries, key=lambda e: e.name)
    document = LibraryFile(format=FORMAT, packages=packages, report=report, apis=ordered)
    Path(path).write_text(render(document), encoding="utf-8")


def read(path: str | Path) -> tuple[LibraryFile, str]:
    """The file's document and the sha256 of its bytes."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ToolImportError(f"{path}: cannot read the harvested library: {exc.strerror}") from exc
    try:
        document = msgspec.json.decode(data, type=LibraryFile)
    except msgspec.DecodeError as exc:
        raise ToolImportError(f"{path}: not a harvested library file: {exc}") from exc
    if document.format != FORMAT:
        raise ToolImportError(f"{path}: format {document.format}, expected {FORMAT}")
    return document, hashlib.sha256(data).hexdigest()


def apis_of(document: LibraryFile, digest: str) -> list[Api]:
    """The file's entries as executable tools, each versioned by the file's hash.

    Entries of a package that is not installed (an optional extra) are left out, with one
    warning line per package: the rest of the library loads.
    """
    version = digest[:12]
    apis = []
    missing: Counter[str] = Counter()
    for e in document.apis:
        if not _installed(e.package):
            missing[e.package] += 1
            continue
        if e.category not in CATEGORIES:
            raise ToolImportError(f"{e.name}: unknown category {e.category!r}")
        call = Call(name=e.name, arguments=e.arguments)
        example = Example(id=f"{e.name}{PROBE_EXAMPLE_SUFFIX}", query=probe_query(e), calls=[call])
        apis.append(Api(name=e.name, category=e.category, description=e.description,
                        parameters=e.parameters, target=e.target, examples=(example,),
                        version=version, seed_result=e.result))  # fmt: skip
    for package, count in sorted(missing.items()):
        # Every package of the shipped file is a base dependency: this is a user's own file,
        # or an install that left one out.
        log.warning("harvested library: %d APIs of %s left out: not installed", count, package)
    return apis


@functools.cache
def _installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def probe_query(entry: Entry) -> str:
    """A plain request for the probe call, for a reader (harvested APIs have no templates)."""
    shown = ", ".join(f"{k} {_shown(v)}" for k, v in entry.arguments.items())
    return f"{entry.description.rstrip('.')} ({shown})." if shown else entry.description


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 1] + "…"


@functools.cache
def load_harvested(path: str = str(HARVESTED_FILE)) -> tuple[Api, ...]:
    """The harvested APIs of ``path`` (the shipped file by default), read once per process."""
    document, digest = read(path)
    return tuple(apis_of(document, digest))


def file_digest(path: str | Path = HARVESTED_FILE) -> str:
    """The short hash of a harvested library file, as tools and provenance carry it."""
    return read(path)[1][:12]
