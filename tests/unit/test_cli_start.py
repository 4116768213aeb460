"""Start-up of one command: only its own module is registered, and it parses the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from apigen_stream.cli import build_parser, chosen_command

ARGVS = [
    ["verify", "data.json", "--out", "o", "--config", "C.toml"],
    ["--config", "C.toml", "verify", "data.json", "--out", "o", "--stages", "format,execute"],
    ["-v", "apis", "--config", "C.toml", "list"],
    ["run", "--count", "1", "-vv"],
    ["kafka", "status", "--data-dir", "d"],
    ["topics", "list", "--bootstrap", "b:1"],
    ["schemas", "check"],
]


@pytest.mark.parametrize(
    ("argv", "chosen"),
    [
        (["verify", "f.json", "--out", "o"], "verify"),
        (["--config", "verify", "run"], "run"),  # a config file named like a command
        (["-vv", "--config", "C.toml", "apis", "list"], "apis"),
        (["--help", "verify"], None),  # the top-level help lists every command
        (["-h"], None),
        ([], None),
        (["nonsense", "verify"], None),  # the usage error lists every command
        (["verify", "--help"], "verify"),
    ],
)
def test_the_command_is_the_first_word_that_is_not_an_option(
    argv: list[str], chosen: str | None
) -> None:
    assert chosen_command(argv) == chosen


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
def test_one_command_parses_as_the_whole_tree_does(argv: list[str]) -> None:
    alone = vars(build_parser(chosen_command(argv)).parse_args(argv))
    assert chosen_command(argv) is not None
    assert alone == vars(build_parser().parse_args(argv))


def test_verify_does_not_import_kafka_http_or_the_sandbox(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    row = {"id": 1, "query": "q", "answers": "[]", "tools": "[]"}
    data.write_text(json.dumps(row) + "\n")
    script = (
        "import sys; from apigen_stream.cli import main; "
        f"code = main(['verify', {str(data)!r}, '--out', {str(tmp_path / 'out')!r}]); "
        "heavy = ['aiokafka', 'aiohttp', 'apigen_stream.sandbox.pool', 'jsonschema', "
        "'apigen_stream.engine.runner']; "
        "print(code, [m for m in heavy if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr
