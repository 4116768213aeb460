"""``verify``: the pipeline's checks over an existing dataset, streamed in batches.

Rows come one at a time from the file (``datasets``) and are checked in batches of
``BATCH_ROWS``, each batch through the chosen stages in pipeline order, through the same
handlers the pipeline runs: a row is accepted when every chosen stage passes it, else rejected
by the first stage that fails it, with that stage's reason and detail. A row that cannot be
read is rejected before any stage (stage ``read``, reason ``unreadable_row``); a row a handler
fails on is rejected by that stage (``handler_error``). Either way the run goes on.

Each batch's verdicts are written as soon as they are known: accepted rows unchanged to
``accepted.jsonl``; rejected ones to ``rejected.jsonl`` as ``{"id", "stage", "reason",
"detail", "row"}`` (``row`` is the row; for an unreadable row, its text). Both keep the input's
ids and order. Memory holds one batch, whatever the file's size.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, TextIO

import anyio
import msgspec

from apigen_stream import reasons
from apigen_stream.config import Config
from apigen_stream.datasets import AnyRow, Row, Unreadable
from apigen_stream.errors import ApigenError, ConfigError
from apigen_stream.records import Candidate, Executed, Sample
from apigen_stream.spec import PIPELINE
from apigen_stream.stages import open_in_process
from apigen_stream.stages.stage import Accept, DictState, Reject, Stage

# The stages verify can run, in pipeline order (generate makes data, it does not check it).
VERIFY_STAGES = tuple(s.name for s in PIPELINE.stages if s.verifiable)
# Rows checked together: one sandbox round trip per batch for execution, one write per batch.
BATCH_ROWS = 512
# ... or fewer, when rows are large: memory holds one batch (its text, values and candidates).
BATCH_BYTES = 4 * 1024 * 1024
# Rows in flight at once in a stage without a batch handler (the judge is I/O-bound).
CONCURRENCY = 32
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
    verdicts: list[Verdict | None] = [unreadable(r) if isinstance(r, Unreadable) else None
                                      for r in rows]  # fmt: skip
    pending: list[tuple[int, Any]] = [(i, r.candidate) for i, r in enumerate(rows)
                                      if isinstance(r, Row)]  # fmt: skip
    for stage, state in zip(stages, states, strict=True):
        if not pending:
            break
        outcomes = await handle_all(stage, [record for _, record in pending], state)
        survivors: list[tuple[int, Any]] = []
        for (i, _), outcome in zip(pending, outcomes, strict=True):
            if isinstance(outcome, Accept):
                survivors.append((i, outcome.record))
            else:
                reason, detail = outcome
                verdicts[i] = Verdict(rows[i], stage.name, reason, detail)
        pending = survivors
    for i, _ in pending:
        verdicts[i] = Verdict(rows[i])
    return [v for v in verdicts if v is not None]


Outcome = Accept | tuple[str, str]


async def handle_all(stage: Stage[Any], records: Sequence[Any], state: DictState) -> list[Outcome]:
    """Each record's outcome in ``stage``: its ``Accept``, or (reason, detail).

    A stage with a batch handler takes the records at once; dedup takes them one by one, in
    order (the first copy is kept); any other stage takes up to ``CONCURRENCY`` at a time.
    """
    results = await _handle_many(stage.handle_many, records, state)
    if results is not None:
        return [_outcome(stage, verdicts) for verdicts in results]
    # No batch path, or one record broke the batch: handle them one by one (and reject only it).
    outcomes: list[Outcome] = [("", "")] * len(records)
    width = 1 if stage.spec.stateful else CONCURRENCY
    indexes = iter(range(len(records)))

    async def worker() -> None:
        for i in indexes:  # workers share the iterator: each record is taken once
            outcomes[i] = await _handle_one(stage, records[i], state)

    async with anyio.create_task_group() as tg:
        for _ in range(min(width, len(records))):
            tg.start_soon(worker)
    return outcomes


async def _handle_many(many: Any, records: Sequence[Any], state: DictState) -> Any:
    try:
        return await many(records, state)
    except ApigenError as exc:
        if not exc.dead_letter:
            raise
    except Exception:  # a handler bug: the caller retries record by record
        return None
    return None


async def _handle_one(stage: Stage[Any], record: Any, state: DictState) -> Outcome:
    try:
        verdicts = await stage.handle(record, state)
    except ApigenError as exc:
        if not exc.dead_letter:  # the stage itself is broken (sandbox, LLM down): stop
            raise
        return reasons.HANDLER_ERROR, str(exc)[:DETAIL_CHARS]
    except Exception as exc:  # a handler bug on one row must not lose the whole run
        return reasons.HANDLER_ERROR, f"{type(exc).__name__}: {exc}"[:DETAIL_CHARS]
    return _outcome(stage, verdicts)


def _outcome(stage: Stage[Any], verdicts: Sequence[Accept | Reject]) -> Outcome:
    if len(verdicts) == 1:  # the common case, without the scans below
        (only,) = verdicts
        if isinstance(only, Reject):
            return only.reason, only.detail
        if isinstance(only.record, Candidate | Executed | Sample):
            return only
    reject = next((v for v in verdicts if isinstance(v, Reject)), None)
    if reject is not None:
        return reject.reason, reject.detail
    accepted = next((v for v in verdicts if isinstance(v, Accept)), None)
    if accepted is None:
        return reasons.HANDLER_ERROR, f"stage {stage.name} returned no verdict"
    # A stage passes on what the next one reads; the semantic stage, last, on the sample itself.
    if not isinstance(accepted.record, Candidate | Executed | Sample):
        return reasons.HANDLER_ERROR, f"stage {stage.name} passed on a {type(accepted.record)}"
    return accepted


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
        ok, bad = bytearray(), bytearray()
        for v in verdicts:
            self.rows += 1
            if v.passed:
                ok += _row_bytes(v.row) + b"\n"
                continue
            self.counts[v.stage, v.reason] += 1
            row: Any = _row_value(v.row)
            entry = _RejectedRow(id=v.row.id, stage=v.stage, reason=v.reason, detail=v.detail,
                                 row=row)  # fmt: skip
            bad += _ENCODER.encode(entry) + b"\n"
        self._ok.write(ok)
        self._bad.write(bad)


def _row_bytes(row: AnyRow) -> bytes:
    # The row as it was in the file, unless it spans lines (a pretty-printed array element).
    if isinstance(row, Row) and (not row.text or b"\n" in row.text):
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
    async with open_in_process(config, names) as stages:
        states = [DictState({}) for _ in stages]
        for batch in batches(rows):
            results.write(await check_batch(batch, stages, states))
            if bar is not None and position is not None:
                bar.show(position(), results.rows)


async def verify(config: Config, rows: Iterable[AnyRow], names: Sequence[str]) -> list[Verdict]:
    """Every row's verdict, in memory (for tests and small inputs)."""
    out: list[Verdict] = []
    async with open_in_process(config, names) as stages:
        states = [DictState({}) for _ in stages]
        for batch in batches(rows):
            out.extend(await check_batch(batch, stages, states))
    return out
