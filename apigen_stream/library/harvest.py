"""Candidate tools from installed packages: their public, documented, JSON-callable functions.

``candidates(target, rules)`` walks a package (or one module), and turns every public function
into a ``Candidate`` (a tool's schema, description, category and the docstring examples to probe
it with), or counts why it cannot be one: no description a model can act on, no parameter, a
parameter that cannot be passed by name or has no JSON type, ``eval`` in its source, a name that
says it reads or writes the outside world. Probing (``probe.py``) then decides which are kept.

A parameter's type comes from its hint, else the docstring (Google, NumPy, Sphinx), else its
default value, else the literal the docstring's examples pass.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import re
import typing
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from apigen_stream.errors import ToolImportError
from apigen_stream.library import categories as cats
from apigen_stream.library.doc_examples import doc_arguments
from apigen_stream.library.docstrings import parse_docstring
from apigen_stream.library.python_import import type_schema
from apigen_stream.library.pytype import parse_docstring_type, parse_type_text
from apigen_stream.library.stubs import stub_hints

# A description a model can act on: a few words at least.
MIN_DESCRIPTION_WORDS = 3
# Descriptions are cut at a sentence end near this length: enough to pick the right tool.
MAX_DESCRIPTION_CHARS = 300
# OpenAI's limit on function names.
MAX_NAME_CHARS = 64
# Module name parts that are never an API surface.
PRIVATE_PARTS = frozenset(
    {"tests", "test", "testing", "testsuite", "conftest", "__main__", "setup", "compat", "cli",
     "logging", "log", "config", "settings", "conf"}
)  # fmt: skip
# Function names that read or write the outside world, or parse code: never a tool.
UNSAFE_NAME = re.compile(
    r"(?:^|_)(?:eval|exec|compile|open|read|write|save|load|dump|download|fetch|connect|"
    r"request|urlopen|print|input|system|spawn|sleep|random|shuffle|seed|main|run|install|"
    r"register|reset|set|delete|remove|clear|update|logger|popen|configure|setup)(?:_|$)"
)
# The module that calls positional-only functions by keyword.
BY_POSITION = "apigen_stream.library.by_position"
_EVAL_SOURCE = re.compile(r"\b(?:eval|exec)\s*\(")
_JSON_SCALAR_SCHEMA = {bool: "boolean", int: "integer", float: "number", str: "string"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A function that can be offered as a tool, once a probe call shows it works."""

    name: str
    package: str
    category: str
    description: str
    parameters: dict[str, Any]
    target: str
    # Argument sets from the docstring's examples, to probe with before sampled ones.
    doc_arguments: tuple[dict[str, Any], ...] = ()


@dataclass
class Harvest:
    """What a walk over one target found: candidates, and the rest counted by reason."""

    package: str
    candidates: list[Candidate] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    # Modules that could not be imported, with the error (reported, not fatal).
    broken_modules: dict[str, str] = field(default_factory=dict)


def harvest(target: str, rules: cats.Rules) -> Harvest:
    """Every candidate of ``target`` (a package or module name); see the module docstring."""
    found = Harvest(package=target.partition(".")[0])
    seen: set[int] = set()
    for module in _modules(target, found, rules):
        for attr, func in _public_functions(module, found.package):
            if id(func) in seen:
                continue  # re-exported: counted where first found
            seen.add(id(func))
            outcome = candidate(func, module, attr, rules, found.package)
            if isinstance(outcome, str):
                found.dropped[outcome] += 1
            else:
                found.candidates.append(outcome)
    return found


def _modules(target: str, found: Harvest, rules: cats.Rules) -> Iterator[ModuleType]:
    try:
        root = importlib.import_module(target)
    except Exception as exc:  # a target that will not import is reported, not a crash
        raise ToolImportError(f"{target}: cannot import: {exc}") from exc
    yield root
    path = getattr(root, "__path__", None)
    if path is None:
        return
    for info in pkgutil.walk_packages(path, prefix=f"{target}.", onerror=lambda _: None):
        if any(p.startswith("_") or p in PRIVATE_PARTS for p in info.name.split(".")[1:]):
            continue
        if rules.excludes(info.name, ""):
            continue  # not even imported: excluded modules may need what is not installed
        try:
            yield importlib.import_module(info.name)
        except (Exception, SystemExit) as exc:  # optional extras missing, platform-only...
            found.broken_modules[info.name] = f"{type(exc).__name__}: {exc}"[:200]


def _public_functions(module: ModuleType, package: str) -> Iterator[tuple[str, Any]]:
    names = getattr(module, "__all__", None)
    attrs = list(names) if isinstance(names, (list, tuple)) else sorted(vars(module))
    for attr in attrs:
        if not isinstance(attr, str) or attr.startswith("_"):
            continue
        obj = getattr(module, attr, None)
        if not _is_function(obj):
            continue
        home = getattr(obj, "__module__", None) or module.__name__
        if home.split(".")[0] == package:
            yield attr, obj


def _is_function(obj: Any) -> bool:
    # Plain and C functions, and function wrappers such as numpy's array-function dispatchers;
    # not classes, methods of objects, or other callables.
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return True
    return (inspect.isroutine(obj) and not inspect.ismethod(obj)
            and inspect.isfunction(getattr(obj, "__wrapped__", None)))  # fmt: skip


