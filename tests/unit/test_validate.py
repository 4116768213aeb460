"""The compiled validator: agreement with jsonschema, reason codes, paths, guards, caching."""

from __future__ import annotations

import ast
import json
import random
import time
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from apigen_stream import reasons
from apigen_stream.library import validate as validate_module
from apigen_stream.library.convert import tool_from_any
from apigen_stream.library.validate import (
    MAX_PATTERN_CHARS,
    Violation,
    compile_schema,
    json_equal,
    validate,
)
from tests.support.data import DATA

# Values of every JSON type, including the ones that trip type checks (bool vs int, 2.0).
POOL: list[Any] = [
    None, True, False, 0, 1, -3, 7, 2.0, 1.5, -0.5, 1e300, "", "x", "2024-12-25", "1010",
    "Patio", "a" * 30, [], [1], ["a", "b"], [1.5, 2.5], [[1]], {}, {"a": 1}, {"n": "x"},
]  # fmt: skip


def tool_schemas() -> list[dict[str, Any]]:
    """Every BFCL and xlam tool schema of the test data, converted."""
    raws: list[dict[str, Any]] = []
    for kind in ("simple", "multiple"):
        for line in (DATA / "bfcl" / f"BFCL_v3_{kind}.json").read_text().splitlines():
            raws.extend(json.loads(line)["function"])
    for row in json.loads((DATA / "xlam_samples.json").read_text()):
        raws.extend(json.loads(row["tools"]))
    return [tool_from_any(raw).parameters for raw in raws]


def valid_value(schema: Any, rng: random.Random) -> Any:
    """A value that satisfies the (tool-subset) schema, or a random one for open schemas."""
    if not isinstance(schema, dict):
        return rng.choice(POOL)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kinds = schema.get("type")
    kind = rng.choice(kinds) if isinstance(kinds, list) else kinds
    if kind == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        return {k: valid_value(s, rng) for k, s in props.items()
                if k in required or rng.random() < 0.5}  # fmt: skip
    if kind == "array":
        if "prefixItems" in schema:
            return [valid_value(s, rng) for s in schema["prefixItems"]]
        return [valid_value(schema.get("items", {}), rng) for _ in range(rng.randint(0, 3))]
    simple = {"string": "text", "integer": rng.randint(-5, 5), "number": rng.random() * 10,
              "boolean": rng.random() < 0.5, "null": None}  # fmt: skip
    return simple.get(kind, rng.choice(POOL)) if isinstance(kind, str) else rng.choice(POOL)


def mutate(instance: Any, rng: random.Random) -> Any:
    """Replace one value somewhere, drop a key or add one."""
    if isinstance(instance, dict) and instance and rng.random() < 0.8:
        key = rng.choice(list(instance))
        choice = rng.random()
        if choice < 0.2:
            return {k: v for k, v in instance.items() if k != key}
        if choice < 0.3:
            return {**instance, "zz_extra": rng.choice(POOL)}
        return {**instance, key: mutate(instance[key], rng)}
    if isinstance(instance, list) and instance and rng.random() < 0.7:
        i = rng.randrange(len(instance))
        return [*instance[:i], mutate(instance[i], rng), *instance[i + 1 :]]
    return rng.choice(POOL)


def assert_agrees(schema: dict[str, Any], instances: list[Any]) -> tuple[int, int]:
    reference = Draft202012Validator(schema)
    ours = compile_schema(schema)
    valid = invalid = 0
    for instance in instances:
        expected = reference.is_valid(instance)
        got = ours(instance)
        assert (got is None) == expected, (schema, instance, got)
        valid += expected
        invalid += not expected
    return valid, invalid


def test_agrees_with_jsonschema_on_every_test_data_tool_schema() -> None:
    rng = random.Random(7)
    valid = invalid = 0
    for schema in tool_schemas():
        base = [valid_value(schema, rng) for _ in range(4)]
        instances = base + [mutate(b, rng) for b in base for _ in range(4)]
        v, i = assert_agrees(schema, instances)
        valid, invalid = valid + v, invalid + i
    # Both sides are exercised: thousands of valid and of invalid instances.
    assert valid > 3_000
    assert invalid > 3_000


SUBSET_SCHEMAS: list[dict[str, Any]] = [
    {"type": "integer", "minimum": 0, "maximum": 10},
    {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5},
    {"type": ["string", "null"], "minLength": 1, "maxLength": 3},
    {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    {"pattern": "^a", "minimum": 1},
    {"enum": [1, "a", None, [1], {"a": 1}, True]},
    {"const": 2},
    {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 2},
    {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}],
     "items": {"type": "boolean"}},
    {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"],
     "additionalProperties": False},
    {"type": "object", "additionalProperties": {"type": "string"}},
    {"type": "object", "properties": {"n": {"type": "object", "properties": {
        "m": {"type": "array", "items": {"enum": ["x", "y"]}}}, "required": ["m"]}}},
    {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 5}]},
    {"oneOf": [{"type": "number"}, {"type": "integer"}]},
    {"allOf": [{"type": "number"}, {"maximum": 3}]},
    {"type": "string", "format": "date", "title": "t", "unknownKeyword": 1},
    {"type": "boolean"},
    {"type": "null"},
    {},
]  # fmt: skip


