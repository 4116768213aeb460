"""Outputs that fit: each record a stage sends is measured before it is produced.

A record larger than the producer's maximum request size fails its send, the transaction
aborts, and the batch would be redone for ever. So, before delivery: a rejection's detail is
cut to ``DETAIL_CHARS``; a dead letter's payload is dropped if it does not fit (its topic,
partition, offset and key still say where the input is); and any record that still does not
fit becomes a dead letter ``too_large`` carrying the input's key and offset. No I/O here.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from apigen_stream import reasons
from apigen_stream.engine.codec import encode
from apigen_stream.engine.partitions import Envelope
from apigen_stream.engine.routing import Outgoing, dead_letter
from apigen_stream.records import DeadLetter, Rejection

# Characters of a rejection's or dead letter's detail kept: enough to read what went wrong.
DETAIL_CHARS = 2_000
# Bytes Kafka adds around one record's key and value in a batch of its own (the v2 batch
# header is 61 bytes, a record's own overhead at most 21), with room to spare.
RECORD_OVERHEAD = 256
# Bytes of an input key a ``too_large`` dead letter keeps: keys are ids, not payloads.
KEY_BYTES = 1_024


def record_limit(max_request_bytes: int) -> int:
    """The largest key plus value that fits a request of ``max_request_bytes``."""
    return max(0, max_request_bytes - RECORD_OVERHEAD)


def size(item: Outgoing) -> int:
    """Bytes of the key and encoded value of ``item``."""
    return len(item.key or b"") + len(item.value())


def fit(outgoing: Sequence[Outgoing], limit: int, source: Envelope, stage: str) -> list[Outgoing]:
    """``outgoing`` with every record encoded and within ``limit`` bytes (key plus value).

    Rejections keep ``DETAIL_CHARS`` of their detail; what still does not fit is replaced by a
    ``too_large`` dead letter for ``source``.
    """
    return [_fitted(item, limit, source, stage) for item in outgoing]


def _fitted(item: Outgoing, limit: int, source: Envelope, stage: str) -> Outgoing:
    bounded = encoded(_bounded(item))
    if size(bounded) > limit and isinstance(bounded.record, DeadLetter):
        bounded = encoded(_without_payload(bounded))
    if size(bounded) > limit:
        return too_large(source, stage, bounded, limit)
    return bounded


def encoded(item: Outgoing) -> Outgoing:
    """``item`` with its value encoded once, for measuring and sending."""
    if item.data is not None:
        return item
    return Outgoing(item.topic, item.key, item.record, encode(item.record))


def too_large(source: Envelope, stage: str, item: Outgoing, limit: int) -> Outgoing:
    """The dead letter for an output of ``source`` that cannot fit ``limit`` bytes.

    It carries no payload: the input stays readable at its topic, partition and offset.
    """
    detail = (
        f"{type(item.record).__name__} for {item.topic} is {size(item)} bytes, over the "
        f"{limit}-byte limit; the input is {source.topic}[{source.partition}]@{source.offset}"
    )
    key = source.key[:KEY_BYTES] if source.key is not None else None
    letter = dead_letter(
        stage=stage, topic=source.topic, partition=source.partition, offset=source.offset,
        key=key, value=b"", reason=reasons.TOO_LARGE, detail=detail,
    )  # fmt: skip
    return encoded(letter)


def _bounded(item: Outgoing) -> Outgoing:
    record = item.record
    if isinstance(record, Rejection | DeadLetter) and len(record.detail) > DETAIL_CHARS:
        shown = record.detail[:DETAIL_CHARS]
        cut = f"{shown}... ({len(record.detail) - DETAIL_CHARS} more characters)"
        return Outgoing(item.topic, item.key, msgspec.structs.replace(record, detail=cut))
    return item


def _without_payload(item: Outgoing) -> Outgoing:
    letter = item.record
    assert isinstance(letter, DeadLetter)
    detail = f"payload of {len(letter.payload)} bytes omitted; {letter.detail}"[:DETAIL_CHARS]
    key = letter.key[:KEY_BYTES] if letter.key is not None else None
    smaller = msgspec.structs.replace(letter, payload=b"", detail=detail, key=key)
    return Outgoing(item.topic, key, smaller)
