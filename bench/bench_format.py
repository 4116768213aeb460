"""Format check throughput, side by side: msgspec decode alone, plain ``jsonschema``, ours.

The candidates are the BFCL simple and multiple ground truths (one call each, the tools their
questions offer), cycled to ``CANDIDATES`` records and encoded as the topic carries them. Rates
are candidates per second of CPU time (``time.process_time``), so per core.

- decode: ``msgspec`` decoding of the encoded candidates into ``Candidate`` structs.
- jsonschema: per call, the name lookup and ``Draft202012Validator.iter_errors`` with a validator
  built once per tool (the reference the design table quotes).
- ours: ``check_format`` on the decoded candidates (dedup key included), and ``check_calls``
  alone (the same work as the reference: lookup and validation, no key).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
from jsonschema import Draft202012Validator

from apigen_stream.library.convert import tool_from_any
from apigen_stream.records import Call, Candidate
from apigen_stream.stages.format import check_calls, check_format
from apigen_stream.stages.stage import Accept

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "bfcl"
# Enough records that per-run overheads vanish, few enough that the run takes seconds.
CANDIDATES = 20_000
# Timed passes; the best is reported (the machine is shared, the fastest pass is the least
# disturbed one).
REPEATS = 3


def _first_value(values: list[Any]) -> tuple[bool, Any]:
    for value in values:
        if value != "":
            return True, _resolve(value)
    return False, None


def _resolve(value: Any) -> Any:
    if isinstance(value, dict):
        pairs = {k: _first_value(v) for k, v in value.items()}
        return {k: v for k, (ok, v) in pairs.items() if ok}
    return [_resolve(v) for v in value] if isinstance(value, list) else value


def bfcl_candidates(data: Path = DATA) -> list[Candidate]:
    """One candidate per BFCL ground truth: the first allowed value of each argument."""
    out: list[Candidate] = []
    for kind in ("simple", "multiple"):
        questions = {}
        for line in (data / f"BFCL_v3_{kind}.json").read_text().splitlines():
            row = json.loads(line)
            questions[row["id"]] = row
        for line in (data / "possible_answer" / f"BFCL_v3_{kind}.json").read_text().splitlines():
            answer = json.loads(line)
            question = questions[answer["id"]]
            calls = [Call(name=fn, arguments=_resolve(args))
                     for truth in answer["ground_truth"] for fn, args in truth.items()]  # fmt: skip
            out.append(Candidate(
                id=answer["id"], query=question["question"][0][0]["content"], calls=calls,
                tools=[tool_from_any(f) for f in question["function"]],
            ))  # fmt: skip
    return out


def _rate(run: Callable[[], int]) -> tuple[float, int]:
    best, accepted = float("inf"), 0
    for _ in range(REPEATS):
        started = time.process_time()
        accepted = run()
        best = min(best, time.process_time() - started)
    return CANDIDATES / best, accepted


def main() -> None:
    """Print each rate in candidates/s/core and the ratios."""
    base = bfcl_candidates()
    candidates = [base[i % len(base)] for i in range(CANDIDATES)]
    encoded = [msgspec.json.encode(c) for c in candidates]
    decoder = msgspec.json.Decoder(Candidate)
    decoded = [decoder.decode(b) for b in encoded]
    validators: dict[tuple[str, bytes], Draft202012Validator] = {}

    def reference_one(c: Candidate) -> bool:
        tools = {t.name: t for t in c.tools}
        for call in c.calls:
            tool = tools.get(call.name)
            if tool is None:
                return False
            key = (tool.name, msgspec.json.encode(tool.parameters))
            validator = validators.get(key)
            if validator is None:
                validator = validators[key] = Draft202012Validator(tool.parameters)
            if next(validator.iter_errors(call.arguments), None) is not None:
                return False
        return True

    decode_rate, _ = _rate(lambda: len([decoder.decode(b) for b in encoded]))
    reference_rate, ref_ok = _rate(lambda: sum(reference_one(c) for c in decoded))
    ours_rate, ours_ok = _rate(lambda: sum(isinstance(check_format(c), Accept) for c in decoded))
    calls_rate, _ = _rate(lambda: sum(check_calls(c.calls, c.tools) is None for c in decoded))
    print(f"candidates: {CANDIDATES} ({len(base)} distinct BFCL ground truths, cycled)")
    print(f"msgspec decode alone : {decode_rate:>12,.0f} candidates/s/core")
    print(f"jsonschema reference : {reference_rate:>12,.0f} candidates/s/core ({ref_ok} valid)")
    print(f"check_format (ours)  : {ours_rate:>12,.0f} candidates/s/core ({ours_ok} accepted)")
    print(f"check_calls (ours)   : {calls_rate:>12,.0f} candidates/s/core (no dedup key)")
    print(
        f"ours / jsonschema    : {ours_rate / reference_rate:>12.1f}x "
        f"(check_calls: {calls_rate / reference_rate:.1f}x)"
    )
    print(f"ours / decode        : {ours_rate / decode_rate:>12.2f}x")


if __name__ == "__main__":
    main()