@pytest.mark.parametrize("schema", SUBSET_SCHEMAS)
def test_agrees_with_jsonschema_on_every_supported_keyword(schema: dict[str, Any]) -> None:
    rng = random.Random(11)
    instances = [*POOL, *(mutate(v, rng) for v in POOL for _ in range(3))]
    instances += [valid_value(schema, rng) for _ in range(20)]
    instances += ["1999-01-02", "abc", [True], ["s", 1, True], ["s", "n"], {"a": 1, "b": 2},
                  {"a": "1"}, {"n": {"m": ["x", "z"]}}, {"n": {}}, 5, 3.0, 4.5]  # fmt: skip
    valid, invalid = assert_agrees(schema, instances)
    if schema:
        assert valid and invalid


def test_types_int_is_a_number_bool_is_not_an_int() -> None:
    assert validate({"type": "number"}, 3) is None
    assert validate({"type": "integer"}, 2.0) is None  # JSON Schema: 2.0 is an integer
    for schema in ({"type": "integer"}, {"type": "number"}):
        bad = validate(schema, True)
        assert bad is not None
        assert bad.reason == "wrong_type"
    assert validate({"type": "integer"}, 2.5) is not None
    assert validate({"type": "string"}, 1010) is not None
    assert validate({"type": "integer"}, "1010") is not None


def test_enum_equality_is_json_equality() -> None:
    assert json_equal(1, 1.0)
    assert not json_equal(1, True)
    assert not json_equal(0, False)
    assert json_equal({"a": [1, 2.0]}, {"a": [1.0, 2]})
    assert validate({"enum": [1]}, True) is not None
    assert validate({"enum": [True]}, 1) is not None
    assert validate({"enum": [1]}, 1.0) is None


def test_first_violation_has_reason_path_and_message() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "object", "properties": {
            "b": {"type": "array", "items": {"type": "integer"}}}}},
    }  # fmt: skip
    bad = validate(schema, {"a": {"b": [1, "x"]}})
    assert bad == Violation("wrong_type", ("a", "b", 1), "expected integer, got string 'x'")
    assert bad.json_path == "$.a.b[1]"
    missing = validate({"type": "object", "required": ["q"]}, {})
    assert missing is not None
    assert (missing.reason, missing.path) == ("missing_required", ("q",))
    cases = [
        ({"enum": ["c", "f"]}, "k", "enum_violation"),
        ({"maximum": 5}, 6, "out_of_range"),
        ({"minLength": 2}, "a", "out_of_range"),
        ({"pattern": "^x"}, "y", "out_of_range"),
        ({"maxItems": 1}, [1, 2], "out_of_range"),
        ({"additionalProperties": False}, {"z": 1}, "unknown_argument"),
    ]
    for schema_, value, reason in cases:
        found = validate(schema_, value)
        assert found is not None
        assert found.reason == reason
        assert reason in reasons.STAGE_REASONS["format"]


def test_compiled_once_per_distinct_schema_content() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"enum": [1]}}}
    reordered = {"properties": {"b": {"enum": [1]}, "a": {"type": "string"}}, "type": "object"}
    assert compile_schema(schema) is compile_schema(json.loads(json.dumps(schema)))
    assert compile_schema(schema) is compile_schema(reordered)
    assert compile_schema(schema) is not compile_schema({"type": "object"})


def test_patterns_match_in_linear_time_and_unsupported_ones_have_their_reason() -> None:
    redos = {"pattern": "^(a+)+$"}
    started = time.perf_counter()
    bad = validate(redos, "a" * 100_000 + "!")
    assert time.perf_counter() - started < 1.0  # backtracking would take longer than the universe
    assert bad is not None and bad.reason == "out_of_range"
    assert validate(redos, "aaaa") is None
    for source in ("(?<=x)a", "^(a)\\1$", "(", "a" * (MAX_PATTERN_CHARS + 1)):
        bad = validate({"pattern": source}, "b")
        assert bad is not None and bad.reason == "unsupported_pattern", source
        assert validate({"pattern": source}, 5) is None  # a pattern constrains strings only
    assert "unsupported_pattern" in reasons.STAGE_REASONS["format"]


def test_hostile_schemas_compile_without_crashing() -> None:
    deep: dict[str, Any] = {"type": "integer"}
    for _ in range(500):
        deep = {"type": "array", "items": deep}
    check = compile_schema(deep)
    assert check([[[]]]) is None
    assert validate({"type": 5, "properties": "x", "required": [1], "items": 3}, {"a": 1}) is None
    assert validate({"type": ["string", "dict"]}, 1) is None  # an unknown type constrains nothing
    assert validate(False, 1) is not None
    assert validate(True, 1) is None


def test_the_validator_generates_and_evaluates_no_code() -> None:
    tree = ast.parse(Path(validate_module.__file__).read_text())
    called = {node.func.id for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}  # fmt: skip
    assert not called & {"exec", "eval", "compile", "__import__"}
