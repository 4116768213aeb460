"""Users' Python functions as tools: JSON Schema from type hints, descriptions from docstrings.

Two ways in:

- the ``@tool(category=...)`` decorator on a module-level function;
- ``load_module("pkg.mod")`` (or a ``.py`` file path): the module's ``@tool`` functions, or, when
  it has none, every public function defined in it (category from a module-level ``CATEGORY``,
  else ``Other``). A function that cannot become a tool is skipped with one warning line naming
  it and why; the rest of the module loads.

Types map as JSON Schema does them: ``bool``/``int``/``float``/``str``, ``list[X]`` (and tuples,
sequences, sets) to arrays of X, ``dict[str, X]`` to objects of X, ``Literal[...]`` to ``enum``,
``X | None`` and parameters with a default to *not required*, ``Annotated[X, "text"]`` to a
description. A parameter without a hint takes its type from the docstring (``base (int):``,
``base : float``, ``:type base: str``), as the Berkeley leaderboard's functions declare theirs.
The sandbox runs the function by its ``module:function`` path in a worker process.
"""

from __future__ import annotations

import collections.abc
import importlib
import importlib.util
import inspect
import logging
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from apigen_stream.errors import ToolImportError
from apigen_stream.library.docstrings import parse_docstring
from apigen_stream.library.pytype import parse_docstring_type
from apigen_stream.library.registry import API_ATTRIBUTE, CATEGORIES, Api, version_of

# Where a function's category goes when neither the decorator nor its module names one.
DEFAULT_CATEGORY = "Other"
# The module-level variable that names the category of a module's undecorated functions.
CATEGORY_VARIABLE = "CATEGORY"

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)

_SCALARS: dict[type, str] = {bool: "boolean", int: "integer", float: "number", str: "string"}
_ARRAYS = (list, tuple, set, frozenset, collections.abc.Sequence, collections.abc.Set,
           collections.abc.Iterable, collections.abc.Collection)  # fmt: skip
_OBJECTS = (dict, collections.abc.Mapping)
_JSON_SCALARS = (bool, int, float, str, type(None))


def tool(
    *, category: str = DEFAULT_CATEGORY, name: str | None = None, description: str | None = None
) -> Callable[[F], F]:
    """Declare a module-level function a tool; its schema comes from its hints and docstring."""

    def decorate(func: F) -> F:
        setattr(func, API_ATTRIBUTE, api_from_function(func, category, name, description))
        return func

    return decorate


def api_from_function(
    func: Callable[..., Any],
    category: str = DEFAULT_CATEGORY,
    name: str | None = None,
    description: str | None = None,
) -> Api:
    """The tool a function makes: ``kind="python"``, target ``module:function``."""
    tool_name = name or func.__name__
    if category not in CATEGORIES:
        raise ToolImportError(f"{tool_name}: unknown category {category!r}")
    doc = parse_docstring(inspect.getdoc(func))
    parameters = schema_of(func, doc.params, doc.types)
    text = description if description is not None else doc.description
    return Api(
        name=tool_name,
        category=category,
        description=text,
        parameters=parameters,
        kind="python",
        target=f"{func.__module__}:{func.__qualname__}",
        version=version_of(tool_name, text, parameters, _source(func)),
    )


