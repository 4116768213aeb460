"""The OpenAPI importer, pure: operations become REST tools with the right schema and binding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from apigen_stream.errors import ToolImportError
from apigen_stream.library import openapi
from apigen_stream.library.registry import Api

SPECIES = "#/components/schemas/Species"
SPEC_PATH = Path(__file__).resolve().parents[1] / "support" / "petstore_openapi.yaml"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return openapi.read_spec(SPEC_PATH)


@pytest.fixture(scope="module")
def tools(spec: dict[str, Any]) -> dict[str, Api]:
    return {a.name: a for a in openapi.apis_from_spec(spec)}


def test_each_operation_is_one_rest_tool(tools: dict[str, Api]) -> None:
    assert set(tools) == {"listPets", "createPet", "get_pets_petId", "delete_pet"}
    for entry in tools.values():
        assert entry.kind == "rest"
        assert entry.executable
        assert entry.rest is not None
        Draft202012Validator.check_schema(entry.parameters)


def test_query_params_with_refs_resolved(tools: dict[str, Api]) -> None:
    entry = tools["listPets"]
    assert entry.description == "List the pets in the store."
    assert entry.category == "Lifestyle"
    assert entry.parameters == {
        "type": "object",
        "properties": {
            "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20,
                      "description": "Page size."},
            "species": {"type": "string", "enum": ["dog", "cat", "bird"],
                        "description": "Only pets of this species."},
        },
        "required": [],
    }  # fmt: skip
    assert entry.rest is not None
    assert entry.rest.method == "GET"
    assert entry.rest.url == "https://pets.example.com/v1/pets"
    assert entry.rest.query_params == ("limit", "species")
    # The operation opts out of the spec-wide security.
    assert entry.rest.auth_env == ""


def test_body_properties_become_arguments_with_auth_from_spec(tools: dict[str, Api]) -> None:
    entry = tools["createPet"]
    assert entry.parameters["properties"]["species"] == {
        "type": "string",
        "enum": ["dog", "cat", "bird"],
    }
    assert entry.parameters["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}
    assert entry.parameters["required"] == ["name", "species"]
    assert entry.rest is not None
    assert entry.rest.method == "POST"
    assert entry.rest.body_params == ("name", "species", "tags")
    assert (entry.rest.auth_env, entry.rest.auth_header) == ("STORE_KEY", "X-Store-Key")
    assert entry.rest.auth_prefix == ""


def test_path_level_params_header_params_and_operation_category(tools: dict[str, Api]) -> None:
    entry = tools["get_pets_petId"]
    assert entry.category == "Data"
    assert entry.description == "Info for one pet."
    assert entry.parameters["required"] == ["petId"]
    assert entry.parameters["properties"]["petId"]["minimum"] == 1
    assert entry.rest is not None
    assert entry.rest.url == "https://pets.example.com/v1/pets/{petId}"
    assert entry.rest.path_params == ("petId",)
    assert entry.rest.header_params == ("X-Request-Id",)


def test_bearer_scheme_with_a_user_env_mapping(spec: dict[str, Any]) -> None:
    found = {a.name: a for a in openapi.apis_from_spec(spec, auth_env={"bearerAuth": "PET_TOKEN"})}
    binding = found["delete_pet"].rest
    assert binding is not None
    assert found["delete_pet"].description == "Remove a pet from the store."
    assert (binding.auth_env, binding.auth_header, binding.auth_prefix) == (
        "PET_TOKEN", "Authorization", "Bearer ",
    )  # fmt: skip


def test_base_url_and_category_given_by_the_caller(spec: dict[str, Any]) -> None:
    relative = {**spec, "servers": [{"url": "/api"}]}
    with pytest.raises(ToolImportError, match="not absolute"):
        openapi.apis_from_spec(relative)
    found = openapi.apis_from_spec(relative, base_url="http://127.0.0.1:8080", category="Other")
    urls = {a.name: a.rest.url for a in found if a.rest is not None}
    assert urls["listPets"] == "http://127.0.0.1:8080/api/pets"
    assert {a.category for a in found} == {"Other", "Data"}


def test_json_spec_reads_like_yaml(spec: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "petstore.json"
    path.write_text(json.dumps(spec))
    assert openapi.apis_from_spec(openapi.read_spec(path)) == openapi.apis_from_spec(spec)


def test_version_changes_with_the_schema(spec: dict[str, Any]) -> None:
    before = {a.name: a.version for a in openapi.apis_from_spec(spec)}
    changed = json.loads(json.dumps(spec))
    changed["components"]["parameters"]["Limit"]["schema"]["maximum"] = 50
    after = {a.name: a.version for a in openapi.apis_from_spec(changed)}
    assert after["listPets"] != before["listPets"]
    assert after["createPet"] == before["createPet"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: s.update(openapi="2.0"), "OpenAPI 3"),
        (lambda s: s["paths"]["/pets"]["get"]["parameters"].append({"$ref": "#/nowhere"}),
         "points to nothing"),
        (lambda s: s["paths"]["/pets"]["get"]["parameters"].append(
            {"$ref": "other.yaml#/x"}), "outside the document"),
        (lambda s: s["components"]["schemas"].update(Species={"$ref": SPECIES}), "too deep"),
        (lambda s: s["paths"]["/pets"]["get"]["parameters"].append(
            {"name": "c", "in": "cookie"}), "unsupported"),
        (lambda s: s["paths"]["/pets"]["get"].update(operationId="createPet"), "share"),
        (lambda s: s["paths"]["/pets"]["post"]["requestBody"]["content"].update(
            {"application/json": {"schema": {"type": "array"}}}), "JSON object"),
    ],
)  # fmt: skip
def test_broken_specs_are_clear_errors(spec: dict[str, Any], mutate: Any, message: str) -> None:
    broken = json.loads(json.dumps(spec))
    mutate(broken)
    with pytest.raises(ToolImportError, match=message):
        openapi.apis_from_spec(broken)


def test_names_and_env_names() -> None:
    assert openapi.tool_name("get", "/users/{id}/posts") == "get_users_id_posts"
    assert openapi.tool_name("post", "/x", "make-order.v2") == "make_order_v2"
    assert openapi.default_env_name("apiKeyAuth") == "API_KEY_AUTH"
    assert openapi.default_env_name("petstore_auth") == "PETSTORE_AUTH"


def test_unreadable_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ToolImportError, match="cannot read"):
        openapi.read_spec(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: [unclosed")
    with pytest.raises(ToolImportError, match="not valid"):
        openapi.read_spec(bad)
