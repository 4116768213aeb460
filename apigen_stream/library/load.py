"""The API library as configured: built-ins, Python modules, OpenAPI specs and tool files.

Tool files (JSON or JSON Lines) hold tool definitions in the xlam, OpenAI or Gorilla/BFCL
shape: bare definitions, lists of them, or dataset rows carrying them (xlam rows with their
``tools`` string, BFCL question rows with ``function``). Such a tool is schema-only (kind
``schema``) unless a Python implementation of the same name is registered (built-in or from a
configured module): then it runs that implementation, offered under the file's schema.

Two different tools of one name are an error naming both sources; the same definition repeated
(as in dataset rows, or in several files) counts once; within one file, a name defined several
ways keeps its first definition, with a warning. Paths in the configuration may name
``$VARIABLES`` of ``env``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from string import Template
from typing import Any

from apigen_stream.config import LibraryConfig
from apigen_stream.errors import ToolImportError
from apigen_stream.library import convert, harvested, openapi, python_import
from apigen_stream.library.registry import CATEGORIES, Api, Registry, builtin_apis, version_of
from apigen_stream.records import Tool

# Where a tool-file tool goes when its definition names no known category.
DEFAULT_CATEGORY = "Other"
BUILTIN_SOURCE = "built-in APIs"
HARVESTED_SOURCE = "the harvested library"
TOOL_FILE = "tool file"
# Names listed in the warning about conflicting definitions: enough to find them, one line.
CONFLICTS_SHOWN = 5

log = logging.getLogger(__name__)


def load_registry(config: LibraryConfig, env: Mapping[str, str]) -> Registry:
    """Every configured tool in one registry; see the module docstring."""
    found: dict[str, tuple[Api, str]] = {}
    if config.builtin:
        _add_all(found, builtin_apis(), BUILTIN_SOURCE)
    if config.builtin and config.harvested:  # the harvested library comes with the built-ins
        _add_all(found, list(harvested.load_harvested()), HARVESTED_SOURCE)
    for module in config.python_modules:
        _add_all(found, python_import.load_module(_expand(module, env)), f"module {module}")
    for spec_path in config.openapi_specs:
        spec = openapi.read_spec(_expand(spec_path, env))
        base_url = config.openapi_base_urls.get(spec_path, "")
        apis = openapi.apis_from_spec(spec, base_url=base_url, auth_env=config.openapi_auth_env)
        _add_all(found, apis, f"OpenAPI spec {spec_path}")
    for tool_file in config.tool_files:
        apis, conflicting = schema_apis(read_tool_file(_expand(tool_file, env)))
        if conflicting:
            shown = ", ".join(conflicting[:CONFLICTS_SHOWN])
            log.warning("%s: %d tool names have several definitions; the first is kept: %s",
                        tool_file, len(conflicting), shown)  # fmt: skip
        for entry in apis:
            _add_tool_file_api(found, entry, f"{TOOL_FILE} {tool_file}")
    return Registry(entry for entry, _ in found.values())


def _add_all(found: dict[str, tuple[Api, str]], apis: list[Api], source: str) -> None:
    for entry in apis:
        if entry.name in found:
            raise ToolImportError(
                f"tool {entry.name!r} is defined twice: in {found[entry.name][1]} and in {source}"
            )
        found[entry.name] = (entry, source)


def _add_tool_file_api(found: dict[str, tuple[Api, str]], entry: Api, source: str) -> None:
    existing = found.get(entry.name)
    if existing is None:
        found[entry.name] = (entry, source)
    elif not existing[1].startswith(TOOL_FILE):
        if existing[0].kind != "python":
            raise ToolImportError(
                f"tool {entry.name!r} is defined twice: in {existing[1]} and in {source}"
            )
        found[entry.name] = (with_implementation(entry, existing[0]), source)
    elif _same_definition(existing[0], entry):
        return  # the same definition in another tool file
    else:
        raise ToolImportError(
            f"tool {entry.name!r} is defined twice: in {existing[1]} and in {source}"
        )


def _same_definition(a: Api, b: Api) -> bool:
    return (a.description, a.parameters) == (b.description, b.parameters)


def with_implementation(schema_api: Api, implementation: Api) -> Api:
    """A schema-only tool made executable by a Python tool of the same name.

    Every argument the schema offers must be one the implementation takes, and every argument
    the implementation requires must be offered, or calls written against the schema would fail.
    """
    offered = set(schema_api.parameters.get("properties", {}))
    taken = set(implementation.parameters.get("properties", {}))
    needed = set(implementation.parameters.get("required", []))
    if not offered <= taken or not needed <= offered:
        raise ToolImportError(
            f"tool {schema_api.name!r}: the implementation {implementation.target} takes "
            f"{sorted(taken)} (requires {sorted(needed)}), the schema offers {sorted(offered)}"
        )
    category = schema_api.category
    if category == DEFAULT_CATEGORY:
        category = implementation.category
    return replace(
        schema_api,
        category=category,
        kind="python",
        target=implementation.target,
        templates=implementation.templates,
        examples=implementation.examples,
        version=version_of(schema_api.version, implementation.version),
    )


def schema_apis(tools: list[Tool]) -> tuple[list[Api], list[str]]:
    """Tool definitions as schema-only tools, and the names defined more than one way.

    An identical repeat counts once. Datasets (BFCL's among them) reuse a name for different
    definitions in different rows; the first definition is kept, the names are returned so the
    caller can say so.
    """
    apis: dict[str, Api] = {}
    conflicting: list[str] = []
    for t in tools:
        category = t.category if t.category in CATEGORIES else DEFAULT_CATEGORY
        entry = Api(
            name=t.name,
            category=category,
            description=t.description,
            parameters=t.parameters,
            kind="schema",
            version=version_of(t.name, t.description, t.parameters),
        )
        previous = apis.get(t.name)
        if previous is None:
            apis[t.name] = entry
        elif previous.version != entry.version and t.name not in conflicting:
            conflicting.append(t.name)
    return list(apis.values()), conflicting


def read_tool_file(path: str | Path) -> list[Tool]:
    """The tool definitions of a JSON or JSON Lines file, in any supported shape."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ToolImportError(f"{path}: cannot read the tool file: {exc.strerror}") from exc
    tools: list[Tool] = []
    for where, value in _documents(path, text):
        for definition in tool_definitions(value):
            tools.append(tool_from_definition(definition, f"{path}{where}"))
    return tools


def _documents(path: Path, text: str) -> Iterator[tuple[str, Any]]:
    """A JSON file's one document, or each line of a JSON Lines file (with its line number)."""
    try:
        yield "", json.loads(text)
        return
    except json.JSONDecodeError:
        pass
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield f":{number}", json.loads(line)
            except json.JSONDecodeError as exc:
                raise ToolImportError(f"{path}:{number}: not JSON: {exc.msg}") from exc


def tool_definitions(value: Any) -> Iterator[dict[str, Any]]:
    """The tool definitions in a document: a definition, a list, or dataset rows holding them."""
    if isinstance(value, list):
        for item in value:
            yield from tool_definitions(item)
        return
    if not isinstance(value, dict):
        raise ToolImportError(f"expected a tool definition (an object), got {value!r:.80}")
    holder = value.get("tools") if "tools" in value else value.get("function")
    if isinstance(holder, str):  # xlam rows carry their tools as a JSON string
        holder = _json_string(holder)
    if isinstance(holder, list):
        yield from tool_definitions(holder)
    else:
        yield value


def _json_string(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ToolImportError(f"a row's tools are not JSON: {exc.msg}") from exc


def tool_from_definition(definition: dict[str, Any], where: str) -> Tool:
    """One definition converted from whichever shape it has."""
    name = definition.get("name", "?")
    try:
        converted = convert.tool_from_any(definition)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ToolImportError(f"{where}: tool {name!r} cannot be read: {exc}") from exc
    if not converted.name:
        raise ToolImportError(f"{where}: a tool definition has no name")
    return converted


def _expand(path: str, env: Mapping[str, str]) -> str:
    return Template(path).safe_substitute(env)


def rest_credentials(
    registry: Registry, explicit: Mapping[str, str], environ: Mapping[str, str]
) -> dict[str, str]:
    """The credentials REST tools of ``registry`` may use: each security scheme's environment
    variable (its configured name, or the scheme's default name) found in ``environ``, over
    the config's explicit ones. The same for ``apis call`` and the execute stage. Pure."""
    names = {api.rest.auth_env for api in registry if api.rest is not None and api.rest.auth_env}
    return {**explicit, **{name: environ[name] for name in sorted(names) if name in environ}}