def schema_of(
    func: Callable[..., Any],
    descriptions: dict[str, str] | None = None,
    doc_types: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The JSON Schema (type object) of a function's keyword arguments.

    Types come from the hints, else from ``doc_types`` (a docstring's type texts).
    """
    where = getattr(func, "__qualname__", repr(func))
    try:
        hints = typing.get_type_hints(func, include_extras=True)
    except Exception as exc:  # any error in evaluating annotations is the user's to fix
        raise ToolImportError(f"{where}: cannot read the type hints: {exc}") from exc
    properties: dict[str, Any] = {}
    required: list[str] = []
    for pname, param in inspect.signature(func).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD, param.POSITIONAL_ONLY):
            raise ToolImportError(f"{where}: {pname!r} cannot be passed by name")
        prop, optional = _parameter_schema(where, pname, hints, doc_types or {})
        text = (descriptions or {}).get(pname)
        if text and "description" not in prop:
            prop["description"] = text
        if param.default is not param.empty and _json_safe(param.default):
            prop["default"] = param.default
        if param.default is param.empty and not optional:
            required.append(pname)
        properties[pname] = prop
    return {"type": "object", "properties": properties, "required": required}


def _parameter_schema(
    where: str, pname: str, hints: dict[str, Any], doc_types: dict[str, str]
) -> tuple[dict[str, Any], bool]:
    if pname in hints:
        return type_schema(hints[pname], f"{where}({pname})")
    text = doc_types.get(pname, "")
    schema, optional = parse_docstring_type(text) if text else ({}, False)
    if not schema:
        found = f"an unknown docstring type {text!r}" if text else "no docstring type"
        raise ToolImportError(f"{where}: parameter {pname!r} has no type hint and {found}")
    return schema, optional


def type_schema(hint: Any, where: str = "") -> tuple[dict[str, Any], bool]:
    """A type hint as JSON Schema, and whether it admits ``None`` (so may be left out)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        schema, optional = type_schema(args[0], where)
        text = next((m for m in args[1:] if isinstance(m, str)), None)
        if text:
            schema["description"] = text
        return schema, optional
    if origin is typing.Union or origin is types.UnionType:
        members = [a for a in args if a is not type(None)]
        optional = len(members) < len(args)
        if len(members) == 1:
            return type_schema(members[0], where)[0], optional
        return {"anyOf": [type_schema(m, where)[0] for m in members]}, optional
    if hint is None or hint is type(None):
        return {"type": "null"}, True
    return _plain_schema(hint, origin, args, where), False


def _plain_schema(hint: Any, origin: Any, args: tuple[Any, ...], where: str) -> dict[str, Any]:
    if hint is Any or hint is object:
        return {}
    if origin is typing.Literal:
        return _enum_schema(args)
    if isinstance(hint, type) and hint in _SCALARS:
        return {"type": _SCALARS[hint]}
    container = origin or hint
    if container in _OBJECTS:
        if args and args[0] is not str:
            raise ToolImportError(f"{where}: JSON object keys are strings, not {args[0]!r}")
        value = type_schema(args[1], where)[0] if len(args) == 2 else {}
        return {"type": "object", "additionalProperties": value} if value else {"type": "object"}
    if container in _ARRAYS:
        return _array_schema(container, args, where)
    raise ToolImportError(f"{where}: type {hint!r} has no JSON Schema equivalent")


def _array_schema(container: Any, args: tuple[Any, ...], where: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array"}
    if container is tuple and args and args[-1] is not Ellipsis:
        items = [type_schema(a, where)[0] for a in args]
        schema.update(prefixItems=items, minItems=len(items), maxItems=len(items))
    elif args:
        item = type_schema(args[0], where)[0]
        if item:
            schema["items"] = item
    if container in (set, frozenset, collections.abc.Set):
        schema["uniqueItems"] = True
    return schema


def _enum_schema(values: tuple[Any, ...]) -> dict[str, Any]:
    kinds = {_SCALARS.get(type(v)) for v in values}
    schema: dict[str, Any] = {"enum": list(values)}
    if len(kinds) == 1 and None not in kinds:
        schema["type"] = kinds.pop()
    return schema


def _json_safe(value: Any) -> bool:
    if isinstance(value, _JSON_SCALARS):
        return True
    if isinstance(value, (list, tuple)):
        return all(_json_safe(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_safe(v) for k, v in value.items())
    return False


def _source(func: Callable[..., Any]) -> str:
    try:
        return inspect.getsource(func)
    except (OSError, TypeError):
        return getattr(func, "__qualname__", "")


# -- modules ----------------------------------------------------------------------------------


def load_module(path_or_dotted_name: str) -> list[Api]:
    """The tools of a module, given as a dotted name or a ``.py`` file path (see module doc)."""
    module = _import(path_or_dotted_name)
    return apis_of_module(module)


def apis_of_module(module: types.ModuleType) -> list[Api]:
    """A module's ``@tool`` functions, or else all of its own public functions."""
    declared = [getattr(obj, API_ATTRIBUTE, None) for obj in vars(module).values()]
    found = [a for a in declared if isinstance(a, Api)]
    if found:
        return found
    category = getattr(module, CATEGORY_VARIABLE, DEFAULT_CATEGORY)
    own = [
        obj
        for objname, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__
        and not objname.startswith("_")
    ]  # fmt: skip
    if not own:
        raise ToolImportError(f"{module.__name__}: no public functions to import as tools")
    apis: list[Api] = []
    for func in own:
        try:
            apis.append(api_from_function(func, category))
        except ToolImportError as exc:
            log.warning("%s.%s skipped: %s", module.__name__, func.__name__, exc)
    if not apis:
        raise ToolImportError(f"{module.__name__}: none of its public functions can be a tool")
    return apis


def _import(path_or_dotted_name: str) -> types.ModuleType:
    """Import by dotted name; a file path is imported by its stem, its folder put on sys.path
    so that sandbox workers (which inherit this process's import path) find it too."""
    target = path_or_dotted_name
    if target.endswith(".py") or "/" in target:
        path = Path(target).resolve()
        if not path.is_file():
            raise ToolImportError(f"{target}: no such Python file")
        folder = str(path.parent)
        if folder not in sys.path:
            sys.path.append(folder)
        target = path.stem
    try:
        return importlib.import_module(target)
    except ImportError as exc:
        raise ToolImportError(f"{path_or_dotted_name}: cannot import: {exc}") from exc
    except Exception as exc:  # the module's own top-level code failed: report, don't crash
        raise ToolImportError(f"{path_or_dotted_name}: error while importing: {exc!r}") from exc
