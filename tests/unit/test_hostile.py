"""The hostile corpus: every case gets its expected outcome, through ``verify`` and through the
record codec and the format check, in bounded time, and the output stays valid JSON."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from apigen_stream import reasons
from apigen_stream.cli import main
from apigen_stream.engine.codec import RecordDecodeError, decode, encode
from apigen_stream.llm.parse import parse_generation
from apigen_stream.records import Candidate
from apigen_stream.stages.format import check_format
from apigen_stream.stages.stage import Reject
from tests.support.hostile_corpus import (
    CASES,
    GOOD,
    HostileCase,
    Outcome,
    kafka_cases,
    write_dataset,
)

# Each case is a handful of rows: anything slower is a hang in the making.
CASE_SECONDS = 10.0


def _strict(line: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"bare {name} written out: not JSON")

    return json.loads(line, parse_constant=refuse)


def _lines(path: Path) -> list[Any]:
    return [_strict(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_verify_gives_every_row_its_outcome(
    case: HostileCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_dataset(case, tmp_path / "in")
    out = tmp_path / "out"
    started = time.perf_counter()
    code = main(["verify", str(path), "--input-format", case.input_format, "--out", str(out)])
    assert time.perf_counter() - started < CASE_SECONDS
    assert code == 0
    accepted, rejected = _lines(out / "accepted.jsonl"), _lines(out / "rejected.jsonl")
    expected_rejections = [(o.stage, o.reason) for o in case.rows if o.kind == "rejected"]
    assert [(r["stage"], r["reason"]) for r in rejected] == expected_rejections
    assert len(accepted) == sum(1 for o in case.rows if o.kind == "accepted")
    assert all(r["detail"] for r in rejected)
    # Bounded: no detail repeats a hostile row's bulk (40,000 names, 5,000 brackets).
    assert all(len(r["detail"]) < 2_000 for r in rejected)
    assert f"{'accepted':<33} {len(accepted):>8}" in capsys.readouterr().out


def _stage_outcome(data: bytes) -> Outcome:
    try:
        record = decode(Candidate, data)
    except RecordDecodeError as exc:
        return Outcome("dead_letter", exc.reason)
    verdict = check_format(record)
    if isinstance(verdict, Reject):
        encode(verdict.subject)  # what the stage would produce must encode
        return Outcome("rejected", verdict.reason, "format")
    encode(verdict.record)
    return Outcome("accepted")


@pytest.mark.parametrize("case", kafka_cases(), ids=lambda c: c.name)
def test_a_record_decodes_to_its_verdict_or_dead_letter(case: HostileCase) -> None:
    assert case.candidate is not None and case.stage is not None
    started = time.perf_counter()
    assert _stage_outcome(case.candidate) == case.stage
    assert _stage_outcome(GOOD) == Outcome("accepted")  # and the next record goes through
    assert time.perf_counter() - started < CASE_SECONDS


def test_every_expected_reason_is_in_the_vocabulary() -> None:
    for case in CASES:
        for outcome in (*case.rows, *([case.stage] if case.stage else [])):
            if outcome.kind == "dead_letter":
                assert outcome.reason in reasons.DLQ_REASONS
            elif outcome.kind == "rejected" and outcome.stage == reasons.READ:
                assert outcome.reason in reasons.VERIFY_REASONS[reasons.READ]
            elif outcome.kind == "rejected":
                assert reasons.is_known(outcome.stage, outcome.reason), outcome


def test_all_hostile_rows_in_one_file_are_each_accounted_for(tmp_path: Path) -> None:
    xlam = [c for c in CASES if c.input_format == "xlam" and not c.dataset.startswith(b"\xef")]
    path = tmp_path / "all.jsonl"
    path.write_bytes(b"".join(c.dataset for c in xlam))
    out = tmp_path / "out"
    assert main(["verify", str(path), "--out", str(out)]) == 0
    accepted, rejected = _lines(out / "accepted.jsonl"), _lines(out / "rejected.jsonl")
    expected = [o for c in xlam for o in c.rows]
    assert len(accepted) + len(rejected) == len(expected)
    assert sorted(r["reason"] for r in rejected) == sorted(
        o.reason for o in expected if o.kind == "rejected"
    )


def test_a_hostile_llm_answer_is_an_invalid_json_candidate_not_a_crash() -> None:
    deep = "[" * 5_000 + "]" * 5_000
    nested_args = json.dumps([{"query": "q", "answers": [{"name": "f", "arguments": deep}]}])
    for text in ("[" * 5_000, "{" * 3_000 + "}" * 3_000, "[" + "9" * 5_000 + "]"):
        generation = parse_generation(text)
        assert generation.unread is not None, generation
        assert generation.unread.reason == "invalid_json", generation
    (pair,) = parse_generation(nested_args).pairs
    assert pair.unread is not None and pair.unread.reason == "invalid_json", pair
    assert pair.unread.detail.startswith("arguments of f"), pair
