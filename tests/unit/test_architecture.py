"""ARCHITECTURE.md's import rules, checked against the code: what must never import what."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import apigen_stream

PACKAGE = Path(apigen_stream.__file__).resolve().parent
VOCABULARY = (
    "records", "reasons", "errors", "topics", "config", "run_options", "jsonlimits", "spec",
    "collector", "funnel", "topview", "sampling", "offline",
)  # fmt: skip
IO_LIBRARIES = ("aiokafka", "aiohttp", "openai", "subprocess", "multiprocessing", "socket")
KAFKA_ENGINE = (
    "engine.runner",
    "engine.partition_worker",
    "engine.transactions",
    "engine.failures",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, anywhere in it (lazy imports count), ours without prefix."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        for name in names:
            yield name.removeprefix("apigen_stream.") if name.startswith("apigen_stream.") else name


def within(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def all_imports() -> list[tuple[str, str]]:
    return [(module_name(p), i) for p in sorted(PACKAGE.rglob("*.py")) for i in imports(p)]


def violations(rule: str) -> list[str]:
    found = []
    for module, imported in all_imports():
        if broken(rule, module, imported):
            found.append(f"{module} imports {imported}")
    return sorted(set(found))


def broken(rule: str, module: str, imported: str) -> bool:
    if rule == "argparse and commands stay in the CLI":
        top = within(module, "cli", "commands")
        return not top and within(imported, "argparse", "commands", "cli")
    if rule == "Kafka only in engine, services and broker":
        return within(imported, "aiokafka") and not within(module, "engine", "services", "broker")
    if rule == "openai only in llm":
        return within(imported, "openai") and not within(module, "llm")
    if rule == "the engine names no stage, service or command":
        outside = within(imported, "stages", "services", "commands")
        return within(module, "engine") and outside and not within(imported, "stages.stage")
    if rule == "stages stay off Kafka and the services":
        banned = within(imported, "services", "broker", "commands", *KAFKA_ENGINE, "aiokafka")
        return within(module, "stages") and banned
    if rule == "the vocabulary does no I/O":
        banned = within(imported, "engine", "services", "broker", "sandbox", "commands")
        return within(module, *VOCABULARY) and (banned or within(imported, *IO_LIBRARIES))
    if rule == "the library reaches the sandbox only to probe":
        probing = within(module, "library.probe", "library.harvest_run")
        return within(module, "library") and within(imported, "sandbox") and not probing
    raise AssertionError(rule)


RULES = [
    "argparse and commands stay in the CLI",
    "Kafka only in engine, services and broker",
    "openai only in llm",
    "the engine names no stage, service or command",
    "stages stay off Kafka and the services",
    "the vocabulary does no I/O",
    "the library reaches the sandbox only to probe",
]


@pytest.mark.parametrize("rule", RULES)
def test_import_rule_holds(rule: str) -> None:
    assert violations(rule) == []


def test_the_checker_sees_a_broken_rule() -> None:
    # The rules are only worth something if the checker would catch a real import.
    assert broken("stages stay off Kafka and the services", "stages.format", "engine.runner")
    assert broken("the vocabulary does no I/O", "funnel", "subprocess")
    assert not broken("the engine names no stage, service or command", "engine.x", "stages.stage")
    assert any(i == "aiokafka" or i.startswith("aiokafka.") for _, i in all_imports())


def test_architecture_page_lists_every_package() -> None:
    page = (PACKAGE.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    packages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    missing = [p for p in packages if f"{p}/" not in page and p != "data"]
    assert missing == []
