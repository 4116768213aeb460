"""Outputs that fit: each record a stage sends is measured before it is produced.

A record larger than the producer's maximum request size fails its send, the transaction
aborts, and the batch would be redone for ever. So, before delivery: a rejection's detail is
cut to ``DETAIL_CHARS``; a dead letter's payload is dropped if it does not fit (its topic,
partition, offset and key still say where the input is); and any record that still does not
fit becomes a dead letter ``too_large`` carrying the input's key and offset. No I/O here.

The bound is the smaller of the producer's maximum request and the ``max.message.bytes`` of
every topic the stage writes (``output_bytes``, from the broker's configs read at start-up): a
topic whose limit is below the request size refuses a batch the producer would send, and the
transaction would be redone for ever. Fitting to it, rather than refusing to start, gives a
record over a topic's limit the same outcome as one over the request size (a ``too_large``
dead letter), and leaves a topic's limit to whoever set it. Only a limit too small for that
dead letter itself is an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from apigen_stream import reasons
from apigen_stream.engine.codec import encode
from apigen_stream.engine.partitions import Envelope
from apigen_stream.engine.routing import Outgoing, dead_letter
from apigen_stream.errors import ConfigError
from apigen_stream.records import DeadLetter, Rejection

# Characters of a rejection's or dead letter's detail kept: enough to read what went wrong.
DETAIL_CHARS = 2_000
# Bytes Kafka adds around one record's key and value in a batch of its own (the v2 batch
# header is 61 bytes, a record's own overhead at most 21), with room to spare.
RECORD_OVERHEAD = 256
# Bytes of an input key a ``too_large`` dead letter keeps: keys are ids, not payloads.
KEY_BYTES = 1_024
# The smallest batch a written topic must accept: a ``too_large`` dead letter (its detail cut
# to ``DETAIL_CHARS``, its key to ``KEY_BYTES``) fits with room to spare. The config's
# ``kafka.max_request_bytes`` has the same floor.
MIN_OUTPUT_BYTES = 4_096
# The producer's batch of several records (aiokafka's default); never above ``output_bytes``,
# since the broker checks a topic's limit against a whole batch.
BATCH_BYTES = 16_384


def output_bytes(max_request_bytes: int, topic_limits: Mapping[str, int]) -> int:
    """The bytes one batch sent to any of the written topics may take (see the module doc).

    ``topic_limits``: each written topic's ``max.message.bytes``. A limit below
    ``MIN_OUTPUT_BYTES`` is a ``ConfigError`` naming the topic.
    """
    too_small = sorted((limit, topic) for topic, limit in topic_limits.items()
                       if limit < MIN_OUTPUT_BYTES)  # fmt: skip
    if too_small:
        limit, topic = too_small[0]
        raise ConfigError(
            f"topic {topic} accepts messages of at most {limit} bytes (max.message.bytes):"
            f" the stage needs {MIN_OUTPUT_BYTES} to write its dead letters; raise it"
        )
    return min([max_request_bytes, *topic_limits.values()])


def batch_bytes(output_bytes_: int) -> int:
    """The producer's ``max_batch_size``: its default, or less when a topic allows less."""
    return min(BATCH_BYTES, output_bytes_)


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
