"""Type hints from stub files, for functions whose own code carries none.

C functions have no annotations; many packages ship ``.pyi`` stubs beside their modules (PEP 561),
and the standard library's are in typeshed (which mypy bundles; used when it is installed, as it
is where the library is harvested). Stubs are parsed with ``ast``, never imported or run.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
from pathlib import Path
from types import ModuleType

# Typeshed's protocol aliases, rewritten to the JSON type a caller passes for them.
_ALIASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b_?(?:SupportsFloatOrIndex|SupportsFloat|_Number|_NumberT|_NumberR|"
                r"_SupportsFloat)\b"), "float"),
    (re.compile(r"\b_?(?:SupportsIndex|SupportsInt|_PositiveInteger|_NegativeInteger)\b"), "int"),
    (re.compile(r"\bLiteralString\b"), "str"),
)  # fmt: skip


@functools.cache
def _typeshed_stdlib() -> Path | None:
    spec = importlib.util.find_spec("mypy")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "typeshed" / "stdlib"
    return folder if folder.is_dir() else None


def stub_paths(module: ModuleType) -> list[Path]:
    """Where stubs of ``module`` may be: beside its file, then in typeshed."""
    found: list[Path] = []
    file = getattr(module, "__file__", None)
    if file:
        path = Path(file)
        stem = path.name.split(".")[0]
        found.append(path.with_name(f"{stem}.pyi"))
        if stem == "__init__":  # a package re-exporting its extension module's functions
            found += sorted(p for p in path.parent.glob("*.pyi") if p.name != "__init__.pyi")
    typeshed = _typeshed_stdlib()
    if typeshed is not None:
        parts = module.__name__.split(".")
        found += [typeshed.joinpath(*parts).with_suffix(".pyi"),
                  typeshed.joinpath(*parts, "__init__.pyi")]  # fmt: skip
    return [p for p in found if p.is_file()]


@functools.cache
def _definitions(path: Path) -> dict[str, dict[str, str]]:
    """Function name -> parameter -> annotation text, for a stub's top-level functions."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    found: dict[str, dict[str, str]] = {}
    for node in _top_level(tree.body):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name not in found:
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            found[node.name] = {a.arg: _alias(ast.unparse(a.annotation))
                                for a in args if a.annotation is not None}  # fmt: skip
    return found


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    # ``if sys.version_info >= ...:`` blocks hold definitions too; the first one found wins.
    out: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.If):
            out += _top_level(node.body) + _top_level(node.orelse)
        else:
            out.append(node)
    return out


def _alias(text: str) -> str:
    for pattern, replacement in _ALIASES:
        text = pattern.sub(replacement, text)
    return text


def stub_hints(module: ModuleType, function: str) -> dict[str, str]:
    """The annotation texts of ``function``'s parameters in the first stub that defines it."""
    for path in stub_paths(module):
        hints = _definitions(path).get(function)
        if hints is not None:
            return hints
    return {}
