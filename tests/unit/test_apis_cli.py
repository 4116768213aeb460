"""``apigen-stream apis``: list, show and call, through the real command line entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apigen_stream.cli import main
from apigen_stream.library.registry import CATEGORIES

SUPPORT = Path(__file__).resolve().parents[1] / "support"
MIN_APIS = 210
MIN_PER_CATEGORY = 10


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def user_config(tmp_path: Path) -> str:
    """A library of users' tools only: a Python module, an OpenAPI spec and a tool file."""
    tools = tmp_path / "tools.json"
    xlam_tool = {"name": "lookup_isbn", "description": "Find a book.",
                 "parameters": {"isbn": {"type": "str", "description": "ISBN"}}}  # fmt: skip
    tools.write_text(json.dumps([xlam_tool]))
    path = tmp_path / "apigen.toml"
    path.write_text(
        "[library]\nbuiltin = false\n"
        'python_modules = ["tests.support.sample_tools", "tests.support.dataset_impls"]\n'
        f'openapi_specs = ["{SUPPORT / "petstore_openapi.yaml"}"]\n'
        f'tool_files = ["{tools}"]\n'
        "[sandbox]\nworkers = 1\nrest_allowlist = []\n"
    )
    return str(path)


def test_list_json_counts_every_category(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "apis", "list", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["count"] == len(document["apis"]) == sum(document["categories"].values())
    assert document["count"] >= MIN_APIS
    assert set(document["categories"]) == set(CATEGORIES)
    assert min(document["categories"].values()) >= MIN_PER_CATEGORY


def test_list_json_carries_every_apis_templates_and_seed_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "apis", "list", "--json")
    assert code == 0
    apis = json.loads(out)["apis"]
    templated = [e for e in apis if e["templates"]]
    # The hand-written APIs carry query templates; harvested ones are for LLM generation only.
    assert len(templated) >= 250
    for entry in templated:
        assert len(entry["templates"]) >= 2, entry["name"]
        assert all(isinstance(t, str) and t for t in entry["templates"]), entry["name"]
    for entry in apis:
        assert entry["examples"], entry["name"]
        assert entry["examples"][0]["calls"][0]["name"] == entry["name"]
    # The same content `apis show` gives.
    _, out, _ = _run(capsys, "apis", "show", apis[-1]["name"])
    shown = json.loads(out)
    assert (apis[-1]["templates"], apis[-1]["examples"]) == (shown["templates"], shown["examples"])


def test_list_one_category_and_plain_text(
    capsys: pytest.CaptureFixture[str], user_config: str
) -> None:
    code, out, _ = _run(capsys, "apis", "--config", user_config, "list", "--json",
                        "--category", "Commerce")  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["categories"] == {"Commerce": 2}
    assert {a["name"] for a in document["apis"]} == {
        "get_products_in_category", "navigations_get_node_content",
    }  # fmt: skip
    code, out, _ = _run(capsys, "apis", "--config", user_config, "list")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[-1].startswith(f"{len(lines) - 1} tools in ")
    assert any(line.startswith("createPet ") and " rest " in line for line in lines)


def test_show_prints_schema_templates_examples_and_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "apis", "list", "--json")
    first = json.loads(out)["apis"][0]
    code, out, _ = _run(capsys, "apis", "show", first["name"])
    assert code == 0
    shown = json.loads(out)
    assert shown["name"] == first["name"]
    assert shown["version"] == first["version"]
    assert shown["parameters"]["type"] == "object"
    assert shown["templates"]
    assert shown["examples"][0]["calls"][0]["name"] == first["name"]


def test_call_a_builtin_seed_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "apis", "list", "--json")
    name = json.loads(out)["apis"][0]["name"]
    _, out, _ = _run(capsys, "apis", "show", name)
    arguments = json.loads(out)["examples"][0]["calls"][0]["arguments"]
    code, out, err = _run(capsys, "apis", "call", name, "--args", json.dumps(arguments))
    assert (code, err) == (0, "")
    outcome = json.loads(out)
    assert outcome["ok"] is True
    assert outcome["name"] == name


def test_call_a_user_function_in_the_sandbox(
    capsys: pytest.CaptureFixture[str], user_config: str
) -> None:
    arguments = json.dumps({"value": 100, "unit": "celsius", "precision": 0})
    code, out, _ = _run(capsys, "apis", "--config", user_config, "call", "convert_temperature",
                        "--args", arguments)  # fmt: skip
    assert code == 0
    assert json.loads(out)["result"] == {"value": 212.0}


@pytest.mark.parametrize(
    ("name", "arguments", "reason", "words"),
    [
        ("math.factorial", {"number": -1}, "exception", "ValueError"),
        ("convert_temperature", {"value": 1, "unit": "kelvin"}, "invalid_arguments", "kelvin"),
        ("convert_temperature", [1, 2], "invalid_arguments", "JSON object"),
        ("lookup_isbn", {"isbn": "0-14-044913-6"}, "not_executable", "no code"),
        ("listPets", {"limit": 5}, "sandbox_violation", "pets.example.com"),
    ],
)
def test_failed_calls_exit_1_with_their_reason(
    capsys: pytest.CaptureFixture[str],
    user_config: str,
    name: str,
    arguments: Any,
    reason: str,
    words: str,
) -> None:
    code, out, err = _run(capsys, "apis", "--config", user_config, "call", name,
                          "--args", json.dumps(arguments))  # fmt: skip
    assert code == 1
    outcome = json.loads(out)
    assert (outcome["ok"], outcome["reason"]) == (False, reason)
    assert words in outcome["detail"]
    assert err.startswith(f"apigen-stream: call failed: {reason}: ")


def test_unknown_tool_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], user_config: str
) -> None:
    code, out, err = _run(capsys, "apis", "--config", user_config, "show", "nope")
    assert (code, out) == (2, "")
    assert err.strip() == "apigen-stream: error: no tool named 'nope' in the library"