def candidate(
    func: Callable[..., Any], module: ModuleType, attr: str, rules: cats.Rules, package: str
) -> Candidate | str:
    """The candidate ``func`` makes, or the reason it cannot be one."""
    home = getattr(func, "__module__", None) or module.__name__
    if rules.excludes(module.__name__, tool_name(module.__name__, attr)) or rules.excludes(
        home, ""
    ):
        return "excluded_on_review"
    if tool_name(module.__name__, attr) in rules.unstable:
        return "unstable_result"
    reason = _unsafe(func, attr)
    if reason:
        return reason
    doc = parse_docstring(inspect.getdoc(func))
    description = summary(doc.description)
    if len(description.split()) < MIN_DESCRIPTION_WORDS:
        return "no_description"
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return "no_signature"
    named = [
        p for p in signature.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    if not named:
        return "no_parameters"
    names = [p.name for p in named]
    # The function's own examples, then the module's, then the module's calls of its siblings
    # (python-stdnum shows ``validate('BE 428759497')``; ``is_valid`` takes the same number).
    docs = [(inspect.getdoc(func), attr), (module.__doc__, attr), (module.__doc__, None)]
    examples = doc_arguments(docs, names)
    typed = {**doc.types, **stub_hints(module, attr)}
    doc_types = {pname: rules.unalias(text) for pname, text in typed.items()}
    schema = _schema(func, named, doc.params, doc_types, examples)
    if isinstance(schema, str):
        return schema
    if not schema.get("properties"):
        # Every parameter had a default and none a JSON type (astral's ``phase(date=None)``):
        # a call of no arguments answers nothing a query asks and reads only ambient state,
        # such as the clock, so its seed result changes from one day to the next.
        return "no_parameters"
    name = tool_name(module.__name__, attr)
    title = module_title(module) if rules.qualifies(package) else ""
    text = f"{title}: {description}" if title else description
    return Candidate(
        name=name,
        package=package,
        category=rules.category(package, module.__name__, name, text),
        description=text,
        parameters=schema,
        target=_target(module.__name__, attr, named),
        doc_arguments=tuple(examples),
    )


def _target(module: str, attr: str, named: list[inspect.Parameter]) -> str:
    if any(p.kind is p.POSITIONAL_ONLY for p in named):
        return f"{BY_POSITION}:{module}.{attr}"
    return f"{module}:{attr}"


def _unsafe(func: Callable[..., Any], attr: str) -> str:
    if UNSAFE_NAME.search(attr.lower()):
        return "side_effect_name"
    try:
        source = inspect.getsource(inspect.unwrap(func))
    except (OSError, TypeError):
        return ""
    return "eval_based" if _EVAL_SOURCE.search(source) else ""


def _schema(
    func: Callable[..., Any],
    named: list[inspect.Parameter],
    descriptions: dict[str, str],
    doc_types: dict[str, str],
    examples: list[dict[str, Any]],
) -> dict[str, Any] | str:
    try:
        hints = typing.get_type_hints(func)
    except Exception:  # unresolvable annotations: fall back to the docstring
        hints = {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for p in named:
        prop = _parameter_type(p, hints, doc_types, examples)
        if isinstance(prop, str) and p.default is not p.empty:
            continue  # an optional argument with no JSON type is not offered: its default holds
        if isinstance(prop, str):
            return prop
        if descriptions.get(p.name):
            prop["description"] = summary(descriptions[p.name])
        if p.default is p.empty:
            required.append(p.name)
        elif _json_scalar(p.default):
            prop["default"] = p.default
        properties[p.name] = prop
    return {"type": "object", "properties": properties, "required": required}


def _parameter_type(
    p: inspect.Parameter,
    hints: dict[str, Any],
    doc_types: dict[str, str],
    examples: list[dict[str, Any]],
) -> dict[str, Any] | str:
    if p.name in hints:
        try:
            schema = type_schema(hints[p.name])[0]
        except ToolImportError:
            return "non_json_type"
        return schema or "untyped_parameter"
    if doc_types.get(p.name):
        text = doc_types[p.name]
        schema = parse_type_text(text)[0] or parse_docstring_type(text)[0]
        if schema:
            return schema
    for value in [p.default, *(e.get(p.name) for e in examples)]:
        if type(value) in _JSON_SCALAR_SCHEMA:
            return {"type": _JSON_SCALAR_SCHEMA[type(value)]}
    return "untyped_parameter"


def _json_scalar(value: Any) -> bool:
    if isinstance(value, float) and not math.isfinite(value):
        return False  # JSON has no infinity: the default stays the function's own
    return value is None or type(value) in _JSON_SCALAR_SCHEMA


def summary(text: str) -> str:
    """A description's opening, cut at a sentence end before ``MAX_DESCRIPTION_CHARS``."""
    text = " ".join(text.replace(">>>", "\n>>>").split(">>>")[0].split())
    if text.endswith(":"):  # an introduction to an example or a list left out
        text = text[:-1].rstrip() + "."
    if len(text) <= MAX_DESCRIPTION_CHARS:
        return text
    cut = text.rfind(". ", 0, MAX_DESCRIPTION_CHARS)
    return text[: cut + 1] if cut > 0 else text[:MAX_DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"


def module_title(module: ModuleType) -> str:
    """The first line of a module's docstring, as a subject for its functions' descriptions."""
    first = (inspect.getdoc(module) or "").strip().split("\n", 1)[0].strip()
    return first.rstrip(".")


def tool_name(module_name: str, attr: str) -> str:
    """``stdnum.be.vat`` + ``validate`` -> ``stdnum_be_vat_validate``, within 64 characters."""
    parts = [p for p in module_name.split(".") if not p.startswith("_")]
    name = "_".join([*parts, attr]) if parts[-1:] != [attr] else "_".join(parts)
    name = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return name[-MAX_NAME_CHARS:].lstrip("_")
