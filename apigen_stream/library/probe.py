"""The execution probe: a harvested candidate is kept only when a real call of it works.

Each candidate is tried with the argument sets of its docstring's examples, then with arguments
sampled from its schema (within its ranges, from a source seeded by its name). An attempt is two
calls of the same arguments in the sandbox; it passes when both succeed with the same JSON
result, not empty, not an error payload, no object ``repr`` standing in for a value, at most
``MAX_RESULT_BYTES``, no spelling of the day it runs (a result that reads the clock is the
same twice in a day and different the next: ``unstable_result``), and the second call under
``MAX_CALL_MS`` (the first may pay a one-off load, such as a data table). The first passing
attempt becomes the API's seed example.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import msgspec

from apigen_stream.library.harvest import Candidate
from apigen_stream.library.validate import compile_schema
from apigen_stream.offline.generator import sample_arguments
from apigen_stream.records import Outcome
from apigen_stream.sandbox.pool import SandboxPool
from apigen_stream.sandbox.results import encode_result, is_error_result

MAX_CALL_MS = 50.0
# A seed result a judge and a reader can take in at a glance.
MAX_RESULT_BYTES = 2048
# Sampled argument sets tried after the docstring's own.
SAMPLED_ATTEMPTS = 3
# ``<Foo object at 0x7f...>``: the text of an object, not a value.
_OBJECT_REPR = re.compile(r"<[^<>]* at 0x[0-9a-f]+>|<[\w.]+ object>")


@dataclass(frozen=True, slots=True)
class Kept:
    """A candidate whose probe passed: the arguments and the result recorded."""

    candidate: Candidate
    arguments: dict[str, Any]
    result: Any
    elapsed_ms: float


@dataclass(frozen=True, slots=True)
class Dropped:
    """A candidate no attempt passed, with the reason of its first attempt."""

    candidate: Candidate
    reason: str


def attempts(entry: Candidate) -> list[dict[str, Any]]:
    """The argument sets to try, in order: the docstring's valid ones, then sampled ones."""
    # The format stage's own schema compiler: a probe keeps only what the pipeline would pass.
    check = compile_schema(entry.parameters)
    tried = [a for a in entry.doc_arguments if _complete(a, entry) and check(a) is None]
    digest = hashlib.sha256(entry.name.encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    for _ in range(SAMPLED_ATTEMPTS):
        sampled = sample_arguments(rng, entry.parameters, optional=())
        if sampled not in tried:
            tried.append(sampled)
    return tried


def _complete(arguments: dict[str, Any], entry: Candidate) -> bool:
    return all(name in arguments for name in entry.parameters.get("required", []))


def day_spellings(today: date) -> tuple[str, ...]:
    """How a result may spell the day before, of and after ``today`` (the sandbox's time zone
    need not be the harvest's): ISO, ``Dec 2, 2026``, ``2 December 2026``, both slash orders."""
    spellings: list[str] = []
    for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
        for month in (f"{day:%b}", f"{day:%B}"):
            spellings += [f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}"]
        spellings += [day.isoformat(), f"{day:%d/%m/%Y}", f"{day:%m/%d/%Y}"]
    return tuple(spellings)


def judge(first: Outcome, second: Outcome, days: tuple[str, ...] = ()) -> str:
    """``""`` when two calls of the same arguments pass the probe, else the reason they fail;
    ``days`` are the spellings of the harvest's day (``day_spellings``)."""
    for outcome in (first, second):
        if not outcome.ok:
            return outcome.reason or "failed"
    if first.result != second.result:
        return "unstable_result"
    result = first.result
    if result is None or result in ("", [], {}):
        return "empty_result"
    if is_error_result(result):
        return "error_result"
    encoded = encode_result(result)
    text = encoded.decode(errors="replace")
    if _OBJECT_REPR.search(text):
        return "object_repr_result"
    if any(day in text for day in days):
        return "unstable_result"
    if len(encoded) > MAX_RESULT_BYTES:
        return "result_too_large"
    if second.elapsed_ms > MAX_CALL_MS:
        return "too_slow"
    return ""


async def probe(pool: SandboxPool, entries: Sequence[Candidate]) -> list[Kept | Dropped]:
    """Probe every candidate in the sandbox (all attempts in one concurrent batch)."""
    plans = [(entry, attempts(entry)) for entry in entries]
    calls = [
        (entry.target, entry.name, arguments)
        for entry, tries in plans
        for arguments in tries
        for _ in range(2)
    ]
    outcomes = iter(await pool.run_many(calls))
    days = day_spellings(date.today())
    verdicts: list[Kept | Dropped] = []
    for entry, tries in plans:
        first_reason = ""
        kept: Kept | None = None
        for arguments in tries:
            one, two = next(outcomes), next(outcomes)
            reason = judge(one, two, days)
            if not reason and kept is None:
                result = msgspec.json.decode(encode_result(one.result))
                kept = Kept(entry, arguments, result, two.elapsed_ms)
            first_reason = first_reason or reason
        verdicts.append(kept or Dropped(entry, first_reason or "no_arguments"))
    return verdicts
