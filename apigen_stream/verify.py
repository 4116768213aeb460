"""``verify``: the pipeline's checks over an existing dataset, streamed in batches.

Rows come one at a time from the file (``datasets``) and are checked in batches of
``BATCH_ROWS``, each batch through the chosen stages in pipeline order, by the engine's own
handling (``engine.handling``: the pipeline's retries, deadline and dead letters): a row is
accepted when every chosen stage passes it, else rejected by the first stage that fails it,
with that stage's reason and detail. A row that cannot be read is rejected before any stage
(stage ``read``, reason ``unreadable_row``); a row the pipeline would dead-letter is rejected
by that stage with the dead letter's reason (``handler_error``). Either way the run goes on.
Batches flow through reading, the stages and writing at once (``flow``). A stage with a batch
handler takes a whole batch in one call, retried and within one deadline as the pipeline does,
and its verdicts are read as they are; only if that fails is each row handled on its own.

Each batch's verdicts are written as soon as they are known: accepted rows unchanged to
``accepted.jsonl``; rejected ones to ``rejected.jsonl`` as ``{"id", "stage", "reason",
"detail", "row"}`` (``row`` is the row; for an unreadable row, its text). Both keep the input's
ids and order. Memory holds a few batches, whatever the file's size.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, TextIO

import anyio
import msgspec
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from apigen_stream import reasons
from apigen_stream.config import Config
from apigen_stream.datasets import AnyRow, Row, Unreadable
from apigen_stream.engine.embedded import DEFAULT_ATTEMPTS, DEFAULT_BACKOFF
from apigen_stream.engine.handling import Handling, make_handling
from apigen_stream.engine.routing import Outgoing, route
from apigen_stream.errors import ConfigError
from apigen_stream.records import Candidate, DeadLetter, Executed, Rejection, Sample
from apigen_stream.spec import PIPELINE
from apigen_stream.stages import open_in_process
from apigen_stream.stages.stage import Accept, DictState, Reject, Stage
from apigen_stream.stages.stage import Verdict as StageVerdict

# The stages verify can run, in pipeline order (generate makes data, it does not check it).
VERIFY_STAGES = tuple(s.name for s in PIPELINE.stages if s.verifiable)
# Rows checked together: one sandbox round trip per batch for execution, one write per batch.
# Fewer, larger round trips keep the sandbox busy while this process prepares the next batch
# (20,000 cheap rows: 512 a batch, 2.0 s to execute; 2,048, 1.6 s).
BATCH_ROWS = 2048
# ... or fewer, when rows are large: memory holds one batch (its text, values and candidates).
BATCH_BYTES = 4 * 1024 * 1024
# Rows in flight at once in a stage without a batch handler (the judge is I/O-bound).
CONCURRENCY = 32
# Batches waiting between two steps of the flow (reading, each stage, writing).
AHEAD = 2
# Below this many bytes a progress bar would only flicker.
PROGRESS_MIN_BYTES = 1 << 20
# Characters of a handler's error kept in a rejection's detail.
DETAIL_CHARS = 500


class Verdict(NamedTuple):
    """What verify decided about one row: passed, or the stage, reason and detail that failed it.

    A tuple rather than a frozen dataclass: one is made per row, and this is the cheap kind.
    """

    row: AnyRow
    stage: str = ""
    reason: str = ""
    detail: str = ""

    @property
    def passed(self) -> bool:
        """Whether every chosen stage passed the row."""
        return not self.stage


def parse_stages(text: str) -> list[str]:
    """``format,execute`` as stage names in pipeline order; unknown or unmet names fail."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in VERIFY_STAGES]
    if unknown or not names:
        raise ConfigError(f"--stages: choose from {', '.join(VERIFY_STAGES)} (got {text!r})")
    for name in names:
        needed = PIPELINE.needs(name, Candidate)  # rows are candidates
        if needed and needed not in names:
            raise ConfigError(f"--stages: {name} judges executed calls; add {needed}")
    return [n for n in VERIFY_STAGES if n in names]


