"""Stage 1, format: the candidate's calls checked against the tools offered in THAT candidate.

Checked, in order: the generator could read the pair (``invalid_json``, ``missing_field``,
``truncated``); the style's call count (``unexpected_call`` for an irrelevance candidate with a
call, ``no_call`` for any other style without one); then every call: its function is offered
(``unknown_function``), its argument names exist (``unknown_argument``), required ones are there
(``missing_required``), no value holds NaN or an infinity (``non_finite_number``: JSON has
neither), and each value fits its JSON Schema (``wrong_type``, ``enum_violation``,
``out_of_range``, ``unsupported_pattern``). Values are only inspected: a string stays the string it
is (``"1010"`` is not an int, ``"__import__('os')"`` is not code). An optional argument whose
default is null (or the text ``"null"``/``"None"``) may be null: it means "left out". Each
tool's schema is compiled once (see ``validate``).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import msgspec

from apigen_stream.config import Config
from apigen_stream.engine.codec import encode
from apigen_stream.engine.offload import Offload
from apigen_stream.jsonlimits import non_finite
from apigen_stream.library.convert import normalize_schema
from apigen_stream.library.validate import (
    MISSING_REQUIRED,
    UNKNOWN_ARGUMENT,
    Check,
    Violation,
    compile_schema,
)
from apigen_stream.records import PARSE_REASONS, Call, Candidate, Tool
from apigen_stream.spec import FORMAT
from apigen_stream.stages.dedup import dedup_key
from apigen_stream.stages.format_offload import (
    CHECK_TARGET,
    OffloadedCheck,
    result_of,
)
from apigen_stream.stages.stage import Accept, Declared, Reject, StateStore, Verdict

NAME = "format"
INVALID_JSON = "invalid_json"
MISSING_FIELD = "missing_field"
# The generator's answer was cut at max_tokens: the part that could not be read.
TRUNCATED = "truncated"
UNKNOWN_FUNCTION = "unknown_function"
UNEXPECTED_CALL = "unexpected_call"
NO_CALL = "no_call"
NON_FINITE_NUMBER = "non_finite_number"
# Top-level keywords the per-argument loop covers; any other one is checked on the whole object.
_LOOP_KEYWORDS = frozenset(
    {"type", "properties", "required", "additionalProperties", "description", "title",
     "$schema", "$id", "default", "examples", "$comment"}
)  # fmt: skip
# Defaults that spell null as text (BFCL docs write ``"default": "null"`` or ``"None"``).
NULL_TEXTS = frozenset({"None", "null"})
# Distinct (tool name, parameters) kept compiled.
SPEC_CACHE_SIZE = 4_096
# Offered tool names listed in a detail; a prompt rarely offers more.
NAMES_SHOWN = 8

_CANONICAL = msgspec.json.Encoder(order="sorted")


@dataclass(frozen=True, slots=True)
class FormatIssue:
    """Why calls fail the format check: a reason code and a detail naming call and argument."""

    reason: str
    detail: str
    call_index: int = -1


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A tool's argument checks, compiled once."""

    name: str
    arguments: Mapping[str, Check]
    required: tuple[str, ...]
    # Checks arguments not in ``arguments``; None means they are unknown (the paper's rule).
    extra: Check | None
    # Optional arguments whose default is null: null means "left out".
    nullable: frozenset[str]
    # The whole-object check, when the schema has top-level keywords the loop does not cover.
    whole: Check | None


