"""The API library: what a tool is, how one is declared, and the registry that holds them.

A built-in API is a plain module-level function with the ``@api`` decorator::

    @api(
        category="Finance",
        description="Monthly payment of a fixed-rate loan.",
        params={
            "principal": {"type": "number", "exclusiveMinimum": 0, "description": "Loan amount."},
            "annual_rate": {"type": "number", "minimum": 0, "maximum": 100, "description": "..."},
            "years": {"type": "integer", "minimum": 1, "maximum": 50, "description": "..."},
        },
        templates=[
            "What is the monthly payment on {principal} at {annual_rate}% over {years} years?",
            "I borrow {principal} for {years} years at {annual_rate}%: how much a month?",
        ],
        examples=[("Monthly payment on 200000 at 6.5% for 30 years?",
                   {"principal": 200000, "annual_rate": 6.5, "years": 30})],
    )
    def loan_payment(principal: float, annual_rate: float, years: int = 30) -> dict[str, float]:
        ...

``params`` are the JSON Schema ``properties``; ``required`` and ``default`` come from the
function's signature, and the decorator checks that both agree. The sandbox runs the function by
its import path (``module:name``) in a worker process, so it must be importable and module-level.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal, TypeVar

import msgspec

from apigen_stream.errors import ToolImportError, UnknownApi
from apigen_stream.records import Call, Example, Tool

# The paper's 21 categories, in its order (largest share first).
CATEGORIES: tuple[str, ...] = (
    "Finance", "Data", "Sports", "Travel", "Technology", "Social", "Media", "Entertainment",
    "Tools", "Math", "Business", "Music", "Gaming", "Commerce", "Environment", "Education",
    "Communication", "Lifestyle", "Health", "Other", "Science",
)  # fmt: skip

ApiKind = Literal["python", "rest", "schema"]

# The id ending of a harvested API's seed example: the probe call that showed it works.
PROBE_EXAMPLE_SUFFIX = "#probe"


@dataclass(frozen=True, slots=True)
class RestBinding:
    """How a REST tool (from an OpenAPI operation) is called over HTTP."""

    method: str
    # Absolute URL with ``{param}`` placeholders for path parameters.
    url: str
    path_params: tuple[str, ...] = ()
    query_params: tuple[str, ...] = ()
    header_params: tuple[str, ...] = ()
    body_params: tuple[str, ...] = ()
    # Name of the environment variable holding the credential, and where it goes.
    auth_env: str = ""
    auth_header: str = ""
    auth_query: str = ""
    auth_prefix: str = ""


@dataclass(frozen=True, slots=True)
class Api:
    """One tool of the library: schema, implementation, query templates and seed examples."""

    name: str
    category: str
    description: str
    # JSON Schema of the arguments: {"type": "object", "properties", "required"}.
    parameters: dict[str, Any]
    kind: ApiKind = "python"
    # ``module:function`` for python tools, run by the sandbox in a worker process.
    target: str = ""
    rest: RestBinding | None = None
    templates: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    version: str = field(default="")
    # The recorded result of the first seed example (harvested APIs: what their probe returned).
    seed_result: Any = None

    def tool(self) -> Tool:
        """The tool as offered to a generator and checked by the format stage."""
        return Tool(
            name=self.name,
            description=self.description,
            parameters=self.parameters,
            category=self.category,
        )

    @property
    def executable(self) -> bool:
        """Whether calls to this tool can really run (schema-only tools cannot)."""
        return self.kind != "schema"


def version_of(*parts: object) -> str:
    """A short content hash: changes whenever a schema, description or source changes."""
    digest = hashlib.sha256(msgspec.json.encode(parts, order="sorted")).hexdigest()
    return digest[:12]


F = TypeVar("F", bound=Callable[..., Any])

API_ATTRIBUTE = "__apigen_api__"


def api(
    *,
    category: str,
    description: str,
    params: Mapping[str, Mapping[str, Any]],
    templates: Iterable[str],
    examples: Iterable[tuple[str, Mapping[str, Any]]],
    name: str | None = None,
) -> Callable[[F], F]:
    """Declare a module-level function as a built-in API (see the module docstring)."""

    def decorate(func: F) -> F:
        api_name = name or func.__name__
        parameters = _parameters_from_signature(api_name, func, params)
        declared = Api(
            name=api_name,
            category=category,
            description=description,
            parameters=parameters,
            target=f"{func.__module__}:{func.__qualname__}",
            templates=tuple(templates),
            examples=tuple(_example(api_name, i, q, a) for i, (q, a) in enumerate(examples)),
            version=version_of(api_name, description, parameters, _source(func)),
        )
        setattr(func, API_ATTRIBUTE, declared)
        return func

    return decorate


def _example(api_name: str, index: int, query: str, arguments: Mapping[str, Any]) -> Example:
    call = Call(name=api_name, arguments=dict(arguments))
    return Example(id=f"{api_name}#{index}", query=query, calls=[call])


def _source(func: Callable[..., Any]) -> str:
    try:
        return inspect.getsource(func)
    except (OSError, TypeError):
        return func.__qualname__


def _parameters_from_signature(
    api_name: str, func: Callable[..., Any], params: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    signature = inspect.signature(func)
    names = set(signature.parameters)
    if names != set(params):
        raise ToolImportError(
            f"{api_name}: params {sorted(params)} do not match the signature {sorted(names)}"
        )
    properties: dict[str, Any] = {}
    required: list[str] = []
    for pname, p in signature.parameters.items():
        prop = dict(params[pname])
        if p.default is inspect.Parameter.empty:
            required.append(pname)
        else:
            prop.setdefault("default", p.default)
        properties[pname] = prop
    return {"type": "object", "properties": properties, "required": required}


def apis_in_module(module: ModuleType) -> list[Api]:
    """The ``@api``-declared functions of a module, in definition order."""
    found = [getattr(obj, API_ATTRIBUTE, None) for obj in vars(module).values()]
    return [a for a in found if isinstance(a, Api)]


class Registry:
    """Every tool the pipeline can offer and run, by name."""

    def __init__(self, apis: Iterable[Api] = ()) -> None:
        self._apis: dict[str, Api] = {}
        for a in apis:
            self.add(a)

    def add(self, entry: Api) -> None:
        """Register a tool; a second tool of the same name is an error, not a silent replace."""
        if entry.name in self._apis:
            raise ToolImportError(f"two tools are named {entry.name!r}")
        self._apis[entry.name] = entry

    def get(self, name: str) -> Api:
        """The tool called ``name``."""
        try:
            return self._apis[name]
        except KeyError:
            raise UnknownApi(f"no tool named {name!r} in the library") from None

    def __contains__(self, name: object) -> bool:
        return name in self._apis

    def __iter__(self) -> Iterator[Api]:
        return iter(self._apis.values())

    def __len__(self) -> int:
        return len(self._apis)

    def by_category(self) -> dict[str, list[Api]]:
        """Tools grouped by category, categories in the paper's order."""
        groups: dict[str, list[Api]] = {}
        for a in self._apis.values():
            groups.setdefault(a.category, []).append(a)
        return dict(sorted(groups.items(), key=lambda kv: _category_rank(kv[0])))

    @property
    def version(self) -> str:
        """The library's version: a hash over every tool's version."""
        return version_of(sorted((a.name, a.version) for a in self._apis.values()))


def _category_rank(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


BUILTIN_PACKAGE = "apigen_stream.library.builtin"
BUILTIN_MODULES: tuple[str, ...] = tuple(c.lower() for c in CATEGORIES)


def builtin_apis() -> list[Api]:
    """Every built-in API, one module per category under ``library/builtin``."""
    found: list[Api] = []
    for module_name in BUILTIN_MODULES:
        found.extend(apis_in_module(importlib.import_module(f"{BUILTIN_PACKAGE}.{module_name}")))
    return found
