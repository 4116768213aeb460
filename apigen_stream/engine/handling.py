"""From fetched records to the records a stage sends, with no Kafka: shared by every transport.

Each record is decoded against the stage's input type, handed to the handler, and its verdicts
routed. What happens to a failure is a property of its class: a decode error and a handler
error whose class says ``dead_letter`` (or any unexpected exception) send the input to
``apigen.dlq``; a ``retriable`` error is retried with backoff first. A record whose handling
runs past ``deadline_s`` is rejected with ``deadline_exceeded``. Over Kafka, every output is
then fitted to the producer's request size (``sizing.fit``). The stage goes on.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, runtime_checkable

import anyio
import msgspec

from apigen_stream import metrics, reasons
from apigen_stream.engine import deadlines
from apigen_stream.engine.codec import RecordDecodeError, decode, encode
from apigen_stream.engine.partitions import Envelope
from apigen_stream.engine.routing import Outgoing, dead_letter, route
from apigen_stream.engine.sizing import fit
from apigen_stream.records import Candidate, Executed, Task
from apigen_stream.stages.stage import Reject, Stage, StateStore, Verdict

# Seconds one record's handling may take when the caller gives no deadline.
DEFAULT_DEADLINE_S = 300.0

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backoff:
    """Full-jitter exponential backoff: retry n waits uniform [0, min(cap, base * 2**n)]."""

    base_s: float
    cap_s: float

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (0 for the first retry)."""
        return random.uniform(0.0, min(self.cap_s, self.base_s * 2.0**attempt))


def input_type(stage: Stage[Any]) -> type[msgspec.Struct]:
    """The record type of the stage's input, as its declaration says."""
    return stage.spec.input_record


def is_stateful(stage: Stage[Any]) -> bool:
    """Whether the stage keeps state that must survive restarts (it declares stores)."""
    return stage.spec.stateful


@runtime_checkable
class TakesEncoded(Protocol):
    """A stage that also takes the bytes its record was decoded from, to use them as they are
    (the format stage sends them to its check child without encoding the record again)."""

    async def handle_encoded(
        self, record: Any, encoded: bytes, state: StateStore
    ) -> Sequence[Verdict]: ...


@runtime_checkable
class TakesEncodedMany(Protocol):
    """A batched stage whose batch path takes the records' bytes too (the format stage sends
    a fetched batch to its check child as the bytes it came in)."""

    async def handle_many_encoded(
        self, records: Sequence[Any], encoded: Sequence[bytes], state: StateStore
    ) -> list[Sequence[Verdict]] | None: ...


