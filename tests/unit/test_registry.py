"""Loading the configured library: duplicates, categories, versions, and users' tool files."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from apigen_stream.config import LibraryConfig, SandboxConfig
from apigen_stream.errors import ToolImportError, UnknownApi
from apigen_stream.library import python_import
from apigen_stream.library.load import load_registry, with_implementation
from apigen_stream.library.registry import CATEGORIES, Api, Registry
from apigen_stream.sandbox.pool import SandboxPool
from tests.support.data import DATA

SUPPORT = Path(__file__).resolve().parents[1] / "support"
XLAM = DATA / "xlam_samples.json"
BFCL_SIMPLE = DATA / "bfcl" / "BFCL_v3_simple.json"
IMPLS = "tests.support.dataset_impls"

OPENAI_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather of a city.",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string"},
                    "unit": {"type": "string", "enum": ["c", "f"]},
                },
                "required": ["city"],
            },
        },
    }
]


def _xlam_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(XLAM.read_text())
    return rows


def test_two_tools_of_one_name_are_an_error_naming_both_sources() -> None:
    config = LibraryConfig(builtin=False, python_modules=[IMPLS, str(SUPPORT / "dataset_impls.py")])
    with pytest.raises(ToolImportError, match=r"'mailcheck' is defined twice: in module .*"):
        load_registry(config, {})
    entry = python_import.api_from_function(python_import.load_module, "Tools")
    registry = Registry([entry])
    with pytest.raises(ToolImportError, match="two tools"):
        registry.add(entry)
    with pytest.raises(UnknownApi):
        registry.get("nothing")


def test_by_category_groups_in_the_paper_order() -> None:
    config = LibraryConfig(builtin=False, python_modules=[IMPLS, "tests.support.sample_tools"])
    groups = load_registry(config, {}).by_category()
    assert list(groups) == sorted(groups, key=CATEGORIES.index)
    assert {a.name for a in groups["Commerce"]} == {
        "get_products_in_category", "navigations_get_node_content",
    }  # fmt: skip
    assert {a.name for a in groups["Math"]} == {"math.factorial"}


def test_version_changes_when_a_schema_changes() -> None:
    def v1(city: str) -> str:
        """Weather."""
        return city

    def v2(city: str, days: int = 1) -> str:
        """Weather."""
        return city

    first = python_import.api_from_function(v1, name="weather")
    again = python_import.api_from_function(v1, name="weather")
    second = python_import.api_from_function(v2, name="weather")
    assert first.version == again.version
    assert first.version != second.version
    assert Registry([first]).version != Registry([second]).version


def _tool_files(tmp_path: Path) -> list[str]:
    openai_file = tmp_path / "openai_tools.json"
    openai_file.write_text(json.dumps(OPENAI_TOOLS))
    # Tools in JSON Lines: one bare xlam definition per line.
    xlam_lines = tmp_path / "xlam_tools.jsonl"
    tools = json.loads(_xlam_rows()[1]["tools"])
    xlam_lines.write_text("\n".join(json.dumps(t) for t in tools) + "\n")
    return [str(XLAM), str(BFCL_SIMPLE), str(openai_file), str(xlam_lines)]


def test_xlam_openai_and_bfcl_files_load_as_schema_only_tools(tmp_path: Path) -> None:
    registry = load_registry(LibraryConfig(builtin=False, tool_files=_tool_files(tmp_path)), {})
    for entry in registry:
        assert entry.kind == "schema"
        assert not entry.executable
        Draft202012Validator.check_schema(entry.parameters)
    weather = registry.get("get_weather")
    assert weather.parameters["required"] == ["city"]
    cities = registry.get("country_region_cities").parameters
    # xlam: "int, optional" is an optional integer; a plain "str" is required.
    assert cities["properties"]["limit"]["type"] == "integer"
    assert "limit" not in cities["required"]
    assert "countryid" in cities["required"]
    factorial = registry.get("math.factorial").parameters
    assert factorial["type"] == "object"
    assert factorial["required"] == ["number"]


def test_conflicting_definitions_in_one_file_keep_the_first(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "tools.json"
    other = json.loads(json.dumps(OPENAI_TOOLS[0]))
    other["function"]["description"] = "Something else."
    path.write_text(json.dumps([OPENAI_TOOLS[0], OPENAI_TOOLS[0], other]))
    with caplog.at_level(logging.WARNING):
        registry = load_registry(LibraryConfig(builtin=False, tool_files=[str(path)]), {})
    assert registry.get("get_weather").description == "Current weather of a city."
    assert "get_weather" in caplog.text


def test_tool_files_become_executable_with_an_implementation(tmp_path: Path) -> None:
    config = LibraryConfig(builtin=False, python_modules=[IMPLS], tool_files=_tool_files(tmp_path))
    registry = load_registry(config, {})
    mailcheck = registry.get("mailcheck")
    assert (mailcheck.kind, mailcheck.target) == ("python", f"{IMPLS}:mailcheck")
    # Offered under the file's schema and description, not the implementation's.
    assert mailcheck.description.startswith("Checks if an email domain is valid")
    assert registry.get("math.factorial").target == f"{IMPLS}:factorial"
    assert registry.get("get_breed_information").kind == "schema"


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_dataset_answers_validate_and_run(tmp_path: Path, anyio_backend: str) -> None:
    config = LibraryConfig(builtin=False, python_modules=[IMPLS], tool_files=_tool_files(tmp_path))
    registry = load_registry(config, {})
    answers = [a for row in _xlam_rows() for a in json.loads(row["answers"])]
    answers.append({"name": "math.factorial", "arguments": {"number": 5}})
    runnable = [a for a in answers if registry.get(a["name"]).executable]
    assert {a["name"] for a in runnable} == {
        "mailcheck", "get_products_in_category", "navigations_get_node_content", "math.factorial",
    }  # fmt: skip
    specs: list[tuple[str, str, dict[str, Any]]] = []
    for answer in runnable:
        entry = registry.get(answer["name"])
        Draft202012Validator(entry.parameters).validate(answer["arguments"])
        specs.append((entry.target, entry.name, answer["arguments"]))
    async with SandboxPool(SandboxConfig(workers=1)) as pool:
        outcomes = await pool.run_many(specs)
    assert all(o.ok for o in outcomes), [o.detail for o in outcomes if not o.ok]
    assert outcomes[-1].result == 120
    assert outcomes[0].result == {"domain": "protonmail.com", "valid": True, "disposable": False}


def test_an_implementation_must_fit_the_schema() -> None:
    schema_only = Api(
        name="mailcheck",
        category="Other",
        description="",
        parameters={"type": "object", "properties": {"email": {"type": "string"}}},
        kind="schema",
    )
    implementation = python_import.load_module(IMPLS)[0]
    with pytest.raises(ToolImportError, match="schema offers"):
        with_implementation(schema_only, implementation)


def test_openapi_specs_and_paths_from_env(tmp_path: Path) -> None:
    config = LibraryConfig(
        builtin=False,
        openapi_specs=["$SPECS/petstore_openapi.yaml"],
        openapi_auth_env={"storeKey": "PETSTORE_KEY"},
    )
    registry = load_registry(config, {"SPECS": str(SUPPORT)})
    entry = registry.get("createPet")
    assert entry.kind == "rest"
    assert entry.rest is not None
    assert entry.rest.auth_env == "PETSTORE_KEY"
    with pytest.raises(ToolImportError, match="cannot read"):
        load_registry(config, {})


@pytest.mark.parametrize(
    ("content", "message"),
    [('{"name": "x"}\n{oops\n', "not JSON"), ("[1, 2]", "expected a tool definition")],
)
def test_broken_tool_files_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "tools.jsonl"
    path.write_text(content)
    with pytest.raises(ToolImportError, match=message):
        load_registry(LibraryConfig(builtin=False, tool_files=[str(path)]), {})
