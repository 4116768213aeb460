"""Every built-in API: enough of them in every category, usable templates, seed examples that
validate against the schema and run, deterministically, in the sandbox."""

from __future__ import annotations

import string
from typing import Any

import msgspec
import pytest
from jsonschema import Draft202012Validator

from apigen_stream.config import SandboxConfig
from apigen_stream.library.registry import CATEGORIES, Api, Registry, builtin_apis
from apigen_stream.records import Outcome
from apigen_stream.sandbox.pool import SandboxPool
from apigen_stream.sandbox.results import is_error_result

# The library issue's bar: 210 APIs, 10 in each of the paper's 21 categories.
MIN_APIS = 210
MIN_PER_CATEGORY = 10
MIN_TEMPLATES = 2
# Built-ins are cheap pure functions: a seed call slower than this is a bug, not a slow API.
SEED_TIMEOUT_S = 10.0


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry(builtin_apis())


def _placeholders(template: str) -> set[str]:
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    return {f.split(".")[0].split("[")[0] for f in fields}


def test_enough_apis_in_every_category(registry: Registry) -> None:
    groups = registry.by_category()
    counts = {c: len(groups.get(c, [])) for c in CATEGORIES}
    assert len(registry) >= MIN_APIS
    assert set(groups) == set(CATEGORIES), set(groups) ^ set(CATEGORIES)
    assert {c: n for c, n in counts.items() if n < MIN_PER_CATEGORY} == {}


def test_every_api_is_python_with_a_valid_schema_and_a_version(registry: Registry) -> None:
    problems: list[str] = []
    for entry in registry:
        if entry.kind != "python" or ":" not in entry.target:
            problems.append(f"{entry.name}: kind {entry.kind}, target {entry.target!r}")
        if not entry.description.strip() or not entry.version:
            problems.append(f"{entry.name}: no description or version")
        try:
            Draft202012Validator.check_schema(entry.parameters)
        except Exception as exc:  # any schema error is reported with the tool's name
            problems.append(f"{entry.name}: invalid schema: {exc}")
        if not entry.parameters.get("properties"):
            problems.append(f"{entry.name}: no parameters (the paper drops such APIs)")
    assert problems == []


def test_templates_name_only_parameters(registry: Registry) -> None:
    problems: list[str] = []
    for entry in registry:
        names = set(entry.parameters.get("properties", {}))
        if len(entry.templates) < MIN_TEMPLATES:
            problems.append(f"{entry.name}: {len(entry.templates)} templates")
        for template in entry.templates:
            try:
                unknown = _placeholders(template) - names
            except ValueError as exc:
                problems.append(f"{entry.name}: malformed template {template!r}: {exc}")
                continue
            if unknown:
                problems.append(f"{entry.name}: template names {sorted(unknown)}")
    assert problems == []


def test_seed_examples_call_their_api_with_valid_arguments(registry: Registry) -> None:
    problems: list[str] = []
    for entry in registry:
        if not entry.examples:
            problems.append(f"{entry.name}: no seed example")
        validator = Draft202012Validator(entry.parameters)
        for example in entry.examples:
            if not example.query.strip():
                problems.append(f"{example.id}: empty query")
            for call in example.calls:
                if call.name != entry.name:
                    problems.append(f"{example.id}: calls {call.name!r}")
                errors = [e.message for e in validator.iter_errors(call.arguments)]
                if errors:
                    problems.append(f"{example.id}: {errors[0]}")
    assert problems == []


def _seed_calls(registry: Registry) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (entry.target, entry.name, dict(call.arguments))
        for entry in registry
        for example in entry.examples
        for call in example.calls
    ]


def _failures(specs: list[tuple[str, str, dict[str, Any]]], outcomes: list[Outcome]) -> list[str]:
    failed: list[str] = []
    for (_, name, arguments), outcome in zip(specs, outcomes, strict=True):
        if not outcome.ok:
            failed.append(f"{name}({arguments}): {outcome.reason}: {outcome.detail[:200]}")
        elif is_error_result(outcome.result):
            failed.append(f"{name}({arguments}): error payload {outcome.result!r:.200}")
    return failed


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_seed_examples_run_in_the_sandbox_deterministically(
    registry: Registry, anyio_backend: str
) -> None:
    specs = _seed_calls(registry)
    assert len(specs) >= MIN_APIS
    config = SandboxConfig(workers=2, timeout_s=SEED_TIMEOUT_S)
    async with SandboxPool(config) as pool:
        first = await pool.run_many(specs)
        second = await pool.run_many(specs)
    assert _failures(specs, first) == []
    changed = [
        name
        for (_, name, _), a, b in zip(specs, first, second, strict=True)
        if msgspec.json.encode(a.result) != msgspec.json.encode(b.result)
    ]
    assert changed == []


def test_api_names_are_unique_and_valid_identifiers(registry: Registry) -> None:
    entries: list[Api] = list(registry)
    assert len({a.name for a in entries}) == len(entries)
    assert [a.name for a in entries if not a.name.replace(".", "_").isidentifier()] == []