@dataclass
class Handling:
    """How one stage turns input records into outgoing ones; the same over Kafka and in memory.

    ``max_bytes`` (key plus value of one output, 0 for no limit) is the producer's bound.
    """

    stage: Stage[Any]
    record_type: type[msgspec.Struct]
    attempts: int
    backoff: Backoff
    deadline_s: float = DEFAULT_DEADLINE_S
    max_bytes: int = 0
    _takes_encoded: TakesEncoded | None = field(init=False, default=None)
    _takes_encoded_many: TakesEncodedMany | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        # Looked up once: a protocol check per record would cost more than a fast handler.
        stage = self.stage
        self._takes_encoded = stage if isinstance(stage, TakesEncoded) else None
        self._takes_encoded_many = stage if isinstance(stage, TakesEncodedMany) else None

    async def envelope(self, item: Envelope, state: StateStore) -> list[Outgoing]:
        """Decode one fetched record and handle it within the deadline; a failure becomes a
        dead letter, and past the deadline the record is rejected."""
        with anyio.move_on_after(self.deadline_s):
            return await self._envelope(item, state)
        return self._envelope_expired(item)

    async def _envelope(self, item: Envelope, state: StateStore) -> list[Outgoing]:
        """``envelope`` without its deadline (the caller keeps it), outputs fitted."""
        return self._fitted(await self._handled(item, state), item)

    async def _handled(self, item: Envelope, state: StateStore) -> list[Outgoing]:
        record = self._decoded(item)
        if isinstance(record, Outgoing):
            return [record]
        return await self._guarded(record, state, partial(self._dead, item), item, item.value)

    def _decoded(self, item: Envelope) -> msgspec.Struct | Outgoing:
        """The fetched record decoded, or its dead letter."""
        try:
            record: msgspec.Struct = decode(self.record_type, item.value)
        except RecordDecodeError as exc:
            return self._dead(item, exc.reason, exc.detail)
        except Exception as exc:  # a decoder limit (deep nesting): still a record that is bad
            return self._dead(item, reasons.UNDECODABLE, f"{type(exc).__name__}: {exc}")
        return record

    def _fitted(self, outgoing: list[Outgoing], item: Envelope) -> list[Outgoing]:
        if self.max_bytes <= 0:
            return outgoing
        return fit(outgoing, self.max_bytes, item, self.stage.name)

    def _envelope_expired(self, item: Envelope) -> list[Outgoing]:
        # Only a record that decoded can run past the deadline: decoding it again is the
        # rare path's cost, not every record's.
        record = decode(self.record_type, item.value)
        return self._fitted(self._expired(record, partial(self._dead, item), item), item)

    async def _guarded(
        self, record: msgspec.Struct, state: StateStore,
        dead: Callable[[str, str], Outgoing], where: Envelope | None, encoded: bytes | None = None,
    ) -> list[Outgoing]:  # fmt: skip
        """``record``'s outputs; a failure is a dead letter (``dead``). ``where``: the fetched
        record it came from, for the log."""
        try:
            return await self.record(record, state, encoded)
        except Exception as exc:
            log.warning("stage %s: handler failed on %s: %r", self.stage.name, _at(where), exc)
            return [dead(reasons.HANDLER_ERROR, f"{type(exc).__name__}: {exc}")]

    def _expired(
        self, record: msgspec.Struct, dead: Callable[[str, str], Outgoing], where: Envelope | None
    ) -> list[Outgoing]:
        """What a record whose handling ran past the deadline becomes: rejected with
        ``deadline_exceeded`` if it can be rejected, else a dead letter."""
        detail = f"handling took more than {self.deadline_s:g}s"
        log.warning("stage %s: %s: %s", self.stage.name, _at(where), detail)
        if isinstance(record, Task | Candidate | Executed):
            verdict = Reject(reasons.DEADLINE_EXCEEDED, detail, record)
            return route(self.stage.name, self.stage.output_topic, [verdict])
        return [dead(reasons.DEADLINE_EXCEEDED, detail)]

    async def record(
        self, record: msgspec.Struct, state: StateStore, encoded: bytes | None = None
    ) -> list[Outgoing]:
        """Handle a decoded record (``encoded``: the bytes it came from, when known), retrying
        retriable errors; the last error propagates."""
        name = self.stage.name
        takes_encoded = self._takes_encoded
        for attempt in range(max(1, self.attempts)):
            started = time.perf_counter()
            try:
                if takes_encoded is not None and encoded is not None:
                    verdicts = await takes_encoded.handle_encoded(record, encoded, state)
                else:
                    verdicts = await self.stage.handle(record, state)
            except Exception as exc:
                if not getattr(exc, "retriable", False) or attempt + 1 >= self.attempts:
                    raise
                await anyio.sleep(self.backoff.delay(attempt))
                continue
            finally:
                metrics.child(metrics.HANDLER_SECONDS, name).observe(time.perf_counter() - started)
            return route(name, self.stage.output_topic, verdicts)
        raise AssertionError("unreachable: the loop returns or raises")

    async def batch(
        self, items: Sequence[Envelope], state: StateStore, limiter: anyio.CapacityLimiter
    ) -> list[Outgoing]:
        """Handle a batch, at most ``limiter`` records at once; outputs in input order."""
        per_item = await self.each(items, state, limiter)
        return [outgoing for result in per_item for outgoing in result]

    async def each(
        self, items: Sequence[Envelope], state: StateStore, limiter: anyio.CapacityLimiter,
        known: Mapping[int, list[Outgoing]] | None = None,
    ) -> list[list[Outgoing]]:  # fmt: skip
        """The outputs of each record of a batch, in input order.

        ``known`` holds outputs already computed for some offsets (a batch redone after a
        failed commit): those records are not handled again, so their tools do not run twice.
        A stateful stage handles its records one after another, so that a record sees the
        state its predecessors in the batch left; a ``batched`` stage takes them at once
        (``_together``).
        """
        results: list[list[Outgoing] | None] = [(known or {}).get(item.offset) for item in items]
        todo = [i for i, result in enumerate(results) if result is None]
        if self.stage.spec.batched and len(todo) > 1:
            await self._together(items, todo, state, results)
            todo = [i for i in todo if results[i] is None]

        async def handle(index: int) -> list[Outgoing]:
            return await self._envelope(items[index], state)

        def expired(index: int) -> list[Outgoing]:
            return self._envelope_expired(items[index])

        await self._spread(todo, handle, expired, results, limiter)
        return _complete(results)

    async def _together(
        self, items: Sequence[Envelope], todo: Sequence[int], state: StateStore,
        results: list[list[Outgoing] | None],
    ) -> None:  # fmt: skip
        """Fill ``results`` at ``todo`` through the stage's batch handler, all at once, within
        one deadline and retried as one record is. A record that does not decode is dead-
        lettered here; if the batch handler fails or runs past the deadline, the records are
        left for ``each`` to handle one by one, so that only the one at fault is rejected."""
        decoded: list[tuple[int, msgspec.Struct]] = []
        for index in todo:
            record = self._decoded(items[index])
            if isinstance(record, Outgoing):
                results[index] = self._fitted([record], items[index])
            else:
                decoded.append((index, record))
        if not decoded:
            return
        records = [record for _, record in decoded]
        many: Any = self.stage.handle_many
        if (takes := self._takes_encoded_many) is not None:
            encoded = [items[index].value or b"" for index, _ in decoded]
            many = partial(_with_encoded, takes, encoded)
        verdicts = await self._many_verdicts(many, records, state)
        if verdicts is None:
            return
        name, output = self.stage.name, self.stage.output_topic
        for (index, _), verdict in zip(decoded, verdicts, strict=True):
            results[index] = self._fitted(route(name, output, verdict), items[index])

    async def decoded(self, record: msgspec.Struct, state: StateStore) -> list[Outgoing]:
        """Handle one record already decoded (no envelope): as ``envelope`` does after decoding.

        A failure becomes a dead letter of the record's encoding; past ``deadline_s`` the
        record is rejected with ``deadline_exceeded``.
        """
        dead = partial(self._dead_record, record)
        with anyio.move_on_after(self.deadline_s):
            return await self._guarded(record, state, dead, None)
        return self._expired(record, dead, None)

    async def decoded_batch(
        self, records: Sequence[msgspec.Struct], state: StateStore,
        limiter: anyio.CapacityLimiter,
    ) -> list[list[Outgoing]]:  # fmt: skip
        """The outputs of each decoded record, in input order, for callers holding records.

        A stage with a batch handler (``handle_many``) takes them at once, retried as one
        record is and within one deadline; if that fails, or runs past the deadline, the
        records are handled one by one, so that only the record at fault is dead-lettered or
        rejected. A stateful stage takes them one after another; any other, up to ``limiter``
        at once.
        """
        if records:
            outputs = await self._many(self.stage.handle_many, records, state)
            if outputs is not None:
                return outputs
        return await self.decoded_each(records, state, limiter)

    async def decoded_each(
        self, records: Sequence[msgspec.Struct], state: StateStore,
        limiter: anyio.CapacityLimiter,
    ) -> list[list[Outgoing]]:  # fmt: skip
        """The outputs of each decoded record, in input order, each handled on its own (within
        its own deadline): ``decoded_batch`` without the batch handler."""
        results: list[list[Outgoing] | None] = [None] * len(records)

        async def handle(index: int) -> list[Outgoing]:
            record = records[index]
            return await self._guarded(record, state, partial(self._dead_record, record), None)

        def expired(index: int) -> list[Outgoing]:
            record = records[index]
            return self._expired(record, partial(self._dead_record, record), None)

        await self._spread(range(len(records)), handle, expired, results, limiter)
        return _complete(results)

    async def _spread(
        self, indices: Sequence[int], handle: Callable[[int], Awaitable[list[Outgoing]]],
        expired: Callable[[int], list[Outgoing]], results: list[list[Outgoing] | None],
        limiter: anyio.CapacityLimiter,
    ) -> None:  # fmt: skip
        # A stateful stage takes its records one after another: each sees the state the ones
        # before it left.
        if is_stateful(self.stage):
            tasks, shared = 1, None
        else:
            tasks, shared = int(limiter.total_tokens), limiter
        await deadlines.spread(indices, handle, expired, results, tasks=tasks, limiter=shared,
                               deadline_s=self.deadline_s)  # fmt: skip

    async def _many(
        self, many: Any, records: Sequence[msgspec.Struct], state: StateStore
    ) -> list[list[Outgoing]] | None:
        verdicts = await self._many_verdicts(many, records, state)
        if verdicts is None:
            return None
        return _route_each(self.stage.name, self.stage.output_topic, verdicts)

    async def batch_verdicts(
        self, records: Sequence[msgspec.Struct], state: StateStore
    ) -> Sequence[Sequence[Verdict]] | None:
        """The verdicts of the stage's batch handler on decoded records, not routed: for a
        caller that reads verdicts and sends nothing (``verify``), so that a record costs its
        check and no outgoing record. Retried and within one deadline as in
        ``decoded_batch``; None when the stage has no batch path, or it failed or ran past
        the deadline (``decoded_each`` then handles the records one by one)."""
        if not records:
            return []
        return await self._many_verdicts(self.stage.handle_many, records, state)

    async def _many_verdicts(
        self, many: Any, records: Sequence[msgspec.Struct], state: StateStore
    ) -> Sequence[Sequence[Verdict]] | None:
        name = self.stage.name
        for attempt in range(max(1, self.attempts)):
            started = time.perf_counter()
            batched = True
            try:
                with anyio.move_on_after(self.deadline_s):
                    verdicts: Sequence[Sequence[Verdict]] | None = await many(records, state)
                    if verdicts is None:  # the stage has no batch path
                        batched = False
                    return verdicts
                return None  # past the deadline: one by one, each within its own
            except Exception as exc:
                if not getattr(exc, "retriable", False) or attempt + 1 >= self.attempts:
                    return None
                await anyio.sleep(self.backoff.delay(attempt))
            finally:
                if batched:
                    seconds = time.perf_counter() - started
                    metrics.child(metrics.HANDLER_SECONDS, name).observe(seconds)
        return None

    def _dead_record(self, record: msgspec.Struct, reason: str, detail: str) -> Outgoing:
        return dead_letter(
            stage=self.stage.name, topic=self.stage.input_topic, partition=-1, offset=-1,
            key=None, value=encode(record), reason=reason, detail=detail,
        )  # fmt: skip

    def _dead(self, item: Envelope, reason: str, detail: str) -> Outgoing:
        return dead_letter(
            stage=self.stage.name, topic=item.topic, partition=item.partition,
            offset=item.offset, key=item.key, value=item.value, reason=reason, detail=detail,
        )  # fmt: skip