def tool_spec(tool: Tool) -> ToolSpec:
    """The compiled checks of ``tool``, cached by (name, canonical parameters).

    The very tool object seen last is found without encoding its parameters again: ``verify``
    offers one converted tool list to every row with the same tools.
    """
    seen = _LAST.get(tool.name)
    if seen is not None and seen[0] is tool:
        return seen[1]
    try:
        key = (tool.name, _CANONICAL.encode(tool.parameters))
    except (TypeError, msgspec.EncodeError):  # not JSON (a Tool built in code): no cache key
        return _spec(tool.name, tool.parameters)
    spec = _SPECS.get(key)
    if spec is None:
        if len(_SPECS) >= SPEC_CACHE_SIZE:
            del _SPECS[next(iter(_SPECS))]  # the oldest entry: a FIFO bound is enough here
        spec = _SPECS[key] = _spec(tool.name, tool.parameters)
    # Kept only when the spec changes: a stage decodes new, equal tools for every record, and
    # holding each one would cost an allocation per call for no hit.
    if seen is None or seen[1] is not spec:
        _LAST[tool.name] = (tool, spec)
        if len(_LAST) > SPEC_CACHE_SIZE:
            del _LAST[next(iter(_LAST))]
    return spec


_SPECS: dict[tuple[str, bytes], ToolSpec] = {}
# By tool name, the tool object last checked and its spec (the object is held, so no other
# object can take its identity while it is here).
_LAST: dict[str, tuple[Tool, ToolSpec]] = {}


def _spec(name: str, parameters: Mapping[str, Any]) -> ToolSpec:
    schema = normalize_schema(parameters)
    props = schema.get("properties")
    props = props if isinstance(props, Mapping) else {}
    raw_required = schema.get("required")
    required = tuple(r for r in raw_required if isinstance(r, str)) if isinstance(
        raw_required, list) else ()  # fmt: skip
    extra = schema.get("additionalProperties", False)
    required_set = frozenset(required)  # a set: a tuple's ``in`` is quadratic over properties
    nullable = frozenset(
        k for k, s in props.items()
        if k not in required_set and isinstance(s, Mapping)
        and _null_default(s.get("default", 0))
    )  # fmt: skip
    return ToolSpec(
        name=name,
        arguments={str(k): compile_schema(s) for k, s in props.items()},
        required=required,
        extra=None if extra is False else compile_schema(extra),
        nullable=nullable,
        whole=compile_schema(schema) if set(schema) - _LOOP_KEYWORDS else None,
    )


def _null_default(default: Any) -> bool:
    # A default may be any JSON value (a list, an object): only null and its spellings count.
    return default is None or (isinstance(default, str) and default in NULL_TEXTS)


# Argument types that hold no float, so no NaN: ``check_arguments`` skips the walk for them.
_NO_FLOAT: frozenset[type] = frozenset({str, int, bool, type(None)})


def check_arguments(arguments: Mapping[str, Any], spec: ToolSpec) -> FormatIssue | None:
    """The first problem of one call's arguments against its tool, or None."""
    for name in spec.required:
        if name not in arguments:
            return FormatIssue(MISSING_REQUIRED, f"missing required argument {name!r}")
    for name, value in arguments.items():
        check = spec.arguments.get(name, spec.extra)
        if check is None:
            return FormatIssue(UNKNOWN_ARGUMENT, f"unknown argument {name!r} ({_known(spec)})")
        if value is None and name in spec.nullable:
            continue
        bad_path = None if type(value) in _NO_FLOAT else non_finite(value)
        if bad_path is not None:
            where = name + Violation(NON_FINITE_NUMBER, bad_path, "").json_path[1:]
            return FormatIssue(NON_FINITE_NUMBER, f"argument {where}: NaN or infinity, not JSON")
        bad = check(value)
        if bad is not None:
            where = name + bad.json_path[1:]
            return FormatIssue(bad.reason, f"argument {where}: {bad.message}")
    if spec.whole is not None:
        given = {k: v for k, v in arguments.items() if not (v is None and k in spec.nullable)}
        bad = spec.whole(given)
        if bad is not None:
            return FormatIssue(bad.reason, f"arguments{bad.json_path[1:]}: {bad.message}")
    return None


def _known(spec: ToolSpec) -> str:
    names = list(spec.arguments)
    shown = ", ".join(names[:NAMES_SHOWN]) or "none"
    more = f", ... {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
    return f"known: {shown}{more}"