def unreadable(row: Unreadable) -> Verdict:
    """The verdict on a row that could not be read."""
    return Verdict(row, reasons.READ, reasons.UNREADABLE_ROW, row.detail)


async def check_batch(
    rows: Sequence[AnyRow], stages: Sequence[Stage[Any]], states: Sequence[DictState]
) -> list[Verdict]:
    """Every row's verdict, in input order: each stage takes the batch's survivors at once."""
    batch = _Batch.of(rows)
    limiter = anyio.CapacityLimiter(CONCURRENCY)
    for handling, state in zip(_handlings(stages), states, strict=True):
        await batch.through(handling, state, limiter)
    return batch.verdicts()


def _handlings(stages: Sequence[Stage[Any]]) -> list[Handling]:
    # The pipeline's handling of each stage: its retries, deadline and dead letters.
    return [make_handling(s, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF) for s in stages]


@dataclass
class _Batch:
    """Rows on their way through the stages: the verdicts known so far, the records still in."""

    rows: Sequence[AnyRow]
    decided: list[Verdict | None]
    pending: list[tuple[int, Any]]

    @classmethod
    def of(cls, rows: Sequence[AnyRow]) -> _Batch:
        decided: list[Verdict | None] = [unreadable(r) if isinstance(r, Unreadable) else None
                                         for r in rows]  # fmt: skip
        pending = [(i, r.candidate) for i, r in enumerate(rows) if isinstance(r, Row)]
        return cls(rows, decided, pending)

    async def through(
        self, handling: Handling, state: DictState, limiter: anyio.CapacityLimiter
    ) -> None:
        """Pass the records still in through one stage; those it fails leave with a verdict."""
        if not self.pending:
            return
        records = [record for _, record in self.pending]
        stage = handling.stage
        # The batch handler's verdicts as they are, when it has one and it worked: a record
        # then costs its check and no outgoing record; else each record on its own, routed.
        verdicts = await handling.batch_verdicts(records, state)
        outcomes: Iterable[Candidate | Executed | Sample | tuple[str, str]]
        if verdicts is not None:
            outcomes = map(partial(_verdict_outcome, stage), verdicts)
        else:
            outputs = await handling.decoded_each(records, state, limiter)
            outcomes = map(partial(_outcome, stage), outputs)
        survivors: list[tuple[int, Any]] = []
        for (i, _), outcome in zip(self.pending, outcomes, strict=True):
            if isinstance(outcome, tuple):
                self.decided[i] = Verdict(self.rows[i], stage.name, *outcome)
            else:
                survivors.append((i, outcome))
        self.pending = survivors

    def verdicts(self) -> list[Verdict]:
        """Every row's verdict, in input order: those still in passed every stage."""
        for i, _ in self.pending:
            self.decided[i] = Verdict(self.rows[i])
        self.pending = []
        return [v for v in self.decided if v is not None]


def _verdict_outcome(
    stage: Stage[Any], verdicts: Sequence[StageVerdict]
) -> Candidate | Executed | Sample | tuple[str, str]:
    """What a stage's verdicts on one record say: as ``_outcome`` says of them once routed."""
    if len(verdicts) == 1:  # the common case, without routing
        (only,) = verdicts
        if isinstance(only, Accept) and isinstance(only.record, Candidate | Executed | Sample):
            return only.record
        if isinstance(only, Reject):
            return only.reason, only.detail[:DETAIL_CHARS]
    return _outcome(stage, route(stage.name, stage.output_topic, verdicts))


