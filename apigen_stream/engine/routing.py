"""From a stage's verdicts to the records it sends: the same for Kafka and the in-memory bus."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec

from apigen_stream import metrics, topics
from apigen_stream.engine.codec import encode
from apigen_stream.records import DeadLetter, Rejection, subject_id
from apigen_stream.stages.stage import Accept, Reject, Verdict


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One record to send: topic, key and the record itself, with its bytes once measured."""

    topic: str
    key: bytes | None
    record: msgspec.Struct
    # The encoded record, when it was encoded before sending (to measure it).
    data: bytes | None = None

    def value(self) -> bytes:
        """The encoded record."""
        return self.data if self.data is not None else encode(self.record)


def route(stage: str, output_topic: str, verdicts: Sequence[Verdict]) -> list[Outgoing]:
    """Accepts go to ``output_topic``, rejects to ``apigen.rejected`` filed under ``stage``."""
    now = time.time()
    out: list[Outgoing] = []
    for verdict in verdicts:
        if isinstance(verdict, Accept):
            key = verdict.key if verdict.key is not None else _default_key(verdict.record)
            out.append(Outgoing(output_topic, key, verdict.record))
        elif isinstance(verdict, Reject):
            sid = subject_id(verdict.subject)
            rejection = Rejection(
                id=sid,
                stage=stage,
                reason=verdict.reason,
                detail=verdict.detail,
                subject=verdict.subject,
                created_at=now,
                tokens=verdict.tokens,
                requests=verdict.requests,
                cost=verdict.cost,
            )
            out.append(Outgoing(topics.REJECTED, sid.encode(), rejection))
    return out


def dead_letter(
    *,
    stage: str, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None,
    reason: str, detail: str,
) -> Outgoing:  # fmt: skip
    """A record the stage could not process at all, bound for ``apigen.dlq``."""
    letter = DeadLetter(
        stage=stage, topic=topic, partition=partition, offset=offset, reason=reason,
        detail=detail[:2000], key=key, payload=value or b"", created_at=time.time(),
    )  # fmt: skip
    return Outgoing(topics.DLQ, key, letter)


def count(stage: str, outgoing: Sequence[Outgoing], origin: float | None = None) -> None:
    """Record what left the stage in ``apigen_records_total`` (call once the send is committed)."""
    now = time.time()
    for item in outgoing:
        record = item.record
        if isinstance(record, Rejection):
            metrics.child(metrics.RECORDS, stage, "rejected", record.reason).inc()
        elif isinstance(record, DeadLetter):
            metrics.child(metrics.RECORDS, stage, "dead_letter", record.reason).inc()
        else:
            metrics.child(metrics.RECORDS, stage, "accepted", "").inc()
        created = getattr(record, "created_at", 0.0) if origin is None else origin
        if created:
            metrics.child(metrics.END_TO_END_SECONDS, stage).observe(max(0.0, now - created))


def _default_key(record: msgspec.Struct) -> bytes | None:
    rid = getattr(record, "id", None)
    if rid is None:
        candidate = getattr(record, "candidate", None)
        rid = getattr(candidate, "id", None)
    return rid.encode() if isinstance(rid, str) else None