def _offered(tools: Sequence[Tool], name: str) -> Tool | None:
    # A scan beats building a dict for the handful of tools a prompt offers; the first
    # definition of a name is the one the generator saw first.
    for tool in tools:
        if tool.name == name:
            return tool
    return None


def _by_name(tools: Sequence[Tool]) -> dict[str, Tool]:
    index: dict[str, Tool] = {}
    for tool in tools:
        index.setdefault(tool.name, tool)  # the first definition wins, as in ``_offered``
    return index


def check_calls(calls: Sequence[Call], tools: Sequence[Tool]) -> FormatIssue | None:
    """The first problem of ``calls`` against the ``tools`` offered with them, or None.

    Every call is checked (all N of a parallel answer), in order; the first problem wins.
    """
    # Many calls among many tools: one index, not a scan per call (calls times tools).
    index = _by_name(tools) if len(calls) > 1 and len(tools) > NAMES_SHOWN else None
    for i, call in enumerate(calls):
        if not call.name:
            return FormatIssue(MISSING_FIELD, f"call {i}: no function name", i)
        tool = _offered(tools, call.name) if index is None else index.get(call.name)
        if tool is None:
            shown = ", ".join(list(dict.fromkeys(t.name for t in tools))[:NAMES_SHOWN]) or "none"
            detail = f"call {i}: function {call.name!r} is not among the offered tools ({shown})"
            return FormatIssue(UNKNOWN_FUNCTION, detail, i)
        issue = check_arguments(call.arguments, tool_spec(tool))
        if issue is not None:
            return FormatIssue(issue.reason, f"call {i} ({call.name}): {issue.detail}", i)
    return None


def _parse_issue(candidate: Candidate) -> FormatIssue:
    if candidate.parse_reason is not None:
        return FormatIssue(candidate.parse_reason, candidate.parse_error)
    # A record written before ``parse_reason`` existed: its reason leads the text.
    code, _, _ = candidate.parse_error.partition(":")
    reason = code if code in PARSE_REASONS else INVALID_JSON
    return FormatIssue(reason, candidate.parse_error)


def _style_issue(candidate: Candidate) -> FormatIssue | None:
    if candidate.style == "irrelevance" and candidate.calls:
        names = ", ".join(c.name for c in candidate.calls[:NAMES_SHOWN])
        return FormatIssue(UNEXPECTED_CALL, f"irrelevance candidate with calls: {names}")
    if candidate.style != "irrelevance" and not candidate.calls:
        return FormatIssue(NO_CALL, f"{candidate.style} candidate without a call")
    return None


def check_format(candidate: Candidate, *, keyed: bool = True) -> Verdict:
    """Stage 1 on one candidate: ``Accept`` (unchanged, keyed by ``dedup_key`` unless
    ``keyed`` is false: ``verify`` sends it to no topic) or ``Reject``."""
    if candidate.parse_reason is not None or candidate.parse_error:
        issue: FormatIssue | None = _parse_issue(candidate)
    elif not candidate.query.strip():
        issue = FormatIssue(MISSING_FIELD, "empty query")
    else:
        issue = _style_issue(candidate) or check_calls(candidate.calls, candidate.tools)
    if issue is not None:
        return Reject(issue.reason, issue.detail, candidate)
    return Accept(candidate, key=dedup_key(candidate) if keyed else None)


_CANDIDATES = msgspec.json.Decoder(list[Candidate])
_RESULTS = msgspec.json.Encoder()


def check_encoded(payload: bytes) -> bytes:
    """``check_format`` on a JSON array of candidates, to a JSON array of their ``CheckResult``s
    in order (what the child runs: a batch of the stage's, or one candidate in an array)."""
    return _RESULTS.encode([result_of(check_format(c)) for c in _CANDIDATES.decode(payload)])


