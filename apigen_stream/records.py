"""The records that travel on apigen-stream's topics: one msgspec Struct per topic.

| topic               | record       |
|---------------------|--------------|
| apigen.tasks        | Task         |
| apigen.candidates   | Candidate    |
| apigen.formatted    | Candidate    |
| apigen.unique       | Candidate    |
| apigen.executed     | Executed     |
| apigen.accepted     | Sample       |
| apigen.rejected     | Rejection    |
| apigen.dlq          | DeadLetter   |
| apigen.dedup-seen-changelog | DedupEntry |

A sample keeps its ``id`` from candidate to verdict. Kafka metadata (topic, partition, offset,
headers) never enters a payload: it stays in the engine's envelope. Records are frozen; a stage
makes a new one with ``msgspec.structs.replace``.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

Style = Literal["simple", "multiple", "parallel", "parallel_multiple", "irrelevance"]
STYLES: tuple[Style, ...] = ("simple", "multiple", "parallel", "parallel_multiple", "irrelevance")
# Why a generator's answer could not be read as a pair: the format stage's reason codes for it.
ParseReason = Literal["invalid_json", "missing_field", "truncated"]
PARSE_REASONS: tuple[ParseReason, ...] = ("invalid_json", "missing_field", "truncated")


class Call(msgspec.Struct, frozen=True, kw_only=True):
    """One function call: the tool's name and its arguments, bound by name."""

    name: str
    arguments: dict[str, Any] = {}


class Tool(msgspec.Struct, frozen=True, kw_only=True):
    """A tool as offered to the generator: ``parameters`` is a JSON Schema of type object."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = {}
    category: str = ""


class Example(msgspec.Struct, frozen=True, kw_only=True):
    """A seed query with the calls that answer it, shown to the generator as a few-shot example."""

    id: str
    query: str
    calls: list[Call] = []
    tools: list[Tool] = []


class Provenance(msgspec.Struct, frozen=True, kw_only=True):
    """Where a sample came from: models, prompt, seeds, library version, time and tokens spent."""

    generator: str = ""
    judge: str = ""
    template: str = ""
    seed_example_ids: list[str] = []
    library_version: str = ""
    # stage name -> seconds its handler spent on this sample.
    timings: dict[str, float] = {}
    # role ("generator", "judge") -> tokens used; a generator's tokens are split over its pairs.
    tokens: dict[str, int] = {}
    # role -> LLM requests made (timed-out attempts included), split over pairs like tokens.
    requests: dict[str, int] = {}
    # role -> cost of those tokens at the configured prices (empty when none are configured).
    cost: dict[str, float] = {}
    # The LLM's raw answer, truncated: the first thing to read when a sample looks wrong.
    raw_output: str = ""


class Task(msgspec.Struct, frozen=True, kw_only=True, tag="task"):
    """A generation task on ``apigen.tasks``: tools to offer, few-shot examples, a prompt style."""

    id: str
    style: Style
    tools: list[Tool]
    examples: list[Example] = []
    pairs: int = 1
    template: str = ""
    library_version: str = ""
    created_at: float = 0.0


class Candidate(msgspec.Struct, frozen=True, kw_only=True, tag="candidate"):
    """One generated (query, calls) pair, on ``apigen.candidates``, ``.formatted``, ``.unique``."""

    id: str
    task_id: str = ""
    style: Style = "simple"
    query: str
    calls: list[Call] = []
    tools: list[Tool] = []
    provenance: Provenance = Provenance()
    # When the task was created: the origin of end-to-end latency.
    created_at: float = 0.0
    # Set by the generator when the LLM's answer could not be read as a pair; the format stage
    # rejects such a candidate with ``parse_reason`` and ``parse_error`` (the detail), as the
    # paper's stage 1 does. Records written before ``parse_reason`` existed carry only
    # ``parse_error``, as "code: detail" text.
    parse_error: str = ""
    parse_reason: ParseReason | None = None


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    """The execution of one call: ``ok`` with a JSON-safe result, or a reason code and detail."""

    name: str
    ok: bool
    result: Any = None
    reason: str = ""
    detail: str = ""
    elapsed_ms: float = 0.0


class Executed(msgspec.Struct, frozen=True, kw_only=True, tag="executed"):
    """A candidate whose calls all ran, on ``apigen.executed``; one outcome per call, in order."""

    candidate: Candidate
    outcomes: list[Outcome] = []


class Judgement(msgspec.Struct, frozen=True, kw_only=True):
    """The semantic stage's decision; ``votes`` holds each judge's answer in a committee."""

    passed: bool
    thought: str = ""
    votes: list[bool] = []


class Sample(msgspec.Struct, frozen=True, kw_only=True, tag="sample"):
    """A verified sample on ``apigen.accepted``: it passed format, execution and semantic checks."""

    id: str
    style: Style
    query: str
    calls: list[Call]
    tools: list[Tool]
    outcomes: list[Outcome] = []
    judgement: Judgement = Judgement(passed=True)
    provenance: Provenance = Provenance()
    created_at: float = 0.0


Subject = Task | Candidate | Executed


class Rejection(msgspec.Struct, frozen=True, kw_only=True, tag="rejection"):
    """Data that failed a check, on ``apigen.rejected``: ``reason`` is a stable code."""

    id: str
    stage: str
    reason: str
    detail: str = ""
    subject: Subject
    created_at: float = 0.0
    # LLM spend of the rejecting stage on the subject: role -> tokens, requests and cost.
    tokens: dict[str, int] = {}
    requests: dict[str, int] = {}
    cost: dict[str, float] = {}


class DeadLetter(msgspec.Struct, frozen=True, kw_only=True, tag="dead_letter"):
    """A record a stage could not process at all (undecodable, or a bug), on ``apigen.dlq``."""

    stage: str
    topic: str
    partition: int = -1
    offset: int = -1
    reason: str
    detail: str = ""
    key: bytes | None = None
    payload: bytes = b""
    created_at: float = 0.0


class DedupEntry(msgspec.Struct, frozen=True, kw_only=True, tag="dedup_entry"):
    """The dedup stage's changelog: the first sample id seen for a content hash (the record key)."""

    id: str
    created_at: float = 0.0


# The record type of every topic; the engine decodes and validates input with these.
TOPIC_RECORDS: dict[str, type[msgspec.Struct]] = {
    "apigen.tasks": Task,
    "apigen.candidates": Candidate,
    "apigen.formatted": Candidate,
    "apigen.unique": Candidate,
    "apigen.executed": Executed,
    "apigen.accepted": Sample,
    "apigen.rejected": Rejection,
    "apigen.dlq": DeadLetter,
    "apigen.dedup-seen-changelog": DedupEntry,
}


def subject_id(subject: Subject) -> str:
    """The sample id a rejection is filed under."""
    if isinstance(subject, Executed):
        return subject.candidate.id
    return subject.id
