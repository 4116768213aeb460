"""Every command the README shows either runs here or is checked against the command line.

Shell blocks: ``apigen-stream`` lines are parsed by the real parser, and the offline ones (the
``apis`` commands, the embedded run, the export of its output) are run; ``make`` lines name
Makefile targets; ``pip``, ``podman`` and ``docker`` lines name the wheel and image that
``make wheel-test`` and ``make image-test`` build, and the arguments given to the image parse.
Inline synopses (```apigen-stream verify FILE --stages ...```) name a command and its options.
The TOML example loads as a configuration.
"""

from __future__ import annotations

import re
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest

from apigen_stream import __version__
from apigen_stream.cli import build_parser, main
from apigen_stream.config import Config, load_config
from tests.unit.test_cli_options import LEAVES

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
INLINE = re.compile(r"`(apigen-stream [^`]+)`")
IMAGE = f"apigen-stream:{__version__}"
WHEEL = f"dist/apigen_stream-{__version__}-py3-none-any.whl"
# Placeholders of the README's service walk-through.
SUBSTITUTIONS = {"$B": "127.0.0.1:9092"}
# Run for real (offline, seconds); the Kafka service lines run in tests/integration instead.
RUN_HERE = ("apigen-stream apis ", "apigen-stream run --count", "apigen-stream export --from-files")


def _commands() -> list[list[str]]:
    lines = [line for block in SH_BLOCK.findall(README) for line in block.splitlines()]
    words = [shlex.split(line, comments=True) for line in lines]
    return [[SUBSTITUTIONS.get(w, w) for w in line] for line in words if line]


COMMANDS = _commands()


def _ids(command: list[str]) -> str:
    return " ".join(command)[:60]


def _parses(argv: list[str]) -> None:
    try:
        build_parser().parse_args(argv)
    except SystemExit as exc:
        pytest.fail(f"the parser refuses {shlex.join(argv)} (exit {exc.code})")


def _make_targets() -> set[str]:
    makefile = (REPO / "Makefile").read_text()
    return set(re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE))


def test_the_readme_shows_commands_of_every_kind() -> None:
    kinds = {command[0] for command in COMMANDS}
    assert {"apigen-stream", "make", "pip", "podman"} <= kinds
    assert len(COMMANDS) >= 30


@pytest.mark.parametrize("command", COMMANDS, ids=_ids)
def test_every_shell_line_is_known_and_checked(command: list[str]) -> None:
    program, args = command[0], command[1:]
    if program == "apigen-stream":
        _parses(args)
    elif program == "make":
        assert set(args) <= _make_targets()
    elif program == "pip":
        assert args == ["install", WHEEL]
        assert 'pip" install' in (REPO / ".ci" / "wheel-test").read_text()
    elif program == "podman":
        _check_podman(args)
    elif re.fullmatch(r"[A-Z]+=\S+", program) and not args:
        pass  # a shell variable the next lines use
    else:
        pytest.fail(f"no check for a README command of {program}: add one here")


def _check_podman(args: list[str]) -> None:
    if args[0] == "build":
        assert args[1:] == ["-t", IMAGE, "."]
        assert (REPO / "Dockerfile").is_file()
        return
    assert args[0] == "run" and IMAGE in args, args
    _parses(args[args.index(IMAGE) + 1 :])


def test_every_inline_synopsis_names_a_command_and_its_options() -> None:
    synopses = INLINE.findall(README)
    assert any(s.startswith("apigen-stream verify") for s in synopses)
    for synopsis in synopses:
        words = synopsis.split()[1:]
        path = next((p for p in sorted(LEAVES, key=len, reverse=True)
                     if tuple(words[: len(p)]) == p), None)  # fmt: skip
        assert path is not None, f"{synopsis}: no such command"
        options = LEAVES[path]._option_string_actions
        flags = [w for w in words if w.startswith("-")]
        assert set(flags) <= set(options), f"{synopsis}: unknown option"


def test_the_configuration_example_loads(tmp_path: Path) -> None:
    block = re.search(r"```toml\n(.*?)```", README, re.DOTALL)
    assert block is not None
    path = tmp_path / "apigen.toml"
    path.write_text(block.group(1))
    config = load_config(str(path))
    assert isinstance(config, Config)
    assert config.kafka.bootstrap == tomllib.loads(block.group(1))["kafka"]["bootstrap"]


def test_the_offline_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The embedded run first: the export line reads the dataset it writes.
    chosen = [c for c in COMMANDS if shlex.join(c).startswith(RUN_HERE)]
    chosen.sort(key=lambda c: c[1] != "run")
    assert len(chosen) >= 6
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    for command in chosen:
        if command[1] == "export":
            shutil.copytree("out", command[command.index("--from-files") + 1])
        assert main(command[1:]) == 0, shlex.join(command)
    assert (tmp_path / "train.jsonl").stat().st_size > 0
    written = [line for part in (tmp_path / "out").glob("*.jsonl")
               for line in part.read_text().splitlines()]  # fmt: skip
    assert len(written) >= 100