class FormatStage(Declared):
    """Stage ``format``: ``apigen.candidates`` → ``apigen.formatted`` (keyed for dedup).

    With ``offloaded`` (``open_stage`` gives it) every check runs in a child process, within
    its deadline, so that no check holds the event loop; without it, on the loop (tests, and
    ``verify``, which has no loop to keep free).

    Why every check, and not only large candidates: a check's cost is not bounded by the size
    of its candidate. Once ``oneOf`` and quoting were made linear, what is left is inherent to
    JSON Schema or to RE2: ``anyOf`` tries each alternative on the whole value (schema times
    value: a 16 KB candidate of 300 array alternatives over 8,000 items takes over 100 ms), and
    an RE2 program may be a thousand times its pattern (``(.{1000}){1}z``, 14 characters,
    matches 4,000 characters in over 100 ms; ``\\p{L}{1000}`` takes 50 ms to be refused). A
    threshold small enough to bound those on the loop would send most real candidates (their
    tools alone take 3 to 10 KB) to the child anyway; sending them all, a fetched batch at once
    as the bytes they came in (``Offload``), costs the parent no decode or encode of its own,
    and keeps the guarantee for every record (``bench_format_stage`` measures the price).
    """

    spec = FORMAT

    def __init__(self, offloaded: OffloadedCheck | None = None):
        self._offloaded = offloaded

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        """Check the candidate; an accepted one carries this stage's time in its provenance.

        Without the bytes the record came from, a record checked in a child is encoded for it.
        """
        encoded = encode(record) if self._offloaded is not None else b""
        return await self.handle_encoded(record, encoded, state)

    async def handle_encoded(
        self, record: Candidate, encoded: bytes, state: StateStore
    ) -> Sequence[Verdict]:
        """``handle`` for a record decoded from ``encoded``, which goes to the child as it is."""
        started = time.perf_counter()
        offloaded = self._offloaded
        verdict = check_format(record) if offloaded is None else await offloaded(encoded, record)
        return [_stamped(verdict, record, time.perf_counter() - started)]

    async def handle_many_encoded(
        self, records: Sequence[Candidate], encoded: Sequence[bytes], state: StateStore
    ) -> list[Sequence[Verdict]] | None:
        """The Kafka runner's batch path: a fetched batch in one call to the child, within one
        deadline; None when that call fails or runs past it (the runner then checks the records
        one by one, each within its own, so that only the one at fault is rejected)."""
        started = time.perf_counter()
        offloaded = self._offloaded
        if offloaded is None:
            verdicts: list[Verdict] | None = [check_format(record) for record in records]
        else:
            verdicts = await offloaded.many(encoded, records)
        if verdicts is None:
            return None
        seconds = time.perf_counter() - started
        return [
            [_stamped(verdict, record, seconds)]
            for verdict, record in zip(verdicts, records, strict=True)
        ]

    async def handle_many(
        self, records: Sequence[Candidate], state: StateStore
    ) -> list[Sequence[Verdict]]:
        """``verify``'s batch path: each record's verdict, without per-record timings."""
        return [[check_format(record, keyed=False)] for record in records]


def _stamped(verdict: Verdict, record: Candidate, seconds: float) -> Verdict:
    """An accepted candidate carries this stage's time in its provenance."""
    if isinstance(verdict, Reject):
        return verdict
    provenance = record.provenance
    timings = {**provenance.timings, NAME: seconds}
    stamped = msgspec.structs.replace(
        record, provenance=msgspec.structs.replace(provenance, timings=timings)
    )
    return Accept(stamped, key=verdict.key)


@asynccontextmanager
async def open_stage(config: Config) -> AsyncIterator[FormatStage]:
    """The format stage, its checks in ``config.format.workers`` child processes."""
    settings = config.format
    async with Offload(CHECK_TARGET, settings.workers, settings.timeout_s) as offload:
        yield FormatStage(OffloadedCheck(offload))