def _outcome(
    stage: Stage[Any], outgoing: Sequence[Outgoing]
) -> Candidate | Executed | Sample | tuple[str, str]:
    """What a stage sent for one record: the record it passed on, or (reason, detail)."""
    if len(outgoing) == 1:  # the common case, without the scans below
        (only,) = outgoing
        record = only.record
        if only.topic == stage.output_topic and isinstance(record, Candidate | Executed | Sample):
            return record
    for item in outgoing:
        if isinstance(item.record, DeadLetter | Rejection):
            return item.record.reason, item.record.detail[:DETAIL_CHARS]
    passed = [o.record for o in outgoing if o.topic == stage.output_topic]
    if not passed:
        return reasons.HANDLER_ERROR, f"stage {stage.name} returned no verdict"
    # A stage passes on what the next one reads; the semantic stage, last, on the sample itself.
    if not isinstance(passed[0], Candidate | Executed | Sample):
        return reasons.HANDLER_ERROR, f"stage {stage.name} passed on a {type(passed[0])}"
    return passed[0]


class _RejectedRow(msgspec.Struct, kw_only=True):
    id: int | str
    stage: str
    reason: str
    detail: str
    row: Any


_ENCODER = msgspec.json.Encoder()


@dataclass
class Results:
    """``accepted.jsonl`` and ``rejected.jsonl`` under ``out``, written as verdicts come, and
    the counts per (stage, reason)."""

    out: Path
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    rows: int = 0

    def __post_init__(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.accepted, self.rejected = self.out / "accepted.jsonl", self.out / "rejected.jsonl"
        self._ok = self.accepted.open("wb")
        self._bad = self.rejected.open("wb")

    def __enter__(self) -> Results:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._ok.close()
        self._bad.close()

    def write(self, verdicts: Iterable[Verdict]) -> None:
        """Append one batch's verdicts."""
        ok: list[bytes] = []
        bad = bytearray()
        for v in verdicts:
            self.rows += 1
            if not v.stage:  # passed (the property, inlined: this runs once per row)
                ok.append(_row_bytes(v.row))
                continue
            self.counts[v.stage, v.reason] += 1
            row: Any = _row_value(v.row)
            entry = _RejectedRow(id=v.row.id, stage=v.stage, reason=v.reason, detail=v.detail,
                                 row=row)  # fmt: skip
            bad += _ENCODER.encode(entry) + b"\n"
        if ok:
            ok.append(b"")  # the last row's newline
            self._ok.write(b"\n".join(ok))
        self._bad.write(bad)


def _row_bytes(row: AnyRow) -> bytes:
    # The row as it was in the file, unless it spans lines (a pretty-printed array element).
    # A row read without its plain values is one line (``Row``): no need to look.
    if isinstance(row, Row) and row.raw is not None and (not row.text or b"\n" in row.text):
        return _ENCODER.encode(row.raw)
    return row.text


def _row_value(row: AnyRow) -> Any:
    if isinstance(row, Unreadable):
        return row.text.decode("utf-8", "replace")  # not JSON, maybe not UTF-8: kept as text
    return msgspec.Raw(_row_bytes(row))


def table(counts: Counter[tuple[str, str]], rows: int, stages: Sequence[str]) -> str:
    """Counts per stage and reason, in pipeline order, then the totals."""
    lines = [f"{'stage':<10} {'reason':<22} {'rows':>8}"]
    reached = rows
    for stage in [reasons.READ, *stages]:
        failed = {r: n for (s, r), n in counts.items() if s == stage}
        if stage == reasons.READ and not failed:
            continue
        lines.append(f"{stage:<10} {'checked':<22} {reached:>8}")
        for reason, n in sorted(failed.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"{'':<10} {reason:<22} {n:>8}")
        reached -= sum(failed.values())
    rejected = sum(counts.values())
    lines.append(f"{'accepted':<33} {rows - rejected:>8}")
    lines.append(f"{'rejected':<33} {rejected:>8}")
    return "\n".join(lines)


class ProgressBar:
    """A one-line bar on a terminal, by bytes read; silent otherwise (logs and pipes get the
    table only)."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream = stream or sys.stderr
        self.enabled = stream.isatty() and total >= PROGRESS_MIN_BYTES

    def show(self, done: int, rows: int) -> None:
        """``done`` bytes read, ``rows`` rows checked."""
        if self.enabled:
            filled = self.WIDTH * min(done, self.total) // max(self.total, 1)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            end = "\n" if done >= self.total else ""
            self.stream.write(f"\r[{bar}] {rows} rows{end}")
            self.stream.flush()


def batches(
    rows: Iterable[AnyRow], size: int = BATCH_ROWS, max_bytes: int = BATCH_BYTES
) -> Iterator[list[AnyRow]]:
    """``rows`` in lists of ``size`` rows, or fewer holding ``max_bytes`` of row text."""
    batch: list[AnyRow] = []
    held = 0
    for row in rows:
        batch.append(row)
        held += len(row.text)
        if len(batch) == size or held >= max_bytes:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


async def verify_to(
    config: Config, rows: Iterable[AnyRow], names: Sequence[str], results: Results,
    bar: ProgressBar | None = None, position: Any = None,
) -> None:  # fmt: skip
    """Open the stages, check every row batch by batch into ``results``, close the stages."""

    def write(verdicts: list[Verdict]) -> None:
        results.write(verdicts)
        if bar is not None and position is not None:
            bar.show(position(), results.rows)

    await flow(rows, _openers(config, names), write)


async def verify(config: Config, rows: Iterable[AnyRow], names: Sequence[str]) -> list[Verdict]:
    """Every row's verdict, in memory (for tests and small inputs)."""
    out: list[Verdict] = []
    await flow(rows, _openers(config, names), out.extend)
    return out


StageOpener = Callable[[], AbstractAsyncContextManager[Stage[Any]]]


def _openers(config: Config, names: Sequence[str]) -> list[StageOpener]:
    return [partial(_open_one, config, name) for name in names]


@asynccontextmanager
async def _open_one(config: Config, name: str) -> AsyncIterator[Stage[Any]]:
    async with open_in_process(config, [name]) as (stage,):
        yield stage


async def flow(
    rows: Iterable[AnyRow], openers: Sequence[StageOpener], sink: Callable[[list[Verdict]], Any]
) -> None:
    """Batches through the stages as through a pipe, into ``sink`` in input order.

    Each stage works on one batch while the stage before it works on the next one, and the
    file is read meanwhile: the sandbox executes one batch while this process reads and
    format-checks the next. Each stage opens in its own step, so the first batches are read
    and format-checked while the sandbox starts its workers. At most ``AHEAD`` batches wait
    between two steps, so memory stays bounded whatever the file's size.
    """
    limiter = anyio.CapacityLimiter(CONCURRENCY)
    send, receive = anyio.create_memory_object_stream[_Batch](AHEAD)
    async with anyio.create_task_group() as tg:
        tg.start_soon(_read, rows, send)
        for opener in openers:
            onward, received = anyio.create_memory_object_stream[_Batch](AHEAD)
            tg.start_soon(_stage, opener, limiter, receive, onward)
            receive = received
        async with receive:
            async for batch in receive:
                sink(batch.verdicts())


async def _read(rows: Iterable[AnyRow], send: MemoryObjectSendStream[_Batch]) -> None:
    async with send:
        for rows_of_batch in batches(rows):
            await send.send(_Batch.of(rows_of_batch))


async def _stage(
    opener: StageOpener, limiter: anyio.CapacityLimiter,
    receive: MemoryObjectReceiveStream[_Batch], send: MemoryObjectSendStream[_Batch],
) -> None:  # fmt: skip
    # One store for the whole run, batches in order: dedup keeps the first copy of a row.
    state = DictState({})
    async with receive, send, opener() as stage:  # closed even when the stage cannot open
        (handling,) = _handlings([stage])
        async for batch in receive:
            await batch.through(handling, state, limiter)
            await send.send(batch)