async def _with_encoded(
    stage: TakesEncodedMany, encoded: Sequence[bytes], records: Sequence[msgspec.Struct],
    state: StateStore,
) -> list[Sequence[Verdict]] | None:  # fmt: skip
    return await stage.handle_many_encoded(records, encoded, state)


def _complete(results: list[list[Outgoing] | None]) -> list[list[Outgoing]]:
    # A record left unhandled would have its offset committed with nothing written for it.
    missing = [i for i, result in enumerate(results) if result is None]
    if missing:
        raise AssertionError(f"records at batch positions {missing} were not handled")
    return [result for result in results if result is not None]


def _at(where: Envelope | None) -> str:
    return f"offset {where.offset}" if where is not None else "a decoded record"


def _route_each(
    stage: str, output_topic: str, verdicts: Sequence[Sequence[Verdict]]
) -> list[list[Outgoing]]:
    # Routed at once when each record has one verdict (the batch handlers' case): one
    # verdict makes one outgoing record, so the flat routing splits back one to one.
    if all(len(each) == 1 for each in verdicts):
        flat = route(stage, output_topic, [each[0] for each in verdicts])
        return [[item] for item in flat]
    return [route(stage, output_topic, each) for each in verdicts]


def make_handling(
    stage: Stage[Any], attempts: int, backoff: Backoff, *,
    deadline_s: float = DEFAULT_DEADLINE_S, max_bytes: int = 0,
) -> Handling:  # fmt: skip
    """The handling of ``stage`` with its input type resolved once."""
    return Handling(stage, input_type(stage), attempts, backoff, deadline_s, max_bytes)
