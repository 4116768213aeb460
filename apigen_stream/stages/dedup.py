"""The dedup stage: no exact repeat of (normalised query, canonical calls) goes on.

The format stage keys ``apigen.formatted`` by ``dedup_key``, so every copy of the same content
lands on the same partition and one replica sees them all; the seen keys live in the partition's
``StateStore``, which the engine backs with the compacted ``apigen.dedup-seen-changelog`` topic (in
the same transaction as the outputs), so the set survives restarts and moves with the partition.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
import unicodedata
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import msgspec

from apigen_stream.config import Config
from apigen_stream.records import Call, Candidate, DedupEntry
from apigen_stream.spec import DEDUP, DEDUP_SEEN
from apigen_stream.stages.stage import Accept, Declared, Reject, StateStore, Verdict

NAME = "dedup"
DUPLICATE = "duplicate"
# Integral floats beyond this lose precision as ints; JSON numbers above it are kept as floats.
_EXACT_INT_LIMIT = 2**53

# Argument value types that may hold an integral float; any other value is canonical as it is.
_NESTED_OR_FLOAT = (float, list, dict)

_CANONICAL = msgspec.json.Encoder(order="sorted")
_ENTRY_DECODER = msgspec.json.Decoder(DedupEntry)


def normalize_query(query: str) -> str:
    """The query as dedup compares it: Unicode NFKC, case-folded, whitespace collapsed."""
    if query.isascii():  # NFKC changes no ASCII text, and casefold is lower there
        return " ".join(query.lower().split())
    return " ".join(unicodedata.normalize("NFKC", query).casefold().split())


def _canonical_value(value: Any) -> Any:
    """JSON-canonical: an integral float is the same number as the int (1.0 is 1)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_INT_LIMIT:
        return int(value)
    if isinstance(value, dict):
        return {k: _canonical_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical_value(v) for v in value]
    return value


def _call_value(call: Call) -> tuple[str, Any]:
    arguments: Any = call.arguments
    if any(type(v) in _NESTED_OR_FLOAT for v in arguments.values()):
        arguments = _canonical_value(arguments)
    return (call.name, arguments)


def canonical_call(call: Call) -> bytes:
    """A call's canonical JSON, ``[name, arguments]``: keys sorted, numbers by value."""
    return _CANONICAL.encode(_call_value(call))


def dedup_key(candidate: Candidate) -> bytes:
    """sha256 of the canonical JSON ``[normalised query, sorted canonical calls]``.

    The calls are sorted because their order does not make a different sample: "weather in
    Paris and Rome" with its two calls swapped is the same example for training.
    """
    query = normalize_query(candidate.query)
    calls = candidate.calls
    if len(calls) == 1:  # the common case, in one encode; same bytes as the general case
        blob = _CANONICAL.encode((query, (_call_value(calls[0]),)))
    else:
        parts = sorted(canonical_call(c) for c in calls)
        blob = _CANONICAL.encode((query, [msgspec.Raw(p) for p in parts]))
    return hashlib.sha256(blob).digest()


def dedup_verdict(candidate: Candidate, key: bytes, seen: bytes | None) -> Verdict | None:
    """Reject a repeat; None means the candidate is new (the caller records it and accepts)."""
    if seen is None:
        return None
    first = _ENTRY_DECODER.decode(seen)
    if first.id == candidate.id:
        # The same record again (a replay after a crash in at-least-once mode): not a copy.
        return Accept(candidate)
    return Reject(DUPLICATE, f"same query and calls as {first.id} (key {key.hex()[:16]})",
                  candidate)  # fmt: skip


class DedupStage(Declared):
    """Stage ``dedup``: ``apigen.formatted`` → ``apigen.unique``, keeping its seen keys."""

    spec = DEDUP

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        """Reject the candidate when its content was seen before, else record it and pass it."""
        key = dedup_key(record)
        verdict = dedup_verdict(record, key, state.get(key))
        if verdict is not None:
            return [verdict]
        state.put(key, msgspec.json.encode(DedupEntry(id=record.id, created_at=time.time())))
        return [Accept(record)]


@asynccontextmanager
async def open_stage(config: Config) -> AsyncIterator[DedupStage]:
    """The dedup stage; it needs no client (its state comes from the engine)."""
    stage = DedupStage()
    retained = dataclasses.replace(
        DEDUP_SEEN, retain_keys=config.dedup.retain_keys, retain_s=config.dedup.retain_s
    )
    stage.spec = dataclasses.replace(DEDUP, stores=(retained,))
    yield stage
