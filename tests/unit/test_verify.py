"""``verify`` over real xlam rows and BFCL ground truths, and over mutated copies of them."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anyio
import pytest

from apigen_stream.cli import main
from apigen_stream.config import Config
from apigen_stream.datasets import AnyRow, bfcl_rows, first_choice, read_dataset, read_documents
from apigen_stream.verify import Verdict, verify
from tests.support.data import DATA

BFCL = DATA / "bfcl"
FORMAT_ONLY = ["format"]


def check(rows: Sequence[AnyRow], stages: list[str] = FORMAT_ONLY) -> dict[str, Verdict]:
    verdicts = anyio.run(verify, Config(), rows, stages)
    return {str(v.row.id): v for v in verdicts}


def failures(verdicts: dict[str, Verdict]) -> dict[str, tuple[str, str]]:
    return {k: (v.stage, v.reason) for k, v in verdicts.items() if not v.passed}


def test_the_four_xlam_rows_pass_format() -> None:
    verdicts = check(read_dataset(DATA / "xlam_samples.json"))
    assert sorted(verdicts) == ["0", "3493", "57546", "8815"]
    assert failures(verdicts) == {}


def test_bfcl_ground_truths_pass_except_the_two_that_contradict_their_docs() -> None:
    simple = check(read_dataset(BFCL / "BFCL_v3_simple.json"))
    multiple = check(read_dataset(BFCL / "BFCL_v3_multiple.json"))
    assert len(simple) == 400 and len(multiple) == 200
    assert failures(multiple) == {}
    assert failures(simple) == {
        "simple_307": ("format", "wrong_type"),
        "simple_363": ("format", "unknown_function"),
    }
    assert "venue" in simple["simple_307"].detail and "boolean" in simple["simple_307"].detail


def test_first_choice_skips_the_omission_marker_at_every_depth() -> None:
    allowed = {"a": ["", 3], "b": [""], "c": [[{"k": ["x", ""], "j": [""]}]], "d": [{"e": [1]}]}
    assert first_choice(allowed) == {"a": 3, "c": [{"k": "x"}], "d": {"e": 1}}


def _bfcl(row_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    questions = {r["id"]: r for r in read_documents(BFCL / "BFCL_v3_simple.json")}
    answers = {r["id"]: r for r in read_documents(BFCL / "possible_answer" / "BFCL_v3_simple.json")}
    return copy.deepcopy(questions[row_id]), copy.deepcopy(answers[row_id])


def _mutated(row_id: str, mutate: Any) -> Verdict:
    question, answer = _bfcl(row_id)
    mutate(question, answer["ground_truth"][0])
    return check(list(bfcl_rows([question], [answer])))[row_id]


def _rename(q: dict[str, Any], call: dict[str, Any]) -> None:
    call["no_such_function"] = call.pop(next(iter(call)))


def _extra(q: dict[str, Any], call: dict[str, Any]) -> None:
    next(iter(call.values()))["colour"] = ["red"]


def _drop_required(q: dict[str, Any], call: dict[str, Any]) -> None:
    del next(iter(call.values()))["base"]


def _wrong_type(q: dict[str, Any], call: dict[str, Any]) -> None:
    next(iter(call.values()))["base"] = ["ten"]


def _outside_enum(q: dict[str, Any], call: dict[str, Any]) -> None:
    q["function"][0]["parameters"]["properties"]["unit"]["enum"] = ["units", "cm"]
    next(iter(call.values()))["unit"] = ["furlongs"]


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (_rename, "unknown_function"),
        (_extra, "unknown_argument"),
        (_drop_required, "missing_required"),
        (_wrong_type, "wrong_type"),
        (_outside_enum, "enum_violation"),
    ],
)
def test_mutated_ground_truths_are_rejected_with_the_right_reason(mutate: Any, reason: str) -> None:
    question, answer = _bfcl("simple_0")
    assert check(list(bfcl_rows([question], [answer])))["simple_0"].passed
    verdict = _mutated("simple_0", mutate)
    assert (verdict.stage, verdict.reason) == ("format", reason)


def test_mutated_xlam_rows_are_rejected(tmp_path: Path) -> None:
    rows = json.loads((DATA / "xlam_samples.json").read_text())
    answers = json.loads(rows[1]["answers"])
    answers[0]["arguments"]["colour"] = "red"
    rows[1]["answers"] = json.dumps(answers)
    rows[2]["answers"] = json.dumps([{"name": "not_offered", "arguments": {}}])
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert failures(check(read_dataset(path))) == {
        "3493": ("format", "unknown_argument"),
        "57546": ("format", "unknown_function"),
    }


def test_execute_reports_tools_without_code_as_not_executable() -> None:
    verdicts = check(read_dataset(DATA / "xlam_samples.json"), ["format", "execute"])
    got = {k: v.stage + "/" + v.reason for k, v in verdicts.items()}
    assert got == dict.fromkeys(("0", "3493", "57546", "8815"), "execute/not_executable")


def test_cli_writes_accepted_and_rejected_keeping_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["verify", str(BFCL / "BFCL_v3_simple.json"), "--stages", "format",
                 "--out", str(tmp_path)])  # fmt: skip
    assert code == 0
    accepted = [json.loads(x) for x in (tmp_path / "accepted.jsonl").read_text().splitlines()]
    rejected = [json.loads(x) for x in (tmp_path / "rejected.jsonl").read_text().splitlines()]
    assert len(accepted) == 398
    assert accepted[0]["id"] == "simple_0" and "question" in accepted[0]
    assert [(r["id"], r["stage"], r["reason"]) for r in rejected] == [
        ("simple_307", "format", "wrong_type"),
        ("simple_363", "format", "unknown_function"),
    ]
    assert all(r["detail"] for r in rejected)
    table = capsys.readouterr().out
    assert "wrong_type" in table and "unknown_function" in table and "398" in table


def test_cli_refuses_semantic_without_execute(tmp_path: Path) -> None:
    code = main(["verify", str(DATA / "xlam_samples.json"), "--stages", "format,semantic",
                 "--out", str(tmp_path)])  # fmt: skip
    assert code == 2


def test_the_main_jobs_output_passes_every_stage_again(tmp_path: Path) -> None:
    """What the embedded run wrote passes format, execute and semantic when verified again: the
    semantic stage, last, passes on a sample rather than on a record for a next stage."""
    out, verified = tmp_path / "out", tmp_path / "verified"
    assert main(["run", "--count", "20", "--out", str(out)]) == 0
    written = (out / "part-00000.jsonl").read_text().splitlines()
    assert len(written) >= 20
    code = main(["verify", str(out / "part-00000.jsonl"), "--stages", "format,execute,semantic",
                 "--out", str(verified)])  # fmt: skip
    assert code == 0
    assert (verified / "rejected.jsonl").read_text() == ""
    assert len((verified / "accepted.jsonl").read_text().splitlines()) == len(written)


def test_a_tool_module_under_the_scratch_path_stays_importable(tmp_path: Path) -> None:
    """The sandbox covers ``/tmp`` with its private scratch: a module (or a virtualenv) that lives
    under it, as a wheel tried in a temporary directory does, is bound back in and runs."""
    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "scratch_tools.py").write_text(
        "def add_two_numbers(a: int, b: int) -> int:\n"
        '    """Adds two whole numbers.\n\n    Args:\n'
        "        a: the first.\n        b: the second.\n"
        '    """\n    return a + b\n'
    )
    (tmp_path / "c.toml").write_text(
        '[library]\nbuiltin = false\npython_modules = ["scratch_tools"]\n'
    )
    call = {"name": "add_two_numbers", "arguments": {"a": 2, "b": 3}}
    tool = {"name": "add_two_numbers", "description": "Adds two whole numbers.",
            "parameters": {"a": {"type": "int", "description": "the first"},
                           "b": {"type": "int", "description": "the second"}}}  # fmt: skip
    row = {"query": "Add 2 and 3.", "answers": json.dumps([call]), "tools": json.dumps([tool])}
    (tmp_path / "rows.jsonl").write_text(json.dumps(row) + "\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "mods")}
    done = subprocess.run(
        [sys.executable, "-m", "apigen_stream.cli", "verify", "rows.jsonl", "--stages",
         "format,execute", "--config", "c.toml", "--out", "v"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "v" / "rejected.jsonl").read_text() == ""
    assert len((tmp_path / "v" / "accepted.jsonl").read_text().splitlines()) == 1


def test_format_only_loads_no_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The format check reads the tools each row offers: a library that cannot be loaded
    stops only a run whose stages need it (execute), with one line and exit 2."""
    config = tmp_path / "config.toml"
    config.write_text('[library]\nbuiltin = false\npython_modules = ["no_such_tools_module"]\n')
    rows = str(DATA / "xlam_samples.json")
    common = ["--config", str(config), "verify", rows]
    assert main([*common, "--stages", "format", "--out", str(tmp_path / "f")]) == 0
    assert "accepted" in capsys.readouterr().out
    assert main([*common, "--stages", "format,execute", "--out", str(tmp_path / "e")]) == 2
    assert "no_such_tools_module" in capsys.readouterr().err
