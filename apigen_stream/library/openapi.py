"""OpenAPI 3 specs as REST tools: each operation becomes one ``Api`` of kind ``rest``.

Path, query and header parameters and the properties of a JSON object request body become the
tool's arguments (a body property may not share a name with a parameter). ``$ref`` pointers
within the document are resolved. The tool is named by ``operationId``, else by method and path.
Security: ``apiKey`` in a header or query, and ``http`` bearer (and ``oauth2``/``openIdConnect``,
sent as bearer tokens) name the environment variable holding the credential: the caller's
mapping from scheme name to variable, else the scheme name in upper snake case.

``apis_from_spec`` is pure; ``read_spec`` reads a JSON or YAML file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from apigen_stream.errors import ToolImportError
from apigen_stream.library.registry import CATEGORIES, Api, RestBinding, version_of

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# Extension naming a tool's category on an operation, a path or the whole spec.
CATEGORY_EXTENSION = "x-apigen-category"
DEFAULT_CATEGORY = "Other"
# A $ref chain deeper than this is a cycle (or an abuse): a spec this nested is not a real API.
MAX_REF_DEPTH = 64
_NOT_NAME = re.compile(r"[^A-Za-z0-9]+")


def read_spec(path: str | Path) -> dict[str, Any]:
    """A spec file as a dict; YAML is a superset of JSON, so one parser reads both."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ToolImportError(f"{path}: cannot read the OpenAPI spec: {exc.strerror}") from exc
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ToolImportError(f"{path}: not valid JSON or YAML: {exc}") from exc
    if not isinstance(spec, dict):
        raise ToolImportError(f"{path}: an OpenAPI spec is an object at the top level")
    return spec


def apis_from_spec(
    spec: Mapping[str, Any],
    *,
    base_url: str = "",
    auth_env: Mapping[str, str] | None = None,
    category: str = "",
) -> list[Api]:
    """Every operation of ``spec`` as a REST tool (see the module docstring)."""
    version = str(spec.get("openapi", ""))
    if not version.startswith("3."):
        raise ToolImportError(f"only OpenAPI 3 specs are supported (openapi: {version!r})")
    server = server_url(spec, base_url)
    default_category = category or spec.get("info", {}).get(CATEGORY_EXTENSION, DEFAULT_CATEGORY)
    apis: list[Api] = []
    for path, raw_item in (spec.get("paths") or {}).items():
        item = resolve(spec, raw_item)
        for method in METHODS:
            if method in item:
                op = resolve(spec, item[method])
                op_category = op.get(CATEGORY_EXTENSION) or item.get(CATEGORY_EXTENSION)
                context = _Operation(spec, server, path, method, item, op, auth_env or {})
                apis.append(context.api(op_category or default_category))
    names = [a.name for a in apis]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ToolImportError(f"operations share the tool names {duplicates}")
    return apis


def server_url(spec: Mapping[str, Any], base_url: str = "") -> str:
    """The absolute base URL: ``servers[0]`` (variables at their defaults) against ``base_url``."""
    servers = spec.get("servers") or [{"url": "/"}]
    first = servers[0]
    url = str(first.get("url", "/"))
    for var, definition in (first.get("variables") or {}).items():
        url = url.replace("{" + var + "}", str(definition.get("default", "")))
    if base_url:
        url = urljoin(base_url.rstrip("/") + "/", url.lstrip("/"))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ToolImportError(f"server URL {url!r} is not absolute: give a base URL")
    return url.rstrip("/")


def resolve(spec: Mapping[str, Any], node: Any, depth: int = 0) -> Any:
    """``node`` with a top-level ``$ref`` (a JSON pointer within ``spec``) followed."""
    while isinstance(node, Mapping) and "$ref" in node:
        depth += 1
        if depth > MAX_REF_DEPTH:
            raise ToolImportError(f"$ref chain too deep (a cycle?) at {node['$ref']!r}")
        node = _pointer(spec, str(node["$ref"]))
    return node


def resolve_schema(spec: Mapping[str, Any], schema: Any, depth: int = 0) -> Any:
    """A schema with every ``$ref`` inside it replaced by its target, recursively."""
    if depth > MAX_REF_DEPTH:
        raise ToolImportError("schema nested too deep (a recursive $ref?)")
    schema = resolve(spec, schema)
    if isinstance(schema, Mapping):
        return {k: resolve_schema(spec, v, depth + 1) for k, v in schema.items()}
    if isinstance(schema, list):
        return [resolve_schema(spec, v, depth + 1) for v in schema]
    return schema


