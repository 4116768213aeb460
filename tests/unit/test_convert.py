"""Tool conversion: xlam, OpenAI and BFCL shapes to JSON Schema and back, on real data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from apigen_stream.library.convert import (
    detect_tool_shape,
    normalize_schema,
    tool_from_any,
    tool_from_bfcl,
    tool_from_openai,
    tool_from_xlam,
    tool_to_openai,
    tool_to_xlam,
)
from apigen_stream.library.pytype import parse_type_text, type_text
from apigen_stream.records import Tool
from tests.support.data import DATA

BFCL_TYPES = {"dict", "float", "tuple", "any"}


def xlam_tools() -> list[dict[str, Any]]:
    rows = json.loads((DATA / "xlam_samples.json").read_text())
    return [tool for row in rows for tool in json.loads(row["tools"])]


def bfcl_functions() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for kind in ("simple", "multiple"):
        for line in (DATA / "bfcl" / f"BFCL_v3_{kind}.json").read_text().splitlines():
            out.extend(json.loads(line)["function"])
    return out


def types_in(schema: Any) -> set[str]:
    """Every ``type`` name anywhere in a schema."""
    if isinstance(schema, list):
        return set().union(*(types_in(s) for s in schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    kinds = schema.get("type")
    found = set(kinds) if isinstance(kinds, list) else {kinds} if isinstance(kinds, str) else set()
    return found.union(*(types_in(v) for v in schema.values()))


def test_real_xlam_tools_are_detected_converted_and_round_trip() -> None:
    tools = xlam_tools()
    assert len(tools) == 9
    for raw in tools:
        assert detect_tool_shape(raw) == "xlam"
        tool = tool_from_any(raw)
        Draft202012Validator.check_schema(tool.parameters)
        assert tool.parameters["type"] == "object"
        optional = {p for p, spec in raw["parameters"].items() if "optional" in spec["type"]}
        assert set(tool.parameters["required"]) == set(raw["parameters"]) - optional
        assert tool_to_xlam(tool) == raw


def test_xlam_parameter_named_type_is_not_mistaken_for_a_schema() -> None:
    raw = xlam_tools()[0]  # live_giveaways_by_type: its one parameter is called "type"
    assert "type" in raw["parameters"]
    tool = tool_from_any(raw)
    assert tool.parameters["properties"]["type"]["type"] == "string"
    assert tool.parameters["required"] == ["type"]


@pytest.mark.parametrize(
    ("text", "schema", "optional"),
    [
        ("str", {"type": "string"}, False),
        ("str, optional", {"type": "string"}, True),
        ("int, optional", {"type": "integer"}, True),
        ("float", {"type": "number"}, False),
        ("bool", {"type": "boolean"}, False),
        ("List[int]", {"type": "array", "items": {"type": "integer"}}, False),
        ("list", {"type": "array"}, False),
        ("Dict[str, Any]", {"type": "object"}, False),
        ("Dict[str, int]", {"type": "object", "additionalProperties": {"type": "integer"}}, False),
        ("Union[int, str]", {"type": ["integer", "string"]}, False),
        ("int | None", {"type": ["integer", "null"]}, False),
        ("Optional[int]", {"type": ["integer", "null"]}, True),
        ("Tuple[int, ...]", {"type": "array", "items": {"type": "integer"}}, False),
        (
            "Tuple[float, float]",
            {
                "type": "array",
                "prefixItems": [{"type": "number"}, {"type": "number"}],
                "minItems": 2,
                "maxItems": 2,
            },
            False,
        ),
        ("set", {"type": "array"}, False),
        ("Set[str]", {"type": "array", "items": {"type": "string"}}, False),
        ("Any", {}, False),
        ("typing.List[str]", {"type": "array", "items": {"type": "string"}}, False),
        (
            "List[Dict[str, Union[int, float]]]",
            {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": {"type": ["integer", "number"]},
                },
            },
            False,
        ),
        ("Literal['a', 'b']", {"enum": ["a", "b"]}, False),
        (
            "Union[List[int], str]",
            {"anyOf": [{"type": "array", "items": {"type": "integer"}}, {"type": "string"}]},
            False,
        ),
        ("Callable[[int], str]", {}, False),
        ("a pandas DataFrame", {}, False),
        ("List[int", {}, False),
        ("", {}, False),
        ("Dict[str, List[", {}, False),
        ("weird<type>, optional", {}, True),
    ],
)
def test_type_text_parses_robustly(text: str, schema: dict[str, Any], optional: bool) -> None:
    assert parse_type_text(text) == (schema, optional)
    Draft202012Validator.check_schema(schema)


def test_hostile_type_text_neither_crashes_nor_recurses_forever() -> None:
    assert parse_type_text("List[" * 10_000 + "int" + "]" * 10_000) == ({}, False)
    assert parse_type_text("Union[" + ", ".join(["int"] * 5_000) + "]")[1] is False


@pytest.mark.parametrize(
    "text",
    ["str", "int", "float", "bool", "Any", "List[int]", "List", "Dict[str, Any]",
     "Dict[str, int]", "Tuple[float, float]", "Optional[int]", "Union[int, str]",
     "List[Dict[str, Any]]", "Optional[Union[int, str]]"],
)  # fmt: skip
def test_type_text_is_the_inverse_of_parsing(text: str) -> None:
    assert type_text(parse_type_text(text)[0]) == text


def test_xlam_defaults_are_typed_only_when_they_write_back_exactly() -> None:
    raw = {
        "name": "f",
        "description": "d",
        "parameters": {
            "a": {"description": "", "type": "int", "default": "42"},
            "b": {"description": "", "type": "int, optional", "default": "007"},
            "c": {"description": "", "type": "str, optional", "default": "None"},
            "d": {"description": "", "type": "bool, optional", "default": "True"},
            "e": {"description": "", "type": "bool, optional", "default": "true"},
            "f": {"description": "", "type": "float", "default": "1.5"},
            "g": {"description": "", "type": "str", "default": ""},
        },
    }
    props = tool_from_xlam(raw).parameters["properties"]
    assert props["a"]["default"] == 42
    assert props["b"]["default"] == "007"
    assert props["c"]["default"] is None
    assert props["d"]["default"] is True
    assert props["e"]["default"] == "true"
    assert props["f"]["default"] == 1.5
    assert "default" not in props["g"]
    assert tool_to_xlam(tool_from_xlam(raw)) == raw


def test_bfcl_functions_become_json_schema_and_round_trip_through_openai() -> None:
    functions = bfcl_functions()
    assert len(functions) > 900
    for raw in functions:
        assert detect_tool_shape(raw) == "bfcl"
        tool = tool_from_any(raw)
        Draft202012Validator.check_schema(tool.parameters)
        assert not types_in(tool.parameters) & BFCL_TYPES, raw["name"]
        wrapped = tool_to_openai(tool)
        assert detect_tool_shape(wrapped) == "openai"
        assert tool_from_any(wrapped) == tool
        assert detect_tool_shape(wrapped["function"]) == "jsonschema"
        assert tool_from_any(wrapped["function"]) == tool


def test_bfcl_type_names_map_to_json_schema() -> None:
    raw = {
        "name": "f",
        "parameters": {
            "type": "dict",
            "properties": {
                "x": {"type": "float"},
                "pair": {"type": "tuple", "items": {"type": "float"}},
                "anything": {"type": "any", "description": "kept"},
                "nested": {"type": "dict", "properties": {"n": {"type": "integer"}},
                           "required": ["n"]},
                "flag": {"type": "boolean", "optional": "True", "default": "false"},
                "mode": {"type": "string", "enum": ["a", "b"]},
            },
            "required": ["x", "flag"],
        },
    }  # fmt: skip
    schema = tool_from_bfcl(raw).parameters
    props = schema["properties"]
    assert schema["type"] == "object"
    assert props["x"] == {"type": "number"}
    assert props["pair"] == {"type": "array", "items": {"type": "number"}}
    assert props["anything"] == {"description": "kept"}
    assert props["nested"]["type"] == "object"
    assert props["nested"]["properties"]["n"] == {"type": "integer"}
    assert props["mode"]["enum"] == ["a", "b"]
    # "optional" is not JSON Schema: it leaves the schema, and takes the name out of required.
    assert "optional" not in props["flag"]
    assert schema["required"] == ["x"]
    assert normalize_schema(schema) == schema  # idempotent on JSON Schema


def test_openai_shapes_and_missing_parameters() -> None:
    fn = {"name": "ping", "description": "Ping."}
    assert detect_tool_shape({"type": "function", "function": fn}) == "openai"
    tool = tool_from_openai({"type": "function", "function": fn})
    assert tool == Tool(name="ping", description="Ping.",
                        parameters={"type": "object", "properties": {}})  # fmt: skip
    assert tool_from_any(fn) == tool


def test_converted_tools_share_no_state_with_their_source() -> None:
    raw: dict[str, Any] = {
        "name": "f",
        "parameters": {"type": "object", "properties": {"a": {"type": "string"}}},
    }
    tool = tool_from_openai(raw)
    raw["parameters"]["properties"]["a"]["type"] = "integer"
    assert tool.parameters["properties"]["a"]["type"] == "string"
    exported = tool_to_openai(tool)
    exported["function"]["parameters"]["properties"].clear()
    assert tool.parameters["properties"]


def test_to_xlam_marks_optional_and_writes_defaults_as_strings() -> None:
    tool = Tool(
        name="f",
        description="d",
        parameters={
            "type": "object",
            "properties": {
                "q": {"type": "string", "description": "query"},
                "n": {"type": "integer", "default": 10},
                "tags": {"type": "array", "items": {"type": "string"}, "default": ["a"]},
                "flag": {"type": "boolean", "default": False},
            },
            "required": ["q"],
        },
    )
    params = tool_to_xlam(tool)["parameters"]
    assert params["q"] == {"description": "query", "type": "str", "default": ""}
    assert params["n"] == {"description": "", "type": "int, optional", "default": "10"}
    assert params["tags"]["type"] == "List[str], optional"
    assert params["tags"]["default"] == '["a"]'
    assert params["flag"]["default"] == "False"
    assert all(isinstance(p["default"], str) for p in params.values())
    assert tool_from_xlam(tool_to_xlam(tool)).parameters["required"] == ["q"]
