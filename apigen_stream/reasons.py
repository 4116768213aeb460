"""Reason codes: the small fixed vocabulary of every stage, used in records, metrics and docs.

A rejection's ``reason`` and a dead letter's ``reason`` are always one of these; the
``apigen_records_total{reason=...}`` label takes its values from here, so it stays low-cardinality.
"""

from __future__ import annotations

from apigen_stream.spec import PIPELINE

# The engine's own reasons, for apigen.dlq.
UNDECODABLE = "undecodable"  # bytes are not a record of the topic's type
SCHEMA_VIOLATION = "schema_violation"  # decodes as JSON but breaks the record's schema
HANDLER_ERROR = "handler_error"  # the stage's handler raised: a bug, not bad data
TOO_LARGE = "too_large"  # an output does not fit the producer's maximum request size
# A record whose handling ran past its deadline, rejected by any stage (the engine's reason).
DEADLINE_EXCEEDED = "deadline_exceeded"

DLQ_REASONS = frozenset(
    {UNDECODABLE, SCHEMA_VIOLATION, HANDLER_ERROR, TOO_LARGE, DEADLINE_EXCEEDED}
)
# Rejection reasons the engine gives on behalf of every stage.
RUNTIME_REASONS = frozenset({DEADLINE_EXCEEDED})

# Every stage's codes, declared with the stage (``spec.PIPELINE``).
STAGE_REASONS: dict[str, frozenset[str]] = PIPELINE.reasons()


# ``verify``'s own step before any stage: a row that cannot be read as a candidate.
READ = "read"
UNREADABLE_ROW = "unreadable_row"
VERIFY_REASONS: dict[str, frozenset[str]] = {READ: frozenset({UNREADABLE_ROW})}


def is_known(stage: str, reason: str) -> bool:
    """Whether ``reason`` belongs to ``stage``'s vocabulary."""
    return reason in RUNTIME_REASONS or reason in STAGE_REASONS.get(stage, frozenset())
