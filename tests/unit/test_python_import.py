"""The Python importer: schemas from type hints and docstrings match the functions' signatures."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pytest
from jsonschema import Draft202012Validator

from apigen_stream.errors import ToolImportError
from apigen_stream.library import python_import
from apigen_stream.library.docstrings import parse_docstring
from apigen_stream.library.registry import API_ATTRIBUTE, Api, apis_in_module
from tests.support import sample_tools

SUPPORT = Path(__file__).resolve().parents[1] / "support"


def _by_name(apis: list[Api]) -> dict[str, Api]:
    return {a.name: a for a in apis}


@pytest.fixture(scope="module")
def imported() -> dict[str, Api]:
    return _by_name(python_import.load_module("tests.support.sample_tools"))


def test_public_functions_become_python_tools_with_their_module_category(
    imported: dict[str, Api],
) -> None:
    assert set(imported) == {"convert_temperature", "word_stats", "scale_points"}
    for entry in imported.values():
        assert entry.kind == "python"
        assert entry.category == "Tools"
        assert entry.target == f"tests.support.sample_tools:{entry.name}"
        Draft202012Validator.check_schema(entry.parameters)


@pytest.mark.parametrize("name", ["convert_temperature", "word_stats", "scale_points"])
def test_required_split_matches_the_signature(imported: dict[str, Api], name: str) -> None:
    func = getattr(sample_tools, name)
    signature = inspect.signature(func)
    schema = imported[name].parameters
    assert list(schema["properties"]) == list(signature.parameters)
    no_default = {n for n, p in signature.parameters.items() if p.default is p.empty}
    # A parameter is required unless it has a default or admits None.
    optional_hint = {"label"}
    assert set(schema["required"]) == no_default - optional_hint


def test_google_style_types_enum_defaults_and_descriptions(imported: dict[str, Api]) -> None:
    entry = imported["convert_temperature"]
    props = entry.parameters["properties"]
    assert entry.description == (
        "Convert a temperature between Celsius and Fahrenheit. "
        "The result is rounded to the requested precision."
    )
    assert props["value"] == {"type": "number", "description": "The temperature to convert."}
    assert props["unit"] == {
        "enum": ["celsius", "fahrenheit"],
        "type": "string",
        "description": "The unit of ``value``; the result is in the other unit.",
    }
    assert props["precision"] == {
        "type": "integer",
        "description": "Digits after the decimal point.",
        "default": 1,
    }


def test_numpy_style_arrays_objects_and_optionals(imported: dict[str, Api]) -> None:
    entry = imported["word_stats"]
    props = entry.parameters["properties"]
    assert entry.description == "Count words and the distinct ones among them."
    assert props["words"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": "The words to count.",
    }
    assert props["min_length"]["type"] == "integer"
    assert props["min_length"]["description"] == "Ignore words shorter than this."
    assert props["weights"]["type"] == "object"
    assert props["weights"]["additionalProperties"] == {"type": "number"}
    assert props["case_sensitive"]["type"] == "boolean"
    assert props["case_sensitive"]["default"] is False
    assert entry.parameters["required"] == ["words"]


def test_annotated_and_sphinx_descriptions(imported: dict[str, Api]) -> None:
    props = imported["scale_points"].parameters["properties"]
    assert props["points"] == {
        "type": "array",
        "items": {"type": "array", "items": {"type": "integer"}},
        "description": "Points as [x, y] pairs.",
    }
    assert props["factor"] == {
        "type": "number",
        "description": "Multiplier applied to every coordinate.",
    }
    assert props["label"] == {"type": "string", "description": "A name for the scaled set."}


def test_schemas_accept_good_arguments_and_refuse_bad_ones(imported: dict[str, Api]) -> None:
    validator = Draft202012Validator(imported["convert_temperature"].parameters)
    assert validator.is_valid({"value": 20.5, "unit": "celsius"})
    assert not validator.is_valid({"value": 20.5, "unit": "kelvin"})
    assert not validator.is_valid({"unit": "celsius"})
    assert not validator.is_valid({"value": "hot", "unit": "celsius"})


def test_loading_by_file_path_gives_the_same_schemas(imported: dict[str, Api]) -> None:
    by_path = _by_name(python_import.load_module(str(SUPPORT / "sample_tools.py")))
    assert set(by_path) == set(imported)
    for name, entry in by_path.items():
        assert entry.parameters == imported[name].parameters
        assert entry.target == f"sample_tools:{name}"


def test_decorator_names_category_and_overrides() -> None:
    @python_import.tool(category="Math", name="math.clamp")
    def clamp(x: float, low: float = 0.0, high: float = 1.0) -> float:
        """Clamp a number into a range.

        Args:
            x: The number.
            low: Lower bound.
            high: Upper bound.
        """
        return max(low, min(high, x))

    entry: Api = getattr(clamp, API_ATTRIBUTE)
    assert entry.name == "math.clamp"
    assert entry.category == "Math"
    assert entry.parameters["required"] == ["x"]
    assert entry.parameters["properties"]["high"]["default"] == 1.0
    assert clamp(3.0) == 1.0  # the decorator leaves the function as it was


def test_a_module_with_decorated_tools_yields_only_those() -> None:
    import types

    module = types.ModuleType("fake_tools")

    @python_import.tool(category="Data")
    def kept(n: int) -> int:
        """Kept."""
        return n

    def ignored(n: int) -> int:
        return n

    module.kept = kept  # type: ignore[attr-defined]
    module.ignored = ignored  # type: ignore[attr-defined]
    assert [a.name for a in python_import.apis_of_module(module)] == ["kept"]
    assert [a.name for a in apis_in_module(module)] == ["kept"]


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        (tuple[int, str], {"type": "array", "prefixItems": [{"type": "integer"},
                           {"type": "string"}], "minItems": 2, "maxItems": 2}),
        (tuple[float, ...], {"type": "array", "items": {"type": "number"}}),
        (set[str], {"type": "array", "items": {"type": "string"}, "uniqueItems": True}),
        (Literal[1, 2, 3], {"enum": [1, 2, 3], "type": "integer"}),
        (int | str, {"anyOf": [{"type": "integer"}, {"type": "string"}]}),
        (Any, {}),
    ],
)  # fmt: skip
def test_type_schema(hint: Any, expected: dict[str, Any]) -> None:
    assert python_import.type_schema(hint)[0] == expected


def test_unsupported_signatures_are_clear_errors() -> None:
    def no_hint(x) -> int:  # type: ignore[no-untyped-def]
        return 1

    def star(*args: int) -> int:
        return 1

    def bad_key(m: dict[int, str]) -> int:
        return 1

    cases: list[tuple[Callable[..., Any], str]] = [
        (no_hint, "no type hint"),
        (star, "by name"),
        (bad_key, "keys"),
    ]
    for func, words in cases:
        with pytest.raises(ToolImportError, match=words):
            python_import.api_from_function(func)
    with pytest.raises(ToolImportError, match="category"):
        python_import.api_from_function(bad_key, category="Nowhere")


def test_missing_module_is_a_clear_error() -> None:
    with pytest.raises(ToolImportError, match="cannot import"):
        python_import.load_module("tests.support.no_such_module")
    with pytest.raises(ToolImportError, match="no such Python file"):
        python_import.load_module("nowhere/tools.py")


def test_docstring_without_sections_is_all_description() -> None:
    doc = parse_docstring("Say hello.\n\n    Twice if asked.")
    assert doc.description == "Say hello. Twice if asked."
    assert doc.params == {}