def _pointer(spec: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#"):
        raise ToolImportError(f"$ref {ref!r} points outside the document (not supported)")
    node: Any = spec
    for token in filter(None, ref[1:].split("/")):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise ToolImportError(f"$ref {ref!r} points to nothing")
    return node


def tool_name(method: str, path: str, operation_id: str = "") -> str:
    """``operationId`` made a valid name, else ``method_path`` (``get_pets_petId``)."""
    raw = operation_id or f"{method}_{path}"
    name = _NOT_NAME.sub("_", raw).strip("_")
    if not name:
        raise ToolImportError(f"{method.upper()} {path}: cannot derive a tool name")
    return name


def default_env_name(scheme: str) -> str:
    """The environment variable for a security scheme: ``apiKeyAuth`` -> ``API_KEY_AUTH``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", scheme)
    return _NOT_NAME.sub("_", spaced).strip("_").upper()


class _Operation:
    """One operation being turned into a tool; holds what its helpers share."""

    def __init__(
        self,
        spec: Mapping[str, Any],
        server: str,
        path: str,
        method: str,
        item: Mapping[str, Any],
        op: Mapping[str, Any],
        auth_env: Mapping[str, str],
    ) -> None:
        self.spec, self.server, self.path, self.method = spec, server, path, method
        self.item, self.op, self.auth_env = item, op, auth_env
        self.label = f"{method.upper()} {path}"

    def api(self, category: str) -> Api:
        if category not in CATEGORIES:
            raise ToolImportError(f"{self.label}: unknown category {category!r}")
        name = tool_name(self.method, self.path, str(self.op.get("operationId", "")))
        properties: dict[str, Any] = {}
        required: list[str] = []
        places: dict[str, list[str]] = {"path": [], "query": [], "header": [], "body": []}
        for param in self._parameters():
            self._add(properties, required, places, param)
        self._add_body(properties, required, places)
        parameters = {"type": "object", "properties": properties, "required": required}
        binding = RestBinding(
            method=self.method.upper(),
            url=self.server + self.path,
            path_params=tuple(places["path"]),
            query_params=tuple(places["query"]),
            header_params=tuple(places["header"]),
            body_params=tuple(places["body"]),
            **self._auth(),
        )
        summary = self.op.get("summary") or self.op.get("description") or self.label
        description = " ".join(str(summary).split())
        return Api(name=name, category=category, description=description,
                   parameters=parameters, kind="rest", rest=binding,
                   version=version_of(name, description, parameters, binding))  # fmt: skip

    def _parameters(self) -> list[Mapping[str, Any]]:
        """Path-level parameters overridden by the operation's, by (name, in)."""
        merged: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in [*(self.item.get("parameters") or []), *(self.op.get("parameters") or [])]:
            param = resolve(self.spec, raw)
            merged[(str(param.get("name")), str(param.get("in")))] = param
        return list(merged.values())

    def _add(
        self,
        properties: dict[str, Any],
        required: list[str],
        places: dict[str, list[str]],
        param: Mapping[str, Any],
    ) -> None:
        name, where = str(param.get("name", "")), str(param.get("in", ""))
        if where not in ("path", "query", "header"):
            raise ToolImportError(f"{self.label}: parameter {name!r} in {where!r} unsupported")
        if name in properties:
            raise ToolImportError(f"{self.label}: two parameters are named {name!r}")
        schema = dict(resolve_schema(self.spec, self._param_schema(param)))
        if param.get("description") and "description" not in schema:
            schema["description"] = " ".join(str(param["description"]).split())
        properties[name] = schema
        places[where].append(name)
        if where == "path" or param.get("required"):
            required.append(name)

    def _param_schema(self, param: Mapping[str, Any]) -> Any:
        if "schema" in param:
            return param["schema"]
        for media in (param.get("content") or {}).values():
            return media.get("schema", {})
        return {"type": "string"}

    def _add_body(
        self, properties: dict[str, Any], required: list[str], places: dict[str, list[str]]
    ) -> None:
        if "requestBody" not in self.op:
            return
        body = resolve(self.spec, self.op["requestBody"])
        content = body.get("content") or {}
        media = next((v for k, v in content.items() if "json" in k), None)
        schema = resolve_schema(self.spec, (media or {}).get("schema", {}))
        if media is None or schema.get("type", "object") != "object":
            raise ToolImportError(f"{self.label}: only JSON object request bodies are supported")
        for name, prop in (schema.get("properties") or {}).items():
            if name in properties:
                raise ToolImportError(f"{self.label}: body property {name!r} clashes")
            properties[name] = prop
            places["body"].append(name)
            if body.get("required") and name in (schema.get("required") or []):
                required.append(name)

    def _auth(self) -> dict[str, str]:
        requirements = self.op.get("security", self.spec.get("security")) or []
        schemes = (self.spec.get("components") or {}).get("securitySchemes") or {}
        for requirement in requirements:
            for scheme_name in requirement:
                scheme = resolve(self.spec, schemes.get(scheme_name, {}))
                binding = _scheme_binding(scheme)
                if binding:
                    env = self.auth_env.get(scheme_name) or default_env_name(scheme_name)
                    return {"auth_env": env, **binding}
        return {}


def _scheme_binding(scheme: Mapping[str, Any]) -> dict[str, str]:
    """Where a scheme's credential goes; empty for schemes we cannot fill (basic, cookie)."""
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") == "header":
        return {"auth_header": str(scheme.get("name", ""))}
    if kind == "apiKey" and scheme.get("in") == "query":
        return {"auth_query": str(scheme.get("name", ""))}
    bearer = kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer"
    if bearer or kind in ("oauth2", "openIdConnect"):
        return {"auth_header": "Authorization", "auth_prefix": "Bearer "}
    return {}
