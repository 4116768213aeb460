"""One command-line convention: every command takes ``--config`` and ``-v`` the same way."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from apigen_stream.cli import build_parser, main


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
    tuple[tuple[str, ...], argparse.ArgumentParser]
]:  # fmt: skip
    children = _subcommands(parser)
    if not children:
        yield path, parser
    for name, child in children.items():
        yield from _leaves(child, (*path, name))


LEAVES = dict(_leaves(build_parser()))


def test_the_tree_has_every_command() -> None:
    names = {" ".join(path) for path in LEAVES}
    assert {"run", "verify", "export", "apis list", "apis call", "apis harvest", "apis stats",
            "kafka up", "schemas check", "topics apply", "up", "top"} <= names  # fmt: skip
    assert len(names) == 17


@pytest.mark.parametrize("path", sorted(LEAVES), ids=" ".join)
def test_every_command_takes_config_and_verbose_after_its_name(path: tuple[str, ...]) -> None:
    options = LEAVES[path]._option_string_actions
    for flag in ("--config", "-v", "--verbose"):
        assert flag in options, f"{' '.join(path)} lacks {flag}"
        # A default here would reset a value given before the command's name.
        assert options[flag].default is argparse.SUPPRESS


@pytest.mark.parametrize(
    "argv",
    [
        ["apis", "list", "--config", "C.toml"],
        ["apis", "--config", "C.toml", "list"],
        ["--config", "C.toml", "apis", "list"],
        ["kafka", "status", "--config", "C.toml"],
        ["schemas", "check", "--config", "C.toml"],
        ["verify", "data.json", "--out", "o", "--config", "C.toml"],
        ["run", "--count", "1", "--config", "C.toml"],
    ],
    ids=" ".join,
)
def test_config_is_taken_wherever_it_is_given(argv: list[str]) -> None:
    assert build_parser().parse_args(argv).config == "C.toml"


def test_defaults_and_verbosity_at_any_level() -> None:
    parser = build_parser()
    plain = parser.parse_args(["apis", "list"])
    assert plain.config is None and plain.verbose == 0
    assert parser.parse_args(["-v", "apis", "list"]).verbose == 1
    assert parser.parse_args(["apis", "list", "-vv"]).verbose == 2
    assert parser.parse_args(["apis", "-v", "list"]).verbose == 1


def test_apis_list_reads_the_config_given_after_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "C.toml"
    config.write_text("[library]\nbuiltin = false\n")
    assert main(["apis", "list", "--json", "--config", str(config)]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 0
    assert main(["apis", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] >= 250
    assert main(["apis", "list", "--config", str(tmp_path / "absent.toml")]) == 2
    assert "config file not found" in capsys.readouterr().err
